/*
 * postern.h - the public API of libpostern.
 *
 * A scan opens a target (firmware image, package, directory...), unpacks it
 * recursively in memory, classifies and analyzes every file, and produces a
 * result: a tree of nodes, findings, coverage counters and a verdict. The
 * command-line tool includes only this header.
 *
 * Ownership: everything a scan returns (nodes, findings, strings) lives until
 * pst_scan_free() on that scan. Several scans may run in one process; the
 * library has no mutable globals.
 */
#ifndef POSTERN_POSTERN_H
#define POSTERN_POSTERN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define PST_VERSION "0.1.0"

/* Result codes. Never renumbered: tools and stored results rely on them. */
enum pst_err {
	PST_OK = 0,
	PST_ENOMEM = 1,       /* out of memory: aborts the scan */
	PST_EIO = 2,          /* reading the target or writing output failed */
	PST_EFORMAT = 3,      /* malformed input: the node is marked incomplete */
	PST_EUNSUPPORTED = 4, /* a variant we cannot open (yet) */
	PST_ELIMIT = 5,       /* a limit was hit; the sink recorded it */
	PST_ECANCEL = 6,      /* the scan was cancelled or ran out of time */
	PST_EUSAGE = 7,       /* bad option or argument */
	PST_ENOENT = 8,       /* target does not exist */
};

const char *pst_err_str(enum pst_err e);

enum pst_severity {
	PST_SEV_INFO = 0,
	PST_SEV_LOW,
	PST_SEV_MEDIUM,
	PST_SEV_HIGH,
	PST_SEV_CRITICAL,
};

const char *pst_severity_str(enum pst_severity s);
/* Returns -1 for an unknown name. */
int pst_severity_parse(const char *s);

enum pst_verdict {
	PST_VERDICT_PASS = 0,
	PST_VERDICT_REVIEW,
	PST_VERDICT_FAIL,
};

const char *pst_verdict_str(enum pst_verdict v);

/* What a file is. Stable names (pst_kind_str) appear in JSON output. */
enum pst_kind {
	PST_KIND_UNKNOWN = 0,
	PST_KIND_DIR,
	PST_KIND_SYMLINK,
	PST_KIND_DEVICE,     /* char/block device, fifo, socket: metadata only */
	PST_KIND_EMPTY,
	PST_KIND_ELF,
	PST_KIND_SCRIPT,
	PST_KIND_TEXT,
	PST_KIND_KEY,        /* PEM/DER/OpenSSH/PuTTY key or certificate */
	PST_KIND_ARCHIVE,    /* opened by an unpacker */
	PST_KIND_COMPRESSED, /* a compressed stream */
	PST_KIND_FILESYSTEM, /* a filesystem image */
	PST_KIND_FIRMWARE,   /* a firmware container/header */
	PST_KIND_ENTROPY,    /* high-entropy data nothing could open */
	PST_KIND_DATA,       /* anything else */
	PST_KIND_COUNT_,
};

const char *pst_kind_str(enum pst_kind k);

/* Node flags. */
#define PST_NODE_INCOMPLETE 0x01u /* could not be examined completely */
#define PST_NODE_TRUNCATED 0x02u  /* content cut short (limit or damaged input) */
#define PST_NODE_ENCRYPTED 0x04u  /* encrypted content we cannot read */
#define PST_NODE_CONTAINER 0x08u  /* an unpacker opened it */
#define PST_NODE_CARVED 0x10u     /* found by carving inside a raw blob */
#define PST_NODE_VIRTUAL 0x20u    /* a region of its parent, not a stored file */

struct pst_elf_info {
	uint16_t machine;
	uint8_t elf_class;   /* 1 = 32-bit, 2 = 64-bit */
	uint8_t endian;      /* 1 = little, 2 = big */
	uint16_t type;       /* ET_EXEC, ET_DYN, ... */
	bool stripped;
	bool is_static;
	const char *interp;  /* NULL when none */
	uint64_t end;        /* where the bytes its header tables, segments and sections
			      * claim end (at most the file's size); past it: an overlay */
	uint64_t vlo, vhi;   /* the loadable segments' addresses (those not at 0), or 0 */
};

struct pst_node {
	struct pst_node *parent;
	struct pst_node *child;      /* first child, in emit order */
	struct pst_node *next;       /* next sibling */
	struct pst_node *last_child_;
	const char *seg;      /* this node's location segment ("/etc/passwd", "squashfs@0xc0000") */
	const char *path;     /* absolute path inside the innermost container */
	const char *location; /* full location: "fw.bin!squashfs@0xc0000!/etc/passwd" */
	const char *format;   /* unpacker that opened it, or NULL */
	const char *link;     /* symlink/hardlink target, or NULL */
	uint64_t offset;      /* offset in the parent's bytes (0 for stored files) */
	uint64_t size;        /* bytes of content (as examined) */
	uint64_t declared_size;
	uint32_t mode;        /* st_mode style: type and permission bits */
	uint32_t uid, gid;
	enum pst_kind kind;
	const char *kind_detail; /* "script: /bin/sh", "PEM private key", ... or NULL */
	struct pst_elf_info elf; /* valid when kind == PST_KIND_ELF */
	uint8_t sha256[32];
	double entropy;       /* bits per byte, 0..8 */
	unsigned depth;       /* 0 for the target */
	unsigned flags;       /* PST_NODE_* */
	uint32_t nchildren;
};

struct pst_finding {
	const char *rule;     /* stable id, e.g. "limit.depth" */
	enum pst_severity severity;
	const char *category; /* "access", "coverage", "capability", ... */
	const struct pst_node *node;
	uint64_t offset;      /* offset in the node's content, or 0 */
	const char *message;
	const char *evidence; /* short; secrets redacted; may be NULL */
	/* Set by the policy (src/policy): the severity the analyzer gave, before
	 * any per-rule override, and the waiver that covers the finding (NULL:
	 * none). A waived finding is reported but does not count in the verdict. */
	enum pst_severity declared_severity;
	const struct pst_waiver *waiver;
};

/* A waiver from the policy: findings whose rule and location match are
 * accepted, with a justification, until the expiry date (inclusive). */
struct pst_waiver {
	const char *rule;          /* rule id or fnmatch glob */
	const char *location;      /* fnmatch glob on the location or the inner path */
	const char *justification; /* required */
	const char *expires;       /* YYYY-MM-DD */
	unsigned line;             /* where it is in the policy file */
	bool expired;              /* past its expiry date: it does not apply */
	uint64_t matched;          /* findings it covers in this scan */
};

/* Every limit bounds one resource; the sink is the one place that checks them.
 * A hit becomes a finding (rule "limit.<name>") and counts in coverage. */
struct pst_limits {
	unsigned max_depth;        /* nesting of containers; default 24 */
	uint64_t max_file_bytes;   /* content of one file after unpacking; default 256 MiB */
	uint64_t max_total_bytes;  /* all content unpacked in one scan; default 16 GiB */
	uint64_t max_files;        /* nodes in the tree; default 1,000,000 */
	uint64_t max_ratio;        /* total unpacked / target size, applied past 64 MiB; default 500 */
	double max_seconds;        /* wall time of the whole scan; default 1800 */
	unsigned max_path;         /* bytes of one path inside a container; default 4096 */
	uint64_t max_memory;       /* unpacked content alive at once, all workers; default 384 MiB,
				    * raised to PST_MEMORY_PER_INPUT times the largest input file
				    * (at most a quarter of RAM, 4 GiB) unless max_memory_fixed */
	bool max_memory_fixed;     /* max_memory as given (--max-memory): no raising */
	uint64_t max_spill;        /* bytes on disk (unlinked temporary files in $TMPDIR) for
				    * content the memory budget cannot hold; 0: none, such
				    * content is cut (limit.memory); default 4 GiB */
};
#define PST_MEMORY_PER_INPUT 6

void pst_limits_default(struct pst_limits *l);

/* What the library has to say outside the result (it never writes to
 * stdout or stderr itself): a warning (a rule file skipped, a rule pack or
 * database refused: text says what and why), or the progress line (only
 * with pst_options.progress; PST_MSG_PROGRESS_END once the walk is over, so
 * a terminal line can be cleared). PST_MSG_FATAL: a library that cannot
 * survive out of memory (capstone, OpenSSL: src/core/oom.c) failed an
 * allocation and the process ends with exit 70 when the callback returns;
 * every scan alive in the process gets it, possibly while another of its
 * threads is in the callback. Memory is exhausted: the callback must not
 * allocate (write(2) the text, no stdio buffer, no logging library). */
enum pst_msg {
	PST_MSG_WARNING = 0,
	PST_MSG_PROGRESS,
	PST_MSG_PROGRESS_END,
	PST_MSG_FATAL,
};

/* Where PST_MSG_FATAL goes when no scan alive has a message callback to
 * hear it: an allocation OpenSSL makes while the process exits (its atexit
 * cleanup), or one between scans. Same rules as pst_options.message (must
 * not allocate); process-wide; NULL (the default): the message is dropped
 * and the process still ends with exit 70. */
void pst_set_fatal_handler(void (*fn)(void *ctx, enum pst_msg kind, const char *text),
			   void *ctx);

struct pst_options {
	struct pst_limits limits;
	unsigned jobs;             /* worker threads; 0 = one per core */
	const char *extract_dir;   /* write the unpacked tree here (traversal-safe) or NULL */
	bool inventory;            /* report every file */
	bool progress;             /* progress messages (PST_MSG_PROGRESS) */
	/* Receives the library's messages; NULL (the default): they are dropped.
	 * Called from any of the scan's threads, never two at once for one scan;
	 * text is valid during the call only. The command-line tool prints them
	 * to stderr; the service logs them per job. */
	void (*message)(void *ctx, enum pst_msg kind, const char *text);
	void *message_ctx;
	const char *const *rule_dirs; /* NULL-terminated user rule directories, or NULL */
	const char *rules_pack;    /* the bundled pack (rules/); NULL: $POSTERN_RULES_DIR,
				    * else the installed or source tree's rules/ */
	bool no_rules_pack;        /* run without the bundled pack (benchmarks) */
	double rule_timeout;       /* seconds of YARA scanning per file; 0 = default 20 */
	const char *clamav_db;     /* a ClamAV database directory, or NULL: libclamav
				    * is not loaded (src/analyze/clamav.c) */
	const char *policy_path;   /* NULL for the built-in default */
	const char *dir_root;      /* a directory target's path in the product's root
				    * filesystem ("/usr/bin"); NULL: inferred from the
				    * target's path, else "/" (src/core/dirroot.c) */
	/* Offline vulnerability data (docs/vulndb.md): the database the
	 * components are matched against; NULL: none (the CLI passes the
	 * default path when that file exists). vulndb_max_age_days: older
	 * newest import gives vulndb.stale; 0 = default 7. */
	const char *vulndb;
	unsigned vulndb_max_age_days;
	/* One file's bytes handed over as the walk examines it (the service's
	 * hex view, src/service/peek.c): peek is called with the node whose
	 * location is peek_location and its content, borrowed for the call
	 * only, from any of the scan's threads; once per node of that
	 * location (an archive may hold two). NULL: none. */
	const char *peek_location;
	void (*peek)(void *ctx, const struct pst_node *n, const uint8_t *data, size_t len);
	void *peek_ctx;
};

void pst_options_default(struct pst_options *o);

/* Whether this build has libclamav and it loads (pst_options.clamav_db
 * works). The first call opens libclamav: make it before a sandbox. */
bool pst_clamav_available(void);
/* Why pst_clamav_available() is false, for a message; "" when it is true. */
const char *pst_clamav_error(void);

struct pst_coverage {
	uint64_t files;            /* regular files examined */
	uint64_t dirs;
	uint64_t links;
	uint64_t specials;         /* devices, fifos, sockets */
	uint64_t containers;       /* nodes an unpacker opened */
	uint64_t bytes_unpacked;   /* content bytes produced by unpackers */
	uint64_t incomplete;       /* nodes not examined completely */
	uint64_t truncated;
	uint64_t encrypted;
	uint64_t limits_hit;
	uint64_t unexplained_bytes;/* non-padding bytes of raw images and firmware parts
				    * that no object explains */
	uint64_t unidentified;     /* high-entropy data or firmware blobs no unpacker opened
				    * and nothing identified (docs/findings/coverage.md) */
	uint64_t kinds[PST_KIND_COUNT_];
	/* Programs examined in part: their machine's code is not
	 * disassembled (finding analyze.partial), or the search for hidden
	 * commands stopped at its bounds (analyze.budget). Last,
	 * so the fields before it keep their offsets. */
	uint64_t partial;
};

struct pst_scan;

/* Returns NULL on out of memory or invalid options. */
struct pst_scan *pst_scan_new(const struct pst_options *opts);
void pst_scan_free(struct pst_scan *s);

/* Loads rules and policy and opens outputs (--extract) before the scan, so a
 * sandbox can be entered between the two; pst_scan_run calls it if needed. */
enum pst_err pst_scan_prepare(struct pst_scan *s);

/* Scans a file or directory. Returns PST_OK when a result exists (whatever
 * the verdict); other codes mean the scan could not be done at all. */
enum pst_err pst_scan_run(struct pst_scan *s, const char *target);
/* Scans bytes in memory; name is the target's display name. The bytes are
 * borrowed for the duration of the call. */
enum pst_err pst_scan_run_mem(struct pst_scan *s, const char *name,
			      const uint8_t *data, size_t len);

/* Asks a running scan to stop soon (thread-safe). */
void pst_scan_cancel(struct pst_scan *s);
/* How far a running scan is (thread-safe, e.g. from the message callback):
 * *done the files examined so far, *seen the files found so far (examined
 * or waiting; grows as containers are opened), so done/seen estimates the
 * fraction done. seen >= done. */
void pst_scan_progress(const struct pst_scan *s, uint64_t *done, uint64_t *seen);

/* Detail text for the last error, or "". */
const char *pst_scan_errmsg(const struct pst_scan *s);
/* After pst_scan_prepare: a directory the scan must be able to write under
 * while it runs (libclamav makes and removes an empty directory there per
 * file it scans), or NULL (no --clamav-db). */
const char *pst_scan_scratch_dir(const struct pst_scan *s);

/* Results, valid after pst_scan_run returned PST_OK. */
const struct pst_node *pst_scan_root(const struct pst_scan *s);
const struct pst_coverage *pst_scan_coverage(const struct pst_scan *s);
/* Findings sorted by location, offset, rule, message. */
const struct pst_finding *pst_scan_findings(const struct pst_scan *s, size_t *n);
enum pst_verdict pst_scan_verdict(const struct pst_scan *s);
double pst_scan_seconds(const struct pst_scan *s);
unsigned pst_scan_jobs(const struct pst_scan *s);
const char *pst_scan_target_sha256(const struct pst_scan *s); /* hex */

/* Depth-first traversal in deterministic (emit) order. */
const struct pst_node *pst_node_next(const struct pst_node *n);

/* ---- Policy (src/policy): thresholds, per-rule overrides, waivers, and the
 * coverage rule. See docs/policy.md. ---- */
struct pst_policy;

/* Parses policy YAML; name is used in messages and reports. On error returns
 * NULL and writes "NAME:LINE:COL: what" to err. */
struct pst_policy *pst_policy_parse(const char *text, size_t len, const char *name,
				    char *err, size_t errlen);
/* Loads a policy file; "default" and "strict" name the built-in ones when no
 * such file exists, NULL is the built-in default. */
struct pst_policy *pst_policy_load(const char *path, char *err, size_t errlen);
void pst_policy_free(struct pst_policy *p);
const char *pst_policy_name(const struct pst_policy *p);
const char *pst_policy_sha256(const struct pst_policy *p); /* of the policy text, hex */
/* Severity at or above which a finding fails / asks for review (5: never). */
int pst_policy_fail_at(const struct pst_policy *p);
int pst_policy_review_at(const struct pst_policy *p);
const struct pst_waiver *pst_policy_waivers(const struct pst_policy *p, size_t *n);

/* Applies the policy's overrides and waivers to findings (sets severity,
 * declared_severity and waiver) as of today ("YYYY-MM-DD"), and counts each
 * waiver's matches. Expired waivers are marked and apply to nothing. */
void pst_policy_apply(struct pst_policy *p, struct pst_finding *f, size_t n, const char *today);
/* The verdict: a pure function of the (applied) findings, the coverage and
 * the policy. */
enum pst_verdict pst_policy_verdict(const struct pst_policy *p, const struct pst_finding *f,
				    size_t n, const struct pst_coverage *c);
/* Whether the coverage has a gap: content that was not examined (a node
 * left incomplete, a limit hit, encryption, or bytes nothing explains and
 * data nothing identified that no waiver among the n applied findings f
 * accepts). The policy's `coverage` rule applies to it. */
bool pst_coverage_gap(const struct pst_coverage *c, const struct pst_finding *f, size_t n);
/* Today's date in UTC, "YYYY-MM-DD". */
void pst_today(char out[11]);

/* The scan's policy (valid after pst_scan_run returned PST_OK). */
const struct pst_policy *pst_scan_policy(const struct pst_scan *s);
/* Digest of what the analyzers judged with: the built-in findings catalog,
 * the analyzer list and the user's rule directories (hex sha256). */
const char *pst_scan_rules_sha256(const struct pst_scan *s);
uint64_t pst_scan_target_size(const struct pst_scan *s);

/* Removes what differs between two layouts of the same content from a
 * location: the target's name and the container offsets, so that
 * "fw1.bin!squashfs@0x20000!/etc/passwd" and
 * "fw2.bin!squashfs@0x30000!/etc/passwd" both give "!squashfs!/etc/passwd".
 * Writes at most len bytes (NUL included); returns the length needed. */
size_t pst_location_inner(const char *location, char *out, size_t len);

/* Sandbox: confines the calling process for the rest of its life (all threads
 * created afterwards). Call after pst_scan_prepare and after opening output
 * files. A seccomp filter allows only what scanning uses: no execve, no new
 * sockets, no opening files for writing (unless allow_write, for --extract);
 * no_new_privs; address-space and CPU-time limits when non-zero. */
struct pst_sandbox_opts {
	bool allow_write;
	uint64_t max_address_space; /* bytes, 0 = no limit */
	uint64_t max_cpu_seconds;   /* 0 = no limit */
	/* Landlock (Linux >= 5.13), applied when either is set and the kernel
	 * has it: files and directories may then be read only under read_paths
	 * (NULL-terminated: targets, rules, policy; the system's library and
	 * time-zone directories are added) and created, written or removed only
	 * under write_dir (--extract DIR). Files opened before stay usable. */
	const char *const *read_paths;
	const char *write_dir;
	/* A second directory writes are allowed under (with allow_write):
	 * libclamav's private temporary directory (pst_scan_scratch_dir). */
	const char *scratch_dir;
};
enum pst_err pst_sandbox_enter(const struct pst_sandbox_opts *o, char *err, size_t errlen);
/* The Landlock ABI version the kernel offers; 0 when it has none (then
 * pst_sandbox_enter confines with seccomp and rlimits only). */
int pst_sandbox_landlock_abi(void);

/* The findings catalog (docs/findings/, compiled in): what `postern explain`
 * prints. pst_rule_explain gives RULE's entry as plain text (why it matters,
 * how to fix it, references), or the entry of a glob that covers it
 * ("signature.postern.*"); malloc'd, the caller frees it; NULL when the
 * catalog has no entry. *source, when given, names its file
 * ("docs/findings/access.md"). pst_rule_foreach calls fn once for every
 * rule id (or glob) the catalog documents, in catalog order. */
char *pst_rule_explain(const char *rule, const char **source);
void pst_rule_foreach(void (*fn)(const char *id, void *ctx), void *ctx);

/* ---- Offline vulnerability data (src/analyze/vulndb.c, docs/vulndb.md) ----
 * pst_vulndb_import reads one source file (OSV JSON or zip dump, NVD CVE API
 * 2.0 JSON, CISA KEV JSON/CSV, EPSS CSV; .gz/.xz read decompressed) into the
 * SQLite database at db (created when missing), in one transaction,
 * replacing records with the same id; msg says what was read or why not.
 * pst_vulndb_status writes each source's kind, records, age and date.
 * pst_vulndb_default_path: $XDG_CACHE_HOME/postern/vulndb.sqlite, else
 * ~/.cache/postern/vulndb.sqlite; false when neither can be formed. */
enum pst_err pst_vulndb_import(const char *db, const char *source, char *msg, size_t msglen);
enum pst_err pst_vulndb_status(const char *db, FILE *out, char *msg, size_t msglen);
bool pst_vulndb_default_path(char *out, size_t len);
/* Reports. */
enum pst_format {
	PST_FORMAT_TEXT = 0,
	PST_FORMAT_JSON,
	PST_FORMAT_SARIF,
	PST_FORMAT_HTML,
	PST_FORMAT_CYCLONEDX,
	PST_FORMAT_VEX,       /* CycloneDX 1.5 VEX: the vulnerabilities (scan --vex FILE) */
};
int pst_format_parse(const char *s); /* -1 when unknown */

struct pst_report_opts {
	bool inventory;
	bool color;
	bool no_run;  /* omit the "run" object (tests) */
};
enum pst_err pst_report_write(const struct pst_scan *s, enum pst_format f,
			      const struct pst_report_opts *o, FILE *out);

/* ---- Version diff (src/report/diff.c): what NEW changes against OLD. ---- */
struct pst_diff;
/* Both scans must have run; they stay borrowed while the diff lives. The
 * change's verdict is judged with NEW's policy. */
struct pst_diff *pst_diff_new(const struct pst_scan *old_scan, const struct pst_scan *new_scan);
void pst_diff_free(struct pst_diff *d);
enum pst_verdict pst_diff_verdict(const struct pst_diff *d);
/* New findings (in NEW, not in OLD, compared by rule, inner location and
 * evidence) and resolved ones (the reverse). */
const struct pst_finding *const *pst_diff_new_findings(const struct pst_diff *d, size_t *n);
const struct pst_finding *const *pst_diff_resolved_findings(const struct pst_diff *d, size_t *n);
/* text, json or html */
enum pst_err pst_diff_write(const struct pst_diff *d, enum pst_format f,
			    const struct pst_report_opts *o, FILE *out);

/* ---- Signed vetting attestations (src/report/attest.c): an in-toto
 * Statement v1 in a DSSE envelope, signed with Ed25519. See
 * docs/attestation.md. ---- */
enum pst_verify_result {
	PST_VERIFY_OK = 0,
	PST_VERIFY_BAD_SIGNATURE,  /* signature does not verify with the key */
	PST_VERIFY_MISMATCH,       /* the artifact is not the attested subject */
	PST_VERIFY_VERDICT,        /* verified, but the verdict is not accepted */
	PST_VERIFY_MALFORMED,      /* not a DSSE envelope holding our statement */
	PST_VERIFY_KEY,            /* the public key file is unreadable or not a key */
};
/* Writes a new key pair: a secret key file (mode 0600) and a public key file. */
enum pst_err pst_keygen(const char *secret_path, const char *public_path, char *err, size_t errlen);
/* Signs the scan's result with the secret key file; writes the envelope. */
enum pst_err pst_attest_write(const struct pst_scan *s, const char *secret_path, FILE *out,
			      char *err, size_t errlen);
/* Signs payload (an in-toto Statement's JSON text) with the secret key file:
 * the DSSE envelope's text (malloc'd, ending with a newline), or NULL with
 * the reason in err. The service signs its final decisions with it. */
char *pst_attest_sign(const char *payload, const char *secret_path, char *err, size_t errlen);
/* Checks an envelope (text, len) against the public key file and the artifact
 * bytes. accept: the highest verdict accepted (PASS by default). */
enum pst_verify_result pst_attest_verify(const char *envelope, size_t len, const char *public_path,
					 const uint8_t *artifact, size_t artifact_len,
					 enum pst_verdict accept, char *msg, size_t msglen);

/* ---- Transparency log, offline checks (src/service/tlog.c): an attestation
 * is in the log, and the log only grew. Formats in docs/transparency.md. ---- */
enum pst_log_result {
	PST_LOG_OK = 0,
	PST_LOG_BAD_SIGNATURE,  /* a tree head is not signed by the log key */
	PST_LOG_NOT_INCLUDED,   /* the proof is for another entry or does not lead to the root */
	PST_LOG_INCONSISTENT,   /* history rewritten: a fork, or a failing consistency proof */
	PST_LOG_NEED_PROOF,     /* the log grew: a consistency proof is needed */
	PST_LOG_MALFORMED,      /* not a tree head or proof, or a proof for other sizes */
	PST_LOG_KEY,            /* the public key file is unreadable or not a key */
};
/* Checks that entry (len bytes: the attestation as the log holds it) is in
 * the log under the tree head the inclusion proof (text, plen) carries, signed
 * by the public key file. */
enum pst_log_result pst_log_verify_inclusion(const char *entry, size_t len, const char *proof,
					     size_t plen, const char *public_path, char *msg,
					     size_t msglen);
/* Checks a new signed tree head (sth, len) against the last one kept (state,
 * slen; NULL: none yet), with a consistency proof (NULL: none) where the
 * sizes differ. On PST_LOG_OK, *advance says the new head should be kept. */
enum pst_log_result pst_log_check(const char *state, size_t slen, const char *sth, size_t len,
				  const char *consistency, size_t clen, const char *public_path,
				  bool *advance, char *msg, size_t msglen);

/* Build facts, for `postern version` and bug reports. pst_build_commit: the
 * git commit the library was built from ("unknown" outside a git checkout).
 * pst_build_libraries calls fn once per library linked in, in a fixed order:
 * its name, the version compiled against (NULL when unknown) and the version
 * loaded at run time (NULL when the library cannot say). */
const char *pst_build_commit(void);
void pst_build_libraries(void (*fn)(const char *name, const char *built, const char *loaded,
				    void *ctx),
			 void *ctx);

#endif
