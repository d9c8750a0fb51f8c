/* process churn: COUNT short-lived children one after another (0: until killed);
 * each opens PATH, writes 64 bytes, closes it and exits. About 2 ms apart. */
#include <fcntl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "common.h"

int main(int argc, char **argv)
{
	const char *path;
	long n = parse_args(argc, argv, &path);
	static const char line[64] = "churn\n";
	struct timespec gap = { 0, 2 * 1000 * 1000 };

	for (long i = 0; n == 0 || i < n; i++) {
		pid_t pid = fork();

		if (pid < 0)
			fail("fork", path);
		if (pid == 0) {
			int fd = open(path, O_WRONLY | O_CREAT | O_APPEND, 0644);

			if (fd < 0 || write(fd, line, sizeof(line)) != sizeof(line))
				_exit(1);
			close(fd);
			_exit(0);
		}
		if (waitpid(pid, NULL, 0) < 0)
			fail("waitpid", path);
		nanosleep(&gap, NULL);
	}
	return 0;
}
