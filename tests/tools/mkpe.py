#!/usr/bin/env python3
"""mkpe.py - a minimal PE32+ program for the tests of src/core/carve.c (written from the
PE/COFF specification): an MZ stub, the PE signature, a COFF header, an optional header with
16 data directories, one .text section of 512 bytes (never run: its code is a return).

  mkpe.py OUT [--cert N] [--stuff K] [--symbols N]

--cert N: an attribute certificate table after the section, named by data directory 4 (a file
offset, as Authenticode has it): one PKCS#7 entry whose certificate is a DER SEQUENCE of N
bytes in all (random-looking content); --stuff K: K more bytes inside that entry after the
SEQUENCE (data stuffed into a signature); --symbols N: a COFF symbol table of N records after
that, and its string table. Deterministic.
"""
import struct
import sys


def arg(name, default=0):
    a = sys.argv[2:]
    return int(a[a.index(name) + 1]) if name in a else default


def noise(n, seed):
    out, x = bytearray(), seed
    while len(out) < n:
        x = (x * 6364136223846793005 + 1442695040888963407) & (2**64 - 1)
        out += struct.pack("<Q", x)
    return bytes(out[:n])


def main():
    der, stuff, nsym = arg("--cert"), arg("--stuff"), arg("--symbols")
    entry = 8 + der + stuff if der else 0
    cert = (entry + 7) & ~7
    text = b"\xc3" + noise(511, 7)
    headers = 0x200
    raw = headers
    tail = raw + len(text)
    cert_at = tail if cert else 0
    sym_at = tail + cert if nsym else 0
    mz = bytearray(64)
    mz[0:2] = b"MZ"
    struct.pack_into("<I", mz, 60, 64)
    coff = struct.pack("<HHIIIHH", 0x8664, 1, 0, sym_at, nsym, 240, 0x22)
    opt = bytearray(240)
    struct.pack_into("<HBBIII", opt, 0, 0x20b, 14, 0, len(text), 0, 0)
    struct.pack_into("<II", opt, 16, 0x1000, 0x1000)          # entry, base of code
    struct.pack_into("<QII", opt, 24, 0x140000000, 0x1000, 0x200)  # image base, alignments
    struct.pack_into("<HH", opt, 48, 6, 0)                     # OS version
    struct.pack_into("<II", opt, 56, 0x2000, headers)          # SizeOfImage, SizeOfHeaders
    struct.pack_into("<H", opt, 68, 3)                         # console subsystem
    struct.pack_into("<I", opt, 108, 16)                       # NumberOfRvaAndSizes
    if cert:
        struct.pack_into("<II", opt, 112 + 4 * 8, cert_at, cert)
    seq = b"\x30\x82" + struct.pack(">H", der - 4) + noise(der - 4, 11) if der else b""
    sec = struct.pack("<8sIIIIIIHHI", b".text", len(text), 0x1000, len(text), raw, 0, 0, 0, 0,
                      0x60000020)
    out = bytearray(mz) + b"PE\0\0" + coff + opt + sec
    out += bytes(headers - len(out)) + text
    if cert:
        out += struct.pack("<IHH", entry, 0x200, 2) + seq + noise(stuff, 13)
        out += bytes(cert - entry)
    if nsym:
        for i in range(nsym):
            out += struct.pack("<8sIhHBB", b"sym%d" % i, i, 1, 0, 2, 0)
        out += struct.pack("<I", 4)
    open(sys.argv[1], "wb").write(out)


if __name__ == "__main__":
    main()
