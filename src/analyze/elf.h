/*
 * elf.h - our ELF reader: headers, program headers, sections, the dynamic
 * section, dynamic and static symbol tables, notes and a kernel module's
 * .modinfo, for 32/64-bit, little/big-endian objects of any machine.
 *
 * Specification: the System V ABI "Object Files" chapter (gABI) and the
 * processor supplements for the machine constants. Everything is read
 * through bounds-checked views; a lying header yields fewer facts and sets
 * damaged, never a read outside the file. Strings returned point into the
 * file's bytes (NUL-terminated inside the view) and live as long as they do.
 */
#ifndef PST_ELF_H
#define PST_ELF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "view.h"

#define PST_EM_386 3
#define PST_EM_MIPS 8
#define PST_EM_MIPS_RS3_LE 10
#define PST_EM_PPC 20
#define PST_EM_PPC64 21
#define PST_EM_ARM 40
#define PST_EM_X86_64 62
#define PST_EM_AARCH64 183

#define PST_ET_REL 1
#define PST_ET_EXEC 2
#define PST_ET_DYN 3

#define PST_PT_LOAD 1
#define PST_PT_DYNAMIC 2
#define PST_PT_INTERP 3
#define PST_PT_NOTE 4
#define PST_PT_GNU_STACK 0x6474e551u
#define PST_PT_GNU_RELRO 0x6474e552u
#define PST_PF_X 1u
#define PST_PF_W 2u
#define PST_PF_R 4u

#define PST_SHT_PROGBITS 1
#define PST_SHT_SYMTAB 2
#define PST_SHT_STRTAB 3
#define PST_SHT_DYNAMIC 6
#define PST_SHT_NOTE 7
#define PST_SHT_NOBITS 8
#define PST_SHT_DYNSYM 11
#define PST_SHF_EXECINSTR 4u

#define PST_DF_BIND_NOW 0x8u
#define PST_DF_1_NOW 0x1u
#define PST_DF_1_PIE 0x08000000u

struct pst_elf_seg {
	uint32_t type, flags;
	uint64_t off, vaddr, filesz, memsz;
};

struct pst_elf_sect {
	const char *name;     /* "" when the name table is missing */
	uint32_t type;
	uint64_t flags, addr, off, size, entsize;
	uint32_t link, info;
};

struct pst_elf_sym {
	const char *name;
	uint64_t value, size;
	uint16_t shndx;       /* 0 = undefined (an import) */
	uint8_t bind, type;   /* STB_*, STT_* */
	bool dynamic;         /* from .dynsym (or DT_SYMTAB) rather than .symtab */
};

struct pst_elf {
	struct pst_view v;
	bool big, is64;
	uint8_t osabi;
	uint16_t type, machine;
	uint32_t eflags;
	uint64_t entry;

	struct pst_elf_seg *segs;
	size_t nsegs;
	struct pst_elf_sect *sects;
	size_t nsects;

	const char *interp;
	/* dynamic section */
	bool has_dynamic, has_debug, bind_now, textrel;
	uint64_t dt_flags, dt_flags_1;
	const char **needed;
	size_t nneeded;
	const char *soname, *rpath, *runpath;

	struct pst_elf_sym *syms;
	size_t nsyms;
	bool has_symtab;      /* an SHT_SYMTAB section: not stripped */

	/* notes */
	char build_id[65];    /* hex, "" when none */
	bool gnu_abi_tag;

	/* kernel module (.modinfo) */
	bool is_module;
	const char *mod_vermagic, *mod_license, *mod_name, *mod_depends;

	bool has_gnu_stack, stack_exec, has_relro;
	unsigned damaged;     /* structures we had to skip */
	unsigned capped;      /* tables cut at PST_CAP_ELF_TABLE entries */
};

/* Parses v (which must start with an ELF header). Returns false only when
 * the header itself is unusable or memory ran out; e is then empty but safe
 * to free. */
bool pst_elf_parse(struct pst_view v, struct pst_elf *e);
void pst_elf_free(struct pst_elf *e);

/* File offset of virtual address addr (through PT_LOAD), or UINT64_MAX. */
uint64_t pst_elf_vaddr_off(const struct pst_elf *e, uint64_t addr);
/* The named section, or NULL. */
const struct pst_elf_sect *pst_elf_section(const struct pst_elf *e, const char *name);
const char *pst_elf_machine_str(uint16_t machine);

/* NUL-terminated string at off in v, or NULL when it runs past the end. */
const char *pst_view_strz(struct pst_view v, uint64_t off);

/* The named section of v, read from the ELF header and section table alone
 * (no symbols, no dynamic section: cheap enough for every ELF file); false
 * when there is none or the table does not lie whole in the file. out->name
 * points into v. */
bool pst_elf_find_section(struct pst_view v, const char *name, struct pst_elf_sect *out);

/* The sections a search for strings may skip: machine code (SHF_EXECINSTR)
 * and tables of numbers (symbols, relocations, hashes, dynamic, versym) with
 * bytes in the file, at most max, sorted by offset, merged where they
 * overlap and cut to the file. Only for files that also have a .rodata
 * section (strings have a place of their own); returns 0 (search
 * everything) without one, when the section table cannot be read, or when
 * there are more than max such sections. Reads the header and section table
 * only: cheap enough for an unpacker's bid. */
#define PST_ELF_CODE_MAX 32u
struct pst_range;
size_t pst_elf_code_sections(struct pst_view v, struct pst_range *out, size_t max);

#endif
