/*
 * CPU time and thread lifetimes: the main thread burns CPU in user space for
 * MS milliseconds of wall time (no syscall inside the loop: it reads
 * CLOCK_MONOTONIC through the vDSO) while SLEEPERS other threads each sleep
 * MS milliseconds. prints its own CPU time over the burn, from
 * CLOCK_THREAD_CPUTIME_ID read before and after, as "burn_ns N" on stdout.
 *
 * usage: burn_threads MS SLEEPERS
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define MAX_SLEEPERS 64

static unsigned long long clock_ns(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

static void *sleeper(void *arg)
{
	long ms = *(long *)arg;
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
	return NULL;
}

int main(int argc, char **argv)
{
	pthread_t sleepers[MAX_SLEEPERS];
	unsigned long long cpu0, until;
	volatile unsigned long x = 1;
	long ms, n;

	if (argc != 3 || (ms = atol(argv[1])) <= 0 || (n = atol(argv[2])) < 0 || n > MAX_SLEEPERS) {
		fprintf(stderr, "usage: %s MS SLEEPERS (0..%d)\n", argv[0], MAX_SLEEPERS);
		return 2;
	}
	for (long i = 0; i < n; i++)
		if (pthread_create(&sleepers[i], NULL, sleeper, &ms))
			return 1;
	cpu0 = clock_ns(CLOCK_THREAD_CPUTIME_ID);
	until = clock_ns(CLOCK_MONOTONIC) + ms * 1000000ULL;
	do {
		for (int i = 0; i < 1 << 14; i++)
			x = x * 6364136223846793005UL + 1442695040888963407UL;
	} while (clock_ns(CLOCK_MONOTONIC) < until);
	printf("burn_ns %llu\n", clock_ns(CLOCK_THREAD_CPUTIME_ID) - cpu0);
	for (long i = 0; i < n; i++)
		pthread_join(sleepers[i], NULL);
	return x == 42;
}
