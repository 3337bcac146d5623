#!/usr/bin/env python3
"""Generates a ClamAV database directory of N signatures (100,000) in the
proportions of a lab's own set: MD5 hash signatures (.hdb) 45%, SHA-256
(.hsb) 25%, body signatures (.ndb: 12-40 bytes, some with ?? wildcards and
{n-m} jumps, most for any file, some for ELF) 29%, logical signatures (.ldb,
two or three subsignatures) 1%. Seeded; nothing should match a router image.
usage: gen_clamav_db.py OUTDIR [N]"""
import os
import random
import sys

out = sys.argv[1]
n = int(sys.argv[2]) if len(sys.argv) > 2 else 100000
rnd = random.Random(20261206)
os.makedirs(out, exist_ok=True)
nh, ns, nb = int(n * 0.45), int(n * 0.25), int(n * 0.29)
nl = n - nh - ns - nb


def body():
    parts = ["%02x" % rnd.getrandbits(8) for _ in range(rnd.randint(12, 40))]
    for i in range(4, len(parts) - 4):
        if rnd.random() < 0.05:
            parts[i] = "??"
    s = "".join(parts)
    if rnd.random() < 0.2:
        cut = len(s) // 2 & ~1
        s = s[:cut] + "{%d-%d}" % (rnd.randint(0, 4), rnd.randint(5, 32)) + s[cut:]
    return s


with open(os.path.join(out, "bench.hdb"), "w") as f:
    for i in range(nh):
        f.write("%032x:%d:Bench.Hash.Md5-%d\n" % (rnd.getrandbits(128), rnd.randint(1024, 4 << 20), i))
with open(os.path.join(out, "bench.hsb"), "w") as f:
    for i in range(ns):
        f.write("%064x:%d:Bench.Hash.Sha256-%d\n" % (rnd.getrandbits(256), rnd.randint(1024, 4 << 20), i))
with open(os.path.join(out, "bench.ndb"), "w") as f:
    for i in range(nb):
        f.write("Bench.Body-%d:%d:*:%s\n" % (i, 6 if rnd.random() < 0.25 else 0, body()))
with open(os.path.join(out, "bench.ldb"), "w") as f:
    for i in range(nl):
        subs = ["%x" % rnd.getrandbits(96) for _ in range(rnd.randint(2, 3))]
        subs = [s if len(s) % 2 == 0 else "0" + s for s in subs]
        logic = "&".join(str(k) for k in range(len(subs)))
        f.write("Bench.Logical-%d;Engine:51-255,Target:0;%s;%s\n" % (i, logic, ";".join(subs)))
print("%d signatures: %d md5, %d sha256, %d body, %d logical" % (n, nh, ns, nb, nl))
