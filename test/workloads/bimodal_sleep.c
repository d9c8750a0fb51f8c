/* two latency populations: COUNT sleeps of 20 us, every 10th one 3 ms instead */
#include <time.h>
#include "common.h"

int main(int argc, char **argv)
{
	const char *path;
	long n = parse_args(argc, argv, &path);
	struct timespec fast = { 0, 20000 }, slow = { 0, 3000000 };

	for (long i = 0; i < n; i++)
		nanosleep(i % 10 == 9 ? &slow : &fast, NULL);
	return 0;
}
