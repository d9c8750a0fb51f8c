/* pure CPU: COUNT million rounds of arithmetic, no syscalls in the loop */
#include "common.h"

int main(int argc, char **argv)
{
	const char *path;
	long n = parse_args(argc, argv, &path);
	volatile unsigned long x = 1;

	for (long i = 0; i < n * 1000000L; i++)
		x = x * 6364136223846793005UL + 1442695040888963407UL;
	return x == 42;
}
