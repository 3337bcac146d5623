/*
 * buildinfo.c - what the library was built from and with: the git commit
 * (generated/pst_commit.h, rewritten by the build when HEAD moves) and, per
 * linked library, the version its pkg-config file declared at configure time
 * (generated/pst_deps.h) beside the version the library reports at run time,
 * so a bug report shows both when a system library was upgraded under us.
 */
#include <stdio.h>
#include <string.h>
#include <archive.h>
#include <bzlib.h>
#include <capstone/capstone.h>
#include <ext2fs/ext2fs.h>
#include <jansson.h>
#include <lz4.h>
#include <lzma.h>
#include <lzo/lzoconf.h>
#include <openssl/crypto.h>
#include <seccomp.h>
#include <sodium.h>
#include <sqlite3.h>
#include <yaml.h>
#include <zlib.h>
#include <zstd.h>
#include "postern/postern.h"
#include "pst_commit.h"
#include "pst_deps.h"

const char *pst_build_commit(void)
{
	return PST_GIT_COMMIT;
}

/* "libarchive 3.6.2 zlib/..." -> "3.6.2" into buf. */
static const char *archive_loaded(char *buf, size_t len)
{
	const char *s = archive_version_string();
	const char *sp = strchr(s, ' ');
	snprintf(buf, len, "%s", sp ? sp + 1 : s);
	return buf;
}

/* "1.0.8, 13-Jul-2019" -> "1.0.8". */
static const char *bz2_loaded(char *buf, size_t len)
{
	const char *s = BZ2_bzlibVersion();
	snprintf(buf, len, "%.*s", (int)strcspn(s, ","), s);
	return buf;
}

static const char *capstone_loaded(char *buf, size_t len)
{
	int major = 0, minor = 0;
	cs_version(&major, &minor);
	snprintf(buf, len, "%d.%d", major, minor);
	return buf;
}

static const char *seccomp_loaded(char *buf, size_t len)
{
	const struct scmp_version *v = seccomp_version();
	if (!v)
		return NULL;
	snprintf(buf, len, "%u.%u.%u", v->major, v->minor, v->micro);
	return buf;
}

static const char *ext2fs_loaded(void)
{
	const char *ver = NULL, *date = NULL;
	ext2fs_get_library_version(&ver, &date);
	return ver;
}

void pst_build_libraries(void (*fn)(const char *name, const char *built, const char *loaded,
				    void *ctx),
			 void *ctx)
{
	char buf[64];

	fn("libarchive", PST_DEP_LIBARCHIVE, archive_loaded(buf, sizeof(buf)), ctx);
	fn("libsquashfs", PST_DEP_LIBSQUASHFS1, NULL, ctx);
	fn("libyara", PST_DEP_YARA, NULL, ctx);
	fn("capstone", PST_DEP_CAPSTONE, capstone_loaded(buf, sizeof(buf)), ctx);
	fn("OpenSSL", PST_DEP_LIBCRYPTO, OpenSSL_version(OPENSSL_VERSION_STRING), ctx);
	fn("libyaml", PST_DEP_YAML_0_1, yaml_get_version_string(), ctx);
	fn("jansson", PST_DEP_JANSSON, jansson_version_str(), ctx);
	fn("libsodium", PST_DEP_LIBSODIUM, sodium_version_string(), ctx);
	fn("libseccomp", PST_DEP_LIBSECCOMP, seccomp_loaded(buf, sizeof(buf)), ctx);
	fn("zlib", PST_DEP_ZLIB, zlibVersion(), ctx);
	fn("liblzma", PST_DEP_LIBLZMA, lzma_version_string(), ctx);
	fn("libzstd", PST_DEP_LIBZSTD, ZSTD_versionString(), ctx);
	fn("liblz4", PST_DEP_LIBLZ4, LZ4_versionString(), ctx);
	fn("lzo2", PST_DEP_LZO2, lzo_version_string(), ctx);
	fn("libbz2", NULL, bz2_loaded(buf, sizeof(buf)), ctx);
	fn("sqlite3", PST_DEP_SQLITE3, sqlite3_libversion(), ctx);
	fn("ext2fs", PST_DEP_EXT2FS, ext2fs_loaded(), ctx);
	fn("libcrypt", PST_DEP_LIBCRYPT, NULL, ctx);
}
