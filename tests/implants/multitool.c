/* Clean counterpart (never executed): a busybox-like multi-call binary with
 * cat, echo and ls. */
#include <dirent.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static int cat(int argc, char **argv)
{
	char buf[4096];
	int i;
	for (i = 1; i < argc; i++) {
		int fd = open(argv[i], O_RDONLY);
		ssize_t n;
		if (fd < 0) {
			perror(argv[i]);
			continue;
		}
		while ((n = read(fd, buf, sizeof(buf))) > 0)
			write(1, buf, (size_t)n);
		close(fd);
	}
	return 0;
}

static int ls(int argc, char **argv)
{
	DIR *d = opendir(argc > 1 ? argv[1] : ".");
	struct dirent *e;
	if (!d)
		return 1;
	while ((e = readdir(d)) != NULL)
		printf("%s\n", e->d_name);
	closedir(d);
	return 0;
}

int main(int argc, char **argv)
{
	const char *name = basename(argv[0]);
	int i;
	if (strcmp(name, "cat") == 0)
		return cat(argc, argv);
	if (strcmp(name, "ls") == 0)
		return ls(argc, argv);
	if (strcmp(name, "echo") == 0) {
		for (i = 1; i < argc; i++)
			printf("%s%s", argv[i], i + 1 < argc ? " " : "\n");
		return 0;
	}
	fprintf(stderr, "multitool: applets: cat echo ls\n");
	return 1;
}
