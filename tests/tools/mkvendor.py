#!/usr/bin/env python3
"""mkvendor.py - writes vendor firmware containers for postern's tests, from
the formats' public descriptions (OpenWrt firmware-utils, Broadcom trxhdr.h,
the Realtek SDK's cvimg, D-Link's seama.h). Test fixtures only.

usage: mkvendor.py FORMAT OUT PART [PART...]
  trx      OUT part...           TRX v1 (up to 3 parts) / v2 with -v2 (4 parts)
  tplink   OUT kernel [rootfs]   TP-Link v1 header, MD5 with the "normal" salt
  tplink2  OUT kernel [rootfs]   TP-Link v2 header (version 3)
  chk      OUT kernel [rootfs]   Netgear .chk, board id U12H139T00_NETGEAR
  seama    OUT image             D-Link SEAMA with MD5 and metadata
  seama-seal OUT image           the same inside an oseama seal header
  seama-le, seama-seal-le        the same with the header little-endian
  realtek  OUT payload [SIG]     Realtek header (default cr6b) with its checksum
  arcadyan OUT lzma-file         Arcadyan obfuscation of an LZMA-alone stream
  shrs     OUT payload           a D-Link SHRS-style header over PAYLOAD (tests
                                 pass random bytes: no real encryption is done)
  lzma-nosize OUT file [PROPS [DICT]]
                                 size-less LZMA as Broadcom-style loaders unpack
                                 it (DD-WRT's TRX kernels): properties byte
                                 (default 0x6e: lc2 lp2 pb2), 32-bit dictionary
                                 size (default 2 MiB), then raw LZMA1 with an
                                 end marker; no 8-byte size field
  lzma-alone OUT file [PROPS [DICT]]
                                 the same stream with lzma-alone's 8-byte size
                                 field (a public binwalk listing of DD-WRT v24's
                                 VINT_mini TRX shows its 0x6e kernel so)
"""
import hashlib
import lzma
import struct
import sys
import zlib

SALT_NORMAL = bytes([0xdc, 0xd7, 0x3a, 0xa5, 0xc3, 0x95, 0x98, 0xfb,
                     0xdd, 0xf9, 0xe7, 0xf4, 0x0e, 0xae, 0x47, 0x38])


def rd(p):
    with open(p, "rb") as f:
        return f.read()


def trx(parts, v2=False):
    n = 4 if v2 else 3
    hdr_len = 12 + 4 + 4 * n
    offs, body, pos = [], b"", hdr_len
    for p in parts:
        offs.append(pos)
        p = p + b"\0" * (-len(p) % 4)
        body += p
        pos += len(p)
    offs += [0] * (n - len(offs))
    total = hdr_len + len(body)
    rest = struct.pack("<HH", 0, 2 if v2 else 1) + struct.pack("<%dI" % n, *offs) + body
    crc = (~zlib.crc32(rest)) & 0xffffffff
    return b"HDR0" + struct.pack("<II", total, crc) + rest


def tplink(kernel, rootfs, v2=False):
    hdr = bytearray(512)
    if v2:
        struct.pack_into(">I", hdr, 0, 3)
        hdr[4:4 + 12] = b"ver. 2.0-tst"
        md5_off, fw_len_off = 0x40, 0x70
        hdr[0x8c:0x8e] = b"\x55\xaa"
    else:
        struct.pack_into(">I", hdr, 0, 1)
        hdr[4:4 + 20] = b"TP-LINK Technologies"
        hdr[28:28 + 8] = b"ver. 1.0"
        struct.pack_into(">III", hdr, 64, 0x07410001, 1, 0)
        md5_off, fw_len_off = 76, 124
    kofs = 512
    rofs = kofs + len(kernel)
    total = rofs + len(rootfs)
    struct.pack_into(">IIIIIII", hdr, fw_len_off - 8, 0x80060000, 0x80060000, total,
                     kofs, len(kernel), rofs if rootfs else 0, len(rootfs))
    img = bytearray(hdr + kernel + rootfs)
    img[md5_off:md5_off + 16] = SALT_NORMAL
    img[md5_off:md5_off + 16] = hashlib.md5(img).digest()
    return bytes(img)


def ngsum(data):
    c0 = c1 = 0
    for b in data:
        c0 = (c0 + b) & 0xffffffff
        c1 = (c1 + c0) & 0xffffffff
    b = (c0 & 65535) + ((c0 >> 16) & 65535)
    c0 = ((b >> 16) + b) & 65535
    b = (c1 & 65535) + ((c1 >> 16) & 65535)
    c1 = ((b >> 16) + b) & 65535
    return (c1 << 16) | c0


def chk(kernel, rootfs):
    board = b"U12H139T00_NETGEAR"
    hlen = 40 + len(board)
    hdr = bytearray(struct.pack(">II8sIIIIII", 0x2a23245e, hlen, b"\x01\x01\x00\x02\x00\x00\x00\x00",
                                ngsum(kernel), ngsum(rootfs), len(kernel), len(rootfs),
                                ngsum(kernel + rootfs), 0) + board)
    struct.pack_into(">I", hdr, 36, ngsum(bytes(hdr)))
    return bytes(hdr) + kernel + rootfs


def seama(image, e=">"):
    meta = b"dev=/dev/mtdblock/2\0type=firmware\0"
    meta += b"\0" * (-len(meta) % 4)
    return (struct.pack(e + "IHHI", 0x5EA3A417, 0, len(meta), len(image)) +
            hashlib.md5(image).digest() + meta + image)


def seama_seal(image, e=">"):
    entity = seama(image, e)
    meta = b"signature=wrgac01_dlob.hans_dir822\0"
    meta += b"\0" * (-len(meta) % 4)
    return struct.pack(e + "IHHI", 0x5EA3A417, 0, len(meta), len(entity)) + meta + entity


def realtek(payload, sig=b"cr6b"):
    if len(payload) % 2:
        payload += b"\0"
    s = sum(struct.unpack(">%dH" % (len(payload) // 2), payload)) & 0xffff
    body = payload + struct.pack(">H", (0x10000 - s) & 0xffff)
    return sig + struct.pack(">III", 0x80500000, 0x00030000, len(body)) + body


def arcadyan(lz):
    d = bytearray(b"\x30\x05\x11\x20" + lz)
    b1 = bytes(d[4:36])
    b2 = bytearray(32)
    for i in range(0, 32, 2):  # inverse of: out[i] = rot4(b2[i+1]); out[i+1] = rot4(b2[i])
        b2[i + 1] = ((b1[i] << 4) | (b1[i] >> 4)) & 0xff
        b2[i] = ((b1[i + 1] << 4) | (b1[i + 1] >> 4)) & 0xff
    d[4:36] = d[0x68:0x88]
    d[0x68:0x88] = b2
    return bytes(d)


def shrs(payload):
    payload += b"\0" * (-len(payload) % 16)
    hdr = b"SHRS" + struct.pack(">II", len(payload), len(payload) - 3) + bytes(16)
    hdr += hashlib.sha512(payload).digest() * 3
    hdr += b"\0" * (0x6dc - len(hdr))
    return hdr + payload


def lzma_nosize(data, props=0x6e, dict_size=2 << 20):
    lc, lp, pb = props % 9, props // 9 % 5, props // 45
    raw = lzma.compress(data, format=lzma.FORMAT_RAW, filters=[
        {"id": lzma.FILTER_LZMA1, "dict_size": dict_size, "lc": lc, "lp": lp, "pb": pb}])
    return struct.pack("<BI", props, dict_size) + raw


def lzma_alone(data, props=0x6e, dict_size=2 << 20):
    body = lzma_nosize(data, props, dict_size)
    return body[:5] + struct.pack("<Q", len(data)) + body[5:]


def main():
    fmt, out, parts = sys.argv[1], sys.argv[2], sys.argv[3:]
    if fmt in ("trx", "trx2"):
        data = trx([rd(p) for p in parts], fmt == "trx2")
    elif fmt in ("tplink", "tplink2"):
        data = tplink(rd(parts[0]), rd(parts[1]) if len(parts) > 1 else b"", fmt == "tplink2")
    elif fmt == "chk":
        data = chk(rd(parts[0]), rd(parts[1]) if len(parts) > 1 else b"")
    elif fmt in ("seama", "seama-le"):
        data = seama(rd(parts[0]), "<" if fmt.endswith("-le") else ">")
    elif fmt in ("seama-seal", "seama-seal-le"):
        data = seama_seal(rd(parts[0]), "<" if fmt.endswith("-le") else ">")
    elif fmt == "realtek":
        data = realtek(rd(parts[0]), parts[1].encode() if len(parts) > 1 else b"cr6b")
    elif fmt == "arcadyan":
        data = arcadyan(rd(parts[0]))
    elif fmt in ("lzma-nosize", "lzma-alone"):
        extra = [int(x, 0) for x in parts[1:3]]
        data = (lzma_nosize if fmt == "lzma-nosize" else lzma_alone)(rd(parts[0]), *extra)
    elif fmt == "shrs":
        data = shrs(rd(parts[0]))
    else:
        sys.exit("unknown format " + fmt)
    with open(out, "wb") as f:
        f.write(data)


if __name__ == "__main__":
    main()
