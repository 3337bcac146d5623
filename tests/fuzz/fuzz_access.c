/* fuzz_access.c - the access analyzers' parsers on any bytes, fast: the
 * input becomes, in memory, every file they read (passwd, shadow, group,
 * htpasswd, inittab, an init script, crontabs, a systemd unit, inetd and
 * xinetd, sshd_config, authorized_keys, a key file, a setuid program...),
 * each analyzer's analyze() runs on it and then every finish(), as a scan
 * would. Uses the library's internal interface. */
#define _GNU_SOURCE /* S_IFREG under -std=c11 */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "../../src/core/internal.h"

static const char *const paths[] = {
	"/etc/passwd", "/etc/shadow", "/etc/group", "/etc/config/passwd", "/www/.htpasswd",
	"/etc/inittab", "/etc/init.d/S50x", "/etc/rc.local", "/etc/crontab", "/etc/crontabs/root",
	"/etc/systemd/system/x.service", "/etc/inetd.conf", "/etc/xinetd.d/x",
	"/etc/ssh/sshd_config", "/etc/default/dropbear", "/.ssh/authorized_keys",
	"/etc/dropbear/dropbear_rsa_host_key", "/etc/ssl/private/k.pem", "/etc/app.conf",
	"/usr/bin/tool.sh", "/etc/profile", "/lib/.x/sh", "/usr/bin/logo.jpg",
	/* an /etc template, a sourced library, a bare-named program: the
	 * services finish resolves starts among these files */
	"/etc.tmp/init.d/S99x", "/lib/functions.sh", "/bin/bd",
};

/* The order the scan gives the finish phase (location, key, value). */
static int fact_cmp(const void *a, const void *b)
{
	const struct pst_fact *x = a, *y = b;
	int c = strcmp(x->node->location, y->node->location);
	if (c == 0)
		c = strcmp(x->key, y->key);
	return c ? c : strcmp(x->value, y->value);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pst_options o;
	struct pst_scan *s;
	struct pst_tree t;
	struct pst_fact *snap = NULL;
	size_t i, a;

	if (size > (1u << 20))
		return 0;
	pst_options_default(&o);
	o.jobs = 1;
	s = pst_scan_new(&o);
	if (!s)
		return 0;
	if (pst_scan_prepare(s) != PST_OK)
		goto out;
	s->root = pst_arena_alloc(s->arena, sizeof(*s->root));
	if (!s->root)
		goto out;
	s->root->seg = s->root->location = "fuzz";
	s->root->path = "/";
	for (i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
		struct pst_node *n = pst_arena_alloc(s->arena, sizeof(*n));
		struct pst_view v = pst_view_make(data, size);
		struct pst_file f = { n, v, s, NULL, 0 };
		if (!n)
			goto out;
		n->parent = s->root;
		n->next = s->root->child;
		s->root->child = n;
		n->path = paths[i];
		n->location = pst_arena_printf(s->arena, "fuzz!%s", paths[i]);
		n->mode = S_IFREG | (i % 3 == 0 ? 04777 : strcmp(paths[i], "/bin/bd") == 0 ? 0755 : 0644);
		n->size = size;
		pst_sha256(data, size, n->sha256);
		pst_classify(n, v, s->arena);
		for (a = 0; pst_analyzers[a]; a++)
			if (pst_analyzers[a]->analyze &&
			    (!pst_analyzers[a]->wants || pst_analyzers[a]->wants(s->astate[a], n)))
				pst_analyzers[a]->analyze(s->astate[a], &f);
	}
	/* a snapshot, as the scan's finish phase reads: a finish may add facts
	 * and move s->facts */
	snap = s->nfacts ? malloc(s->nfacts * sizeof(*snap)) : NULL;
	if (s->nfacts && !snap)
		goto out;
	if (snap) {
		memcpy(snap, s->facts, s->nfacts * sizeof(*snap));
		qsort(snap, s->nfacts, sizeof(*snap), fact_cmp);
	}
	t.root = s->root;
	t.facts = snap;
	t.nfacts = s->nfacts;
	t.scan = s;
	for (a = 0; pst_analyzers[a]; a++)
		if (pst_analyzers[a]->finish)
			pst_analyzers[a]->finish(s->astate[a], &t);
out:
	free(snap);
	pst_scan_free(s);
	return 0;
}
