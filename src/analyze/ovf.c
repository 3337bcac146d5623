/*
 * ovf.c - the OVF descriptor of a virtual appliance (DMTF DSP0243, Open
 * Virtualization Format): an OVA is a tar holding NAME.ovf first, then the
 * disks. The descriptor's ProductSection says what the appliance claims to
 * be: <Product>, <Vendor>, <Version> (or <FullVersion>). Those become a
 * component (type "application", pkg:generic/VENDOR/PRODUCT@VERSION) and
 * the facts ovf.product, ovf.vendor, ovf.version, so the report says which
 * product was vetted. A plain text search, not an XML parser: only these
 * element texts are read, entities are left as they are, and anything
 * outside the printable ASCII range is replaced.
 */
#include <stdio.h>
#include <string.h>
#include "access.h"
#include "components.h"

#define FIELD_MAX 128u

/* The text of the first element named tag (with or without a namespace
 * prefix, e.g. <Product> or <ovf:Product>) after from, trimmed; "" if none. */
static void element(struct pst_view v, size_t from, const char *tag, char out[FIELD_MAX + 1])
{
	size_t tl = strlen(tag), i, o = 0;
	out[0] = 0;
	for (i = from; i + tl + 2 < v.len; i++) {
		const char *p = (const char *)v.p + i;
		size_t j;
		if (*p != '<' || p[1] == '/')
			continue;
		/* skip a prefix "ovf:" */
		for (j = 1; i + j < v.len && j < 32 && p[j] != ':' && p[j] != '>' && p[j] != ' ';
		     j++)
			;
		j = (i + j < v.len && p[j] == ':') ? j + 1 : 1;
		if (i + j + tl >= v.len || memcmp(p + j, tag, tl) != 0 ||
		    (p[j + tl] != '>' && p[j + tl] != ' '))
			continue;
		for (i += j + tl; i < v.len && v.p[i] != '>'; i++)
			;
		for (i++; i < v.len && v.p[i] != '<' && o < FIELD_MAX; i++) {
			uint8_t c = v.p[i];
			if (o == 0 && (c == ' ' || c == '\t' || c == '\r' || c == '\n'))
				continue;
			out[o++] = c >= 0x20 && c < 0x7f ? (char)c : ' ';
		}
		while (o && out[o - 1] == ' ')
			o--;
		out[o] = 0;
		return;
	}
}

/* Spaces become '-' for the component's name (components are
 * space-separated records, src/analyze/components.c). */
static void dashed(const char *s, char *out)
{
	size_t i;
	for (i = 0; s[i]; i++)
		out[i] = s[i] == ' ' ? '-' : s[i];
	out[i] = 0;
}

void pst_ovf_read(const struct pst_file *f)
{
	struct pst_view v = pst_view_sub(f->data, 0, PST_CAP_OVF_BYTES);
	char product[FIELD_MAX + 1], vendor[FIELD_MAX + 1], version[FIELD_MAX + 1];
	char pname[FIELD_MAX + 1], vname[FIELD_MAX + 1], ev[3 * FIELD_MAX + 64];
	int64_t sec = pst_view_find(v, 0, "ProductSection", 14);
	struct pst_str purl;

	if (sec < 0 && f->data.len > PST_CAP_OVF_BYTES)
		pst_cap_hit(f->scan, f->node, "PST_CAP_OVF_BYTES",
			    "OVF descriptor past its first %u MiB: its ProductSection was "
			    "not looked for there", (unsigned)(PST_CAP_OVF_BYTES >> 20));
	if (sec < 0)
		return;
	element(v, (size_t)sec, "Product", product);
	element(v, (size_t)sec, "Vendor", vendor);
	element(v, (size_t)sec, "Version", version);
	if (!version[0])
		element(v, (size_t)sec, "FullVersion", version);
	if (product[0])
		pst_fact_add(f->scan, f->node, "ovf.product", product);
	if (vendor[0])
		pst_fact_add(f->scan, f->node, "ovf.vendor", vendor);
	if (version[0])
		pst_fact_add(f->scan, f->node, "ovf.version", version);
	dashed(product, pname);
	dashed(vendor, vname);
	if (!pst_component_plain(pname) || !pst_component_plain(version))
		return;
	pst_str_init(&purl, 1024);
	pst_str_puts(&purl, "pkg:generic/");
	if (pst_component_plain(vname)) {
		pst_purl_enc(&purl, vname);
		pst_str_putc(&purl, '/');
	}
	pst_purl_enc(&purl, pname);
	pst_str_putc(&purl, '@');
	pst_purl_enc(&purl, version);
	snprintf(ev, sizeof(ev), "OVF ProductSection: %s, vendor %s, version %s", product,
		 vendor[0] ? vendor : "(none)", version);
	if (!purl.err)
		pst_component_emit(f, "application", pname, version, purl.p, NULL,
				   "manifest-analysis", ev);
	pst_str_free(&purl);
}
