/* small writes: COUNT (default 2000) write(fd, buf, 16) calls to one file,
 * unbuffered; then removes it. Usage: small_writes [COUNT [DIR]] */
#include <fcntl.h>
#include <unistd.h>
#include "workdir.h"

int main(int argc, char **argv)
{
	static const char rec[16] = "log record 0001\n";
	char dir[PATH_MAX], path[PATH_MAX];
	long n;
	int fd;

	arg_max(argc, argv, 2, "[COUNT [DIR]]");
	n = arg_long(argc, argv, 1, 2000, 0);
	make_workdir(argc, argv, 2, "small_writes", dir, sizeof(dir));
	join_path(path, sizeof(path), dir, "app.log");
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0)
		fail("open", path);
	for (long i = 0; i < n; i++)
		if (write(fd, rec, sizeof(rec)) != sizeof(rec))
			fail("write", path);
	close(fd);
	if (unlink(path) || rmdir(dir))
		fail("remove", dir);
	return 0;
}
