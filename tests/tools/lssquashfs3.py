#!/usr/bin/env python3
"""lssquashfs3.py - lists a squashfs 3.x image (either byte order; gzip, or
the LZMA framings mksquashfs3.py writes and DD-WRT's per-block pb/lc/lp
header) as "path type size sha256" lines, for comparing postern's inventory
with a reading done apart from its C reader. Written from the old kernel's
squashfs_fs.h (3.x): packed bitfields, 8 KiB metadata blocks behind 16-bit
length words, 16-byte fragment entries. Test tool only; trusts its input.

usage: lssquashfs3.py IMAGE [OFFSET]
"""
import hashlib
import lzma
import struct
import sys
import zlib

MAGICS = {b'sqsh': True, b'qshs': True, b'tqsh': True,
          b'hsqs': False, b'shsq': False, b'hsqt': False}


def field(b, pos, w, big):
    """A bitfield of w bits at bit pos, packed as the creating host did."""
    nb = (pos % 8 + w + 7) // 8
    chunk = b[pos // 8:pos // 8 + nb]
    if big:
        v = int.from_bytes(chunk, 'big') >> (nb * 8 - pos % 8 - w)
    else:
        v = int.from_bytes(chunk, 'little') >> (pos % 8)
    return v & ((1 << w) - 1)


def unlzma(b):
    """One compressed block: zlib, DD-WRT's pb/lc/lp/fb header, or the
    lzma-alone and properties-only framings."""
    if b[0] & 0x0f == 8 and (b[0] << 8 | b[1]) % 31 == 0:
        return zlib.decompress(b)
    if b[0] <= 4 and b[1] <= 8 and b[2] <= 4 and b[4] == 0:
        f = {'id': lzma.FILTER_LZMA1, 'pb': b[0], 'lc': b[1], 'lp': b[2], 'dict_size': 1 << 20}
        return lzma.LZMADecompressor(lzma.FORMAT_RAW, filters=[f]).decompress(b[4:])
    p = b[0]
    f = {'id': lzma.FILTER_LZMA1, 'lc': p % 9, 'lp': p // 9 % 5, 'pb': p // 45, 'dict_size': 1 << 20}
    body = b[13:] if b[5] != 0 else b[5:]
    return lzma.LZMADecompressor(lzma.FORMAT_RAW, filters=[f]).decompress(body)


class Image:
    def __init__(self, data):
        self.d = data
        self.big = MAGICS[data[:4]]
        sb = data[:119]
        g = lambda pos, w: field(sb, pos, w, self.big)
        assert g(224, 16) == 3, 'not squashfs 3.x'
        self.bs = g(408, 32)
        self.check = g(288, 8) & 4
        self.root = g(344, 64)
        self.itab, self.dtab, self.ftab = g(696, 64), g(760, 64), g(824, 64)
        self.nfrag = g(440, 32)
        self.e = '>' if self.big else '<'
        self.it = self.table(self.itab, self.dtab)
        self.dt = self.table(self.dtab, self.frag_index_start())
        self.frags = self.fragments()

    def frag_index_start(self):
        # the directory table ends where the fragment blocks begin
        if self.nfrag == 0:
            return self.ftab
        return struct.unpack_from(self.e + 'Q', self.d, self.ftab)[0]

    def meta(self, off):
        hdr = struct.unpack_from(self.e + 'H', self.d, off)[0]
        n = hdr & 0x7fff
        start = off + 2 + (1 if self.check else 0)
        raw = self.d[start:start + n]
        return (raw if hdr & 0x8000 else unlzma(raw)), start + n

    def table(self, start, end):
        out, index, off = b'', {}, start
        while off < end:
            index[off - start] = len(out)
            blk, off = self.meta(off)
            out += blk
        return out, index

    def fragments(self):
        res = []
        for i in range((self.nfrag * 16 + 8191) // 8192):
            at = struct.unpack_from(self.e + 'Q', self.d, self.ftab + 8 * i)[0]
            blk, _ = self.meta(at)
            res.append(blk)
        t = b''.join(res)
        return [(field(t, i * 128, 64, self.big), field(t, i * 128 + 64, 32, self.big))
                for i in range(self.nfrag)]

    def block(self, off, sw):
        n = sw & ~(1 << 24)
        raw = self.d[off:off + n]
        return raw if sw & (1 << 24) else unlzma(raw)

    def inode(self, ref):
        t, idx = self.it
        p = idx[ref >> 16] + (ref & 0xffff)
        b = t[p:p + 64]
        g = lambda pos, w: field(b, pos, w, self.big)
        kind = g(0, 4)
        ino = {'type': kind, 'mode': g(4, 12), 'no': g(64, 32)}
        if kind == 1:
            ino.update(size=g(128, 19), off=g(147, 13), start=g(160, 32))
        elif kind == 8:
            ino.update(size=g(128, 27), off=g(155, 13), start=g(168, 32))
        elif kind in (2, 9):
            if kind == 2:
                start, frag, foff, size, bl = g(96, 64), g(160, 32), g(192, 32), g(224, 32), p + 32
            else:
                start, frag, foff, size, bl = g(128, 64), g(192, 32), g(224, 32), g(256, 64), p + 40
            ino.update(size=size, data=self.content(t, bl, start, frag, foff, size))
        elif kind == 3:
            n = g(128, 16)
            ino.update(link=t[p + 18:p + 18 + n].decode('latin-1'))
        return ino

    def content(self, t, bl, start, frag, foff, size):
        nb = size // self.bs if frag != 0xffffffff else (size + self.bs - 1) // self.bs
        out = b''
        for i in range(nb):
            sw = struct.unpack_from(self.e + 'I', t, bl + 4 * i)[0]
            want = min(self.bs, size - len(out))
            out += self.block(start, sw)[:want] if sw & ~(1 << 24) else b'\0' * want
            start += sw & ~(1 << 24)
        if frag != 0xffffffff and len(out) < size:
            fs, fsw = self.frags[frag]
            out += self.block(fs, fsw)[foff:foff + size - len(out)]
        return out

    def walk(self, ino, path, out):
        t, idx = self.dt
        if ino['size'] <= 3:
            return
        p = idx[ino['start']] + ino['off']
        end = p + ino['size'] - 3
        while p < end:
            count, sblk = field(t[p:p + 9], 0, 8, self.big) + 1, field(t[p:p + 9], 8, 32, self.big)
            p += 9
            for _ in range(count):
                e = t[p:p + 5]
                ioff, nlen = field(e, 0, 13, self.big), field(e, 16, 8, self.big) + 1
                name = t[p + 5:p + 5 + nlen].decode('latin-1')
                p += 5 + nlen
                child = self.inode(sblk << 16 | ioff)
                cpath = path + '/' + name
                out.append((cpath, child))
                if child['type'] in (1, 8):
                    self.walk(child, cpath, out)


def main():
    data = open(sys.argv[1], 'rb').read()
    if len(sys.argv) > 2:
        data = data[int(sys.argv[2], 0):]
    img = Image(data)
    out = []
    img.walk(img.inode(img.root), '', out)
    names = {1: 'dir', 2: 'file', 3: 'link', 4: 'blk', 5: 'chr', 6: 'fifo', 7: 'sock', 8: 'dir', 9: 'file'}
    for path, ino in sorted(out):
        kind = names[ino['type']]
        if kind == 'file':
            print(path, kind, len(ino['data']), hashlib.sha256(ino['data']).hexdigest())
        elif kind == 'link':
            print(path, kind, ino['link'])
        else:
            print(path, kind)


if __name__ == '__main__':
    main()
