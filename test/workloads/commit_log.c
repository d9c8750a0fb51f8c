/* a commit log: COUNT commits, each appends KIB KiB to one file and makes it
 * durable with fdatasync, after an optional pause of SLEEP_US in the commit
 * path (a think time: waiting, not a slower syscall); the check gate's
 * injected regressions are more data per commit, or the pause */
#include <fcntl.h>
#include <stdio.h>
#include <time.h>
#include "workdir.h"

static void commit(int fd, const char *path, const char *buf, long kib, long sleep_us)
{
	for (long k = 0; k < kib; k++)
		if (write(fd, buf + k * 1024, 1024) != 1024)
			fail("write", path);
	if (sleep_us > 0) {
		struct timespec ts = { sleep_us / 1000000, (sleep_us % 1000000) * 1000 };
		nanosleep(&ts, NULL);
	}
	if (fdatasync(fd))
		fail("fdatasync", path);
}

int main(int argc, char **argv)
{
	static char buf[1024 * 1024];
	char dir[PATH_MAX], path[PATH_MAX + 16];
	long n, kib, sleep_us;
	int fd;

	arg_max(argc, argv, 4, "[COUNT [KIB [SLEEP_US [DIR]]]]");
	n = arg_long(argc, argv, 1, 200, 0);
	kib = arg_long(argc, argv, 2, 4, 1);
	sleep_us = arg_long(argc, argv, 3, 0, 0);
	if (kib > 1024) {
		fprintf(stderr, "%s: KIB must be at most 1024\n", argv[0]);
		return 2;
	}
	make_workdir(argc, argv, 4, "commit_log", dir, sizeof(dir));
	snprintf(path, sizeof(path), "%s/log", dir);
	memset(buf, 'x', sizeof(buf));
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0)
		fail("open", path);
	for (long i = 0; i < n; i++)
		commit(fd, path, buf, kib, sleep_us);
	close(fd);
	unlink(path);
	rmdir(dir);
	return 0;
}
