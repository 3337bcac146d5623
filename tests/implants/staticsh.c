/* Clean counterpart (never executed): a tiny stand-alone shell in the
 * style of sash, linked statically. It expands ~user with getpwnam (which
 * brings in glibc's NSS: the resolver's sockets, nscd's connect, the
 * /etc/shadow table), redirects output with open and dup2 and runs
 * commands through /bin/sh. No socket of its own: no shell rule may fire. */
#include <fcntl.h>
#include <pwd.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static void run(char *line)
{
	char *out = strchr(line, '>');
	pid_t pid = fork();
	if (pid == 0) {
		if (out) {
			int fd;
			*out++ = 0;
			while (*out == ' ')
				out++;
			fd = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0644);
			if (fd >= 0)
				dup2(fd, 1);
		}
		execl("/bin/sh", "sh", "-c", line, (char *)0);
		_exit(127);
	}
	if (pid > 0)
		waitpid(pid, NULL, 0);
}

int main(void)
{
	char line[512];
	while (fputs("> ", stdout), fgets(line, sizeof(line), stdin)) {
		line[strcspn(line, "\n")] = 0;
		if (line[0] == '~') {
			struct passwd *pw = getpwnam(line + 1);
			if (pw && chdir(pw->pw_dir) == 0)
				continue;
		}
		run(line);
	}
	return 0;
}
