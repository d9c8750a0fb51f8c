/* stat storm: creates two files, then COUNT times (default 500) stats both
 * and checks a third, missing path with access(R_OK): 2 x COUNT stat
 * (newfstatat), COUNT access failing with ENOENT; then removes them.
 * Usage: stat_storm [COUNT [DIR]] */
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include "workdir.h"

int main(int argc, char **argv)
{
	char dir[PATH_MAX], conf[PATH_MAX], data[PATH_MAX], lock[PATH_MAX];
	struct stat st;
	long n;
	int fd;

	arg_max(argc, argv, 2, "[COUNT [DIR]]");
	n = arg_long(argc, argv, 1, 500, 0);
	make_workdir(argc, argv, 2, "stat_storm", dir, sizeof(dir));
	join_path(conf, sizeof(conf), dir, "app.conf");
	join_path(data, sizeof(data), dir, "app.db");
	join_path(lock, sizeof(lock), dir, "app.lock");
	if ((fd = open(conf, O_WRONLY | O_CREAT, 0644)) < 0)
		fail("create", conf);
	close(fd);
	if ((fd = open(data, O_WRONLY | O_CREAT, 0644)) < 0)
		fail("create", data);
	close(fd);
	for (long i = 0; i < n; i++) {
		if (stat(conf, &st) || stat(data, &st))
			fail("stat", dir);
		if (access(lock, R_OK) == 0 || errno != ENOENT)
			fail("access", lock);
	}
	if (unlink(conf) || unlink(data) || rmdir(dir))
		fail("remove", dir);
	return 0;
}
