/*
 * nvram.c - a stub libnvram.so for the test implants (never executed):
 * the three functions router daemons import to read and write the device
 * configuration, so that cfgdaemon links dynamically the way a vendor's
 * daemon does.
 */
#include <stddef.h>

char *nvram_get(const char *name)
{
	(void)name;
	return NULL;
}

int nvram_set(const char *name, const char *value)
{
	(void)name;
	(void)value;
	return 0;
}

int nvram_commit(void)
{
	return 0;
}
