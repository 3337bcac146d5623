/* test_binary_rc4.c - RC4 recognised by its code (src/analyze/rc4.c): an
 * implant with an inlined, renamed RC4, compiled at test time -O2 and -Os,
 * static and stripped, for x86-64, armel (ARM and Thumb-2), mipsel and AArch64 (never executed), is
 * flagged; programs that swap bytes for other reasons are not; libraries
 * that carry RC4 (libcrypto, or under internal names) get no finding. */
#include "helpers.h"
#include "analyze/binfeat.h"
#include "analyze/elf.h"

static const char *const ccs[] = { "gcc", "arm-linux-gnueabi-gcc", "mipsel-linux-gnu-gcc",
				    "aarch64-linux-gnu-gcc",
				    "arm-linux-gnueabi-gcc -mthumb -march=armv7-a" /* Thumb-2 */ };
#define NCC (sizeof(ccs) / sizeof(ccs[0]))
static const char *const opts[] = { "-O2", "-Os" };

static bool rc4_in(const char *path)
{
	uint8_t *p;
	size_t len;
	struct pst_elf e;
	uint64_t at = 0;
	bool r;
	p = th_read(path, &len);
	assert_true(pst_elf_parse(pst_view_make(p, len), &e));
	r = pst_rc4_find(&e, &at);
	if (r)
		assert_true(at != 0);
	pst_elf_free(&e);
	free(p);
	return r;
}

static void test_implants(void **state)
{
	char *d = th_tmpdir();
	struct pst_scan *s;
	size_t c, o;
	(void)state;
	for (c = 0; c < NCC; c++)
		for (o = 0; o < 2; o++)
			th_sh("cd %s && %s %s -static -s -w -o c2-%zu%zu '%s/tests/implants/streamc2.c'"
			      " && %s %s -static -s -w -o quiet-%zu%zu -x c - <<'EOF'\n"
			      "#include <unistd.h>\n"
			      "static void ks(unsigned char *s, const unsigned char *k, unsigned n)\n"
			      "{ unsigned i, j = 0; unsigned char t;\n"
			      "  for (i = 0; i < 256; i++) s[i] = (unsigned char)i;\n"
			      "  for (i = 0; i < 256; i++) { t = s[i]; j = (j + t + k[i %% n]) & 255;"
			      " s[i] = s[j]; s[j] = t; } }\n"
			      "int main(void) { unsigned char s[256], b[64]; ssize_t n = read(0, b, 64);"
			      " ks(s, b, n > 0 ? (unsigned)n : 1u); return write(1, s, 256) > 0; }\n"
			      "EOF",
			      d, ccs[c], opts[o], c, o, getenv("SRC"), ccs[c], opts[o], c, o);
	for (c = 0; c < NCC; c++)
		for (o = 0; o < 2; o++) {
			char path[4200];
			snprintf(path, sizeof(path), "%s/c2-%zu%zu", d, c, o);
			if (!rc4_in(path))
				fail_msg("%s %s: RC4 not found", ccs[c], opts[o]);
			snprintf(path, sizeof(path), "%s/quiet-%zu%zu", d, c, o);
			if (!rc4_in(path))
				fail_msg("%s %s: RC4 key schedule alone not found", ccs[c], opts[o]);
		}
	s = th_scan(d, 2);
	for (c = 0; c < NCC; c++)
		for (o = 0; o < 2; o++) {
			char where[32];
			const struct pst_finding *f;
			snprintf(where, sizeof(where), "/c2-%zu%zu", c, o);
			f = th_finding(s, "crypto.rc4-hidden", where);
			if (!f)
				fail_msg("%s %s: crypto.rc4-hidden not reported", ccs[c], opts[o]);
			/* it connects out: medium */
			assert_int_equal(f->severity, PST_SEV_MEDIUM);
			assert_string_equal(f->category, "crypto");
			assert_non_null(strstr(f->evidence, "swap loop at 0x"));
			snprintf(where, sizeof(where), "/quiet-%zu%zu", c, o);
			f = th_finding(s, "crypto.rc4-hidden", where);
			assert_non_null(f);
			assert_int_equal(f->severity, PST_SEV_LOW); /* no network */
		}
	/* weak crypto is never high on its own */
	assert_int_equal(th_count_at_least(s, PST_SEV_HIGH), 0);
	pst_scan_free(s);
	th_rmtree(d);
}

/* An RC4 keystream loop used as busy work in a function known for it
 * (redis-cli's compute_something_fast, exported as Debian's build does) is
 * reported low even in a program that talks on the network; the same loop
 * under another name stays medium. */
static void test_known_benign_loop(void **state)
{
	static const char *const names[] = { "compute_something_fast", "mix_fast" };
	char *d = th_tmpdir();
	struct pst_scan *s;
	const struct pst_finding *f;
	size_t i;
	(void)state;
	for (i = 0; i < 2; i++)
		th_sh("cd %s && gcc -O2 -rdynamic -s -w -o %s -x c - <<'EOF'\n"
		      "#include <sys/socket.h>\n#include <netinet/in.h>\n#include <stdio.h>\n"
		      "__attribute__((noinline)) unsigned long %s(void)\n"
		      "{ unsigned char s[256], i = 0, j = 0, t; int k, count = 1000; unsigned long out = 0;\n"
		      "  for (k = 0; k < 256; k++) s[k] = (unsigned char)k;\n"
		      "  while (count--) { i++; j = (unsigned char)(j + s[i]); t = s[i]; s[i] = s[j]; s[j] = t;\n"
		      "    out += s[(s[i] + s[j]) & 255]; }\n"
		      "  return out; }\n"
		      "int main(void) { struct sockaddr_in a = { 0 }; int fd = socket(AF_INET, SOCK_STREAM, 0);\n"
		      "  a.sin_family = AF_INET; a.sin_port = htons(6379);\n"
		      "  if (connect(fd, (struct sockaddr *)&a, sizeof(a)) == 0) printf(\"%%lu\\n\", %s());\n"
		      "  return 0; }\n"
		      "EOF",
		      d, names[i], names[i], names[i]);
	s = th_scan(d, 2);
	f = th_finding(s, "crypto.rc4-hidden", "/compute_something_fast");
	assert_non_null(f);
	assert_int_equal(f->severity, PST_SEV_LOW);
	assert_non_null(strstr(f->message, "latency-test"));
	f = th_finding(s, "crypto.rc4-hidden", "/mix_fast");
	assert_non_null(f);
	assert_int_equal(f->severity, PST_SEV_MEDIUM);
	pst_scan_free(s);
	th_rmtree(d);
}

/* Byte swaps that are not RC4: reversing a string (indexes from counters),
 * a byte shuffle driven by rand(), sorting bytes, a table lookup/translate
 * loop, and RC4's near miss where the index comes from a counter only. */
static void test_clean(void **state)
{
	char *d = th_tmpdir(), path[4200];
	struct pst_scan *s;
	size_t c, o;
	(void)state;
	th_sh("cd %s && cat > near.c <<'EOF'\n"
	      "#include <stdlib.h>\n#include <string.h>\n#include <unistd.h>\n"
	      "static void rev(char *p, size_t n) { size_t i, j; char t;\n"
	      "  for (i = 0, j = n - 1; i < j; i++, j--) { t = p[i]; p[i] = p[j]; p[j] = t; } }\n"
	      "static void shuf(unsigned char *p, unsigned n) { unsigned i, j; unsigned char t;\n"
	      "  for (i = n - 1; i > 0; i--) { j = (unsigned)rand() %% (i + 1); t = p[i];"
	      " p[i] = p[j]; p[j] = t; } }\n"
	      "static void sort(unsigned char *p, unsigned n) { unsigned i, k; unsigned char t;\n"
	      "  for (k = 0; k < n; k++) for (i = 0; i + 1 < n - k; i++) if (p[i] > p[i + 1])"
	      " { t = p[i]; p[i] = p[i + 1]; p[i + 1] = t; } }\n"
	      "static void tr(unsigned char *p, unsigned n, const unsigned char *m) { unsigned i;\n"
	      "  for (i = 0; i < n; i++) p[i] = m[p[i]]; }\n"
	      "static void stride(unsigned char *s) { unsigned i, j = 0; unsigned char t;\n"
	      "  for (i = 0; i < 256; i++) { j = (j + 7) & 255; t = s[i]; s[i] = s[j]; s[j] = t; } }\n"
	      "int main(void) { unsigned char b[256], m[256]; ssize_t n = read(0, b, 256);\n"
	      "  if (n <= 1) return 1; read(0, m, 256); rev((char *)b, (size_t)n);"
	      " shuf(b, (unsigned)n); sort(b, (unsigned)n); tr(b, (unsigned)n, m); stride(b);\n"
	      "  return write(1, b, (size_t)n) > 0; }\n"
	      "EOF", d);
	for (c = 0; c < NCC; c++)
		for (o = 0; o < 2; o++)
			th_sh("cd %s && %s %s -static -s -w -o near-%zu%zu near.c", d, ccs[c], opts[o], c, o);
	for (c = 0; c < NCC; c++)
		for (o = 0; o < 2; o++) {
			snprintf(path, sizeof(path), "%s/near-%zu%zu", d, c, o);
			if (rc4_in(path))
				fail_msg("%s %s: byte swaps taken for RC4", ccs[c], opts[o]);
		}
	th_sh("rm -f %s/near.c", d);
	s = th_scan(d, 2);
	assert_null(th_finding(s, "crypto.rc4-hidden", NULL));
	pst_scan_free(s);

	/* libcrypto names RC4 in its exports; a library that carries it under
	 * internal names (here one built from a key schedule; libgcrypt does
	 * it openly) is not searched: no finding, and pst_rc4_find itself
	 * still sees the code. */
	th_sh("mkdir -p %s/lib && cp /usr/lib/x86_64-linux-gnu/libcrypto.so.3 %s/lib/ && "
	      "printf '%%s\\n' 'static unsigned char s[256];'"
	      " 'void prng_seed(const unsigned char *k, unsigned n) { unsigned i, j = 0; unsigned char t;'"
	      " '  for (i = 0; i < 256; i++) s[i] = (unsigned char)i;'"
	      " '  for (i = 0; i < 256; i++) { t = s[i]; j = (j + t + k[i %% n]) & 255; s[i] = s[j]; s[j] = t; } }'"
	      " > %s/ks.c && gcc -O2 -shared -fPIC -s -o %s/lib/libprng.so %s/ks.c", d, d, d, d, d);
	snprintf(path, sizeof(path), "%s/lib/libprng.so", d);
	assert_true(rc4_in(path));
	snprintf(path, sizeof(path), "%s/lib", d);
	s = th_scan(path, 2);
	assert_null(th_finding(s, "crypto.rc4-hidden", NULL));
	assert_int_equal(th_count_at_least(s, PST_SEV_MEDIUM), 0);
	pst_scan_free(s);
	th_rmtree(d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_implants),
		cmocka_unit_test(test_known_benign_loop),
		cmocka_unit_test(test_clean),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
