/*
 * services.h - what the services analyzer's two halves share: services.c
 * reads boot and login files and records what they start as facts;
 * services_link.c resolves those starts in the tree at the end of the scan.
 *
 * Facts (on the file that says it, values split with ACC_FS):
 *   svc.start   "PROG" (absolute) or "NAME<FS>PATH" (a bare name, looked up
 *               in PATH, colon-separated, as the shell would)
 *   svc.source  the same, for a file read with '.' or source
 *   svc.copy    "SRC<FS>DST": the directory SRC lands at DST at boot
 *   svc.defer   "SEV<FS>RULE<FS>OFF<FS>EVIDENCE<FS>MESSAGE": a finding of a
 *               file that is not a boot file by its path, reported once the
 *               finish phase knows it runs at boot
 */
#ifndef PST_SERVICES_H
#define PST_SERVICES_H

#include "access.h"
#include "svcrules.h"

/* BusyBox's built-in PATH (init and ash start with it) and systemd's. */
#define SVC_DEFAULT_PATH "/sbin:/usr/sbin:/bin:/usr/bin"
#define SVC_SYSTEMD_PATH "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

/* A boot or login file by its path (inittab, init.d, profile, crontabs...). */
bool svc_boot_path(const struct svc_rules *r, const char *path);

/* Records a finding of node n as an svc.defer fact. */
void svc_defer_add(struct pst_scan *s, const struct pst_node *n, const char *rule,
		   enum pst_severity sev, uint64_t off, const char *evidence, const char *msg,
		   const char *where);

/* The services analyzer's finish: links boot files to what they start. */
enum pst_err svc_finish(const void *st, const struct pst_tree *t);

#endif
