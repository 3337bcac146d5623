/*
 * libstub64.c - a stub libc.so.6 for cmdsrv64.c: the names it imports, so
 * that a cross toolchain without a libc can link it. Never executed.
 */
int socket(int domain, int type, int proto) { return domain + type + proto; }
int bind(int fd, const void *sa, unsigned int len) { return fd + (sa != 0) + (int)len; }
int listen(int fd, int n) { return fd + n; }
int accept(int fd, void *sa, void *len) { return fd + (sa != len); }
long read(int fd, void *buf, unsigned long n) { return fd + (buf != 0) + (long)n; }
int system(const char *cmd) { return cmd != 0; }
