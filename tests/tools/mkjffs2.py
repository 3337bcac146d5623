#!/usr/bin/env python3
"""mkjffs2.py - writes a JFFS2 image with what mkfs.jffs2 never makes: several
versions of an inode, a deleted and a renamed entry, an obsolete node, a
truncation, LZMA nodes (the OpenWrt framing: bare LZMA1, lc=lp=pb=0, 8 KiB
dictionary) and nodes spread over erase blocks padded with 0xff.

Written for postern's tests from include/uapi/linux/jffs2.h. The tree read
back must be:
  /etc/passwd      "root::0:0::/root:/bin/sh\\n"      (version 2 wins)
  /etc/new         "renamed\\n"                        (was /etc/old)
  /etc/trunc       100 x 'T'                           (truncated from 8000)
  /bin/big         b'PATCHED!!!' + seq bytes[10:10000] (LZMA, patched later)
  /bin/sh -> busybox
and neither /etc/shadow (deleted) nor /bin/evil (obsolete dirent).

With --tree SRC --compr rubinmips|dynrubin, writes instead an image of the
directory SRC (directories, files in 4 KiB data nodes, symlinks; owners and
modes) whose data nodes are compressed with JFFS2's rubin arithmetic coder,
which Debian's mkfs.jffs2 does not build; a page it does not shrink is
stored uncompressed, as the kernel does. The encoder is written from the
algorithm (see rubin_encode) and is only as fast as Python allows: keep
trees small.

usage: mkjffs2.py OUT [--endian little|big] [--tree SRC --compr rubinmips|dynrubin]
"""
import argparse
import lzma
import os
import stat
import struct
import zlib

ACCURATE = 0x2000
DIRENT, INODE = 0xe001, 0xe002


def crc(b):
    return (~zlib.crc32(b, 0xffffffff)) & 0xffffffff


class J:
    def __init__(self, big):
        self.e = '>' if big else '<'
        self.out = bytearray()

    def node(self, ntype, body, obsolete=False):
        totlen = 12 + len(body)
        hdr = struct.pack(self.e + 'HHI', 0x1985, ntype, totlen)
        hdr += struct.pack(self.e + 'I', crc(hdr))
        if obsolete:
            hdr = struct.pack(self.e + 'HH', 0x1985, ntype & ~ACCURATE) + hdr[4:]
        self.out += hdr + body
        self.out += b'\0' * (-len(self.out) % 4)

    def dirent(self, pino, version, ino, name, dtype, obsolete=False):
        name = name.encode()
        head = struct.pack(self.e + 'HHI', 0x1985, DIRENT, 40 + len(name))
        head += struct.pack(self.e + 'I', crc(head))
        body = struct.pack(self.e + 'IIIIBBH', pino, version, ino, 0, len(name), dtype, 0)
        body += struct.pack(self.e + 'I', crc(head + body))
        body += struct.pack(self.e + 'I', crc(name)) + name
        self.node(DIRENT, body, obsolete)

    def inode(self, ino, version, mode, isize, offset, data, compr='none', uid=0, gid=0):
        code = None
        if compr in ('rubinmips', 'dynrubin'):
            c = rubin_compress(data, compr == 'dynrubin')
            if c is None:
                c, code = data, 0
            else:
                code = 3 if compr == 'rubinmips' else 5
        elif compr == 'lzma':
            c = lzma.compress(data, format=lzma.FORMAT_RAW, filters=[
                {'id': lzma.FILTER_LZMA1, 'dict_size': 0x2000, 'lc': 0, 'lp': 0, 'pb': 0}])
            code = 8
        elif compr == 'zlib':
            c, code = zlib.compress(data), 6
        elif code is None:
            c, code = data, 0
        head = struct.pack(self.e + 'HHI', 0x1985, INODE, 68 + len(c))
        head += struct.pack(self.e + 'I', crc(head))
        body = struct.pack(self.e + 'IIIHHIIIIIIIBBHI', ino, version, mode, uid, gid, isize, 0, 0, 0,
                           offset, len(c), len(data), code, 0, 0, crc(c))
        body += struct.pack(self.e + "I", crc((head + body)[:60])) + c
        self.node(INODE, body)

    def pad_block(self, size=0x10000):
        self.out += b'\xff' * (-len(self.out) % size)


UPPER, LOWER = 1 << 15, (1 << 15) - 1
BITS_MIPS = (277, 249, 290, 267, 229, 341, 212, 241)


def rubin_encode(data, divider, odds):
    """JFFS2's rubin coder: each byte as 8 bits, least significant first,
    bit i with odds (divider - odds[i]) : odds[i] of being 0 : 1, coded
    into an interval (low q, width p) of 16-bit registers; output bits most
    significant first. None when the output is not smaller than the input."""
    out = []
    p, q = 2 * UPPER, 0
    for byte in data:
        for i in range(8):
            a = divider - odds[i]
            while q >= UPPER or p + q <= UPPER:
                out.append(1 if q & UPPER else 0)
                q = (q & LOWER) << 1
                p <<= 1
            i0 = min(max(a * p // divider, 1), p - 1)
            if byte >> i & 1:
                q += i0
                p -= i0
            else:
                p = i0
        if len(out) > 8 * len(data):
            return None
    for _ in range(16):
        out.append(1 if q & UPPER else 0)
        q = (q & LOWER) << 1
    out += [0] * (-len(out) % 8)
    enc = bytes(int(''.join(map(str, out[k:k + 8])), 2) for k in range(0, len(out), 8))
    return enc if len(enc) < len(data) else None


def rubin_compress(data, dynamic):
    if not dynamic:
        return rubin_encode(data, 1043, BITS_MIPS)
    if not data:
        return None
    odds = []
    for i in range(8):
        ones = sum(1 for b in data if b >> i & 1)
        odds.append(min(max(ones * 256 // len(data), 1), 255))
    body = rubin_encode(data, 256, odds)
    if body is None or 8 + len(body) >= len(data):
        return None
    return bytes(odds) + body


def tree(j, src, compr):
    """Writes SRC's tree: directory entries and inodes, data in 4 KiB nodes."""
    nxt = [2]

    def walk(path, pino):
        for name in sorted(os.listdir(path)):
            full = os.path.join(path, name)
            st = os.lstat(full)
            ino = nxt[0]
            nxt[0] += 1
            mode, uid, gid = st.st_mode, st.st_uid, st.st_gid
            if stat.S_ISDIR(mode):
                j.dirent(pino, ino, ino, name, 4)
                j.inode(ino, 1, mode, 0, 0, b'', uid=uid, gid=gid)
                walk(full, ino)
            elif stat.S_ISLNK(mode):
                target = os.readlink(full).encode()
                j.dirent(pino, ino, ino, name, 10)
                j.inode(ino, 1, mode, len(target), 0, target, uid=uid, gid=gid)
            elif stat.S_ISREG(mode):
                with open(full, 'rb') as f:
                    data = f.read()
                j.dirent(pino, ino, ino, name, 8)
                if not data:
                    j.inode(ino, 1, mode, 0, 0, b'', uid=uid, gid=gid)
                for off in range(0, len(data), 4096):
                    j.inode(ino, 1 + off // 4096, mode, len(data), off, data[off:off + 4096], compr,
                            uid=uid, gid=gid)
    walk(src, 1)
    j.pad_block()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('out')
    ap.add_argument('--endian', choices=['little', 'big'], default='little')
    ap.add_argument('--tree')
    ap.add_argument('--compr', choices=['rubinmips', 'dynrubin'], default='dynrubin')
    a = ap.parse_args()
    j = J(a.endian == 'big')
    if a.tree:
        tree(j, a.tree, a.compr)
        with open(a.out, 'wb') as f:
            f.write(j.out)
        return
    big = b''.join(b'%d\n' % i for i in range(3000))[:10000]
    j.dirent(1, 1, 2, 'etc', 4)
    j.inode(2, 1, 0o40755, 0, 0, b'')
    j.dirent(1, 2, 3, 'bin', 4)
    j.inode(3, 1, 0o40755, 0, 0, b'')
    j.dirent(2, 3, 4, 'passwd', 8)
    j.inode(4, 1, 0o100644, 27, 0, b'root:x:0:0::/root:/bin/sh\n', 'zlib')
    j.dirent(2, 4, 5, 'shadow', 8)
    j.inode(5, 1, 0o100600, 20, 0, b'root:$1$abc:1:0:::::\n'[:20])
    j.dirent(3, 5, 6, 'evil', 8, obsolete=True)
    j.inode(6, 1, 0o100755, 5, 0, b'evil\n')
    j.dirent(2, 6, 9, 'old', 8)
    j.inode(9, 1, 0o100644, 8, 0, b'renamed\n')
    j.pad_block()
    for off in range(0, len(big), 4096):
        j.inode(7, 1 + off // 4096, 0o100755, len(big), off, big[off:off + 4096], 'lzma')
    j.dirent(3, 7, 7, 'big', 8)
    j.dirent(3, 8, 8, 'sh', 10)
    j.inode(8, 1, 0o120777, 7, 0, b'busybox')
    j.inode(10, 1, 0o100644, 8000, 0, b'T' * 4096, 'zlib')
    j.inode(10, 2, 0o100644, 8000, 4096, b'T' * 3904, 'zlib')
    j.dirent(2, 9, 10, 'trunc', 8)
    j.pad_block()
    j.inode(4, 2, 0o100644, 25, 0, b'root::0:0::/root:/bin/sh\n')
    j.dirent(2, 10, 0, 'shadow', 8)
    j.dirent(2, 11, 9, 'new', 8)
    j.dirent(2, 12, 0, 'old', 8)
    j.inode(7, 10, 0o100755, len(big), 0, b'PATCHED!!!', 'lzma')
    j.inode(10, 3, 0o100644, 100, 0, b'')
    j.pad_block()
    with open(a.out, 'wb') as f:
        f.write(j.out)


if __name__ == '__main__':
    main()
