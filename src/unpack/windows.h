/*
 * windows.h - the decoder windows libarchive opens inside itself, read from
 * the compressed data's own headers before libarchive is handed it, so the
 * memory budget can be charged for them (docs/limits.md, "Decoder windows
 * inside libarchive").
 */
#ifndef PST_UNPACK_WINDOWS_H
#define PST_UNPACK_WINDOWS_H

#include "archive.h"

/* Used when an xz block header cannot be read, so its dictionary is not
 * known: liblzma's largest preset dictionary (xz -9, -9e). */
#define PST_WINDOW_DEFAULT (64ull << 20)

/* What a decoder may keep resident: its window's pages are written only as
 * output fills them, so at most min(dict, out). */
struct pst_window {
	uint64_t dict;   /* the largest window the headers declare */
	uint64_t out;    /* most bytes the decoder can produce; UINT64_MAX: not known */
	bool guessed;    /* a header could not be read: dict is PST_WINDOW_DEFAULT or more */
	const char *codec;
};

/* min(w->dict, w->out). */
uint64_t pst_window_resident(const struct pst_window *w);

/* Each reads one codec's headers from the start of v; false when v does not
 * start with that codec's magic (w then untouched). A stream damaged past its
 * magic still gives a bound: what the decoder can reach before the damage
 * stops it, or the conservative default. */
bool pst_window_xz(struct pst_view v, struct pst_window *w);
bool pst_window_lzma(struct pst_view v, struct pst_window *w);
bool pst_window_zstd(struct pst_view v, struct pst_window *w);

/* The largest folder of a 7z archive: the sum over its coders of
 * min(window, output), plus BCJ2's buffered side streams. An encoded header
 * is decoded into scratch (fresh from pst_sink_obuf, freed by the caller;
 * NULL: an uncharged buffer of its own). A header that cannot be read gives
 * PST_WINDOW_DEFAULT, guessed. False when v is not a 7z. */
bool pst_window_7z(struct pst_view v, struct pst_window *w, struct pst_obuf *scratch);

/* The largest window of a zip's members (LZMA, xz, zstd, PPMd8), found
 * through the central directory, or the local headers when there is none. */
bool pst_window_zip(struct pst_view v, struct pst_window *w);

/* The payload of an rpm package as libarchive's rpm filter finds it: after
 * the 96-byte lead and the headers (each followed by zero padding). Empty
 * when the headers run past the end. */
struct pst_view pst_window_rpm_payload(struct pst_view in);

/* The window of the codec an rpm payload starts with. False for the codecs
 * whose state is small and fixed (gzip's 32 KiB window, bzip2's blocks of at
 * most 900 kB, lz4's blocks of at most 4 MiB) and for a payload that is not
 * compressed: nothing to charge. */
bool pst_window_payload(struct pst_view payload, struct pst_window *w);

/* Charges k's memory budget, for as long as libarchive decodes in as fmt
 * (an rpm payload's codec, a 7z's folders, a zip's members),
 * with the window its codec needs, through w (zeroed by the caller; freed
 * with pst_obuf_free once libarchive is freed). False when the budget cannot
 * give it: in is cut (limit.memory on it) and must not be decoded. */
bool pst_window_hold(struct pst_sink *k, struct pst_view in, enum pst_ar_fmt fmt,
		     struct pst_obuf *w);

#endif
