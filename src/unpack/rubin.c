/*
 * rubin.c - the decoder of JFFS2's rubin compressors, a binary arithmetic
 * coder with 16-bit registers, written from the algorithm: every byte is
 * coded as 8 bits, least significant first, bit i with the fixed odds
 * (divider - bits[i]) : bits[i] of being 0 : 1. The coder keeps an
 * interval (low q, width p) inside [0, 2^16); before each bit, while the
 * interval lies wholly in one half (q >= 2^15) or is no wider than a half
 * (p + q <= 2^15), both are doubled (q keeping its low 15 bits) and the
 * decoder shifts one more input bit (most significant bit of each byte
 * first) into its 16-bit window. The split point i0 = A * p / (A + B),
 * kept inside [1, p - 1], sends the bit to [q, q + i0) for 0 and
 * [q + i0, q + p) for 1. The encoder ends with the 16 bits of q, so a
 * valid stream never makes the decoder read past its end.
 *
 * rubinmips (id 3) uses the fixed odds divider 1043, bits 277, 249, 290,
 * 267, 229, 341, 212, 241; dynrubin (id 5) stores its own odds (divider
 * 256) as the first 8 bytes of the node's data.
 */
#include "rubin.h"

#define UPPER 0x8000u
#define LOWER 0x7fffu

struct bits_in {
	const uint8_t *p;
	size_t nbits, pos;
};

static uint32_t pull(struct bits_in *b)
{
	uint32_t bit = 0;
	if (b->pos < b->nbits)
		bit = (uint32_t)(b->p[b->pos >> 3] >> (7 - (b->pos & 7))) & 1u;
	b->pos++;
	return bit;
}

bool pst_rubin_decode(const uint8_t *in, size_t len, bool dynamic, uint8_t *out, size_t dsize)
{
	static const uint32_t mips[8] = { 277, 249, 290, 267, 229, 341, 212, 241 };
	uint32_t odds[8], divider = dynamic ? 256u : 1043u, p = 2 * UPPER, q = 0, rec = 0;
	struct bits_in b;
	size_t o;
	unsigned i;

	if (dynamic) {
		if (len < 8)
			return false;
		for (i = 0; i < 8; i++)
			odds[i] = in[i];
		in += 8;
		len -= 8;
	} else {
		for (i = 0; i < 8; i++)
			odds[i] = mips[i];
	}
	if (len > SIZE_MAX / 8)
		return false;
	b.p = in;
	b.nbits = len * 8;
	b.pos = 0;
	for (i = 0; i < 16; i++)
		rec = rec << 1 | pull(&b);
	for (o = 0; o < dsize; o++) {
		uint32_t byte = 0;
		for (i = 0; i < 8; i++) {
			uint32_t a = divider - odds[i], i0;
			while (q >= UPPER || p + q <= UPPER) {
				q = (q & LOWER) << 1;
				p <<= 1;
				rec = (rec & LOWER) << 1 | pull(&b);
			}
			i0 = (uint32_t)((uint64_t)a * p / divider);
			if (i0 == 0)
				i0 = 1;
			if (i0 >= p)
				i0 = p - 1;
			if (i0 == 0)
				return false;   /* p == 1: no room left (a crafted stream) */
			if (rec >= q + i0) {
				byte |= 1u << i;
				q += i0;
				p -= i0;
			} else {
				p = i0;
			}
		}
		out[o] = (uint8_t)byte;
		if (b.pos > b.nbits)
			return false;
	}
	return true;
}
