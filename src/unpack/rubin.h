/* rubin.h - the rubin arithmetic coder of JFFS2 (fs/jffs2/compr_rubin.c in
 * Linux): compressor ids 3 (rubinmips) and 5 (dynrubin). */
#ifndef PST_RUBIN_H
#define PST_RUBIN_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Decodes exactly dsize bytes of a rubinmips (dynamic false) or dynrubin
 * (dynamic true: 8 probability bytes, then the stream) node's data into out.
 * False when the stream is malformed or ends before dsize bytes. */
bool pst_rubin_decode(const uint8_t *in, size_t len, bool dynamic, uint8_t *out, size_t dsize);
#endif
