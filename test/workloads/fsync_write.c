/* synchronous file I/O: COUNT times write 4 KiB then fsync */
#include <fcntl.h>
#include <unistd.h>
#include "common.h"

int main(int argc, char **argv)
{
	const char *path;
	long n = parse_args(argc, argv, &path);
	static char buf[4096];
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);

	if (fd < 0)
		fail("open", path);
	memset(buf, 'x', sizeof(buf));
	for (long i = 0; i < n; i++) {
		if (write(fd, buf, sizeof(buf)) != sizeof(buf))
			fail("write", path);
		if (fsync(fd))
			fail("fsync", path);
	}
	close(fd);
	return 0;
}
