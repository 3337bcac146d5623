/*
 * schema.h - the service's schema as numbered migrations, one list for both
 * engines (each migration in each engine's dialect, side by side, so the
 * two cannot drift apart unnoticed). A store applies, at open, every
 * migration above the version recorded in schema_version, each in its own
 * transaction; a store newer than this binary is refused.
 */
#ifndef PST_SERVICE_SCHEMA_H
#define PST_SERVICE_SCHEMA_H

struct pst_migration {
	int version;
	const char *what;
	const char *sqlite;
	const char *postgres;
};

extern const struct pst_migration pst_migrations[];
extern const int pst_schema_version; /* the last migration's number */

#endif
