/* synchronous writes: opens a file O_WRONLY|O_CREAT|O_SYNC and makes COUNT
 * (default 200) writes of 4 KiB to it, each waiting for the disk; then
 * removes it. Usage: osync_write [COUNT [DIR]] */
#include <fcntl.h>
#include <unistd.h>
#include "workdir.h"

int main(int argc, char **argv)
{
	static char buf[4096];
	char dir[PATH_MAX], path[PATH_MAX];
	long n;
	int fd;

	arg_max(argc, argv, 2, "[COUNT [DIR]]");
	n = arg_long(argc, argv, 1, 200, 0);
	make_workdir(argc, argv, 2, "osync_write", dir, sizeof(dir));
	join_path(path, sizeof(path), dir, "journal");
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_SYNC, 0644);
	if (fd < 0)
		fail("open", path);
	memset(buf, 'j', sizeof(buf));
	for (long i = 0; i < n; i++)
		if (write(fd, buf, sizeof(buf)) != sizeof(buf))
			fail("write", path);
	close(fd);
	if (unlink(path) || rmdir(dir))
		fail("remove", dir);
	return 0;
}
