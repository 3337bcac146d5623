/* crypt.c - a stub libcrypt.so for cross builds of the test programs (the
 * cross toolchains have no libxcrypt): only crypt()'s symbol matters, the
 * programs are never run. */
char *crypt(const char *key, const char *salt);

char *crypt(const char *key, const char *salt)
{
	(void)key;
	return (char *)salt;
}
