#!/usr/bin/env python3
"""tlog_make.py - makes a transparency log's signed tree heads and proofs, as
the service will serve them (docs/transparency.md), for tests/e2e/tlog.sh: a
second implementation of the format (Merkle hashing from tlog_vectors.py,
Ed25519 through python3-cryptography, the JSON written here), so the CLI's
checks are tested against what the document says, not against themselves.

  tlog_make.py sth --key KEY --size N [--timestamp MS] ENTRY...
  tlog_make.py inclusion --key KEY --index I --size N ENTRY...
  tlog_make.py consistency --first M --second N ENTRY...

ENTRY: files, the log's entries in order (each file's bytes are one entry).
KEY: a postern keygen secret key file. Prints the JSON on stdout.
"""
import argparse
import base64
import hashlib
import json
import os
import struct
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tlog_vectors import mth, path, subproof  # noqa: E402

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey  # noqa: E402
from cryptography.hazmat.primitives import serialization  # noqa: E402

CONTEXT = b"postern tlog sth v1\n"


def read_secret(path):
    """A postern keygen secret key: header line, base64 of libsodium's
    64-byte secret key (the 32-byte seed, then the public key)."""
    lines = open(path).read().split("\n")
    if lines[0] != "postern ed25519 secret key v1":
        sys.exit("tlog_make.py: %s is not a postern secret key" % path)
    return Ed25519PrivateKey.from_private_bytes(base64.b64decode(lines[1])[:32])


def sth(key, size, root, timestamp):
    pub = key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    msg = CONTEXT + struct.pack(">QQ", timestamp, size) + root
    return {"tree_size": size, "timestamp": timestamp, "root_hash": root.hex(),
            "key_id": hashlib.sha256(pub).digest()[:16].hex(),
            "signature": base64.b64encode(key.sign(msg)).decode()}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("what", choices=["sth", "inclusion", "consistency"])
    ap.add_argument("--key")
    ap.add_argument("--size", type=int)
    ap.add_argument("--index", type=int)
    ap.add_argument("--first", type=int)
    ap.add_argument("--second", type=int)
    ap.add_argument("--timestamp", type=int, default=1765000000000)
    ap.add_argument("entries", nargs="+")
    a = ap.parse_args()
    d = [open(p, "rb").read() for p in a.entries]
    if a.what == "sth":
        out = sth(read_secret(a.key), a.size, mth(d[:a.size]), a.timestamp)
    elif a.what == "inclusion":
        out = {"sth": sth(read_secret(a.key), a.size, mth(d[:a.size]), a.timestamp),
               "leaf_index": a.index, "tree_size": a.size,
               "leaf_hash": hashlib.sha256(b"\x00" + d[a.index]).hexdigest(),
               "hashes": [h.hex() for h in path(a.index, d[:a.size])]}
    else:
        out = {"first": a.first, "second": a.second,
               "hashes": [h.hex() for h in subproof(a.first, d[:a.second], True)]}
    print(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
