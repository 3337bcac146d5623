#!/usr/bin/env python3
"""mksquashfs3.py - writes a squashfs 3.1 image of a directory, in either byte
order, with gzip or the vendor LZMA framings routers used before squashfs 4;
with --major 2, a squashfs 2.x image (--minor 0 or 1) the same way; with
--major 4, a little-endian squashfs 4.0 image whose superblock says LZMA, in
any of those framings (what vendors shipped and no library reads).

Written for postern's tests from the layout in the old kernel's
squashfs_fs.h (3.x): a 119-byte superblock of packed bitfields, data blocks,
the inode table and directory table as chains of 8 KiB metadata blocks behind
16-bit length words, the fragment table, the uid and gid tables. Bitfields
are packed from the least significant bit on a little-endian host and from
the most significant on a big-endian one, as the C compilers did.
Layout 2.x (the same header's *_2 structures): a 63-byte superblock that
stops after the 32-bit fragment table start; 4-byte inode headers (type,
mode, uid and gid indexes: no mtime, no inode number, no link count);
directory inodes with a 24-bit start block and a listing size without the
3 bytes 3.x adds for "." and ".."; 4-byte directory headers (count, 24-bit
start block) and 3-byte entries (offset, type, name size: no inode number);
8-byte fragment entries (32-bit start, size) behind 32-bit index words.
Layout 4.0
(squashfs-tools' squashfs_fs.h): 96-byte superblock, byte-aligned inodes
with 16-bit id indexes, 12-byte directory headers and 8-byte entries, an id
table behind an index of metadata blocks.

DD-WRT's squashfs 3.0 (--comp ddwrt, usually with --magic ddwrt --minor 0):
each compressed block starts with four bytes pb, lc, lp, 0xff (the real
r31277 image uses 12 settings across its blocks, so its encoder picks them
per block; here the smallest of a few is kept; the fourth byte is 0xff in
every block of that image), then raw
LZMA1 with an end marker and no size. --magic ddwrt writes "tqsh" ("hsqt"
little-endian), --magic sqlzma "qshs" ("shsq"), --magic sqlz "sqlz"
("zlqs"); the superblock is otherwise standard.

usage: mksquashfs3.py SRC OUT [--major 2|3|4] [--minor N] [--endian little|big]
                      [--comp gzip|lzma|lzma-props|ddwrt] [--magic std|sqlzma|ddwrt|sqlz]
                      [--block-log N] [--dev PATH:c|b:MAJOR:MINOR]...
"""
import argparse
import lzma
import os
import stat
import struct
import zlib

META = 8192
MAGIC = {'std': 0x73717368, 'sqlzma': 0x71736873, 'ddwrt': 0x74717368, 'sqlz': 0x73716c7a}
# the lc/lp/pb settings a DD-WRT-style encoder tries for each block (pb, lc, lp)
DDWRT_TRIES = [(2, 3, 0), (1, 0, 1), (2, 1, 2)]


def lzma_raw(data, dict_size, lc=3, lp=0, pb=2):
    return lzma.compress(data, format=lzma.FORMAT_RAW, filters=[
        {'id': lzma.FILTER_LZMA1, 'dict_size': dict_size, 'lc': lc, 'lp': lp, 'pb': pb}])


class Packer:
    def __init__(self, big):
        self.big = big

    def pack(self, fields):
        """fields: [(value, width)] in declaration order -> bytes."""
        total = sum(w for _, w in fields)
        assert total % 8 == 0
        v = 0
        if self.big:
            for val, w in fields:
                v = (v << w) | (val & ((1 << w) - 1))
            return v.to_bytes(total // 8, 'big')
        pos = 0
        for val, w in fields:
            v |= (val & ((1 << w) - 1)) << pos
            pos += w
        return v.to_bytes(total // 8, 'little')


def compress(data, comp, dict_size):
    if comp == 'gzip':
        return zlib.compress(data, 9)
    if comp == 'ddwrt':
        best = None
        for pb, lc, lp in DDWRT_TRIES:
            c = bytes([pb, lc, lp, 0xff]) + lzma_raw(data, max(dict_size, 4096), lc, lp, pb)
            if best is None or len(c) < len(best):
                best = c
        return best
    raw = lzma_raw(data, dict_size)
    props = struct.pack('<BI', 0x5d, dict_size)
    if comp == 'lzma':
        return props + struct.pack('<Q', len(data)) + raw
    return props + raw


class Meta:
    """A metadata table: references are (compressed block offset, offset)."""

    def __init__(self, sq):
        self.sq = sq
        self.buf = b''
        self.out = b''

    def ref(self):
        return len(self.out), len(self.buf)

    def add(self, b):
        self.buf += b
        while len(self.buf) >= META:
            self._flush(self.buf[:META])
            self.buf = self.buf[META:]

    def _flush(self, chunk):
        c = compress(chunk, self.sq.comp, META)
        if len(c) < len(chunk):
            hdr = len(c)
        else:
            c, hdr = chunk, len(chunk) | 0x8000
        self.out += struct.pack('>H' if self.sq.big else '<H', hdr) + c

    def finish(self):
        if self.buf:
            self._flush(self.buf)
            self.buf = b''
        return self.out


class Sq:
    def __init__(self, a):
        self.v4 = a.major == 4
        self.v2 = a.major == 2
        self.minor = a.minor if a.minor is not None else (0 if a.major == 4 else 1)
        self.big = a.endian == 'big' and not self.v4
        self.comp = a.comp
        self.magic = MAGIC[a.magic]
        self.block_log = a.block_log
        self.bs = 1 << a.block_log
        self.p = Packer(self.big)
        self.e = '>' if self.big else '<'
        self.sb_len = 63 if self.v2 else 119
        self.data = bytearray(b'\0' * self.sb_len)
        self.frag_buf = b''
        self.frags = []        # (start, sizeword)
        self.itab = Meta(self)
        self.dtab = Meta(self)
        self.ids = []
        self.ninodes = 0
        self.devs = {}
        for d in a.dev:
            path, kind, ma, mi = d.split(':')
            self.devs.setdefault(os.path.dirname(path.rstrip('/')) or '/', []).append(
                (os.path.basename(path), kind, int(ma), int(mi)))

    def id_index(self, v):
        if v not in self.ids:
            self.ids.append(v)
        return self.ids.index(v)

    def block(self, chunk):
        c = compress(chunk, self.comp, self.bs)
        if len(c) < len(chunk):
            return c, len(c)
        return chunk, len(chunk) | (1 << 24)

    def flush_frag(self):
        if self.frag_buf:
            c, sw = self.block(self.frag_buf)
            self.frags.append((len(self.data), sw))
            self.data += c
            self.frag_buf = b''

    def base(self, itype, mode, uid, gid):
        self.ninodes += 1
        if self.v4:
            return [(itype, 16), (mode & 0o7777, 16), (self.id_index(uid), 16),
                    (self.id_index(gid), 16), (0x5f000000, 32), (self.ninodes, 32)]
        if self.v2:
            return [(itype, 4), (mode & 0o7777, 12), (self.id_index(uid), 8), (self.id_index(gid), 8)]
        return [(itype, 4), (mode & 0o7777, 12), (self.id_index(uid), 8),
                (self.id_index(gid), 8), (0x5f000000, 32), (self.ninodes, 32)]

    def write_file(self, st, content):
        start = len(self.data)
        nfull = len(content) // self.bs
        sizes = []
        for i in range(nfull):
            c, sw = self.block(content[i * self.bs:(i + 1) * self.bs])
            self.data += c
            sizes.append(sw)
        tail = content[nfull * self.bs:]
        frag, foff = 0xffffffff, 0
        if tail:
            if len(self.frag_buf) + len(tail) > self.bs:
                self.flush_frag()
            frag, foff = len(self.frags), len(self.frag_buf)
            self.frag_buf += tail
        ref = self.itab.ref()
        if self.v4:
            tail = [(start, 32), (frag, 32), (foff, 32), (len(content), 32)]
        elif self.v2:
            tail = [(0x5f000000, 32), (start, 32), (frag, 32), (foff, 32), (len(content), 32)]
        else:
            tail = [(start, 64), (frag, 32), (foff, 32), (len(content), 32)]
        self.itab.add(self.p.pack(self.base(2, st.st_mode, st.st_uid, st.st_gid) + tail) +
            b''.join(struct.pack(self.e + 'I', s) for s in sizes))
        return ref, 2

    def write_simple(self, itype, st, extra=b'', rdev=None):
        fields = self.base(itype, st.st_mode, st.st_uid, st.st_gid) + ([] if self.v2 else [(1, 32)])
        if itype == 3:
            fields.append((len(extra), 32 if self.v4 else 16))
        if rdev is not None and self.v4:
            rdev = ((rdev >> 8) << 8) | (rdev & 0xff)
            fields.append((rdev, 32))
            rdev = None
        if rdev is not None:
            fields.append((rdev, 16))
        ref = self.itab.ref()
        self.itab.add(self.p.pack(fields) + extra)
        return ref, itype

    def write_dir(self, path, st, parent_no):
        entries = []
        names = sorted(os.listdir(path))
        for name in names:
            full = os.path.join(path, name)
            cst = os.lstat(full)
            if stat.S_ISDIR(cst.st_mode):
                ref, t = self.write_dir(full, cst, 0)
            elif stat.S_ISREG(cst.st_mode):
                with open(full, 'rb') as f:
                    ref, t = self.write_file(cst, f.read())
            elif stat.S_ISLNK(cst.st_mode):
                ref, t = self.write_simple(3, cst, os.readlink(full).encode())
            elif stat.S_ISFIFO(cst.st_mode):
                ref, t = self.write_simple(6, cst)
            elif stat.S_ISSOCK(cst.st_mode):
                ref, t = self.write_simple(7, cst)
            else:
                t = 5 if stat.S_ISCHR(cst.st_mode) else 4
                ref, t = self.write_simple(t, cst, rdev=(os.major(cst.st_rdev) << 8) | os.minor(cst.st_rdev))
            entries.append((name.encode(), ref, t, self.ninodes))
        rel = '/' + os.path.relpath(path, self.root).lstrip('.')
        for name, kind, ma, mi in self.devs.get(rel.rstrip('/') or '/', []):
            fake = os.stat_result((0o644 | (stat.S_IFCHR if kind == 'c' else stat.S_IFBLK),
                                   0, 0, 1, 0, 0, 0, 0, 0, 0))
            ref, t = self.write_simple(5 if kind == 'c' else 4, fake, rdev=(ma << 8) | mi)
            entries.append((name.encode(), ref, t, self.ninodes))
        entries.sort()
        listing = b''
        i = 0
        dref = self.dtab.ref()
        while i < len(entries):
            blk = entries[i][1][0]
            group = [x for x in entries[i:i + 256]]
            n = 0
            while n < len(group) and group[n][1][0] == blk:
                n += 1
            group = group[:n]
            base_no = group[0][3]
            if self.v4:
                listing += self.p.pack([(n - 1, 32), (blk, 32), (base_no, 32)])
            elif self.v2:
                listing += self.p.pack([(n - 1, 8), (blk, 24)])
            else:
                listing += self.p.pack([(n - 1, 8), (blk, 32), (base_no, 32)])
            for name, ref, t, no in group:
                if self.v4:
                    listing += self.p.pack([(ref[1], 16), ((no - base_no) & 0xffff, 16), (t, 16),
                                            (len(name) - 1, 16)]) + name
                elif self.v2:
                    listing += self.p.pack([(ref[1], 13), (t, 3), (len(name) - 1, 8)]) + name
                else:
                    listing += self.p.pack([(ref[1], 13), (t, 3), (len(name) - 1, 8),
                                            (no - base_no, 16)]) + name
            i += n
        self.dtab.add(listing)
        ref = self.itab.ref()
        if self.v4:
            self.itab.add(self.p.pack(self.base(1, st.st_mode, st.st_uid, st.st_gid) + [
                (dref[0], 32), (2, 32), (len(listing) + 3, 16), (dref[1], 16), (parent_no, 32)]))
        elif self.v2:
            self.itab.add(self.p.pack(self.base(1, st.st_mode, st.st_uid, st.st_gid) + [
                (len(listing), 19), (dref[1], 13), (0x5f000000, 32), (dref[0], 24)]))
        else:
            self.itab.add(self.p.pack(self.base(1, st.st_mode, st.st_uid, st.st_gid) + [
                (2, 32), (len(listing) + 3, 19), (dref[1], 13), (dref[0], 32), (parent_no, 32)]))
        return ref, 1

    def build(self, src):
        self.root = src
        root_ref, _ = self.write_dir(src, os.lstat(src), 0)
        self.flush_frag()
        out = self.data
        itab_start = len(out)
        out += self.itab.finish()
        dtab_start = len(out)
        out += self.dtab.finish()
        # Fragment table: 16-byte entries (2.x: 8) in metadata blocks, then the index.
        if self.v2:
            ftab = b''.join(self.p.pack([(s, 32), (sw, 32)]) for s, sw in self.frags)
        else:
            ftab = b''.join(self.p.pack([(s, 64), (sw, 32), (0, 32)]) for s, sw in self.frags)
        index = []
        for i in range(0, len(ftab), META):
            index.append(len(out))
            m = Meta(self)
            m.add(ftab[i:i + META])
            out += m.finish()
        frag_start = len(out)
        out += b''.join(struct.pack(self.e + ('I' if self.v2 else 'Q'), x) for x in index)
        if self.v4:
            return self.finish4(out, root_ref, itab_start, dtab_start, frag_start)
        uid_start = len(out)
        out += b''.join(struct.pack(self.e + 'I', x) for x in self.ids)
        guid_start = len(out)
        out += b''.join(struct.pack(self.e + 'I', x) for x in self.ids)
        used = len(out)
        root = (root_ref[0] << 16) | root_ref[1]
        l32 = 0xffffffff
        if self.v2:
            sb = self.p.pack([
                (self.magic, 32), (self.ninodes, 32), (used, 32), (uid_start, 32), (guid_start, 32),
                (itab_start, 32), (dtab_start, 32), (2, 16), (self.minor, 16), (self.bs & 0xffff, 16),
                (self.block_log, 16), (0, 8), (len(self.ids), 8), (len(self.ids), 8), (0x5f000000, 32),
                (root, 64), (self.bs, 32), (len(self.frags), 32), (frag_start, 32)])
            out[0:63] = sb
            out += b'\0' * (-len(out) % 4096)
            return bytes(out)
        sb = self.p.pack([
            (self.magic, 32), (self.ninodes, 32), (used & l32, 32), (uid_start & l32, 32),
            (guid_start & l32, 32), (itab_start & l32, 32), (dtab_start & l32, 32),
            (3, 16), (self.minor, 16), (self.bs & 0xffff, 16), (self.block_log, 16), (0, 8),
            (len(self.ids), 8), (len(self.ids), 8), (0x5f000000, 32), (root, 64), (self.bs, 32),
            (len(self.frags), 32), (frag_start & l32, 32), (used, 64), (uid_start, 64),
            (guid_start, 64), (itab_start, 64), (dtab_start, 64), (frag_start, 64),
            ((1 << 64) - 1, 64)])
        out[0:119] = sb
        out += b'\0' * (-len(out) % 4096)
        return bytes(out)


def finish4(self, out, root_ref, itab_start, dtab_start, frag_start):
    ids = b''.join(struct.pack('<I', x) for x in self.ids)
    m = Meta(self)
    at = len(out)
    m.add(ids)
    out += m.finish()
    id_start = len(out)
    out += struct.pack('<Q', at)
    used = len(out)
    root = (root_ref[0] << 16) | root_ref[1]
    sb = struct.pack('<IIIIIHHHHHHQQQQQQQQ', 0x73717368, self.ninodes, 0x5f000000, self.bs,
                     len(self.frags), 1 if self.comp == 'gzip' else 2, self.block_log, 0,
                     len(self.ids), 4, 0, root, used,
                     id_start, (1 << 64) - 1, itab_start, dtab_start, frag_start, (1 << 64) - 1)
    out[0:96] = sb
    out += b'\0' * (-len(out) % 4096)
    return bytes(out)


Sq.finish4 = finish4


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('src')
    ap.add_argument('out')
    ap.add_argument('--major', type=int, choices=[2, 3, 4], default=3)
    ap.add_argument('--minor', type=int, default=None)
    ap.add_argument('--endian', choices=['little', 'big'], default='little')
    ap.add_argument('--comp', choices=['gzip', 'lzma', 'lzma-props', 'ddwrt'], default='gzip')
    ap.add_argument('--magic', choices=sorted(MAGIC), default='std')
    ap.add_argument('--block-log', type=int, default=16)
    ap.add_argument('--dev', action='append', default=[])
    a = ap.parse_args()
    img = Sq(a).build(a.src)
    with open(a.out, 'wb') as f:
        f.write(img)


if __name__ == '__main__':
    main()
