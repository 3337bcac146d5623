/*
 * vendor.c - payload emission shared by the vendor-header unpackers, with
 * the generic "encrypted after a known header" check: a vendor header we
 * recognise, followed by bytes as random as a cipher's output that no
 * unpacker recognises, is an encrypted image. Compressed payloads and
 * filesystems are just as random past their headers, which is why the check
 * asks every unpacker to bid first and wants a start without the zero and
 * 0xff bytes every binary header has: formats we do not open yet are not
 * taken for ciphertext.
 */
#include <string.h>
#include "vendor.h"

#define ENC_MIN 4096
#define ENC_SAMPLE (256u * 1024u)
#define ENC_ENTROPY 7.95
/* Headers of compressed streams and filesystems are full of 0x00 and 0xff
 * (flags, reserved fields, small numbers); 64 bytes of ciphertext hold
 * four of them with a probability near 1e-4. */
#define ENC_HEAD 64
#define ENC_HEAD_STRUCTURED 4

bool pst_vendor_looks_encrypted(const uint8_t *p, size_t len, struct pst_bid *bid,
				double *entropy)
{
	unsigned structured = 0;
	size_t i;
	double e;
	if (len < ENC_MIN)
		return false;
	for (i = 0; i < ENC_HEAD; i++)
		if (p[i] == 0 || p[i] == 0xff)
			structured++;
	if (structured >= ENC_HEAD_STRUCTURED)
		return false;
	e = pst_entropy(p, len < ENC_SAMPLE ? len : ENC_SAMPLE);
	if (entropy)
		*entropy = e;
	if (e < ENC_ENTROPY)
		return false;
	if (!pst_bid_is(bid, p, len))
		*bid = pst_bid_make(p, len);
	return bid->u == NULL;
}

/* bid: the bid made on part, if any, for the walker to take */
static enum pst_err emit(struct pst_sink *k, struct pst_view part, uint64_t off,
			 const char *name, unsigned flags, const struct pst_bid *bid)
{
	struct pst_entry e;
	memset(&e, 0, sizeof(e));
	e.path = name;
	e.offset = off;
	e.flags = flags;
	e.borrow = part.p;
	e.borrow_len = part.len;
	if (bid && pst_bid_is(bid, part.p, part.len))
		e.bid = *bid;
	return pst_sink_emit(k, &e);
}

static enum pst_err emit_encrypted(struct pst_sink *k, struct pst_view in, uint64_t off,
				   uint64_t len, const char *name, const char *what,
				   const struct pst_bid *bid)
{
	struct pst_view part = pst_view_sub(in, off, len);
	pst_finding_add(k->scan, k->parent, "coverage.encrypted", PST_SEV_LOW, "coverage", off,
			name, "%s: %s (%zu bytes) could not be examined",
			what, name, part.len);
	return emit(k, part, off, name, PST_NODE_ENCRYPTED | PST_NODE_INCOMPLETE, bid);
}

enum pst_err pst_vendor_emit_encrypted(struct pst_sink *k, struct pst_view in, uint64_t off,
				       uint64_t len, const char *name, const char *what)
{
	return emit_encrypted(k, in, off, len, name, what, NULL);
}

enum pst_err pst_vendor_emit(struct pst_sink *k, struct pst_view in, uint64_t off,
			     uint64_t len, const char *name)
{
	return pst_vendor_emit_bid(k, in, off, len, name, NULL);
}

enum pst_err pst_vendor_emit_bid(struct pst_sink *k, struct pst_view in, uint64_t off,
				 uint64_t len, const char *name, const struct pst_bid *known)
{
	struct pst_view part = pst_view_sub(in, off, len);
	struct pst_bid bid = { NULL, 0, NULL, 0 };
	double ent = 0;
	char what[128];

	if (part.len < len)
		pst_sink_damage(k, PST_EFORMAT, "%s runs past the end: %zu of %llu bytes", name + 1,
				part.len, (unsigned long long)len);
	if (part.len == 0)
		return PST_OK;
	if (known)
		bid = *known;
	if (pst_vendor_looks_encrypted(part.p, part.len, &bid, &ent)) {
		snprintf(what, sizeof(what),
			 "%s header over random-looking data no unpacker knows (entropy %.2f): taken for encrypted",
			 k->parent->format ? k->parent->format : "vendor", ent);
		return emit_encrypted(k, in, off, len, name, what, &bid);
	}
	return emit(k, part, off, name, 0, &bid);
}

void pst_vendor_bad_sum(struct pst_sink *k, const char *what)
{
	pst_finding_add(k->scan, k->parent, "container.checksum-mismatch", PST_SEV_LOW, "integrity", 0,
			NULL, "%s does not match the content: damaged, or changed after the image was made",
			what);
}
