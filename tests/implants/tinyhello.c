/* Test program (never executed): the silent counterpart of tinydl.c. A
 * libc-free hello world built the same way (-nostdlib -static -Os, the
 * same raw-syscall stubs): tiny and static, but it asks no server for
 * anything, so no downloader rule may fire on it. */
#include "tinydl-sys.h"

static const char msg[] = "hello, world\n";

void _start(void)
{
	sys3(__NR_write, 1, (long)msg, sizeof(msg) - 1);
	sys3(__NR_exit, 0, 0, 0);
}
