/* Test implant (never executed): C2 traffic obfuscated with an inlined,
 * renamed RC4 (no symbol names it once stripped). */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

struct ctx { unsigned char s[256]; unsigned char i, j; };

static void mix_init(struct ctx *c, const unsigned char *k, size_t kl)
{
	unsigned i, j = 0;
	for (i = 0; i < 256; i++)
		c->s[i] = (unsigned char)i;
	for (i = 0; i < 256; i++) {
		unsigned char t = c->s[i];
		j = (j + t + k[i % kl]) & 0xff;
		c->s[i] = c->s[j];
		c->s[j] = t;
	}
	c->i = c->j = 0;
}

static void mix_apply(struct ctx *c, unsigned char *d, size_t n)
{
	unsigned char i = c->i, j = c->j, t;
	size_t k;
	for (k = 0; k < n; k++) {
		i++;
		t = c->s[i];
		j += t;
		c->s[i] = c->s[j];
		c->s[j] = t;
		d[k] ^= c->s[(unsigned char)(c->s[i] + t)];
	}
	c->i = i;
	c->j = j;
}

int main(void)
{
	static const unsigned char key[] = "k3y-0f-th3-d4y";
	unsigned char buf[512];
	struct ctx c;
	struct sockaddr_in a;
	ssize_t n;
	int s = socket(AF_INET, SOCK_STREAM, 0);
	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_port = htons(443);
	a.sin_addr.s_addr = htonl(0x0a000001);
	if (connect(s, (struct sockaddr *)&a, sizeof(a)) != 0)
		return 1;
	mix_init(&c, key, sizeof(key) - 1);
	while ((n = read(s, buf, sizeof(buf))) > 0) {
		mix_apply(&c, buf, (size_t)n);
		write(1, buf, (size_t)n);
	}
	return 0;
}
