/* reopen the same file: writes a 100-byte file, then COUNT times (default
 * 500) opens it, reads it (one read into a 4 KiB buffer) and closes it;
 * then removes it. Usage: reopen [COUNT [DIR]] */
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
	n = arg_long(argc, argv, 1, 500, 0);
	make_workdir(argc, argv, 2, "reopen", dir, sizeof(dir));
	join_path(path, sizeof(path), dir, "settings.conf");
	memset(buf, 'c', 100);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0 || write(fd, buf, 100) != 100)
		fail("create", path);
	close(fd);
	for (long i = 0; i < n; i++) {
		fd = open(path, O_RDONLY);
		if (fd < 0)
			fail("open", path);
		if (read(fd, buf, sizeof(buf)) != 100)
			fail("read", path);
		close(fd);
	}
	if (unlink(path) || rmdir(dir))
		fail("remove", dir);
	return 0;
}
