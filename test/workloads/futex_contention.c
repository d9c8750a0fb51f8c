/* lock contention: 4 threads each take one pthread mutex ROUNDS times
 * (default 100) and hold it for WORK_US microseconds of CPU work (default
 * 200), with a little work outside the lock: the others queue in long
 * FUTEX_WAITs. Usage: futex_contention [ROUNDS [WORK_US]] */
#include <pthread.h>
#include <time.h>
#include "workdir.h"

#define THREADS 4

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static long rounds, work_ns;
static volatile unsigned long shared;

/* spins for ns of wall time (clock_gettime is a vDSO call: no syscall) */
static void spin(long ns)
{
	struct timespec a, b;

	clock_gettime(CLOCK_MONOTONIC, &a);
	do {
		shared = shared * 6364136223846793005UL + 1;
		clock_gettime(CLOCK_MONOTONIC, &b);
	} while ((b.tv_sec - a.tv_sec) * 1000000000L + (b.tv_nsec - a.tv_nsec) < ns);
}

static void *worker(void *arg)
{
	(void)arg;
	for (long i = 0; i < rounds; i++) {
		pthread_mutex_lock(&lock);
		spin(work_ns);
		pthread_mutex_unlock(&lock);
		spin(work_ns / 10);
	}
	return NULL;
}

int main(int argc, char **argv)
{
	pthread_t t[THREADS];

	arg_max(argc, argv, 2, "[ROUNDS [WORK_US]]");
	rounds = arg_long(argc, argv, 1, 100, 0);
	work_ns = arg_long(argc, argv, 2, 200, 0) * 1000;
	for (int i = 0; i < THREADS; i++)
		if ((errno = pthread_create(&t[i], NULL, worker, NULL)))
			fail("pthread_create", "worker");
	for (int i = 0; i < THREADS; i++)
		pthread_join(t[i], NULL);
	return 0;
}
