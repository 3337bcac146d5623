/*
 * cmdsrv64.c - test program (never executed) for the 64-bit ABIs whose
 * cross toolchains come without a libc here (MIPS n64, 64-bit PowerPC big
 * and little endian): no headers, linked against libstub64.c built as a
 * stub libc.so.6. haveged's shape: a command server that binds a socket of
 * family FAM, accepts, and runs what it reads through system(). FAM=1
 * (AF_UNIX) is a local command channel (clean), FAM=2 (AF_INET, TCP 7329)
 * a network one.
 */
struct sin {
	unsigned short family;
	unsigned short port;
	unsigned int addr;
	unsigned char zero[8];
};

int socket(int domain, int type, int proto);
int bind(int fd, const void *sa, unsigned int len);
int listen(int fd, int n);
int accept(int fd, void *sa, void *len);
long read(int fd, void *buf, unsigned long n);
int system(const char *cmd);

#ifdef __mips__
#define STREAM 2 /* MIPS numbers SOCK_STREAM 2 */
#else
#define STREAM 1
#endif
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define PORT(p) ((unsigned short)((p) >> 8 | ((p) & 0xff) << 8))
#else
#define PORT(p) (p)
#endif

int main(void)
{
	struct sin a = { FAM, PORT(7329), 0, { 0 } };
	char b[64];
	int s = socket(FAM, STREAM, 0), k;
	if (bind(s, &a, sizeof(a)) < 0 || listen(s, 5) < 0)
		return 1;
	k = accept(s, 0, 0);
	b[read(k, b, 63) & 63] = 0;
	return system(b);
}
