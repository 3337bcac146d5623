#!/usr/bin/env python3
"""mkcsys.py - lays out a router image the way some Realtek-SDK vendor images
are (issue 13): a 20-byte upper-case "CSYS" header (signature, load address,
declared size, two more words), then a U-Boot legacy uImage (kernel, LZMA)
whose declared data size spans the whole rest of the image, although its
LZMA stream ends long before; the root filesystem sits inside that same
payload at the next 64 KiB boundary of the image, and erased flash (0xff)
pads the image to a 64 KiB multiple.

usage: mkcsys.py OUT KERNEL.lzma ROOTFS [--loose]
  --loose  put the root filesystem at an odd offset (a stream's end + 3)
           instead of the 64 KiB boundary
"""
import struct
import sys
import zlib

HDR = 20
UIMAGE = 64
ALIGN = 0x10000


def uimage_header(data):
    h = struct.pack('>IIIIIIIBBBB32s', 0x27051956, 0, 0x5f000000, len(data),
                    0x80000000, 0x80000000, zlib.crc32(data) & 0xffffffff,
                    5, 5, 2, 3, b'Linux Kernel Image')  # linux, mips, kernel, lzma
    crc = zlib.crc32(h) & 0xffffffff
    return h[:4] + struct.pack('>I', crc) + h[8:]


def main():
    args = [a for a in sys.argv[1:] if not a.startswith('--')]
    loose = '--loose' in sys.argv
    out, kernel, rootfs = args
    k = open(kernel, 'rb').read()
    r = open(rootfs, 'rb').read()
    start = HDR + UIMAGE + len(k)
    at = start + 3 if loose else (start + ALIGN - 1) // ALIGN * ALIGN
    payload = k + b'\xff' * (at - start) + r
    end = HDR + UIMAGE + len(payload)
    payload += b'\xff' * ((end + ALIGN - 1) // ALIGN * ALIGN - end)
    csys = b'CSYS' + struct.pack('<III', 0x80500000, UIMAGE + len(payload), 0) + b'\0' * 4
    assert len(csys) == HDR
    with open(out, 'wb') as f:
        f.write(csys + uimage_header(payload) + payload)


if __name__ == '__main__':
    main()
