/*
 * worker.c - the queue's worker: leases a job, runs its scan in a child
 * process under the sandbox (a parser crash or hang costs that attempt, not
 * the worker), keeps the lease alive with heartbeats while the child runs,
 * and stores the reports the child wrote (every format, without the run
 * object, so they are the bytes `postern scan --no-run` gives) and its
 * signed attestation. A job whose scan kills its process on every one of
 * SVC_MAX_ATTEMPTS attempts ends as error with the reason. While it runs,
 * the child's progress (files examined over files found) reaches the worker
 * through a shared page, and the worker stores it at most four times a second.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <stdatomic.h>
#include <sysexits.h>
#include <time.h>
#include <unistd.h>
#include <jansson.h>
#include "postern/postern.h"
#include "svc.h"

/* What the scan child writes, one file each in the worker's directory. */
static const struct {
	const char *name;
	enum pst_format format;
} outputs[] = {
	{ "json", PST_FORMAT_JSON }, { "sarif", PST_FORMAT_SARIF }, { "html", PST_FORMAT_HTML },
	{ "cyclonedx", PST_FORMAT_CYCLONEDX }, { "attestation", PST_FORMAT_TEXT },
};
#define NOUT (sizeof(outputs) / sizeof(outputs[0]))
#define CHILD_CANNOT_SCAN 3 /* the scan could not be done: no retry helps */

/* How far the scan child is: written from its progress messages, read by
 * the worker (a shared anonymous page: the sandboxed child has no store). */
struct child_progress {
	atomic_uint_fast64_t done, seen;
};

struct progress_ctx {
	struct pst_scan *s;
	struct child_progress *p;
};

struct worker {
	const char *data_dir;
	const char *db;	/* the store's URL, or NULL: SQLite in data_dir */
	struct pst_store *st;
	char name[96];
	char dir[4096];
	char key_secret[4096];
	double lease;
};

int svc_scan_identity(struct svc_scan_id *id)
{
	struct pst_options o;
	struct pst_scan *s;
	int rc = -1;

	pst_options_default(&o);
	s = pst_scan_new(&o);
	if (s && pst_scan_prepare(s) == PST_OK) {
		snprintf(id->rules_sha256, sizeof(id->rules_sha256), "%s",
			 pst_scan_rules_sha256(s));
		snprintf(id->policy_sha256, sizeof(id->policy_sha256), "%s",
			 pst_policy_sha256(pst_scan_policy(s)));
		rc = 0;
	} else {
		fprintf(stderr, "postern: cannot prepare a scan: %s\n",
			s ? pst_scan_errmsg(s) : "no memory");
	}
	pst_scan_free(s);
	return rc;
}

int svc_keys_paths(const char *data_dir, char *secret, char *public_path, size_t len)
{
	char dir[4096];

	if (svc_path(dir, sizeof(dir), data_dir, "keys") != 0 || svc_mkdir(dir) != 0 ||
	    svc_path(secret, len, data_dir, "keys/service.key") != 0 ||
	    svc_path(public_path, len, data_dir, "keys/service.pub") != 0)
		return -1;
	return 0;
}

int svc_keys(const char *data_dir, char *secret, char *public_path, size_t len)
{
	char err[512];

	if (svc_keys_paths(data_dir, secret, public_path, len) != 0)
		return -1;
	if (access(secret, R_OK) == 0 && access(public_path, R_OK) == 0)
		return 0;
	if (pst_keygen(secret, public_path, err, sizeof(err)) != PST_OK) {
		fprintf(stderr, "postern: service key: %s\n", err);
		return -1;
	}
	return 0;
}

/* Writes data to path whole or not at all (a reader never sees half a key). */
static int put_file(const char *path, const char *data, mode_t mode)
{
	char tmp[4200];
	size_t n = strlen(data);
	int fd, ok;

	if (snprintf(tmp, sizeof(tmp), "%s.%d.tmp", path, (int)getpid()) >= (int)sizeof(tmp))
		return -1;
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
	if (fd < 0)
		return -1;
	ok = write(fd, data, n) == (ssize_t)n && fsync(fd) == 0;
	ok = close(fd) == 0 && ok && rename(tmp, path) == 0;
	if (!ok)
		unlink(tmp);
	return ok ? 0 : -1;
}


/* A new pair offered to the store: made under temporary names, read back,
 * removed; the store keeps the first pair any process offered. */
static int offer_keys(struct pst_store *st, const char *secret, const char *public_path)
{
	char sk[4200], pk[4200], err[512], *a = NULL, *b = NULL;
	size_t la, lb;
	int rc = -1;

	snprintf(sk, sizeof(sk), "%s.new%d", secret, (int)getpid());
	snprintf(pk, sizeof(pk), "%s.new%d", public_path, (int)getpid());
	if (pst_keygen(sk, pk, err, sizeof(err)) != PST_OK) {
		fprintf(stderr, "postern: service key: %s\n", err);
		return -1;
	}
	a = svc_slurp(sk, &la);
	b = svc_slurp(pk, &lb);
	if (a && b)
		rc = st->ops->keys_put(st, a, b);
	unlink(sk);
	unlink(pk);
	if (a)
		sodium_memzero(a, la);
	free(a);
	free(b);
	return rc;
}

int svc_keys_sync(struct pst_store *st, const char *data_dir, char *secret, char *public_path,
		  size_t len)
{
	char *sk = NULL, *pk = NULL;
	int rc;

	if (!st->ops->keys_get)
		return svc_keys(data_dir, secret, public_path, len);
	if (svc_keys_paths(data_dir, secret, public_path, len) != 0)
		return -1;
	rc = st->ops->keys_get(st, &sk, &pk);
	if (rc == 1 && offer_keys(st, secret, public_path) == 0)
		rc = st->ops->keys_get(st, &sk, &pk);
	/* the store's pair wins over whatever an earlier run left on disk */
	if (rc == 0 && (put_file(secret, sk, 0600) != 0 || put_file(public_path, pk, 0644) != 0))
		rc = -1;
	if (rc != 0)
		fprintf(stderr, "postern: service key: %s\n",
			rc < 0 ? st->err : "not in the store");
	if (sk)
		sodium_memzero(sk, strlen(sk));
	free(sk);
	free(pk);
	return rc == 0 ? 0 : -1;
}

static int out_path(const struct worker *w, size_t i, char *p, size_t len)
{
	int n = snprintf(p, len, "%s/%s", w->dir, outputs[i].name);
	return n > 0 && (size_t)n < len ? 0 : -1;
}

static int policy_path(const struct worker *w, char *p, size_t len)
{
	int n = snprintf(p, len, "%s/policy.yaml", w->dir);
	return n > 0 && (size_t)n < len ? 0 : -1;
}

/* In the scan child: never returns. Output files are opened before the
 * sandbox, which allows no new files afterwards. */
static void on_child_message(void *ctx, enum pst_msg kind, const char *text)
{
	struct progress_ctx *c = ctx;
	uint64_t done, seen;
	(void)text;
	if (kind != PST_MSG_PROGRESS || !c->s || !c->p)
		return;
	pst_scan_progress(c->s, &done, &seen);
	atomic_store(&c->p->done, done);
	atomic_store(&c->p->seen, seen);
}

static void scan_child(const struct worker *w, const struct pst_job_row *j, const char *blob,
		       struct child_progress *cp)
{
	struct progress_ctx pc = { NULL, cp };
	struct pst_options o;
	struct pst_report_opts ro = { .no_run = true };
	struct pst_sandbox_opts so = { 0 };
	const char *reads[3] = { blob, w->key_secret, NULL };
	const char *crash = getenv("POSTERN_TEST_CRASH_SCAN");
	FILE *f[NOUT];
	struct pst_scan *s;
	struct stat st;
	void *map = NULL;
	char p[4096], err[512];
	size_t i;
	int fd;

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	fd = open(blob, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st) != 0)
		_exit(CHILD_CANNOT_SCAN);
	if (st.st_size > 0)
		map = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	if (map == MAP_FAILED)
		_exit(CHILD_CANNOT_SCAN);
	for (i = 0; i < NOUT; i++)
		if (out_path(w, i, p, sizeof(p)) != 0 || !(f[i] = fopen(p, "w")))
			_exit(EX_CANTCREAT);
	pst_options_default(&o);
	/* the product's waivers (review.c): the job's policy, loaded here,
	 * before the sandbox allows no more opens */
	if (j->policy && policy_path(w, p, sizeof(p)) == 0)
		o.policy_path = p;
	o.progress = cp != NULL;
	o.message = on_child_message;
	o.message_ctx = &pc;
	s = pst_scan_new(&o);
	if (!s || pst_scan_prepare(s) != PST_OK)
		_exit(CHILD_CANNOT_SCAN);
	pc.s = s;
	so.read_paths = reads;
	so.max_address_space = (uint64_t)st.st_size + (8ull << 30);
	so.max_cpu_seconds = (uint64_t)o.limits.max_seconds * 64 + 60;
	if (pst_sandbox_enter(&so, err, sizeof(err)) != PST_OK)
		_exit(EX_OSERR);
	/* A test hook (docs/service.md): the scan of this file name crashes,
	 * as a parser bug would, to exercise the retry limit. */
	if (crash && strcmp(crash, j->filename) == 0)
		abort();
	if (pst_scan_run_mem(s, j->filename, map ? map : (const void *)"", (size_t)st.st_size) !=
	    PST_OK)
		_exit(CHILD_CANNOT_SCAN);
	for (i = 0; i + 1 < NOUT; i++)
		if (pst_report_write(s, outputs[i].format, &ro, f[i]) != PST_OK ||
		    fclose(f[i]) != 0)
			_exit(EX_IOERR);
	if (pst_attest_write(s, w->key_secret, f[NOUT - 1], err, sizeof(err)) != PST_OK ||
	    fclose(f[NOUT - 1]) != 0)
		_exit(EX_IOERR);
	_exit(0);
}

/* Stores what the child wrote; the verdict is read back from the JSON. */
static int store_result(struct worker *w, const struct pst_job_row *j, double seconds)
{
	struct pst_report_body r[NOUT];
	char *data[NOUT] = { 0 }, p[4096], verdict[16] = "";
	json_t *root;
	size_t i;
	int rc = -1;

	for (i = 0; i < NOUT; i++) {
		r[i].format = outputs[i].name;
		if (out_path(w, i, p, sizeof(p)) != 0 || !(data[i] = svc_slurp(p, &r[i].len)))
			goto out;
		r[i].data = data[i];
		unlink(p);
	}
	root = json_loadb(data[0], r[0].len, 0, NULL);
	if (root && json_is_string(json_object_get(root, "verdict")))
		snprintf(verdict, sizeof(verdict), "%s",
			 json_string_value(json_object_get(root, "verdict")));
	json_decref(root);
	if (!verdict[0])
		goto out;
	rc = w->st->ops->job_done(w->st, j->key, w->name, verdict, seconds, r, NOUT);
	if (rc == 0)
		w->st->ops->audit_add(w->st, w->name, "job.done", j->key, verdict);
	/* a pass is approved by the policy: its submissions' approvals go to
	 * the log now (review.c); one that fails here is logged by the next
	 * reader or serve's next start */
	if (rc == 0 && strcmp(verdict, "pass") == 0)
		svc_policy_approve_all(w->st, w->key_secret);
out:
	for (i = 0; i < NOUT; i++)
		free(data[i]);
	return rc;
}

/* Stores the child's progress when it grew by half a percent or more;
 * below 1 (a job is done only when its reports are stored). */
static void store_progress(struct worker *w, const struct pst_job_row *j,
			   struct child_progress *cp, double *stored)
{
	uint64_t done = atomic_load(&cp->done), seen = atomic_load(&cp->seen);
	double f = seen ? (double)done / (double)seen : 0;
	if (f > 0.99)
		f = 0.99;
	if (f < *stored + 0.005 || !w->st->ops->job_progress)
		return;
	w->st->ops->job_progress(w->st, j->key, w->name, f);
	*stored = f;
}

/* Waits for the scan child, renewing the lease and storing its progress
 * (at most four times a second); returns its wait status. */
/* The lease of the job a worker runs, renewed every third of it: while the
 * image is fetched (a big one takes a while), before the scan starts and
 * while it runs. lost: another worker has taken the job meanwhile. */
struct lease_keeper {
	struct worker *w;
	const struct pst_job_row *j;
	double last;
	int lost;
};

static void keep_lease(struct lease_keeper *k, int now)
{
	double gap = pst_service_clock() - k->last;
	int hb;

	if (!now && gap < k->w->lease / 3)
		return;
	hb = k->w->st->ops->job_heartbeat(k->w->st, k->j->key, k->w->name, k->w->lease);
	/* the operator's clue when a loaded host costs jobs their leases */
	if (hb != 0 && !k->lost)
		fprintf(stderr, "postern: worker %s: job %.16s: heartbeat %s after %.1f s"
			" (lease %.1f s)\n", k->w->name, k->j->key,
			hb == 1 ? "found the lease taken" : "failed", gap, k->w->lease);
	k->lost |= hb == 1;
	k->last = pst_service_clock();
}

static void keep_lease_tick(void *k) { keep_lease(k, 0); }

static int supervise(struct lease_keeper *k, pid_t pid, struct child_progress *cp)
{
	double last_p = pst_service_clock(), stored = 0;
	struct timespec nap = { 0, 50 * 1000 * 1000 };
	int status = 0;

	for (;;) {
		pid_t r = waitpid(pid, &status, WNOHANG);
		if (r == pid || (r < 0 && errno != EINTR))
			return status;
		keep_lease(k, 0);
		if (cp && pst_service_clock() - last_p >= 0.25) {
			store_progress(k->w, k->j, cp, &stored);
			last_p = pst_service_clock();
		}
		nanosleep(&nap, NULL);
	}
}

/* A failed scan leaves what its child wrote: nothing of it is kept. */
static void clear_outputs(const struct worker *w)
{
	char p[4096];
	size_t i;
	for (i = 0; i < NOUT; i++)
		if (out_path(w, i, p, sizeof(p)) == 0)
			unlink(p);
}

/* Ends this attempt: the job is queued again or, when final, ends as error.
 * Every attempt given up is in the audit log and the worker's log, with why. */
static void give_up(struct worker *w, const struct pst_job_row *j, const char *why, int final)
{
	w->st->ops->job_fail(w->st, j->key, w->name, why, final);
	w->st->ops->audit_add(w->st, w->name, final ? "job.error" : "job.retry", j->key, why);
	fprintf(stderr, "postern: worker %s: job %.16s, attempt %d of %d: %s (%s)\n", w->name,
		j->key, j->attempts, SVC_MAX_ATTEMPTS, why, final ? "given up" : "queued again");
}

/* The image's path: its file under DATA/blobs, or (a store that keeps
 * images itself) a copy fetched into this worker's directory, removed once
 * the scan ends. -1 after giving up the attempt. */
static int job_blob(struct lease_keeper *k, char *blob, size_t len)
{
	struct worker *w = k->w;
	const struct pst_job_row *j = k->j;
	char why[400];
	int fd, rc;

	if (!w->st->ops->blob_get) {
		if (svc_blob_path(blob, len, w->data_dir, j->sha256) == 0)
			return 0;
		give_up(w, j, "bad blob digest", 1);
		return -1;
	}
	if (snprintf(blob, len, "%s/image", w->dir) >= (int)len) {
		give_up(w, j, "the worker's directory name is too long", 1);
		return -1;
	}
	w->st->err[0] = 0;
	fd = open(blob, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	rc = fd < 0 ? -1 : w->st->ops->blob_get(w->st, j->sha256, fd, keep_lease_tick, k);
	if (fd >= 0 && close(fd) != 0)
		rc = -1;
	if (rc == 0)
		return 0;
	unlink(blob);
	/* a missing image cannot appear later; a broken connection may heal */
	snprintf(why, sizeof(why), "%s%s%s",
		 rc == 1 ? "the image is not in the store"
			 : "cannot fetch the image from the store",
		 w->st->err[0] ? ": " : "", w->st->err);
	give_up(w, j, why, rc == 1);
	return -1;
}

static void run_job(struct worker *w, const struct pst_job_row *j)
{
	char blob[4096], why[200], pol[4200];
	double t0 = pst_service_clock();
	struct lease_keeper k = { w, j, t0, 0 };
	pid_t pid;
	int status, stored;

	struct child_progress *cp;

	if (job_blob(&k, blob, sizeof(blob)) != 0)
		return;
	/* the fetch may have outlived the lease (a big image on a loaded host):
	 * renewed at once, or the job is another worker's and is not run twice */
	keep_lease(&k, 1);
	if (k.lost) {
		if (w->st->ops->blob_get)
			unlink(blob);
		w->st->ops->audit_add(w->st, w->name, "job.lease-lost", j->key,
				      "lease expired while the image was fetched; not scanned");
		fprintf(stderr, "postern: worker %s: job %.16s, attempt %d: the lease expired while"
			" the image was fetched; not scanned\n", w->name, j->key, j->attempts);
		return;
	}
	if (j->policy && (policy_path(w, pol, sizeof(pol)) != 0 ||
			  put_file(pol, j->policy, 0600) != 0)) {
		give_up(w, j, "cannot write the job's policy", 0);
		return;
	}
	/* without the page the job runs all the same, its progress unreported */
	cp = mmap(NULL, sizeof(*cp), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (cp == MAP_FAILED)
		cp = NULL;
	if (w->st->ops->job_progress) /* a new attempt starts again at 0 */
		w->st->ops->job_progress(w->st, j->key, w->name, 0);
	pid = fork();
	if (pid == 0)
		scan_child(w, j, blob, cp);
	if (pid < 0) {
		give_up(w, j, "fork failed", 0);
		if (cp)
			munmap(cp, sizeof(*cp));
		return;
	}
	status = supervise(&k, pid, cp);
	if (cp)
		munmap(cp, sizeof(*cp));
	if (j->policy)
		unlink(pol);
	if (w->st->ops->blob_get)
		unlink(blob);
	stored = WIFEXITED(status) && WEXITSTATUS(status) == 0 ?
		 store_result(w, j, pst_service_clock() - t0) : -1;
	clear_outputs(w);
	if (stored == 0)
		return;
	if (stored == 1) {
		/* the lease expired meanwhile and the job is another worker's now */
		w->st->ops->audit_add(w->st, w->name, "job.lease-lost", j->key, "result dropped");
		fprintf(stderr, "postern: worker %s: job %.16s, attempt %d: the lease expired"
			" meanwhile; result dropped\n", w->name, j->key, j->attempts);
		return;
	}
	if (WIFSIGNALED(status))
		snprintf(why, sizeof(why), "the scan crashed (signal %d) on attempt %d of %d",
			 WTERMSIG(status), j->attempts, SVC_MAX_ATTEMPTS);
	else
		snprintf(why, sizeof(why),
			 "the scan could not be done (status %d) on attempt %d of %d",
			 WIFEXITED(status) ? WEXITSTATUS(status) : -1, j->attempts,
			 SVC_MAX_ATTEMPTS);
	give_up(w, j, why, j->attempts >= SVC_MAX_ATTEMPTS ||
		(WIFEXITED(status) && WEXITSTATUS(status) == CHILD_CANNOT_SCAN));
}

/* Removes what a worker killed mid-scan left in DATA/work/<its pid>: the
 * outputs of a scan that will run again. Only numeric names of processes
 * that no longer exist are touched. */
static void sweep_work(const char *work)
{
	DIR *d = opendir(work), *sub;
	struct dirent *e, *f;
	int dfd, sfd;

	if (!d)
		return;
	dfd = dirfd(d);
	while ((e = readdir(d))) {
		char *end;
		long pid = strtol(e->d_name, &end, 10);
		if (*end || end == e->d_name || pid <= 0 || kill((pid_t)pid, 0) == 0 ||
		    errno != ESRCH)
			continue;
		sfd = openat(dfd, e->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		sub = sfd >= 0 ? fdopendir(sfd) : NULL;
		while (sub && (f = readdir(sub)))
			if (f->d_name[0] != '.')
				unlinkat(sfd, f->d_name, 0);
		if (sub)
			closedir(sub);
		else if (sfd >= 0)
			close(sfd);
		unlinkat(dfd, e->d_name, AT_REMOVEDIR);
	}
	closedir(d);
}

/* DATA/work/<pid>: where this worker's scan children write their outputs. */
static int prepare_dir(struct worker *w)
{
	char work[4096];
	int n;

	if (svc_path(work, sizeof(work), w->data_dir, "work") != 0 || svc_mkdir(work) != 0)
		return -1;
	sweep_work(work);
	n = snprintf(w->dir, sizeof(w->dir), "%s/%d", work, (int)getpid());
	return n > 0 && (size_t)n < sizeof(w->dir) ? svc_mkdir(w->dir) : -1;
}

static volatile sig_atomic_t g_stop;
static void on_stop(int sig) { (void)sig; g_stop = 1; }

int pst_service_worker(const char *db, const char *data_dir, double lease)
{
	struct worker w = { .data_dir = data_dir, .db = db, .lease = lease > 0 ? lease : 30 };
	struct pst_job_row j;
	struct timespec idle = { 0, 200 * 1000 * 1000 };
	char pub[4096], host[64] = "localhost";
	int dead, r;

	signal(SIGTERM, on_stop);
	signal(SIGINT, on_stop);
	gethostname(host, sizeof(host) - 1);
	snprintf(w.name, sizeof(w.name), "%s:%d", host, (int)getpid());
	if (svc_mkdir(data_dir) != 0 || prepare_dir(&w) != 0) {
		fprintf(stderr, "postern: worker: cannot prepare %s\n", data_dir);
		return EX_CANTCREAT;
	}
	w.st = svc_store_open(db ? db : data_dir);
	if (!w.st || svc_keys_sync(w.st, data_dir, w.key_secret, pub, sizeof(pub)) != 0) {
		if (w.st)
			w.st->ops->close(w.st);
		rmdir(w.dir);
		return EX_CANTCREAT;
	}
	while (!g_stop) {
		r = w.st->ops->job_lease(w.st, w.name, w.lease, SVC_MAX_ATTEMPTS, &j, &dead);
		if (r == 0 && dead) {
			w.st->ops->audit_add(w.st, w.name, "job.error", j.key,
					     "lease expired 3 times");
			fprintf(stderr, "postern: worker %s: job %.16s: its lease expired on every"
				" attempt; given up\n", w.name, j.key);
		}
		else if (r == 0) {
			char n[16];
			snprintf(n, sizeof(n), "attempt %d", j.attempts);
			w.st->ops->audit_add(w.st, w.name, "job.lease", j.key, n);
			run_job(&w, &j);
		}
		if (r == 0)
			free(j.policy);
		else
			nanosleep(&idle, NULL);
	}
	w.st->ops->close(w.st);
	rmdir(w.dir);
	if (svc_path(pub, sizeof(pub), data_dir, "work") == 0)
		sweep_work(pub);
	return 0;
}

int svc_worker_spawn(const char *db, const char *data_dir, double lease, unsigned index)
{
	char leases[32];
	pid_t pid;

	snprintf(leases, sizeof(leases), "%g", lease);
	pid = fork();
	if (pid != 0)
		return (int)pid;
	/* a worker does not outlive its server */
	prctl(PR_SET_PDEATHSIG, SIGTERM);
	if (db)
		execl("/proc/self/exe", "postern", "worker", "--db", db, "--data", data_dir,
		      "--lease", leases, (char *)NULL);
	else
		execl("/proc/self/exe", "postern", "worker", "--data", data_dir, "--lease", leases,
		      (char *)NULL);
	_exit(EX_OSERR);
}
