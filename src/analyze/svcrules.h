/*
 * svcrules.h - the services analyzer's knowledge as data: boot and login
 * file places, wrappers, downloaders, daemons with their flags and standard
 * ports, loaded from rules/services/\*.yaml (built in, then each --rules
 * directory's services/) with a schema check at load time. The format is in
 * docs/services-rules.md; services.c applies it.
 */
#ifndef PST_SVCRULES_H
#define PST_SVCRULES_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* How a boot file is read (services.c has one reader for each). */
enum svc_reader { SVC_R_SHELL, SVC_R_INITTAB, SVC_R_CRON_SYS, SVC_R_CRON_USER, SVC_R_SYSTEMD,
		  SVC_R_INETD, SVC_R_XINETD, SVC_R_SSHD, SVC_R_DROPBEAR_DEFAULT, SVC_R_CMDLINE };

/* Which check a daemon's command line gets. */
enum svc_dkind { SVC_D_TELNET, SVC_D_GETTY, SVC_D_NETCAT, SVC_D_SOCAT, SVC_D_SSH, SVC_D_SUPER,
		 SVC_D_WEB };

/* Word lists, by the YAML key that fills them. */
enum svc_words { SVC_W_PASS, SVC_W_PASS_PROGS, SVC_W_OPT_WRAPPERS, SVC_W_STOP, SVC_W_BUILTINS,
		 SVC_W_DL_SUBST, SVC_W_NET_PIPES, SVC_W_XINETD_EXEMPT, SVC_W_COUNT };

/* A NULL-terminated list of words (v is NULL when empty). */
struct svc_list {
	char **v;
	size_t n, cap;
};

/* One item of a services rule file; which fields are set depends on its kind. */
struct svc_entry {
	int kind;            /* the item's kind (svcrules.c) */
	int sub;             /* boot-file: enum svc_reader; daemon: enum svc_dkind */
	char *label;         /* the kind key's value */
	struct svc_list paths, under, names, globs, suffixes, except;
	struct svc_list programs, opts, exec_addr, listen_addr;
	char *login_opt, *port_opt, *setting, *value_opts;
	char listen_flag, blank_flag;
	unsigned arg;
	uint16_t ports[32];
	size_t nports;
};

struct svc_rules;

/* Loads the built-in rules/services/\*.yaml, then dirs' (NULL-terminated,
 * may be NULL) services/ subdirectories; NULL and "FILE:LINE: problem" in
 * err on an unknown key, a missing or wrong value, or out of memory. */
struct svc_rules *svc_rules_load(const char *const *dirs, char *err, size_t errlen);
/* The same for one file's text (tests, fuzzing): loaded after the built-ins
 * when builtin, else alone. */
struct svc_rules *svc_rules_load_text(const char *name, const char *text, size_t len, bool builtin,
				      char *err, size_t errlen);
void svc_rules_free(struct svc_rules *r);

/* The first boot-file item path matches; *reader gets its reader. False when
 * none matches or that item's name-suffixes leave the file out. */
bool svc_rules_boot(const struct svc_rules *r, const char *path, enum svc_reader *reader);
/* A file whose shell functions run only when it calls them. */
bool svc_rules_only_called(const struct svc_rules *r, const char *path);
/* Why a program at path is out of place (the suspicious-dir it is in), or NULL. */
const char *svc_rules_bad_dir(const struct svc_rules *r, const char *path);
/* w is in word list which. */
bool svc_rules_word(const struct svc_rules *r, enum svc_words which, const char *w);
/* The whole list (NULL-terminated; NULL when empty). */
const char *const *svc_rules_words(const struct svc_rules *r, enum svc_words which);
/* The downloader or daemon item for a program's file name, or NULL. */
const struct svc_entry *svc_rules_downloader(const struct svc_rules *r, const char *base);
const struct svc_entry *svc_rules_daemon(const struct svc_rules *r, const char *base);
/* port is one of e's standard ports. */
bool svc_entry_port(const struct svc_entry *e, unsigned long port);
#endif
