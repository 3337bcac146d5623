/*
 * insncache.c - the decoded-instruction cache of insncache.h: an
 * open-addressing table of keys (addresses, encodings) over an array of compact entries
 * (an instruction's text is short: a whole cs_insn is 240 bytes, an entry
 * 104).
 */
#include <stdlib.h>
#include <string.h>
#include "insncache.h"
#include "internal.h"
#include "caps.h"

/* The largest program of the router image needs a third of
 * PST_CAP_INSNCACHE_ENTRIES. */
#define FIRST_SLOTS ((size_t)1 << 12)
#define MNEM_LEN 16
#define OPS_LEN 56

struct entry {
	uint64_t key;
	unsigned int id;
	uint16_t size;
	uint8_t bytes[sizeof(((cs_insn *)0)->bytes)];
	char mnemonic[MNEM_LEN];
	char op_str[OPS_LEN];
};

struct pst_insncache {
	uint32_t *slot;     /* entry index + 1, 0 for an empty slot */
	size_t nslots;      /* a power of two, at least twice n */
	struct entry *e;
	size_t n, cap;
};

struct pst_insncache *pst_insncache_new(void)
{
	struct pst_insncache *ic = pst_calloc(1, sizeof(*ic));
	if (!ic)
		return NULL;
	ic->slot = pst_calloc(FIRST_SLOTS, sizeof(*ic->slot));
	if (!ic->slot) {
		free(ic);
		return NULL;
	}
	ic->nslots = FIRST_SLOTS;
	return ic;
}

void pst_insncache_free(struct pst_insncache *ic)
{
	if (!ic)
		return;
	free(ic->slot);
	free(ic->e);
	free(ic);
}

static size_t home(const struct pst_insncache *ic, uint64_t key)
{
	return (size_t)((key * 0x9e3779b97f4a7c15u) >> 32) & (ic->nslots - 1);
}

/* The slot that holds key, or the empty one where it would go. */
static size_t find(const struct pst_insncache *ic, uint64_t key)
{
	size_t i = home(ic, key);
	while (ic->slot[i] && ic->e[ic->slot[i] - 1].key != key)
		i = (i + 1) & (ic->nslots - 1);
	return i;
}

bool pst_insncache_get(const struct pst_insncache *ic, uint64_t key, uint64_t addr,
		       cs_insn *in)
{
	const struct entry *e;
	size_t i;
	if (!ic)
		return false;
	i = find(ic, key);
	if (!ic->slot[i])
		return false;
	e = &ic->e[ic->slot[i] - 1];
	in->id = e->id;
	in->address = addr;
	in->size = e->size;
	memcpy(in->bytes, e->bytes, sizeof(in->bytes));
	memcpy(in->mnemonic, e->mnemonic, sizeof(e->mnemonic));
	memcpy(in->op_str, e->op_str, sizeof(e->op_str));
	return true;
}

/* Twice the slots, every entry placed again. */
static bool rehash(struct pst_insncache *ic)
{
	uint32_t *old = ic->slot;
	size_t i, nold = ic->nslots;
	ic->slot = pst_calloc(nold * 2, sizeof(*ic->slot));
	if (!ic->slot) {
		ic->slot = old;
		return false;
	}
	ic->nslots = nold * 2;
	for (i = 0; i < nold; i++)
		if (old[i])
			ic->slot[find(ic, ic->e[old[i] - 1].key)] = old[i];
	free(old);
	return true;
}

/* Room for one entry more, in the array and at half load in the table. */
static bool room(struct pst_insncache *ic)
{
	if (ic->n == PST_CAP_INSNCACHE_ENTRIES)
		return false;
	if ((ic->n + 1) * 2 > ic->nslots && !rehash(ic))
		return false;
	if (ic->n == ic->cap) {
		size_t nc = ic->cap ? ic->cap * 2 : FIRST_SLOTS / 2;
		struct entry *p = pst_realloc(ic->e, nc * sizeof(*p));
		if (!p)
			return false;
		ic->e = p;
		ic->cap = nc;
	}
	return true;
}

void pst_insncache_put(struct pst_insncache *ic, uint64_t key, const cs_insn *in)
{
	struct entry *e;
	size_t i, ml, ol;
	if (!ic)
		return;
	ml = strnlen(in->mnemonic, MNEM_LEN);
	ol = strnlen(in->op_str, OPS_LEN);
	if (ml == MNEM_LEN || ol == OPS_LEN || !room(ic))
		return;
	i = find(ic, key);
	if (ic->slot[i])
		return;
	e = &ic->e[ic->n];
	memset(e, 0, sizeof(*e));
	e->key = key;
	e->id = in->id;
	e->size = in->size;
	memcpy(e->bytes, in->bytes, sizeof(e->bytes));
	memcpy(e->mnemonic, in->mnemonic, ml);
	memcpy(e->op_str, in->op_str, ol);
	ic->slot[i] = (uint32_t)++ic->n;
}

bool pst_insncache_mips_anywhere(uint32_t x)
{
	uint32_t op = x >> 26;
	return op == 0 || (op >= 8 && op <= 15) || op == 28 || op == 31 || (op >= 32 && op <= 46);
}
