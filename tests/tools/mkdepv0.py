#!/usr/bin/env python3
"""mkdepv0.py OUT MODE - a cargo auditable .dep-v0 section's bytes (zlib of
the JSON dependency list) for tests/e2e/components_pkgdb.sh; MODE ok, trunc
(cut in half), garbage (a zlib header then noise), bomb (inflates past
PST_CAP_CARGO_DEP_BYTES), long (one more crate, its name past
PST_CAP_PKG_FIELD) or many (PST_CAP_CARGO_PACKAGES + 1 crates)."""
import json, zlib, sys
mode = sys.argv[2]
pk = {"packages": [
  {"name": "agent", "version": "0.3.1", "source": "local", "kind": "runtime", "dependencies": [1, 2], "root": True},
  {"name": "serde", "version": "1.0.193", "source": "crates.io", "kind": "runtime", "dependencies": []},
  {"name": "libc", "version": "0.2.150", "source": "crates.io", "kind": "build", "dependencies": []},
  {"name": "bad name", "version": "1", "source": "crates.io"}]}
if mode == 'long': pk["packages"].append({"name": "x" * 201, "version": "1.0.0"})
if mode == 'many':
    pk["packages"] = [{"name": "c%d" % i, "version": "1.0.%d" % i} for i in range(10001)]
z = zlib.compress(json.dumps(pk).encode(), 9)
if mode == 'trunc': z = z[:len(z) // 2]
if mode == 'garbage': z = b'\x78\x9c' + bytes(range(7, 200))
if mode == 'bomb': z = zlib.compress(b'{"packages":[' + b' ' * (9 << 20) + b']}', 9)
open(sys.argv[1], 'wb').write(z)
