#!/usr/bin/env python3
"""mkzhide.py DIR - zips with local entries their central directory does not list
("zip smuggling"), for test_archive's test_zip_hidden_*. Each is an ordinary zip written
by zipfile, with bytes inserted where no listed member lies and the central directory's
offset moved past them (the members' own offsets are unchanged):

  hidden.zip   a deflated etc/init.d/S99backdoor between the members and the directory
  stored.zip   the same entry stored
  front.zip    a stored entry before the first member (a streaming extractor's first)
  trunc.zip    a local header cut 10 bytes short at the directory
  junk.zip     200 bytes that are no header (and 64 zero bytes, padding)
  desc.zip     members with data descriptors (written to a stream), nothing inserted
  sfx.zip      desc.zip's members behind a 300-byte stub (offsets from the stub's end)
  sfxa.zip     the same, offsets from the stub's start (zip -A)
  plain.zip    two deflated members, nothing inserted
  many.zip     70 deflated entries h/0..h/69 (SECRET and the number) at the directory
  hidden64.zip hidden.zip with a zip64 end of central directory record
  plain64.zip  plain.zip with a zip64 end of central directory record
  desc64.zip   desc.zip's members with zip64 data descriptors (8-byte sizes)
and backdoor.txt, the hidden entry's content.
"""
import io
import os
import struct
import sys
import zlib
import zipfile

STUB = b"MZ" + bytes(range(1, 256)) + b"\x90" * 43
SECRET = b"#!/bin/sh\ntelnetd -l /bin/sh -p 2323 &\n" + b"# padding line\n" * 40


class Stream:
    """An output zipfile cannot seek in: it writes data descriptors."""

    def __init__(self):
        self.b = bytearray()

    def write(self, data):
        self.b += data
        return len(data)

    def flush(self):
        pass


def plain(stream=False):
    buf = Stream() if stream else io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in (("a.txt", b"alpha\n" * 300), ("b.txt", b"beta\n" * 200)):
            if stream:
                with z.open(name, "w") as f:
                    f.write(data)
            else:
                z.writestr(name, data)
    return bytes(buf.b) if stream else buf.getvalue()


def local(name, data, method):
    if method == 8:
        c = zlib.compressobj(9, zlib.DEFLATED, -15)
        body = c.compress(data) + c.flush()
    else:
        body = data
    return struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, method, 0, 0, zlib.crc32(data),
                       len(body), len(data), len(name), 0) + name + body


def cd_offset(z):
    return struct.unpack("<I", z[-6:-2])[0]


def insert(z, at, extra, shift_members=False):
    """z with extra inserted at at; the directory's offset (and, for an insertion before
    the members, every member's offset) moved past it."""
    cd = cd_offset(z)
    out = bytearray(z[:at] + extra + z[at:])
    cd2 = cd + len(extra)
    struct.pack_into("<I", out, len(out) - 6, cd2)
    if shift_members:
        p = cd2
        while out[p:p + 4] == b"PK\x01\x02":
            lho = struct.unpack_from("<I", out, p + 42)[0]
            struct.pack_into("<I", out, p + 42, lho + len(extra))
            n, x, c = struct.unpack_from("<HHH", out, p + 28)
            p += 46 + n + x + c
    return bytes(out)


def zip64_end(z):
    """z with its end record saturated and a zip64 end record and locator before it."""
    pos = len(z) - 22
    _, _, _, _, n, cdsize, cdoff, _ = struct.unpack("<IHHHHIIH", z[pos:])
    rec = struct.pack("<IQHHIIQQQQ", 0x06064B50, 44, 45, 45, 0, 0, n, n, cdsize, cdoff)
    loc = struct.pack("<IIQI", 0x07064B50, 0, pos, 1)
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, 0xFFFF, 0xFFFF, 0xFFFFFFFF, 0xFFFFFFFF, 0)
    return z[:pos] + rec + loc + end


def zip64_stream():
    buf = Stream()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in (("a.txt", b"alpha\n" * 300), ("b.txt", b"beta\n" * 200)):
            with z.open(name, "w", force_zip64=True) as f:
                f.write(data)
    return bytes(buf.b)


def main():
    d = sys.argv[1]
    os.makedirs(d, exist_ok=True)
    z = plain()
    cd = cd_offset(z)
    name = b"etc/init.d/S99backdoor"
    files = {
        "plain.zip": z,
        "hidden.zip": insert(z, cd, local(name, SECRET, 8)),
        "stored.zip": insert(z, cd, local(name, SECRET, 0)),
        "front.zip": insert(z, 0, local(name, SECRET, 0), shift_members=True),
        "trunc.zip": insert(z, cd, local(name, SECRET, 0)[:20]),
        "junk.zip": insert(z, cd, bytes(64) + bytes((i * 7 + 1) % 255 + 1 for i in range(200))),
        "desc.zip": plain(stream=True),
        "sfx.zip": STUB + plain(stream=True),
        "sfxa.zip": insert(plain(stream=True), 0, STUB, shift_members=True),
        "many.zip": insert(z, cd, b"".join(local(b"h/%d" % i, SECRET + b"%d" % i, 8)
                                           for i in range(70))),
        "hidden64.zip": zip64_end(insert(z, cd, local(name, SECRET, 8))),
        "plain64.zip": zip64_end(z),
        "desc64.zip": zip64_stream(),
        "backdoor.txt": SECRET,
    }
    for fname, data in files.items():
        with open(os.path.join(d, fname), "wb") as f:
            f.write(data)


main()
