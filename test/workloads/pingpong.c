/* context switches: a parent and a child pass one byte back and forth COUNT
 * (default 100000) times over two pipes; pinned to one CPU (taskset -c 0),
 * every round trip is two blocking reads and two context switches.
 * Usage: pingpong [COUNT] */
#include <sys/wait.h>
#include "workdir.h"

int main(int argc, char **argv)
{
	int there[2], back[2];
	char c = 'x';
	long n;
	pid_t child;

	arg_max(argc, argv, 1, "[COUNT]");
	n = arg_long(argc, argv, 1, 100000, 0);
	if (pipe(there) || pipe(back))
		fail("pipe", "");
	child = fork();
	if (child < 0)
		fail("fork", "");
	if (child == 0) {
		for (long i = 0; i < n; i++)
			if (read(there[0], &c, 1) != 1 || write(back[1], &c, 1) != 1)
				fail("child read/write", "pipe");
		_exit(0);
	}
	for (long i = 0; i < n; i++)
		if (write(there[1], &c, 1) != 1 || read(back[0], &c, 1) != 1)
			fail("parent write/read", "pipe");
	waitpid(child, NULL, 0);
	return 0;
}
