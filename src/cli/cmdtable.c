/*
 * cmdtable.c - every subcommand of postern, its options and its text, once.
 * The parsers (pst_cli_parser_*), --help, the man pages (postern __manpage)
 * and the bash/zsh completion (postern __completion) are all drawn from this
 * table, so none of them can list an option the others lack. Text markup
 * (usage.c renders it): paragraphs are split by blank lines; a paragraph whose
 * first line starts with two spaces is kept as typed (a literal block); one
 * that starts with "## " is a subsection heading.
 */
#include <string.h>
#include "cli.h"

/* The options scan and diff share (common.c handles them). */
#define COMMON_OPTS \
	{ "output", 'o', "FILE", NULL, PST_COMPLETE_FILE, \
	  "write the report to FILE instead of stdout", NULL }, \
	{ "jobs", 'j', "N", NULL, PST_COMPLETE_NONE, "worker threads (default: one per core)", NULL }, \
	{ "policy", PST_OPT_POLICY, "FILE", "default strict", PST_COMPLETE_FILE, \
	  "policy file, or a built-in policy (postern-policy(5))", NULL }, \
	{ "fail-on", PST_OPT_FAIL_ON, "LEVEL", "fail review", PST_COMPLETE_NONE, \
	  "exit 1 from this verdict on (default: fail)", NULL }, \
	{ "rules", PST_OPT_RULES, "DIR", NULL, PST_COMPLETE_DIR, \
	  "add a rule directory (repeatable): YARA files (*.yar, *.yara), compiled\n" \
	  "rules (yarac: *.yarc, *.yac) and hash lists (known-bad*.sha256,\n" \
	  "known-good*.sha256) found anywhere under DIR", NULL }, \
	{ "clamav-db", PST_OPT_CLAMAV_DB, "DIR", NULL, PST_COMPLETE_DIR, \
	  "also scan every file with this ClamAV database directory (.cvd/.cld,\n" \
	  ".hdb/.hsb/.ndb/.ldb...): hash signatures from postern's own digests,\n" \
	  "body and logical ones as YARA where exact, libclamav for the rest\n" \
	  "(builds with libclamav only)", NULL }, \
	{ "no-sandbox", PST_OPT_NO_SANDBOX, NULL, NULL, PST_COMPLETE_NONE, \
	  "do not confine the scanning process (Landlock, seccomp, rlimits)", NULL }

static const struct pst_cli_opt scan_opts[] = {
	{ "format", 'f', "FMT", "text json sarif html cyclonedx", PST_COMPLETE_NONE,
	  "report format (default: text)", "scan options" },
	COMMON_OPTS,
	{ "inventory", PST_OPT_INVENTORY, NULL, NULL, PST_COMPLETE_NONE,
	  "list every file (location, kind, size, sha256)", NULL },
	{ "extract", PST_OPT_EXTRACT, "DIR", NULL, PST_COMPLETE_DIR,
	  "also write the unpacked tree under DIR (traversal-safe)", NULL },
	{ "root", PST_OPT_ROOT, "PATH", NULL, PST_COMPLETE_NONE,
	  "the path of a directory TARGET in the product's root filesystem (e.g.\n"
	  "/usr/bin): its files are judged at PATH/...; default: inferred from\n"
	  "TARGET's path (.../usr/bin, squashfs-root/usr), else /", NULL },
	{ "rules-pack", PST_OPT_RULES_PACK, "DIR", NULL, PST_COMPLETE_DIR,
	  "the bundled rule pack (default: $POSTERN_RULES_DIR, else the installed\n"
	  "or source tree's rules/)", NULL },
	{ "no-rules-pack", PST_OPT_NO_RULES_PACK, NULL, NULL, PST_COMPLETE_NONE,
	  "run without the bundled rule pack", NULL },
	{ "rule-timeout", PST_OPT_RULE_TIMEOUT, "N", NULL, PST_COMPLETE_NONE,
	  "seconds of signature scanning per file (default 20)", NULL },
	{ "vulndb", PST_OPT_VULNDB, "FILE", NULL, PST_COMPLETE_FILE,
	  "match the components against this vulnerability database (postern\n"
	  "vulndb; default: the default database when that file exists)", NULL },
	{ "no-vulndb", PST_OPT_NO_VULNDB, NULL, NULL, PST_COMPLETE_NONE,
	  "match no vulnerability database, not even the default one", NULL },
	{ "vex", PST_OPT_VEX, "FILE", NULL, PST_COMPLETE_FILE,
	  "also write a CycloneDX 1.5 VEX document of the vulnerabilities to FILE\n"
	  "(waived: not_affected with the waiver's justification; else in_triage)", NULL },
	{ "vulndb-max-age", PST_OPT_VULNDB_MAX_AGE, "DAYS", NULL, PST_COMPLETE_NONE,
	  "vulndb.stale when the newest import is older than DAYS (default 7)", NULL },
	{ "sign", PST_OPT_SIGN, "KEY", NULL, PST_COMPLETE_FILE,
	  "sign a vetting attestation with this secret key (postern keygen)...", NULL },
	{ "attest", PST_OPT_ATTEST, "FILE", NULL, PST_COMPLETE_FILE,
	  "...and write it to FILE", NULL },
	{ "explain", PST_OPT_EXPLAIN, "RULE", NULL, PST_COMPLETE_RULE,
	  "print RULE's catalog entry (as postern explain RULE), no scan", NULL },
	{ "no-progress", PST_OPT_NO_PROGRESS, NULL, NULL, PST_COMPLETE_NONE,
	  "no progress line on stderr (it is shown on a terminal only)", NULL },
	{ "color", PST_OPT_COLOR, NULL, NULL, PST_COMPLETE_NONE,
	  "colour the text report (default: on a terminal, unless $NO_COLOR is set)", NULL },
	{ "no-color", PST_OPT_NO_COLOR, NULL, NULL, PST_COMPLETE_NONE, "never colour the text report",
	  NULL },
	{ "no-run", PST_OPT_NO_RUN, NULL, NULL, PST_COMPLETE_NONE,
	  "leave the run object (seconds, jobs) out of the report, so reports of the\n"
	  "same input compare byte for byte", NULL },
	{ "max-depth", PST_OPT_MAX_DEPTH, "N", NULL, PST_COMPLETE_NONE,
	  "container nesting (default 24)",
	  "limits (a hit is reported as a finding and in coverage)" },
	{ "max-file-bytes", PST_OPT_MAX_FILE, "N", NULL, PST_COMPLETE_NONE,
	  "one file's unpacked size (default 256M)", NULL },
	{ "max-total-bytes", PST_OPT_MAX_TOTAL, "N", NULL, PST_COMPLETE_NONE,
	  "all unpacked content (default 16G)", NULL },
	{ "max-files", PST_OPT_MAX_FILES, "N", NULL, PST_COMPLETE_NONE,
	  "nodes in the tree (default 1000000)", NULL },
	{ "max-ratio", PST_OPT_MAX_RATIO, "N", NULL, PST_COMPLETE_NONE,
	  "unpacked/target size, past 64 MiB (default 500)", NULL },
	{ "max-seconds", PST_OPT_MAX_SECONDS, "N", NULL, PST_COMPLETE_NONE,
	  "wall time (default 1800)", NULL },
	{ "max-path", PST_OPT_MAX_PATH, "N", NULL, PST_COMPLETE_NONE,
	  "bytes of one member name (default 4096)", NULL },
	{ "max-memory", PST_OPT_MAX_MEMORY, "N", NULL, PST_COMPLETE_NONE,
	  "unpacked content alive at once, all workers (default 384M, or 6x the\n"
	  "input file, at most 1/4 of RAM, 4G)", NULL },
	{ "max-spill", PST_OPT_MAX_SPILL, "N", NULL, PST_COMPLETE_NONE,
	  "disk for content the memory budget cannot hold: unlinked files in\n"
	  "$TMPDIR (default 4G; 0: none, such content is cut)", NULL },
	{ NULL, 0, NULL, NULL, PST_COMPLETE_NONE, NULL, NULL },
};

static const struct pst_cli_opt diff_opts[] = {
	{ "format", 'f', "FMT", "text json html", PST_COMPLETE_NONE, "report format (default: text)",
	  NULL },
	COMMON_OPTS,
	{ NULL, 0, NULL, NULL, PST_COMPLETE_NONE, NULL, NULL },
};

static const struct pst_cli_opt verify_opts[] = {
	{ "key", 'k', "PUB", NULL, PST_COMPLETE_FILE, "the signer's public key (postern keygen)",
	  NULL },
	{ "attestation", 'a', "FILE", NULL, PST_COMPLETE_FILE, "the signed attestation", NULL },
	{ "allow-review", PST_OPT_ALLOW_REVIEW, NULL, NULL, PST_COMPLETE_NONE,
	  "accept a review verdict too (default: pass only)", NULL },
	{ "any-verdict", PST_OPT_ANY_VERDICT, NULL, NULL, PST_COMPLETE_NONE,
	  "accept any verdict: check the signature and the artifact only", NULL },
	{ "log-proof", PST_OPT_LOG_PROOF, "FILE", NULL, PST_COMPLETE_FILE,
	  "also check that the attestation is in the transparency log: FILE is its\n"
	  "inclusion proof with the signed tree head it leads to", "transparency log" },
	{ "log-key", PST_OPT_LOG_KEY, "PUB", NULL, PST_COMPLETE_FILE,
	  "the log's public key, which signs its tree heads (and, without --key,\n"
	  "the attestation: the service signs both)", NULL },
	{ NULL, 0, NULL, NULL, PST_COMPLETE_NONE, NULL, NULL },
};

#define CLIENT_OPTS \
	{ "token", PST_OPT_TOKEN, "TOKEN", NULL, PST_COMPLETE_NONE, \
	  "the service token to ask with (default: $POSTERN_TOKEN; none needed when\n" \
	  "the service runs with --public-gate)", NULL }, \
	{ "cacert", PST_OPT_CACERT, "FILE", NULL, PST_COMPLETE_FILE, \
	  "with an https:// URL: trust the service's certificate when this PEM file\n" \
	  "(a CA or the certificate itself) signs it (default: the system's store)", NULL }

static const struct pst_cli_opt log_opts[] = {
	{ "state", PST_OPT_STATE, "FILE", NULL, PST_COMPLETE_FILE,
	  "the last tree head seen (created on first use, replaced when the log\n"
	  "grew)", NULL },
	{ "sth", PST_OPT_STH, "FILE", NULL, PST_COMPLETE_FILE, "the new signed tree head", NULL },
	{ "consistency", PST_OPT_CONSISTENCY, "FILE", NULL, PST_COMPLETE_FILE,
	  "the consistency proof between the kept and the new tree head (needed when\n"
	  "their sizes differ)", NULL },
	{ "log-key", PST_OPT_LOG_KEY, "PUB", NULL, PST_COMPLETE_FILE,
	  "the log's public key (postern keygen format)", NULL },
	{ "server", PST_OPT_SERVER, "URL", NULL, PST_COMPLETE_NONE,
	  "instead of --sth and --consistency: fetch the tree head and the proof\n"
	  "from the vetting service at URL (http[s]://HOST[:PORT])", NULL },
	CLIENT_OPTS,
	{ NULL, 0, NULL, NULL, PST_COMPLETE_NONE, NULL, NULL },
};

static const struct pst_cli_opt gate_opts[] = {
	{ "server", PST_OPT_SERVER, "URL", NULL, PST_COMPLETE_NONE,
	  "the vetting service (http[s]://HOST[:PORT][/PREFIX]); required", NULL },
	CLIENT_OPTS,
	{ "attestation", PST_OPT_ATTEST, "FILE", NULL, PST_COMPLETE_FILE,
	  "write the signed attestation behind the answer (the final decision's, or\n"
	  "a pass's scan) to FILE, for postern verify", NULL },
	{ NULL, 0, NULL, NULL, PST_COMPLETE_NONE, NULL, NULL },
};

static const struct pst_cli_opt explain_opts[] = {
	{ "list", PST_OPT_LIST, NULL, NULL, PST_COMPLETE_NONE,
	  "print every rule id the findings catalog documents", NULL },
	{ NULL, 0, NULL, NULL, PST_COMPLETE_NONE, NULL, NULL },
};

static const struct pst_cli_opt keygen_opts[] = {
	{ "output", 'o', "PREFIX", NULL, PST_COMPLETE_FILE,
	  "write PREFIX.key and PREFIX.pub (default prefix: postern)", NULL },
	{ NULL, 0, NULL, NULL, PST_COMPLETE_NONE, NULL, NULL },
};

static const struct pst_cli_opt vulndb_opts[] = {
	{ "db", PST_OPT_DB, "FILE", NULL, PST_COMPLETE_FILE,
	  "the database (default: $XDG_CACHE_HOME/postern/vulndb.sqlite, else\n"
	  "~/.cache/postern/vulndb.sqlite)", NULL },
	{ NULL, 0, NULL, NULL, PST_COMPLETE_NONE, NULL, NULL },
};

#define DATA_OPT \
	{ "data", PST_OPT_DATA, "DIR", NULL, PST_COMPLETE_DIR, \
	  "the service's data directory: the SQLite store postern.db, blobs/, keys/\n" \
	  "(default: ./postern-data); with --db postgresql://... scratch only", NULL }
#define DB_OPT \
	{ "db", PST_OPT_DB, "URL", NULL, PST_COMPLETE_NONE, \
	  "the store as a URL: sqlite:DIR (as --data DIR), or postgresql://... (rows,\n" \
	  "queue and images in PostgreSQL: workers on other machines need only it)", NULL }

#define LEASE_OPT \
	{ "lease", PST_OPT_LEASE, "N", NULL, PST_COMPLETE_NONE, \
	  "seconds a job stays leased without a heartbeat (default 30)", NULL }

static const struct pst_cli_opt serve_opts[] = {
	DATA_OPT,
	DB_OPT,
	{ "listen", PST_OPT_LISTEN, "ADDR:PORT", NULL, PST_COMPLETE_NONE,
	  "the address and port to serve on: IPV4:PORT or [IPV6]:PORT (default 127.0.0.1:8080)",
	  NULL },
	{ "workers", PST_OPT_WORKERS, "N", NULL, PST_COMPLETE_NONE,
	  "local worker processes (default: one per core)", NULL },
	{ "max-upload", PST_OPT_MAX_UPLOAD, "N", NULL, PST_COMPLETE_NONE,
	  "the largest image accepted, K/M/G suffixes (default 4G)", NULL },
	{ "rate", PST_OPT_RATE, "N", NULL, PST_COMPLETE_NONE,
	  "requests per second one token may make, sustained (default 20)", NULL },
	{ "burst", PST_OPT_BURST, "N", NULL, PST_COMPLETE_NONE,
	  "requests one token may make at once (default 100)", NULL },
	LEASE_OPT,
	{ "tls-cert", PST_OPT_TLS_CERT, "FILE", NULL, PST_COMPLETE_FILE,
	  "serve HTTPS with this PEM certificate (chain); needs --tls-key", NULL },
	{ "tls-key", PST_OPT_TLS_KEY, "FILE", NULL, PST_COMPLETE_FILE,
	  "the PEM private key of --tls-cert", NULL },
	{ "public-gate", PST_OPT_PUBLIC_GATE, NULL, NULL, PST_COMPLETE_NONE,
	  "answer GET /api/v1/gate/SHA256 and the transparency log (/api/v1/log/...)\n"
	  "without a token (a firmware server or an admission step asks)", NULL },
	{ NULL, 0, NULL, NULL, PST_COMPLETE_NONE, NULL, NULL },
};

static const struct pst_cli_opt worker_opts[] = {
	DATA_OPT,
	DB_OPT,
	LEASE_OPT,
	{ "diff-old", PST_OPT_DIFF_OLD, "SHA256:NAME", NULL, PST_COMPLETE_NONE,
	  "(run by serve) with --diff-new: write the JSON diff of two stored images\n"
	  "on standard output and exit, instead of leasing jobs", NULL },
	{ "diff-new", PST_OPT_DIFF_NEW, "SHA256:NAME", NULL, PST_COMPLETE_NONE,
	  "(run by serve) the newer image of --diff-old", NULL },
	{ "peek", PST_OPT_PEEK, "SHA256:NAME", NULL, PST_COMPLETE_NONE,
	  "(run by serve) with --peek-path: write up to 512 bytes of one file inside a\n"
	  "stored image (the hex view) as JSON on standard output and exit", NULL },
	{ "peek-path", PST_OPT_PEEK_PATH, "LOCATION", NULL, PST_COMPLETE_NONE,
	  "(run by serve) the file's location, as the report names it", NULL },
	{ "peek-offset", PST_OPT_PEEK_OFFSET, "N", NULL, PST_COMPLETE_NONE,
	  "(run by serve) the first byte of --peek-path to show (default 0)", NULL },
	{ NULL, 0, NULL, NULL, PST_COMPLETE_NONE, NULL, NULL },
};

static const struct pst_cli_opt admin_opts[] = {
	DATA_OPT,
	DB_OPT,
	{ "role", PST_OPT_ROLE, "ROLE", "submitter reviewer auditor admin", PST_COMPLETE_NONE,
	  "token create: the token's role", NULL },
	{ "tenant", PST_OPT_TENANT, "NAME", NULL, PST_COMPLETE_NONE,
	  "token create: the tenant a submitter's token sees (default: default)", NULL },
	{ "name", PST_OPT_NAME, "LABEL", NULL, PST_COMPLETE_NONE,
	  "token create: a label for token list (default: the role)", NULL },
	{ "person", PST_OPT_PERSON, "NAME", NULL, PST_COMPLETE_NONE,
	  "token create: the person who holds the token (default: its name); four\n"
	  "eyes compare persons, so one person's tokens count once", NULL },
	{ NULL, 0, NULL, NULL, PST_COMPLETE_NONE, NULL, NULL },
};

#define SCAN_EXIT \
	"0 pass or review; 1 fail (review too with --fail-on review); 64 usage (a\n" \
	"policy that does not parse included); 65 bad data; 66 no input; 70 internal\n" \
	"error; 74 I/O error."

const struct pst_cli_cmd pst_cli_cmds[] = {
	{ "scan", 1, "TARGET", PST_COMPLETE_FILE, "vet a product: unpack it, examine every file, give a verdict",
	  "Opens TARGET (a firmware image, package, archive or directory) all the way\n"
	  "down, in memory, examines every file for hidden access paths and spying\n"
	  "capabilities, applies a policy and gives a verdict: pass, review or fail,\n"
	  "with the findings and their evidence.\n"
	  "\n"
	  "Content that could not be examined (a limit hit, encryption, bytes nothing\n"
	  "explains) is reported in the coverage and keeps the verdict at review at\n"
	  "least: pass means every byte was opened and examined.\n"
	  "\n"
	  "The bundled rule pack is looked up in $POSTERN_RULES_DIR, then beside the\n"
	  "binary (../share/postern/rules), then in the source tree it was built from.",
	  scan_opts, SCAN_EXIT, pst_cmd_scan },
	{ "diff", 1, "OLD NEW", PST_COMPLETE_FILE, "what NEW changes against OLD, and its verdict",
	  "Scans both versions and reports what NEW changes: files added, removed and\n"
	  "changed (aligned by inner path), findings new and resolved, the new attack\n"
	  "surface, and a verdict on the change itself (NEW's policy applied to what is\n"
	  "new).",
	  diff_opts,
	  "0 the change passes or needs review; 1 it fails (review too with --fail-on\n"
	  "review); 64 and up as for postern scan.",
	  pst_cmd_diff },
	{ "explain", 1, "RULE", PST_COMPLETE_RULE, "why a finding's rule matters, how to fix it",
	  "Prints RULE's entry of the findings catalog compiled into postern: why it\n"
	  "matters, how to fix it, references. RULE is a finding's rule id as reports\n"
	  "print it (e.g. fs.unexpected-setuid).",
	  explain_opts, "0 shown; 64 usage or no such rule (the closest ids are named).",
	  pst_cmd_explain },
	{ "keygen", 1, NULL, PST_COMPLETE_NONE, "make an Ed25519 key pair for attestations",
	  "Writes PREFIX.key (the Ed25519 secret key, mode 0600) and PREFIX.pub (the\n"
	  "public key) for signing vetting attestations (postern scan --sign). Refuses\n"
	  "to overwrite either file.",
	  keygen_opts, "0 written; 64 usage; 73 a file could not be created.", pst_cmd_keygen },
	{ "verify", 1, "ARTIFACT", PST_COMPLETE_FILE, "check a signed vetting attestation",
	  "Checks a signed vetting attestation (postern scan --sign KEY --attest FILE)\n"
	  "against ARTIFACT: the signature, that ARTIFACT is the product attested (its\n"
	  "sha256), and that the verdict is accepted. --attestation and --key (or\n"
	  "--log-key) are required.\n"
	  "\n"
	  "With --log-proof, it then checks offline that the attestation, byte for\n"
	  "byte, is an entry of the service's transparency log: the proof leads from\n"
	  "its leaf hash to the root of a tree head signed with --log-key\n"
	  "(docs/transparency.md).",
	  verify_opts,
	  "0 verified and the verdict accepted (and in the log); 2 the signature does\n"
	  "not verify; 3 the artifact is not the one attested; 4 verified, but the\n"
	  "verdict is not accepted; 5 not shown in the log (the proof is for another\n"
	  "entry, does not lead to the root, or the tree head is not signed by\n"
	  "--log-key); 64 usage; 65 not an attestation, a proof or a key; 66 a file is\n"
	  "missing.",
	  pst_cmd_verify },
	{ "vulndb", 1, "import SOURCE... | status", PST_COMPLETE_FILE,
	  "offline vulnerability data: import OSV, NVD, KEV, EPSS; status",
	  "import reads each SOURCE into the database, creating it when missing: OSV\n"
	  "records (one JSON record, an array of them, or a zipped per-ecosystem\n"
	  "dump), NVD CVE API 2.0 JSON (a page of the API or a feed file), CISA's\n"
	  "Known Exploited Vulnerabilities (JSON or CSV) and FIRST's EPSS scores\n"
	  "(CSV). The format is recognised from the content; .gz and .xz files are\n"
	  "read decompressed. Each file is one transaction: a record already there\n"
	  "(same source and id) is replaced, so importing a newer download updates\n"
	  "the database. Each source's import time and own date are recorded.\n"
	  "\n"
	  "status prints, per source kind, the records held, the age of the last\n"
	  "import, the newest date the data itself gives, and the last file read.\n"
	  "\n"
	  "postern scan matches the product's components against the database\n"
	  "(--vulndb FILE, or the default database when it exists): findings\n"
	  "vuln.known-exploited, vuln.critical, vuln.high and vuln.other, each naming\n"
	  "the record and the range that matched. Nothing is fetched from the\n"
	  "network: the lab downloads the files itself.",
	  vulndb_opts,
	  "0 done; 64 usage; 65 a SOURCE is not in a known format (the others are\n"
	  "still imported); 66 no database (status); 73 the database cannot be\n"
	  "written.",
	  pst_cmd_vulndb },
	{ "serve", 8, NULL, PST_COMPLETE_NONE, "run the vetting service: HTTP API, queue and workers",
	  "Serves the vetting service's HTTP API (docs/service.md): vendors and CI\n"
	  "submit images with POST /api/v1/submissions, local worker processes scan\n"
	  "them (each scan in a sandboxed child process), and the reports, signed\n"
	  "attestations, products and metrics are read back over HTTP with a bearer\n"
	  "token (postern admin token create). Everything is kept in the data\n"
	  "directory: a SQLite store (WAL), the images content-addressed under blobs/,\n"
	  "the service's Ed25519 key pair under keys/. Stops on SIGINT or SIGTERM.",
	  serve_opts, "0 stopped by a signal; 64 usage; 69 an engine that is not built;\n"
	  "73 the data directory or the port cannot be used.", pst_cmd_serve },
	{ "worker", 8, NULL, PST_COMPLETE_NONE, "a vetting service worker: lease jobs, scan, store",
	  "Leases jobs from the service's queue, runs each scan in a sandboxed child\n"
	  "process while renewing the lease, and stores the reports and the signed\n"
	  "attestation. postern serve starts its own; more can be started on the same\n"
	  "data directory. A job whose scan ends its process three times ends as error.",
	  worker_opts, "0 stopped by a signal; 64 usage; 69 an engine that is not built;\n"
	  "73 the data directory cannot be used.", pst_cmd_worker },
	{ "admin", 8, "token create|list|revoke ID, audit verify", PST_COMPLETE_NONE,
	  "the service's tokens and audit chain",
	  "token create --role ROLE [--tenant NAME] [--name LABEL] [--person NAME]\n"
	  "prints a new bearer token once (256 random bits; only its SHA-256 is\n"
	  "stored). A token belongs to a person (default: its name): nobody decides on\n"
	  "a submission made with a token of their own, and a fail's override takes\n"
	  "two persons. token list shows every token's id, role, tenant, label,\n"
	  "person and state; token revoke ID ends one.\n"
	  "audit verify recomputes the audit chain (each row hashes the one before it)\n"
	  "and says whether it is intact.\n"
	  "\n"
	  "Roles: submitter (a vendor: submits, sees its tenant's work only),\n"
	  "reviewer, auditor (reads everything, metrics) and admin.",
	  admin_opts, "0 done (audit verify: intact); 1 the audit chain is broken; 64 usage;\n"
	  "65 no such token; 69 an engine that is not built; 73 the store cannot be\n"
	  "opened.", pst_cmd_admin },
	{ "log", 1, "check", PST_COMPLETE_NONE, "check that the transparency log only grew",
	  "postern log check keeps the last signed tree head of the service's\n"
	  "transparency log in --state FILE and proves that a new one (--sth) extends\n"
	  "it: the same root at the same size, or a consistency proof (--consistency)\n"
	  "from the kept size to the new one. A fork (another root at the same size) or\n"
	  "a proof that fails means the log's history was rewritten. The first tree head\n"
	  "seen is kept as it is (trust on first use). An older tree head that the kept\n"
	  "one extends is accepted and the state left as it was.\n"
	  "\n"
	  "The files are what the service serves at /api/v1/log/sth and\n"
	  "/api/v1/log/proof/consistency (docs/transparency.md). With --server URL\n"
	  "postern fetches them itself: the tree head, then the consistency proof\n"
	  "between the kept size and the new one.",
	  log_opts,
	  "0 the new tree head extends the kept one (state updated) or is the same; 1\n"
	  "history rewritten; 2 a tree head is not signed by --log-key; 64 usage, or the\n"
	  "log grew and no consistency proof was given; 65 not a tree head or a proof,\n"
	  "or a proof for other sizes; 66 a file is missing; 69 --server cannot be\n"
	  "reached; 73 the state file could not be written; 76 --server's answer is\n"
	  "not a tree head or proof; 77 the token was refused.",
	  pst_cmd_log },
	{ "gate", 1, "FILE", PST_COMPLETE_FILE,
	  "ask the vetting service whether an image may go in",
	  "Hashes FILE (SHA-256) and asks the vetting service's market gate\n"
	  "(GET /api/v1/gate/SHA256) for its decision: approved (a pass, or a review\n"
	  "or fail that reviewers approved), rejected (a fail, or a rejected review),\n"
	  "pending (the scan or a reviewer's decision is awaited) or unknown (never\n"
	  "submitted). Prints the decision with the product and version. For a\n"
	  "firmware-update server or a network admission step: the exit status is\n"
	  "the answer. Plain HTTP; put a local TLS proxy in front of an HTTPS service.",
	  gate_opts,
	  "0 approved; 1 rejected; 2 pending or unknown; 64 usage; 66 FILE cannot be\n"
	  "read; 69 the server cannot be reached; 73 --attestation cannot be written;\n"
	  "76 the answer is not the gate's; 77 the token was refused.",
	  pst_cmd_gate },
	{ "version", 1, NULL, PST_COMPLETE_NONE,
	  "postern's version, git commit and the libraries it was built with",
	  "Prints postern's version and the git commit it was built from, then one line\n"
	  "per library: the version postern was compiled against and, where the library\n"
	  "can say, the version loaded at run time.",
	  NULL, "0.", pst_cmd_version },
	{ "postern-policy", 5, NULL, PST_COMPLETE_NONE, "postern's policy file format",
	  "A policy turns a scan's findings and coverage into a verdict: pass, review or\n"
	  "fail. It is a YAML mapping given to postern scan --policy FILE or postern\n"
	  "diff --policy FILE. Two policies are built in: default (used when no\n"
	  "--policy is given) and strict; --policy default and --policy strict name\n"
	  "them.\n"
	  "\n"
	  "  name: lab          # shown in reports (default: file name)\n"
	  "  fail: high         # at or above this severity: fail\n"
	  "  review: medium     # at or above this (below fail): review\n"
	  "  coverage: review   # unexamined content: ignore|review|fail\n"
	  "  severity:          # overrides: rule id or glob -> severity\n"
	  "    limit.*: low\n"
	  "    service.telnet: critical\n"
	  "  waivers:\n"
	  "    - rule: account.empty-password\n"
	  "      location: \"*!/etc/shadow\"\n"
	  "      justification: \"factory image (ticket 4711)\"\n"
	  "      expires: 2027-06-30\n"
	  "\n"
	  "## Keys\n"
	  "Severities are critical, high, medium, low and info. fail and review take a\n"
	  "severity or none. coverage takes ignore, review or fail. Missing keys take the\n"
	  "default policy's values. Unknown or repeated keys, a bad severity, a waiver\n"
	  "without one of its four fields (rule, location, justification, expires) or\n"
	  "with a date that is not YYYY-MM-DD are errors: postern prints\n"
	  "\"policy FILE:LINE:COL: what\" and exits 64 before reading the target.\n"
	  "\n"
	  "## Built-in policies\n"
	  "  policy   fail at  review at  coverage gap\n"
	  "  default  high     medium     review\n"
	  "  strict   medium   low        fail\n"
	  "\n"
	  "## How the verdict is made\n"
	  "Each finding's severity is the override for its rule (an exact rule id wins\n"
	  "over globs; among globs, the first in the file), else the one its analyzer\n"
	  "gave. A waiver whose expiry date is past applies to nothing and becomes a\n"
	  "policy.waiver-expired finding. Otherwise the first waiver whose rule glob\n"
	  "matches the finding's rule and whose location glob matches its location\n"
	  "(fw.bin!squashfs@0x40!/etc/shadow) or its inner path (/etc/shadow) waives\n"
	  "it; globs are fnmatch(3) without FNM_PATHNAME, so * crosses / and !.\n"
	  "policy.* findings are never waived. A waived finding is still reported, with\n"
	  "its waiver.\n"
	  "\n"
	  "Any unwaived finding at or above fail gives fail; else any at or above review\n"
	  "gives review; else pass. A coverage gap (content not opened, a limit hit,\n"
	  "encryption, or an unwaived coverage.unexplained or coverage.unidentified\n"
	  "finding) then raises the verdict to at least the coverage value. Waivers do\n"
	  "not close the first three.",
	  NULL, NULL, NULL },
	{ NULL, 0, NULL, PST_COMPLETE_NONE, NULL, NULL, NULL, NULL, NULL },
};

const struct pst_cli_cmd *pst_cli_cmd_find(const char *name)
{
	const struct pst_cli_cmd *c;
	const char *page = strncmp(name, "postern-", 8) == 0 ? name + 8 : NULL;

	for (c = pst_cli_cmds; c->name; c++)
		if (strcmp(c->name, name) == 0 || (page && pst_cli_is_command(c) && strcmp(c->name, page) == 0))
			return c;
	return NULL;
}
