// SPDX-License-Identifier: MIT
/*
 * syscall-prof-loader: attaches the syscall-prof BPF programs, filters in the
 * kernel, and streams aggregate snapshots as length-delimited protobuf frames
 * on stdout. Every diagnostic goes to stderr.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <grp.h>
#include <limits.h>
#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "syscall_prof.h"
#include "syscall_prof.skel.h"
#include "syscall_prof.pb-c.h"

#define EXIT_USAGE 2
#define EXIT_PERM 4
#define MAX_PIDS 256
#define MAX_IN_FLIGHT 1024
#define WIRE_VERSION 2
#define BATCH_MAX 8192		/* event rows per EventBatch frame */
#define PROC_MAX 1024		/* process events per EventBatch frame */
#define DRAIN_MS 10		/* event mode: how often the ring buffer is drained */

/* the kernel's run-time statistics cost about as much as our programs do */
enum { COST_OFF, COST_SAMPLED, COST_FULL };
static const char *const cost_names[] = { "off", "sampled", "full" };
static const Syscallprof__CostStats cost_wire[] = { SYSCALLPROF__COST_STATS__COST_STATS_OFF,
	SYSCALLPROF__COST_STATS__COST_STATS_SAMPLED, SYSCALLPROF__COST_STATS__COST_STATS_FULL };
#define COST_DUTY_PCT 5	/* sampled: on for this share of each interval */

static const char *prog_name = "syscall-prof-loader";

static struct env {
	pid_t pids[MAX_PIDS];
	int npids;
	bool all;
	bool follow;
	bool verbose;
	int cost_mode;
	bool empty_mode;
	bool no_per_process;
	bool no_offcpu;
	bool evict_exited;
	pid_t exclude_pid;
	bool events;
	bool failed_only;
	uint64_t min_duration_ns;
	uint32_t ev_nrs[NR_SLOTS];
	int n_ev_nrs;
	long ringbuf_mb;
	const char *cgroup;
	long interval_ms;
	double duration_s;
	int child_stdout_fd;
	long max_entries;
	char **command;
} env = {
	.interval_ms = 1000,
	.cost_mode = COST_SAMPLED,
	.child_stdout_fd = -1,
	.ringbuf_mb = 16,
};

static volatile sig_atomic_t got_signal;

static void die_usage(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", prog_name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, " (try --help)\n");
	exit(EXIT_USAGE);
}

static void warnx(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", prog_name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

static const char usage_text[] =
"Usage: syscall-prof-loader [OPTIONS] [-- COMMAND [ARGS...]]\n"
"\n"
"Attach syscall-prof's BPF programs to raw_syscalls sys_enter/sys_exit and\n"
"stream cumulative per-syscall latency snapshots as length-delimited protobuf\n"
"frames (proto/syscall_prof.proto) on stdout. Diagnostics go to stderr.\n"
"\n"
"Targets (default: the whole system):\n"
"  -p, --pid PID            trace this process (repeatable, up to 256)\n"
"  -a, --all                trace the whole system\n"
"  -f, --follow             also trace children forked by traced processes\n"
"  -c, --cgroup PATH        only tasks in this cgroup (v2 directory)\n"
"      --exclude-pid PID    never trace this process (e.g. the controller)\n"
"  -- COMMAND [ARGS...]     run COMMAND and trace it from its execve on; under\n"
"                           sudo it runs as SUDO_UID/SUDO_GID\n"
"\n"
"Event mode (every completed call, besides the aggregates):\n"
"  -e, --events             stream calls as EventBatch frames (args, return\n"
"                           value, duration, file position, path or address)\n"
"      --syscalls NRS       only these syscall numbers, comma-separated\n"
"      --min-duration NS    only calls at least this slow (ns)\n"
"      --failed             only calls that returned an error\n"
"      --ringbuf-mb N       ring buffer MiB, power of two (default 16); calls\n"
"                           that find it full are counted as lost, never silent\n"
"\n"
"Output:\n"
"  -i, --interval MS        snapshot interval in ms (10..3600000, default 1000)\n"
"  -d, --duration SEC       stop after SEC seconds (decimal, >0); default: until\n"
"                           the target exits or SIGINT/SIGTERM\n"
"      --child-stdout-fd N  give COMMAND fd N as its stdout (default: stderr)\n"
"      --cost-stats MODE    our BPF CPU cost from the kernel's run-time statistics:\n"
"                           sampled (default: on 5% of each interval, since the\n"
"                           statistics cost as much as the tracing), full, off\n"
"      --no-cost-stats      same as --cost-stats off\n"
"      --max-entries N      per-(process, syscall) entries (64..1048576)\n"
"      --no-per-process     per-syscall stats only: about 35 ns less per syscall\n"
"      --evict-exited       drop processes that have exited (and were reported in\n"
"                           a snapshot) from the per-process table, so it never\n"
"                           fills up in long runs; later snapshots leave them out\n"
"      --no-offcpu          do not follow sched_switch/sched_wakeup: no split of\n"
"                           each call's time into on-CPU, blocked and runnable\n"
"      --empty              attach empty programs only (benchmark baseline)\n"
"  -v, --verbose            libbpf messages on stderr\n"
"  -h, --help               this text\n"
"\n"
"Histograms: log2 with 8 linear sub-buckets per power of two per syscall\n"
"(percentiles within 12.5%), 4 per (process, syscall) (within 25%).\n"
"\n"
"Exit status: 0 ok (the command's own status is in the final frame),\n"
"1 runtime failure, 2 usage error or bad target, 4 permission denied.\n"
"\n"
"EXAMPLES:\n"
"  syscall-prof-loader -d 5 > all.spb              # whole system for 5 s\n"
"  syscall-prof-loader -p 1234 -i 500 > db.spb     # one process, 2 frames/s\n"
"  syscall-prof-loader -f -- make -j2 > make.spb   # a build and its children\n"
"  syscall-prof-loader -e --syscalls 74,75 -p 1234 # every fsync/fdatasync of 1234\n";

static long parse_long(const char *what, const char *s, long lo, long hi)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end)
		die_usage("%s: '%s' is not a whole number", what, s);
	if (v < lo || v > hi)
		die_usage("%s: %ld is out of range %ld..%ld", what, v, lo, hi);
	return v;
}

static void parse_args(int argc, char **argv)
{
	enum { OPT_CHILD_FD = 256, OPT_NO_COST, OPT_COST, OPT_MAX_ENTRIES, OPT_EMPTY, OPT_NO_PER_PROCESS, OPT_NO_OFFCPU, OPT_EVICT, OPT_EXCLUDE,
	       OPT_SYSCALLS, OPT_MIN_DURATION, OPT_FAILED, OPT_RINGBUF };
	static const struct option opts[] = {
		{ "pid", required_argument, NULL, 'p' },
		{ "all", no_argument, NULL, 'a' },
		{ "follow", no_argument, NULL, 'f' },
		{ "cgroup", required_argument, NULL, 'c' },
		{ "interval", required_argument, NULL, 'i' },
		{ "duration", required_argument, NULL, 'd' },
		{ "child-stdout-fd", required_argument, NULL, OPT_CHILD_FD },
		{ "no-cost-stats", no_argument, NULL, OPT_NO_COST },
		{ "cost-stats", required_argument, NULL, OPT_COST },
		{ "max-entries", required_argument, NULL, OPT_MAX_ENTRIES },
		{ "empty", no_argument, NULL, OPT_EMPTY },
		{ "no-per-process", no_argument, NULL, OPT_NO_PER_PROCESS },
		{ "no-offcpu", no_argument, NULL, OPT_NO_OFFCPU },
		{ "evict-exited", no_argument, NULL, OPT_EVICT },
		{ "exclude-pid", required_argument, NULL, OPT_EXCLUDE },
		{ "events", no_argument, NULL, 'e' },
		{ "syscalls", required_argument, NULL, OPT_SYSCALLS },
		{ "min-duration", required_argument, NULL, OPT_MIN_DURATION },
		{ "failed", no_argument, NULL, OPT_FAILED },
		{ "ringbuf-mb", required_argument, NULL, OPT_RINGBUF },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{},
	};
	char *end;
	int c;

	while ((c = getopt_long(argc, argv, "+p:afc:i:d:evh", opts, NULL)) != -1) {
		switch (c) {
		case 'p':
			if (env.npids == MAX_PIDS)
				die_usage("--pid: at most %d processes", MAX_PIDS);
			env.pids[env.npids++] = parse_long("--pid", optarg, 1, INT_MAX);
			break;
		case 'a':
			env.all = true;
			break;
		case 'f':
			env.follow = true;
			break;
		case 'c':
			env.cgroup = optarg;
			break;
		case 'i':
			env.interval_ms = parse_long("--interval", optarg, 10, 3600000);
			break;
		case 'd':
			errno = 0;
			env.duration_s = strtod(optarg, &end);
			if (errno || end == optarg || *end || !(env.duration_s > 0) ||
			    env.duration_s > 31536000)
				die_usage("--duration: '%s' is not a number of seconds in (0, 31536000]", optarg);
			break;
		case OPT_CHILD_FD:
			env.child_stdout_fd = parse_long("--child-stdout-fd", optarg, 0, 1 << 20);
			break;
		case OPT_NO_COST:
			env.cost_mode = COST_OFF;
			break;
		case OPT_COST:
			for (env.cost_mode = COST_FULL; env.cost_mode >= 0; env.cost_mode--)
				if (!strcmp(optarg, cost_names[env.cost_mode]))
					break;
			if (env.cost_mode < 0)
				die_usage("--cost-stats: '%s' is not one of off, sampled, full", optarg);
			break;
		case OPT_MAX_ENTRIES:
			env.max_entries = parse_long("--max-entries", optarg, 64, 1 << 20);
			break;
		case OPT_EMPTY:
			env.empty_mode = true;
			break;
		case 'e':
			env.events = true;
			break;
		case OPT_SYSCALLS: {
			char *list = strdup(optarg), *tok, *save = NULL;

			for (tok = strtok_r(list, ",", &save); tok; tok = strtok_r(NULL, ",", &save))
				env.ev_nrs[env.n_ev_nrs++ % NR_SLOTS] =
					parse_long("--syscalls", tok, 0, NR_SLOTS - 1);
			free(list);
			if (!env.n_ev_nrs)
				die_usage("--syscalls: give at least one syscall number");
			break;
		}
		case OPT_MIN_DURATION:
			env.min_duration_ns = parse_long("--min-duration", optarg, 0, LONG_MAX);
			break;
		case OPT_FAILED:
			env.failed_only = true;
			break;
		case OPT_RINGBUF:
			env.ringbuf_mb = parse_long("--ringbuf-mb", optarg, 1, 1024);
			if (env.ringbuf_mb & (env.ringbuf_mb - 1))
				die_usage("--ringbuf-mb: %ld is not a power of two", env.ringbuf_mb);
			break;
		case OPT_EXCLUDE:
			env.exclude_pid = parse_long("--exclude-pid", optarg, 1, INT_MAX);
			break;
		case OPT_NO_PER_PROCESS:
			env.no_per_process = true;
			break;
		case OPT_NO_OFFCPU:
			env.no_offcpu = true;
			break;
		case OPT_EVICT:
			env.evict_exited = true;
			break;
		case 'v':
			env.verbose = true;
			break;
		case 'h':
			fputs(usage_text, stdout);
			exit(0);
		default:
			fprintf(stderr, "Try '%s --help'.\n", prog_name);
			exit(EXIT_USAGE);
		}
	}
	if (optind < argc)
		env.command = &argv[optind];
	if (env.all && (env.npids || env.command))
		die_usage("--all cannot be combined with --pid or a command");
	if (env.npids && env.command)
		die_usage("give either --pid or a command, not both");
	if (!env.events && (env.n_ev_nrs || env.min_duration_ns || env.failed_only))
		die_usage("--syscalls, --min-duration and --failed need --events");
	if (env.child_stdout_fd >= 0 && !env.command)
		die_usage("--child-stdout-fd needs a command");
}

static int libbpf_print(enum libbpf_print_level level, const char *fmt, va_list args)
{
	if (level == LIBBPF_DEBUG && !env.verbose)
		return 0;
	if (!env.verbose)
		return 0;
	return vfprintf(stderr, fmt, args);
}

static void on_signal(int sig)
{
	got_signal = sig;
}

static uint64_t clock_ns(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

static long read_pid_max(void)
{
	FILE *f = fopen("/proc/sys/kernel/pid_max", "r");
	long v = 4194304;

	if (f) {
		if (fscanf(f, "%ld", &v) != 1)
			v = 4194304;
		fclose(f);
	}
	return v;
}

/* the thread-group id of a pid, or -1 when there is no such process */
static pid_t tgid_of(pid_t pid)
{
	char path[64], line[256];
	pid_t tgid = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/status", pid);
	f = fopen(path, "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "Tgid: %d", &tgid) == 1)
			break;
	}
	fclose(f);
	return tgid;
}

static int pidfd_open(pid_t pid)
{
	return syscall(SYS_pidfd_open, pid, 0);
}

/* the executable a command name resolves to, as execvp would find it */
static char *resolve_command(const char *name)
{
	const char *path = getenv("PATH");
	char *dirs, *dir, *save = NULL, *full;

	if (strchr(name, '/'))
		return access(name, X_OK) ? NULL : strdup(name);
	if (!path)
		path = "/usr/local/bin:/usr/bin:/bin";
	dirs = strdup(path);
	for (dir = strtok_r(dirs, ":", &save); dir; dir = strtok_r(NULL, ":", &save)) {
		if (asprintf(&full, "%s/%s", *dir ? dir : ".", name) < 0)
			break;
		struct stat st;

		if (!stat(full, &st) && S_ISREG(st.st_mode) && !access(full, X_OK)) {
			free(dirs);
			return full;
		}
		free(full);
	}
	free(dirs);
	return NULL;
}

/* in the child: become the user who ran sudo, groups included */
static int drop_to_sudo_user(void)
{
	const char *su = getenv("SUDO_UID"), *sg = getenv("SUDO_GID");
	struct passwd *pw;
	uid_t uid;
	gid_t gid;

	if (geteuid() != 0 || !su || !sg)
		return 0;
	uid = strtoul(su, NULL, 10);
	gid = strtoul(sg, NULL, 10);
	pw = getpwuid(uid);
	if (pw ? initgroups(pw->pw_name, gid) : setgroups(1, &gid)) {
		warnx("cannot set the groups of uid %u: %s", uid, strerror(errno));
		return -1;
	}
	if (setgid(gid) || setuid(uid)) {
		warnx("cannot drop to uid %u gid %u: %s", uid, gid, strerror(errno));
		return -1;
	}
	return 0;
}

/*
 * fork the command held on a pipe; it runs only after release_child(), once
 * the kernel filter knows its pid, so its execve is the first call we count.
 */
static pid_t spawn_held(char **argv, const char *path, int *release_fd)
{
	int fds[2];
	pid_t pid;
	char c;

	if (pipe2(fds, O_CLOEXEC)) {
		warnx("pipe: %s", strerror(errno));
		return -1;
	}
	pid = fork();
	if (pid < 0) {
		warnx("fork: %s", strerror(errno));
		return -1;
	}
	if (pid == 0) {
		sigset_t none;

		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		signal(SIGPIPE, SIG_DFL);
		signal(SIGINT, SIG_DFL);
		signal(SIGTERM, SIG_DFL);
		close(fds[1]);
		if (dup2(env.child_stdout_fd >= 0 ? env.child_stdout_fd : 2, 1) < 0) {
			warnx("cannot set up the command's stdout: %s", strerror(errno));
			_exit(126);
		}
		if (env.child_stdout_fd > 2)
			close(env.child_stdout_fd);
		if (drop_to_sudo_user())
			_exit(126);
		if (read(fds[0], &c, 1) != 1)
			_exit(126);	/* the loader went away */
		execv(path, argv);
		warnx("cannot run %s: %s", path, strerror(errno));
		_exit(errno == ENOENT ? 127 : 126);
	}
	close(fds[0]);
	if (env.child_stdout_fd > 2)
		close(env.child_stdout_fd);
	*release_fd = fds[1];
	return pid;
}

/* ---- widening the kernel's 32-bit bucket counters to 64 bits ---- */

/* one (process, syscall) entry's bucket history in the loader */
struct wide_entry {
	uint32_t tgid, nr;
	bool used;
	uint32_t prev[COARSE_BUCKETS];
	uint64_t cum[COARSE_BUCKETS];
};

static struct {
	uint32_t prev[NR_SLOTS][FINE_BUCKETS];
	uint64_t cum[NR_SLOTS][FINE_BUCKETS];
} *fine_wide;

static struct wide_entry *coarse_wide;
static size_t coarse_cap;	/* power of two */

/* counters wrap at 2^32; deltas between reads are far smaller than that */
static void widen(const uint32_t *now, uint32_t *prev, uint64_t *cum, int n)
{
	for (int i = 0; i < n; i++) {
		cum[i] += (uint32_t)(now[i] - prev[i]);
		prev[i] = now[i];
	}
}

static size_t coarse_home(uint32_t tgid, uint32_t nr)
{
	return ((uint64_t)tgid * 0x9E3779B97F4A7C15ULL ^ nr * 0xC2B2AE3D27D4EB4FULL) >> 17;
}

/* forget an evicted process's entry: backward-shift deletion (linear probing) */
static void coarse_forget(uint32_t tgid, uint32_t nr)
{
	size_t mask = coarse_cap - 1, h = coarse_home(tgid, nr), i = SIZE_MAX, j, k;

	for (size_t n = 0; n < coarse_cap; n++) {
		struct wide_entry *e = &coarse_wide[(h + n) & mask];

		if (!e->used)
			return;
		if (e->tgid == tgid && e->nr == nr) {
			i = (h + n) & mask;
			break;
		}
	}
	if (i == SIZE_MAX)
		return;
	coarse_wide[i].used = false;
	for (j = (i + 1) & mask; coarse_wide[j].used; j = (j + 1) & mask) {
		k = coarse_home(coarse_wide[j].tgid, coarse_wide[j].nr) & mask;
		/* an entry whose home lies cyclically in (i, j] stays where it is */
		if (i <= j ? (i < k && k <= j) : (i < k || k <= j))
			continue;
		coarse_wide[i] = coarse_wide[j];
		coarse_wide[j].used = false;
		i = j;
	}
}

static struct wide_entry *coarse_entry(uint32_t tgid, uint32_t nr)
{
	size_t h = coarse_home(tgid, nr);

	for (size_t i = 0; i < coarse_cap; i++) {
		struct wide_entry *e = &coarse_wide[(h + i) & (coarse_cap - 1)];

		if (!e->used) {
			e->used = true;
			e->tgid = tgid;
			e->nr = nr;
			return e;
		}
		if (e->tgid == tgid && e->nr == nr)
			return e;
	}
	return NULL;
}

/* ---- event mode: ring buffer records to EventBatch frames ---- */

static bool write_frame(const Syscallprof__Frame *frame);

/* extra data per syscall (x86_64 numbers): kind << 4 | argument index */
static const struct { uint16_t nr; uint8_t kind, arg; } data_specs[] = {
	/* a path argument (execve's is gone by its exit: the exec event names it) */
	{ 2, DATA_PATH, 0 },	/* open */
	{ 4, DATA_PATH, 0 },	/* stat */
	{ 6, DATA_PATH, 0 },	/* lstat */
	{ 21, DATA_PATH, 0 },	/* access */
	{ 76, DATA_PATH, 0 },	/* truncate */
	{ 80, DATA_PATH, 0 },	/* chdir */
	{ 82, DATA_PATH, 0 },	/* rename */
	{ 83, DATA_PATH, 0 },	/* mkdir */
	{ 84, DATA_PATH, 0 },	/* rmdir */
	{ 85, DATA_PATH, 0 },	/* creat */
	{ 86, DATA_PATH, 0 },	/* link */
	{ 87, DATA_PATH, 0 },	/* unlink */
	{ 88, DATA_PATH, 0 },	/* symlink */
	{ 89, DATA_PATH, 0 },	/* readlink */
	{ 90, DATA_PATH, 0 },	/* chmod */
	{ 92, DATA_PATH, 0 },	/* chown */
	{ 133, DATA_PATH, 0 },	/* mknod */
	{ 137, DATA_PATH, 0 },	/* statfs */
	{ 191, DATA_PATH, 0 },	/* getxattr */
	{ 192, DATA_PATH, 0 },	/* lgetxattr */
	{ 254, DATA_PATH, 1 },	/* inotify_add_watch */
	{ 257, DATA_PATH, 1 },	/* openat */
	{ 258, DATA_PATH, 1 },	/* mkdirat */
	{ 259, DATA_PATH, 1 },	/* mknodat */
	{ 260, DATA_PATH, 1 },	/* fchownat */
	{ 262, DATA_PATH, 1 },	/* newfstatat */
	{ 263, DATA_PATH, 1 },	/* unlinkat */
	{ 264, DATA_PATH, 1 },	/* renameat */
	{ 265, DATA_PATH, 1 },	/* linkat */
	{ 267, DATA_PATH, 1 },	/* readlinkat */
	{ 268, DATA_PATH, 1 },	/* fchmodat */
	{ 269, DATA_PATH, 1 },	/* faccessat */
	{ 280, DATA_PATH, 1 },	/* utimensat */
	{ 316, DATA_PATH, 1 },	/* renameat2 */
	{ 332, DATA_PATH, 1 },	/* statx */
	{ 437, DATA_PATH, 1 },	/* openat2 */
	{ 439, DATA_PATH, 1 },	/* faccessat2 */
	/* a socket address and its length */
	{ 42, DATA_SOCKADDR, 1 },	/* connect */
	{ 44, DATA_SOCKADDR, 4 },	/* sendto */
	{ 49, DATA_SOCKADDR, 1 },	/* bind */
	/* a socket address the kernel filled, and a pointer to its length */
	{ 43, DATA_SOCKADDR_PTRLEN, 1 },	/* accept */
	{ 45, DATA_SOCKADDR_PTRLEN, 4 },	/* recvfrom */
	{ 51, DATA_SOCKADDR_PTRLEN, 1 },	/* getsockname */
	{ 52, DATA_SOCKADDR_PTRLEN, 1 },	/* getpeername */
	{ 288, DATA_SOCKADDR_PTRLEN, 1 },	/* accept4 */
	/* two fds the kernel filled */
	{ 22, DATA_PIPE_FDS, 0 },	/* pipe */
	{ 53, DATA_PIPE_FDS, 3 },	/* socketpair */
	{ 293, DATA_PIPE_FDS, 0 },	/* pipe2 */
};

struct batch {
	size_t n;
	uint64_t start[BATCH_MAX], dur[BATCH_MAX];
	uint32_t pid[BATCH_MAX], tid[BATCH_MAX], nr[BATCH_MAX];
	int64_t ret[BATCH_MAX], pos[BATCH_MAX];
	uint64_t off[BATCH_MAX], runq[BATCH_MAX];
	uint64_t args[6][BATCH_MAX];
	size_t ndata;
	Syscallprof__EventData data[BATCH_MAX];
	Syscallprof__EventData *data_ptrs[BATCH_MAX];
	uint8_t data_bytes[BATCH_MAX][EV_DATA_MAX];
	size_t nproc;
	Syscallprof__ProcessEvent procs[PROC_MAX];
	Syscallprof__ProcessEvent *proc_ptrs[PROC_MAX];
	char proc_comm[PROC_MAX][17];
	bool failed;	/* stdout is gone */
};

/* the last command name sent for each pid, so names go out once */
#define COMM_SLOTS (1 << 16)
static struct comm_entry {
	uint32_t pid;
	char comm[16];
} *comm_tab;
static size_t comm_used;

static struct comm_entry *comm_slot(uint32_t pid)
{
	size_t h = (pid * 2654435761u) & (COMM_SLOTS - 1);

	if (comm_used > COMM_SLOTS / 4 * 3) {
		/* forget them all: names are simply sent again */
		memset(comm_tab, 0, sizeof(*comm_tab) * COMM_SLOTS);
		comm_used = 0;
	}
	for (;; h = (h + 1) & (COMM_SLOTS - 1)) {
		if (comm_tab[h].pid == pid)
			return &comm_tab[h];
		if (!comm_tab[h].pid) {
			comm_tab[h].pid = pid;
			comm_tab[h].comm[0] = 0;
			comm_used++;
			return &comm_tab[h];
		}
	}
}

static bool flush_batch(struct batch *b)
{
	Syscallprof__Frame frame = SYSCALLPROF__FRAME__INIT;
	Syscallprof__EventBatch eb = SYSCALLPROF__EVENT_BATCH__INIT;
	uint64_t *argcols[6];

	if ((!b->n && !b->nproc) || b->failed)
		return !b->failed;
	eb.n_start_ns = eb.n_duration_ns = eb.n_pid = eb.n_tid = eb.n_nr = eb.n_ret = b->n;
	eb.n_arg0 = eb.n_arg1 = eb.n_arg2 = eb.n_arg3 = eb.n_arg4 = eb.n_arg5 = eb.n_pos = b->n;
	eb.start_ns = b->start;
	eb.duration_ns = b->dur;
	eb.pid = b->pid;
	eb.tid = b->tid;
	eb.nr = b->nr;
	eb.ret = b->ret;
	eb.pos = b->pos;
	if (!env.no_offcpu) {
		eb.n_off_cpu_ns = eb.n_runq_ns = b->n;
		eb.off_cpu_ns = b->off;
		eb.runq_ns = b->runq;
	}
	for (int k = 0; k < 6; k++)
		argcols[k] = b->args[k];
	eb.arg0 = argcols[0];
	eb.arg1 = argcols[1];
	eb.arg2 = argcols[2];
	eb.arg3 = argcols[3];
	eb.arg4 = argcols[4];
	eb.arg5 = argcols[5];
	eb.n_data = b->ndata;
	eb.data = b->data_ptrs;
	eb.n_process_events = b->nproc;
	eb.process_events = b->proc_ptrs;
	frame.body_case = SYSCALLPROF__FRAME__BODY_EVENTS;
	frame.events = &eb;
	if (!write_frame(&frame))
		b->failed = true;
	b->n = b->ndata = b->nproc = 0;
	return !b->failed;
}

static void add_proc(struct batch *b, uint32_t kind, uint32_t pid, uint32_t child, uint64_t t,
		     const char *comm)
{
	Syscallprof__ProcessEvent *p;

	if (b->nproc == PROC_MAX)
		flush_batch(b);
	p = &b->procs[b->nproc];
	syscallprof__process_event__init(p);
	p->kind = kind;
	p->time_ns = t;
	p->pid = pid;
	p->child = child;
	memcpy(b->proc_comm[b->nproc], comm, 16);
	b->proc_comm[b->nproc][16] = 0;
	p->comm = b->proc_comm[b->nproc];
	b->proc_ptrs[b->nproc++] = p;
}

static int on_record(void *ctx, void *data, size_t size)
{
	static const int wire_kind[] = {
		[DATA_PATH] = SYSCALLPROF__EVENT_DATA__KIND__PATH,
		[DATA_SOCKADDR] = SYSCALLPROF__EVENT_DATA__KIND__SOCKADDR,
		[DATA_SOCKADDR_PTRLEN] = SYSCALLPROF__EVENT_DATA__KIND__SOCKADDR,
		[DATA_PIPE_FDS] = SYSCALLPROF__EVENT_DATA__KIND__PIPE_FDS,
	};
	struct batch *b = ctx;
	const struct ev_call *e = data;
	struct comm_entry *c;
	size_t i;

	if (size < sizeof(uint32_t))
		return 0;
	if (e->type == EV_PROC && size >= sizeof(struct ev_proc)) {
		const struct ev_proc *p = data;

		/* rows before an exec or exit go out under the old name and fds */
		if (p->kind != PROC_FORK && b->n)
			flush_batch(b);
		add_proc(b, p->kind, p->pid, p->child, p->time_ns, p->comm);
		if (p->kind == PROC_EXEC)
			memcpy(comm_slot(p->pid)->comm, p->comm, 16);
		return b->failed ? -1 : 0;
	}
	if (e->type != EV_CALL || size < sizeof(*e))
		return 0;
	/* a pid's name goes out before its first row, and again if it changes */
	c = comm_slot(e->pid);
	if (strncmp(c->comm, e->comm, 16)) {
		if (c->comm[0] && b->n)
			flush_batch(b);
		add_proc(b, SYSCALLPROF__PROCESS_EVENT__KIND__NAME, e->pid, 0, e->start_ns, e->comm);
		memcpy(c->comm, e->comm, 16);
	}
	if (b->n == BATCH_MAX)
		flush_batch(b);
	i = b->n++;
	b->start[i] = e->start_ns;
	b->dur[i] = e->duration_ns;
	b->pid[i] = e->pid;
	b->tid[i] = e->tid;
	b->nr[i] = e->nr;
	b->ret[i] = e->ret;
	b->pos[i] = e->pos;
	b->off[i] = e->off_cpu_ns;
	b->runq[i] = e->runq_ns;
	for (int k = 0; k < 6; k++)
		b->args[k][i] = e->args[k];
	if (e->data_len && e->data_kind > 0 && e->data_kind <= DATA_PIPE_FDS &&
	    e->data_len <= EV_DATA_MAX && size >= sizeof(*e) + e->data_len) {
		Syscallprof__EventData *d = &b->data[b->ndata];

		syscallprof__event_data__init(d);
		d->row = i;
		d->kind = wire_kind[e->data_kind];
		memcpy(b->data_bytes[b->ndata], e->data, e->data_len);
		d->value.len = e->data_len;
		d->value.data = b->data_bytes[b->ndata];
		b->data_ptrs[b->ndata++] = d;
	}
	return b->failed ? -1 : 0;
}

/* hand everything the kernel has queued to stdout; false when stdout is gone */
static bool drain_events(struct ring_buffer *rb, struct batch *b)
{
	if (!rb)
		return true;
	ring_buffer__consume(rb);
	return flush_batch(b);
}

/* ---- state of a run ---- */

struct run {
	struct syscall_prof_bpf *skel;
	int ncpus;
	int stats_fd;
	uint64_t stats_since;	/* when the current statistics window opened */
	uint64_t stats_until;	/* when it closes (sampled mode) */
	uint64_t cost_window_ns;	/* closed windows, summed */
	uint64_t base_ns;
	uint64_t start_mono, start_real;
	uint64_t seq;
	long pid_max;
	const uint64_t *starts_mem;
	size_t starts_len;
	uint64_t map_bytes;
	pid_t child;
	int child_status;
	uint64_t child_cpu_ns;	/* user + system time of the command, from wait4 */
	uint32_t *listed;	/* tgids of the last snapshot's process list (--evict-exited) */
	size_t nlisted;
	uint32_t *gone;		/* room for as many: those of them that have exited */
	bool child_done;
	int pidfds[MAX_PIDS];
	bool pid_done[MAX_PIDS];
	uint32_t target_tgids[MAX_PIDS];
	int ntargets;
	/* scratch buffers for map reads */
	struct fine_stats *fine_vals;
	struct proc_key *pkeys;
	struct coarse_stats *pvals;
	uint32_t *sum32;
	struct ring_buffer *rb;
	struct batch *batch;
};

/* write all of buf; false when stdout is gone */
static bool write_all(const void *buf, size_t len)
{
	const char *p = buf;

	while (len) {
		ssize_t n = write(STDOUT_FILENO, p, len);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno != EPIPE)
				warnx("writing a frame to stdout: %s", strerror(errno));
			return false;
		}
		p += n;
		len -= n;
	}
	return true;
}

static bool write_frame(const Syscallprof__Frame *frame)
{
	size_t len = syscallprof__frame__get_packed_size(frame);
	uint8_t hdr[10], *buf;
	size_t h = 0, v = len;
	bool ok;

	do {
		hdr[h++] = (v & 0x7f) | (v > 0x7f ? 0x80 : 0);
		v >>= 7;
	} while (v);
	buf = malloc(h + len);
	if (!buf) {
		warnx("out of memory packing a frame of %zu bytes", len);
		return false;
	}
	memcpy(buf, hdr, h);
	syscallprof__frame__pack(frame, buf + h);
	ok = write_all(buf, h + len);
	free(buf);
	return ok;
}

/* sum of /proc/self/fdinfo memlock over our maps: the kernel's own accounting */
static uint64_t maps_memlock(struct bpf_object *obj)
{
	struct bpf_map *map;
	uint64_t total = 0;

	bpf_object__for_each_map(map, obj) {
		char path[64], line[128];
		unsigned long long v;
		FILE *f;

		snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", bpf_map__fd(map));
		f = fopen(path, "r");
		if (!f)
			continue;
		while (fgets(line, sizeof(line), f))
			if (sscanf(line, "memlock: %llu", &v) == 1)
				total += v;
		fclose(f);
	}
	return total;
}

static bool emit_header(struct run *r)
{
	Syscallprof__Frame frame = SYSCALLPROF__FRAME__INIT;
	Syscallprof__Header hdr = SYSCALLPROF__HEADER__INIT;
	Syscallprof__HistogramLayout fine = SYSCALLPROF__HISTOGRAM_LAYOUT__INIT;
	Syscallprof__HistogramLayout coarse = SYSCALLPROF__HISTOGRAM_LAYOUT__INIT;
	uint32_t pids[MAX_PIDS];
	int n = 0;

	for (int i = 0; i < env.npids; i++)
		pids[n++] = env.pids[i];
	if (r->child > 0)
		pids[n++] = r->child;
	fine.sub_bits = FINE_SUB_BITS;
	fine.buckets = FINE_BUCKETS;
	coarse.sub_bits = COARSE_SUB_BITS;
	coarse.buckets = COARSE_BUCKETS;
	hdr.version = WIRE_VERSION;
	hdr.arch = SYSCALLPROF__ARCH__ARCH_X86_64;
	hdr.mode = env.command ? SYSCALLPROF__MODE__MODE_COMMAND : env.npids ? SYSCALLPROF__MODE__MODE_PID :
		   env.cgroup ? SYSCALLPROF__MODE__MODE_CGROUP : SYSCALLPROF__MODE__MODE_ALL;
	hdr.n_pids = n;
	hdr.pids = pids;
	hdr.follow = env.follow;
	hdr.start_mono_ns = r->start_mono;
	hdr.start_real_ns = r->start_real;
	hdr.fine = &fine;
	hdr.coarse = &coarse;
	hdr.interval_ms = env.interval_ms;
	hdr.bpf_map_bytes = r->map_bytes;
	hdr.cgroup = (char *)(env.cgroup ? env.cgroup : "");
	if (env.command) {
		while (env.command[hdr.n_command])
			hdr.n_command++;
		hdr.command = env.command;
	}
	hdr.cost_stats = cost_wire[env.empty_mode ? COST_OFF : env.cost_mode];
	hdr.events = env.events;
	hdr.n_event_syscalls = env.n_ev_nrs;
	hdr.event_syscalls = env.ev_nrs;
	hdr.event_min_duration_ns = env.min_duration_ns;
	hdr.event_failed_only = env.failed_only;
	hdr.ringbuf_bytes = env.events ? env.ringbuf_mb << 20 : 0;
	hdr.offcpu = !env.no_offcpu && !env.empty_mode;
	frame.body_case = SYSCALLPROF__FRAME__BODY_HEADER;
	frame.header = &hdr;
	return write_frame(&frame);
}

/* a SyscallStats message for cumulative 64-bit buckets, sparse */
static Syscallprof__SyscallStats *make_stats(uint32_t tgid, uint32_t nr, uint64_t count,
					     uint64_t errors, uint64_t total, uint64_t max,
					     uint64_t off, uint64_t runq, const uint64_t *cum, int nb)
{
	Syscallprof__SyscallStats *s = calloc(1, sizeof(*s));
	int nz = 0;

	if (!s)
		return NULL;
	syscallprof__syscall_stats__init(s);
	s->tgid = tgid;
	s->nr = nr;
	s->count = count;
	s->errors = errors;
	s->total_ns = total;
	s->max_ns = max;
	s->off_cpu_ns = off;
	s->runq_ns = runq;
	for (int i = 0; i < nb; i++)
		nz += cum[i] != 0;
	s->bucket_index = calloc(nz ? nz : 1, sizeof(uint32_t));
	s->bucket_count = calloc(nz ? nz : 1, sizeof(uint64_t));
	if (!s->bucket_index || !s->bucket_count) {
		free(s->bucket_index);
		free(s->bucket_count);
		free(s);
		return NULL;
	}
	for (int i = 0; i < nb; i++) {
		if (!cum[i])
			continue;
		s->bucket_index[s->n_bucket_index++] = i;
		s->bucket_count[s->n_bucket_count++] = cum[i];
	}
	return s;
}

static void free_stats_list(Syscallprof__SyscallStats **list, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(list[i]->bucket_index);
		free(list[i]->bucket_count);
		free(list[i]);
	}
	free(list);
}

/* read a per-CPU array with one batch call, or key by key where unsupported */
static int read_percpu_array(int fd, void *vals, size_t value_size, uint32_t n)
{
	uint32_t out_batch, count = n;
	uint32_t *keys = calloc(n, sizeof(uint32_t));
	int err;

	if (!keys)
		return -ENOMEM;
	err = bpf_map_lookup_batch(fd, NULL, &out_batch, keys, vals, &count, NULL);
	if (err && errno != ENOENT) {
		/* older kernels: no batch ops on arrays */
		for (uint32_t k = 0; k < n; k++) {
			err = bpf_map_lookup_elem(fd, &k, (char *)vals + (size_t)k * value_size);
			if (err)
				break;
		}
	} else {
		err = 0;
	}
	free(keys);
	return err;
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

static bool is_gone(const uint32_t *gone, size_t ngone, uint32_t tgid)
{
	return ngone && bsearch(&tgid, gone, ngone, sizeof(tgid), cmp_u32);
}

/*
 * --evict-exited: the entries of processes that were gone before this read
 * have just been reported for the last time; drop them from the kernel's
 * per-process table and from our widening state, and remember the rest for
 * the next round. (a pid reused before we notice keeps the old totals.)
 */
static void evict_exited(struct run *r, const uint32_t *gone, size_t ngone, uint32_t nkeys,
			 const uint32_t *listed, uint32_t nlisted)
{
	int pfd = bpf_map__fd(r->skel->maps.proc_stats), cfd = bpf_map__fd(r->skel->maps.comms);
	uint32_t *keep;

	for (uint32_t i = 0; i < nkeys && ngone; i++) {
		if (!is_gone(gone, ngone, r->pkeys[i].tgid))
			continue;
		bpf_map_delete_elem(pfd, &r->pkeys[i]);
		coarse_forget(r->pkeys[i].tgid, r->pkeys[i].nr);
	}
	for (size_t t = 0; t < ngone; t++)
		bpf_map_delete_elem(cfd, &gone[t]);
	keep = realloc(r->listed, (nlisted ? nlisted : 1) * sizeof(*keep));
	if (!keep)
		return;
	r->listed = keep;
	r->nlisted = 0;
	for (uint32_t t = 0; t < nlisted; t++)
		if (!is_gone(gone, ngone, listed[t]))
			r->listed[r->nlisted++] = listed[t];
	/* room for the next round's exited ones, which are among these (gone is r->gone: done with it) */
	keep = realloc(r->gone, (nlisted ? nlisted : 1) * sizeof(*keep));
	if (!keep) {
		r->nlisted = 0;
		return;
	}
	r->gone = keep;
}

#define MAX_ERRNOS 4096	/* the errnos map's size */

/* failed calls by (syscall, errno), walking the hash (errors are few) */
static size_t read_errnos(struct run *r, Syscallprof__ErrnoCount *store, Syscallprof__ErrnoCount **ptrs,
			  size_t max)
{
	int fd = bpf_map__fd(r->skel->maps.errnos);
	struct errno_key key, next, *prev = NULL;
	size_t n = 0;
	__u64 count;

	while (n < max && !bpf_map_get_next_key(fd, prev, &next)) {
		key = next;
		prev = &key;
		if (bpf_map_lookup_elem(fd, &key, &count))
			continue;
		syscallprof__errno_count__init(&store[n]);
		store[n].nr = key.nr;
		store[n].err = key.err;
		store[n].count = count;
		ptrs[n] = &store[n];
		n++;
	}
	return n;
}

/* the wire's StopReason for the main loop's reason string (NULL: not final) */
static Syscallprof__StopReason stop_reason_wire(const char *reason)
{
	static const struct {
		const char *name;
		Syscallprof__StopReason value;
	} reasons[] = {
		{ "duration", SYSCALLPROF__STOP_REASON__STOP_REASON_DURATION },
		{ "signal", SYSCALLPROF__STOP_REASON__STOP_REASON_SIGNAL },
		{ "target-exit", SYSCALLPROF__STOP_REASON__STOP_REASON_TARGET_EXIT },
		{ "stdout-closed", SYSCALLPROF__STOP_REASON__STOP_REASON_STDOUT_CLOSED },
		{ "parent-died", SYSCALLPROF__STOP_REASON__STOP_REASON_PARENT_DIED },
	};

	for (size_t i = 0; reason && i < sizeof(reasons) / sizeof(reasons[0]); i++)
		if (!strcmp(reason, reasons[i].name))
			return reasons[i].value;
	return SYSCALLPROF__STOP_REASON__STOP_REASON_UNSPECIFIED;
}

static bool emit_snapshot(struct run *r, bool final, const char *reason, int ncpu)
{
	Syscallprof__Frame frame = SYSCALLPROF__FRAME__INIT;
	Syscallprof__Snapshot snap = SYSCALLPROF__SNAPSHOT__INIT;
	Syscallprof__Health health = SYSCALLPROF__HEALTH__INIT;
	Syscallprof__TargetExit texit = SYSCALLPROF__TARGET_EXIT__INIT;
	Syscallprof__SyscallStats **sys = NULL, **procs = NULL;
	Syscallprof__Process **plist = NULL;
	Syscallprof__InFlight **inflight = NULL;
	Syscallprof__ProgramCost *costs[16], cost_store[16];
	static Syscallprof__ErrnoCount errnos[MAX_ERRNOS];
	static Syscallprof__ErrnoCount *errno_ptrs[MAX_ERRNOS];
	struct bpf_program *prog;
	size_t nsys = 0, nprocs = 0, nplist = 0, ninflight = 0, ncost = 0;
	uint64_t now = clock_ns(CLOCK_MONOTONIC);
	int fd, err;
	bool ok = false;

	/* per-syscall stats: sum the CPUs, widen the buckets */
	fd = bpf_map__fd(r->skel->maps.syscall_stats);
	err = read_percpu_array(fd, r->fine_vals, sizeof(struct fine_stats) * ncpu, NR_SLOTS);
	if (err) {
		warnx("reading syscall_stats: %s", strerror(errno));
		return false;
	}
	sys = calloc(NR_SLOTS, sizeof(*sys));
	if (!sys)
		goto out;
	for (uint32_t nr = 0; nr < NR_SLOTS; nr++) {
		uint64_t count = 0, errors = 0, total = 0, max = 0, off = 0, runq = 0;

		memset(r->sum32, 0, sizeof(uint32_t) * FINE_BUCKETS);
		for (int c = 0; c < ncpu; c++) {
			const struct fine_stats *f = &r->fine_vals[(size_t)nr * ncpu + c];

			count += f->count;
			errors += f->errors;
			total += f->total_ns;
			off += f->off_cpu_ns;
			runq += f->runq_ns;
			if (f->max_ns > max)
				max = f->max_ns;
			for (int b = 0; b < FINE_BUCKETS; b++)
				r->sum32[b] += f->buckets[b];
		}
		widen(r->sum32, fine_wide->prev[nr], fine_wide->cum[nr], FINE_BUCKETS);
		if (!count)
			continue;
		sys[nsys] = make_stats(0, nr, count, errors, total, max, off, runq, fine_wide->cum[nr],
					       FINE_BUCKETS);
		if (!sys[nsys])
			goto out;
		nsys++;
	}

	/* per-(process, syscall) stats */
	{
		uint32_t max_entries = bpf_map__max_entries(r->skel->maps.proc_stats);
		uint32_t count = max_entries, out_batch;
		void *in = NULL;
		uint32_t tgids_seen = 0;
		uint32_t *tgid_list;
		/* processes listed last time that are gone by now: all their calls are in the map */
		uint32_t *gone = r->gone;
		size_t ngone = 0;

		for (size_t t = 0; t < r->nlisted; t++)
			if (kill(r->listed[t], 0) && errno == ESRCH)
				gone[ngone++] = r->listed[t];
		qsort(gone, ngone, sizeof(*gone), cmp_u32);

		fd = bpf_map__fd(r->skel->maps.proc_stats);
		count = 0;
		/* batches until ENOENT: the kernel walks the buckets in order */
		for (;;) {
			uint32_t n = max_entries - count;

			if (!n)
				break;
			err = bpf_map_lookup_batch(fd, in, &out_batch, r->pkeys + count,
						   (char *)r->pvals + (size_t)count * sizeof(struct coarse_stats) * ncpu,
						   &n, NULL);
			count += n;
			if (err) {
				if (errno != ENOENT)
					warnx("reading proc_stats: %s", strerror(errno));
				break;
			}
			in = &out_batch;
		}
		procs = calloc(count ? count : 1, sizeof(*procs));
		tgid_list = calloc(count ? count : 1, sizeof(uint32_t));
		if (!procs || !tgid_list) {
			free(tgid_list);
			goto out;
		}
		for (uint32_t i = 0; i < count; i++) {
			struct wide_entry *w = coarse_entry(r->pkeys[i].tgid, r->pkeys[i].nr);
			uint64_t cnt = 0, errors = 0, total = 0, max = 0, off = 0, runq = 0;
			uint32_t sum[COARSE_BUCKETS] = {};
			bool known = false;

			if (!w)
				continue;
			for (int c = 0; c < ncpu; c++) {
				const struct coarse_stats *s = &r->pvals[(size_t)i * ncpu + c];

				cnt += s->count;
				errors += s->errors;
				total += s->total_ns;
				off += s->off_cpu_ns;
				runq += s->runq_ns;
				if (s->max_ns > max)
					max = s->max_ns;
				for (int b = 0; b < COARSE_BUCKETS; b++)
					sum[b] += s->buckets[b];
			}
			widen(sum, w->prev, w->cum, COARSE_BUCKETS);
			procs[nprocs] = make_stats(w->tgid, w->nr, cnt, errors, total, max, off, runq, w->cum,
						   COARSE_BUCKETS);
			if (!procs[nprocs]) {
				free(tgid_list);
				goto out;
			}
			nprocs++;
			for (uint32_t t = 0; t < tgids_seen; t++)
				if (tgid_list[t] == w->tgid)
					known = true;
			if (!known)
				tgid_list[tgids_seen++] = w->tgid;
		}
		plist = calloc(tgids_seen ? tgids_seen : 1, sizeof(*plist));
		if (!plist) {
			free(tgid_list);
			goto out;
		}
		for (uint32_t t = 0; t < tgids_seen; t++) {
			char comm[16] = {};
			Syscallprof__Process *p = calloc(1, sizeof(*p) + sizeof(comm) + 1);

			if (!p)
				break;
			syscallprof__process__init(p);
			p->tgid = tgid_list[t];
			p->comm = (char *)(p + 1);
			if (!bpf_map_lookup_elem(bpf_map__fd(r->skel->maps.comms), &tgid_list[t], comm))
				memcpy(p->comm, comm, sizeof(comm));
			plist[nplist++] = p;
		}
		if (env.evict_exited)
			evict_exited(r, gone, ngone, count, tgid_list, tgids_seen);
		free(tgid_list);
	}

	/* health counters */
	{
		uint64_t vals[CNT_MAX][ncpu];
		uint64_t sums[CNT_MAX] = {};

		fd = bpf_map__fd(r->skel->maps.counters);
		if (!read_percpu_array(fd, vals, sizeof(uint64_t) * ncpu, CNT_MAX))
			for (int k = 0; k < CNT_MAX; k++)
				for (int c = 0; c < ncpu; c++)
					sums[k] += vals[k][c];
		health.missed_starts = sums[CNT_MISSED_START];
		health.process_drops = sums[CNT_PROCESS_DROPS];
		health.untracked_threads = sums[CNT_UNTRACKED_THREADS];
		health.lost_events = sums[CNT_LOST_EVENTS];
		health.bad_syscall_nr = sums[CNT_BAD_NR];
	}

	/* calls still in flight: scan the start table (final snapshot only) */
	if (final && r->starts_mem) {
		inflight = calloc(MAX_IN_FLIGHT, sizeof(*inflight));
		for (size_t tid = 1; inflight && tid < r->starts_len; tid++) {
			uint64_t v = r->starts_mem[tid];
			Syscallprof__InFlight *f;
			pid_t tgid;

			if (!v || v == SLOT_FORK_CHILD)
				continue;
			tgid = tgid_of(tid);
			if (tgid < 0)
				continue;	/* gone since: nothing to report */
			if (ninflight == MAX_IN_FLIGHT) {
				health.in_flight_truncated++;
				continue;
			}
			f = calloc(1, sizeof(*f));
			if (!f)
				break;
			syscallprof__in_flight__init(f);
			f->tid = tid;
			f->tgid = tgid;
			f->nr = v & NR_MASK;
			f->age_ns = now - r->base_ns - ((v & ~SLOT_SWITCHED) >> NR_BITS);
			inflight[ninflight++] = f;
		}
	}

	/* our own cost, from the kernel's run-time statistics */
	bpf_object__for_each_program(prog, r->skel->obj) {
		struct bpf_prog_info info = {};
		uint32_t len = sizeof(info);

		if (ncost == 16 || bpf_program__fd(prog) < 0 || !bpf_program__autoload(prog))
			continue;
		if (bpf_obj_get_info_by_fd(bpf_program__fd(prog), &info, &len))
			continue;
		syscallprof__program_cost__init(&cost_store[ncost]);
		cost_store[ncost].name = (char *)bpf_program__name(prog);
		cost_store[ncost].run_time_ns = info.run_time_ns;
		cost_store[ncost].run_count = info.run_cnt;
		costs[ncost] = &cost_store[ncost];
		ncost++;
	}

	snap.seq = r->seq++;
	snap.mono_ns = now;
	snap.final = final;
	snap.n_syscalls = nsys;
	snap.syscalls = sys;
	snap.n_processes = nprocs;
	snap.processes = procs;
	snap.n_procs = nplist;
	snap.procs = plist;
	snap.n_in_flight = ninflight;
	snap.in_flight = inflight;
	snap.health = &health;
	snap.n_cost = ncost;
	snap.cost = costs;
	snap.stop_reason = stop_reason_wire(reason);
	snap.cost_window_ns = r->cost_window_ns + (r->stats_fd >= 0 ? now - r->stats_since : 0);
	snap.n_errnos = read_errnos(r, errnos, errno_ptrs, MAX_ERRNOS);
	snap.errnos = errno_ptrs;
	if (final && r->child > 0 && r->child_done) {
		texit.pid = r->child;
		texit.exited = WIFEXITED(r->child_status);
		texit.code = WIFEXITED(r->child_status) ? WEXITSTATUS(r->child_status) : 0;
		texit.signal = WIFSIGNALED(r->child_status) ? WTERMSIG(r->child_status) : 0;
		texit.cpu_ns = r->child_cpu_ns;
		snap.exit = &texit;
	}
	frame.body_case = SYSCALLPROF__FRAME__BODY_SNAPSHOT;
	frame.snapshot = &snap;
	ok = write_frame(&frame);
out:
	if (sys)
		free_stats_list(sys, nsys);
	if (procs)
		free_stats_list(procs, nprocs);
	for (size_t i = 0; i < nplist; i++)
		free(plist[i]);
	free(plist);
	for (size_t i = 0; i < ninflight; i++)
		free(inflight[i]);
	free(inflight);
	return ok;
}

/* open a window of BPF run-time statistics */
static void stats_on(struct run *r, uint64_t now)
{
	if (r->stats_fd >= 0)
		return;
	r->stats_fd = bpf_enable_stats(BPF_STATS_RUN_TIME);
	if (r->stats_fd < 0) {
		warnx("cannot enable BPF run-time statistics: %s (cost not reported)", strerror(errno));
		env.cost_mode = COST_OFF;
		return;
	}
	r->stats_since = now;
	r->stats_until = now + env.interval_ms * 10000ULL * COST_DUTY_PCT;
}

static void stats_off(struct run *r, uint64_t now)
{
	if (r->stats_fd < 0)
		return;
	close(r->stats_fd);
	r->stats_fd = -1;
	r->cost_window_ns += now - r->stats_since;
}

#define CGROUP2_MAGIC 0x63677270

static uint64_t cgroup_id(const char *path)
{
	struct statfs fs;
	struct stat st;

	if (stat(path, &st)) {
		warnx("--cgroup %s: %s", path, strerror(errno));
		exit(EXIT_USAGE);
	}
	if (!S_ISDIR(st.st_mode)) {
		warnx("--cgroup %s: not a directory", path);
		exit(EXIT_USAGE);
	}
	if (statfs(path, &fs) || fs.f_type != CGROUP2_MAGIC) {
		warnx("--cgroup %s: not a cgroup v2 directory (with the hybrid layout, look under /sys/fs/cgroup/unified)", path);
		exit(EXIT_USAGE);
	}
	/* on cgroup v2 the directory's inode number is the cgroup id */
	return st.st_ino;
}

int main(int argc, char **argv)
{
	struct run r = { .stats_fd = -1, .child = -1 };
	const char *reason = "signal";
	char *cmd_path = NULL;
	int release_fd = -1, err, ret = 1;
	uint64_t deadline = 0, next_tick;
	sigset_t block, orig;
	struct sigaction sa = { .sa_handler = on_signal };
	pid_t parent = getppid();

	parse_args(argc, argv);
	libbpf_set_print(libbpf_print);

	/* validate targets before touching the kernel */
	for (int i = 0; i < env.npids; i++) {
		pid_t tgid = tgid_of(env.pids[i]);

		if (tgid < 0) {
			warnx("--pid %d: no such process", env.pids[i]);
			return EXIT_USAGE;
		}
		r.pidfds[i] = pidfd_open(tgid);
		if (r.pidfds[i] < 0) {
			warnx("--pid %d: cannot watch it: %s", env.pids[i], strerror(errno));
			return EXIT_USAGE;
		}
		r.target_tgids[r.ntargets++] = tgid;
	}
	if (env.command) {
		cmd_path = resolve_command(env.command[0]);
		if (!cmd_path) {
			warnx("%s: command not found or not executable", env.command[0]);
			return EXIT_USAGE;
		}
	}

	/* signals: blocked except while we wait in ppoll */
	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGCHLD);
	sigaddset(&block, SIGHUP);
	sigprocmask(SIG_BLOCK, &block, &orig);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	sigaction(SIGCHLD, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	/* the controller's death ends us too */
	prctl(PR_SET_PDEATHSIG, SIGTERM);
	if (getppid() != parent)
		return 1;

	r.ncpus = libbpf_num_possible_cpus();
	if (r.ncpus <= 0) {
		warnx("cannot count possible CPUs: %s", strerror(-r.ncpus));
		return 1;
	}
	r.pid_max = read_pid_max();

	r.skel = syscall_prof_bpf__open();
	if (!r.skel) {
		warnx("opening the BPF object: %s", strerror(errno));
		return 1;
	}
	r.base_ns = clock_ns(CLOCK_MONOTONIC) - 1000;
	r.skel->rodata->base_ns = r.base_ns;
	r.skel->rodata->self_tgid = getpid();
	r.skel->rodata->other_tgid = env.exclude_pid;
	r.skel->rodata->filter_tgid = env.npids || env.command;
	r.skel->rodata->follow_children = env.follow;
	r.skel->rodata->per_process = !env.no_per_process;
	r.skel->rodata->event_mode = env.events;
	r.skel->rodata->ev_filter_nr = env.n_ev_nrs > 0;
	r.skel->rodata->ev_failed_only = env.failed_only;
	r.skel->rodata->ev_min_duration = env.min_duration_ns;
	bpf_map__set_max_entries(r.skel->maps.events, env.events ? env.ringbuf_mb << 20 : 4096);
	if (env.cgroup)
		r.skel->rodata->target_cgroup = cgroup_id(env.cgroup);
	bpf_map__set_max_entries(r.skel->maps.starts, r.pid_max);
	if (env.npids || env.command)
		bpf_map__set_max_entries(r.skel->maps.targets, r.pid_max);
	if (!env.max_entries) {
		/* keep the per-process map near 32 MB whatever the CPU count */
		long per = (long)sizeof(struct coarse_stats) * r.ncpus;

		env.max_entries = (32L << 20) / per;
		if (env.max_entries > 8192)
			env.max_entries = 8192;
		if (env.max_entries < 256)
			env.max_entries = 256;
	}
	bpf_map__set_max_entries(r.skel->maps.proc_stats, env.max_entries);
	bpf_map__set_max_entries(r.skel->maps.comms, env.max_entries);

	if (env.empty_mode) {
		struct bpf_program *p;

		bpf_object__for_each_program(p, r.skel->obj)
			bpf_program__set_autoload(p, false);
		bpf_program__set_autoload(r.skel->progs.sp_empty_enter, true);
		bpf_program__set_autoload(r.skel->progs.sp_empty_exit, true);
	} else {
		bpf_program__set_autoload(r.skel->progs.sp_empty_enter, false);
		bpf_program__set_autoload(r.skel->progs.sp_empty_exit, false);
		if (env.no_offcpu) {
			bpf_program__set_autoload(r.skel->progs.sp_switch, false);
			bpf_program__set_autoload(r.skel->progs.sp_wakeup, false);
		}
	}

	err = syscall_prof_bpf__load(r.skel);
	if (err) {
		if (err == -EPERM && geteuid() != 0) {
			warnx("loading BPF programs needs root (or CAP_BPF and CAP_PERFMON): run it with sudo");
			ret = EXIT_PERM;
			goto cleanup;
		}
		/* EACCES is the verifier refusing the program: a bug of ours */
		warnx("loading the BPF programs: %s%s", strerror(-err),
		      env.verbose ? "" : " (run with -v for the verifier log)");
		ret = err == -EPERM ? EXIT_PERM : 1;
		goto cleanup;
	}

	r.starts_len = r.pid_max;
	r.starts_mem = mmap(NULL, r.starts_len * sizeof(uint64_t), PROT_READ, MAP_SHARED,
			    bpf_map__fd(r.skel->maps.starts), 0);
	if (r.starts_mem == MAP_FAILED) {
		warnx("mapping the start table: %s (in-flight calls will not be reported)", strerror(errno));
		r.starts_mem = NULL;
	}

	if (env.events) {
		int sfd = bpf_map__fd(r.skel->maps.data_spec), nfd = bpf_map__fd(r.skel->maps.ev_nrs);
		uint8_t one = 1;

		for (size_t i = 0; i < sizeof(data_specs) / sizeof(data_specs[0]); i++) {
			uint32_t key = data_specs[i].nr;
			uint8_t v = data_specs[i].kind << 4 | data_specs[i].arg;

			bpf_map_update_elem(sfd, &key, &v, BPF_ANY);
		}
		for (int i = 0; i < env.n_ev_nrs; i++)
			bpf_map_update_elem(nfd, &env.ev_nrs[i], &one, BPF_ANY);
		r.batch = calloc(1, sizeof(*r.batch));
		comm_tab = calloc(COMM_SLOTS, sizeof(*comm_tab));
		if (!r.batch || !comm_tab) {
			warnx("out of memory for the event batch");
			goto cleanup;
		}
		r.rb = ring_buffer__new(bpf_map__fd(r.skel->maps.events), on_record, r.batch, NULL);
		if (!r.rb) {
			warnx("opening the event ring buffer: %s", strerror(errno));
			goto cleanup;
		}
	}

	fine_wide = calloc(1, sizeof(*fine_wide));
	for (coarse_cap = 1; coarse_cap < (size_t)env.max_entries * 2; coarse_cap <<= 1)
		;
	coarse_wide = calloc(coarse_cap, sizeof(*coarse_wide));
	r.fine_vals = calloc((size_t)NR_SLOTS * r.ncpus, sizeof(struct fine_stats));
	r.pkeys = calloc(env.max_entries, sizeof(struct proc_key));
	r.pvals = calloc((size_t)env.max_entries * r.ncpus, sizeof(struct coarse_stats));
	r.sum32 = calloc(FINE_BUCKETS, sizeof(uint32_t));
	if (!fine_wide || !coarse_wide || !r.fine_vals || !r.pkeys || !r.pvals || !r.sum32) {
		warnx("out of memory for the snapshot buffers");
		goto cleanup;
	}

	/* mark the targets before attaching, so nothing of theirs is missed */
	{
		int tfd = bpf_map__fd(r.skel->maps.targets);
		uint8_t yes = TARGET_YES, pending = TARGET_PENDING_EXEC;

		for (int i = 0; i < r.ntargets; i++) {
			if (bpf_map_update_elem(tfd, &r.target_tgids[i], &yes, BPF_ANY)) {
				warnx("--pid %u: cannot add it to the filter: %s", r.target_tgids[i],
				      strerror(errno));
				goto cleanup;
			}
		}
		if (env.command) {
			r.child = spawn_held(env.command, cmd_path, &release_fd);
			if (r.child < 0)
				goto cleanup;
			/* counted from its execve on; the pre-exec set-up is ours */
			if (bpf_map_update_elem(tfd, &r.child, &pending, BPF_ANY)) {
				warnx("cannot add the command to the filter: %s", strerror(errno));
				goto cleanup;
			}
		}
	}

	err = syscall_prof_bpf__attach(r.skel);
	if (err) {
		warnx("attaching to raw_syscalls: %s", strerror(-err));
		goto cleanup;
	}
	r.map_bytes = maps_memlock(r.skel->obj);
	r.start_mono = clock_ns(CLOCK_MONOTONIC);
	r.start_real = clock_ns(CLOCK_REALTIME);
	if (env.empty_mode)
		env.cost_mode = COST_OFF;
	if (env.cost_mode != COST_OFF)
		stats_on(&r, r.start_mono);
	if (!emit_header(&r)) {
		reason = "stdout-closed";
		goto cleanup;
	}
	if (release_fd >= 0) {
		if (write(release_fd, "g", 1) != 1)
			warnx("releasing the command: %s", strerror(errno));
		close(release_fd);
		release_fd = -1;
	}

	if (env.duration_s > 0)
		deadline = r.start_mono + (uint64_t)(env.duration_s * 1e9);
	next_tick = r.start_mono + env.interval_ms * 1000000ULL;
	for (;;) {
		struct pollfd pfds[MAX_PIDS + 1];
		int nfds = 0, n;
		uint64_t now = clock_ns(CLOCK_MONOTONIC), wake = next_tick;
		struct timespec ts;
		bool all_gone;

		if (deadline && deadline < wake)
			wake = deadline;
		if (env.cost_mode == COST_SAMPLED && r.stats_fd >= 0 && r.stats_until < wake)
			wake = r.stats_until;
		if (r.rb && now + DRAIN_MS * 1000000ULL < wake)
			wake = now + DRAIN_MS * 1000000ULL;
		ts.tv_sec = wake > now ? (wake - now) / 1000000000ULL : 0;
		ts.tv_nsec = wake > now ? (wake - now) % 1000000000ULL : 0;
		pfds[nfds++] = (struct pollfd){ .fd = STDOUT_FILENO, .events = 0 };
		for (int i = 0; i < r.ntargets; i++)
			pfds[nfds++] = (struct pollfd){ .fd = r.pid_done[i] ? -1 : r.pidfds[i],
							.events = POLLIN };
		n = ppoll(pfds, nfds, &ts, &orig);
		if (n < 0 && errno != EINTR) {
			warnx("ppoll: %s", strerror(errno));
			break;
		}
		if (got_signal == SIGINT || got_signal == SIGTERM || got_signal == SIGHUP) {
			reason = "signal";
			break;
		}
		if (getppid() != parent) {
			reason = "parent-died";
			break;
		}
		if (n > 0 && (pfds[0].revents & (POLLERR | POLLHUP))) {
			reason = "stdout-closed";
			break;
		}
		if (r.child > 0) {
			struct rusage ru;

			got_signal = 0;
			if (wait4(r.child, &r.child_status, WNOHANG, &ru) == r.child) {
				r.child_cpu_ns = (uint64_t)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1000000000ULL +
						 (uint64_t)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) * 1000ULL;
				r.child_done = true;
				reason = "target-exit";
				break;
			}
		}
		all_gone = r.ntargets > 0;
		for (int i = 0; i < r.ntargets; i++) {
			if (pfds[i + 1].revents & POLLIN)
				r.pid_done[i] = true;
			all_gone &= r.pid_done[i];
		}
		if (all_gone) {
			reason = "target-exit";
			break;
		}
		if (!drain_events(r.rb, r.batch)) {
			reason = "stdout-closed";
			break;
		}
		now = clock_ns(CLOCK_MONOTONIC);
		if (env.cost_mode == COST_SAMPLED && r.stats_fd >= 0 && now >= r.stats_until)
			stats_off(&r, now);
		if (deadline && now >= deadline) {
			reason = "duration";
			break;
		}
		if (now >= next_tick) {
			if (!emit_snapshot(&r, false, NULL, r.ncpus)) {
				reason = "stdout-closed";
				goto cleanup;
			}
			while (next_tick <= now)
				next_tick += env.interval_ms * 1000000ULL;
			if (env.cost_mode == COST_SAMPLED)
				stats_on(&r, now);
		}
	}
	/* detach before the final read: the counts stop moving */
	r.skel->bss->stopping = true;
	syscall_prof_bpf__detach(r.skel);
	/* every event the kernel queued goes out before the final snapshot */
	if (!drain_events(r.rb, r.batch))
		reason = "stdout-closed";
	if (!emit_snapshot(&r, true, reason, r.ncpus))
		ret = strcmp(reason, "stdout-closed") ? 1 : 0;
	else
		ret = 0;

cleanup:
	if (release_fd >= 0)
		close(release_fd);
	if (r.child > 0 && !r.child_done) {
		/* we are going away: the held or running command goes with us */
		if (ret != 0 || strcmp(reason, "signal")) {
			kill(r.child, SIGKILL);
			waitpid(r.child, NULL, 0);
		}
	}
	if (r.stats_fd >= 0)
		close(r.stats_fd);
	ring_buffer__free(r.rb);
	free(r.batch);
	free(comm_tab);
	if (r.starts_mem)
		munmap((void *)r.starts_mem, r.starts_len * sizeof(uint64_t));
	syscall_prof_bpf__destroy(r.skel);
	for (int i = 0; i < r.ntargets; i++)
		close(r.pidfds[i]);
	free(r.sum32);
	free(r.pvals);
	free(r.pkeys);
	free(r.fine_vals);
	free(coarse_wide);
	free(r.listed);
	free(r.gone);
	free(fine_wide);
	free(cmd_path);
	return ret;
}
