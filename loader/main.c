// SPDX-License-Identifier: MIT
/*
 * syscall-prof-loader: attaches the syscall-prof BPF programs, filters in the
 * kernel, and streams aggregate snapshots as length-delimited protobuf frames
 * on stdout. Every diagnostic goes to stderr. This file is the lifecycle:
 * set up, attach, loop until asked to stop, final snapshot, clean up.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include "loader.h"

/*
 * libbpf's print callback takes no context argument: this one pointer is how
 * it finds the run (verbosity, held messages). it is set once, before any
 * libbpf call, and is the loader's only file-level state.
 */
static const struct run *libbpf_run;

/* one diagnostic line on stderr: "syscall-prof-loader: <message><tail>" */
void vwarn_line(const char *tail, const char *fmt, va_list ap)
{
	fprintf(stderr, "%s: ", PROG_NAME);
	vfprintf(stderr, fmt, ap);
	fprintf(stderr, "%s\n", tail);
}

void warnx(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vwarn_line("", fmt, ap);
	va_end(ap);
}

uint64_t clock_ns(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

const char *stop_name(enum stop_reason reason)
{
	static const char *const names[] = {
		[STOP_NONE] = "",
		[STOP_DURATION] = "duration",
		[STOP_SIGNAL] = "signal",
		[STOP_TARGET_EXIT] = "target-exit",
		[STOP_STDOUT_CLOSED] = "stdout-closed",
		[STOP_PARENT_DIED] = "parent-died",
		[STOP_MAP_READ] = "map-read-error",
		[STOP_NO_MEMORY] = "out-of-memory",
	};

	return names[reason];
}

/* the wire's name for a stop reason */
Syscallprof__StopReason stop_wire(enum stop_reason reason)
{
	static const Syscallprof__StopReason wire[] = {
		[STOP_NONE] = SYSCALLPROF__STOP_REASON__STOP_REASON_UNSPECIFIED,
		[STOP_DURATION] = SYSCALLPROF__STOP_REASON__STOP_REASON_DURATION,
		[STOP_SIGNAL] = SYSCALLPROF__STOP_REASON__STOP_REASON_SIGNAL,
		[STOP_TARGET_EXIT] = SYSCALLPROF__STOP_REASON__STOP_REASON_TARGET_EXIT,
		[STOP_STDOUT_CLOSED] = SYSCALLPROF__STOP_REASON__STOP_REASON_STDOUT_CLOSED,
		[STOP_PARENT_DIED] = SYSCALLPROF__STOP_REASON__STOP_REASON_PARENT_DIED,
		[STOP_MAP_READ] = SYSCALLPROF__STOP_REASON__STOP_REASON_MAP_READ_ERROR,
		[STOP_NO_MEMORY] = SYSCALLPROF__STOP_REASON__STOP_REASON_OUT_OF_MEMORY,
	};

	return wire[reason];
}

/* warnings and errors always reach stderr (held while loading); the rest only with -v */
static int libbpf_print(enum libbpf_print_level level, const char *fmt, va_list args)
{
	const struct run *r = libbpf_run;

	if (level != LIBBPF_WARN && !r->opts.verbose)
		return 0;
	if (level == LIBBPF_WARN && r->held_log)
		return vfprintf(r->held_log, fmt, args);
	return vfprintf(stderr, fmt, args);
}

/* stop holding libbpf's warnings: to stderr with show, else dropped (we said it in one line) */
static void release_libbpf_log(struct run *r, bool show)
{
	if (!r->held_log)
		return;
	fclose(r->held_log);
	r->held_log = NULL;
	if (show && r->held_len)
		fwrite(r->held_buf, 1, r->held_len, stderr);
	free(r->held_buf);
	r->held_buf = NULL;
}

/* signals arrive on a signalfd, read by the main loop; 0 or -1 with a message */
static int setup_signals(struct run *r)
{
	sigset_t mask;

	sigemptyset(&mask);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGHUP);
	sigaddset(&mask, SIGCHLD);
	sigprocmask(SIG_BLOCK, &mask, NULL);
	signal(SIGPIPE, SIG_IGN);
	r->sigfd = signalfd(-1, &mask, SFD_NONBLOCK | SFD_CLOEXEC);
	if (r->sigfd < 0) {
		warnx("signalfd: %s", strerror(errno));
		return -1;
	}
	/* the controller's death ends us too */
	prctl(PR_SET_PDEATHSIG, SIGTERM);
	return getppid() == r->parent ? 0 : -1;
}

/*
 * the per-process table near 32 MB whatever the CPU count, unless given: each
 * CPU's region has twice the slots (at most half full, probes stay short)
 */
static long default_max_entries(int ncpus)
{
	long n = (32L << 20) / (2 * (long)sizeof(struct proc_slot) * ncpus);

	return n > 8192 ? 8192 : n < 256 ? 256 : n;
}

static void choose_programs(struct run *r)
{
	struct syscall_prof_bpf *skel = r->skel;
	struct bpf_program *p;

	if (r->opts.empty_mode) {
		bool clock = r->opts.empty_mode == EMPTY_CLOCK;

		bpf_object__for_each_program(p, skel->obj)
			bpf_program__set_autoload(p, false);
		bpf_program__set_autoload(clock ? skel->progs.sp_clock_enter : skel->progs.sp_empty_enter,
					  true);
		bpf_program__set_autoload(clock ? skel->progs.sp_clock_exit : skel->progs.sp_empty_exit,
					  true);
		return;
	}
	bpf_program__set_autoload(skel->progs.sp_empty_enter, false);
	bpf_program__set_autoload(skel->progs.sp_empty_exit, false);
	bpf_program__set_autoload(skel->progs.sp_clock_enter, false);
	bpf_program__set_autoload(skel->progs.sp_clock_exit, false);
	if (r->opts.no_offcpu) {
		bpf_program__set_autoload(skel->progs.sp_switch, false);
		bpf_program__set_autoload(skel->progs.sp_wakeup, false);
	}
	if (r->opts.no_tcp) {
		bpf_program__set_autoload(skel->progs.sp_tcp_state, false);
		bpf_program__set_autoload(skel->progs.sp_tcp_retransmit, false);
	}
}

/* open the BPF object and configure it before load; 0 or an exit status */
static int open_bpf(struct run *r)
{
	struct opts *o = &r->opts;
	struct syscall_prof_bpf *skel;

	skel = r->skel = syscall_prof_bpf__open();
	if (!skel) {
		warnx("opening the BPF object: %s", strerror(errno));
		return 1;
	}
	r->base_ns = clock_ns(CLOCK_MONOTONIC) - 1000;
	skel->rodata->base_ns = r->base_ns;
	skel->rodata->self_tgid = getpid();
	skel->rodata->other_tgid = o->exclude_pid;
	skel->rodata->filter_tgid = o->npids || o->command;
	skel->rodata->follow_children = o->follow;
	skel->rodata->per_process = !o->no_per_process;
	skel->rodata->sampling = o->sample_period > 1 || o->max_overhead_pct > 0;
	skel->rodata->event_mode = o->events;
	skel->rodata->ev_filter_nr = o->n_ev_nrs > 0;
	skel->rodata->ev_failed_only = o->failed_only;
	skel->rodata->ev_min_duration = o->min_duration_ns;
	sampler_set(r, o->sample_period);
	r->sampler.max_ppm = (uint64_t)(o->max_overhead_pct * 10000);
	skel->rodata->tcp_on = !o->no_tcp && !o->empty_mode;
	if (o->cgroup && !(skel->rodata->target_cgroup = cgroup_id(o->cgroup)))
		return EXIT_USAGE;
	bpf_map__set_max_entries(skel->maps.events, o->events ? o->ringbuf_mb << 20 : 4096);
	bpf_map__set_max_entries(skel->maps.starts, r->pid_max);
	bpf_map__set_max_entries(skel->maps.syscall_stats, (uint32_t)r->ncpus * NR_SLOTS);
	if (o->npids || o->command)
		bpf_map__set_max_entries(skel->maps.targets, r->pid_max);
	if (!o->max_entries)
		o->max_entries = default_max_entries(r->ncpus);
	/*
	 * each CPU's region holds --max-entries (process, syscall) pairs at most
	 * half full, so that PROC_PROBES probes find room for a new one
	 */
	for (r->proc_region = 1; r->proc_region < 2 * (uint32_t)o->max_entries; r->proc_region <<= 1)
		;
	skel->rodata->proc_region = r->proc_region;
	bpf_map__set_max_entries(skel->maps.proc_slots, (uint32_t)r->ncpus * r->proc_region);
	bpf_map__set_max_entries(skel->maps.comms, o->max_entries);
	bpf_map__set_max_entries(skel->maps.proc_times, o->max_entries);
	bpf_map__set_max_entries(skel->maps.tcp_stats, o->max_entries);
	stacks_configure(r);
	choose_programs(r);
	uring_choose(r);
	return 0;
}

/* load into the kernel; 0 or an exit status with a message */
static int load_bpf(struct run *r)
{
	int err = syscall_prof_bpf__load(r->skel);

	if (err == -EPERM && geteuid() != 0) {
		/* libbpf's lines say the same at length: one line of ours says it all */
		release_libbpf_log(r, r->opts.verbose);
		warnx("loading BPF programs needs root (or CAP_BPF and CAP_PERFMON): "
		      "run it with sudo");
		return EXIT_PERM;
	}
	release_libbpf_log(r, true);
	if (err) {
		/* EACCES is the verifier refusing the program (its log is above): a bug of ours */
		warnx("loading the BPF programs: %s", strerror(-err));
		return err == -EPERM ? EXIT_PERM : 1;
	}
	r->fine_mem = mmap(NULL, (size_t)r->ncpus * NR_SLOTS * sizeof(struct fine_stats), PROT_READ,
			   MAP_SHARED, bpf_map__fd(r->skel->maps.syscall_stats), 0);
	if (r->fine_mem == MAP_FAILED) {
		/* a kernel that maps arrays maps this one: no fallback to keep */
		warnx("mapping the per-syscall stats: %s", strerror(errno));
		r->fine_mem = NULL;
		return 1;
	}
	/* writable: the loader frees the slots of exited processes (--evict-exited) */
	r->proc_mem = mmap(NULL, (size_t)r->ncpus * r->proc_region * sizeof(struct proc_slot),
			   PROT_READ | PROT_WRITE, MAP_SHARED, bpf_map__fd(r->skel->maps.proc_slots), 0);
	if (r->proc_mem == MAP_FAILED) {
		warnx("mapping the per-process stats: %s", strerror(errno));
		r->proc_mem = NULL;
		return 1;
	}
	r->starts_len = r->pid_max;
	r->starts_mem = mmap(NULL, r->starts_len * sizeof(uint64_t), PROT_READ, MAP_SHARED,
			     bpf_map__fd(r->skel->maps.starts), 0);
	if (r->starts_mem == MAP_FAILED) {
		warnx("mapping the start table: %s (in-flight calls will not be reported)",
		      strerror(errno));
		r->starts_mem = NULL;
	}
	return 0;
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

/* everything up to the header frame and the command's release; 0 or an exit status */
static int setup(struct run *r)
{
	int ret;

	if ((ret = target_check(&r->target, &r->opts)))
		return ret;
	if (setup_signals(r))
		return 1;
	r->ncpus = libbpf_num_possible_cpus();
	if (r->ncpus <= 0) {
		warnx("cannot count possible CPUs: %s", strerror(-r->ncpus));
		return 1;
	}
	r->pid_max = read_pid_max();
	r->held_log = open_memstream(&r->held_buf, &r->held_len);
	if ((ret = open_bpf(r)) || (ret = load_bpf(r)))
		return ret;
	if (events_init(r) || stacks_init(r))
		return 1;
	if (r->batch)
		r->batch->stk = r->stk;
	if (widen_init(&r->widen, r->opts.max_entries) || snapshot_init(r) || times_init(r) ||
	    tcp_init(r)) {
		warnx("out of memory for the snapshot buffers");
		return 1;
	}
	if (r->opts.command && target_spawn(&r->target, &r->opts))
		return 1;
	if (target_mark(&r->target, bpf_map__fd(r->skel->maps.targets)))
		return 1;
	if ((ret = syscall_prof_bpf__attach(r->skel))) {
		warnx("attaching to raw_syscalls: %s", strerror(-ret));
		return 1;
	}
	/* every program is on, the exit hook that clears the thread cache too */
	r->skel->bss->whoami_on = true;
	if (r->opts.follow && r->target.ntgids &&
	    target_mark_descendants(&r->target, bpf_map__fd(r->skel->maps.targets)) < 0)
		return 1;
	r->map_bytes = maps_memlock(r->skel->obj);
	r->start_mono = clock_ns(CLOCK_MONOTONIC);
	r->start_real = clock_ns(CLOCK_REALTIME);
	times_start(r);
	r->cost.mode = r->opts.empty_mode ? COST_OFF : r->opts.cost_mode;
	r->cost.interval_ms = r->opts.interval_ms;
	cost_on(&r->cost, r->start_mono);
	return 0;
}

/* the stop channel: data is ignored, EOF or an error means stop */
static bool stdin_says_stop(void)
{
	char buf[4096];
	ssize_t n = read(STDIN_FILENO, buf, sizeof(buf));

	return n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR);
}

/* a pending stop signal, if any (SIGCHLD only wakes us) */
static bool signalled(int sigfd)
{
	struct signalfd_siginfo si;
	bool stop = false;

	while (read(sigfd, &si, sizeof(si)) == sizeof(si))
		stop |= si.ssi_signo != SIGCHLD;
	return stop;
}

/* one wait for whatever comes first: a signal, stdin, an exit, a tick; why to stop, or STOP_NONE */
static enum stop_reason wait_once(struct run *r, uint64_t wake)
{
	struct pollfd pfds[MAX_PIDS + 4];
	uint64_t now = clock_ns(CLOCK_MONOTONIC);
	struct timespec ts;
	uint64_t left = wake > now ? wake - now : 0;
	bool all_gone;
	int nfds = 0;

	ts.tv_sec = left / 1000000000ULL;
	ts.tv_nsec = left % 1000000000ULL;
	pfds[nfds++] = (struct pollfd){ .fd = STDOUT_FILENO, .events = 0 };
	pfds[nfds++] = (struct pollfd){ .fd = r->sigfd, .events = POLLIN };
	pfds[nfds++] = (struct pollfd){ .fd = r->opts.stop_on_stdin_eof ? STDIN_FILENO : -1,
					.events = POLLIN };
	/* --stacks: a stack record wakes us, to read its process's maps at once */
	pfds[nfds++] = (struct pollfd){ .fd = stacks_wait_fd(r), .events = POLLIN };
	for (int i = 0; i < r->target.ntgids; i++) {
		int fd = r->target.pid_done[i] ? -1 : r->target.pidfds[i];

		pfds[nfds++] = (struct pollfd){ .fd = fd, .events = POLLIN };
	}
	if (ppoll(pfds, nfds, &ts, NULL) < 0 && errno != EINTR) {
		warnx("ppoll: %s", strerror(errno));
		return STOP_SIGNAL;
	}
	if (getppid() != r->parent)
		return STOP_PARENT_DIED;
	if (signalled(r->sigfd))
		return STOP_SIGNAL;
	if (pfds[0].revents & (POLLERR | POLLHUP))
		return STOP_STDOUT_CLOSED;
	if (pfds[2].revents && stdin_says_stop())
		return STOP_SIGNAL;
	if (target_reap(&r->target))
		return STOP_TARGET_EXIT;
	all_gone = r->target.ntgids > 0;
	for (int i = 0; i < r->target.ntgids; i++) {
		if (pfds[i + 4].revents & POLLIN)
			r->target.pid_done[i] = true;
		all_gone &= r->target.pid_done[i];
	}
	return all_gone ? STOP_TARGET_EXIT : STOP_NONE;
}

/* snapshots every interval until something stops the run; why it stopped */
static enum stop_reason run_loop(struct run *r)
{
	uint64_t interval = r->opts.interval_ms * 1000000ULL, deadline = 0;
	uint64_t next_tick = r->start_mono + interval;
	struct cost *c = &r->cost;
	enum stop_reason why;

	if (r->opts.duration_s > 0)
		deadline = r->start_mono + (uint64_t)(r->opts.duration_s * 1e9);
	for (;;) {
		uint64_t now = clock_ns(CLOCK_MONOTONIC), wake = next_tick;

		if (deadline && deadline < wake)
			wake = deadline;
		if (c->mode == COST_SAMPLED && c->stats_fd >= 0 && c->until < wake)
			wake = c->until;
		if ((r->rb || r->stk) && now + DRAIN_MS * 1000000ULL < wake)
			wake = now + DRAIN_MS * 1000000ULL;
		if ((why = wait_once(r, wake)) || (why = drain_stacks(r)) || (why = drain_events(r)))
			return why;
		now = clock_ns(CLOCK_MONOTONIC);
		if (c->mode == COST_SAMPLED && c->stats_fd >= 0 && now >= c->until)
			cost_off(c, now);
		if (deadline && now >= deadline)
			return STOP_DURATION;
		if (now < next_tick)
			continue;
		if ((why = emit_snapshot(r, false, STOP_NONE)))
			return why;
		while (next_tick <= now)
			next_tick += interval;
		if (c->mode == COST_SAMPLED)
			cost_on(c, now);
	}
}

/*
 * detach all but the threads' times: the exit hook stays until the end, so a
 * thread exiting before the final read is still counted (the iterator would
 * not see it any more); its links go with the skeleton
 */
static void detach_syscalls(struct run *r)
{
	struct bpf_link **keep[] = { &r->skel->links.sp_task_exit, &r->skel->links.sp_time_base,
				     &r->skel->links.sp_time_read };
	struct bpf_link *held[sizeof(keep) / sizeof(keep[0])];

	for (size_t i = 0; i < sizeof(keep) / sizeof(keep[0]); i++) {
		held[i] = *keep[i];
		*keep[i] = NULL;
	}
	syscall_prof_bpf__detach(r->skel);
	for (size_t i = 0; i < sizeof(keep) / sizeof(keep[0]); i++)
		*keep[i] = held[i];
}

/* detach, send what is queued and the final snapshot; the exit status */
static int finish(struct run *r, enum stop_reason why)
{
	enum stop_reason failed;

	/* detach before the final read: the counts stop moving */
	r->skel->bss->stopping = true;
	detach_syscalls(r);
	if (why == STOP_STDOUT_CLOSED)
		return 0; /* nothing more can go out */
	/* every event the kernel queued goes out before the final snapshot */
	failed = drain_stacks(r);
	if (!failed)
		failed = drain_events(r);
	if (failed)
		why = failed;
	if (why != STOP_STDOUT_CLOSED)
		failed = emit_snapshot(r, true, why);
	/* stdout gone is how a controller may end us: not a failure */
	if (why == STOP_MAP_READ || why == STOP_NO_MEMORY)
		return 1;
	return failed && failed != STOP_STDOUT_CLOSED ? 1 : 0;
}

/* the one cleanup path, in reverse order of set-up */
static void cleanup(struct run *r, bool asked)
{
	/* we are going away: the held or running command's group goes with us */
	target_stop(&r->target, asked);
	tcp_free(r);
	times_free(r);
	snapshot_free(r);
	widen_free(&r->widen);
	stacks_free(r);
	events_free(r);
	if (r->cost.stats_fd >= 0)
		close(r->cost.stats_fd);
	if (r->starts_mem)
		munmap((void *)r->starts_mem, r->starts_len * sizeof(uint64_t));
	if (r->proc_mem)
		munmap(r->proc_mem, (size_t)r->ncpus * r->proc_region * sizeof(struct proc_slot));
	if (r->fine_mem)
		munmap((void *)r->fine_mem, (size_t)r->ncpus * NR_SLOTS * sizeof(struct fine_stats));
	syscall_prof_bpf__destroy(r->skel);
	release_libbpf_log(r, true);
	if (r->sigfd >= 0)
		close(r->sigfd);
	target_free(&r->target);
}

int main(int argc, char **argv)
{
	struct run r = {
		.sigfd = -1,
		.parent = getppid(),
		.cost = { .stats_fd = -1 },
		.target = { .child = -1, .release_fd = -1 },
	};
	enum stop_reason why = STOP_NONE;
	int ret;

	parse_args(&r.opts, argc, argv);
	libbpf_run = &r;
	libbpf_set_print(libbpf_print);
	ret = setup(&r);
	if (!ret && (why = emit_header(&r)))
		ret = 1; /* not even the header went out */
	if (!ret) {
		target_release(&r.target);
		why = run_loop(&r);
		ret = finish(&r, why);
	}
	cleanup(&r, why == STOP_SIGNAL);
	return ret;
}
