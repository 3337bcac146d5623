/* hexrec.h - what the Intel HEX and Motorola S-record unpackers share: hex
 * digit decoding and a builder that turns addressed records into binary
 * children, one per contiguous region. */
#ifndef PST_HEXREC_H
#define PST_HEXREC_H
#include "internal.h"

/* Gaps up to this size inside a region are filled with zeros (objcopy's
 * default gap fill); a larger gap, or a jump backwards, starts a new child. */
#define PST_HEXREC_GAP (64u * 1024u)

struct pst_hexrec {
	struct pst_sink *k;
	struct pst_obuf ob;
	uint64_t start;
	bool open;
	bool damaged;
};

/* Decodes the 2n hex digits at p into out; false on a non-hex digit. */
bool pst_hex_decode(const uint8_t *p, size_t n, uint8_t *out);
void pst_hexrec_init(struct pst_hexrec *b, struct pst_sink *k);
/* Places n bytes at addr. */
enum pst_err pst_hexrec_put(struct pst_hexrec *b, uint64_t addr, const uint8_t *p, size_t n);
/* Emits the open region (if any) and releases the builder. */
enum pst_err pst_hexrec_finish(struct pst_hexrec *b);
/* The line [off, end-of-line) of in, without CR/LF; *next gets the next line. */
struct pst_view pst_hexrec_line(struct pst_view in, uint64_t off, uint64_t *next);

/* Handles one non-empty line of a format: places its data with
 * pst_hexrec_put (its error in *rc), sets *end at the end record. Returns
 * false when the line is not a valid record. */
typedef bool (*pst_hexrec_record_fn)(struct pst_hexrec *b, struct pst_view line, void *ctx, bool *end,
				     enum pst_err *rc);
/* Reads in line by line up to the end record: a bad line, or no end record
 * (reported as no_end), is damage; the regions read become children. */
enum pst_err pst_hexrec_run(struct pst_sink *k, struct pst_view in, pst_hexrec_record_fn fn, void *ctx,
			    const char *no_end);
#endif
