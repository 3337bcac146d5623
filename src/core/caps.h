/*
 * caps.h - the library's internal caps, each named once with what it bounds
 * and what a hit does (YARA's limits.h, SQLite's sqliteLimit.h).
 *
 * The user's limits (--max-*, struct pst_limits) are checked by the sink
 * (sink.c). These are the fixed bounds inside the code: on work, on tables a
 * parser keeps, on what is plausible for a format. A cap that drops content
 * must say so: the node is marked incomplete and a finding recorded
 * (limit.cap through pst_limit_hit, or unpack.* through pst_sink_damage), so
 * the verdict stays at review at least. A cap that only bounds work or
 * rejects implausible headers (a bid, a sanity check) drops nothing. The
 * table in docs/limits.md lists these and the analyzers' own caps.
 */
#ifndef PST_CAPS_H
#define PST_CAPS_H

/* ---- core ---- */

/* Content waiting in the walker's queue: at most this, and a quarter of the
 * memory budget (queued content holds budget no waiting worker can free).
 * Hit: the emitting worker examines the child itself. Drops nothing. */
#define PST_CAP_QUEUE_BYTES (96u << 20)

/* Spill files a scan opens (src/core/spill.c): buffers on disk at once, one
 * file each, a worker nesting at most a few. Hit: the next buffer the budget
 * cannot hold is cut as without spill files (limit.memory). */
#define PST_CAP_SPILL_FILES 8

/* Bytes of one virtual disk or volume read through its library (sparse.c):
 * holes cost no memory or disk, but reading them costs time (a tiny qcow2
 * may declare exabytes). Hit: the disk is cut there (limit.cap). */
#define PST_CAP_VIRTUAL_BYTES (1ull << 40)

/* Directory levels one filesystem image's tree is walked to (and half of
 * --max-path): unpackers recurse once per level on a 16 MiB stack. Hit:
 * limit.path, the container incomplete (pst_sink_nest). */
#define PST_NEST_MAX 512u

/* Unexplained ranges quoted in a coverage.unexplained finding's evidence.
 * Hit: the rest are counted in the message's byte total, not quoted. */
#define PST_CAP_GAPS_SHOWN 8

/* Carvable magics indexed (the registry has about 70). Hit: the magics past
 * it are not carved for; a build-time bound, raised with the registry. */
#define PST_CAP_CARVE_MAGICS 256

/* ---- unpackers ---- */

/* One libarchive member header that does not read is skipped and the next
 * tried (tar resyncs 512 bytes per retry) this many times. Hit: the rest of
 * the archive is given up, unpack.damaged, the archive incomplete. */
#define PST_CAP_ARCHIVE_RETRIES 4096
/* Bytes of a member name or link target checked for climbing out of the
 * archive. Hit: the name is canonicalised in this buffer only; longer names
 * are cut by the sink (limit.path). */
#define PST_CAP_ARCHIVE_PATH_CHECK 4096
/* Deflated local entries a zip's central directory does not list (hidden
 * entries, archive.c) that get a loader of their own, beyond the entries it
 * declares. Hit: the further ones are inflated at the walk instead (same
 * content and findings, no parallel load). */
#define PST_CAP_ZIP_HIDDEN_LAZY 64

/* An Arcadyan image is decoded from a private copy of at most this many
 * bytes (the ones seen are under 2 MiB). Hit: what follows is carved like
 * a raw image; what nothing explains there is reported (coverage.*). */
#define PST_CAP_ARCADYAN_LEN (16u << 20)

/* Device-tree node nesting followed (real ones nest under 10). Hit:
 * unpack.damaged ("bad node name or nesting"), the FIT incomplete. */
#define PST_CAP_DTB_DEPTH 64

/* A JFFS2 node's declared uncompressed size (the format's nodes hold one
 * page, 4 KiB). Hit: the node is taken as damaged: its file is marked
 * truncated and incomplete. */
#define PST_CAP_JFFS2_DSIZE (1u << 20)

/* A raw LZMA stream with no size: the largest dictionary a bid accepts
 * (kernels use 1-8 MiB). Hit: not taken for LZMA (a bid); drops nothing. */
#define PST_CAP_LZMA_NOSIZE_DICT (64u << 20)

/* What liblzma may allocate for one .xz stream, and (less 1 MiB for its
 * tables) the largest dictionary an LZMA1 stream is given after its 1 MiB
 * probe (stream.c lz1_decode; xz -9 needs 65 MiB to decode; 1.5 GiB is the
 * largest dictionary xz writes). A fixed figure rather than whatever malloc
 * grants, so the outcome does not depend on the address space in use. Hit:
 * "lzma: out of memory", unpack.resource, the node incomplete. */
#define PST_CAP_LZMA_MEMLIMIT (1600ull << 20)

/* One PYZ module inflated to at most this (the inflated size is not
 * recorded). Hit: unpack.damaged, the archive incomplete. */
#define PST_CAP_PYZ_MODULE (64u << 20)

/* Old squashfs (1.x-3.x): one metadata table (inodes, directories,
 * fragments) kept decoded; real ones are a few MiB. Hit: limit.cap, the
 * image incomplete; the files past it are not listed. */
#define PST_CAP_SQFS_OLD_TABLE (64u << 20)

/* squashfs 4: fragment blocks whose users are counted so that each is
 * decoded once; more fragments and each worker decodes its own. Drops
 * nothing (costs time). */
#define PST_CAP_SQFS_FRAG_RECORDS (1u << 18)
/* Decoded fragments and hard-link content kept for the files sharing
 * them. Hit: later sharers decode their own copy. Drops nothing. */
#define PST_CAP_SQFS_SHARED_CACHE (256u << 20)

/* The largest U-Boot environment a bid looks for (a CRC over it). Hit: not
 * taken for an environment; drops nothing. */
#define PST_CAP_UBOOTENV (4u << 20)

/* YAFFS2 sequence numbers (they count allocated blocks from 0x1000; a
 * million is more than any image holds) and object ids a chunk may carry:
 * the bounds keep random bytes from passing as chunks. Hit: the chunk is
 * not taken as a YAFFS2 chunk (a plausibility check; drops no real one). */
#define PST_CAP_YAFFS2_SEQ 0x00100000u
#define PST_CAP_YAFFS2_OBJ 0x00040000u

/* ---- capability rules ---- */

/* Capability rules kept fired on one program. Hit: limit.cap on the
 * program; the rules past it are not reported. */
#define PST_CAP_CAP_MATCHES 64u

/* ---- embedded (src/unpack/embedded.c) ---- */

/* The longest source string in a program taken as one embedded script.
 * Hit: the string is not taken for a script (a plausibility bound); its
 * bytes stay the program's, read by the analyzers. Drops nothing. */
#define PST_CAP_EMBED_SRC (1u << 20)

/* Bytes of a precompiled Lua chunk emitted as a child (its length is not
 * recorded). Hit: the child holds the first 256 KiB; the rest are still
 * the program's bytes, read by its analyzers. Drops nothing. */
#define PST_CAP_EMBED_LUAC (256u << 10)

/* How far from a file's end the PyInstaller cookie is looked for (it is
 * the last 24-88 bytes). Hit: not a PyInstaller archive (a bid). */
#define PST_CAP_EMBED_MEI_TAIL 4096u

/* ---- hidden commands (compares.c; reported as analyze.budget, docs/findings/hidden.md) ---- */

/* Bytes of code swept for comparisons per program. Hit: the code past it
 * is not swept; analyze.budget names it, the program counted partial. */
#define PST_CAP_CMP_CODE ((uint64_t)32 << 20)

/* Imported functions of interest (strcmp, recv, ...) resolved per program
 * (about 40 exist, so a hit needs duplicates). Hit: the rest are not
 * followed; analyze.budget names it, the program counted partial. */
#define PST_CAP_CMP_TARGETS 192

/* Instructions explored per program, all comparisons together. Hit:
 * analyze.budget, the program counted partial. */
#define PST_CAP_CMP_BUDGET 400000

/* Comparisons with a constant followed per program. Hit: analyze.budget. */
#define PST_CAP_CMP_SITES 512

/* Calls of interest kept per exploration. Hit: analyze.budget. */
#define PST_CAP_CMP_HITS 32

/* Stretches of code decoded per program. Hit: analyze.budget. */
#define PST_CAP_CMP_WINDOWS 4096

/* Decoded instructions kept per program (insncache.c: 104 bytes each, under
 * 7 MiB). Hit: none reported, nothing is left out: a miss decodes again. */
#define PST_CAP_INSNCACHE_ENTRIES 65536

/* Comparison wrappers (compwrap.c) followed per program, and what the sweep
 * keeps to look for them among: the comparison calls, and the distinct
 * direct call targets (the list is sorted and its repeats dropped when it
 * holds twice as many). Hit: calls to the wrappers left out are not read as
 * comparisons; analyze.budget names the cap, the program counted partial. */
#define PST_CAP_CMP_WRAPS 32
#define PST_CAP_CMP_WRAP_SITES 262144

/* The shape of a comparison wrapper (compwrap.c): its comparison call within
 * this many bytes and instructions of its start, its return within
 * PST_CAP_CMP_WRAP_TAIL instructions after. Hit: not taken for a wrapper
 * (a plausibility bound). Drops nothing. */
#define PST_CAP_CMP_WRAP_SPAN 160
#define PST_CAP_CMP_WRAP_INSNS 48
#define PST_CAP_CMP_WRAP_TAIL 8

/* A stripped static program's library functions recognised by their code
 * (libfuncs.c): the sites seen (system calls, loads of "/bin/sh" and "-c",
 * byte differences), the distinct function starts they are put in (the
 * list sorted and its repeats dropped when full), the copies of "/bin/sh"
 * and "-c" looked for, the GOT bytes read for starts (MIPS), the IFUNCs
 * read and the implementations read per IFUNC resolver (x86-64). Hit: the
 * functions past them may go unrecognised and calls to them unseen;
 * analyze.budget names the caps, the program counted partial. */
#define PST_CAP_CMP_LIB_SITES 4096
#define PST_CAP_CMP_LIB_STARTS 65536
#define PST_CAP_CMP_LIB_REFS 4
#define PST_CAP_CMP_LIB_GOT (1u << 20)
#define PST_CAP_CMP_LIB_IFUNCS 256
#define PST_CAP_CMP_LIB_IMPLS 16

/* The shape of a recognised library function (libfuncs.c): a site at most
 * PST_CAP_CMP_LIB_SPAN bytes from its function's start, an IFUNC resolver
 * read for PST_CAP_CMP_LIB_RESOLVER instructions, a thin wrapper that
 * reaches its function within PST_CAP_CMP_LIB_THIN instructions. Hit: not
 * taken for part of that function (a plausibility bound). Drops nothing. */
#define PST_CAP_CMP_LIB_SPAN 0x4000
#define PST_CAP_CMP_LIB_RESOLVER 64
#define PST_CAP_CMP_LIB_THIN 12

/* Bytes of a virtual appliance's OVF descriptor (ovf.c) searched for its
 * ProductSection (descriptors are a few KiB of XML). Hit: limit.cap on the
 * descriptor when none was found within them; the product it may name past
 * them is not listed (was silent before). */
#define PST_CAP_OVF_BYTES ((size_t)4 << 20)

/* ---- programs (binary.c, elf.c, sockets.c, syscalls.c, rc4.c, binfeat.h) ---- */

/* Bytes of printable strings collected from one program for the capability
 * rules. Hit: limit.cap on the program; strings past it are not matched. */
#define PST_CAP_BIN_STRINGS ((size_t)16 << 20)

/* Entries of one ELF table (segments, sections, symbols) read. Hit: the
 * table is read to there: limit.cap on the program (and fact bin.damaged). */
#define PST_CAP_ELF_TABLE 1000000u

/* Bytes from a syscall wrapper's entry to its syscall. Hit: not taken for a
 * wrapper (a plausibility bound). Drops nothing. */
#define PST_CAP_SOCK_ENTRY 96

/* Socket wrapper entries of a static program followed. Hit: later wrappers
 * are not followed: limit.cap on the program (naming this cap), and the
 * dup2 calls not read keep has:no-stdio-dup unproven. */
#define PST_CAP_SOCK_ENTRIES 64

/* GOT slots of socket functions followed in a dynamic program. Hit: as
 * PST_CAP_SOCK_ENTRIES (the finding names that cap for both tables). */
#define PST_CAP_SOCK_SLOTS 96

/* Bytes of code swept for socket calls. Hit: code past it is not swept:
 * limit.cap on the program. */
#define PST_CAP_SOCK_CODE ((uint64_t)48 << 20)

/* Bytes of code disassembled for system calls per static program without
 * symbols. Hit: limit.cap on the program; the code past it is not searched
 * for system calls. */
#define PST_CAP_SYS_CODE ((uint64_t)48 << 20)

/* System call numbers told apart (Linux has under 500). Hit: a larger
 * number is not a system call. Drops nothing. */
#define PST_CAP_SYS_NR 8192

/* i386 socketcall sub-calls told apart (there are 20). As PST_CAP_SYS_NR. */
#define PST_CAP_SYS_SUB 32

/* Distinct registers tracked in one code region: the shape of a loop
 * (an RC4 loop uses a handful). Hit: the region is not taken for an RC4
 * loop (a plausibility bound; drops no RC4 loop). */
#define PST_CAP_RC4_REGS 64

/* Byte loads followed in one loop walk. As PST_CAP_RC4_REGS. */
#define PST_CAP_RC4_LOADS 32

/* Instructions in one loop body. As PST_CAP_RC4_REGS. */
#define PST_CAP_RC4_BODY 96

/* Bytes decoded around dense windows per program. Hit without a find:
 * limit.cap on the program (PST_CAP_RC4_SCAN), the rest not searched. */
#define PST_CAP_RC4_SCAN ((uint64_t)4 << 20)

/* Bytes of code prefiltered per program. As PST_CAP_RC4_SCAN (the
 * finding names that cap for both). */
#define PST_CAP_RC4_CODE ((uint64_t)64 << 20)

/* Instructions decoded in one region around a dense window (a loop body
 * is short). Hit: the region is taken to there; the next dense window
 * starts a new one. A shape bound, as PST_CAP_RC4_REGS. */
#define PST_CAP_RC4_REGION 4096

/* Ports and magic numbers a server compares with, kept per program (the
 * evidence quotes them). Hit: the rest are not quoted. Drops nothing. */
#define PST_CAP_NET_CONSTS 8

/* Crypto constants kept per program. Hit: the rest are not listed (each
 * algorithm needs one). Drops nothing. */
#define PST_CAP_CRYPTO_CONSTS 32

/* ---- keys, scripts, accounts (keys.c, scripts.c, accounts.c, access.c/.h) ---- */

/* PEM blocks looked at per file. Hit: limit.cap on the file; the blocks
 * past it are not examined. */
#define PST_CAP_KEYS_PEM_BLOCKS 1000

/* DER key candidates (a key's version field after a SEQUENCE header)
 * decoded per binary file. Hit: limit.cap on the file, the rest not
 * decoded (PEM and known containers are read whole). */
#define PST_CAP_KEYS_DER_TRIES 64

/* Bytes of one script read (embedded modules and tools are far smaller, but
 * generated sources are not: Debian 12's python3.11 ships a 4.6 MiB xxl.py,
 * read in 0.02 CPU-s). Hit: limit.cap on the script, which is not read by the
 * script analyzer. */
#define PST_CAP_SCRIPT_BYTES (16u << 20)

/* Slow password-hash tries (yescrypt, bcrypt, sha512crypt) per file.
 * Hit: limit.cap on the file; the accounts past it are not tried against
 * default passwords (bounds time). */
#define PST_CAP_ACCOUNTS_SLOW 48

/* Bytes of a file looked at as a login wrapper or banner. Hit: not taken
 * for one (a plausibility bound). Drops nothing. */
#define PST_CAP_FIRSTCONFIG (256u << 10)

/* Bytes of one list file of the user's (default credentials, ...). Hit:
 * the file is not loaded, with a warning through the message callback (the
 * user's input, not the product's: no finding). */
#define PST_CAP_USER_LIST (4u << 20)

/* Longest line an analyzer looks at (configs and scripts that matter fit
 * easily). Hit: the account, authorized_keys and boot-script readers
 * report limit.cap on the file (the rest of the line unread); the secrets
 * search reads a longer line in pieces of this size (nothing dropped). */
#define PST_CAP_LINE 4096

/* ---- boot services (services.c, services_link.c) ---- */

/* Commands of one line (pipes, ;, &&) split at a time. Not a drop: a longer
 * line is examined in batches of this many (a pipeline carried across). */
#define PST_CAP_SVC_CMDS 32

/* Shell variables tracked per script. Hit: later ones are not expanded:
 * limit.cap on the script. */
#define PST_CAP_SVC_VARS 64

/* Downloaded files remembered per script. Hit: later ones are not linked
 * to what runs them: limit.cap on the script. */
#define PST_CAP_SVC_DOWNLOADS 8

/* Bytes of one shell word: twice the longest line read (PST_CAP_LINE), so
 * only variables expanded into a word reach it (it was 512, which words of
 * stock scripts passed). Hit: the word is cut, limit.cap on the script. */
#define PST_CAP_SVC_TOKEN 8192

/* Shell functions remembered per script. Hit: calls of later functions
 * are taken for programs (more is reported, not less). */
#define PST_CAP_SVC_FUNCS 64

/* Longest path followed from a boot file; longer ones are no program. */
#define PST_CAP_SVC_PATH 1024

/* Scripts run from scripts followed from a boot file. Hit: deeper scripts
 * are not linked to boot: limit.cap on the boot file (once). */
#define PST_CAP_SVC_CHAIN 4

/* ---- components and packages (components.c, pkgmeta.c, rpmdb.c, rpmbdb.c,
 * gobuild.c, cargodep.c, jarmf.c, compfp.c) ---- */

/* Packages read from one dpkg status file. Hit: limit.cap on the file; the
 * packages past it are not listed. */
#define PST_CAP_DPKG_PACKAGES 50000

/* Longest package name, version or architecture kept. Hit: cut there
 * (a package.json's is not listed): limit.cap on the file. */
#define PST_CAP_PKG_FIELD 200

/* Packages read from one apk database. Hit: limit.cap on the file; the
 * packages past it are not listed. */
#define PST_CAP_APK_PACKAGES 50000

/* A package.json larger than this is no manifest. Hit: not read as one. */
#define PST_CAP_PKG_JSON ((size_t)1 << 20)

/* Packages read from one rpm database. Hit: limit.cap on the file; the
 * packages past it are not listed. */
#define PST_CAP_RPM_PACKAGES 50000

/* Index entries of one rpm header (rpm allows 65535 tags). Hit: the header
 * is not read (a plausibility bound). */
#define PST_CAP_RPM_INDEX 100000

/* Bytes of data items assembled from one BerkeleyDB rpm database (rpmbdb.c;
 * a header is a few kB to a few hundred kB). Hit: limit.cap on the file; the
 * packages past it are not listed. */
#define PST_CAP_RPM_BDB_BYTES ((uint64_t)512 << 20)

/* Bytes of a Go program's module information. Hit: not read (implausible). */
#define PST_CAP_GO_MODINFO ((uint64_t)1 << 20)

/* Modules read from one Go program. Hit: limit.cap on the program; the
 * modules past it are not listed. */
#define PST_CAP_GO_MODULES 4096

/* Bytes a Rust program's cargo auditable data (.dep-v0) inflates to (real
 * ones are a few KiB to 100 KiB). Hit: limit.cap on the program; none of
 * its packages are listed (cut JSON does not parse). */
#define PST_CAP_CARGO_DEP_BYTES ((size_t)8 << 20)

/* Packages read from one program's .dep-v0. Hit: limit.cap on the program;
 * the packages past it are not listed. */
#define PST_CAP_CARGO_PACKAGES 10000

/* Longest version string a fingerprint keeps. Hit: not a version. */
#define PST_CAP_FP_VERSION 63

/* Versions kept per component per file. Only the first is used: a
 * second that differs (not a refinement, "9.2" of "9.2p1") makes the
 * component ambiguous and no version is listed, by design (compfp.c: a
 * file quoting several versions is a changelog, not a build). Never hit. */
#define PST_CAP_FP_VERSIONS 4

/* Tokens and literals in one fingerprint template (a rule file bound: a
 * longer template is refused at load). */
#define PST_CAP_FP_OPS 16

/* Libraries one fingerprint names as linked (a rule file bound: more are
 * refused at load). */
#define PST_CAP_FP_LINKED 4

#endif
