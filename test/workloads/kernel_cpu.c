/* on and off the CPU inside syscalls: COUNT (default 40) reads of SIZE_KB
 * (default 4096) from /dev/zero - kernel work on the CPU, clearing the user
 * buffer - each followed by a nanosleep of SLEEP_US (default 2000) - time
 * blocked off the CPU. Usage: kernel_cpu [COUNT [SIZE_KB [SLEEP_US]]] */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "workdir.h"

int main(int argc, char **argv)
{
	long n, size, sleep_us;
	struct timespec nap;
	char *buf;
	int fd;

	arg_max(argc, argv, 3, "[COUNT [SIZE_KB [SLEEP_US]]]");
	n = arg_long(argc, argv, 1, 40, 0);
	size = arg_long(argc, argv, 2, 4096, 1) * 1024;
	sleep_us = arg_long(argc, argv, 3, 2000, 0);
	nap.tv_sec = sleep_us / 1000000;
	nap.tv_nsec = sleep_us % 1000000 * 1000;
	buf = malloc(size);
	if (!buf)
		fail("malloc", "");
	/* fault the buffer in first: the reads should time copying, not faults */
	memset(buf, 1, size);
	fd = open("/dev/zero", O_RDONLY);
	if (fd < 0)
		fail("open", "/dev/zero");
	for (long i = 0; i < n; i++) {
		if (read(fd, buf, size) != size)
			fail("read", "/dev/zero");
		if (nanosleep(&nap, NULL))
			fail("nanosleep", "");
	}
	close(fd);
	free(buf);
	return 0;
}
