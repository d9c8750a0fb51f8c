/* load for bench/live.sh: PROCS processes, each making RATE cheap syscalls
 * (getppid) a second for SECONDS, in bursts every 10 ms (absolute deadlines,
 * so the rate holds whatever the scheduling); the parent waits for them all */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define TICK_NS 10000000L

static long arg(const char *s, const char *name)
{
	char *end;
	long v = strtol(s, &end, 10);

	if (*end || v <= 0) {
		fprintf(stderr, "live_load: %s must be a whole number > 0\n", name);
		exit(2);
	}
	return v;
}

static void child(long rate, long seconds)
{
	long per_tick = rate / (1000000000L / TICK_NS);
	long ticks = seconds * (1000000000L / TICK_NS);
	struct timespec next;

	clock_gettime(CLOCK_MONOTONIC, &next);
	for (long t = 0; t < ticks; t++) {
		for (long i = 0; i < per_tick; i++)
			syscall(SYS_getppid);
		next.tv_nsec += TICK_NS;
		if (next.tv_nsec >= 1000000000L) {
			next.tv_nsec -= 1000000000L;
			next.tv_sec++;
		}
		while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &next, NULL) == EINTR)
			;
	}
	_exit(0);
}

int main(int argc, char **argv)
{
	long procs, rate, seconds;

	if (argc != 4) {
		fprintf(stderr, "usage: %s PROCS RATE_PER_PROC SECONDS\n", argv[0]);
		return 2;
	}
	procs = arg(argv[1], "PROCS");
	rate = arg(argv[2], "RATE_PER_PROC");
	seconds = arg(argv[3], "SECONDS");
	for (long p = 0; p < procs; p++) {
		pid_t pid = fork();

		if (pid < 0) {
			perror("live_load: fork");
			return 1;
		}
		if (pid == 0)
			child(rate, seconds);
	}
	while (wait(NULL) > 0 || errno == EINTR)
		;
	return 0;
}
