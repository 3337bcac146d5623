#!/usr/bin/env python3
"""plant_strings.py - writes strings into a copy of an ELF program's .rodata,
over a message of its own that is long enough, to give a stock program the
strings a vendor's build of it carries (TP-Link's dhcp6c names /bin/sh for
its hook script; a router's web server runs wget and chmod for its firmware
upgrade). Only string bytes change; code and tables stay as built.

Usage: plant_strings.py IN OUT STRING...
Exit status 1 when no string of .rodata is long enough.
"""
import re
import subprocess
import sys


def rodata(path):
    """File offset and size of .rodata, from readelf."""
    out = subprocess.run(["readelf", "-W", "-S", path], capture_output=True, text=True,
                         check=True).stdout
    for line in out.splitlines():
        f = line.replace("[ ", "[").split()
        if len(f) > 5 and f[1] == ".rodata":
            return int(f[4], 16), int(f[5], 16)
    raise SystemExit("no .rodata in " + path)


def main():
    src, dst, plant = sys.argv[1], sys.argv[2], sys.argv[3:]
    data = bytearray(open(src, "rb").read())
    off, size = rodata(src)
    blob = b"".join(s.encode() + b"\0" for s in plant)
    # a printable NUL-terminated message at least as long as what is planted
    for m in re.finditer(rb"[ -~]{%d,}\0" % len(blob), bytes(data[off:off + size])):
        at = off + m.start()
        length = m.end() - m.start()
        data[at:at + length] = blob + b"\0" * (length - len(blob))
        open(dst, "wb").write(data)
        return 0
    return 1


if __name__ == "__main__":
    sys.exit(main())
