/*
 * a64shapes.c - test program (never executed), AArch64 only: a command
 * server on TCP 7329 whose sockaddr is built the ways the constant tracker
 * (src/analyze/netconst.c) must follow, written in assembly so that the
 * compiler cannot fold them back into movz/movk:
 *   SHAPE=1  family | port << 16 by a shifted operand (orr w8, w8, w9, lsl #16)
 *   SHAPE=2  the port put beside the family by lsl and bfi
 *   SHAPE=3  the whole sockaddr copied from .rodata through a q register
 *            (ldr q0, [x8] / stur q0, [x29, #-16]: clang's struct copy)
 *   SHAPE=4  a zeroing movi/stp q0, q0 and the first 8 bytes through
 *            fmov d1, x8 / str d1
 *   SHAPE=5  as 3, but the q register is changed by an instruction the
 *            tracker does not follow (eor with an unknown register) before
 *            the store: no port may be read
 * Then it accepts a connection and runs what it reads through system().
 * htons(7329) is 0xa11c as a little-endian halfword.
 */
#include <netinet/in.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>
#define S_(x) #x
#define S(x) S_(x)

int open_bound(void);

__asm__(".section .rodata\n"
	".balign 16\n"
	"addr_const:\n"
	".hword 2\n"                 /* AF_INET */
	".byte 0x1c, 0xa1\n"         /* port 7329, network order */
	".word 0, 0, 0\n"
	".text\n"
	".globl open_bound\n"
	".type open_bound, %function\n"
	"open_bound:\n"
	"stp x29, x30, [sp, #-64]!\n"
	"mov x29, sp\n"
	"str x19, [sp, #16]\n"
	"mov w0, #2\n"
	"mov w1, #1\n"
	"mov w2, #0\n"
	"bl socket\n"
	"mov w19, w0\n"
#if SHAPE == 1
	"mov w8, #2\n"
	"mov w9, #0xa11c\n"
	"orr w8, w8, w9, lsl #16\n"
	"str w8, [sp, #32]\n"
	"str xzr, [sp, #36]\n"
	"str wzr, [sp, #44]\n"
#elif SHAPE == 2
	"mov w9, #0xa11c\n"
	"lsl w9, w9, #16\n"
	"lsr w9, w9, #16\n"
	"mov w8, #2\n"
	"bfi w8, w9, #16, #16\n"
	"str w8, [sp, #32]\n"
	"str xzr, [sp, #36]\n"
	"str wzr, [sp, #44]\n"
#elif SHAPE == 3 || SHAPE == 5
	"adrp x8, addr_const\n"
	"add x8, x8, :lo12:addr_const\n"
	"ldr q0, [x8]\n"
#if SHAPE == 5
	"eor v0.16b, v0.16b, v2.16b\n"
#endif
	"stur q0, [x29, #32]\n"
#else
	"movi v0.2d, #0\n"
	"stp q0, q0, [sp, #32]\n"
	"mov w8, #2\n"
	"movk w8, #0xa11c, lsl #16\n"
	"fmov d1, x8\n"
	"str d1, [sp, #32]\n"
#endif
	"mov w0, w19\n"
	"add x1, sp, #32\n"
	"mov w2, #16\n"
	"bl bind\n"
	"mov w0, w19\n"
	"ldr x19, [sp, #16]\n"
	"ldp x29, x30, [sp], #64\n"
	"ret\n");

int main(int c, char **v)
{
	char b[64];
	int s = open_bound(), k;
	(void)v;
	if (s < 0 || listen(s, 5) < 0)
		return 1;
	k = accept(s, 0, 0);
	b[read(k, b, 63) & 63] = 0;
	return system(b) + c;
}
