/* failed opens along a search path: makes 8 directories lib0..lib7 and
 * COUNT (default 100) libraries libK.so in lib7 only, then looks for each
 * library as a loader would: open lib0/libK.so, lib1/libK.so, ... until one
 * opens (7 fail with ENOENT, the 8th succeeds and is closed): 8 x COUNT
 * opens, 7 x COUNT ENOENT; then removes it all. Usage: enoent_search [COUNT [DIR]] */
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include "workdir.h"

#define DIRS 8

int main(int argc, char **argv)
{
	char top[PATH_MAX], dirs[DIRS][PATH_MAX], path[PATH_MAX], name[32];
	long n;
	int fd;

	arg_max(argc, argv, 2, "[COUNT [DIR]]");
	n = arg_long(argc, argv, 1, 100, 0);
	make_workdir(argc, argv, 2, "enoent_search", top, sizeof(top));
	for (int d = 0; d < DIRS; d++) {
		snprintf(name, sizeof(name), "lib%d", d);
		join_path(dirs[d], sizeof(dirs[d]), top, name);
		if (mkdir(dirs[d], 0755))
			fail("mkdir", dirs[d]);
	}
	/* the libraries exist only in the last directory */
	for (long i = 0; i < n; i++) {
		snprintf(name, sizeof(name), "lib%ld.so", i);
		join_path(path, sizeof(path), dirs[DIRS - 1], name);
		fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		if (fd < 0)
			fail("create", path);
		close(fd);
	}
	/* the search: each directory in order until the library opens */
	for (long i = 0; i < n; i++) {
		snprintf(name, sizeof(name), "lib%ld.so", i);
		for (int d = 0; d < DIRS; d++) {
			join_path(path, sizeof(path), dirs[d], name);
			fd = open(path, O_RDONLY | O_CLOEXEC);
			if (fd >= 0) {
				close(fd);
				break;
			}
			if (errno != ENOENT || d == DIRS - 1)
				fail("open", path);
		}
	}
	for (long i = 0; i < n; i++) {
		snprintf(name, sizeof(name), "lib%ld.so", i);
		join_path(path, sizeof(path), dirs[DIRS - 1], name);
		if (unlink(path))
			fail("unlink", path);
	}
	for (int d = 0; d < DIRS; d++)
		if (rmdir(dirs[d]))
			fail("rmdir", dirs[d]);
	if (rmdir(top))
		fail("rmdir", top);
	return 0;
}
