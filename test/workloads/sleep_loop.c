/* sleep loop: COUNT (default 1000) nanosleep calls of 50 us, as a loop
 * polling for a condition would make. Usage: sleep_loop [COUNT] */
#include <time.h>
#include "workdir.h"

int main(int argc, char **argv)
{
	struct timespec nap = { 0, 50 * 1000 };
	long n;

	arg_max(argc, argv, 1, "[COUNT]");
	n = arg_long(argc, argv, 1, 1000, 0);
	for (long i = 0; i < n; i++)
		if (nanosleep(&nap, NULL))
			fail("nanosleep", "");
	return 0;
}
