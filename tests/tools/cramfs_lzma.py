#!/usr/bin/env python3
"""cramfs_lzma.py - rewrites a little-endian cramfs image made by mkfs.cramfs
so that every data block is LZMA in Jungo OpenRG's framing (5 bytes of LZMA
properties, the block's size as 32-bit little-endian, raw LZMA1 data), as
OpenRG-based routers shipped; Debian has no tool that writes it.

Written for postern's tests from the cramfs layout (include/uapi/linux/
cramfs_fs.h: 76-byte superblock, 12-byte inodes mode:16 uid:16 / size:24
gid:8 / namelen:6 offset:26, a file's offset pointing at one 32-bit end
pointer per 4 KiB block) and the framing's published description (its
decoder reads properties, then the 32-bit size). Files' data are laid out
again in their original order; identical offsets (shared data) stay shared;
the image CRC is recomputed.

usage: cramfs_lzma.py IN OUT
"""
import lzma
import struct
import sys
import zlib

PAGE = 4096


def lzma_block(data):
    raw = lzma.compress(data, format=lzma.FORMAT_RAW, filters=[
        {'id': lzma.FILTER_LZMA1, 'dict_size': 1 << 20, 'lc': 3, 'lp': 0, 'pb': 2}])
    return struct.pack('<BII', 0x5d, 1 << 20, len(data)) + raw


def main():
    img = bytearray(open(sys.argv[1], 'rb').read())
    magic, size, flags = struct.unpack_from('<III', img, 0)
    assert magic == 0x28cd3d45 and img[16:32] == b'Compressed ROMFS', 'little-endian cramfs only'
    assert not flags & 0x800, 'no extended block pointers'
    files = {}      # data offset -> [inode positions]
    dirs = [64]
    meta_end = 76
    while dirs:
        at = dirs.pop()
        mode, _, w1, w2 = struct.unpack_from('<HHII', img, at)
        isize, off = w1 & 0xffffff, (w2 >> 6) * 4
        fmt = mode & 0o170000
        if fmt == 0o040000:
            pos = off
            while pos < off + isize:
                dirs.append(pos)
                namelen = (struct.unpack_from('<I', img, pos + 8)[0] & 0x3f) * 4
                pos += 12 + namelen
            meta_end = max(meta_end, off + isize)
        elif fmt in (0o100000, 0o120000) and isize:
            files.setdefault(off, []).append((at, isize))
    out = img[:meta_end]
    out += b'\0' * (-len(out) % 4)
    for off in sorted(files):
        isize = files[off][0][1]
        n = (isize + PAGE - 1) // PAGE
        ptrs = struct.unpack_from('<%dI' % n, img, off)
        prev = off + 4 * n
        blocks = []
        for p in ptrs:
            blocks.append(zlib.decompress(bytes(img[prev:p])) if p > prev else b'\0' * PAGE)
            prev = p
        new_off = len(out)
        table = len(out) + 4 * n
        body = b''
        ends = []
        for b in blocks:
            body += lzma_block(b)
            ends.append(table + len(body))
        out += struct.pack('<%dI' % n, *ends) + body
        out += b'\0' * (-len(out) % 4)
        for at, _ in files[off]:
            w2 = struct.unpack_from('<I', out, at + 8)[0]
            struct.pack_into('<I', out, at + 8, (w2 & 0x3f) | (new_off // 4) << 6)
    out += b'\0' * (-len(out) % PAGE)
    struct.pack_into('<I', out, 4, len(out))
    if flags & 1:
        struct.pack_into('<I', out, 32, 0)
        struct.pack_into('<I', out, 32, zlib.crc32(bytes(out)) & 0xffffffff)
    open(sys.argv[2], 'wb').write(out)


if __name__ == '__main__':
    main()
