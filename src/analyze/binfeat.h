/*
 * binfeat.h - the features of one ELF file that capability rules, endpoint
 * and crypto checks look at, and the pieces that compute them: a string
 * table built in one pass (strings.c), a multi-pattern byte search
 * (needles.c), crypto constants (crypto.c) and the capability rules loaded
 * from rules/capabilities/<name>.yaml (caprules.c).
 */
#ifndef PST_BINFEAT_H
#define PST_BINFEAT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "elf.h"
#include "internal.h"
#include "syscalls.h"

/* ---- strings: ASCII and UTF-16LE runs, NUL-separated in one buffer ---- */
struct pst_strings {
	char *buf;      /* "\0s1\0s2\0...\0": starts and ends with NUL */
	size_t len, cap;
	size_t n;
	bool full; /* strings were left out at the cap */
};
bool pst_strings_init(struct pst_strings *s);
/* Appends v's strings of at least min characters (buffer capped at max). */
bool pst_strings_add(struct pst_strings *s, struct pst_view v, size_t min, size_t max);
/* Runs of at least min printable characters; the buffer stops growing at
 * max bytes. Returns false on out of memory. */
bool pst_strings_extract(struct pst_view v, size_t min, size_t max, struct pst_strings *s);
void pst_strings_free(struct pst_strings *s);
bool pst_strings_has(const struct pst_strings *s, const char *sub);
/* A whole string equal to w. */
bool pst_strings_has_word(const struct pst_strings *s, const char *w);

/* ---- needles: many byte patterns found in one pass ---- */
struct pst_needles;
struct pst_needles *pst_needles_new(void);
void pst_needles_free(struct pst_needles *ns);
/* Patterns of at least 4 bytes; id is returned on a hit. */
bool pst_needles_add(struct pst_needles *ns, const void *p, size_t len, unsigned id);
/* Call once all patterns are added, before searching (sorts them). */
void pst_needles_seal(struct pst_needles *ns);
/* Called for every occurrence, in order of offset. */
typedef void (*pst_needle_cb)(void *ctx, unsigned id, uint64_t off);
/* Sets hits[id] for each pattern present in v (hits has nids entries). */
void pst_needles_find(const struct pst_needles *ns, struct pst_view v, uint8_t *hits,
		      size_t nids, pst_needle_cb cb, void *ctx);
/* The same, except that no occurrence starting inside one of the nskip
 * ranges (sorted by offset, disjoint: pst_elf_code_sections) is looked for. */
void pst_needles_find_skip(const struct pst_needles *ns, struct pst_view v,
			   const struct pst_range *skip, size_t nskip, uint8_t *hits, size_t nids,
			   pst_needle_cb cb, void *ctx);

/* ---- endpoints found in strings ---- */
enum pst_ep_kind { PST_EP_URL, PST_EP_DOMAIN, PST_EP_IPV4, PST_EP_EMAIL };
struct pst_endpoint {
	enum pst_ep_kind kind;
	char text[160];
	bool public_;   /* a public IP or a domain outside reserved/example names */
};
/* Up to max endpoints (distinct) into out; returns how many. */
size_t pst_endpoints_find(const struct pst_strings *s, struct pst_endpoint *out, size_t max);
bool pst_ipv4_public(const uint8_t ip[4]);
/* Public and worth reporting as an endpoint (not a DNS root server, an
 * example address or a version number). */
bool pst_ipv4_notable(const uint8_t ip[4]);
/* A dotted quad naming a well-known public DNS resolver (8.8.8.8, 1.1.1.1,
 * 9.9.9.9, ...): an endpoint worth listing, but no one's command server. */
bool pst_ipv4_text_resolver(const char *text);

/* ---- what socket() is asked for (sockets.c) ---- */
struct pst_sockcall {
	int domain, type, proto;  /* -1: not a constant; type in the generic
				     numbering (SOCK_STREAM 1, SOCK_DGRAM 2, SOCK_RAW 3) */
};
/* The constant arguments of e's calls to socket() (inline system calls,
 * a static binary's wrapper, a dynamic binary's import); up to max into
 * out, distinct; returns how many. *unread gets the number of calls found
 * whose domain is not a constant (or that did not fit in out): what the
 * list cannot vouch for. *cut gets the PST_SOCK_CUT_* bounds that left
 * calls unread (0 when none did). */
#define PST_SOCK_CUT_CODE 1u   /* code past PST_CAP_SOCK_CODE not swept */
#define PST_SOCK_CUT_TABLE 2u  /* wrappers or GOT slots past PST_CAP_SOCK_ENTRIES/SLOTS */
size_t pst_sockets_find(const struct pst_elf *e, const struct pst_sysres *sys,
			struct pst_sockcall *out, size_t max, size_t *unread, unsigned *cut);
/* Whether e calls dup2() or dup3() with a constant new descriptor 0, 1 or 2
 * (a socket made a program's stdin, stdout or stderr), or may (calls past
 * PST_CAP_SOCK_ENTRIES, _SLOTS or _CODE were not read); *calls gets how
 * many of its calls to them were found and read. */
bool pst_stdio_dup_find(const struct pst_elf *e, const struct pst_sysres *sys, size_t *calls);
/* "inet/raw/icmp", "packet/raw/all", "inet/stream/?" ... into buf. */
void pst_sockcall_str(const struct pst_sockcall *c, char *buf, size_t len);

/* ---- where a binary calls named functions (sockets.c) ---- */
struct pst_imptarget {
	uint64_t addr;  /* a PLT stub or a static binary's function (slot false),
			   or a GOT slot calls go through (slot true) */
	int id;         /* index into the names asked for */
	bool slot;
};
/* The call targets of names[0..nnames): a dynamic binary's PLT stubs and
 * GOT slots for those imports, an unstripped static binary's functions of
 * those names. *gp gets MIPS's $gp (.got + 0x7ff0), else 0. Returns how
 * many went to out (at most max); *full is true when some were left out
 * (max, or the finder's own tables). */
size_t pst_import_targets(const struct pst_elf *e, const char *const *names, size_t nnames,
			  struct pst_imptarget *out, size_t max, uint64_t *gp, bool *full);
/* The executable section holding addr: its bytes, their length and its
 * start address. */
bool pst_elf_code_at(const struct pst_elf *e, uint64_t addr, const uint8_t **p, size_t *len,
		     uint64_t *base);
/* A Thumb-2 BL or BLX at p (address a): BL goes to Thumb code at PC + imm,
 * BLX to ARM code (a PLT stub) at the word-aligned PC + imm; PC is a + 4.
 * *target gets where, *blx which. */
bool pst_thumb_call(const uint8_t *p, bool big, uint64_t a, uint64_t *target, bool *blx);

/* ---- what a server is built around (sockets.c, netconst.c) ---- */
struct pst_netconst {
	uint16_t ports[PST_CAP_NET_CONSTS];  /* bind()'s constant ports, distinct */
	size_t nports;
	uint32_t magics[PST_CAP_NET_CONSTS]; /* constants received data is compared with */
	uint64_t magic_at[PST_CAP_NET_CONSTS];
	size_t nmagics;
};
/* The ports e binds to and the magics it compares received data with,
 * from its calls to bind() and to recv/recvfrom/read (dynamic imports, an
 * unstripped static binary's wrappers, or a stripped one's system calls in
 * sys and the wrappers around them). */
void pst_netconst_find(const struct pst_elf *e, const struct pst_sysres *sys,
		       struct pst_netconst *out);
/* "0x53634d4d 'ScMM'" (the characters as the integer is written). */
void pst_magic_str(uint32_t v, char *buf, size_t len);

/* ---- everything the rules see ---- */
struct pst_binfeat {
	const struct pst_elf *elf;
	const char **imports;    /* sorted; undefined symbols, plus defined
				    functions of an unstripped static binary */
	size_t nimports;
	size_t nundef;           /* of which undefined (really imported) */
	struct pst_sysres sys;
	struct pst_strings strs;
	const uint8_t *const_hits; /* per rule constant id */
	const uint8_t *str_hits;   /* per rule string feature (pst_caprules_strings) */
	bool bpf_filter, bpf_magic, public_ip, public_endpoint;
	struct pst_endpoint eps[32];
	size_t neps;
	struct pst_sockcall socks[16];
	size_t nsocks;
	size_t nsocks_unread;    /* socket() calls with an unknown domain */
	bool stdio_dup;          /* dup2/dup3 onto 0, 1 or 2 with a constant */
	size_t ndups;            /* dup2/dup3 calls found and read */
	struct pst_netconst net;
};

bool pst_binfeat_import(const struct pst_binfeat *f, const char *name);
bool pst_binfeat_syscall(const struct pst_binfeat *f, const char *name);

/* ---- crypto constants ---- */
struct pst_crypto_hit {
	const char *name;   /* "aes-sbox", "dual-ec-q-p256", ... */
	const char *algo;   /* "AES", "Dual_EC_DRBG", ... */
	bool weak;          /* DES, RC4, export grade */
};
/* Registers the crypto patterns with ids from base up; returns the count. */
unsigned pst_crypto_register(struct pst_needles *ns, unsigned base);
/* Names the crypto patterns hit (hits indexed from base). */
size_t pst_crypto_collect(const uint8_t *hits, unsigned base, struct pst_crypto_hit *out,
			  size_t max);

/* A standard protocol that negotiates the weak cipher algo ("DES" or "RC4")
 * among strong ones, as this program implements it: its strings name the
 * protocol and the cipher the way the protocol does ("3des-cbc" in SSH,
 * "WEP"/"TKIP" in IEEE 802.11), and the program also carries a strong
 * cipher (AES constants, or a crypto library's generic cipher calls).
 * Returns the protocol's description, or NULL: the weak cipher is not
 * explained by a standard the program implements. */
const char *pst_crypto_standard_use(const struct pst_binfeat *f, const char *algo,
				    bool has_aes);

/* ---- RC4 by the shape of its code (rc4.c) ---- */
/* True when a loop of e's code swaps two bytes of a table at an index
 * computed from the first byte read (RC4's key schedule and keystream);
 * *where gets the loop's address. Bounded work per binary. */
bool pst_rc4_find(const struct pst_elf *e, uint64_t *where);
/* As pst_rc4_find; *cut: none was found, and the search stopped at
 * PST_CAP_RC4_SCAN or PST_CAP_RC4_CODE before the code's end. */
bool pst_rc4_search(const struct pst_elf *e, uint64_t *where, bool *cut);

/* has:tiny: an ELF file of at most this many bytes (a -nostdlib program) */
#define PST_TINY_ELF 8192u

/* ---- capability rules ---- */
struct pst_caprules;
/* Loads the built-in rules, then every *.yaml in each rule directory's
 * capabilities/ subdirectory (a missing one is skipped). err gets a message
 * on failure. */
struct pst_caprules *pst_caprules_load(const char *const *dirs, struct pst_needles *ns,
				       unsigned const_base, char *err, size_t errlen);
void pst_caprules_free(struct pst_caprules *r);
/* Finds every rule string feature in s in one pass; the result (free()
 * it) goes to pst_binfeat.str_hits. NULL on out of memory. */
uint8_t *pst_caprules_strings(const struct pst_caprules *r, const struct pst_strings *s);
unsigned pst_caprules_nconst(const struct pst_caprules *r);
size_t pst_caprules_count(const struct pst_caprules *r);
/* Whether every id of the NULL-terminated list (the rule ids C code tests
 * for, e.g. binary.c's pst_binary_cap_refs) is a loaded rule; on false err
 * names the first missing one. Run at load time, so that an id misspelt in
 * C, or a rule renamed in YAML, fails the load rather than never matching. */
bool pst_caprules_check_ids(const struct pst_caprules *r, const char *const *ids, char *err,
			    size_t errlen);
/* The role (its rule id, capability.role.NAME) whose `modules:` names an
 * entry point e exports: e is a module that role's servers load (a shared
 * object, no program). NULL when none. */
const char *pst_caprules_module_role(const struct pst_caprules *r, const struct pst_elf *e);
/* The capability rule ids binary.c's code tests for (NULL-terminated). */
extern const char *const pst_binary_cap_refs[];

struct pst_capmatch {
	const char *id;
	const char *category;
	const char *message;
	enum pst_severity severity;
	bool report;
	char evidence[200];
};
/* Evaluates every rule on f; fired ones go to out (up to max), returns how
 * many fired: more than max means some were dropped (the caller reports
 * it, limit.cap). */
size_t pst_caprules_eval(const struct pst_caprules *r, const struct pst_binfeat *f,
			 struct pst_capmatch *out, size_t max);

#endif
