/* vendor.h - what the vendor-header unpackers (TRX, TP-Link, .chk, SEAMA,
 * Realtek, Android boot...) share: emitting a payload region, and telling an
 * encrypted payload from a compressed one. */
#ifndef PST_VENDOR_H
#define PST_VENDOR_H
#include "internal.h"

/* Emits [off, off+len) of in as the child "name". A region that runs past in
 * is emitted as far as it goes and reported as damage. A region that is
 * high-entropy and that no unpacker recognises at its start is taken for
 * encrypted: the child is flagged PST_NODE_ENCRYPTED (it counts in coverage)
 * and a coverage.encrypted finding names it. */
enum pst_err pst_vendor_emit(struct pst_sink *k, struct pst_view in, uint64_t off,
			     uint64_t len, const char *name);
/* As pst_vendor_emit, given the bid the caller made on the region (csys
 * finds its payload by bidding): when it was made on exactly the bytes
 * emitted (pst_bid_is), neither the encryption check nor the walker asks
 * every unpacker again. */
enum pst_err pst_vendor_emit_bid(struct pst_sink *k, struct pst_view in, uint64_t off,
				 uint64_t len, const char *name, const struct pst_bid *bid);
/* True when p looks encrypted: at least 4 KiB, fewer than four 0x00/0xff
 * bytes in its first 64, entropy of its first 256 KiB above 7.95 bits/byte,
 * and no unpacker bids on its start. *bid is the bid on p's len bytes when
 * made already, else it is made here if the check needs it and kept. */
bool pst_vendor_looks_encrypted(const uint8_t *p, size_t len, struct pst_bid *bid,
				double *entropy);
/* Reports a payload known to be encrypted (by a marker): emits it flagged
 * and records coverage.encrypted with what was recognised. */
enum pst_err pst_vendor_emit_encrypted(struct pst_sink *k, struct pst_view in, uint64_t off,
				       uint64_t len, const char *name, const char *what);
/* A checksum or digest that does not match: the content is damaged or was
 * changed after the image was sealed. Records container.checksum-mismatch. */
void pst_vendor_bad_sum(struct pst_sink *k, const char *what);
/* True when the object was found by carving inside a raw image. A carved
 * header whose declared size runs past the end of the image is dropped:
 * a chance match is likelier there than a cut image (the bytes then count
 * as unexplained, so nothing goes unreported). */
static inline bool pst_vendor_carved(const struct pst_sink *k)
{
	return (k->parent->flags & PST_NODE_CARVED) != 0;
}
#endif
