/* sequential reads: creates a COUNT x 4 KiB file, then COUNT preads in order */
#include <fcntl.h>
#include <unistd.h>
#include "common.h"

int main(int argc, char **argv)
{
	const char *path;
	long n = parse_args(argc, argv, &path);
	static char buf[4096];
	int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);

	if (fd < 0)
		fail("open", path);
	if (ftruncate(fd, n * 4096L))
		fail("ftruncate", path);
	for (long i = 0; i < n; i++)
		if (pread(fd, buf, sizeof(buf), i * 4096L) != sizeof(buf))
			fail("pread", path);
	close(fd);
	return 0;
}
