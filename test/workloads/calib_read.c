/*
 * calibration: COUNT reads of 512 bytes from /dev/zero, each timed with
 * clock_gettime around the call. Writes "median_ns total_ns" to PATH: the
 * latency the program itself saw, to set beside what each tracer reports.
 */
#include <fcntl.h>
#include <time.h>
#include <unistd.h>
#include "common.h"

static int cmp(const void *a, const void *b)
{
	long x = *(const long *)a, y = *(const long *)b;

	return (x > y) - (x < y);
}

static long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000L + ts.tv_nsec;
}

int main(int argc, char **argv)
{
	const char *path;
	long n = parse_args(argc, argv, &path), start, t;
	static char buf[512];
	long *lat = calloc(n ? n : 1, sizeof(long));
	int fd = open("/dev/zero", O_RDONLY);
	FILE *out;

	if (fd < 0 || !lat)
		fail("open", "/dev/zero");
	start = now_ns();
	for (long i = 0; i < n; i++) {
		t = now_ns();
		if (read(fd, buf, sizeof(buf)) != sizeof(buf))
			fail("read", "/dev/zero");
		lat[i] = now_ns() - t;
	}
	t = now_ns() - start;
	qsort(lat, n, sizeof(long), cmp);
	out = fopen(path, "w");
	if (!out)
		fail("fopen", path);
	fprintf(out, "%ld %ld\n", n ? lat[n / 2] : 0, t);
	fclose(out);
	return 0;
}
