/* latency step: one syscall whose latency steps up ~10x in the middle of a run.
 * The process loops on write(/dev/null, 64 B) and read(pipe, 1 B); a feeder
 * child process sleeps FAST_US, then writes the byte the read waits for, so
 * each read blocks about FAST_US. After BEFORE_MS the feeder sleeps SLOW_US
 * instead: the same read now blocks ~10x longer (and, one read per byte, comes
 * ~10x less often), while write stays as it was. The sleeps are the feeder's,
 * another process: traced without children, only read steps. It waits for SIGUSR1 before it starts
 * (so a tracer can attach and learn first), prints "step REALTIME_NS" on stdout
 * at the step and "end N_FAST N_SLOW" (reads before and after) at the end.
 * Usage: latency_step [FAST_US [SLOW_US [BEFORE_MS [AFTER_MS]]]] */
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <signal.h>
#include <time.h>
#include "workdir.h"

/* shared with the feeder */
struct phase {
	volatile int slow;
};

static long fast_us, slow_us;
static struct phase *phase;
static int pipefd[2];

static long long now_ns(clockid_t clock)
{
	struct timespec ts;

	clock_gettime(clock, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* the feeder: until the pipe's reader is gone (EPIPE, or killed) */
static void feeder(void)
{
	signal(SIGPIPE, SIG_DFL);
	for (;;) {
		long us = phase->slow ? slow_us : fast_us;
		struct timespec nap = { us / 1000000, (us % 1000000) * 1000 };
		char c = 'x';

		nanosleep(&nap, NULL);
		if (write(pipefd[1], &c, 1) != 1)
			_exit(0);
	}
}

int main(int argc, char **argv)
{
	long before_ms, after_ms, n_fast = 0, n_slow = 0;
	long long t0, step_at, end_at;
	char buf[64] = { 0 };
	pid_t child;
	sigset_t set;
	int sig, devnull;

	arg_max(argc, argv, 4, "[FAST_US [SLOW_US [BEFORE_MS [AFTER_MS]]]]");
	fast_us = arg_long(argc, argv, 1, 200, 1);
	slow_us = arg_long(argc, argv, 2, 2000, 1);
	before_ms = arg_long(argc, argv, 3, 5000, 0);
	after_ms = arg_long(argc, argv, 4, 3000, 0);
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigprocmask(SIG_BLOCK, &set, NULL);
	if (pipe(pipefd))
		fail("pipe", "");
	devnull = open("/dev/null", O_WRONLY);
	if (devnull < 0)
		fail("open", "/dev/null");
	printf("ready\n");
	fflush(stdout);
	if (sigwait(&set, &sig))
		fail("sigwait", "");
	phase = mmap(NULL, sizeof(*phase), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (phase == MAP_FAILED)
		fail("mmap", "");
	child = fork();
	if (child < 0)
		fail("fork", "");
	if (child == 0) {
		close(pipefd[0]);
		feeder();
	}
	close(pipefd[1]);
	t0 = now_ns(CLOCK_MONOTONIC);
	step_at = t0 + before_ms * 1000000LL;
	end_at = step_at + after_ms * 1000000LL;
	for (;;) {
		long long t = now_ns(CLOCK_MONOTONIC);

		if (t >= end_at)
			break;
		if (t >= step_at && !phase->slow) {
			phase->slow = 1;
			printf("step %lld\n", now_ns(CLOCK_REALTIME));
			fflush(stdout);
		}
		if (write(devnull, buf, sizeof(buf)) != sizeof(buf))
			fail("write", "/dev/null");
		if (read(pipefd[0], buf, 1) != 1)
			fail("read", "pipe");
		if (phase->slow)
			n_slow++;
		else
			n_fast++;
	}
	kill(child, SIGKILL);
	waitpid(child, NULL, 0);
	printf("end %ld %ld\n", n_fast, n_slow);
	return 0;
}
