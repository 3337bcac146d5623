#!/usr/bin/env python3
"""mkpyinstaller.py - builds a PyInstaller-layout executable for tests,
without PyInstaller: a bootloader stand-in (any ELF) followed by a CArchive
whose entries are the entry-point scripts (type 's': marshalled code
objects as PyInstaller 4+ stores them, or source with --source), data
files (type 'x') and a PYZ archive (type 'z') of modules, all
zlib-compressed; the cookie at the end. Written from the format's
description (PyInstaller's archive readers and bootloader headers); the
code is compiled here, never run.

Usage: mkpyinstaller.py STUB OUT [--source] [--script NAME=FILE]...
                        [--module NAME=FILE]... [--data NAME=FILE]...
"""
import argparse
import importlib.util
import marshal
import struct
import sys
import zlib

MAGIC = b'MEI\014\013\012\013\016'


def code_of(name, path):
    with open(path) as f:
        return marshal.dumps(compile(f.read(), name, 'exec'))


def pyz(modules):
    """PYZ: magic, the interpreter's pyc magic, TOC offset; zlib'd code
    objects; the TOC, a marshalled list of (name, (typecode, pos, len))."""
    body = bytearray(b'PYZ\0' + importlib.util.MAGIC_NUMBER + b'\0\0\0\0')
    toc = []
    for name, path in modules:
        blob = zlib.compress(code_of(name, path))
        toc.append((name, (0, len(body), len(blob))))
        body += blob
    struct.pack_into('!I', body, 8, len(body))
    body += marshal.dumps(toc)
    return bytes(body)


def toc_entry(pos, clen, ulen, cflag, typ, name):
    raw = name.encode() + b'\0'
    size = 18 + len(raw)
    size += (-size) % 16
    return struct.pack('!IIIIBc', size, pos, clen, ulen, cflag, typ) + \
        raw.ljust(size - 18, b'\0')


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('stub')
    ap.add_argument('out')
    ap.add_argument('--source', action='store_true')
    ap.add_argument('--script', action='append', default=[])
    ap.add_argument('--module', action='append', default=[])
    ap.add_argument('--data', action='append', default=[])
    a = ap.parse_args()
    entries = []  # (type, name, bytes)
    for spec in a.script:
        name, path = spec.split('=', 1)
        data = open(path, 'rb').read() if a.source else code_of(name, path)
        entries.append((b's', name, data))
    if a.module:
        entries.append((b'z', 'PYZ-00.pyz',
                        pyz([m.split('=', 1) for m in a.module])))
    for spec in a.data:
        name, path = spec.split('=', 1)
        entries.append((b'x', name, open(path, 'rb').read()))
    pkg = bytearray()
    toc = bytearray()
    for typ, name, data in entries:
        # the PYZ is stored as it is: its members are compressed already
        blob = data if typ == b'z' else zlib.compress(data)
        toc += toc_entry(len(pkg), len(blob), len(data), 0 if typ == b'z' else 1,
                         typ, name)
        pkg += blob
    toc_off = len(pkg)
    pkg += toc
    pylib = b'libpython%d.%d.so.1.0' % sys.version_info[:2]
    cookie_len = 88
    total = len(pkg) + cookie_len
    pkg += struct.pack('!8sIIii64s', MAGIC, total, toc_off, len(toc),
                       sys.version_info[0] * 100 + sys.version_info[1], pylib)
    with open(a.stub, 'rb') as f:
        stub = f.read()
    with open(a.out, 'wb') as f:
        f.write(stub + bytes(pkg))


if __name__ == '__main__':
    main()
