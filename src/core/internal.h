/*
 * internal.h - what the library's modules share and the tool never sees:
 * the scan context, the sink unpackers emit into, the unpacker and analyzer
 * interfaces, and the small memory helpers they use.
 */
#ifndef PST_INTERNAL_H
#define PST_INTERNAL_H

#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <string.h>
#include "postern/postern.h"
#include "caps.h"
#include "view.h"

/* s begins with p. */
static inline bool pst_prefix(const char *s, const char *p) { return strncmp(s, p, strlen(p)) == 0; }

#if defined(__GNUC__)
#define PST_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define PST_PRINTF(a, b)
#endif

/* ---- arena: nodes, findings and strings live until the scan is freed ---- */
struct pst_arena;
struct pst_arena *pst_arena_new(void);
void pst_arena_free(struct pst_arena *a);
struct pst_mem;
/* Charges every chunk a allocates from now on to m's budget (pst_mem_fix):
 * the tree (nodes, names, locations) is live until the scan ends. */
void pst_arena_account(struct pst_arena *a, struct pst_mem *m);
/* Thread-safe. Zeroed memory; NULL on out of memory. */
void *pst_arena_alloc(struct pst_arena *a, size_t len);
char *pst_arena_strdup(struct pst_arena *a, const char *s);
char *pst_arena_strndup(struct pst_arena *a, const char *s, size_t n);
char *pst_arena_printf(struct pst_arena *a, const char *fmt, ...) PST_PRINTF(2, 3);
char *pst_arena_vprintf(struct pst_arena *a, const char *fmt, va_list ap);

/* ---- str: a string builder with a maximum and a sticky error ---- */
struct pst_str {
	char *p;
	size_t len, cap, max;
	bool err;
};
void pst_str_init(struct pst_str *s, size_t max);
void pst_str_free(struct pst_str *s);
void pst_str_add(struct pst_str *s, const char *p, size_t n);
void pst_str_puts(struct pst_str *s, const char *p);
void pst_str_printf(struct pst_str *s, const char *fmt, ...) PST_PRINTF(2, 3);
void pst_str_putc(struct pst_str *s, char c);
/* Appends p as a JSON string literal (quotes included). */
void pst_str_json(struct pst_str *s, const char *p);

/* ---- mem: the scan-wide live-memory budget (docs/limits.md, "memory") ----
 * Every byte of output-buffer capacity is reserved here before it is
 * allocated and stays reserved while the content lives (as an obuf, then as
 * the blob of the node it became). A reservation that would pass the budget
 * waits while another worker can still release; only when none can (all
 * running workers wait, no queued task can start, or nothing was released for
 * PST_MEM_STALL_SECONDS) does it get what is left, and the buffer is cut
 * (limit.memory). Growing a buffer past `big` takes one of `slots` big-buffer
 * slots, so several big files never fill the budget half-way each and block
 * one another. */
struct pst_mem {
	pthread_mutex_t m;
	pthread_cond_t cv;
	uint64_t max;          /* the budget in bytes; 0: no budget */
	uint64_t file_max;     /* the largest one buffer may grow to */
	uint64_t live;         /* reserved now, fixed charges included */
	uint64_t fixed;        /* charged for good: the tree (pst_mem_fix) */
	uint64_t peak;         /* most reserved at once */
	uint64_t waits;        /* reservations that had to wait */
	uint64_t big;          /* past this a buffer needs a slot */
	unsigned slots, slots_used;
	unsigned *wslots;      /* slots held per worker (a worker may nest) */
	unsigned workers;      /* pool threads */
	unsigned running;      /* pool threads running a task */
	unsigned waiting;      /* of those, waiting here */
	unsigned blocked;      /* of those, waiting elsewhere (pst_obuf_blocked) */
	uint64_t queued;       /* tasks queued, not started */
	uint64_t events;       /* releases and task starts/ends, for stall detection */
	uint64_t wake_gen;     /* broadcasts, so a woken waiter knows it was uncounted */
	const atomic_bool *cancel;
	/* Spill files (spill.c): unlinked temporary files a buffer the budget
	 * cannot hold moves to. fd -1: none. spill_max bounds their bytes. */
	int spill_fd[PST_CAP_SPILL_FILES];
	bool spill_busy[PST_CAP_SPILL_FILES];
	uint64_t spill_max, spill_used, spill_peak, spills;
	/* Where each spill file is mapped now (NULL: not), for the trimmer
	 * (pst_spill_trim); set and cleared under m, before unmapping. */
	void *spill_map[PST_CAP_SPILL_FILES + 1];   /* the last: the target's mapping */
	size_t spill_maplen[PST_CAP_SPILL_FILES + 1];
	/* The trimmer thread (pst_spill_trimmer_start), while it runs. */
	pthread_t trimmer;
	bool trimming, trim_quit;
	/* The live budgets (mem.c, fit_malloc): what glibc may keep of freed
	 * memory follows the tightest. Under mem.c's malloc_lock. */
	struct pst_mem *malloc_next;
	size_t malloc_share;
};
#define PST_MEM_STALL_SECONDS 120.0
/* max 0: no budget. file_max: the largest one buffer may grow to. */
enum pst_err pst_mem_init(struct pst_mem *m, uint64_t max, unsigned workers, uint64_t file_max,
			  const atomic_bool *cancel);
void pst_mem_destroy(struct pst_mem *m);
/* glibc's mmap threshold now, from the tightest live budget (mem.c): a
 * sixteenth of it over the workers and the main thread, 256 KiB-16 MiB. */
size_t pst_mem_malloc_threshold(void);
/* Charges n bytes that stay live until the scan ends (the tree): never
 * waits and is never cut (--max-files bounds the tree); content then has
 * that much less, and a buffer bigger than what is left goes to a spill
 * file as one bigger than the whole budget does. */
void pst_mem_fix(struct pst_mem *m, uint64_t n);
/* Raises the budget to max (never lowers it, never sets one where there is
 * none) and wakes the waiters. */
void pst_mem_raise(struct pst_mem *m, uint64_t max);
/* A legitimate image holds a few times its own size unpacked at once (the
 * biggest decompressed layer and what is nested in it): unless --max-memory
 * was given, the budget grows to PST_MEMORY_PER_INPUT times the largest input
 * file, at most a quarter of RAM and 4 GiB. What an attacker gets is bounded
 * by the bytes actually shipped, as with --max-ratio; a small bomb keeps the
 * default. */
void pst_scan_fit_memory(struct pst_scan *s, uint64_t input_bytes);
/* The pool's bookkeeping: a worker starts (+1) or stops (-1) running tasks;
 * a task is queued (+1) or taken from the queue (-1). */
void pst_mem_running(struct pst_mem *m, int delta);
void pst_mem_queued(struct pst_mem *m, int delta);
void pst_mem_release(struct pst_mem *m, uint64_t n);
/* Memory is short: more than PST_MEM_SHORT_PCT % of the budget is reserved.
 * The walker then examines a child holding its own bytes at once instead
 * of queueing it (walk.c, submit). False without a budget. */
#define PST_MEM_SHORT_PCT 50u
bool pst_mem_short(struct pst_mem *m);

/* ---- spill (spill.c): content bigger than the budget goes to disk ---- */
struct pst_obuf;
/* Opens m's spill files: PST_CAP_SPILL_FILES unlinked (O_TMPFILE, 0600)
 * files in $TMPDIR (else /tmp), before the sandbox, which lets a scan write
 * no file it opens later. max: the bytes they may hold together (0: none
 * are opened). Without them buffers are cut as before (limit.memory). */
void pst_spill_open(struct pst_mem *m, uint64_t max);
void pst_spill_close(struct pst_mem *m);
/* Moves b (len bytes so far) to a spill file of cap bytes and gives its
 * live reservation back; false (b unchanged) when no file or room is left. */
bool pst_spill_start(struct pst_obuf *b, size_t cap);
/* Lets the pages of spilled b written so far go from the process, once
 * PST_SPILL_LET_GO bytes more were written: the writer does not wait for
 * the trimmer, which a loaded machine may leave unscheduled for a while. */
void pst_spill_let_go(struct pst_obuf *b);
#define PST_SPILL_LET_GO (4u << 20)
/* Grows spilled b to cap bytes; false when the spill room is used up. */
bool pst_spill_grow(struct pst_obuf *b, size_t cap);
/* Unmaps a spilled buffer's or blob's bytes (map_len) and empties its file
 * for the next one; room: the spill bytes it was counted for. */
void pst_spill_drop(struct pst_mem *m, unsigned spill, const uint8_t *p, size_t map_len,
		    uint64_t room);
/* Takes a free spill file for a sparse buffer, none of its room yet (it is
 * counted as data is written: pst_spill_room); its index + 1, or 0. */
unsigned pst_spill_take_sparse(struct pst_mem *m);
/* Counts delta more (or fewer) spill bytes; false (no change) when growing
 * would pass --max-spill. */
bool pst_spill_room(struct pst_mem *m, int64_t delta);
/* Records that spill file spill - 1 (PST_CAP_SPILL_FILES + 1: the target
 * file, mapped read-only) is mapped at p for len bytes (NULL: no longer),
 * so the trimmer may let its pages go. */
void pst_spill_mapped(struct pst_mem *m, unsigned spill, void *p, size_t len);
#define PST_SPILL_TARGET (PST_CAP_SPILL_FILES + 1)
/* The trimmer: a thread that every PST_SPILL_TRIM_MS lets the pages of
 * every spill mapping go from the process (their data stays in the file and
 * the page cache), so a spilled member being read costs the process no more
 * than what was touched since (docs/limits.md, "One accounting"). Started
 * with the walker's pool, stopped when it ends; a no-op without spill files. */
void pst_spill_trimmer_start(struct pst_mem *m, bool target);
void pst_spill_trimmer_stop(struct pst_mem *m);
#define PST_SPILL_TRIM_MS 20

/* A byte range of a node's content. */
struct pst_range {
	uint64_t off, len;
};

/* ---- blob: content bytes, shared by a node and the children borrowing them ---- */
struct pst_blob {
	atomic_int refs;
	const uint8_t *p;
	size_t len;
	void *owned;      /* free()d when the last reference goes */
	size_t map_len;   /* non-zero: p is an mmap of this length */
	struct pst_mem *mem; /* held bytes are given back there when the blob goes */
	uint64_t held;
	unsigned spill;   /* non-zero: p maps spill file spill - 1 of mem (spill.c) */
	uint64_t spill_room; /* the --max-spill bytes it holds */
	/* Known zeros (a virtual disk's unallocated or zero blocks, sparse.c):
	 * ranges of p, sorted and disjoint, that were never written and are
	 * never read (padding, not content). Owned. */
	struct pst_range *holes;
	size_t nholes;
};
struct pst_blob *pst_blob_new_owned(void *p, size_t len);
struct pst_blob *pst_blob_new_borrowed(const uint8_t *p, size_t len);
struct pst_blob *pst_blob_ref(struct pst_blob *b);
void pst_blob_unref(struct pst_blob *b);

/* ---- obuf: output buffer for unpackers; its maximum comes from the sink ---- */
/* Unused capacity a buffer handed over keeps (pst_obuf_take shrinks past it). */
#define PST_OBUF_SLACK 4096u
struct pst_obuf {
	uint8_t *p;
	size_t len, cap, max;
	bool over;        /* a write would have passed max: content is truncated */
	/* Scan-wide reservation (set by pst_sink_obuf): every byte of capacity is
	 * charged to *charge before it is allocated, and growth stops once
	 * *charge would pass charge_max, so buffers filling at the same time on
	 * several workers cannot together pass the total or ratio limit. */
	atomic_uint_fast64_t *charge;
	uint64_t charge_max;
	size_t charged;
	/* Live-memory reservation (struct pst_mem): capacity (and decoder state
	 * charged with pst_obuf_charge) reserved, whether this buffer holds a
	 * big-buffer slot, and why growth stopped. */
	struct pst_mem *mem;
	unsigned worker;
	uint64_t held;    /* capacity reserved + extra */
	uint64_t extra;   /* charged with pst_obuf_charge */
	bool slot;
	bool mem_over;    /* max lowered by the memory budget (a cut if over) */
	bool cancelled;   /* max lowered because the scan stops */
	unsigned spill;   /* non-zero: p maps spill file spill - 1 (spill.c), not the heap */
	/* A sparse buffer (sparse.c, pst_obuf_sparse): a spill file of its
	 * whole size, written through its descriptor block by block; all-zero
	 * blocks are left as holes, listed here and not counted. */
	bool sparse;
	uint64_t zeros;   /* bytes in holes */
	uint64_t written; /* bytes written to the file (its --max-spill room) */
	size_t let_go;    /* spilled: bytes up to here were let go (pst_spill_let_go) */
	struct pst_range *holes;
	size_t nholes, capholes;
};
/* Appends; on passing max, keeps what fits, sets over, returns PST_ELIMIT. */
enum pst_err pst_obuf_append(struct pst_obuf *b, const void *p, size_t n);
/* Appends n zero bytes, as pst_obuf_append does. */
enum pst_err pst_obuf_zeros(struct pst_obuf *b, size_t n);
/* Makes room for at least want bytes (less when near max); *room gets the
 * writable size at p + len. PST_ELIMIT when no room is left at all. */
enum pst_err pst_obuf_grow(struct pst_obuf *b, size_t want, size_t *room);
/* b, still empty, is to hold about size bytes (a member's declared size):
 * past half of what content may have of the budget, it starts in a spill
 * file of that size at once, so the member is streamed there rather than
 * materialised in memory first (issue 15, members on demand). Never
 * reserves budget on the input's word; a no-op otherwise. */
void pst_obuf_expect(struct pst_obuf *b, uint64_t size);
void pst_obuf_free(struct pst_obuf *b);
/* Reserves n more bytes of live memory for b beyond its capacity (a
 * decoder's dictionary), waiting like growth does. PST_ELIMIT (and
 * b->mem_over, b->max cut to b->len) when the budget cannot give them. */
enum pst_err pst_obuf_charge(struct pst_obuf *b, uint64_t n);
/* An unpacker's worker (the one filling b) starts (on) or stops waiting for
 * another worker outside the budget, e.g. for a shared block that one is
 * decoding: it cannot release memory meanwhile, so it counts as waiting. */
void pst_obuf_blocked(struct pst_obuf *b, bool on);
/* Hands b's content over to a new blob (shrunk to b->len), with its live
 * reservation; b keeps len and over but no longer owns p. NULL on out of
 * memory (b untouched). */
struct pst_blob *pst_obuf_take(struct pst_obuf *b);

/* Makes room for one more element in the growable array *v (n used, *cap
 * allocated, elem bytes each; first is the first capacity). Doubles; false
 * on out of memory or overflow, *v untouched. */
bool pst_array_grow(void **v, size_t *cap, size_t n, size_t elem, size_t first);
/* Gives back the reservation (the content is then counted by the sink). */
void pst_obuf_settle(struct pst_obuf *b);

/* ---- sparse (sparse.c): virtual disks without their zeros ---- */
/* Holes are found in blocks of this many bytes (a qcow2 cluster, a VMDK
 * grain): an all-zero block is never written. */
#define PST_SPARSE_BLOCK (64u << 10)
/* Makes b (fresh from pst_sink_obuf) a sparse buffer of size bytes: a
 * spill file that long, empty, mapped read-only, that pst_obuf_put_sparse
 * fills. False (b unchanged) when no spill file is free or size does not
 * fit the address space: fill b in memory instead. */
bool pst_obuf_sparse(struct pst_obuf *b, uint64_t size);
/* Appends n bytes to sparse b (b->len a multiple of PST_SPARSE_BLOCK until
 * the last call): all-zero blocks become holes; the others are written to
 * the file and count against the total and ratio limits and --max-spill,
 * never against the memory budget or --max-file-bytes (they are never in
 * memory as one buffer). PST_ELIMIT (b->over) when a limit stops it,
 * PST_EIO when the file cannot be written. */
enum pst_err pst_obuf_put_sparse(struct pst_obuf *b, const uint8_t *p, size_t n);
/* sha256 and entropy of v, which lies inside b (or b is NULL), reading b's
 * holes as zeros without touching their pages. */
void pst_view_digest(const struct pst_blob *b, struct pst_view v, uint8_t sha[32],
		     double *entropy);
/* *own (ranges of v, which lies inside b; NULL with *nown 0: all of v) less
 * b's holes: the bytes of v a content scanner reads. Returns the new list
 * (own is freed or reused), NULL with *nown 0 when nothing was subtracted
 * from all of v; on out of memory own unchanged (reading more is safe). */
/* Walks b's holes inside v in increasing positions (the carver's scan). */
struct pst_holes {
	const struct pst_range *h;
	size_t n, i;
	uint64_t base, len;
	uint64_t start, end; /* the next hole in v's coordinates; start UINT64_MAX: none */
};
void pst_holes_init(struct pst_holes *it, const struct pst_blob *b, struct pst_view v);
/* pos, or the end of the hole pos lies in; pos must not decrease between
 * calls. Callers test pos >= it->start first: the common case is a compare. */
uint64_t pst_holes_skip(struct pst_holes *it, uint64_t pos);
/* v up to the first of b's holes in it (at least PST_SPARSE_BLOCK bytes). */
struct pst_view pst_view_before_hole(const struct pst_blob *b, struct pst_view v);
struct pst_range *pst_own_less_holes(const struct pst_blob *b, struct pst_view v,
				     struct pst_range *own, size_t *nown);

/* ---- findings and facts ---- */
struct pst_fact {
	const struct pst_node *node;
	const char *key;
	const char *value;
};

struct pst_suppress {
	const struct pst_node *node;
	const char *by_rule;
	const char *reason;
};

struct pst_scan;
struct pst_sink;

/* Records a finding; message is printf-style. Thread-safe. */
void pst_finding_add(struct pst_scan *s, const struct pst_node *n, const char *rule,
		     enum pst_severity sev, const char *category, uint64_t off,
		     const char *evidence, const char *fmt, ...) PST_PRINTF(8, 9);
/* Silences a file's findings: at the end of the scan (after every analyzer's
 * finish) every finding on exactly node n is dropped, except coverage findings
 * (what could not be examined stays visible: fail closed) and findings whose
 * rule is by_rule. One info finding by_rule on n then records the reason and
 * the rule ids silenced. by_rule and reason are copied. Thread-safe. */
void pst_finding_suppress(struct pst_scan *s, const struct pst_node *n, const char *by_rule,
			  const char *reason);
/* Records a fact for tree-wide analyzers. Thread-safe. */
void pst_fact_add(struct pst_scan *s, const struct pst_node *n, const char *key,
		  const char *value);

/* ---- unpackers ---- */
struct pst_magic {
	const char *bytes;
	uint8_t len;
	uint16_t off;     /* where the magic sits from the object's start (tar: 257) */
};

#define PST_UNPACK_CARVE 0x01u  /* may be found by carving inside raw images */

struct pst_unpacker {
	const char *name;
	enum pst_kind kind;       /* what a node it opens is */
	unsigned flags;
	const struct pst_magic *magics; /* for carving; {NULL} terminated */
	/* Bits of evidence that head (len bytes, all the object has from its
	 * start) is ours; 0 = not ours. Peeks only: no allocation. */
	unsigned (*bid)(const uint8_t *head, size_t len);
	/* Emits the children of in into sink; never recurses, never touches the
	 * filesystem. Sets sink->consumed to the bytes the object occupies when
	 * it knows. A damaged object emits what it can and returns PST_EFORMAT. */
	enum pst_err (*unpack)(struct pst_sink *sink, struct pst_view in);
};

extern const struct pst_unpacker *const pst_unpackers[];

/* What every unpacker's bid on len bytes at p gave (pst_bid_make). Bids are
 * pure, so the same bytes give the same outcome: a node's bytes are bid on
 * once, by whoever needs it first (the walker; a vendor header's unpacker
 * looking for its payload), and the outcome is handed on with them (an
 * entry's bid, a task's, a sink's) instead of asking every unpacker again.
 * It holds for exactly p and len (pst_bid_is); p NULL: no bid made. */
struct pst_bid {
	const uint8_t *p;
	size_t len;
	const struct pst_unpacker *u;  /* the winner, or NULL: nobody's */
	unsigned top;                  /* its bid */
};
struct pst_bid pst_bid_make(const uint8_t *p, size_t len);
/* True when b was made on exactly len bytes at p. */
bool pst_bid_is(const struct pst_bid *b, const uint8_t *p, size_t len);

/* ---- sink: where unpackers put children; the one place limits are checked ---- */
struct pst_entry {
	const char *path;     /* path in the container (normalised by the sink) */
	const char *seg;      /* or: a region of the parent ("gzip@0x40"), not a path */
	uint32_t mode;        /* S_IF* | permissions; 0 = regular 0644 */
	uint32_t uid, gid;
	const char *link;     /* symlink or hardlink target */
	uint64_t offset;      /* where the content starts in the parent, if known */
	uint64_t declared_size;
	unsigned flags;       /* PST_NODE_* to set */
	/* Content, one of: */
	const uint8_t *borrow; size_t borrow_len;   /* bytes inside the parent's view */
	struct pst_obuf *take;                      /* the sink takes this buffer */
	/* or a loader, called on a worker thread when the file is examined; ctx is
	 * kept alive with ctx_ref/ctx_unref. Lets decompression run in parallel. */
	enum pst_err (*load)(void *ctx, uint64_t cookie, unsigned worker, struct pst_obuf *out);
	void *ctx;
	uint64_t cookie;
	void (*ctx_ref)(void *ctx);
	void (*ctx_unref)(void *ctx);
	/* Borrowed content the unpacker has had bid on already (vendor.c):
	 * the walker takes this outcome for the child. */
	struct pst_bid bid;
};

/* The first bytes of a container that content scanners read although
 * children explain them: every header format postern opens (uImage 64,
 * squashfs 96, ext's superblock at 1024..2048, UBI's VID header at 2048)
 * lies within them. */
#define PST_HEADER_WINDOW 4096u

struct pst_sink {
	struct pst_scan *scan;
	struct pst_node *parent;
	struct pst_blob *blob;     /* the parent's bytes; borrowed children ref it */
	const uint8_t *base;       /* start of the view given to unpack() */
	size_t base_len;           /* its bytes */
	uint64_t borrowed;         /* bytes handed to borrowed children so far */
	/* Parts of the parent that children examine themselves (borrowed
	 * children, carved objects), and the header windows of carved objects,
	 * which are never analyzed as nodes of their own (src/core/ranges.c). */
	struct pst_range *covered, *heads;
	size_t ncovered, capcovered, nheads, capheads;
	bool ranges_lost;          /* out of memory recording them */
	unsigned worker;
	uint64_t consumed;         /* set by the unpacker */
	/* Set by the unpacker when it knows: bytes at the start of the parent
	 * that are the format's own header, the rest being its children's
	 * (encoded) bytes. 0: not said; content scanners then read the first
	 * PST_HEADER_WINDOW bytes, up to the first borrowed child. */
	uint64_t header;
	uint64_t emitted;
	bool stopped;              /* a scan-wide limit hit: emit no more */
	/* The first damage the unpacker reported; the walker records it after
	 * unpack() returns, or drops it with a carving candidate that came to
	 * nothing. */
	enum pst_err damage_err;
	char damage[200];
	unsigned ndamage;
	bool nest_cut;             /* the nesting limit was reported */
	/* The bid made on the view given to unpack() (or carved), when one was
	 * (the walker's, for the node itself): the carver asks no unpacker
	 * again at an offset whose bytes it covers. */
	struct pst_bid bid;
};

/* The sink's API (src/core/sink.c). Unpackers call pst_sink_emit,
 * pst_sink_obuf, pst_sink_damage, pst_sink_cancelled, pst_sink_nest and
 * pst_sink_path_cut (and pst_sink_cover/head, pst_walk_region through the
 * carver); the rest is for the walker. No unpacker checks a limit itself. */
enum pst_err pst_sink_emit(struct pst_sink *k, const struct pst_entry *e);
/* Prepares b with the maximum a child may have now. */
void pst_sink_obuf(struct pst_sink *k, struct pst_obuf *b);
/* A damaged or unreadable part of the parent: marks it incomplete and records
 * a finding "unpack.<kind>" with the message. Returns err for convenience. */
enum pst_err pst_sink_damage(struct pst_sink *k, enum pst_err err, const char *fmt, ...)
	PST_PRINTF(3, 4);
/* True when the scan must stop (cancel, time). */
bool pst_sink_cancelled(struct pst_sink *k);
/* Directory nesting inside one container's own tree (filesystems are walked
 * by recursion): true while depth is at most half the path limit (each level
 * adds two bytes or more) and PST_NEST_MAX (the recursion's stack). Beyond,
 * the subtree is not entered: reported once per container as limit.path and
 * the container marked incomplete. `where` names the directory. */
/* PST_NEST_MAX: caps.h */
bool pst_sink_nest(struct pst_sink *k, unsigned depth, const char *where);
/* An internal cap (caps.h, named by cap) dropped part of k's parent:
 * limit.cap with the message, the parent marked incomplete. */
void pst_sink_cap_hit(struct pst_sink *k, const char *cap, const char *fmt, ...) PST_PRINTF(3, 4);
/* A decoder a library runs inside itself (libarchive's) holds a window of n
 * bytes while it decodes k's parent: w (zeroed; pst_obuf_free it once the
 * library is done) carries the charge against the memory budget, waiting as
 * a buffer's growth does. False when the budget cannot give it: the parent
 * is cut (limit.memory, truncated, incomplete) and must not be decoded.
 * `what` names the codec. */
bool pst_sink_window(struct pst_sink *k, struct pst_obuf *w, uint64_t n, const char *what);
/* A member under `where` whose path would pass max bytes (--max-path) was
 * not emitted: limit.path, the container marked incomplete. */
void pst_sink_path_cut(struct pst_sink *k, const char *where, size_t max);
unsigned pst_scan_worker_count(const struct pst_scan *s);

/* What a queued node's bytes are: the sink fills it, the walker's task
 * keeps it until the node is examined. Per task, never scan-wide. */
struct pst_content {
	struct pst_blob *blob;     /* a reference the task owns; NULL: a loader or no bytes */
	const uint8_t *p;
	size_t len;
	enum pst_err (*load)(void *ctx, uint64_t cookie, unsigned worker, struct pst_obuf *out);
	void *ctx;
	uint64_t cookie;
	void (*ctx_unref)(void *ctx);
	int dirfd;                 /* a directory target's root: read it (dirroot.c); else -1 */
	uint64_t xino;             /* --extract: the empty file a loader's bytes go to, or 0 */
	struct pst_bid bid;        /* made on its borrowed bytes already, if p is set */
};

/* For the walker (walk.c), which asks before it acts and never counts. */
/* A sink for opening parent, whose bytes are v inside blob. */
void pst_sink_init(struct pst_sink *k, struct pst_scan *s, struct pst_node *parent,
		   struct pst_blob *blob, struct pst_view v, unsigned worker);
/* True when the scan must stop now: cancelled, or past --max-seconds
 * (reported once as limit.time, and the scan cancelled). */
bool pst_scan_stopped(struct pst_scan *s);
/* Whether u may open n (--max-depth); a refusal is reported (limit.depth,
 * n incomplete). what: "container", "object". */
bool pst_sink_may_open(struct pst_scan *s, struct pst_node *n, const struct pst_unpacker *u,
		       const char *what);
/* Makes and links the node for e under k's parent, counted against
 * --max-files and checked for time, path length and traversal; NULL when a
 * limit or out of memory stops it (*rc says which). */
struct pst_node *pst_sink_node(struct pst_sink *k, const struct pst_entry *e, enum pst_err *rc);
/* Takes back the node k made last (a carving candidate that came to
 * nothing); prev was the parent's last child before it. */
void pst_sink_unemit(struct pst_sink *k, struct pst_node *prev);
/* Runs a deferred member's loader into a buffer the limits bound and counts
 * what it brought; NULL when its content could not be kept (n given up). */
struct pst_blob *pst_sink_load(struct pst_scan *s, struct pst_node *n,
			       const struct pst_content *c, unsigned worker);
/* Records the damage the unpacker reported on k's parent (unpack.*). */
void pst_sink_commit_damage(struct pst_sink *k);
/* Marks n incomplete (counted once). */
void pst_mark_incomplete(struct pst_scan *s, struct pst_node *n);
/* Out of memory for n's part: n incomplete, unpack.resource. */
void pst_sink_give_up(struct pst_scan *s, struct pst_node *n, const char *what);
/* Counts an examined node in coverage (files, dirs, kinds, containers). */
void pst_sink_count_kind(struct pst_scan *s, const struct pst_node *n);
/* Hands n with content c to the walker's queue (walk.c); PST_ENOMEM when
 * no task could be made (c is then still the caller's). */
enum pst_err pst_walk_queue(struct pst_scan *s, struct pst_node *n, const struct pst_content *c,
			    unsigned worker);
/* Emits a directory target's entries below dirfd (dirroot.c); files are
 * read into memory, links recorded and never followed. */
void pst_dir_emit(struct pst_sink *k, int dirfd, const char *prefix, unsigned level);

/* ---- what children explain (src/core/ranges.c) ---- */
/* Records that a child examined on its own covers [off, off+len) of k's
 * parent; head: the first bytes of a carved object, which is not. */
void pst_sink_cover(struct pst_sink *k, uint64_t off, uint64_t len);
void pst_sink_head(struct pst_sink *k, uint64_t off, uint64_t len);
/* The node's own ranges (struct pst_file.own) after its unpacker (opened)
 * and the carver ran on k over len bytes; consumed 0: the unpacker did not
 * say, none of its bytes count as explained. NULL with *n 0 when all of the
 * bytes are its own (or on out of memory: reading all is the safe side).
 * The caller frees the result. */
struct pst_range *pst_own_ranges(const struct pst_sink *k, uint64_t len, uint64_t consumed,
				 size_t *n);
/* The header window of the object k opened, len bytes long. */
uint64_t pst_sink_header_window(const struct pst_sink *k, uint64_t len);
void pst_sink_ranges_free(struct pst_sink *k);

/* ---- analyzers ---- */
struct pst_file {
	const struct pst_node *node;
	struct pst_view data;
	struct pst_scan *scan;     /* for pst_finding_add / pst_fact_add */
	/* For a node an unpacker opened or objects were carved from: the parts
	 * of data no child examines itself, sorted and disjoint: its header
	 * window, the bytes the unpacker did not consume less what carved
	 * objects and borrowed children cover, and each carved object's header
	 * window. A content scanner reads these to see a container's headers
	 * and unexplained bytes without reading its encoded payload, which its
	 * children are. NULL: all of data is the node's own. */
	const struct pst_range *own;
	size_t nown;
};

/* What a tree-wide analyzer's finish() reads. facts is a snapshot the finish
 * phase owns (src/core/scan.c finish()): it stays put while finishes add
 * facts and findings. scan is for pst_finding_add/pst_fact_add; its facts
 * and findings arrays move whenever anything is added (issue 22), so a
 * pointer into them must not be held across an add. */
struct pst_tree {
	const struct pst_node *root;
	const struct pst_fact *facts; /* sorted by location, key, value */
	size_t nfacts;
	struct pst_scan *scan;
};

/* State several analyzers read (the access lists of accounts, keys and
 * fsperm): loaded once per scan, by the first analyzer in the registry that
 * names it, given to the others as it is, and freed once with the scan, so
 * what loading it tells the user is told once. */
struct pst_analyzer_shared {
	enum pst_err (*init)(const struct pst_options *o, void **state);
	void (*fini)(void *state);
};

struct pst_analyzer {
	const char *name;
	enum pst_err (*init)(const struct pst_options *o, void **state);
	void (*fini)(void *state);
	bool (*wants)(const void *state, const struct pst_node *n);
	enum pst_err (*analyze)(const void *state, const struct pst_file *f);
	enum pst_err (*finish)(const void *state, const struct pst_tree *t);
	const struct pst_analyzer_shared *shared; /* instead of init and fini */
};

extern const struct pst_analyzer *const pst_analyzers[];

/* ---- classification and hashing ---- */
void pst_classify(struct pst_node *n, struct pst_view data, struct pst_arena *a);
/* What data no unpacker opens is known to be ("PNG image", "Linux kernel
 * image", ...), or NULL: such data counts as examined (identify.c). */
const char *pst_identify(const struct pst_node *n, struct pst_view v);
/* pst_identify's name for a PE program (its kind_detail). */
extern const char pst_kind_pe[];
/* Where the bytes a PE program's headers, sections, COFF symbols and
 * certificate table account for end (claims past v's end ignored); 0: not a
 * PE program this reads (classify.c). */
uint64_t pst_pe_end(struct pst_view v);
/* Where the text of a script or text file ends: the start of the line where
 * binary data begins (a payload appended to an installer script), or v.len
 * (classify.c). */
uint64_t pst_text_end(struct pst_view v);
/* The size of the DER SEQUENCE at off (tag, length, content), 0: none there. */
uint64_t pst_der_seq_len(struct pst_view v, uint64_t off);
void pst_sha256(const uint8_t *p, size_t len, uint8_t out[32]);
double pst_entropy(const uint8_t *p, size_t len);
/* Adds p's bytes to the byte counts hist; the entropy of len counted bytes. */
void pst_hist_add(uint64_t hist[256], const uint8_t *p, size_t len);
double pst_hist_entropy(const uint64_t hist[256], uint64_t len);
void pst_hex(const uint8_t *p, size_t n, char *out); /* out: 2n+1 */

/* ---- walker ---- */
/* Walks from root, whose bytes are blob (owned; NULL for a directory target,
 * then read from dirfd, else -1). */
enum pst_err pst_walk(struct pst_scan *s, struct pst_node *root, struct pst_blob *blob, int dirfd);
/* Carves objects out of the raw blob in, from start on; called by the walker. */
void pst_carve(struct pst_sink *k, struct pst_view in, uint64_t start);
/* For unpackers that decode a payload themselves (uImage, FIT, Arcadyan):
 * the payload [off, off+len) of in declared a region, the decoder used only
 * its first used bytes. The rest is carved like a raw image as children of
 * k's node, and what nothing explains there is reported: a root filesystem
 * behind a kernel stream inside one declared payload is found, not counted
 * as read. */
void pst_carve_rest(struct pst_sink *k, struct pst_view in, uint64_t off, uint64_t len,
		    uint64_t used);
/* A static ELF program at least this dense (bits per byte) is mostly a
 * compressed payload: a self-decompressing kernel. Programs are ~5-6.5. */
#define PST_ELF_PAYLOAD_ENTROPY 7.0
/* Opens the object u bid on at off inside k's parent, in this thread. Returns
 * the bytes it occupies, or 0 when it came to nothing (the candidate is
 * dropped without a trace). */
uint64_t pst_walk_region(struct pst_sink *k, uint64_t off, struct pst_view obj,
			 const struct pst_unpacker *u);
/* Picks the unpacker with the highest bid, or NULL. */
const struct pst_unpacker *pst_unpacker_choose(const uint8_t *head, size_t len, unsigned *bid);

/* ---- extraction (only with --extract) ---- */
struct pst_extract;
struct pst_extract *pst_extract_open(const char *dir, char *err, size_t errlen);
void pst_extract_close(struct pst_extract *x);
/* Writes one node as its unpacker emits it (the sink calls it, so the
 * directory follows the archive's order whatever the walker's schedule);
 * never follows links, never leaves dir. With ino, a regular file's content
 * comes later (a loader): the file is made empty and *ino names it. */
enum pst_err pst_extract_node(struct pst_extract *x, const struct pst_node *n,
			      struct pst_view data, uint64_t *ino, char *err, size_t errlen);
/* Writes a deferred member's content into the empty file made for it
 * (inode ino); nothing when a later member of that name replaced it. */
enum pst_err pst_extract_fill(struct pst_extract *x, const struct pst_node *n, uint64_t ino,
			      struct pst_view data, char *err, size_t errlen);

/* What the signature analyzers loaded, for the report's run object only
 * (times differ from run to run; counts are also in facts). */
struct pst_run_sigs {
	unsigned yara_rules, yara_files;
	double yara_compile_seconds;   /* compiling, or loading from the cache */
	bool yara_from_cache;
	bool clamav_loaded;            /* --clamav-db: its database was loaded */
	unsigned clamav_signatures;
	/* of them: answered from postern's digests, translated into YARA,
	 * left to libclamav (clamav_db.c) */
	unsigned clamav_hash, clamav_yara, clamav_libclamav;
	double clamav_load_seconds;    /* cl_load + cl_engine_compile */
};

/* Whether this process has initialised libclamav (clamav.c); a scan without
 * --clamav-db never does. */
bool pst_clamav_initialized(void);
/* The private temporary directory of a clamav analyzer state, or NULL. */
const char *pst_clamav_scratch(const void *state);

/* ---- the scan context ---- */
struct pst_scan {
	struct pst_options opts;
	struct pst_scan *live_next, *live_prev; /* oom.c's live scans */
	struct pst_arena *arena;
	uint64_t mem_cap;              /* the most the memory budget grows to (pst_scan_fit_memory) */
	pthread_mutex_t lock;          /* findings, facts, coverage, tree links */
	struct pst_node *root;
	struct pst_finding *findings;
	size_t nfindings, capfindings;
	struct pst_fact *facts;
	size_t nfacts, capfacts;
	struct pst_suppress *supp;     /* pst_finding_suppress, applied in finish */
	size_t nsupp, capsupp;
	struct pst_coverage cov;
	uint64_t target_size;
	char target_sha[65];
	atomic_uint_fast64_t total_bytes;
	struct pst_mem mem;            /* live-memory budget (--max-memory) */
	atomic_uint_fast64_t dir_bytes;     /* read from a directory target's files */
	atomic_uint_fast64_t nodes;
	atomic_bool cancel;
	/* Set once by pst_scan_fail (out of memory where nothing can be given
	 * up safely): the walk stops and the scan returns it. */
	atomic_int fatal;
	atomic_bool limit_total_hit, limit_files_hit, limit_time_hit, limit_ratio_hit;
	double t_start;
	double seconds;
	unsigned jobs;
	struct pst_run_sigs sigs;      /* set by the signature analyzers' finish() */
	void **astate;                 /* per analyzer */
	struct pst_extract *extract;
	char dir_root[1024];           /* the path a directory target has in the product's
					* root filesystem ("/usr/bin"; "" for "/"), dirroot.c */
	const char *dir_root_from;     /* "option", "inferred" or "default"; NULL for a file */
	struct pst_pool *pool;
	enum pst_verdict verdict;
	struct pst_policy *policy;     /* loaded before the walk; see src/policy */
	char rules_sha[65];
	bool ran;
	bool prepared;
	char errmsg[512];
	/* progress */
	atomic_uint_fast64_t done_files;
	double last_progress;
};

/* sha256 of the built-in findings catalog, the analyzer list and every file
 * under the user's rule directories (hex into out). */
enum pst_err pst_rules_digest(const char *const *dirs, char out[65], char *err, size_t errlen);

/* A directory target's root (dirroot.c): --root PATH normalised into out
 * ("/" gives ""), PST_EUSAGE when it is not an absolute path without "..";
 * or inferred from the real path of the target directory open on fd (true,
 * and out set, when it ends in a
 * system directory like /usr/bin, or names a place after squashfs-root/ or
 * rootfs/). */
enum pst_err pst_dir_root_option(const char *given, char *out, size_t len);
bool pst_dir_root_infer(int fd, const char *target, char *out, size_t len);

/* Hands a message to the scan's callback (pst_options.message), if any;
 * the library's only way to say something outside the result. */
void pst_message(const struct pst_options *o, enum pst_msg kind, const char *fmt, ...)
	PST_PRINTF(3, 4);

double pst_now(void);
void pst_scan_seterr(struct pst_scan *s, const char *fmt, ...) PST_PRINTF(2, 3);
void pst_cov_add(struct pst_scan *s, uint64_t *field, uint64_t n);
/* Ends the scan with e (PST_ENOMEM): the first call's message becomes the
 * scan's error, the walk stops, and pst_scan_run returns e whatever else
 * happened, so no result is reported from a scan that lost an item.
 * Thread-safe. */
void pst_scan_fail(struct pst_scan *s, enum pst_err e, const char *fmt, ...) PST_PRINTF(3, 4);
/* Out of memory is counted only beside a failed call: a step (an unpacker,
 * loader, analyzer, init or finish call) that returns PST_ENOMEM, or one in
 * which postern's own code saw an allocation fail (pst_oom_note) where it
 * had no way to return it (a helper with no error path, a library that
 * reported it). errno is not read: glibc's malloc leaves ENOMEM behind
 * after calls that succeeded (when it falls back from a new arena), and
 * reports of big trees then varied from run to run (issue 23). The note is
 * the calling thread's: PST_OOM_BEGIN clears it before a step, and
 * pst_oom_seen reads it after. */
void pst_oom_clear(void);
void pst_oom_note(void);
/* Around a step run inside another (a child examined inline): the outer
 * step's note, cleared for the inner one, and put back after it. */
bool pst_oom_save(void);
void pst_oom_restore(bool noted);
/* Notes out of memory when the libc call that just failed (opendir,
 * scandir, realpath, fmemopen: they allocate) says so in errno. */
void pst_oom_errno(void);
#define PST_OOM_BEGIN() pst_oom_clear()
bool pst_oom_seen(enum pst_err rc);
/* malloc, calloc, realloc, strdup and strndup that note a failure
 * (pst_oom_note): src/analyze, src/core and src/policy allocate through
 * these, so an allocation failure that a caller drops (takes for "nothing
 * found") still ends its step as out of memory. realloc of 0 bytes is no
 * failure. */
void *pst_malloc(size_t len);
void *pst_calloc(size_t n, size_t len);
void *pst_realloc(void *p, size_t len);
char *pst_strdup(const char *s);
char *pst_strndup(const char *s, size_t n);
/* Gives the libraries that crash on a failed allocation (capstone) one that
 * exits 70 instead (oom.c); once per process, from pst_scan_new. */
void pst_oom_guard_libraries(void);
/* The live scans the last-resort exit tells (pst_scan_new/_free), and that
 * exit: PST_MSG_FATAL to each live scan's callback, then _exit(70). */
void pst_oom_live_add(struct pst_scan *s);
void pst_oom_live_remove(struct pst_scan *s);
_Noreturn void pst_oom_die(void);

/* A limit hit, reported once per limit and node. */
void pst_limit_hit(struct pst_scan *s, const struct pst_node *n, const char *which,
		   const char *fmt, ...) PST_PRINTF(4, 5);
/* An internal cap (caps.h) that dropped content of n: limit.cap naming the
 * cap, counted in coverage.limits_hit, so the verdict is review at least.
 * What analyzers call (their node is read-only: the sink's
 * pst_sink_cap_hit also marks a container incomplete). */
void pst_cap_hit(struct pst_scan *s, const struct pst_node *n, const char *cap,
		 const char *fmt, ...) PST_PRINTF(4, 5);

#endif
