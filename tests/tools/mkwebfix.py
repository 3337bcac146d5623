#!/usr/bin/python3
"""Makes the small images the web interface's tests upload (tests/e2e/web.sh,
web_browser.py): two versions of a tiny root filesystem as .tgz.

  clean.tgz    an inittab that starts the usual rcS, a passwd, a web page
  planted.tgz  the same plus a root shell on telnet without a password in the
               inittab (service.unauthenticated-shell: fail), and a file
               whose path reads <script>alert(1)</script> (a directory
               '<script>alert(1)<' holding 'script>'): its name must show
               as text, never run, and etc/hexview.bin, 1200 bytes of a
               known pattern (HEXVIEW_BLOCK repeated, markup and control
               bytes included) that the hex view must show exactly

usage: mkwebfix.py OUTDIR"""
import io
import os
import sys
import tarfile


def add(tar, name, data, mode=0o644):
    info = tarfile.TarInfo(name)
    info.size, info.mode, info.mtime = len(data), mode, 1700000000
    info.uname = info.gname = "root"
    tar.addfile(info, io.BytesIO(data))


def add_dir(tar, name):
    info = tarfile.TarInfo(name)
    info.type, info.mode, info.mtime = tarfile.DIRTYPE, 0o755, 1700000000
    tar.addfile(info)


# 32 bytes, low entropy once repeated; '<', '&' and '"' must come out as text
HEXVIEW_BLOCK = b'<b>&amp;"\x00\x01\x02\x7f\xfe\xffhexview-block-01\n'
HEXVIEW_SIZE = 1200


def hexview_bytes():
    return (HEXVIEW_BLOCK * (HEXVIEW_SIZE // len(HEXVIEW_BLOCK) + 1))[:HEXVIEW_SIZE]


def image(path, planted):
    inittab = b"::sysinit:/etc/init.d/rcS\n::shutdown:/bin/umount -a -r\n"
    if planted:
        inittab += b"::respawn:/usr/sbin/telnetd -F -l /bin/sh\n"
    with tarfile.open(path, "w:gz", format=tarfile.GNU_FORMAT) as tar:
        add_dir(tar, "./etc")
        add(tar, "./etc/inittab", inittab)
        add(tar, "./etc/passwd", b"root:x:0:0:root:/root:/bin/sh\n")
        add(tar, "./etc/init.d/rcS", b"#!/bin/sh\nmount -a\n", 0o755)
        add_dir(tar, "./www")
        add(tar, "./www/index.html", b"<html><body>router</body></html>\n")
        if planted:
            add_dir(tar, "./www/<script>alert(1)<")
            add(tar, "./www/<script>alert(1)</script>", b"hello\n")
            add(tar, "./etc/hexview.bin", hexview_bytes())


if len(sys.argv) > 2 and sys.argv[1] == "--hexview":
    # the planted file's bytes, for the test to compare with
    with open(sys.argv[2], "wb") as f:
        f.write(hexview_bytes())
    sys.exit(0)
out = sys.argv[1]
image(os.path.join(out, "clean.tgz"), False)
image(os.path.join(out, "planted.tgz"), True)
