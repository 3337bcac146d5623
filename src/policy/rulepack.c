/*
 * rulepack.c - the digest of what a scan judged with, recorded in signed
 * attestations: the built-in findings catalog and capability rules, the
 * analyzers compiled in, and
 * every file under the user's --rules directories (path and content, in
 * sorted order, so the digest does not depend on directory order).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <openssl/evp.h>
#include "internal.h"
#include "policy/embedded.h"

#define RULES_MAX_DEPTH 16

static void feed_str(EVP_MD_CTX *md, const char *tag, const char *s, size_t len)
{
	char head[64];
	int n = snprintf(head, sizeof(head), "%s %zu\n", tag, len);
	EVP_DigestUpdate(md, head, (size_t)n);
	EVP_DigestUpdate(md, s, len);
}

static enum pst_err feed_file(EVP_MD_CTX *md, const char *path, const char *rel, char *err,
			      size_t errlen)
{
	char buf[65536];
	struct stat st;
	ssize_t got;
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0 || fstat(fd, &st) != 0) {
		snprintf(err, errlen, "rules %s: %s", path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return PST_EIO;
	}
	feed_str(md, "rule-file", rel, strlen(rel));
	snprintf(buf, sizeof(buf), "%lld\n", (long long)st.st_size);
	EVP_DigestUpdate(md, buf, strlen(buf));
	while ((got = read(fd, buf, sizeof(buf))) > 0)
		EVP_DigestUpdate(md, buf, (size_t)got);
	close(fd);
	return got < 0 ? PST_EIO : PST_OK;
}

static enum pst_err feed_dir(EVP_MD_CTX *md, const char *dir, const char *rel, unsigned depth,
			     char *err, size_t errlen)
{
	struct dirent **ents = NULL;
	enum pst_err e = PST_OK;
	int n, i;

	if (depth > RULES_MAX_DEPTH)
		return PST_OK;
	n = scandir(dir, &ents, NULL, alphasort);
	if (n < 0) {
		pst_oom_errno();
		snprintf(err, errlen, "rules %s: %s", dir, strerror(errno));
		return PST_EIO;
	}
	for (i = 0; i < n; i++) {
		char *path = NULL, *r = NULL;
		struct stat st;
		const char *name = ents[i]->d_name;
		if (e || name[0] == '.')
			goto next;
		if (asprintf(&path, "%s/%s", dir, name) < 0 || asprintf(&r, "%s/%s", rel, name) < 0) {
			e = PST_ENOMEM;
			goto next;
		}
		if (lstat(path, &st) != 0)
			goto next;
		if (S_ISDIR(st.st_mode))
			e = feed_dir(md, path, r, depth + 1, err, errlen);
		else if (S_ISREG(st.st_mode))
			e = feed_file(md, path, r, err, errlen);
next:
		free(path);
		free(r);
		free(ents[i]);
	}
	free(ents);
	return e;
}

enum pst_err pst_rules_digest(const char *const *dirs, char out[65], char *err, size_t errlen)
{
	const struct pst_embedded *f;
	EVP_MD_CTX *md = EVP_MD_CTX_new();
	enum pst_err e = PST_OK;
	uint8_t sha[32];
	unsigned int n = 32;
	size_t i;

	if (!md)
		return PST_ENOMEM;
	EVP_DigestInit_ex(md, EVP_sha256(), NULL);
	for (f = pst_embedded_files; f->name; f++) {
		if (strncmp(f->name, "docs/findings/", 14) != 0 &&
		    strncmp(f->name, "rules/", 6) != 0)
			continue;
		feed_str(md, "catalog", f->name, strlen(f->name));
		feed_str(md, "text", f->text, f->len);
	}
	for (i = 0; pst_analyzers[i]; i++)
		feed_str(md, "analyzer", pst_analyzers[i]->name, strlen(pst_analyzers[i]->name));
	for (i = 0; dirs && dirs[i] && !e; i++) {
		char tag[32];
		snprintf(tag, sizeof(tag), "%zu", i);
		feed_str(md, "rule-dir", tag, strlen(tag));
		e = feed_dir(md, dirs[i], "", 0, err, errlen);
	}
	if (!EVP_DigestFinal_ex(md, sha, &n))
		e = PST_ENOMEM;
	EVP_MD_CTX_free(md);
	if (!e)
		pst_hex(sha, 32, out);
	return e;
}
