#!/usr/bin/env python3
"""sstrip.py - removes an ELF file's section header table the way OpenWrt's
sstrip does (e_shoff, e_shnum and e_shstrndx zeroed, the table and what
follows the last segment cut off), so tests can read binaries as router
images ship them. Usage: sstrip.py IN OUT"""
import struct
import sys


def main():
    data = bytearray(open(sys.argv[1], "rb").read())
    is64 = data[4] == 2
    end = "<" if data[5] == 1 else ">"
    if is64:
        phoff, = struct.unpack_from(end + "Q", data, 0x20)
        phentsize, phnum = struct.unpack_from(end + "HH", data, 0x36)
        struct.pack_into(end + "Q", data, 0x28, 0)
        struct.pack_into(end + "HHH", data, 0x3a, 0, 0, 0)
    else:
        phoff, = struct.unpack_from(end + "I", data, 0x1c)
        phentsize, phnum = struct.unpack_from(end + "HH", data, 0x2a)
        struct.pack_into(end + "I", data, 0x20, 0)
        struct.pack_into(end + "HHH", data, 0x2e, 0, 0, 0)
    last = 0
    for i in range(phnum):
        at = phoff + i * phentsize
        if is64:
            off, = struct.unpack_from(end + "Q", data, at + 8)
            filesz, = struct.unpack_from(end + "Q", data, at + 32)
        else:
            off, filesz = struct.unpack_from(end + "I", data, at + 4)[0], \
                struct.unpack_from(end + "I", data, at + 16)[0]
        last = max(last, off + filesz)
    open(sys.argv[2], "wb").write(data[:last])


if __name__ == "__main__":
    main()
