/*
 * admin.c - postern admin: tokens (made, listed, revoked) and the audit
 * chain's check, straight on the store of a data directory. A new token is
 * printed once; only its SHA-256 is stored. A token belongs to a person
 * (--person, default its name): four eyes compare persons (review.c).
 */
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include "svc.h"

static int valid_label(const char *s, size_t max)
{
	size_t i, n = strlen(s);
	if (n == 0 || n > max)
		return 0;
	for (i = 0; i < n; i++)
		if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-",
			    s[i]))
			return 0;
	return 1;
}

int pst_service_token_create(const char *data_dir, const char *role, const char *tenant,
			     const char *name, const char *person, FILE *out)
{
	char token[SVC_TOKEN_LEN + 1], hash[65], obj[32], detail[160];
	struct pst_store *st;
	int r = pst_role_parse(role);
	int64_t id;
	int rc = EX_SOFTWARE;

	if (r < 0) {
		fprintf(stderr, "postern: --role takes submitter, reviewer, auditor or admin\n");
		return EX_USAGE;
	}
	if (!person)
		person = name; /* one person per name unless told otherwise */
	if (!valid_label(tenant, 64) || !valid_label(name, 128) || !valid_label(person, 128)) {
		fprintf(stderr, "postern: --tenant, --name and --person take letters, digits, "
			"'.', '_' and '-'\n");
		return EX_USAGE;
	}
	st = svc_store_open(data_dir);
	if (!st)
		return EX_CANTCREAT;
	svc_token_new(token);
	svc_sha256_hex(token, strlen(token), hash);
	if (st->ops->token_add(st, hash, (enum pst_role)r, tenant, name, person, &id) != 0) {
		fprintf(stderr, "postern: %s\n", st->err);
		goto out;
	}
	snprintf(obj, sizeof(obj), "token/%lld", (long long)id);
	snprintf(detail, sizeof(detail), "%s; person %s", role, person);
	if (st->ops->audit_add(st, "admin", "token.create", obj, detail) != 0) {
		fprintf(stderr, "postern: %s\n", st->err);
		goto out;
	}
	fprintf(out, "%s\n", token);
	fprintf(stderr,
		"postern: token %lld (%s, tenant %s, person %s): shown once, keep it secret\n",
		(long long)id, role, tenant, person);
	rc = 0;
out:
	st->ops->close(st);
	return rc;
}

static void list_one(const struct pst_token_row *t, void *ctx)
{
	fprintf((FILE *)ctx, "%lld\t%s\t%s\t%s\t%s\t%s\t%s\n", (long long)t->id,
		pst_role_str(t->role), t->tenant, t->name, t->person, t->created,
		t->revoked ? "revoked" : "active");
}

int pst_service_token_list(const char *data_dir, FILE *out)
{
	struct pst_store *st = svc_store_open(data_dir);
	int rc;
	if (!st)
		return EX_CANTCREAT;
	fprintf(out, "id\trole\ttenant\tname\tperson\tcreated\tstate\n");
	rc = st->ops->token_list(st, list_one, out) == 0 ? 0 : EX_SOFTWARE;
	st->ops->close(st);
	return rc;
}

int pst_service_token_revoke(const char *data_dir, const char *id, FILE *out)
{
	struct pst_store *st;
	char *end, obj[32];
	long long v = strtoll(id, &end, 10);
	int rc = EX_SOFTWARE, r;

	if (*end || end == id || v <= 0) {
		fprintf(stderr,
			"postern: token revoke takes a token id (postern admin token list)\n");
		return EX_USAGE;
	}
	st = svc_store_open(data_dir);
	if (!st)
		return EX_CANTCREAT;
	r = st->ops->token_revoke(st, v);
	snprintf(obj, sizeof(obj), "token/%lld", v);
	if (r == 1) {
		fprintf(stderr, "postern: no active token %lld\n", v);
		rc = EX_DATAERR;
	} else if (r == 0 && st->ops->audit_add(st, "admin", "token.revoke", obj, "") == 0) {
		fprintf(out, "token %lld revoked\n", v);
		rc = 0;
	} else {
		fprintf(stderr, "postern: %s\n", st->err);
	}
	st->ops->close(st);
	return rc;
}

int pst_service_audit_verify(const char *data_dir, FILE *out)
{
	struct pst_store *st = svc_store_open(data_dir);
	int64_t n, bad;
	int r, rc = EX_SOFTWARE;

	if (!st)
		return EX_CANTCREAT;
	r = st->ops->audit_verify(st, &n, &bad);
	if (r == 0) {
		fprintf(out, "audit chain intact: %lld rows\n", (long long)n);
		rc = 0;
	} else if (r == 1) {
		fprintf(out, "audit chain broken at row %lld (%lld rows before it verify)\n",
			(long long)bad, (long long)n);
		rc = 1;
	} else {
		fprintf(stderr, "postern: %s\n", st->err);
	}
	st->ops->close(st);
	return rc;
}
