/*
 * test_squashfs.c - squashfs 4.0 images made with mksquashfs at test time:
 * every compressor, carved out of a raw flash image, a third-party image,
 * truncation and bit flips, determinism across thread counts, and hand-made
 * damage (a directory cycle, out-of-range references) patched into an image
 * whose metadata is stored uncompressed.
 */
#include <sys/stat.h>
#include "helpers.h"

static const char *const comps[] = { "gzip", "xz", "lzma", "lzo", "lz4", "zstd" };

/* The input tree: nested dirs, a 1 MiB random file and a hard link to it,
 * an empty file, a sparse file, a symlink, a setuid file; pseudo
 * definitions add /dev/null and give two files to uid 1000 (they work
 * without root). */
static void make_tree(const char *d)
{
	th_sh("cd %s && umask 022 && mkdir -p in/a/b/c && randbytes 1048576 test_squashfs1 > in/a/rand && "
	      ": > in/empty && ln -s a/rand in/link && ln in/a/rand in/a/b/hard && "
	      "printf 'hi\\n' > in/a/b/c/suid && chmod 4755 in/a/b/c/suid && printf 'u\\n' > in/a/owned && "
	      "truncate -s 3M in/sparse && echo tail >> in/sparse && "
	      "(cd in && sha256sum a/rand a/b/hard a/owned a/b/c/suid empty sparse) > sums", d);
}

static void make_image(const char *d, const char *comp, const char *name)
{
	th_sh("cd %s && rm -f %s && mksquashfs in %s -comp %s -noappend -quiet -no-progress "
	      "-p 'dev d 755 0 0' -p 'dev/null c 666 0 0 1 3' -p 'a/owned m 640 1000 1000' "
	      "-p 'a/b/c/suid m 4755 1000 1000' > /dev/null", d, name, name, comp);
}

/* sha256 of the input file rel, from the sums file. */
static void input_sum(const char *d, const char *rel, char out[65])
{
	char path[4200], line[4400];
	FILE *f;
	snprintf(path, sizeof(path), "%s/sums", d);
	f = fopen(path, "r");
	assert_non_null(f);
	out[0] = 0;
	while (fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = 0;
		if (strlen(line) > 66 && strcmp(line + 66, rel) == 0) {
			memcpy(out, line, 64);
			out[64] = 0;
		}
	}
	fclose(f);
	assert_int_equal(strlen(out), 64);
}

struct want {
	const char *path;   /* inside the image */
	uint32_t mode;
	long owner;         /* -1: the input file's owner */
	const char *link;
	uint64_t size;
	bool sum;           /* compare sha256 with the input */
};

static const struct want tree[] = {
	{ "/a", S_IFDIR | 0755, -1, NULL, 0, false },
	{ "/a/b", S_IFDIR | 0755, -1, NULL, 0, false },
	{ "/a/b/c", S_IFDIR | 0755, -1, NULL, 0, false },
	{ "/a/rand", S_IFREG | 0644, -1, NULL, 1048576, true },
	{ "/a/b/hard", S_IFREG | 0644, -1, NULL, 1048576, true },
	{ "/a/owned", S_IFREG | 0640, 1000, NULL, 2, true },
	{ "/a/b/c/suid", S_IFREG | 04755, 1000, NULL, 3, true },
	{ "/empty", S_IFREG | 0644, -1, NULL, 0, true },
	{ "/sparse", S_IFREG | 0644, -1, NULL, 3145733, true },
	{ "/link", S_IFLNK | 0777, -1, "a/rand", 0, false },
	{ "/dev", S_IFDIR | 0755, 0, NULL, 0, false },
	{ "/dev/null", S_IFCHR | 0666, 0, NULL, 0, false },
};
#define NTREE (sizeof(tree) / sizeof(tree[0]))

/* The scanned tree under prefix ("img.sqfs!" or "img!squashfs@0x10000!")
 * equals the input, entry by entry, and holds nothing else. */
static void check_tree(const struct pst_scan *s, const char *d, const char *prefix)
{
	size_t i;
	char loc[4200], sum[65], hex[65], in[4200];
	for (i = 0; i < NTREE; i++) {
		const struct pst_node *n;
		struct stat st;
		snprintf(loc, sizeof(loc), "%s%s", prefix, tree[i].path);
		n = th_node(s, loc);
		if (!n)
			fail_msg("%s missing", loc);
		if (n->mode != tree[i].mode)
			fail_msg("%s: mode %o, want %o", loc, n->mode, tree[i].mode);
		if (tree[i].owner >= 0) {
			assert_int_equal(n->uid, tree[i].owner);
			assert_int_equal(n->gid, tree[i].owner);
		} else {
			snprintf(in, sizeof(in), "%s/in%s", d, tree[i].path);
			assert_int_equal(lstat(in, &st), 0);
			assert_int_equal(n->uid, st.st_uid);
			assert_int_equal(n->gid, st.st_gid);
		}
		if (tree[i].link) {
			assert_non_null(n->link);
			assert_string_equal(n->link, tree[i].link);
		}
		if (S_ISREG(tree[i].mode)) {
			assert_int_equal(n->size, tree[i].size);
			assert_false(n->flags & PST_NODE_INCOMPLETE);
		}
		if (tree[i].sum) {
			input_sum(d, tree[i].path + 1, sum);
			pst_hex(n->sha256, 32, hex);
			if (strcmp(hex, sum) != 0)
				fail_msg("%s: sha256 %s, input %s", loc, hex, sum);
		}
	}
	assert_int_equal(th_count_nodes(s, prefix), NTREE);
}

static void test_every_compressor(void **state)
{
	char *d = th_tmpdir(), path[4200], name[64], prefix[80];
	size_t i;
	(void)state;
	make_tree(d);
	for (i = 0; i < sizeof(comps) / sizeof(comps[0]); i++) {
		struct pst_scan *s;
		const struct pst_node *root;
		snprintf(name, sizeof(name), "%s.sqfs", comps[i]);
		make_image(d, comps[i], name);
		snprintf(path, sizeof(path), "%s/%s", d, name);
		s = th_scan(path, 2);
		root = pst_scan_root(s);
		assert_string_equal(root->format, "squashfs");
		assert_int_equal(root->kind, PST_KIND_FILESYSTEM);
		snprintf(prefix, sizeof(prefix), "%s!", name);
		check_tree(s, d, prefix);
		if (pst_scan_coverage(s)->incomplete != 0)
			fail_msg("%s: %llu incomplete", comps[i],
				 (unsigned long long)pst_scan_coverage(s)->incomplete);
		assert_null(th_finding(s, "unpack.unsupported", NULL));
		assert_null(th_finding(s, "unpack.damaged", NULL));
		/* a/rand and its hard link a/b/hard: random bytes, read whole
		 * and reported as content nobody identified */
		th_assert_unidentified_only(s, 2, "!/a/rand");
		pst_scan_free(s);
	}
	th_rmtree(d);
}

/* A raw flash image: a 64-byte vendor header, padding to 0x10000, the
 * filesystem, 0xff padding. Only the header is unexplained. */
static void test_carved_at_offset(void **state)
{
	char *d = th_tmpdir(), path[4200];
	struct pst_scan *s;
	const struct pst_node *n;
	(void)state;
	make_tree(d);
	make_image(d, "xz", "fs.sqfs");
	th_sh("cd %s && (head -c 64 /dev/zero | tr '\\0' 'J'; head -c %d /dev/zero; cat fs.sqfs; "
	      "head -c 8192 /dev/zero | tr '\\0' '\\377') > img", d, 0x10000 - 64);
	snprintf(path, sizeof(path), "%s/img", d);
	s = th_scan(path, 2);
	n = th_node(s, "img!squashfs@0x10000");
	assert_non_null(n);
	assert_true(n->flags & PST_NODE_CARVED);
	check_tree(s, d, "img!squashfs@0x10000!");
	assert_int_equal(pst_scan_coverage(s)->unexplained_bytes, 64);
	assert_int_equal(pst_scan_coverage(s)->incomplete, 0);
	pst_scan_free(s);
	th_rmtree(d);
}

static void test_third_party_image(void **state)
{
	struct pst_scan *s;
	const struct pst_node *n;
	(void)state;
	s = th_scan(FIXTURE_DIR "/binwalk/squashfs.bin", 2);
	assert_string_equal(pst_scan_root(s)->format, "squashfs");
	n = th_node(s, "squashfs.bin!/lsb-release");
	assert_non_null(n);
	assert_int_equal(n->size, 104);
	assert_int_equal(n->kind, PST_KIND_TEXT);
	assert_int_equal(pst_scan_coverage(s)->incomplete, 0);
	pst_scan_free(s);
}

static void test_truncated_and_flipped(void **state)
{
	char *d = th_tmpdir(), path[4200];
	size_t i;
	(void)state;
	make_tree(d);
	for (i = 0; i < sizeof(comps) / sizeof(comps[0]); i += 3) {
		make_image(d, comps[i], "fs.sqfs");
		snprintf(path, sizeof(path), "%s/fs.sqfs", d);
		th_mangle(path, d);
	}
	/* And carved: the same damage inside a raw image. */
	th_sh("cd %s && (head -c 4096 /dev/zero; cat fs.sqfs) > img", d);
	snprintf(path, sizeof(path), "%s/img", d);
	th_mangle(path, d);
	th_rmtree(d);
}

static char *json_of(const char *path, unsigned jobs, size_t *len)
{
	struct pst_report_opts ro = { .inventory = true, .no_run = true };
	struct pst_scan *s = th_scan(path, jobs);
	char *buf = NULL;
	FILE *f = open_memstream(&buf, len);
	assert_non_null(f);
	assert_int_equal(pst_report_write(s, PST_FORMAT_JSON, &ro, f), PST_OK);
	fclose(f);
	pst_scan_free(s);
	return buf;
}

static void test_deterministic(void **state)
{
	char *d = th_tmpdir(), path[4200], *a, *b;
	size_t la, lb;
	(void)state;
	make_tree(d);
	th_sh("cd %s && for i in 1 2 3 4 5 6 7 8; do mkdir -p in/m$i; for j in 1 2 3 4 5 6 7 8 9; do "
	      "randbytes $((i * 7000 + j * 333)) test_squashfs2 > in/m$i/f$j; done; done", d);
	make_image(d, "zstd", "fs.sqfs");
	snprintf(path, sizeof(path), "%s/fs.sqfs", d);
	a = json_of(path, 1, &la);
	b = json_of(path, 2, &lb);
	assert_true(strstr(a, "fs.sqfs!/m8/f9") != NULL);
	assert_int_equal(la, lb);
	assert_memory_equal(a, b, la);
	free(a);
	free(b);
	th_rmtree(d);
}

/* An image with uncompressed metadata (-noI -noD -noF -noX -noId), whose root
 * listing we can patch in place: "d" (a directory) then "z" (a file). */
struct patchable {
	uint8_t *img;
	size_t len;
	uint64_t root_ref;
	uint8_t *entry_d;   /* root listing's entry for "d" */
	uint8_t *inode_z;   /* z's file inode */
};

static void make_patchable(const char *d, struct patchable *p)
{
	char path[4200];
	uint64_t itab, dtab;
	const uint8_t *ri, *lst, *ez;
	th_sh("cd %s && rm -rf cyc && mkdir -p cyc/d && echo inner > cyc/d/f && echo zz > cyc/z && "
	      "mksquashfs cyc cyc.sqfs -noappend -noI -noD -noF -noX -noId -quiet -no-progress > /dev/null", d);
	snprintf(path, sizeof(path), "%s/cyc.sqfs", d);
	p->img = th_read(path, &p->len);
	p->root_ref = pst_le64(p->img + 32);
	itab = pst_le64(p->img + 64);
	dtab = pst_le64(p->img + 72);
	/* Both tables are one uncompressed metadata block (header bit 15). */
	assert_true(pst_le16(p->img + itab) & 0x8000);
	assert_true(pst_le16(p->img + dtab) & 0x8000);
	assert_int_equal(p->root_ref >> 16, 0);
	ri = p->img + itab + 2 + (p->root_ref & 0xffff);
	assert_int_equal(pst_le16(ri), 1);        /* basic directory */
	assert_int_equal(pst_le32(ri + 16), 0);   /* listing in block 0 */
	lst = p->img + dtab + 2 + pst_le16(ri + 26);
	/* Header (count, start block, inode number), then entries:
	 * offset, inode diff, type, name size - 1, name. */
	p->entry_d = (uint8_t *)lst + 12;
	assert_int_equal(p->entry_d[8], 'd');
	ez = p->entry_d + 9;
	assert_int_equal(ez[8], 'z');
	p->inode_z = p->img + itab + 2 + pst_le16(ez);
	assert_int_equal(pst_le16(p->inode_z), 2); /* basic file */
}

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

/* "d" is made to point at the root directory's own inode: the walk must
 * see the cycle, report it and finish. */
static void test_directory_cycle(void **state)
{
	char *d = th_tmpdir(), path[4200];
	struct patchable p;
	struct pst_scan *s;
	(void)state;
	make_patchable(d, &p);
	put16(p.entry_d, (uint16_t)(p.root_ref & 0xffff));
	snprintf(path, sizeof(path), "%s/cycle.sqfs", d);
	th_write(path, p.img, p.len);
	s = th_scan(path, 2);
	assert_non_null(th_node(s, "cycle.sqfs!/d"));
	assert_null(th_node(s, "cycle.sqfs!/d/z"));
	assert_null(th_node(s, "cycle.sqfs!/d/d"));
	assert_non_null(th_node(s, "cycle.sqfs!/z"));
	assert_non_null(th_finding(s, "unpack.damaged", "cycle.sqfs"));
	assert_true(pst_scan_coverage(s)->incomplete > 0);
	pst_scan_free(s);
	free(p.img);
	th_rmtree(d);
}

/* "d" points past the end of its inode block, z's fragment index past the
 * fragment table: both are reported, and the walk goes on. */
static void test_out_of_range_references(void **state)
{
	char *d = th_tmpdir(), path[4200];
	struct patchable p;
	struct pst_scan *s;
	const struct pst_node *z;
	(void)state;
	make_patchable(d, &p);
	put16(p.entry_d, 0x1ff0);
	p.inode_z[20] = 7; /* fragment index */
	snprintf(path, sizeof(path), "%s/bad.sqfs", d);
	th_write(path, p.img, p.len);
	s = th_scan(path, 2);
	assert_null(th_node(s, "bad.sqfs!/d"));
	z = th_node(s, "bad.sqfs!/z");
	assert_non_null(z);
	assert_true(z->flags & PST_NODE_INCOMPLETE);
	assert_non_null(th_finding(s, "unpack.damaged", "bad.sqfs"));
	pst_scan_free(s);
	free(p.img);

	/* Unpatched, the same image is clean: the patches made the damage. */
	make_patchable(d, &p);
	snprintf(path, sizeof(path), "%s/cyc.sqfs", d);
	s = th_scan(path, 2);
	assert_non_null(th_node(s, "cyc.sqfs!/d/f"));
	assert_int_equal(pst_scan_coverage(s)->incomplete, 0);
	pst_scan_free(s);
	free(p.img);
	th_rmtree(d);
}

/* A file over the per-file limit is cut at the limit, flagged, reported;
 * the rest of the tree is complete. */
static void test_file_limit(void **state)
{
	char *d = th_tmpdir(), path[4200];
	struct pst_scan *s;
	const struct pst_node *n;
	(void)state;
	make_tree(d);
	make_image(d, "gzip", "fs.sqfs");
	snprintf(path, sizeof(path), "%s/fs.sqfs", d);
	s = th_scan_file_limit(path, 200000);
	th_cut_by_limit(s, "fs.sqfs!/a/rand", 200000);
	n = th_node(s, "fs.sqfs!/a/owned");
	assert_non_null(n);
	assert_int_equal(n->size, 2);
	assert_false(n->flags & PST_NODE_INCOMPLETE);
	pst_scan_free(s);
	th_rmtree(d);
}

/* A tree `levels` deep (in/d/d/.../d/bottom) as fs.sqfs; scanned with a
 * path limit; returns the scan. */
static struct pst_scan *scan_deep(const char *d, unsigned levels, unsigned max_path)
{
	char path[4200];
	struct pst_options o;
	th_sh("cd %s && rm -rf in && p=in && for i in $(seq %u); do p=$p/d; done && mkdir -p $p && "
	      "echo deep > $p/bottom && mksquashfs in fs.sqfs -noappend -quiet -no-progress > /dev/null",
	      d, levels);
	snprintf(path, sizeof(path), "%s/fs.sqfs", d);
	pst_options_default(&o);
	o.limits.max_path = max_path;
	return th_scan_opts(path, &o);
}

/* Directory nesting is bounded in one place (pst_sink_nest: half the path
 * limit, at most PST_NEST_MAX): deeper levels are not entered, reported as
 * limit.path, the image incomplete; a tree within the bound is read whole. */
static void test_deep_nesting(void **state)
{
	char *d = th_tmpdir();
	struct pst_scan *s;
	(void)state;
	s = scan_deep(d, 300, 4096);
	assert_non_null(th_node(s, "/bottom"));
	assert_int_equal(th_count_nodes(s, "fs.sqfs!/d"), 301);
	assert_null(th_finding(s, "limit.path", NULL));
	assert_false(th_node(s, "fs.sqfs")->flags & PST_NODE_INCOMPLETE);
	pst_scan_free(s);

	s = scan_deep(d, 300, 200); /* at most 100 levels */
	assert_null(th_node(s, "/bottom"));
	assert_int_equal(th_count_nodes(s, "fs.sqfs!/d"), 101); /* d101 seen, not entered */
	assert_non_null(th_finding(s, "limit.path", "fs.sqfs"));
	assert_true(th_node(s, "fs.sqfs")->flags & PST_NODE_INCOMPLETE);
	pst_scan_free(s);

	s = scan_deep(d, 600, 4096); /* PST_NEST_MAX */
	assert_null(th_node(s, "/bottom"));
	assert_int_equal(th_count_nodes(s, "fs.sqfs!/d"), 513);
	assert_non_null(th_finding(s, "limit.path", "fs.sqfs"));
	pst_scan_free(s);
	th_rmtree(d);
}

/* Not ours: squashfs 3.x and big-endian images, other versions. */
static void test_bid_rejects(void **state)
{
	char *d = th_tmpdir(), path[4200];
	extern const struct pst_unpacker pst_unpacker_squashfs;
	uint8_t *img;
	size_t len;
	uint8_t copy[4096];
	(void)state;
	make_tree(d);
	make_image(d, "gzip", "fs.sqfs");
	snprintf(path, sizeof(path), "%s/fs.sqfs", d);
	img = th_read(path, &len);
	memcpy(copy, img, sizeof(copy));
	assert_true(pst_unpacker_squashfs.bid(copy, sizeof(copy)) > 0);
	copy[28] = 3; /* version 3.0 */
	assert_int_equal(pst_unpacker_squashfs.bid(copy, sizeof(copy)), 0);
	memcpy(copy, img, sizeof(copy));
	memcpy(copy, "sqsh", 4);
	assert_int_equal(pst_unpacker_squashfs.bid(copy, sizeof(copy)), 0);
	memcpy(copy, img, sizeof(copy));
	copy[22] = 16; /* block_log disagrees with block_size */
	assert_int_equal(pst_unpacker_squashfs.bid(copy, sizeof(copy)), 0);
	memcpy(copy, img, sizeof(copy));
	copy[20] = 9; /* unknown compressor */
	assert_int_equal(pst_unpacker_squashfs.bid(copy, sizeof(copy)), 0);
	assert_int_equal(pst_unpacker_squashfs.bid(img, 95), 0);
	free(img);
	th_rmtree(d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_compressor),
		cmocka_unit_test(test_carved_at_offset),
		cmocka_unit_test(test_third_party_image),
		cmocka_unit_test(test_truncated_and_flipped),
		cmocka_unit_test(test_deterministic),
		cmocka_unit_test(test_directory_cycle),
		cmocka_unit_test(test_out_of_range_references),
		cmocka_unit_test(test_file_limit),
		cmocka_unit_test(test_deep_nesting),
		cmocka_unit_test(test_bid_rejects),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
