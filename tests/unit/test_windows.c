/*
 * test_windows.c - the decoder windows read from an rpm payload's headers
 * (src/unpack/windows.c) and the charge they make: xz with one block, with
 * several of different dictionaries and with concatenated streams, lzma-alone,
 * zstd with and without a content size; every truncation and byte flip of an
 * xz stream checked against what liblzma really holds; an rpm whose payload
 * declares more than the budget is cut, the same with a small dictionary is
 * not. Fixtures: xz, zstd and tests/tools/mkxz.py, made at test time.
 */
#include <lzma.h>
#include "helpers.h"
#include "unpack/windows.h"

#define MIB (1024ull * 1024)

struct file {
	uint8_t *p;
	size_t len;
};

static struct file slurp(const char *dir, const char *name)
{
	char path[4200];
	struct file f = { NULL, 0 };
	FILE *fp;
	long n;
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	fp = fopen(path, "rb");
	assert_non_null(fp);
	assert_int_equal(fseek(fp, 0, SEEK_END), 0);
	n = ftell(fp);
	assert_true(n >= 0);
	rewind(fp);
	f.len = (size_t)n;
	f.p = malloc(f.len + 1);
	assert_non_null(f.p);
	assert_int_equal(fread(f.p, 1, f.len, fp), f.len);
	fclose(fp);
	return f;
}

static struct pst_window parse(struct file f, bool (*fn)(struct pst_view, struct pst_window *))
{
	struct pst_window w;
	memset(&w, 0, sizeof(w));
	assert_true(fn(pst_view_make(f.p, f.len), &w));
	return w;
}

static void xz_one_block(void **state)
{
	char *d = th_tmpdir();
	struct file f;
	struct pst_window w;
	(void)state;
	th_sh("cd %s && seq 1 400000 > t && xz -T1 --lzma2=preset=1,dict=2MiB -c t > t.xz", d);
	f = slurp(d, "t.xz");
	w = parse(f, pst_window_xz);
	assert_int_equal(w.dict, 2 * MIB);
	assert_int_equal(w.out, 2688895); /* seq 1 400000 | wc -c: the chunks' sum, exact */
	assert_int_equal(pst_window_resident(&w), 2 * MIB);
	assert_false(w.guessed);
	free(f.p);
	th_rmtree(d);
}

/* Several blocks: the largest dictionary, and the sum of every block's
 * bytes (one of 1.5 GiB declared, 5,000 bytes decoded: 5,000 resident at
 * most from it, but the dictionary buffer is reused: the sum bounds it). */
static void xz_blocks(void **state)
{
	char *d = th_tmpdir();
	struct file f;
	struct pst_window w;
	(void)state;
	th_sh("cd %s && mkxz.py xz a.xz 1M:100000:text 8M:300000 1536M:5000 && "
	      "head -c 1000000 /dev/zero | xz -T2 --block-size=256KiB --lzma2=preset=0,dict=4MiB "
	      "> b.xz && test $(xz -lvv b.xz | grep -c 'dict=4MiB') -ge 4 && "
	      "head -c 70000 /dev/zero | xz --lzma2=dict=1MiB > c.xz && "
	      "head -c 90000 /dev/zero | xz --lzma2=dict=16MiB >> c.xz", d);
	f = slurp(d, "a.xz");
	w = parse(f, pst_window_xz);
	assert_int_equal(w.dict, 1536 * MIB);
	assert_int_equal(w.out, 405000);
	assert_int_equal(pst_window_resident(&w), 405000);
	free(f.p);
	f = slurp(d, "b.xz");
	w = parse(f, pst_window_xz);
	assert_int_equal(w.dict, 4 * MIB);
	assert_int_equal(w.out, 1000000);
	free(f.p);
	/* concatenated streams, as libarchive decodes them (LZMA_CONCATENATED) */
	f = slurp(d, "c.xz");
	w = parse(f, pst_window_xz);
	assert_int_equal(w.dict, 16 * MIB);
	assert_int_equal(w.out, 160000);
	free(f.p);
	th_rmtree(d);
}

static void lzma_alone(void **state)
{
	char *d = th_tmpdir();
	struct file f;
	struct pst_window w;
	uint8_t h[13] = { 0x5d, 0, 0, 0, 4, 0xe8, 3 }; /* 64 MiB, 1,000 bytes */
	(void)state;
	th_sh("cd %s && seq 1 1000 | xz --format=lzma --lzma1=preset=0,dict=8MiB > t.lzma", d);
	f = slurp(d, "t.lzma");
	w = parse(f, pst_window_lzma);
	assert_int_equal(w.dict, 8 * MIB);
	assert_int_equal(w.out, UINT64_MAX); /* xz writes the size as unknown */
	assert_int_equal(pst_window_resident(&w), 8 * MIB);
	free(f.p);
	assert_true(pst_window_lzma(pst_view_make(h, sizeof(h)), &w));
	assert_int_equal(w.dict, 64 * MIB);
	assert_int_equal(pst_window_resident(&w), 1000);
	h[0] = 225; /* no lc/lp/pb packs to this */
	assert_false(pst_window_lzma(pst_view_make(h, sizeof(h)), &w));
	assert_false(pst_window_lzma(pst_view_make(h, 12), &w));
	th_rmtree(d);
}

static void zstd_frames(void **state)
{
	char *d = th_tmpdir();
	struct file f;
	struct pst_window w;
	(void)state;
	/* from a file: the content size is in the header; from a pipe: not,
	 * and the window is the whole 128 MiB --long=27 asks for */
	th_sh("cd %s && seq 1 300000 > t && zstd -q --long=27 t -o a.zst && "
	      "cat t | zstd -q --long=27 > b.zst", d);
	f = slurp(d, "a.zst");
	w = parse(f, pst_window_zstd);
	assert_int_equal(pst_window_resident(&w), 1988895); /* seq 1 300000 | wc -c */
	free(f.p);
	f = slurp(d, "b.zst");
	w = parse(f, pst_window_zstd);
	assert_int_equal(w.dict, 128 * MIB);
	/* compressed blocks count at the block maximum (128 KiB) */
	assert_true(w.out >= 1988895 && w.out < 1988895 + 64 * 128 * 1024);
	assert_int_equal(pst_window_resident(&w), w.out);
	free(f.p);
	th_rmtree(d);
}

/* liblzma through an allocator that keeps the largest block it was asked
 * for (the dictionary); the bytes decoded before it stopped. */
struct track {
	lzma_allocator a;
	size_t most;
};

static void *track_alloc(void *opaque, size_t nmemb, size_t size)
{
	struct track *t = opaque;
	size_t n;
	if (size && nmemb > SIZE_MAX / size)
		return NULL;
	n = nmemb * size;
	if (n > t->most)
		t->most = n;
	return malloc(n ? n : 1);
}

static void track_free(void *opaque, void *p)
{
	(void)opaque;
	free(p);
}

static uint64_t decode(const uint8_t *p, size_t n, size_t *most)
{
	struct track t = { { track_alloc, track_free, NULL }, 0 };
	lzma_stream z = LZMA_STREAM_INIT;
	uint8_t out[65536];
	lzma_ret r;
	t.a.opaque = &t;
	z.allocator = &t.a;
	/* as libarchive asks, but with a limit: a flipped dictionary byte
	 * must not make the test allocate 4 GiB */
	assert_int_equal(lzma_stream_decoder(&z, 512 * MIB, LZMA_CONCATENATED), LZMA_OK);
	z.next_in = p;
	z.avail_in = n;
	do {
		z.next_out = out;
		z.avail_out = sizeof(out);
		r = lzma_code(&z, LZMA_FINISH);
	} while (r == LZMA_OK);
	*most = t.most;
	n = (size_t)z.total_out;
	lzma_end(&z);
	return n;
}

/* What the parser says is resident must cover what liblzma holds: min(the
 * largest allocation, bytes decoded), less the decoder's own state (64 KiB
 * covers its probabilities and the rounding of the dictionary). */
static void check_covers(const uint8_t *p, size_t n)
{
	struct pst_window w;
	size_t most = 0;
	uint64_t out = decode(p, n, &most), real = out < most ? out : most;
	memset(&w, 0, sizeof(w));
	if (!pst_window_xz(pst_view_make(p, n), &w)) {
		assert_int_equal(out, 0);
		return;
	}
	if (pst_window_resident(&w) + 65536 < real)
		fail_msg("%zu bytes: resident %llu, liblzma held %llu", n,
			 (unsigned long long)pst_window_resident(&w), (unsigned long long)real);
}

/* Every truncation and every byte flipped (two ways) of a three-block
 * stream: no crash, and never less than liblzma holds. */
static void xz_damaged_covers(void **state)
{
	char *d = th_tmpdir();
	struct file f;
	size_t i;
	(void)state;
	th_sh("cd %s && mkxz.py xz a.xz 1M:60000:text 4M:70000:text 64K:5000 && "
	      "head -c 150000 /dev/zero | xz -T2 --block-size=50KiB --check=crc64 "
	      "--lzma2=dict=2MiB >> a.xz", d);
	f = slurp(d, "a.xz");
	for (i = 0; i <= f.len; i++)
		check_covers(f.p, i);
	for (i = 0; i < f.len; i++) {
		uint8_t keep = f.p[i];
		f.p[i] = (uint8_t)(keep ^ 0xff);
		check_covers(f.p, f.len);
		f.p[i] = (uint8_t)(keep ^ 0x01);
		check_covers(f.p, f.len);
		f.p[i] = keep;
	}
	free(f.p);
	th_rmtree(d);
}

/* A block header that cannot be read: the default, with no bound. */
static void xz_unreadable_header(void **state)
{
	char *d = th_tmpdir();
	struct file f;
	struct pst_window w;
	(void)state;
	th_sh("cd %s && mkxz.py xz a.xz 1M:1000", d);
	f = slurp(d, "a.xz");
	f.p[13] |= 0x04; /* a reserved block flag */
	w = parse(f, pst_window_xz);
	assert_true(w.guessed);
	assert_int_equal(pst_window_resident(&w), PST_WINDOW_DEFAULT);
	free(f.p);
	th_rmtree(d);
}

static void rpm_payload(void **state)
{
	char *d = th_tmpdir();
	struct file f, p;
	struct pst_view v;
	struct pst_window w;
	(void)state;
	th_sh("cd %s && mkxz.py xz p.xz 1536M:1000 && mkxz.py rpm t.rpm p.xz", d);
	f = slurp(d, "t.rpm");
	p = slurp(d, "p.xz");
	v = pst_window_rpm_payload(pst_view_make(f.p, f.len));
	assert_int_equal(v.len, p.len);
	assert_memory_equal(v.p, p.p, p.len);
	assert_true(pst_window_payload(v, &w));
	assert_string_equal(w.codec, "xz");
	assert_int_equal(pst_window_resident(&w), 1000);
	/* a header whose index runs past the end: no payload */
	f.p[96 + 16 + 11] = 0x7f;
	assert_int_equal(pst_window_rpm_payload(pst_view_make(f.p, f.len)).len, 0);
	free(f.p);
	free(p.p);
	th_rmtree(d);
}

/* Scans dir/name under a 16 MiB budget with one worker: cut (limit.memory on
 * the container, truncated, the 24 MiB member "big" not there) or whole
 * (big there, nothing cut). Either way the budget held. */
static void scan_16m(const char *dir, const char *name, bool cut)
{
	char path[4200], member[300];
	struct pst_options o;
	struct pst_scan *s;
	const struct pst_node *n;
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	snprintf(member, sizeof(member), "%s!/big", name);
	pst_options_default(&o);
	o.jobs = 1;
	o.limits.max_memory = 16 * MIB;
	o.limits.max_memory_fixed = true;
	s = th_scan_opts(path, &o);
	n = th_node(s, name);
	assert_non_null(n);
	if (cut) {
		assert_non_null(th_finding(s, "limit.memory", name));
		assert_true(n->flags & PST_NODE_TRUNCATED);
		assert_null(th_node(s, member));
		assert_true(s->cov.limits_hit >= 1 && s->cov.truncated >= 1);
	} else {
		assert_null(th_finding(s, "limit.memory", NULL));
		assert_non_null(th_node(s, member));
		assert_int_equal(th_node(s, member)->size, 24 * MIB);
		assert_false(n->flags & PST_NODE_TRUNCATED);
		assert_int_equal(s->cov.limits_hit, 0);
	}
	assert_true(s->mem.peak <= 16 * MIB);
	pst_scan_free(s);
}

/* The same rpm, its xz payload (a cpio holding a 24 MiB file) declaring a
 * 1.5 GiB dictionary or a 1 MiB one, under a 16 MiB budget: the first
 * needs min(1.5 GiB, 24 MiB) for libarchive's decoder and is cut, not
 * decoded; the second scans whole, nothing cut. */
static void rpm_window_cut(void **state)
{
	char *d = th_tmpdir();
	(void)state;
	th_sh("cd %s && mkxz.py cpio c.cpio a:1000 big:24M && mkxz.py xz p0.xz 1536M:@c.cpio && "
	      "mkxz.py xz p1.xz 1M:@c.cpio && mkxz.py rpm t0.rpm p0.xz && mkxz.py rpm t1.rpm p1.xz",
	      d);
	scan_16m(d, "t0.rpm", true);
	scan_16m(d, "t1.rpm", false);
	th_rmtree(d);
}

static struct pst_window parse_7z(struct file f)
{
	struct pst_window w;
	memset(&w, 0, sizeof(w));
	assert_true(pst_window_7z(pst_view_make(f.p, f.len), &w, NULL));
	return w;
}

/* 7z: the header stored plain and encoded (7-Zip's default), LZMA, LZMA2,
 * PPMd (its model size) and a BCJ2 folder; every truncation and byte flip
 * of the encoded one stays in bounds. */
static void sevenzip(void **state)
{
	char *d = th_tmpdir();
	struct file f;
	struct pst_window w;
	size_t i;
	(void)state;
	th_sh("cd %s && seq 1 600000 > s && 7z a -bd -m0=lzma:d=1m -mhc=off plain.7z s && "
	      "7z a -bd -m0=lzma2:d=2m enc.7z s && 7z a -bd -m0=ppmd:mem=32m:o=8 pp.7z s && "
	      "cp /bin/ls ls.bin && 7z a -bd -mf=BCJ2 bcj2.7z ls.bin > /dev/null", d);
	f = slurp(d, "plain.7z");
	w = parse_7z(f);
	assert_false(w.guessed);
	assert_int_equal(pst_window_resident(&w), 1 * MIB);
	free(f.p);
	f = slurp(d, "enc.7z");
	w = parse_7z(f);
	assert_false(w.guessed);
	assert_int_equal(pst_window_resident(&w), 2 * MIB);
	for (i = 0; i <= f.len; i++)
		pst_window_7z(pst_view_make(f.p, i), &w, NULL);
	for (i = 0; i < f.len; i++) {
		f.p[i] ^= 0xff;
		pst_window_7z(pst_view_make(f.p, f.len), &w, NULL);
		assert_true(pst_window_resident(&w) <= UINT32_MAX * 2ull * 32);
		f.p[i] ^= 0xff;
	}
	free(f.p);
	f = slurp(d, "pp.7z");
	w = parse_7z(f);
	assert_false(w.guessed);
	assert_int_equal(pst_window_resident(&w), 4088895); /* the folder's size */
	free(f.p);
	f = slurp(d, "bcj2.7z");
	w = parse_7z(f);
	assert_false(w.guessed);
	assert_true(pst_window_resident(&w) > 0);
	free(f.p);
	th_rmtree(d);
}

/* A 7z of a 24 MiB file, its plain header patched to declare a 1.5 GiB
 * LZMA dictionary (CRCs mended), under a 16 MiB budget: cut, not decoded;
 * as 7-Zip wrote it (1 MiB), whole. */
static void sevenzip_window_cut(void **state)
{
	char *d = th_tmpdir();
	(void)state;
	th_sh("cd %s && head -c 25165824 /dev/zero > big && "
	      "7z a -bd -m0=lzma:d=1m -mhc=off t1.7z big > /dev/null && python3 -c '"
	      "import struct, zlib\n"
	      "b = bytearray(open(\"t1.7z\", \"rb\").read())\n"
	      "off, size = struct.unpack_from(\"<QQ\", b, 12)\n"
	      "h = 32 + off\n"
	      "at = b.index(bytes([0x5d, 0, 0, 0x10, 0]), h)\n"
	      "b[at + 1:at + 5] = struct.pack(\"<I\", 1536 << 20)\n"
	      "struct.pack_into(\"<I\", b, 28, zlib.crc32(b[h:h + size]))\n"
	      "struct.pack_into(\"<I\", b, 8, zlib.crc32(b[12:32]))\n"
	      "open(\"t0.7z\", \"wb\").write(b)'", d);
	scan_16m(d, "t0.7z", true);
	scan_16m(d, "t1.7z", false);
	th_rmtree(d);
}

/* zip members: LZMA (its dictionary whole: libarchive gives liblzma no
 * size), PPMd8 (its model), deflate (nothing); a 24 MiB LZMA member whose
 * dictionary is patched to 1.5 GiB is cut under 16 MiB, the 1 MiB original
 * scans whole. Every truncation of the LZMA zip stays in bounds. */
static void zip_members(void **state)
{
	char *d = th_tmpdir();
	struct file f;
	struct pst_window w;
	size_t i;
	(void)state;
	th_sh("cd %s && seq 1 600000 > s && 7z a -bd -tzip -mm=LZMA -md=1m zl.zip s && "
	      "7z a -bd -tzip -mm=PPMd -mmem=32m zp.zip s && 7z a -bd -tzip zd.zip s && "
	      "head -c 25165824 /dev/zero > big && "
	      "7z a -bd -tzip -mm=LZMA -md=1m t1.zip big > /dev/null && python3 -c '"
	      "import struct\n"
	      "b = bytearray(open(\"t1.zip\", \"rb\").read())\n"
	      "at = b.index(bytes([5, 0, 0x5d, 0, 0, 0x10, 0]))\n"
	      "b[at + 3:at + 7] = struct.pack(\"<I\", 1536 << 20)\n"
	      "open(\"t0.zip\", \"wb\").write(b)'", d);
	f = slurp(d, "zl.zip");
	assert_true(pst_window_zip(pst_view_make(f.p, f.len), &w));
	assert_int_equal(pst_window_resident(&w), 1 * MIB);
	for (i = 0; i <= f.len; i++)
		pst_window_zip(pst_view_make(f.p, i), &w);
	free(f.p);
	f = slurp(d, "zp.zip");
	assert_true(pst_window_zip(pst_view_make(f.p, f.len), &w));
	assert_int_equal(pst_window_resident(&w), 32 * MIB);
	free(f.p);
	f = slurp(d, "zd.zip");
	assert_true(pst_window_zip(pst_view_make(f.p, f.len), &w));
	assert_int_equal(pst_window_resident(&w), 0);
	free(f.p);
	scan_16m(d, "t0.zip", true);
	scan_16m(d, "t1.zip", false);
	th_rmtree(d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(xz_one_block),
		cmocka_unit_test(xz_blocks),
		cmocka_unit_test(lzma_alone),
		cmocka_unit_test(zstd_frames),
		cmocka_unit_test(xz_damaged_covers),
		cmocka_unit_test(xz_unreadable_header),
		cmocka_unit_test(rpm_payload),
		cmocka_unit_test(rpm_window_cut),
		cmocka_unit_test(sevenzip),
		cmocka_unit_test(sevenzip_window_cut),
		cmocka_unit_test(zip_members),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
