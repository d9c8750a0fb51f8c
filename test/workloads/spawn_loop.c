/* process start-up: runs PROGRAM (default /bin/true) COUNT (default 20)
 * times, one after the other, waiting for each (a shell loop calling a
 * command per item, in miniature).
 * Usage: spawn_loop [COUNT [PROGRAM]] */
#include <sys/wait.h>
#include "workdir.h"

int main(int argc, char **argv)
{
	const char *prog;
	long n;

	arg_max(argc, argv, 2, "[COUNT [PROGRAM]]");
	n = arg_long(argc, argv, 1, 20, 1);
	prog = argc > 2 ? argv[2] : "/bin/true";
	for (long i = 0; i < n; i++) {
		pid_t child = fork();
		int status;

		if (child < 0)
			fail("fork", "");
		if (child == 0) {
			execl(prog, prog, (char *)NULL);
			_exit(127);
		}
		if (waitpid(child, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
			fail("run", prog);
	}
	return 0;
}
