/*
 * peek.c - the hex view's bytes: a window of one file inside a stored image
 * (docs/service.md, "Web pages"). serve never unpacks an image itself: it
 * runs `postern worker --peek SHA:NAME --peek-path=LOCATION --peek-offset N`
 * as it runs the diff (diff.c: the same few child slots, bounded output, a
 * deadline), and that process maps the blob, enters the sandbox (no new
 * files, no network, CPU and memory limits), walks the image in memory with
 * the library until the file of that location is examined (pst_options.peek),
 * copies at most SVC_PEEK_MAX bytes of it, stops the scan and writes them as
 * JSON on its standard output. The location is compared with the locations
 * the walk makes, never used as a path: "..", "/etc/shadow" of the host or
 * a hostile name simply match no file.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include "postern/postern.h"
#include "http.h"

#define PEEK_SECONDS 120	/* the walk's wall time (pst_limits.max_seconds) */
#define PEEK_WAIT (PEEK_SECONDS + 30) /* serve's wait for the whole process */
#define PEEK_NOT_FOUND EX_NOINPUT /* the child's exit: no file of that location */
#define PEEK_OUTPUT_MAX (4 * SVC_PEEK_MAX) /* the child's JSON is far below this */
#define PEEK_LOCATION_MAX 8192	/* a longer location names no file (max_path) */

/* ---- in serve ---- */

/* The child's {"size", "offset", "hex"} into out; 0 or -1. */
static int parse_answer(const char *data, size_t len, uint64_t offset, uint8_t *out, size_t *n,
			uint64_t *size)
{
	json_t *v = json_loadb(data, len, 0, NULL);
	const char *hex = json_string_value(json_object_get(v, "hex"));
	json_int_t sz = json_integer_value(json_object_get(v, "size"));
	json_int_t off = json_integer_value(json_object_get(v, "offset"));
	size_t hn = hex ? strlen(hex) : 0;
	int rc = -1;

	if (hex && hn % 2 == 0 && hn / 2 <= SVC_PEEK_MAX && sz >= 0 && off >= 0 &&
	    (uint64_t)off == offset && svc_unhex(hex, out, hn / 2) == 0) {
		*n = hn / 2;
		*size = (uint64_t)sz;
		rc = 0;
	}
	json_decref(v);
	return rc;
}

unsigned svc_peek_get(struct svc_server *srv, const struct pst_sub_row *s, const char *location,
		      uint64_t offset, uint8_t out[SVC_PEEK_MAX], size_t *n, uint64_t *size,
		      const char **detail)
{
	char spec[200], dir[4096], offs[24], *path, *data = NULL;
	char *argv[] = { "postern", "worker", "--data", dir, "--peek", spec, NULL, "--peek-offset",
			 offs, NULL };
	size_t len = 0, plen;
	int rc;

	*detail = "no file of that location in this image";
	if (!svc_plain_text(location, PEEK_LOCATION_MAX))
		return 404;
	*detail = "the scan has not finished (see status)";
	if (strcmp(s->status, "done") != 0)
		return 409;
	*detail = "other views are being computed; try again";
	if (svc_child_slot() != 0)
		return 503;
	plen = strlen(location) + 16;
	path = malloc(plen);
	snprintf(spec, sizeof(spec), "%s:%s", s->sha256, s->filename);
	snprintf(dir, sizeof(dir), "%s", srv->o.data_dir);
	snprintf(offs, sizeof(offs), "%llu", (unsigned long long)offset);
	rc = -1;
	if (path && svc_blob_here(srv, s->sha256) == 0) {
		/* one argument "--peek-path=LOC": a location that starts with '-'
		 * stays the option's value */
		snprintf(path, plen, "--peek-path=%s", location);
		argv[6] = path;
		rc = svc_child_run(argv, PEEK_OUTPUT_MAX, PEEK_WAIT, &data, &len);
	}
	svc_child_slot_free();
	free(path);
	*detail = "the image cannot be read now";
	if (rc == 0 && parse_answer(data, len, offset, out, n, size) != 0)
		rc = -1;
	free(data);
	if (rc == PEEK_NOT_FOUND)
		*detail = "no file of that location in this image";
	return rc == 0 ? 0 : rc == PEEK_NOT_FOUND ? 404 : 503;
}

/* ---- in the peek process (postern worker --peek) ---- */

struct peek {
	pthread_mutex_t mu;
	struct pst_scan *scan;
	uint64_t offset, size;
	uint8_t bytes[SVC_PEEK_MAX];
	size_t n;
	int found;
};

/* The walk met the file: the first node of that location is the one shown
 * (emission order decides between two of one name only with one thread,
 * so a second is ignored whichever comes first); the rest of the walk is
 * not needed. */
static void on_peek(void *ctx, const struct pst_node *node, const uint8_t *data, size_t len)
{
	struct peek *p = ctx;

	(void)node;
	pthread_mutex_lock(&p->mu);
	if (!p->found) {
		p->found = 1;
		p->size = len;
		if (p->offset < len) {
			p->n = len - (size_t)p->offset;
			if (p->n > SVC_PEEK_MAX)
				p->n = SVC_PEEK_MAX;
			memcpy(p->bytes, data + p->offset, p->n);
		}
		pst_scan_cancel(p->scan);
	}
	pthread_mutex_unlock(&p->mu);
}

static int peek_print(const struct peek *p)
{
	char hex[2 * SVC_PEEK_MAX + 1];
	json_t *o;
	int rc;

	svc_hex(p->bytes, p->n, hex);
	o = json_pack("{s:I, s:I, s:s}", "size", (json_int_t)p->size, "offset",
		      (json_int_t)p->offset, "hex", hex);
	rc = o && json_dumpf(o, stdout, JSON_COMPACT) == 0 && fflush(stdout) == 0 ? 0 : EX_IOERR;
	json_decref(o);
	return rc;
}

int pst_service_peek(const char *data_dir, const char *spec, const char *location,
		     uint64_t offset)
{
	struct svc_side m = { 0 };
	struct peek p = { .offset = offset };
	struct pst_options o;
	struct pst_sandbox_opts so = { 0 };
	const char *reads[2] = { m.blob, NULL };
	char err[512];
	int rc;

	if (svc_side_open(&m, data_dir, spec) != 0) {
		fprintf(stderr, "postern: worker --peek: no such blob or a bad name\n");
		return EX_DATAERR; /* not PEEK_NOT_FOUND: the image, not the file, is missing */
	}
	pthread_mutex_init(&p.mu, NULL);
	pst_options_default(&o);
	o.limits.max_seconds = PEEK_SECONDS;
	o.peek_location = location;
	o.peek = on_peek;
	o.peek_ctx = &p;
	p.scan = pst_scan_new(&o);
	if (!p.scan || pst_scan_prepare(p.scan) != PST_OK)
		return EX_SOFTWARE;
	so.read_paths = reads;
	so.max_address_space = (uint64_t)m.len + (8ull << 30);
	so.max_cpu_seconds = (uint64_t)o.limits.max_seconds * 64 + 60;
	if (pst_sandbox_enter(&so, err, sizeof(err)) != PST_OK) {
		fprintf(stderr, "postern: worker --peek: sandbox: %s\n", err);
		return EX_OSERR;
	}
	/* cancelled once the file is met: the scan's own answer is not wanted */
	pst_scan_run_mem(p.scan, m.name, m.map, m.len);
	rc = p.found ? peek_print(&p) : PEEK_NOT_FOUND;
	pst_scan_free(p.scan);
	pthread_mutex_destroy(&p.mu);
	return rc;
}
