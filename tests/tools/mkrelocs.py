#!/usr/bin/env python3
"""mkrelocs.py - an x86 kernel's shape for the tests of src/core/carve.c: a static program
followed by the relocation table the kernel build appends to the vmlinux it compresses
(written from the layout Linux's arch/x86/tools/relocs.c emits: 32-bit little-endian entries,
the low halves of addresses inside the program, in groups each begun by a zero; three groups
for a 64-bit program, one for a 32-bit one).

  mkrelocs.py ELF OUT [--outside]

OUT is ELF followed by the table; --outside puts one entry past the program's addresses
(then the bytes are no relocation table). Deterministic.
"""
import struct
import sys


def load_span(elf):
    is64 = elf[4] == 2
    if is64:
        phoff, = struct.unpack_from("<Q", elf, 32)
        phentsize, phnum = struct.unpack_from("<HH", elf, 54)
    else:
        phoff, = struct.unpack_from("<I", elf, 28)
        phentsize, phnum = struct.unpack_from("<HH", elf, 42)
    lo, hi = None, 0
    for i in range(phnum):
        ph = phoff + i * phentsize
        if struct.unpack_from("<I", elf, ph)[0] != 1:  # PT_LOAD
            continue
        if is64:
            vaddr, = struct.unpack_from("<Q", elf, ph + 16)
            memsz, = struct.unpack_from("<Q", elf, ph + 40)
        else:
            vaddr, = struct.unpack_from("<I", elf, ph + 8)
            memsz, = struct.unpack_from("<I", elf, ph + 20)
        if vaddr == 0:
            continue
        lo = vaddr if lo is None else min(lo, vaddr)
        hi = max(hi, vaddr + memsz)
    return is64, lo, hi


def main():
    elf = open(sys.argv[1], "rb").read()
    is64, lo, hi = load_span(elf)
    groups = 3 if is64 else 1
    entries = []
    for g in range(groups):
        entries.append(0)
        for i in range(40):
            entries.append((lo + (i * 7919 + g * 13) % (hi - lo)) & 0xffffffff)
    if "--outside" in sys.argv[3:]:
        entries[5] = (hi + 0x1000) & 0xffffffff
    with open(sys.argv[2], "wb") as out:
        out.write(elf)
        out.write(struct.pack("<%dI" % len(entries), *entries))


if __name__ == "__main__":
    main()
