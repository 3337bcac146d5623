#!/usr/bin/env python3
"""mkxz.py - .xz streams whose blocks declare dictionaries of the test's choosing, and rpm
packages carrying them, for the tests of src/unpack/windows.c. Written from the formats
(tukaani.org/xz/xz-file-format.txt; rpm's doc/manual/format), no xz or rpm tool.

  mkxz.py xz OUT SPEC...          one stream, a block per SPEC
  mkxz.py rpm OUT PAYLOAD         an rpm: lead, empty signature and main headers, PAYLOAD
  mkxz.py cpio OUT NAME:SIZE...   a newc cpio of files of SIZE bytes (a repeated text line)

SPEC is DICT:SIZE[:FILL]: a block of SIZE bytes (FILL: zero, the default, or text) whose
header declares the LZMA2 dictionary DICT (K/M/G suffixes); DICT:@FILE, a block of FILE's
bytes. The data are encoded with a
1 MiB dictionary whatever DICT says: a decoder given a larger one decodes them all the same,
so a block can declare 1.5 GiB without the test needing the memory to encode it. A block's
size is the one an encoder writes; the index lists every block. Check: none.
Deterministic: the same arguments give the same bytes.
"""
import lzma
import struct
import sys
import zlib


def size(s):
    mult = {"K": 1 << 10, "M": 1 << 20, "G": 1 << 30}
    s = s.replace("iB", "").replace("B", "")
    if s[-1] in mult:
        return int(s[:-1]) * mult[s[-1]]
    return int(s)


def vli(n):
    out = bytearray()
    while n >= 0x80:
        out.append((n & 0x7F) | 0x80)
        n >>= 7
    out.append(n)
    return bytes(out)


def dict_prop(d):
    """The smallest LZMA2 property whose dictionary holds d bytes."""
    for p in range(40):
        if (2 | (p & 1)) << (p // 2 + 11) >= d:
            return p
    return 40


def pad4(b):
    return b + b"\0" * (-len(b) % 4)


def content(n, fill):
    if fill == "zero":
        return b"\0" * n
    line = b"postern windows test line\n"
    return (line * (n // len(line) + 1))[:n]


def block(dict_size, data):
    raw = lzma.compress(data, format=lzma.FORMAT_RAW,
                        filters=[{"id": lzma.FILTER_LZMA2, "dict_size": 1 << 20, "preset": 0}])
    body = bytes([0x00]) + vli(0x21) + vli(1) + bytes([dict_prop(dict_size)])
    hsize = (len(body) + 1 + 4 + 3) // 4 * 4
    head = bytes([hsize // 4 - 1]) + body
    head = head + b"\0" * (hsize - 4 - len(head))
    head += struct.pack("<I", zlib.crc32(head))
    unpadded = len(head) + len(raw)
    return pad4(head + raw), unpadded, len(data)


def stream(blocks):
    flags = b"\0\0"
    out = b"\xfd7zXZ\0" + flags + struct.pack("<I", zlib.crc32(flags))
    index = b"\0" + vli(len(blocks))
    for data, unpadded, usize in blocks:
        out += data
        index += vli(unpadded) + vli(usize)
    index = pad4(index)
    index += struct.pack("<I", zlib.crc32(index))
    back = struct.pack("<I", len(index) // 4 - 1) + flags
    return out + index + struct.pack("<I", zlib.crc32(back)) + back + b"YZ"


def rpm(payload):
    lead = b"\xed\xab\xee\xdb\x03\x00\x00\x00\x00\x01" + b"pst-1-1".ljust(66, b"\0")
    lead += struct.pack(">HH", 1, 5) + b"\0" * 16
    assert len(lead) == 96
    empty = b"\x8e\xad\xe8\x01\0\0\0\0" + struct.pack(">II", 0, 0)
    return lead + empty + empty + payload


def cpio(files):
    out = b""
    ino = 1
    for name, data in files + [("TRAILER!!!", b"")]:
        nb = name.encode() + b"\0"
        mode = 0o100644 if name != "TRAILER!!!" else 0
        fields = [ino, mode, 0, 0, 1, 0, len(data), 0, 0, 0, 0, len(nb), 0]
        hdr = b"070701" + b"".join(b"%08X" % f for f in fields)
        out += pad4(hdr + nb) + pad4(data)
        ino += 1
    return out


def main():
    kind, path, args = sys.argv[1], sys.argv[2], sys.argv[3:]
    if kind == "xz":
        blocks = []
        for spec in args:
            parts = spec.split(":")
            if parts[1].startswith("@"):
                with open(parts[1][1:], "rb") as f:
                    blocks.append(block(size(parts[0]), f.read()))
                continue
            fill = parts[2] if len(parts) > 2 else "zero"
            blocks.append(block(size(parts[0]), content(size(parts[1]), fill)))
        out = stream(blocks)
    elif kind == "rpm":
        with open(args[0], "rb") as f:
            out = rpm(f.read())
    elif kind == "cpio":
        files = []
        for spec in args:
            name, n = spec.split(":")
            files.append((name, content(size(n), "text")))
        out = cpio(files)
    else:
        sys.exit("usage: mkxz.py xz|rpm|cpio OUT ...")
    with open(path, "wb") as f:
        f.write(out)


if __name__ == "__main__":
    main()
