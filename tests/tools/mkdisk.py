#!/usr/bin/env python3
"""mkdisk.py - builds raw disk images with an MBR or a GPT partition table
around given partition images, for the partition unpacker's tests (no
sfdisk/sgdisk, no loop device).

  mkdisk.py gpt OUT SIZE_MIB IMG[:TYPE] ...   GPT, partitions 1 MiB aligned
  mkdisk.py mbr OUT SIZE_MIB IMG ...          MBR: the first two images are
        primary partitions 1 and 2; any further images go into an extended
        partition (entry 3) as logical partitions 5, 6, ... chained by EBRs
  mkdisk.py luks OUT SIZE_KIB                 a LUKS1 header and random
        "ciphertext" (not a real LUKS volume: only what a reader recognises)
  mkdisk.py bitlocker OUT SIZE_KIB            the same for a BitLocker boot sector

IMG may be "-" for an empty (zero) partition of one alignment unit. Sizes
are sparse; SIZE_MIB may end in K for KiB, and MKDISK_ALIGN (sectors, 2048
by default) sets the alignment, for the fuzz seeds (small disks).
"""
import os
import random
import struct
import sys
import uuid
import zlib

SECTOR = 512
ALIGN = int(os.environ.get("MKDISK_ALIGN", "2048"))  # sectors: 1 MiB


def sectors(path):
    if path == "-":
        return ALIGN
    return (os.path.getsize(path) + SECTOR - 1) // SECTOR


def place(f, lba, path):
    """Copies path's data into f at lba. Holes (SEEK_DATA/SEEK_HOLE) and
    all-zero MiB are skipped: the disk stays sparse, and a multi-GB image
    costs its data, not its size."""
    if path == "-":
        return
    zero = bytes(1 << 20)
    with open(path, "rb") as src:
        fd = src.fileno()
        size = os.fstat(fd).st_size
        pos = 0
        while pos < size:
            try:
                pos = os.lseek(fd, pos, os.SEEK_DATA)
            except OSError:
                break  # only a hole is left
            end = os.lseek(fd, pos, os.SEEK_HOLE)
            src.seek(pos)
            while pos < end:
                b = src.read(min(1 << 20, end - pos))
                if not b:
                    break
                if b != zero[:len(b)]:
                    f.seek(lba * SECTOR + pos)
                    f.write(b)
                pos += len(b)


def mbr_entry(ptype, start, count, boot=0):
    return struct.pack("<B3sB3sII", boot, b"\xfe\xff\xff", ptype, b"\xfe\xff\xff", start, count)


def mbr_sector(entries):
    s = bytearray(SECTOR)
    for i, e in enumerate(entries):
        s[446 + 16 * i:446 + 16 * (i + 1)] = e
    s[510:512] = b"\x55\xaa"
    return bytes(s)


LINUX = uuid.UUID("0fc63daf-8483-4772-8e79-3d69d8477de4")


def total_sectors(size):
    if size.endswith("K"):
        return int(size[:-1]) * 2
    return int(size) * 2048


def gpt(out, size, imgs):
    total = total_sectors(size)
    # the entry array ends at LBA 33: partitions start past it
    parts, lba = [], (34 + ALIGN - 1) // ALIGN * ALIGN
    for spec in imgs:
        path, _, t = spec.partition(":")
        n = sectors(path)
        n = (n + ALIGN - 1) // ALIGN * ALIGN
        parts.append((path, lba, lba + n - 1, uuid.UUID(t) if t else LINUX))
        lba += n
    if lba + 33 > total:
        sys.exit("mkdisk: partitions do not fit")
    ents = bytearray(128 * 128)
    for i, (path, first, last, t) in enumerate(parts):
        name = ("part%d" % (i + 1)).encode("utf-16-le")
        ents[i * 128:(i + 1) * 128] = (t.bytes_le + seeded_guid().bytes_le +
                                       struct.pack("<QQQ", first, last, 0) + name.ljust(72, b"\0"))
    ecrc = zlib.crc32(ents)

    def header(me, alt, entries_lba):
        h = bytearray(struct.pack("<8sIIIIQQQQ16sQIII", b"EFI PART", 0x10000, 92, 0, 0, me, alt,
                                  34, total - 34, seeded_guid().bytes_le, entries_lba, 128, 128,
                                  ecrc))
        struct.pack_into("<I", h, 16, zlib.crc32(bytes(h)))
        return bytes(h).ljust(SECTOR, b"\0")

    with open(out, "wb") as f:
        f.truncate(total * SECTOR)
        f.write(mbr_sector([mbr_entry(0xEE, 1, min(total - 1, 0xFFFFFFFF))]))
        f.write(header(1, total - 1, 2))
        f.write(ents)
        f.seek((total - 33) * SECTOR)
        f.write(ents)
        f.write(header(total - 1, 1, total - 33))
        for path, first, _, _ in parts:
            place(f, first, path)


def mbr(out, size, imgs):
    total = total_sectors(size)
    prim, logical = imgs[:2], imgs[2:]
    entries, lba = [], ALIGN
    with open(out, "wb") as f:
        f.truncate(total * SECTOR)
        for path in prim:
            n = sectors(path)
            entries.append(mbr_entry(0x83, lba, n))
            place(f, lba, path)
            lba += (n + ALIGN - 1) // ALIGN * ALIGN
        if logical:
            ext = lba
            entries.append(mbr_entry(0x05, ext, total - ext))
            ebr = ext
            for i, path in enumerate(logical):
                n = sectors(path)
                data = ebr + ALIGN
                nxt = data + (n + ALIGN - 1) // ALIGN * ALIGN
                link = [mbr_entry(0x05, nxt - ext, ALIGN)] if i + 1 < len(logical) else []
                f.seek(ebr * SECTOR)
                f.write(mbr_sector([mbr_entry(0x83, ALIGN, n)] + link))
                place(f, data, path)
                ebr = nxt
        f.seek(0)
        f.write(mbr_sector(entries))


def luks(out, kib):
    h = bytearray(4096)
    h[0:6] = b"LUKS\xba\xbe"
    struct.pack_into(">H", h, 6, 1)
    h[8:11] = b"aes"
    h[40:51] = b"xts-plain64"
    h[72:78] = b"sha256"
    struct.pack_into(">II", h, 104, 8, 64)
    with open(out, "wb") as f:
        f.write(h)
        f.write(seeded_bytes(kib * 1024 - 4096, "luks"))


# GUIDs drawn from a fixed seed, so that two runs make the same disk byte for byte.
GUIDS = random.Random("mkdisk-guid")


def seeded_guid():
    return uuid.UUID(bytes=GUIDS.randbytes(16), version=4)


def seeded_bytes(n, label):
    """n pseudo-random bytes, the same every run (seeded, as tests/tools/randbytes),
    so that a failure on an encrypted-looking volume reproduces."""
    return random.Random(f"{label}:{n}").randbytes(n)


def bitlocker(out, kib):
    s = bytearray(SECTOR)
    s[0:3] = b"\xeb\x58\x90"
    s[3:11] = b"-FVE-FS-"
    struct.pack_into("<HB", s, 11, 512, 8)
    s[510:512] = b"\x55\xaa"
    with open(out, "wb") as f:
        f.write(s)
        f.write(seeded_bytes(kib * 1024 - SECTOR, "bitlocker"))


def main():
    kind, out = sys.argv[1], sys.argv[2]
    if kind == "gpt":
        gpt(out, sys.argv[3], sys.argv[4:])
    elif kind == "mbr":
        mbr(out, sys.argv[3], sys.argv[4:])
    elif kind == "luks":
        luks(out, int(sys.argv[3]))
    elif kind == "bitlocker":
        bitlocker(out, int(sys.argv[3]))
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
