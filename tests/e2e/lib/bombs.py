#!/usr/bin/env python3
"""bombs.py - hostile fixtures for tests/e2e/bombs*.sh, made at test time.

usage: bombs.py KIND OUT [ARGS]
  zip42 OUT LEVELS COPIES INNER_MIB  a 42.zip-style nested bomb: a zip of COPIES
                                     copies of a zip of COPIES copies ... of a
                                     file of INNER_MIB MiB of zeros
  overlap OUT ENTRIES INNER_MIB      ENTRIES central-directory entries that all
                                     point at the same local header and data
                                     (a non-recursive "overlapping" zip bomb)
  overlap2 OUT                       two entries whose data ranges partly
                                     overlap (B's local header inside A's data)
  liar-tar OUT                       tar headers whose size fields claim 8 GiB
  liar-cpio OUT                      newc header claiming a 4 GiB file
  liar-zip OUT                       zip entries whose sizes claim 4 GiB and
                                     whose offsets point past the end
  tiny-tar OUT N                     N files of one byte each (gzip'd tar)
  deep-tar OUT LEVELS                LEVELS nested directories and a file at the
                                     bottom
  names-tar OUT                      non-UTF-8, control-character, quote and
                                     enormous member names
  traversal-tar OUT                  ../ names with non-UTF-8 bytes and very
                                     long components
  links-tar OUT                      symlink loops (a->b->a, self->self,
                                     dir->.) and a 200-link chain
  jffs2-huge OUT                     JFFS2 (little endian) whose inodes claim
                                     4 GiB: one with a zero node at 4 GiB - 4 KiB,
                                     one with a chain of 3000 "zero"-compressed
                                     1 MiB nodes (a 200 KB image)
  romfs-overlap OUT FILES FILLER_KIB romfs whose FILES files all overlap (data
                                     to the image's end, headers 32 bytes apart)
  ubi-huge-leb OUT IN [reserve-all]  IN (a ubinize image) with the data
                                     volume's LEBs renumbered up to 2^32 - 2
                                     (reserve-all: and the volume table
                                     reserving 2^32 - 1 blocks for it)
"""
import io
import struct
import sys
import tarfile
import zipfile
import zlib


def deflate_raw(data):
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    return c.compress(data) + c.flush()


def zip42(out, levels, copies, inner_mib):
    zeros = b"\0" * (inner_mib << 20)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        z.writestr("0.bin", zeros)
    blob = buf.getvalue()
    for lvl in range(1, levels):
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
            for i in range(copies):
                z.writestr("l%d-%x.zip" % (lvl, i), blob)
        blob = buf.getvalue()
    with open(out, "wb") as f:
        f.write(blob)


def local_header(name, comp, csize, usize, crc):
    return struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, comp, 0, 0, crc,
                       csize, usize, len(name), 0) + name


def central(name, comp, csize, usize, crc, off):
    return struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, comp, 0, 0,
                       crc, csize, usize, len(name), 0, 0, 0, 0, 0o100644 << 16,
                       off) + name


def eocd(n, cdsize, cdoff):
    return struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, n, n, cdsize, cdoff, 0)


def overlap(out, entries, inner_mib):
    zeros = b"\0" * (inner_mib << 20)
    data = deflate_raw(zeros)
    crc = zlib.crc32(zeros)
    body = local_header(b"kernel", 8, len(data), len(zeros), crc) + data
    cd = b"".join(central(b"e%05d" % i, 8, len(data), len(zeros), crc, 0)
                  for i in range(entries))
    with open(out, "wb") as f:
        f.write(body + cd + eocd(entries, len(cd), len(body)))


def overlap2(out):
    b_data = b"inner file B\n"
    b_local = local_header(b"B", 0, len(b_data), len(b_data), zlib.crc32(b_data)) + b_data
    a_data = b"head of A " + b_local + b" tail of A\n"
    a_local = local_header(b"A", 0, len(a_data), len(a_data), zlib.crc32(a_data))
    body = a_local + a_data
    b_off = len(a_local) + len(b"head of A ")
    cd = (central(b"A", 0, len(a_data), len(a_data), zlib.crc32(a_data), 0) +
          central(b"B", 0, len(b_data), len(b_data), zlib.crc32(b_data), b_off))
    with open(out, "wb") as f:
        f.write(body + cd + eocd(2, len(cd), len(body)))


def tar_header(name, size, typeflag=b"0", linkname=b""):
    h = bytearray(512)
    h[0:len(name)] = name
    h[100:108] = b"0000644\0"
    h[108:116] = b"0000000\0"
    h[116:124] = b"0000000\0"
    h[124:136] = size
    h[136:148] = b"00000000000\0"
    h[148:156] = b" " * 8
    h[156:157] = typeflag
    h[157:157 + len(linkname)] = linkname
    h[257:265] = b"ustar\x0000"
    s = sum(h)
    h[148:156] = b"%06o\0 " % s
    return bytes(h)


def liar_tar(out):
    blob = tar_header(b"small-but-claims-8GiB", b"77777777777\0") + b"A" * 512
    # a GNU base-256 size: 2^62 bytes
    big = bytes([0x80]) + b"\0" * 3 + (1 << 62).to_bytes(8, "big")
    blob += tar_header(b"base256-liar", big) + b"B" * 1024
    blob += tar_header(b"after-the-liars", b"00000000004\0") + b"tail".ljust(512, b"\0")
    with open(out, "wb") as f:
        f.write(blob + b"\0" * 1024)


def liar_cpio(out):
    def newc(name, size, data):
        name += b"\0"
        h = b"070701" + b"".join(b"%08X" % v for v in (
            1, 0o100644, 0, 0, 1, 0, size, 0, 0, 0, 0, len(name), 0))
        rec = h + name
        rec += b"\0" * ((4 - len(rec) % 4) % 4)
        return rec + data
    blob = newc(b"claims-4GiB", 0xFFFFFFFF, b"just a few bytes\n" * 8)
    with open(out, "wb") as f:
        f.write(blob)


def liar_zip(out):
    data = b"short data\n"
    crc = zlib.crc32(data)
    body = local_header(b"claims-4GiB", 0, 0xFFFFFFF0, 0xFFFFFFF0, crc) + data
    body += local_header(b"deflated-liar", 8, 0x7FFFFFFF, 0xFFFFFFF0, 0) + deflate_raw(data)
    cd = (central(b"claims-4GiB", 0, 0xFFFFFFF0, 0xFFFFFFF0, crc, 0) +
          central(b"deflated-liar", 8, 0x7FFFFFFF, 0xFFFFFFF0, 0, 30 + 11 + len(data)) +
          central(b"past-the-end", 0, 100, 100, 0, 0x7FFFFFFF))
    with open(out, "wb") as f:
        f.write(body + cd + eocd(3, len(cd), len(body)))


def tiny_tar(out, n):
    with tarfile.open(out, "w:gz", compresslevel=6, format=tarfile.USTAR_FORMAT) as t:
        one = b"x"
        for i in range(n):
            ti = tarfile.TarInfo("d%03d/f%06d" % (i // 1000, i))
            ti.size = 1
            ti.mtime = 1700000000
            t.addfile(ti, io.BytesIO(one))


def deep_tar(out, levels):
    with tarfile.open(out, "w", format=tarfile.GNU_FORMAT) as t:
        path = ""
        for i in range(levels):
            path = path + ("/" if path else "") + "d"
            ti = tarfile.TarInfo(path)
            ti.type = tarfile.DIRTYPE
            ti.mode = 0o755
            t.addfile(ti)
        data = b"bottom\n"
        ti = tarfile.TarInfo(path + "/bottom.txt")
        ti.size = len(data)
        t.addfile(ti, io.BytesIO(data))


def add_file(t, name, data=b"x\n"):
    ti = tarfile.TarInfo(name)
    ti.size = len(data)
    ti.mtime = 1700000000
    t.addfile(ti, io.BytesIO(data))


def names_tar(out):
    # tarfile encodes str names with surrogateescape, so bytes survive as is
    def b(x):
        return x.decode("utf-8", "surrogateescape")
    with tarfile.open(out, "w", format=tarfile.GNU_FORMAT,
                      encoding="utf-8", errors="surrogateescape") as t:
        add_file(t, b(b"latin1-\xe9t\xe9.txt"))
        add_file(t, b(b"bad-utf8-\xff\xfe\xc0\xaf.bin"))
        add_file(t, b(b"overlong-\xc0\x80-nul.txt"))
        add_file(t, b(b"surrogate-\xed\xa0\x80.txt"))
        add_file(t, "ctl-\x01\x02\x1b[31m\x7f-\t\r\n.txt")
        add_file(t, 'quote-"-backslash-\\-.txt')
        add_file(t, "</script><b>html</b>.txt")
        add_file(t, "long-" + "n" * 4000 + ".txt")          # under max-path
        add_file(t, "huge-" + "N" * 100000 + ".txt")        # 100 KB name
        add_file(t, "/".join(["c" * 250] * 60) + "/deep-long.txt")  # 15 KB path
        add_file(t, b(b"mixed-" + b"\xff" * 5000 + b".txt"))


def traversal_tar(out):
    def b(x):
        return x.decode("utf-8", "surrogateescape")
    with tarfile.open(out, "w", format=tarfile.GNU_FORMAT,
                      encoding="utf-8", errors="surrogateescape") as t:
        add_file(t, b(b"../../escape-\xff\xfe"), b"nonutf8\n")
        add_file(t, b(b"../../\xc0\xae\xc0\xae/escape-overlong"), b"overlong\n")
        add_file(t, "../../" + "L" * 255 + "/escape-long", b"long\n")
        add_file(t, "../../" + "/".join(["m" * 200] * 30) + "/escape-verylong", b"verylong\n")
        add_file(t, "../" * 300 + "escape-many-dotdots", b"manydots\n")
        add_file(t, "a/" + "../" * 50 + "escape-updown", b"updown\n")
        add_file(t, "./.././../escape-dot", b"dot\n")


def links_tar(out):
    with tarfile.open(out, "w", format=tarfile.GNU_FORMAT) as t:
        def link(name, target):
            ti = tarfile.TarInfo(name)
            ti.type = tarfile.SYMTYPE
            ti.linkname = target
            t.addfile(ti)
        link("loop-a", "loop-b")
        link("loop-b", "loop-a")
        link("self", "self")
        link("dot", ".")
        link("up", "..")
        link("dir/parent", "..")
        for i in range(200):
            link("chain%03d" % i, "chain%03d" % (i + 1))
        add_file(t, "chain200", b"end of chain\n")
        ti = tarfile.TarInfo("hard-loop")
        ti.type = tarfile.LNKTYPE
        ti.linkname = "hard-loop"
        t.addfile(ti)
        add_file(t, "dot/dot/dot/through-dot.txt", b"through\n")
        add_file(t, "loop-a/through-loop.txt", b"loop\n")


def jcrc(b):
    """Linux crc32_le seeded with 0, as JFFS2 and UBI use it."""
    return (~zlib.crc32(b, 0xFFFFFFFF)) & 0xFFFFFFFF


def jffs2_node(ntype, body):
    totlen = 12 + len(body)
    h = struct.pack("<HHI", 0x1985, ntype, totlen)
    node = h + struct.pack("<I", jcrc(h)) + body
    return node + b"\xff" * ((4 - len(node) % 4) % 4)


def jffs2_dirent(pino, ino, name, version=1):
    fixed = struct.pack("<IIIIBBH", pino, version, ino, 0, len(name), 8, 0)
    h = struct.pack("<HHI", 0x1985, 0xE001, 40 + len(name))
    pre = h + struct.pack("<I", jcrc(h)) + fixed
    return jffs2_node(0xE001, fixed + struct.pack("<II", jcrc(pre), jcrc(name)) + name)


def jffs2_inode(ino, version, isize, offset, dsize, compr, data=b""):
    fixed = struct.pack("<IIIHHIIIIIIIBBH", ino, version, 0o100644, 0, 0, isize, 0, 0, 0,
                        offset, len(data), dsize, compr, 0, 0)
    h = struct.pack("<HHI", 0x1985, 0xE002, 68 + len(data))
    pre = h + struct.pack("<I", jcrc(h)) + fixed
    return jffs2_node(0xE002, fixed + struct.pack("<II", jcrc(data) if data else 0,
                                                  jcrc(pre)) + data)


def jffs2_huge(out):
    img = jffs2_dirent(1, 2, b"far") + jffs2_dirent(1, 3, b"chain", 2)
    img += jffs2_inode(2, 1, 0xFFFFFFFF, 0, 4096, 1)
    img += jffs2_inode(2, 2, 0xFFFFFFFF, 0xFFFFE000, 4096, 1)
    for i in range(3000):
        img += jffs2_inode(3, i + 1, 0xFFFFFFFF, i << 20, 1 << 20, 1)
    img += jffs2_dirent(1, 4, b"after", 3) + jffs2_inode(4, 1, 6, 0, 6, 0, b"after\n")
    with open(out, "wb") as f:
        f.write(img)


def romfs_overlap(out, files, filler_kib):
    """romfs whose file headers sit 32 bytes apart, each file's data running
    to the image's end: every file's data holds the headers after it, and
    together they hand out the image's bytes FILES times over (zero-copy)."""
    hdr0 = 32
    size = hdr0 + files * 32 + (filler_kib << 10)
    img = bytearray(size)
    img[0:8] = b"-rom1fs-"
    struct.pack_into(">I", img, 8, size)
    img[16:19] = b"ov\0"
    for i in range(files):
        h = hdr0 + 32 * i
        nxt = (h + 32) if i + 1 < files else 0
        struct.pack_into(">III", img, h, nxt | 2 if nxt else 2, 0, size - (h + 32))
        name = b"f%05d" % i
        img[h + 16:h + 16 + len(name)] = name
        words = struct.unpack_from(">8I", img, h)
        struct.pack_into(">I", img, h + 12, (-sum(words)) & 0xFFFFFFFF)
    words = struct.unpack_from(">128I", img, 0)
    struct.pack_into(">I", img, 12, (-sum(words)) & 0xFFFFFFFF)
    with open(out, "wb") as f:
        f.write(img)


def ubi_huge_leb(out, inp, reserve=None):
    b = bytearray(open(inp, "rb").read())
    vid_off, data_off = struct.unpack_from(">II", b, 16)
    peb = 4096
    while peb <= len(b) and b[peb:peb + 4] != b"UBI#":
        peb *= 2
    n = 0
    for base in range(0, len(b), peb):
        v = base + vid_off
        if b[v:v + 4] != b"UBI!":
            continue
        vol, lnum = struct.unpack_from(">II", b, v + 8)
        if vol == 0x7FFFEFFF:
            if reserve == "reserve-all":
                # volume 0's record in this copy of the table claims 2^32 - 1 blocks
                r = base + data_off
                struct.pack_into(">I", b, r, 0xFFFFFFFF)
                struct.pack_into(">I", b, r + 168, (~zlib.crc32(bytes(b[r:r + 168]))) & 0xFFFFFFFF)
            continue
        struct.pack_into(">I", b, v + 12, 0xFFFFFFFE - n)
        struct.pack_into(">I", b, v + 60, (~zlib.crc32(bytes(b[v:v + 60]))) & 0xFFFFFFFF)
        n += 1
    assert n, "no data volume LEB found"
    with open(out, "wb") as f:
        f.write(b)


def main():
    kind, out = sys.argv[1], sys.argv[2]
    args = sys.argv[3:] if kind == "ubi-huge-leb" else [int(a) for a in sys.argv[3:]]
    fn = {"zip42": zip42, "overlap": overlap, "overlap2": overlap2,
          "liar-tar": liar_tar, "liar-cpio": liar_cpio, "liar-zip": liar_zip,
          "tiny-tar": tiny_tar, "deep-tar": deep_tar, "names-tar": names_tar,
          "traversal-tar": traversal_tar, "links-tar": links_tar,
          "jffs2-huge": jffs2_huge, "ubi-huge-leb": ubi_huge_leb,
          "romfs-overlap": romfs_overlap}[kind]
    fn(out, *args)


if __name__ == "__main__":
    main()
