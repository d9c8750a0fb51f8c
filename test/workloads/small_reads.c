/* small reads: writes a COUNT x 64-byte file (default 2000) in one write,
 * seeks back and reads it 64 bytes at a time: COUNT reads of 64 bytes and one
 * read of 0 at the end; then removes it. Usage: small_reads [COUNT [DIR]] */
#include <fcntl.h>
#include <unistd.h>
#include "workdir.h"

int main(int argc, char **argv)
{
	char dir[PATH_MAX], path[PATH_MAX], rec[64];
	long n, got = 0;
	ssize_t r;
	char *data;
	int fd;

	arg_max(argc, argv, 2, "[COUNT [DIR]]");
	n = arg_long(argc, argv, 1, 2000, 0);
	make_workdir(argc, argv, 2, "small_reads", dir, sizeof(dir));
	join_path(path, sizeof(path), dir, "records.dat");
	data = calloc(n + 1, sizeof(rec));
	if (data == NULL)
		fail("calloc", path);
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
	if (fd < 0)
		fail("open", path);
	if (n > 0 && write(fd, data, n * sizeof(rec)) != (ssize_t)(n * sizeof(rec)))
		fail("write", path);
	if (lseek(fd, 0, SEEK_SET))
		fail("lseek", path);
	while ((r = read(fd, rec, sizeof(rec))) > 0)
		got++;
	if (r < 0 || got != n)
		fail("read", path);
	close(fd);
	free(data);
	if (unlink(path) || rmdir(dir))
		fail("remove", dir);
	return 0;
}
