/*
 * cargodep.c - the dependency list `cargo auditable` embeds in a Rust
 * program: ELF section .dep-v0, a zlib stream of JSON
 *   {"packages":[{"name","version","source","kind","dependencies"}...]}
 * (one entry per crate built into the program, the root crate with
 * "root": true). Components: one per package, pkg:cargo/NAME@VERSION; the
 * root crate is the application, the others libraries; a crate whose
 * name or version is longer than PST_CAP_PKG_FIELD is not listed (limit.cap
 * on the program). The stream is inflated into a buffer of at most
 * PST_CAP_CARGO_DEP_BYTES (a hit is limit.cap and nothing is listed: cut
 * JSON does not parse); a stream that does not inflate or JSON that does
 * not parse is unpack.damaged (what the program says it contains could not
 * be read).
 */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>
#include "components.h"
#include "elf.h"

#define DEP_SECTION ".dep-v0"

/* Inflates z into a fresh buffer of at most cap bytes. */
static enum pst_cargo_rc inflate_all(struct pst_view z, size_t cap, uint8_t **out, size_t *outlen)
{
	z_stream s;
	/* a guess from the compressed size, doubled as needed up to cap */
	size_t size = z.len < (cap - 256) / 4 ? z.len * 4 + 256 : cap;
	uint8_t *buf = malloc(size);
	enum pst_cargo_rc rc = PST_CARGO_DAMAGED;
	int zr = Z_OK;
	if (!buf)
		return PST_CARGO_NOMEM;
	memset(&s, 0, sizeof(s));
	if (inflateInit(&s) != Z_OK) {
		free(buf);
		return PST_CARGO_NOMEM;
	}
	s.next_in = (Bytef *)(uintptr_t)z.p;
	s.avail_in = (uInt)(z.len < UINT32_MAX ? z.len : UINT32_MAX);
	while (zr == Z_OK) {
		if (s.total_out == size) {
			uint8_t *nb;
			if (size == cap) {
				rc = PST_CARGO_CAP;
				break;
			}
			size = size > cap / 2 ? cap : size * 2;
			nb = realloc(buf, size);
			if (!nb) {
				rc = PST_CARGO_NOMEM;
				break;
			}
			buf = nb;
		}
		s.next_out = buf + s.total_out;
		s.avail_out = (uInt)(size - s.total_out);
		zr = inflate(&s, Z_NO_FLUSH);
	}
	if (zr == Z_STREAM_END)
		rc = PST_CARGO_OK;
	*outlen = s.total_out;
	inflateEnd(&s);
	if (rc != PST_CARGO_OK) {
		free(buf);
		return rc;
	}
	*out = buf;
	return rc;
}

enum pst_cargo_rc pst_cargodep_parse(struct pst_view z, pst_cargo_fn fn, void *ctx)
{
	uint8_t *js = NULL;
	size_t jlen = 0, i;
	json_t *root, *pkgs, *p;
	enum pst_cargo_rc rc = inflate_all(z, PST_CAP_CARGO_DEP_BYTES, &js, &jlen);
	if (rc != PST_CARGO_OK)
		return rc;
	root = json_loadb((const char *)js, jlen, 0, NULL);
	free(js);
	pkgs = json_object_get(root, "packages");
	if (!json_is_array(pkgs)) {
		json_decref(root);
		return PST_CARGO_DAMAGED;
	}
	json_array_foreach(pkgs, i, p) {
		const char *name = json_string_value(json_object_get(p, "name"));
		const char *ver = json_string_value(json_object_get(p, "version"));
		if (i == PST_CAP_CARGO_PACKAGES) {
			rc = PST_CARGO_MANY;
			break;
		}
		if (name && ver)
			fn(ctx, name, ver, json_is_true(json_object_get(p, "root")));
	}
	json_decref(root);
	return rc;
}

struct crates {
	const struct pst_file *f;
	bool cut; /* a name or version past PST_CAP_PKG_FIELD: that crate is not listed */
};

static void emit_crate(void *ctx, const char *name, const char *version, bool root)
{
	struct crates *c = ctx;
	const struct pst_file *f = c->f;
	struct pst_str purl, ev;
	if (!pst_component_plain(name) || !pst_component_plain(version))
		return;
	if (strlen(name) > PST_CAP_PKG_FIELD || strlen(version) > PST_CAP_PKG_FIELD) {
		c->cut = true;
		return;
	}
	pst_str_init(&purl, 4096);
	pst_str_init(&ev, 4096);
	pst_str_puts(&purl, "pkg:cargo/");
	pst_purl_enc(&purl, name);
	pst_str_putc(&purl, '@');
	pst_purl_enc(&purl, version);
	pst_str_putc(&purl, 0);
	pst_str_printf(&ev, "cargo auditable %s: %s %s", DEP_SECTION, name, version);
	pst_str_putc(&ev, 0);
	if (!purl.err && !ev.err)
		pst_component_emit(f, root ? "application" : "library", name, version, purl.p, NULL,
				   "manifest-analysis", ev.p);
	pst_str_free(&purl);
	pst_str_free(&ev);
}

void pst_cargodep_read(const struct pst_file *f)
{
	struct pst_elf_sect s;
	struct crates c = { .f = f };
	enum pst_cargo_rc rc;
	/* the section table alone: neither a search of the file's bytes nor a
	 * whole parse for the few programs that have the section */
	if (!pst_elf_find_section(f->data, DEP_SECTION, &s) || s.type == PST_SHT_NOBITS)
		return;
	if (!pst_view_has(f->data, s.off, s.size)) {
		pst_finding_add(f->scan, f->node, "unpack.damaged", PST_SEV_LOW, "coverage", s.off,
				DEP_SECTION, "cargo auditable %s: the section runs past the file",
				DEP_SECTION);
		return;
	}
	rc = pst_cargodep_parse(pst_view_sub(f->data, s.off, s.size), emit_crate, &c);
	if (c.cut)
		pst_field_cut(f);
	if (rc == PST_CARGO_CAP)
		pst_cap_hit(f->scan, f->node, "PST_CAP_CARGO_DEP_BYTES",
			    "cargo auditable %s: inflates past the cap, not listed", DEP_SECTION);
	else if (rc == PST_CARGO_MANY)
		pst_cap_hit(f->scan, f->node, "PST_CAP_CARGO_PACKAGES",
			    "cargo auditable %s: packages past the cap were not listed",
			    DEP_SECTION);
	else if (rc == PST_CARGO_NOMEM)
		pst_finding_add(f->scan, f->node, "unpack.resource", PST_SEV_MEDIUM, "coverage",
				s.off, DEP_SECTION, "cargo auditable %s: out of memory",
				DEP_SECTION);
	else if (rc == PST_CARGO_DAMAGED)
		pst_finding_add(f->scan, f->node, "unpack.damaged", PST_SEV_LOW, "coverage", s.off,
				DEP_SECTION, "cargo auditable %s: %s", DEP_SECTION,
				"the zlib stream or its JSON is damaged");
}
