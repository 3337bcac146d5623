/*
 * spill.c - spill files: where an output buffer goes when the live-memory
 * budget cannot hold it (docs/limits.md, "Spill").
 *
 * A member bigger than the whole budget moves to an unlinked temporary file
 * and is mapped: its pages are the kernel's to write back and drop, not
 * the budget's, and the member is examined whole. The files are opened when
 * the scan is made (pst_spill_open), before the sandbox: O_TMPFILE, mode
 * 0600, in $TMPDIR, so they never have a name and the kernel deletes them on
 * every exit path, a crash or a kill included. The sandboxed scan then only
 * extends, maps and empties them (pwrite, mmap, mremap, ftruncate on these
 * descriptors); it opens nothing for writing. A file is emptied and reused
 * when the blob mapping it goes.
 *
 * A mapped file's pages count in the process's resident set as they are
 * touched: an analyzer reading a 146 MB spilled member whole would hold all
 * of it beside the budget. The trimmer lets them go every few milliseconds
 * (MADV_DONTNEED on a shared file mapping drops the process's page-table
 * entries, never the data: the next read finds it in the page cache).
 */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>
#include "internal.h"

void pst_spill_open(struct pst_mem *m, uint64_t max)
{
	const char *dir = getenv("TMPDIR");
	int dfd, i;

	for (i = 0; i < PST_CAP_SPILL_FILES; i++)
		m->spill_fd[i] = -1;
	m->spill_max = max;
	if (!max)
		return;
	dfd = open(dir && *dir ? dir : "/tmp", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0)
		return;
	for (i = 0; i < PST_CAP_SPILL_FILES; i++)
		m->spill_fd[i] = openat(dfd, ".", O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
	close(dfd);
}

void pst_spill_close(struct pst_mem *m)
{
	int i;
	if (!m->spill_max)
		return; /* never opened: the descriptors may not even be set */
	for (i = 0; i < PST_CAP_SPILL_FILES; i++) {
		if (m->spill_fd[i] >= 0)
			close(m->spill_fd[i]);
		m->spill_fd[i] = -1;
	}
}

/* Takes a free spill file with room for len more bytes; its index + 1, or 0. */
static unsigned spill_take(struct pst_mem *m, uint64_t len)
{
	unsigned got = 0, i;
	pthread_mutex_lock(&m->m);
	if (m->spill_used + len <= m->spill_max) {
		for (i = 0; i < PST_CAP_SPILL_FILES && !got; i++) {
			if (m->spill_fd[i] >= 0 && !m->spill_busy[i]) {
				m->spill_busy[i] = true;
				got = i + 1;
			}
		}
	}
	if (got) {
		m->spill_used += len;
		if (m->spill_used > m->spill_peak)
			m->spill_peak = m->spill_used;
		m->spills++;
	}
	pthread_mutex_unlock(&m->m);
	return got;
}

bool pst_spill_room(struct pst_mem *m, int64_t delta)
{
	bool ok = true;
	pthread_mutex_lock(&m->m);
	if (delta > 0 && m->spill_used + (uint64_t)delta > m->spill_max)
		ok = false;
	else if (delta > 0)
		m->spill_used += (uint64_t)delta;
	else
		m->spill_used -=
			(uint64_t)-delta < m->spill_used ? (uint64_t)-delta : m->spill_used;
	if (m->spill_used > m->spill_peak)
		m->spill_peak = m->spill_used;
	pthread_mutex_unlock(&m->m);
	return ok;
}

/* Gives file spill - 1 back, emptied (its blocks freed), with the room it
 * was counted for. */
static void spill_put(struct pst_mem *m, unsigned spill, uint64_t room)
{
	int fd = m->spill_fd[spill - 1];
	if (ftruncate(fd, 0) != 0) {
		/* The file keeps its blocks until the scan ends: never reuse it. */
		pthread_mutex_lock(&m->m);
		m->spill_fd[spill - 1] = -1;
		pthread_mutex_unlock(&m->m);
		close(fd);
	}
	pst_spill_room(m, -(int64_t)room);
	pthread_mutex_lock(&m->m);
	m->spill_busy[spill - 1] = false;
	pthread_mutex_unlock(&m->m);
}

/* Makes file fd len bytes long (sparse: no blocks until written). */
static bool spill_extend(int fd, size_t len)
{
	return ftruncate(fd, (off_t)len) == 0;
}

bool pst_spill_start(struct pst_obuf *b, size_t cap)
{
	struct pst_mem *m = b->mem;
	unsigned spill;
	void *p;

	if (!m || !m->spill_max || cap == 0)
		return false;
	spill = spill_take(m, cap);
	if (!spill)
		return false;
	if (!spill_extend(m->spill_fd[spill - 1], cap))
		goto fail;
	p = mmap(NULL, cap, PROT_READ | PROT_WRITE, MAP_SHARED, m->spill_fd[spill - 1], 0);
	if (p == MAP_FAILED)
		goto fail;
	pst_spill_mapped(m, spill, p, cap);
	if (b->len)
		memcpy(p, b->p, b->len);
	free(b->p);
	b->p = p;
	b->cap = cap;
	b->spill = spill;
	b->let_go = 0;
	/* The capacity is on disk now: only decoder state stays live. */
	if (b->held > b->extra) {
		pst_mem_release(m, b->held - b->extra);
		b->held = b->extra;
	}
	b->mem_over = false;
	return true;
fail:
	spill_put(m, spill, cap);
	return false;
}

/* Lets the pages written so far go from this process (a shared file
 * mapping keeps their data in the file): a decoder filling a spilled buffer
 * would otherwise hold all of it resident beside its own window, which the
 * budget still counts (tests/e2e/bombs_memory.sh, "decoder windows"). */
static void spill_unmap_written(const struct pst_obuf *b)
{
	long page = sysconf(_SC_PAGESIZE);
	size_t done = page > 0 ? b->len / (size_t)page * (size_t)page : 0;
	if (done)
		madvise(b->p, done, MADV_DONTNEED);
}

void pst_spill_let_go(struct pst_obuf *b)
{
	if (!b->spill || b->sparse || b->len - b->let_go < PST_SPILL_LET_GO)
		return;
	spill_unmap_written(b);
	b->let_go = b->len;
}

bool pst_spill_grow(struct pst_obuf *b, size_t cap)
{
	struct pst_mem *m = b->mem;
	int fd = m->spill_fd[b->spill - 1];
	void *p;

	if (cap <= b->cap)
		return true;
	if (!pst_spill_room(m, (int64_t)(cap - b->cap)))
		return false;
	spill_unmap_written(b);
	if (!spill_extend(fd, cap))
		goto fail;
	/* under the lock: the trimmer must never touch the old range once
	 * mremap has let it go (it may be someone's heap by then) */
	pthread_mutex_lock(&m->m);
	p = mremap(b->p, b->cap, cap, MREMAP_MAYMOVE);
	if (p != MAP_FAILED) {
		m->spill_map[b->spill - 1] = p;
		m->spill_maplen[b->spill - 1] = cap;
	}
	pthread_mutex_unlock(&m->m);
	if (p == MAP_FAILED)
		goto fail;
	b->p = p;
	b->cap = cap;
	return true;
fail:
	pst_spill_room(m, -(int64_t)(cap - b->cap));
	return false;
}

void pst_spill_drop(struct pst_mem *m, unsigned spill, const uint8_t *p, size_t map_len,
		    uint64_t room)
{
	if (!spill)
		return;
	pst_spill_mapped(m, spill, NULL, 0);
	if (p && map_len)
		munmap((void *)(uintptr_t)p, map_len);
	spill_put(m, spill, room);
}

void pst_spill_mapped(struct pst_mem *m, unsigned spill, void *p, size_t len)
{
	if (!spill || spill > PST_SPILL_TARGET)
		return;
	pthread_mutex_lock(&m->m);
	m->spill_map[spill - 1] = p;
	m->spill_maplen[spill - 1] = p ? len : 0;
	pthread_mutex_unlock(&m->m);
}

/* Lets every mapped spill file's pages go from the process. Under the
 * lock, so no mapping is unmapped (and its range reused) meanwhile. */
static void spill_trim(struct pst_mem *m)
{
	unsigned i;
	pthread_mutex_lock(&m->m);
	for (i = 0; i < PST_SPILL_TARGET; i++)
		if (m->spill_map[i])
			madvise(m->spill_map[i], m->spill_maplen[i], MADV_DONTNEED);
	pthread_mutex_unlock(&m->m);
}

static void *trimmer_main(void *arg)
{
	struct pst_mem *m = arg;
	struct timespec ts = { 0, PST_SPILL_TRIM_MS * 1000000L };
	for (;;) {
		bool quit;
		pthread_mutex_lock(&m->m);
		quit = m->trim_quit;
		pthread_mutex_unlock(&m->m);
		if (quit)
			break;
		nanosleep(&ts, NULL);
		spill_trim(m);
	}
	return NULL;
}

void pst_spill_trimmer_start(struct pst_mem *m, bool target)
{
	if ((!m->spill_max && !target) || m->trimming)
		return;
	m->trim_quit = false;
	m->trimming = pthread_create(&m->trimmer, NULL, trimmer_main, m) == 0;
}

void pst_spill_trimmer_stop(struct pst_mem *m)
{
	if (!m->trimming)
		return;
	pthread_mutex_lock(&m->m);
	m->trim_quit = true;
	pthread_mutex_unlock(&m->m);
	pthread_join(m->trimmer, NULL);
	m->trimming = false;
}

unsigned pst_spill_take_sparse(struct pst_mem *m)
{
	return m && m->spill_max ? spill_take(m, 0) : 0;
}
