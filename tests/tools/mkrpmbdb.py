#!/usr/bin/env python3
"""mkrpmbdb.py - rpm's BerkeleyDB hash database (/var/lib/rpm/Packages) for the tests of
src/analyze/rpmbdb.c, written from the format (BerkeleyDB's db_page.h), no library.

  mkrpmbdb.py OUT [--psize N] [--big] [--damage KIND] [--dump FILE]
  mkrpmbdb.py OUT --ndb [--damage truncate|magic|pastend] [--long]   rpm 4.16's NDB Packages.db
  mkrpmbdb.py OUT --many N   N small packages p1..pN on as many hash pages as they need

The packages are those of tests/e2e/components_meta.sh's rpmdb.sqlite (openssl-libs with an
epoch, bash) plus a small one (zlib) whose header fits on the hash page; the others carry a
long DESCRIPTION so that they need overflow chains of several pages. Key 0 holds rpm's
4-byte instance counter, as rpm writes it. Layout: page 0 the hash metadata, page 1 the only
bucket's hash page, then the overflow pages. --big writes the big-endian byte order.
--damage: truncate (the file ends inside an overflow chain), loop (a chain's second page points
back to its first), pastend (a chain points past the last page), magic (a wrong magic).
--long (NDB): a fourth package whose name is longer than PST_CAP_PKG_FIELD (201 bytes).
--dump FILE writes the key/data pairs in db_dump's format, for db_load -t hash.
Deterministic: the same arguments give the same bytes.
"""
import struct
import sys


def header(tags):
    idx, data = b"", b""
    for tag, typ, val in tags:
        if typ == 6:
            off = len(data)
            data += val.encode() + b"\0"
        else:
            data += b"\0" * (-len(data) % 4)
            off = len(data)
            data += struct.pack(">i", val)
        idx += struct.pack(">IIII", tag, typ, off, 1)
    return struct.pack(">II", len(tags), len(data)) + idx + data


def packages():
    desc = "".join(f"line {i} of a long description. " for i in range(400))
    return [
        header([(1000, 6, "openssl-libs"), (1001, 6, "3.0.7"), (1002, 6, "27.el9"),
                (1003, 4, 1), (1022, 6, "x86_64"), (1005, 6, desc)]),
        header([(1000, 6, "bash"), (1001, 6, "5.1.8"), (1002, 6, "9.el9"),
                (1022, 6, "x86_64"), (1005, 6, desc[:9000])]),
        header([(1000, 6, "zlib"), (1001, 6, "1.2.11"), (1002, 6, "31.el9"),
                (1022, 6, "x86_64")]),
    ]


def records(big):
    e = ">" if big else "<"
    recs = [(struct.pack(e + "I", 0), struct.pack(e + "I", 3))]
    for i, h in enumerate(packages(), 1):
        recs.append((struct.pack(e + "I", i), h))
    return recs


def page_header(e, pgno, nxt, entries, hf, typ):
    return struct.pack(e + "QIIIHHBB", 0, pgno, 0, nxt, entries, hf, 0, typ)


def build_many(psize, big, n):
    """n small packages p1..pN, each on a hash page, as many pages as they need (the
    buckets are not BerkeleyDB's: this is for the reader's package cap, which walks pages)."""
    e = ">" if big else "<"
    pages, items = [], []
    recs = [(struct.pack(e + "I", i), header([(1000, 6, f"p{i}"), (1001, 6, f"1.{i}")]))
            for i in range(1, n + 1)]

    def flush():
        offs, end, body = [], psize, bytearray(psize)
        for it in items:
            end -= len(it)
            body[end:end + len(it)] = it
            offs.append(end)
        body[0:26] = page_header(e, len(pages) + 1, 0, len(items), end, 13)
        body[26:26 + 2 * len(offs)] = b"".join(struct.pack(e + "H", o) for o in offs)
        pages.append(bytes(body))
        items.clear()
    for key, data in recs:
        pair = [b"\x01" + key, b"\x01" + data]
        if 26 + 2 * (len(items) + 2) + sum(map(len, items + pair)) > psize:
            flush()
        items.extend(pair)
    flush()
    meta = struct.pack(e + "QIIIIBBBBI", 0, 0, 0x061561, 9, psize, 0, 8, 0, 0, 0)
    meta += struct.pack(e + "I", len(pages))
    meta += b"\0" * (psize - len(meta))
    return meta + b"".join(pages)


def build_ndb(damage, long=False):
    """rpm's NDB Packages.db (rpm's lib/backend/ndb/rpmpkg.c): one 4096-byte slot page, the
    blobs after it in 16-byte blocks with head, padding and tail (the tail's adler32 is
    not checked by the reader and written as 0). --damage: truncate (the file ends inside
    the last blob), magic (a wrong file magic), pastend (a slot's blob past the file)."""
    slots, blobs = [], b""
    pkgs = packages()
    if long:
        pkgs.append(header([(1000, 6, "x" * 201), (1001, 6, "1.0"), (1002, 6, "1")]))
    for idx, h in enumerate(pkgs, 1):
        blkoff = (4096 + len(blobs)) // 16
        blob = struct.pack("<4sIII", b"BlbS", idx, 0, len(h)) + h
        blob += b"\0" * (-(len(blob) + 12) % 16) + struct.pack("<II4s", 0, len(h), b"BlbE")
        if damage == "pastend" and idx == 1:
            blkoff += 1 << 20
        slots.append(struct.pack("<4sIII", b"Slot", idx, blkoff, len(blob) // 16))
        blobs += blob
    magic = b"RpmP" if damage != "magic" else b"RpmX"
    page = struct.pack("<4sIIII", magic, 0, 1, 1, 4) + b"\0" * 12 + b"".join(slots)
    free = struct.pack("<4sIII", b"Slot", 0, 0, 0)
    page += free * ((4096 - len(page)) // 16)
    out = page + blobs
    return out[:-100] if damage == "truncate" else out


def build(psize, big, damage):
    e = ">" if big else "<"
    recs = records(big)
    over = []           # overflow pages' bytes
    items = []
    first_over = 2
    for key, data in recs:
        items.append(b"\x01" + key)
        if len(data) + 1 <= psize // 4:
            items.append(b"\x01" + data)
            continue
        chunk = psize - 26
        parts = [data[i:i + chunk] for i in range(0, len(data), chunk)]
        start = first_over + len(over)
        for j, part in enumerate(parts):
            pg = start + j
            nxt = pg + 1 if j + 1 < len(parts) else 0
            if damage == "loop" and j == 1 and len(over) == 1:
                nxt = start
            if damage == "pastend" and j == 0 and len(over) == 0:
                nxt = 10000
            body = page_header(e, pg, nxt, 1, len(part), 7) + part
            over.append(body + b"\0" * (psize - len(body)))
        items.append(struct.pack(e + "B3xII", 3, start, len(data)))
    npages = 2 + len(over)
    # the hash page: offsets after the header, items from the page's end down
    offs, end, body = [], psize, bytearray(psize)
    for it in items:
        end -= len(it)
        body[end:end + len(it)] = it
        offs.append(end)
    hdr = page_header(e, 1, 0, len(items), end, 13)
    body[0:26] = hdr
    body[26:26 + 2 * len(offs)] = b"".join(struct.pack(e + "H", o) for o in offs)
    hashpage = bytes(body)
    magic = 0x061561 if damage != "magic" else 0x053162
    meta = struct.pack(e + "QIIIIBBBBIIIIII", 0, 0, magic, 9, psize, 0, 8, 0, 0, 0,
                       npages - 1, 0, len(recs), len(recs), 0)
    meta += b"\0" * 20                                  # uid
    meta += struct.pack(e + "IIIIII", 0, 1, 0, 0, len(recs), 0)  # buckets, masks, ffactor...
    meta += struct.pack(e + "I", 1) + b"\0" * (4 * 31)  # spares[0]: bucket 0 is page 1
    meta += b"\0" * (psize - len(meta))
    out = meta + hashpage + b"".join(over)
    if damage == "truncate":
        out = out[:psize * 3 + 100]
    return out, recs


def main():
    args = sys.argv[1:]
    if not args:
        sys.exit(__doc__)
    out, psize, big, damage, dump, many = args[0], 4096, False, None, None, 0
    ndb = long = False
    i = 1
    while i < len(args):
        if args[i] == "--psize":
            psize = int(args[i + 1]); i += 2
        elif args[i] == "--big":
            big = True; i += 1
        elif args[i] == "--damage":
            damage = args[i + 1]; i += 2
        elif args[i] == "--ndb":
            ndb = True; i += 1
        elif args[i] == "--long":
            long = True; i += 1
        elif args[i] == "--many":
            many = int(args[i + 1]); i += 2
        elif args[i] == "--dump":
            dump = args[i + 1]; i += 2
        else:
            sys.exit(__doc__)
    if ndb:
        with open(out, "wb") as f:
            f.write(build_ndb(damage, long))
        return
    if many:
        with open(out, "wb") as f:
            f.write(build_many(psize, big, many))
        return
    data, recs = build(psize, big, damage)
    with open(out, "wb") as f:
        f.write(data)
    if dump:
        with open(dump, "w") as f:
            f.write("VERSION=3\nformat=bytevalue\ntype=hash\n"
                    f"db_pagesize={psize}\nHEADER=END\n")
            for k, v in recs:
                f.write(" " + k.hex() + "\n " + v.hex() + "\n")
            f.write("DATA=END\n")


if __name__ == "__main__":
    main()
