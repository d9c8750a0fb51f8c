/* reads that partly miss the page cache: writes a COUNT x 4 KiB file
 * (default 2000) in 4 KiB writes (small folios, so single blocks can be
 * dropped) and fdatasyncs it, then evicts every
 * EVERY-th block (default 4) from the page cache with
 * posix_fadvise(POSIX_FADV_DONTNEED), turns readahead off
 * (POSIX_FADV_RANDOM) and preads every block in order: the evicted ones wait
 * for the disk, the others are page-cache hits. Prints the number of blocks
 * that were really out of the cache (mincore) before the reads, then removes
 * the file. Usage: bimodal_read [COUNT [EVERY [DIR]]] */
#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>
#include "workdir.h"

#define BLOCK 4096L

int main(int argc, char **argv)
{
	static char buf[BLOCK];
	char dir[PATH_MAX], path[PATH_MAX];
	long n, every, size, missing = 0;
	unsigned char *core;
	void *map;
	int fd;

	arg_max(argc, argv, 3, "[COUNT [EVERY [DIR]]]");
	n = arg_long(argc, argv, 1, 2000, 1);
	every = arg_long(argc, argv, 2, 4, 1);
	make_workdir(argc, argv, 3, "bimodal_read", dir, sizeof(dir));
	join_path(path, sizeof(path), dir, "table.dat");
	size = n * BLOCK;
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
	if (fd < 0)
		fail("open", path);
	memset(buf, 'd', sizeof(buf));
	for (long i = 0; i < n; i++)
		if (write(fd, buf, BLOCK) != BLOCK)
			fail("write", path);
	/* clean pages can be dropped; dirty ones would stay */
	if (fdatasync(fd))
		fail("fdatasync", path);
	for (long i = every - 1; i < n; i += every)
		if ((errno = posix_fadvise(fd, i * BLOCK, BLOCK, POSIX_FADV_DONTNEED)))
			fail("posix_fadvise", path);
	if ((errno = posix_fadvise(fd, 0, 0, POSIX_FADV_RANDOM)))
		fail("posix_fadvise", path);
	/* how many blocks are really out of the cache now */
	map = mmap(NULL, size, PROT_READ, MAP_SHARED, fd, 0);
	core = malloc(n);
	if (map == MAP_FAILED || core == NULL || mincore(map, size, core))
		fail("mincore", path);
	for (long i = 0; i < n; i++)
		missing += !(core[i] & 1);
	munmap(map, size);
	free(core);
	for (long i = 0; i < n; i++)
		if (pread(fd, buf, BLOCK, i * BLOCK) != BLOCK)
			fail("pread", path);
	close(fd);
	if (unlink(path) || rmdir(dir))
		fail("remove", dir);
	printf("%ld of %ld blocks were out of the page cache\n", missing, n);
	return 0;
}
