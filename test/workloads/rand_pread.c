/* random reads: creates a COUNT x 4 KiB file, then COUNT preads at random 4 KiB offsets */
#include <fcntl.h>
#include <unistd.h>
#include "common.h"

int main(int argc, char **argv)
{
	const char *path;
	long n = parse_args(argc, argv, &path);
	static char buf[4096];
	unsigned long x = 88172645463325252UL;	/* fixed seed: the same offsets every run */
	int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);

	if (fd < 0)
		fail("open", path);
	if (ftruncate(fd, n * 4096L))
		fail("ftruncate", path);
	for (long i = 0; i < n; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		if (pread(fd, buf, sizeof(buf), (long)(x % n) * 4096L) != sizeof(buf))
			fail("pread", path);
	}
	close(fd);
	return 0;
}
