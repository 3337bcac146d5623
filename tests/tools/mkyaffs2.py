#!/usr/bin/env python3
"""mkyaffs2.py - writes a YAFFS2 image of a directory as a NAND dump: pages
with their spare bytes, the packed tags (sequence, object id, chunk id,
byte count) in the spare at offset 0 or 2.

Written for postern's tests from the YAFFS2 object-header and packed-tags
layouts (yaffs_guts.h, yaffs_packedtags2.h). Debian has no mkyaffs2image.
With --rewrite PATH, PATH's data is written a second time with new content
in a later block (higher sequence number); the newer copy must win.

usage: mkyaffs2.py SRC OUT [--page 2048 --spare 64] [--tag-off 0|2]
                   [--endian little|big] [--rewrite PATH:CONTENT] [--no-pad]
"""
import argparse
import os
import stat
import struct

T_FILE, T_SYMLINK, T_DIR, T_HARDLINK, T_SPECIAL = 1, 2, 3, 4, 5


class Y:
    def __init__(self, a):
        self.page, self.spare, self.toff = a.page, a.spare, a.tag_off
        self.e = '>' if a.endian == 'big' else '<'
        self.out = bytearray()
        self.seq = 0x1000
        self.in_block = 0
        self.next_id = 257
        self.inodes = {}

    def chunk(self, data, obj, cid, nbytes):
        if self.in_block == 64:
            self.seq += 1
            self.in_block = 0
        self.in_block += 1
        page = data + b'\xff' * (self.page - len(data))
        spare = bytearray(b'\xff' * self.spare)
        spare[self.toff:self.toff + 16] = struct.pack(self.e + 'IIII', self.seq, obj, cid, nbytes)
        self.out += page + spare

    def header(self, obj, otype, parent, name, st, size=0, alias=b'', equiv=0xffffffff, rdev=0):
        h = bytearray(b'\xff' * 512)
        h[0:10] = struct.pack(self.e + 'IIH', otype, parent, 0xffff)
        n = name.encode()[:255]
        h[10:266] = n + b'\0' * (256 - len(n))
        h[266:300] = struct.pack(self.e + 'HIIIIIIII', 0xffff, st.st_mode, st.st_uid, st.st_gid,
                                 0, 0, 0, size & 0xffffffff, equiv)
        h[300:460] = alias[:159] + b'\0' * (160 - len(alias[:159]))
        h[460:464] = struct.pack(self.e + 'I', rdev)
        h[496:500] = struct.pack(self.e + 'I', size >> 32)
        self.chunk(bytes(h), obj, 0, 0xffff)

    def data(self, obj, content):
        for i in range(0, len(content), self.page):
            piece = content[i:i + self.page]
            self.chunk(piece, obj, i // self.page + 1, len(piece))

    def add(self, path, parent):
        for name in sorted(os.listdir(path)):
            full = os.path.join(path, name)
            st = os.lstat(full)
            obj = self.next_id
            self.next_id += 1
            if stat.S_ISDIR(st.st_mode):
                self.header(obj, T_DIR, parent, name, st)
                self.add(full, obj)
            elif stat.S_ISLNK(st.st_mode):
                self.header(obj, T_SYMLINK, parent, name, st, alias=os.readlink(full).encode())
            elif stat.S_ISREG(st.st_mode):
                key = (st.st_dev, st.st_ino)
                if st.st_nlink > 1 and key in self.inodes:
                    self.header(obj, T_HARDLINK, parent, name, st, equiv=self.inodes[key])
                    continue
                self.inodes[key] = obj
                with open(full, 'rb') as f:
                    content = f.read()
                self.header(obj, T_FILE, parent, name, st, size=len(content))
                self.data(obj, content)
                self.paths[os.path.relpath(full, self.root)] = (obj, parent, name, st)
            else:
                self.header(obj, T_SPECIAL, parent, name, st, rdev=st.st_rdev)

    def build(self, src, rewrite):
        self.root = src
        self.paths = {}
        self.add(src, 1)
        for r in rewrite:
            path, content = r.split(':', 1)
            obj, parent, name, st = self.paths[path.lstrip('/')]
            self.seq += 1
            self.in_block = 0
            self.header(obj, T_FILE, parent, name, st, size=len(content))
            self.data(obj, content.encode())
        # pad the last block with erased pages
        while self.pad and self.in_block and self.in_block < 64:
            self.out += b'\xff' * (self.page + self.spare)
            self.in_block += 1
        return bytes(self.out)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('src')
    ap.add_argument('out')
    ap.add_argument('--page', type=int, default=2048)
    ap.add_argument('--spare', type=int, default=64)
    ap.add_argument('--tag-off', type=int, default=0)
    ap.add_argument('--endian', choices=['little', 'big'], default='little')
    ap.add_argument('--rewrite', action='append', default=[])
    ap.add_argument('--no-pad', action='store_true', help='no erased pages after the last chunk')
    a = ap.parse_args()
    y = Y(a)
    y.pad = not a.no_pad
    img = y.build(a.src, a.rewrite)
    with open(a.out, 'wb') as f:
        f.write(img)


if __name__ == '__main__':
    main()
