#!/usr/bin/env python3
"""mkpar.py - builds a PAR::Packer-layout executable for tests, without
PAR: a launcher stand-in (any ELF), FILE records (b"FILE", name length,
"crc/name", content length, content; lengths 32-bit big-endian) for the
modules the script needs, the zip holding the script, a 40-byte cache
name, b"\\0CACHE", the length of what follows the launcher and the
b"\\nPAR.pm\\n" trailer. Written from PAR::Packer's description of its
layout; nothing here is run.

Usage: mkpar.py STUB ZIP OUT [NAME=FILE]...
"""
import struct
import sys
import zlib


def main():
    stub, zpath, out = sys.argv[1:4]
    records = b''
    for spec in sys.argv[4:]:
        name, path = spec.split('=', 1)
        data = open(path, 'rb').read()
        full = ('%08x/%s' % (zlib.crc32(data), name)).encode()
        records += b'FILE' + struct.pack('>I', len(full)) + full + \
            struct.pack('>I', len(data)) + data
    body = records + open(zpath, 'rb').read() + b'0' * 40 + b'\0CACHE'
    with open(out, 'wb') as f:
        f.write(open(stub, 'rb').read() + body +
                struct.pack('>I', len(body) + 4 + 8) + b'\nPAR.pm\n')


if __name__ == '__main__':
    main()
