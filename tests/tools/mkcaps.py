#!/usr/bin/env python3
"""mkcaps.py - inputs one past an internal cap (src/core/caps.h) for test_caps_analyzers.c.

  mkcaps.py rpmdb N OUT      rpm's SQLite database (/var/lib/rpm/rpmdb.sqlite) of N packages,
                             each header NAME, VERSION, RELEASE and ARCH (rpm's lib/header.c)
  mkcaps.py gomod N OUT.c    a C program carrying Go build information (cmd/link's
                             .go.buildinfo, inline strings) that lists N dependency modules
  mkcaps.py elfsyms N OUT    a 32-bit x86 ELF executable whose symbol table has N entries
  mkcaps.py wraps N OUT.c    a C server whose N comparison wrappers (compwrap.c: strncmp of its
                             two arguments, returned) each guard system("/bin/sh")
  mkcaps.py cmpcalls N OUT.s x86-64 code making N calls to strcmp through the PLT
  mkcaps.py libsites N OUT.s x86-64 code making N read() system calls (libfuncs.c's sites),
                             with N copies of "/bin/sh" in .rodata and N calls to distinct
                             targets (function starts)

Everything is deterministic: the same arguments give the same bytes.
"""
import sqlite3
import struct
import sys

from mkrpmbdb import header  # rpm's header blob, as the BerkeleyDB fixtures write it


def rpm_header(name, version):
    return header([(1000, 6, name), (1001, 6, version), (1002, 6, "1"), (1022, 6, "noarch")])


def rpmdb(n, out):
    db = sqlite3.connect(out)
    db.execute("CREATE TABLE Packages (hnum INTEGER PRIMARY KEY AUTOINCREMENT, blob BLOB NOT NULL)")
    db.executemany("INSERT INTO Packages (blob) VALUES (?)",
                   ((rpm_header(f"p{i}", f"1.{i}"),) for i in range(1, n + 1)))
    db.commit()
    db.close()


def uvarint(x):
    out = b""
    while True:
        b = x & 0x7F
        x >>= 7
        if x:
            out += bytes([b | 0x80])
        else:
            return out + bytes([b])


def gomod(n, out):
    sentinel = bytes(range(0x30, 0x40))
    lines = "path\texample.com/m\nmod\texample.com/m\tv1.0.0\t\n"
    lines += "".join(f"dep\texample.com/d{i}\tv1.{i}.0\th1:x=\n" for i in range(1, n + 1))
    mod = sentinel + lines.encode() + sentinel
    ver = b"go1.21.0"
    head = b"\xff Go buildinf:" + bytes([8, 2]) + bytes(16)
    blob = head + uvarint(len(ver)) + ver + uvarint(len(mod)) + mod
    with open(out, "w") as f:
        f.write("/* Go build information made by tests/tools/mkcaps.py */\n")
        f.write("#include <stdio.h>\n")
        f.write("const unsigned char buildinfo[] __attribute__((used, aligned(16))) = {\n")
        for i in range(0, len(blob), 24):
            f.write(",".join(str(b) for b in blob[i:i + 24]) + ",\n")
        f.write("};\nint main(void) { return buildinfo[0] == 1; }\n")


def elfsyms(n, out):
    text = b"\x31\xc0\x40\xcd\x80"           # xor eax,eax; inc eax; int 0x80 (exit)
    strtab = b"\0f\0"
    shstr = b"\0.text\0.symtab\0.strtab\0.shstrtab\0"
    base = 0x08048000
    off_text = 0x54 + 0x20
    off_sym = (off_text + len(text) + 15) & ~15
    syms = bytes(16) + b"".join(struct.pack("<IIIBBH", 1, base + off_text, 0, 0x12, 0, 1)
                                for _ in range(n - 1))
    off_str = off_sym + len(syms)
    off_shs = off_str + len(strtab)
    off_sh = (off_shs + len(shstr) + 3) & ~3
    eh = struct.pack("<16sHHIIIIIHHHHHH", b"\x7fELF\x01\x01\x01" + bytes(9), 2, 3, 1,
                     base + off_text, 0x34, off_sh, 0, 0x34, 0x20, 1, 0x28, 5, 4)
    ph = struct.pack("<IIIIIIII", 1, 0, base, base, off_text + len(text), off_text + len(text),
                     5, 0x1000)
    sh = bytes(40)
    sh += struct.pack("<IIIIIIIIII", 1, 1, 6, base + off_text, off_text, len(text), 0, 0, 16, 0)
    sh += struct.pack("<IIIIIIIIII", 7, 2, 0, 0, off_sym, len(syms), 3, 1, 4, 16)
    sh += struct.pack("<IIIIIIIIII", 15, 3, 0, 0, off_str, len(strtab), 0, 0, 1, 0)
    sh += struct.pack("<IIIIIIIIII", 23, 3, 0, 0, off_shs, len(shstr), 0, 0, 1, 0)
    img = bytearray(eh + ph)
    img += bytes(off_text - len(img)) + text
    img += bytes(off_sym - len(img)) + syms + strtab + shstr
    img += bytes(off_sh - len(img)) + sh
    with open(out, "wb") as f:
        f.write(img)


def wraps(n, out):
    src = ["#include <netinet/in.h>", "#include <stdlib.h>", "#include <string.h>",
           "#include <sys/socket.h>", "#include <unistd.h>"]
    src += [f"__attribute__((noinline)) int eq{i}(const char *a, const char *b) "
            f"{{ return strncmp(a, b, {i + 2}); }}" for i in range(n)]
    src += ["int main(void) { struct sockaddr_in a; char b[64]; int c, s = socket(AF_INET, "
            "SOCK_STREAM, 0); memset(&a, 0, sizeof(a)); a.sin_family = AF_INET; "
            "a.sin_port = htons(4444); bind(s, (struct sockaddr *)&a, sizeof(a)); listen(s, 1); "
            "c = accept(s, 0, 0); if (read(c, b, sizeof(b)) <= 0) return 1;"]
    src += [f'if (eq{i}(b, "k{i}") == 0) system("/bin/sh");' for i in range(n)]
    src += ["return 0; }"]
    with open(out, "w") as f:
        f.write("\n".join(src) + "\n")


GNU_STACK = '.section .note.GNU-stack,"",@progbits\n'


def cmpcalls(n, out):
    with open(out, "w") as f:
        f.write(f".text\n.globl many_cmp\nmany_cmp:\n.rept {n}\ncall strcmp@PLT\n.endr\nret\n"
                + GNU_STACK)


def libsites(n, out):
    with open(out, "w") as f:
        f.write(f".text\n.globl lib_sites\nlib_sites:\n.rept {n}\nmov $0, %eax\nsyscall\n.endr\n"
                f".rept {n}\ncall 1f\n1:\n.endr\nret\n"
                f'.section .rodata\n.rept {n}\n.byte 0\n.ascii "/bin/sh"\n.byte 0\n.endr\n'
                + GNU_STACK)


def main():
    gens = {"rpmdb": rpmdb, "gomod": gomod, "elfsyms": elfsyms, "wraps": wraps,
            "cmpcalls": cmpcalls, "libsites": libsites}
    if len(sys.argv) != 4 or sys.argv[1] not in gens:
        sys.exit(__doc__)
    gens[sys.argv[1]](int(sys.argv[2]), sys.argv[3])


if __name__ == "__main__":
    main()
