/* nvram_stub.c - stands in for a router's libnvram and for libcrypt's
 * crypt() (the cross toolchains have no libcrypt), built as libnvram.so or
 * linked into the static builds. Never run. */
#include <string.h>
static char store[256];
char *nvram_get(const char *name) { return name[0] ? store : 0; }
int nvram_set(const char *name, const char *value) { strncpy(store, value, sizeof(store) - 1); return name[0]; }
int nvram_commit(void) { return 0; }
int nvram_getall(char *buf, int len) { strncpy(buf, store, (size_t)len); return 0; }
char *crypt(const char *key, const char *salt) { return key[0] ? store : (char *)salt; }
