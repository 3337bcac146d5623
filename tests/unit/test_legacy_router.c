/* test_legacy_router.c - router images in the old layouts: a U-Boot header
 * with an LZMA kernel, then (64 KiB aligned, in erased-flash padding) the
 * root filesystem as squashfs 3.x LZMA (both framings), cramfs or JFFS2.
 * A back door planted in the root filesystem (an init script
 * starting a root shell, an empty root password, a MIPS binary) must come
 * out at its location, classified, and fail the verdict, exactly as from a
 * modern image. */
#include "th_tree.h"

static void router(const char *mkfs, const char *seg)
{
	char *d = th_tmpdir(), img[4200], want[256];
	struct pst_scan *s;
	const struct pst_node *n;

	th_sh("cd %s && mkdir -p root/etc/init.d root/usr/sbin root/bin && "
	      "printf 'root::0:0:root:/root:/bin/sh\\n' > root/etc/passwd && "
	      "printf '#!/bin/sh\\n/usr/sbin/telnetd -l /bin/sh -p 2323 &\\n' > root/etc/init.d/rcS && "
	      "chmod 755 root/etc/init.d/rcS && "
	      "printf 'int main(void){return 0;}\\n' > bd.c && "
	      "(mipsel-linux-gnu-gcc -O2 -o root/usr/sbin/backdoor bd.c 2>/dev/null || "
	      " printf '\\177ELF' > root/usr/sbin/backdoor) && "
	      "randbytes 300000 test_legacy_router1 > vmlinux && xz --format=lzma -c vmlinux > vmlinux.lzma && "
	      "mkimage -A mips -O linux -T kernel -C lzma -a 0x80002000 -e 0x80002000 -n linux "
	      "-d vmlinux.lzma uimage >/dev/null && %s && "
	      "{ cat uimage; head -c $(( 0x60000 - $(stat -c %%s uimage) )) /dev/zero | tr '\\0' '\\377'; "
	      "  cat rootfs; head -c 65536 /dev/zero | tr '\\0' '\\377'; } > img",
	      d, mkfs);
	snprintf(img, sizeof(img), "%s/img", d);
	s = th_scan(img, 2);
	snprintf(want, sizeof(want), "img!%s@0x60000!/etc/init.d/rcS", seg);
	n = th_node(s, want);
	if (!n)
		fail_msg("%s not found", want);
	assert_int_equal(n->kind, PST_KIND_SCRIPT);
	snprintf(want, sizeof(want), "img!%s@0x60000!/etc/passwd", seg);
	assert_non_null(th_node(s, want));
	snprintf(want, sizeof(want), "img!%s@0x60000!/usr/sbin/backdoor", seg);
	n = th_node(s, want);
	assert_non_null(n);
	assert_non_null(th_node(s, "img!/kernel"));
	/* ... and the back door is found, exactly as in the modern layout. */
	snprintf(want, sizeof(want), "img!%s@0x60000!/etc/init.d/rcS", seg);
	assert_non_null(th_finding(s, "service.unauthenticated-shell", want));
	snprintf(want, sizeof(want), "img!%s@0x60000!/etc/passwd", seg);
	assert_non_null(th_finding(s, "account.empty-password", want));
	assert_int_equal(pst_scan_verdict(s), PST_VERDICT_FAIL);
	assert_int_equal(pst_scan_coverage(s)->incomplete, 0);
	assert_int_equal(pst_scan_coverage(s)->unexplained_bytes, 0);
	pst_scan_free(s);
	th_rmtree(d);
}

static void test_squashfs3_lzma(void **state)
{
	char mk[512];
	(void)state;
	snprintf(mk, sizeof(mk), "python3 %s/tests/tools/mksquashfs3.py root rootfs --endian little --comp lzma",
		 getenv("SRC"));
	router(mk, "squashfs-old");
}

static void test_squashfs3_be_lzma_props(void **state)
{
	char mk[512];
	(void)state;
	snprintf(mk, sizeof(mk), "python3 %s/tests/tools/mksquashfs3.py root rootfs --endian big --comp lzma-props",
		 getenv("SRC"));
	router(mk, "squashfs-old");
}

static void test_cramfs(void **state) { (void)state; router("mkfs.cramfs -N big root rootfs >/dev/null", "cramfs"); }
static void test_jffs2(void **state) { (void)state; router("mkfs.jffs2 -b -r root -o rootfs", "jffs2"); }

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_squashfs3_lzma),
		cmocka_unit_test(test_squashfs3_be_lzma_props),
		cmocka_unit_test(test_cramfs),
		cmocka_unit_test(test_jffs2),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
