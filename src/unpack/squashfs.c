/* squashfs.c - placeholder until the real unpacker lands. */
#include "internal.h"
static unsigned bid(const uint8_t *h, size_t len) { (void)h; (void)len; return 0; }
static enum pst_err unpack(struct pst_sink *k, struct pst_view in) { (void)k; (void)in; return PST_EUNSUPPORTED; }
const struct pst_unpacker pst_unpacker_squashfs = { "squashfs", PST_KIND_ARCHIVE, 0, NULL, bid, unpack };
