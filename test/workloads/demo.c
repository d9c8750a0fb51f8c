/*
 * the demo: a small "database" doing what real services do. COUNT rounds of:
 * a buffered log write, a group of reads from a data file, a stat of a config
 * path that does not exist, and every 10th round an fsync of the log.
 */
#include <fcntl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "common.h"

int main(int argc, char **argv)
{
	const char *path;
	long n = parse_args(argc, argv, &path);
	static char buf[4096];
	char data[4096 + 16];
	struct timespec nap = { 0, 200000 };
	struct stat st;
	int log, db;

	snprintf(data, sizeof(data), "%s.data", path);
	log = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND, 0644);
	db = open(data, O_RDWR | O_CREAT | O_TRUNC, 0644);
	if (log < 0 || db < 0)
		fail("open", path);
	if (ftruncate(db, 256 * 4096L))
		fail("ftruncate", data);
	memset(buf, 'd', sizeof(buf));
	for (long i = 0; i < n; i++) {
		if (write(log, buf, 512) != 512)
			fail("write", path);
		for (int k = 0; k < 8; k++)
			if (pread(db, buf, sizeof(buf), ((i * 7 + k * 31) % 256) * 4096L) < 0)
				fail("pread", data);
		stat("/etc/syscall-prof-demo.conf", &st);
		if (i % 10 == 9 && fsync(log))
			fail("fsync", path);
		if (i % 50 == 49)
			nanosleep(&nap, NULL);
	}
	close(db);
	close(log);
	unlink(data);
	return 0;
}
