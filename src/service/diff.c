/*
 * diff.c - GET /api/v1/submissions/{id}/diff: `postern diff` of a
 * submission against its product's previous version (the same tenant's
 * latest earlier submission of another version, by creation order).
 * Computed once per pair of jobs and kept with the new job's reports as
 * format "diff:<old job key>". The server is threaded, so the scans run in
 * a process of their own: `postern worker --diff-old SHA:NAME --diff-new
 * SHA:NAME` (posix_spawn, then exec), which maps both blobs, enters the
 * sandbox and writes the diff's JSON on its standard output. The hex view's
 * process (peek.c) is run the same way, by the helpers here: at most
 * SVC_CHILDREN_RUNNING such processes at once, their output bounded.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <sysexits.h>
#include <unistd.h>
#include "postern/postern.h"
#include "http.h"

#define DIFF_MAX_OUTPUT (64u << 20) /* a diff's JSON larger than this is refused */
#define SVC_CHILDREN_RUNNING 2	    /* diff and hex view processes at once; more wait (503) */

extern char **environ;

/* ---- in the server ---- */

struct prev_ctx {
	const struct pst_sub_row *cur;
	struct pst_sub_row last, prev;
	int have_last, done, found;
};

/* versions() calls this oldest first: the previous version is the newest
 * row before cur whose version differs. */
static void prev_one(const struct pst_sub_row *s, void *ctx)
{
	struct prev_ctx *p = ctx;

	if (p->done)
		return;
	if (strcmp(s->id, p->cur->id) == 0) {
		p->done = 1;
		p->found = p->have_last;
		p->prev = p->last;
		return;
	}
	if (strcmp(s->version, p->cur->version) != 0) {
		p->last = *s;
		p->have_last = 1;
	}
}

/* Waits until fd can be read or the deadline (unix seconds, 0: none)
 * passes: 0 readable, -1 too late. */
static int wait_readable(int fd, double deadline)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	int ms = -1, r;

	if (deadline > 0) {
		double left = deadline - pst_service_clock();
		if (left <= 0)
			return -1;
		ms = (int)(left * 1000) + 1;
	}
	do
		r = poll(&p, 1, ms);
	while (r < 0 && errno == EINTR);
	return r > 0 ? 0 : -1;
}

/* Reads fd to its end into a malloc'd, NUL-terminated buffer of at most
 * max bytes; NULL when longer, too late or on an error. */
static char *read_all(int fd, size_t max, double deadline, size_t *len)
{
	char *buf = NULL, *nb;
	size_t cap = 0, got = 0, step = max < (1u << 20) ? max + 1 : 1u << 20;
	ssize_t r;

	for (;;) {
		if (cap - got < 2) {
			nb = cap >= max ? NULL : realloc(buf, cap + step);
			if (!nb)
				break;
			buf = nb;
			cap += step;
		}
		if (wait_readable(fd, deadline) != 0)
			break;
		r = read(fd, buf + got, cap - got - 1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			if (r < 0)
				break;
			buf[got] = 0;
			*len = got;
			return buf;
		}
		got += (size_t)r;
	}
	free(buf);
	return NULL;
}

int svc_child_run(char *const argv[], size_t max, double seconds, char **out, size_t *len)
{
	posix_spawn_file_actions_t fa;
	int fds[2], status = -1, rc;
	pid_t pid;

	*out = NULL;
	if (pipe2(fds, O_CLOEXEC) != 0)
		return -1;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, fds[1], STDOUT_FILENO);
	rc = posix_spawn(&pid, "/proc/self/exe", &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	close(fds[1]);
	if (rc == 0)
		*out = read_all(fds[0], max, seconds > 0 ? pst_service_clock() + seconds : 0, len);
	close(fds[0]); /* a refused (too long) output ends the process with SIGPIPE */
	if (rc == 0 && !*out)
		kill(pid, SIGKILL); /* too late or too long: nothing of it is wanted */
	if (rc == 0)
		while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
			;
	if (*out && WIFEXITED(status))
		return WEXITSTATUS(status);
	free(*out);
	*out = NULL;
	return -1;
}

/* Runs the diff process; its output in *out (malloc'd). 0 or -1. */
static int spawn_diff(const char *data_dir, const struct pst_sub_row *o,
		      const struct pst_sub_row *n, char **out, size_t *len)
{
	char a[200], b[200], dir[4096];
	char *argv[] = { "postern", "worker", "--data", dir, "--diff-old", a, "--diff-new", b,
			 NULL };

	snprintf(a, sizeof(a), "%s:%s", o->sha256, o->filename);
	snprintf(b, sizeof(b), "%s:%s", n->sha256, n->filename);
	snprintf(dir, sizeof(dir), "%s", data_dir);
	if (svc_child_run(argv, DIFF_MAX_OUTPUT, 0, out, len) == 0)
		return 0;
	free(*out);
	*out = NULL;
	return -1;
}

static pthread_mutex_t running_mu = PTHREAD_MUTEX_INITIALIZER;
static int running;

int svc_child_slot(void)
{
	int busy;

	pthread_mutex_lock(&running_mu);
	busy = running >= SVC_CHILDREN_RUNNING;
	if (!busy)
		running++;
	pthread_mutex_unlock(&running_mu);
	return busy ? -1 : 0;
}

void svc_child_slot_free(void)
{
	pthread_mutex_lock(&running_mu);
	running--;
	pthread_mutex_unlock(&running_mu);
}

/* An engine that keeps images in the database (PostgreSQL) has no blob
 * file for the diff process to map: copy it to DATA/blobs/SHA first (a
 * private temporary name, then renamed). The copy is kept for later diffs:
 * removing it could pull it from under a second diff of the same version. */
int svc_blob_here(struct svc_server *srv, const char *sha)
{
	char path[4096], tmp[4200], dir[4096];
	int fd, rc;

	if (!srv->st->ops->blob_get)
		return 0;
	if (svc_blob_path(path, sizeof(path), srv->o.data_dir, sha) != 0 ||
	    svc_path(dir, sizeof(dir), srv->o.data_dir, "blobs") != 0 || svc_mkdir(dir) != 0)
		return -1;
	if (access(path, R_OK) == 0)
		return 0;
	snprintf(tmp, sizeof(tmp), "%s.diff-XXXXXX", path);
	fd = mkstemp(tmp);
	if (fd < 0)
		return -1;
	rc = srv->st->ops->blob_get(srv->st, sha, fd, NULL, NULL);
	close(fd);
	if (rc != 0 || rename(tmp, path) != 0) {
		unlink(tmp);
		return -1;
	}
	return 0;
}

/* Computes and stores the diff of n against o; 0, -1 failed, 2 busy. */
static int compute(struct svc_server *srv, const struct pst_sub_row *o, const struct pst_sub_row *n,
		   const char *format)
{
	char *data;
	size_t len;
	int rc;

	if (svc_child_slot() != 0)
		return 2;
	rc = svc_blob_here(srv, o->sha256) != 0 || svc_blob_here(srv, n->sha256) != 0
		     ? -1
		     : spawn_diff(srv->o.data_dir, o, n, &data, &len);
	svc_child_slot_free();
	if (rc != 0)
		return -1;
	rc = srv->st->ops->report_put(srv->st, n->job_key, format, data, len);
	free(data);
	return rc;
}

unsigned svc_diff_get(struct svc_server *srv, const struct pst_sub_row *s, char **data,
		      size_t *len, const char **detail)
{
	struct prev_ctx p = { .cur = s };
	char format[80];
	int rc;

	*detail = "the store cannot answer now";
	if (srv->st->ops->versions(srv->st, s->tenant, s->product, prev_one, &p) < 0)
		return 503;
	*detail = "no previous version of this product to compare with";
	if (!p.found)
		return 404;
	*detail = "this version or the previous one has not finished (see status)";
	if (strcmp(s->status, "done") != 0 || strcmp(p.prev.status, "done") != 0)
		return 409;
	*detail = "this store engine keeps no diffs yet";
	if (!srv->st->ops->report_put)
		return 503;
	snprintf(format, sizeof(format), "diff:%s", p.prev.job_key);
	rc = srv->st->ops->report_get(srv->st, s->job_key, format, data, len);
	if (rc == 1) {
		rc = compute(srv, &p.prev, s, format);
		*detail = "other diffs are being computed; try again";
		if (rc == 2)
			return 503;
		if (rc == 0)
			rc = srv->st->ops->report_get(srv->st, s->job_key, format, data, len);
	}
	*detail = "the diff cannot be computed now";
	return rc == 0 ? 0 : 503;
}

enum MHD_Result svc_api_diff(struct svc_server *srv, struct MHD_Connection *c,
			     const struct pst_sub_row *s)
{
	const char *detail;
	char *data;
	size_t len;
	enum MHD_Result res;
	unsigned st = svc_diff_get(srv, s, &data, &len, &detail);

	if (st)
		return svc_error(c, st,
				 st == 404 ? "not found" : st == 409 ? "not ready" : "unavailable",
				 detail);
	res = svc_send(c, 200, "application/json", data, len);
	free(data);
	return res;
}

/* ---- in the diff process (postern worker --diff-old --diff-new) ---- */

struct side {
	struct svc_side m;
	struct pst_scan *scan;
};

int svc_side_open(struct svc_side *d, const char *data_dir, const char *spec)
{
	const char *colon = strchr(spec, ':');
	struct stat st;
	int fd;

	if (!colon || colon - spec != 64 || strlen(colon + 1) >= sizeof(d->name) || !colon[1])
		return -1;
	snprintf(d->name, sizeof(d->name), "%s", colon + 1);
	if (strchr(d->name, '/'))
		return -1;
	{
		char sha[65];
		memcpy(sha, spec, 64);
		sha[64] = 0;
		if (svc_blob_path(d->blob, sizeof(d->blob), data_dir, sha) != 0)
			return -1;
	}
	fd = open(d->blob, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st) != 0) {
		if (fd >= 0)
			close(fd);
		return -1;
	}
	d->len = (size_t)st.st_size;
	d->map = d->len ? mmap(NULL, d->len, PROT_READ, MAP_PRIVATE, fd, 0) : "";
	close(fd);
	return d->map == MAP_FAILED ? -1 : 0;
}

static int side_prepare(struct side *d, const struct pst_options *o)
{
	d->scan = pst_scan_new(o);
	return d->scan && pst_scan_prepare(d->scan) == PST_OK ? 0 : -1;
}

int pst_service_diff(const char *data_dir, const char *old_spec, const char *new_spec)
{
	struct side a = { 0 }, b = { 0 };
	struct pst_options o;
	struct pst_sandbox_opts so = { 0 };
	struct pst_report_opts ro = { .no_run = true };
	const char *reads[3] = { a.m.blob, b.m.blob, NULL };
	struct pst_diff *d;
	char err[512];

	if (svc_side_open(&a.m, data_dir, old_spec) != 0 ||
	    svc_side_open(&b.m, data_dir, new_spec) != 0) {
		fprintf(stderr, "postern: worker --diff: no such blob or a bad name\n");
		return EX_NOINPUT;
	}
	pst_options_default(&o);
	if (side_prepare(&a, &o) != 0 || side_prepare(&b, &o) != 0)
		return EX_SOFTWARE;
	so.read_paths = reads;
	so.max_address_space = (uint64_t)a.m.len + (uint64_t)b.m.len + (8ull << 30);
	so.max_cpu_seconds = (uint64_t)o.limits.max_seconds * 128 + 60;
	if (pst_sandbox_enter(&so, err, sizeof(err)) != PST_OK) {
		fprintf(stderr, "postern: worker --diff: sandbox: %s\n", err);
		return EX_OSERR;
	}
	if (pst_scan_run_mem(a.scan, a.m.name, a.m.map, a.m.len) != PST_OK ||
	    pst_scan_run_mem(b.scan, b.m.name, b.m.map, b.m.len) != PST_OK)
		return EX_DATAERR;
	d = pst_diff_new(a.scan, b.scan);
	if (!d || pst_diff_write(d, PST_FORMAT_JSON, &ro, stdout) != PST_OK || fflush(stdout) != 0)
		return EX_IOERR;
	pst_diff_free(d);
	pst_scan_free(a.scan);
	pst_scan_free(b.scan);
	return 0;
}
