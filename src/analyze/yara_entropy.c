/*
 * yara_entropy.c - whole-file entropy for YARA rules without a histogram per
 * rule.
 *
 * libyara's math module computes math.entropy(0, filesize) afresh each time
 * a rule's condition calls it: a byte histogram over the whole file per rule
 * per file. postern has already computed every file's entropy (the same
 * Shannon formula, summed in the same order, so the same double), so before
 * compiling, the exact call `math.entropy(0, filesize)` in a file that
 * imports "math" is replaced by
 *
 *     (__postern_entropy + uint8(__postern_entropy_at) * 0)
 *
 * two external variables set for each scan. __postern_entropy is the value
 * math.entropy would return; __postern_entropy_at is 0, or, where
 * math.entropy would be undefined (a container scanned over its own ranges
 * that do not run contiguously from offset 0), an offset no data block holds,
 * so that uint8() makes the whole expression undefined just as the call
 * would have been. Comments, text strings and regular expressions are left
 * alone (YARA divides with '\', so a '/' outside a comment starts a regular
 * expression); line breaks inside a replaced call are kept, so compiler
 * messages keep their line numbers.
 */
#include <stdlib.h>
#include <string.h>
#include "internal.h"
#include "yara_entropy.h"

static const char repl[] = "(" PST_YARA_ENTROPY_VAR " + uint8(" PST_YARA_ENTROPY_AT_VAR ") * 0)";

static bool ident_char(uint8_t c)
{
	return c == '_' || (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z');
}

static size_t skip_space(const uint8_t *s, size_t len, size_t i)
{
	while (i < len && (s[i] == ' ' || s[i] == '\t' || s[i] == '\r' || s[i] == '\n'))
		i++;
	return i;
}

/* The end of the token sequence `tok` (single characters and words, space
 * separated in tok) at i, spaces allowed between tokens; 0 when it is not
 * there. */
static size_t match_seq(const uint8_t *s, size_t len, size_t i, const char *const *tok)
{
	for (; *tok; tok++) {
		size_t n = strlen(*tok);
		i = skip_space(s, len, i);
		if (n > len - i || memcmp(s + i, *tok, n) != 0)
			return 0;
		i += n;
		if (ident_char((uint8_t)(*tok)[n - 1]) && i < len && ident_char(s[i]))
			return 0;
	}
	return i;
}

/* The end of a quoted literal (text string or regular expression) that
 * starts at i with its delimiter; a literal ends at its line's end. */
static size_t skip_literal(const uint8_t *s, size_t len, size_t i)
{
	uint8_t q = s[i++];
	while (i < len && s[i] != q && s[i] != '\n')
		i += s[i] == '\\' && i + 1 < len && s[i + 1] != '\n' ? 2 : 1;
	return i < len && s[i] == q ? i + 1 : i;
}

/* Walks the source: calls back for every `math.entropy(0, filesize)` outside
 * comments and literals with its span; returns whether `import "math"` was
 * seen. */
struct span {
	size_t at, end;
};

static bool scan_source(const uint8_t *s, size_t len, struct span *v, size_t cap, size_t *n)
{
	static const char *const call[] = { "math", ".", "entropy", "(", "0", ",", "filesize", ")",
					    NULL };
	static const char *const imp[] = { "import", "\"math\"", NULL };
	bool math = false;
	size_t i = 0;

	*n = 0;
	while (i < len) {
		uint8_t c = s[i];
		if (c == '/' && i + 1 < len && s[i + 1] == '/') {
			while (i < len && s[i] != '\n')
				i++;
		} else if (c == '/' && i + 1 < len && s[i + 1] == '*') {
			const uint8_t *e = memmem(s + i + 2, len - i - 2, "*/", 2);
			i = e ? (size_t)(e - s) + 2 : len;
		} else if (c == '"' || c == '/') {
			i = skip_literal(s, len, i);
		} else if (ident_char(c)) {
			size_t e;
			bool start = i == 0 || !ident_char(s[i - 1]);
			if (start && c == 'm' && (e = match_seq(s, len, i, call)) != 0) {
				if (*n < cap)
					v[*n] = (struct span){ i, e };
				(*n)++;
				i = e;
				continue;
			}
			if (start && c == 'i' && match_seq(s, len, i, imp) != 0)
				math = true;
			while (i < len && ident_char(s[i]))
				i++;
		} else {
			i++;
		}
	}
	return math;
}

size_t pst_yara_entropy_rewrite(const uint8_t *src, size_t len, uint8_t **out, size_t *outlen)
{
	struct span *v;
	size_t n, cap, i, o = 0, from = 0, total;
	uint8_t *p;

	*out = NULL;
	*outlen = 0;
	if (!scan_source(src, len, NULL, 0, &n) || n == 0)
		return 0;
	cap = n;
	v = pst_malloc(cap * sizeof(*v));
	if (!v)
		return 0;
	scan_source(src, len, v, cap, &n);
	/* each call is at least 25 bytes and its replacement under 64 */
	total = len + n * sizeof(repl);
	p = pst_malloc(total);
	if (!p) {
		free(v);
		return 0;
	}
	for (i = 0; i < n; i++) {
		size_t k;
		memcpy(p + o, src + from, v[i].at - from);
		o += v[i].at - from;
		memcpy(p + o, repl, sizeof(repl) - 1);
		o += sizeof(repl) - 1;
		for (k = v[i].at; k < v[i].end; k++)
			if (src[k] == '\n')
				p[o++] = '\n';
		from = v[i].end;
	}
	memcpy(p + o, src + from, len - from);
	o += len - from;
	free(v);
	*out = p;
	*outlen = o;
	return n;
}

bool pst_yara_entropy_value(const uint8_t *data, size_t len, const struct pst_range *own,
			    size_t nown, double whole, double *value)
{
	uint64_t pos = 0;
	size_t i;

	if (!own) {
		*value = whole;
		return len > 0;
	}
	/* as libyara walks the blocks: from offset 0, each block must start
	 * where the last one ended, until the file's end */
	for (i = 0; i < nown && pos < len; i++) {
		if (own[i].off != pos)
			return false;
		pos += own[i].len;
	}
	if (pos == 0)
		return false;
	*value = pst_entropy(data, (size_t)(pos < len ? pos : len));
	return true;
}
