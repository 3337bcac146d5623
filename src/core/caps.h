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

/* What liblzma may allocate for one .xz or .lzma stream (xz -9 needs 65 MiB
 * to decode; 1.5 GiB is the largest dictionary xz writes). A fixed figure
 * rather than whatever malloc grants, so the outcome does not depend on the
 * address space in use. Hit: "lzma: out of memory", unpack.resource, the
 * node incomplete. */
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

/* ---- analyzers (the others' caps bound work per file: docs/limits.md) ---- */

/* Capability rules kept fired on one program. Hit: limit.cap on the
 * program; the rules past it are not reported. */
#define PST_CAP_CAP_MATCHES 64u

#endif
