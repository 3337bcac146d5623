/*
 * fuzz_real.c - whole scans of real firmware images with small, block-level
 * damage (issue 22). The other harnesses start from small inputs and rarely
 * grow a product's worth of files, so the tree-wide analyzers' finish phase
 * and the report writers only ever saw tiny trees; a use-after-free there
 * (a fact added while another analyzer read the facts) showed up only on
 * mutated real images. The seed corpus is the real router images
 * (tests/fixtures/real, a few MB each), and the custom mutator makes the
 * changes a damaged or doctored image has: a bit flipped, a block erased to
 * 0x00 or 0xff, a block duplicated or moved, the image cut short, or
 * libFuzzer's own mutation of a small window; half of them land near a
 * container magic, where postern's own parsers read. Every report format is
 * written (fuzz_common.h). Run with -max_len of at least the images' size
 * (tests/fuzz/campaign.sh does).
 */
#define _GNU_SOURCE /* memmem */
#include <stdlib.h>
#include <string.h>
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
size_t LLVMFuzzerCustomMutator(uint8_t *data, size_t size, size_t max_size, unsigned int seed);
/* libFuzzer's own mutator; weak, because the replay driver (replay.c) links
 * this file without libFuzzer and never mutates. */
size_t LLVMFuzzerMutate(uint8_t *data, size_t size, size_t max_size) __attribute__((weak));

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return pst_fuzz_scan(data, size);
}

/* splitmix64: the mutation depends on libFuzzer's seed alone, so a run
 * replays with -seed. */
static uint64_t rnd(uint64_t *s)
{
	uint64_t z = (*s += 0x9E3779B97F4A7C15ull);
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
	return z ^ (z >> 31);
}

static size_t below(uint64_t *s, size_t n)
{
	return n ? (size_t)(rnd(s) % n) : 0;
}

/* The container magics whose headers postern parses itself or hands to a
 * library: uImage, squashfs (both orders), gzip, LZMA, xz, TRX, UBI, jffs2
 * (both orders), device tree, ELF, romfs, cramfs. */
static const struct { const char *m; size_t n; } magics[] = {
	{ "\x27\x05\x19\x56", 4 }, { "hsqs", 4 }, { "sqsh", 4 }, { "\x1f\x8b\x08", 3 },
	{ "\x5d\x00\x00", 3 }, { "\xfd" "7zXZ", 5 }, { "HDR0", 4 }, { "UBI#", 4 },
	{ "\x85\x19", 2 }, { "\x19\x85", 2 }, { "\xd0\x0d\xfe\xed", 4 }, { "\x7f" "ELF", 4 },
	{ "-rom1fs-", 8 }, { "\x45\x3d\xcd\x28", 4 },
};

/* An offset in [0, size): half the time just past a magic found from a
 * random point on, else anywhere. */
static size_t pick_off(uint64_t *s, const uint8_t *d, size_t size)
{
	size_t from = below(s, size);
	if (rnd(s) & 1) {
		size_t k = below(s, sizeof(magics) / sizeof(magics[0]));
		const uint8_t *hit = memmem(d + from, size - from, magics[k].m, magics[k].n);
		if (hit) {
			size_t off = (size_t)(hit - d) + below(s, 512);
			return off < size ? off : size - 1;
		}
	}
	return from;
}

/* Inserts a copy of [off, off+n) at dst; the input grows by n. */
static size_t dup_block(uint8_t *d, size_t size, size_t off, size_t n, size_t dst)
{
	uint8_t *tmp = malloc(n);
	if (!tmp)
		return size;
	memcpy(tmp, d + off, n);
	memmove(d + dst + n, d + dst, size - dst);
	memcpy(d + dst, tmp, n);
	free(tmp);
	return size + n;
}

/* Cuts [off, off+n) out and puts it back at dst of what is left. */
static void move_block(uint8_t *d, size_t size, size_t off, size_t n, size_t dst)
{
	uint8_t *tmp = malloc(n);
	if (!tmp)
		return;
	memcpy(tmp, d + off, n);
	memmove(d + off, d + off + n, size - off - n);
	memmove(d + dst + n, d + dst, size - n - dst);
	memcpy(d + dst, tmp, n);
	free(tmp);
}

static size_t one_op(uint64_t *s, uint8_t *d, size_t size, size_t max_size)
{
	size_t off = pick_off(s, d, size), n = (size_t)1 << below(s, 17), kind = below(s, 12);
	if (n > size - off)
		n = size - off;
	if (kind < 4) {
		d[off] ^= (uint8_t)(1u << below(s, 8));
	} else if (kind < 6) {
		memset(d + off, below(s, 3) ? 0x00 : 0xff, n);
	} else if (kind < 7) {
		if (n <= max_size - size)
			size = dup_block(d, size, off, n, below(s, size + 1));
	} else if (kind < 9) {
		move_block(d, size, off, n, below(s, size - n + 1));
	} else if (kind < 10) {
		size = off ? off : size;
	} else if (LLVMFuzzerMutate) {
		size_t w = size - off < 256 ? size - off : 256;
		LLVMFuzzerMutate(d + off, w, w); /* same length: the layout stays */
	}
	return size;
}

size_t LLVMFuzzerCustomMutator(uint8_t *data, size_t size, size_t max_size, unsigned int seed)
{
	uint64_t s = seed;
	size_t i, ops;
	if (size < 2 || size > max_size)
		return LLVMFuzzerMutate ? LLVMFuzzerMutate(data, size, max_size) : size;
	ops = 1 + below(&s, 3);
	for (i = 0; i < ops && size >= 2; i++)
		size = one_op(&s, data, size, max_size);
	return size;
}
