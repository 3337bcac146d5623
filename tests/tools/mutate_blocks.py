#!/usr/bin/env python3
"""mutate_blocks.py - block-level mutations of a (large) file for mutation
testing on real firmware images (tests/fuzz/mutate_real.sh). Deterministic:
the same input name, seed and index give the same mutations on any machine
and Python version (a splitmix64 generator, not the random module), and each
mutated copy is described by a recipe that regenerates it from the original.

usage: mutate_blocks.py gen IN OUT SEED INDEX   write one mutated copy, print its recipe
       mutate_blocks.py apply IN OUT RECIPE     regenerate a copy from a recipe
       mutate_blocks.py selftest                check the above on a made-up image (ctest)

A recipe is ';'-separated operations applied in order (offsets in the file as
the previous operations left it; all values decimal):
  flip:OFF:BIT          flip one bit of byte OFF
  fill:OFF:LEN:BYTE     overwrite LEN bytes with BYTE (0 or 255: erased flash)
  dup:OFF:LEN:DST       insert a copy of [OFF, OFF+LEN) at DST (the file grows)
  move:OFF:LEN:DST      cut [OFF, OFF+LEN) out and insert it at DST of the rest
  trunc:LEN             keep the first LEN bytes
Half of the operations land near a container magic (uImage, squashfs, gzip,
LZMA, TRX, ...): mutations in the middle of a compressed stream mostly test
the decompressor, those near headers test postern's own parsers.
"""
import hashlib
import sys

MASK = (1 << 64) - 1
MAGICS = (b"\x27\x05\x19\x56", b"hsqs", b"sqsh", b"\x1f\x8b\x08", b"\x5d\x00\x00",
          b"\xfd7zXZ", b"HDR0", b"UBI#", b"\x85\x19", b"\x19\x85", b"\xd0\x0d\xfe\xed",
          b"\x7fELF", b"-rom1fs-", b"\x45\x3d\xcd\x28")


class Rng:
    """splitmix64: tiny, fixed forever, so recipes stay reproducible."""

    def __init__(self, key):
        self.s = int.from_bytes(hashlib.sha256(key.encode()).digest()[:8], "little")

    def next(self):
        self.s = (self.s + 0x9E3779B97F4A7C15) & MASK
        z = self.s
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
        return z ^ (z >> 31)

    def below(self, n):
        return self.next() % n if n > 0 else 0


def magic_offsets(data):
    offs = []
    for m in MAGICS:
        i = data.find(m)
        while i >= 0 and len(offs) < 4096:
            offs.append(i)
            i = data.find(m, i + 1)
    return sorted(offs)


def pick_offset(rng, size, near):
    if near and rng.below(2) == 0:
        return min(size - 1, near[rng.below(len(near))] + rng.below(512))
    return rng.below(size)


def block_len(rng):
    return 1 << rng.below(17)  # 1 B .. 64 KiB


def one_op(rng, size, near):
    kind = rng.below(10)
    off = pick_offset(rng, size, near)
    n = min(block_len(rng), size - off)
    if kind < 4:
        return "flip:%d:%d" % (off, rng.below(8))
    if kind < 6:
        return "fill:%d:%d:%d" % (off, n, 255 if rng.below(3) == 0 else 0)
    if kind < 7:
        return "dup:%d:%d:%d" % (off, n, rng.below(size + 1))
    if kind < 9:
        return "move:%d:%d:%d" % (off, n, rng.below(size - n + 1))
    return "trunc:%d" % off


def gen(data, name, seed, index):
    rng = Rng("%s:%s:%d" % (seed, name, index))
    near = magic_offsets(data)
    ops, buf = [], data
    for _ in range(1 + rng.below(3)):
        if len(buf) < 2:
            break
        op = one_op(rng, len(buf), near)
        buf = apply_op(buf, op)
        ops.append(op)
    return buf, ";".join(ops)


def apply_op(buf, op):
    f = op.split(":")
    v = [int(x) for x in f[1:]]
    if f[0] == "flip" and v[0] < len(buf):
        b = bytearray(buf)
        b[v[0]] ^= 1 << v[1]
        return bytes(b)
    if f[0] == "fill":
        off, n = v[0], min(v[1], max(0, len(buf) - v[0]))
        return buf[:off] + bytes([v[2]]) * n + buf[off + n:]
    if f[0] == "dup":
        blk = buf[v[0]:v[0] + v[1]]
        return buf[:v[2]] + blk + buf[v[2]:]
    if f[0] == "move":
        blk = buf[v[0]:v[0] + v[1]]
        rest = buf[:v[0]] + buf[v[0] + v[1]:]
        return rest[:v[2]] + blk + rest[v[2]:]
    if f[0] == "trunc":
        return buf[:v[0]]
    raise SystemExit("mutate_blocks: bad operation %r" % op)


def selftest():
    """Each recipe regenerates its copy byte for byte, the same index gives
    the same copy, every kind of operation occurs, and each operation does
    what its name says."""
    img = bytearray(hashlib.sha256(b"x").digest() * 8192)  # 256 KiB
    for off in (0, 4096, 70000, 200000):
        img[off:off + 4] = b"hsqs"
    img = bytes(img)
    kinds = set()
    for i in range(300):
        out, recipe = gen(img, "selftest.bin", "1", i)
        assert gen(img, "selftest.bin", "1", i) == (out, recipe), "not deterministic"
        again = img
        for op in recipe.split(";"):
            again = apply_op(again, op)
            kinds.add(op.split(":")[0])
        assert again == out, "recipe %r does not regenerate its copy" % recipe
    assert kinds == {"flip", "fill", "dup", "move", "trunc"}, kinds
    assert apply_op(b"\x00\x01", "flip:1:1") == b"\x00\x03"
    assert apply_op(b"abcdef", "fill:1:2:255") == b"a\xff\xffdef"
    assert apply_op(b"abcdef", "dup:0:2:3") == b"abcabdef"
    assert apply_op(b"abcdef", "move:0:2:1") == b"cabdef"
    assert apply_op(b"abcdef", "trunc:3") == b"abc"
    print("mutate_blocks: selftest ok (300 recipes, %s)" % ", ".join(sorted(kinds)))
    return 0


def main(argv):
    if len(argv) == 2 and argv[1] == "selftest":
        return selftest()
    if len(argv) == 6 and argv[1] == "gen":
        data = open(argv[2], "rb").read()
        name = argv[2].rsplit("/", 1)[-1]
        out, recipe = gen(data, name, argv[4], int(argv[5]))
        print(recipe)
    elif len(argv) == 5 and argv[1] == "apply":
        out = open(argv[2], "rb").read()
        for op in argv[4].split(";"):
            if op:
                out = apply_op(out, op)
    else:
        sys.stderr.write(__doc__)
        return 64
    with open(argv[3], "wb") as f:
        f.write(out)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
