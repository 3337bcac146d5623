/*
 * test_bids.c - one bid per node (issue 23): bytes every unpacker has bid
 * on are not bid on again. The registry is replaced at link time (as a
 * format fuzz harness's is, tests/fuzz/fuzz_common.h) by csys, a mock
 * vendor header and a mock format whose bid counts how often each (bytes,
 * length) it is shown: csys finds its payload by bidding, the vendor check
 * bids on a random-looking payload, the walker bids on every node and the
 * carver at each magic, and none may ask again what one of them asked.
 */
#include <pthread.h>
#include "helpers.h"
#include "unpack/vendor.h"
#include "../fuzz/fuzz_common.h"

#define SEEN_MAX 4096

static struct {
	pthread_mutex_t m;
	const uint8_t *p[SEEN_MAX];
	size_t len[SEEN_MAX];
	unsigned times[SEEN_MAX];
	size_t n;
	bool full;
} seen = { .m = PTHREAD_MUTEX_INITIALIZER };

static void seen_reset(void)
{
	pthread_mutex_lock(&seen.m);
	seen.n = 0;
	seen.full = false;
	pthread_mutex_unlock(&seen.m);
}

/* The most any bytes were bid on. */
static unsigned seen_most(void)
{
	unsigned most = 0;
	size_t i;
	pthread_mutex_lock(&seen.m);
	for (i = 0; i < seen.n; i++)
		if (seen.times[i] > most)
			most = seen.times[i];
	pthread_mutex_unlock(&seen.m);
	return most;
}

static void seen_add(const uint8_t *p, size_t len)
{
	size_t i;
	pthread_mutex_lock(&seen.m);
	for (i = 0; i < seen.n; i++)
		if (seen.p[i] == p && seen.len[i] == len)
			break;
	if (i < seen.n) {
		seen.times[i]++;
	} else if (seen.n < SEEN_MAX) {
		seen.p[i] = p;
		seen.len[i] = len;
		seen.times[i] = 1;
		seen.n++;
	} else {
		seen.full = true;
	}
	pthread_mutex_unlock(&seen.m);
}

/* ---- "counted": magic "QZ" (carvable), claimed only as "QZMOCKOK" ---- */
static unsigned counted_bid(const uint8_t *h, size_t len)
{
	seen_add(h, len);
	return len >= 8 && memcmp(h, "QZMOCKOK", 8) == 0 ? 50 : 0;
}

static enum pst_err counted_unpack(struct pst_sink *k, struct pst_view in)
{
	k->consumed = in.len;
	return PST_OK;
}

static const struct pst_magic counted_magics[] = { { "QZ", 2, 0 }, { NULL, 0, 0 } };
static const struct pst_unpacker counted = {
	"counted", PST_KIND_DATA, PST_UNPACK_CARVE, counted_magics, counted_bid, counted_unpack,
};

/* ---- "mockhdr": a 16-byte vendor header over a payload ---- */
static unsigned mockhdr_bid(const uint8_t *h, size_t len)
{
	return len > 16 && memcmp(h, "MOCKHDR!", 8) == 0 ? 60 : 0;
}

static enum pst_err mockhdr_unpack(struct pst_sink *k, struct pst_view in)
{
	k->header = 16;
	k->consumed = in.len;
	return pst_vendor_emit(k, in, 16, in.len - 16, "/payload");
}

static const struct pst_unpacker mockhdr = {
	"mockhdr", PST_KIND_FIRMWARE, 0, NULL, mockhdr_bid, mockhdr_unpack,
};

extern const struct pst_unpacker pst_unpacker_csys;
PST_FUZZ_ONLY(&pst_unpacker_csys, &mockhdr, &counted);

/* len random-looking bytes (a fixed seed), none 0x00 or 0xff, so that a
 * payload of them is taken for ciphertext (vendor.c). */
static void random_bytes(uint8_t *p, size_t len)
{
	uint64_t x = 0x9e3779b97f4a7c15u;
	size_t i;
	for (i = 0; i < len; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		p[i] = (uint8_t)(x >> 24);
		if (p[i] == 0 || p[i] == 0xff)
			p[i] = 0x5a;
	}
}

static void le32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

/* Writes img to dir/name and scans it, the counts reset. */
static struct pst_scan *scan_counted(const char *dir, const char *name, const uint8_t *img,
				     size_t len)
{
	char path[4200];
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	th_write(path, img, len);
	seen_reset();
	return th_scan(path, 2);
}

/* A plain file starting with the counted magic, claimed by nobody: the
 * walker's bid at its offset 0 is the carver's there too. */
static void test_walker_then_carver(void **state)
{
	char *d = th_tmpdir();
	static uint8_t img[65536];
	struct pst_scan *s;
	(void)state;
	random_bytes(img, sizeof(img));
	memcpy(img, "QZ", 2);
	s = scan_counted(d, "plain.bin", img, sizeof(img));
	assert_false(seen.full);
	assert_true(seen.n >= 1);
	assert_int_equal(seen_most(), 1);
	assert_null(th_node(s, "!counted@0x0"));
	pst_scan_free(s);
	th_rmtree(d);
}

/* csys finds its payload by bidding at 12, 16, ... bytes in; the payload's
 * node takes that bid instead of asking every unpacker again. */
static void test_csys_payload(void **state)
{
	char *d = th_tmpdir();
	static uint8_t img[4096];
	struct pst_scan *s;
	const struct pst_node *n;
	(void)state;
	memset(img, 'a', sizeof(img));
	memcpy(img, "CSYS", 4);
	le32(img + 4, 0x80010000u);
	le32(img + 8, (uint32_t)(sizeof(img) - 12));
	memcpy(img + 12, "QZMOCKOK", 8);
	s = scan_counted(d, "csys.bin", img, sizeof(img));
	n = th_node(s, "csys.bin!/payload");
	assert_non_null(n);
	assert_non_null(n->format);
	assert_string_equal(n->format, "counted");
	assert_int_equal(seen_most(), 1);
	pst_scan_free(s);
	th_rmtree(d);
}

/* A vendor header over random-looking bytes that start with the counted
 * magic: the encryption check bids on them, and neither the walker nor
 * the carver on the encrypted payload's node asks again. */
static void test_vendor_encrypted(void **state)
{
	char *d = th_tmpdir();
	static uint8_t img[16 + 65536];
	struct pst_scan *s;
	const struct pst_node *n;
	(void)state;
	random_bytes(img, sizeof(img));
	memcpy(img, "MOCKHDR!", 8);
	memcpy(img + 16, "QZ", 2);
	s = scan_counted(d, "enc.bin", img, sizeof(img));
	n = th_node(s, "enc.bin!/payload");
	assert_non_null(n);
	assert_true(n->flags & PST_NODE_ENCRYPTED);
	assert_non_null(th_finding(s, "coverage.encrypted", "enc.bin"));
	assert_int_equal(seen_most(), 1);
	pst_scan_free(s);
	th_rmtree(d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_walker_then_carver),
		cmocka_unit_test(test_csys_payload),
		cmocka_unit_test(test_vendor_encrypted),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
