// SPDX-License-Identifier: MIT
/* the command line: argp, the help text generated from the option table */
#define _GNU_SOURCE
#include <argp.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "loader.h"

const char *argp_program_version = PROG_NAME " " LOADER_VERSION;
const char *argp_program_bug_address = NULL;

const char *const cost_names[] = { "off", "sampled", "full" };

enum {
	OPT_CHILD_FD = 256,
	OPT_CHILD_IN_FD,
	OPT_CHILD_ERR_FD,
	OPT_NO_COST,
	OPT_COST,
	OPT_MAX_ENTRIES,
	OPT_EMPTY,
	OPT_EMPTY_CLOCK,
	OPT_NO_PER_PROCESS,
	OPT_NO_OFFCPU,
	OPT_NO_TCP,
	OPT_EVICT,
	OPT_EXCLUDE,
	OPT_SYSCALLS,
	OPT_MIN_DURATION,
	OPT_FAILED,
	OPT_RINGBUF,
	OPT_STDIN_EOF,
	OPT_FOREGROUND,
	OPT_SAMPLE,
	OPT_STACKS,
	OPT_STACKS_MIN,
	OPT_STACK_BYTES,
	OPT_STACKS_RATE,
	OPT_KERNEL_STACKS,
	OPT_MAX_OVERHEAD,
	OPT_FULL_EVERY,
};

static const char doc[] =
	"Attach syscall-prof's BPF programs to raw_syscalls sys_enter/sys_exit and stream "
	"cumulative per-syscall latency snapshots as length-delimited protobuf frames "
	"(proto/syscall_prof.proto) on stdout. Diagnostics go to stderr.\n"
	"\v"
	"Histograms: log2 with 8 linear sub-buckets per power of two per syscall "
	"(percentiles within 12.5%), 4 per (process, syscall) (within 25%).\n"
	"\n"
	"Each snapshot also carries, per process, the CPU time and the lifetimes of its "
	"traced threads since tracing started (threads that make no syscall included).\n"
	"\n"
	"A command runs in its own process group, from its execve on; when the loader "
	"is stopped (a signal, or EOF on stdin with --stop-on-stdin-eof) while it still "
	"runs, the group gets SIGTERM, then SIGKILL after a grace period.\n"
	"\n"
	"Exit status: 0 ok (the command's own status is in the final frame), 1 runtime "
	"failure, 2 usage error or bad target, 4 permission denied.\n"
	"\n"
	"EXAMPLES:\n"
	"  syscall-prof-loader -d 5 > all.spb              # whole system for 5 s\n"
	"  syscall-prof-loader -p 1234 -i 500 > db.spb     # one process, 2 frames/s\n"
	"  syscall-prof-loader -f -- make -j2 > make.spb   # a build and its children\n"
	"  syscall-prof-loader --sample 16 -d 60 > s.spb   # time 1 in 16, count all\n"
	"  syscall-prof-loader -e --syscalls 74,75 -p 1234 # fsync/fdatasync of 1234\n"
	"  syscall-prof-loader --stacks -p 1234 > db.spb   # and where its slow calls come from\n";

static const struct argp_option options[] = {
	{ NULL, 0, NULL, 0, "Targets (default: the whole system):", 1 },
	{ "pid", 'p', "PID", 0, "trace this process (repeatable, up to 256)", 0 },
	{ "all", 'a', NULL, 0, "trace the whole system", 0 },
	{ "follow", 'f', NULL, 0,
	  "also trace the children of traced processes: those they fork, and those a --pid "
	  "had already started",
	  0 },
	{ "cgroup", 'c', "PATH", 0, "only tasks in this cgroup (v2 directory)", 0 },
	{ "exclude-pid", OPT_EXCLUDE, "PID", 0, "never trace this process (e.g. the controller)",
	  0 },
	{ NULL, 0, NULL, OPTION_DOC,
	  "-- COMMAND [ARGS...]: run COMMAND and trace it from its execve on; under sudo it runs "
	  "as SUDO_UID/SUDO_GID",
	  0 },

	{ NULL, 0, NULL, 0, "Event mode (every completed call, besides the aggregates):", 2 },
	{ "events", 'e', NULL, 0,
	  "stream calls as EventBatch frames (args, return value, duration, file position, path "
	  "or address)",
	  0 },
	{ "syscalls", OPT_SYSCALLS, "NRS", 0,
	  "only these syscall numbers, comma-separated (0..511, repeats ignored)", 0 },
	{ "min-duration", OPT_MIN_DURATION, "NS", 0, "only calls at least this slow (ns)", 0 },
	{ "failed", OPT_FAILED, NULL, 0, "only calls that returned an error", 0 },
	{ "ringbuf-mb", OPT_RINGBUF, "N", 0,
	  "ring buffer MiB, power of two 1..1024 (default 16); calls that find it full are "
	  "counted as lost, never silent",
	  0 },

	{ NULL, 0, NULL, 0, "User stacks of slow calls:", 3 },
	{ "stacks", OPT_STACKS, NULL, 0,
	  "take the user stack of slow calls at their exit (frame pointers, and a stack slice "
	  "unwound here with .eh_frame/.debug_frame) and aggregate per (process, syscall, stack)",
	  0 },
	{ "stacks-min", OPT_STACKS_MIN, "NS", 0,
	  "a call this slow is slow (1..3600000000000 ns); default: adaptive, at or over the "
	  "syscall's running p90 (but at least 50 us) or 1 ms",
	  0 },
	{ "stack-bytes", OPT_STACK_BYTES, "N", 0,
	  "user stack bytes copied for unwinding (0..32768, default 16384; 0: frame pointers "
	  "only)",
	  0 },
	{ "stacks-rate", OPT_STACKS_RATE, "N", 0,
	  "stacks per second per CPU at most (1..100000, default 200); the rest are counted "
	  "as rate-limited",
	  0 },
	{ "kernel-stacks", OPT_KERNEL_STACKS, NULL, 0,
	  "also the kernel stack at the call's exit", 0 },

	{ NULL, 0, NULL, 0, "Output:", 4 },
	{ "interval", 'i', "MS", 0, "snapshot interval in ms (10..3600000, default 1000)", 0 },
	{ "duration", 'd', "SEC", 0,
	  "stop after SEC seconds (decimal, >0); default: until the target exits or "
	  "SIGINT/SIGTERM",
	  0 },
	{ "stop-on-stdin-eof", OPT_STDIN_EOF, NULL, 0,
	  "stop as on SIGTERM when stdin reaches EOF or fails (a stop channel for the "
	  "controller); the command's stdin is then /dev/null",
	  0 },
	{ "foreground", OPT_FOREGROUND, NULL, 0,
	  "when stdin is the terminal and we are in its foreground, hand it to COMMAND's process "
	  "group while it runs (an interactive command; Ctrl-C then goes to it alone)",
	  0 },
	{ "child-stdout-fd", OPT_CHILD_FD, "N", 0,
	  "give COMMAND fd N as its stdout (default: stderr)", 0 },
	{ "child-stdin-fd", OPT_CHILD_IN_FD, "N", 0,
	  "give COMMAND fd N as its stdin (default: ours, or /dev/null with --stop-on-stdin-eof)", 0 },
	{ "child-stderr-fd", OPT_CHILD_ERR_FD, "N", 0,
	  "give COMMAND fd N as its stderr, and as its stdout without --child-stdout-fd (default: "
	  "ours; the controller's own, so the command never holds our stderr pipe open)",
	  0 },
	{ "cost-stats", OPT_COST, "MODE", 0,
	  "our BPF CPU cost from the kernel's run-time statistics: sampled (default: on 5% of "
	  "each interval, since the statistics cost as much as the tracing), full, off",
	  0 },
	{ "no-cost-stats", OPT_NO_COST, NULL, 0, "same as --cost-stats off", 0 },
	{ "max-entries", OPT_MAX_ENTRIES, "N", 0, "per-(process, syscall) entries (64..1048576)",
	  0 },
	{ "no-per-process", OPT_NO_PER_PROCESS, NULL, 0,
	  "per-syscall stats only: about 35 ns less per syscall", 0 },
	{ "evict-exited", OPT_EVICT, NULL, 0,
	  "drop processes that have exited (and were reported in a snapshot) from the "
	  "per-process table, so it never fills up in long runs; later snapshots leave them out",
	  0 },
	{ "no-tcp", OPT_NO_TCP, NULL, 0,
	  "do not follow TCP state changes and retransmits: no handshake times, connection "
	  "counts or retransmits",
	  0 },
	{ "no-offcpu", OPT_NO_OFFCPU, NULL, 0,
	  "do not follow sched_switch/sched_wakeup: no split of each call's time into on-CPU, "
	  "blocked and runnable",
	  0 },
	{ "sample", OPT_SAMPLE, "N", 0,
	  "time 1 call in N, chosen at random at entry (1..65536, default 1: every call); "
	  "counts and errors stay exact, the untimed calls skip both clock reads. not with "
	  "--events",
	  0 },
	{ "full-every", OPT_FULL_EVERY, "N", 0,
	  "send a whole snapshot every N (1..3600, default 1: all whole) and in between only the "
	  "per-syscall and per-process entries that changed (Snapshot.delta); the final one is whole",
	  0 },
	{ "max-overhead", OPT_MAX_OVERHEAD, "PCT", 0,
	  "keep our BPF programs under PCT% of one CPU (0.01..100) by timing fewer calls: "
	  "the sample period (from --sample, default 1) doubles at each snapshot over budget "
	  "and halves after 3 well under it; each snapshot says the period in force. counts "
	  "stay exact. not with --events or --cost-stats off",
	  0 },
	{ "empty", OPT_EMPTY, NULL, 0, "attach empty programs only (benchmark baseline)", 0 },
	{ "empty-clock", OPT_EMPTY_CLOCK, NULL, 0,
	  "attach programs that only read the clock, once at entry and once at exit "
	  "(benchmark baseline: the cost of timing every call)",
	  0 },
	{ "verbose", 'v', NULL, 0, "libbpf's debug messages too (warnings always go to stderr)",
	  0 },
	{ NULL, 'h', NULL, OPTION_HIDDEN, "same as --help", 0 },
	{},
};

void die_usage(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vwarn_line(" (try --help)", fmt, ap);
	va_end(ap);
	exit(EXIT_USAGE);
}

static long parse_long(const char *what, const char *s, long lo, long hi)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (end == s || *end)
		die_usage("%s: '%s' is not a whole number", what, s);
	if (errno == ERANGE || v < lo || v > hi)
		die_usage("%s: %s is out of range %ld..%ld", what, s, lo, hi);
	return v;
}

static double parse_seconds(const char *what, const char *s, double hi)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (errno || end == s || *end || !(v > 0) || v > hi)
		die_usage("%s: '%s' is not a number of seconds in (0, %.0f]", what, s, hi);
	return v;
}

/* a share of one CPU in percent, 0.01..100 (a trailing % allowed) */
static double parse_percent(const char *what, const char *s)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (*end == '%')
		end++;
	if (errno || end == s || *end || !(v >= 0.01) || v > 100)
		die_usage("%s: '%s' is not a percentage in 0.01..100", what, s);
	return v;
}

/* a comma-separated list of syscall numbers; repeats are kept once */
static void parse_syscalls(struct opts *o, const char *arg)
{
	char *list = strdup(arg), *tok, *save = NULL;
	bool seen[NR_SLOTS] = {};

	if (!list)
		die_usage("--syscalls: out of memory");
	for (int i = 0; i < o->n_ev_nrs; i++)
		seen[o->ev_nrs[i]] = true;
	for (tok = strtok_r(list, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		long nr = parse_long("--syscalls", tok, 0, NR_SLOTS - 1);

		if (seen[nr])
			continue;
		/* distinct numbers below NR_SLOTS: the table cannot overflow */
		seen[nr] = true;
		o->ev_nrs[o->n_ev_nrs++] = nr;
	}
	free(list);
	if (!o->n_ev_nrs)
		die_usage("--syscalls: give at least one syscall number");
}

static void parse_cost(struct opts *o, const char *arg)
{
	for (int m = COST_OFF; m <= COST_FULL; m++) {
		if (!strcmp(arg, cost_names[m])) {
			o->cost_mode = m;
			return;
		}
	}
	die_usage("--cost-stats: '%s' is not one of off, sampled, full", arg);
}

static error_t parse_opt(int key, char *arg, struct argp_state *state)
{
	struct opts *o = state->input;

	switch (key) {
	case 'p':
		if (o->npids == MAX_PIDS)
			die_usage("--pid: at most %d processes", MAX_PIDS);
		o->pids[o->npids++] = parse_long("--pid", arg, 1, INT_MAX);
		break;
	case 'a':
		o->all = true;
		break;
	case 'f':
		o->follow = true;
		break;
	case 'c':
		o->cgroup = arg;
		break;
	case 'i':
		o->interval_ms = parse_long("--interval", arg, 10, 3600000);
		break;
	case 'd':
		o->duration_s = parse_seconds("--duration", arg, 31536000);
		break;
	case 'e':
		o->events = true;
		break;
	case 'v':
		o->verbose = true;
		break;
	case 'h':
		argp_state_help(state, stdout, ARGP_HELP_STD_HELP);
		break;
	case OPT_CHILD_FD:
		o->child_stdout_fd = parse_long("--child-stdout-fd", arg, 0, 1 << 20);
		break;
	case OPT_CHILD_IN_FD:
		o->child_stdin_fd = parse_long("--child-stdin-fd", arg, 0, 1 << 20);
		break;
	case OPT_CHILD_ERR_FD:
		o->child_stderr_fd = parse_long("--child-stderr-fd", arg, 0, 1 << 20);
		break;
	case OPT_NO_COST:
		o->cost_mode = COST_OFF;
		break;
	case OPT_COST:
		parse_cost(o, arg);
		break;
	case OPT_MAX_ENTRIES:
		o->max_entries = parse_long("--max-entries", arg, 64, 1 << 20);
		break;
	case OPT_EMPTY:
		o->empty_mode = EMPTY_PLAIN;
		break;
	case OPT_EMPTY_CLOCK:
		o->empty_mode = EMPTY_CLOCK;
		break;
	case OPT_SYSCALLS:
		parse_syscalls(o, arg);
		break;
	case OPT_MIN_DURATION:
		o->min_duration_ns = parse_long("--min-duration", arg, 0, LONG_MAX);
		break;
	case OPT_FAILED:
		o->failed_only = true;
		break;
	case OPT_RINGBUF:
		o->ringbuf_mb = parse_long("--ringbuf-mb", arg, 1, 1024);
		if (o->ringbuf_mb & (o->ringbuf_mb - 1))
			die_usage("--ringbuf-mb: %ld is not a power of two", o->ringbuf_mb);
		break;
	case OPT_EXCLUDE:
		o->exclude_pid = parse_long("--exclude-pid", arg, 1, INT_MAX);
		break;
	case OPT_NO_PER_PROCESS:
		o->no_per_process = true;
		break;
	case OPT_NO_OFFCPU:
		o->no_offcpu = true;
		break;
	case OPT_NO_TCP:
		o->no_tcp = true;
		break;
	case OPT_EVICT:
		o->evict_exited = true;
		break;
	case OPT_STDIN_EOF:
		o->stop_on_stdin_eof = true;
		break;
	case OPT_FOREGROUND:
		o->foreground = true;
		break;
	case OPT_SAMPLE:
		o->sample_period = parse_long("--sample", arg, 1, MAX_SAMPLE_PERIOD);
		break;
	case OPT_FULL_EVERY:
		o->full_every = parse_long("--full-every", arg, 1, 3600);
		break;
	case OPT_MAX_OVERHEAD:
		o->max_overhead_pct = parse_percent("--max-overhead", arg);
		break;
	case OPT_STACKS:
		o->stacks = true;
		break;
	case OPT_STACKS_MIN:
		o->stacks_min_ns = parse_long("--stacks-min", arg, 1, 3600000000000L);
		break;
	case OPT_STACK_BYTES:
		o->stack_bytes = parse_long("--stack-bytes", arg, 0, STACK_SLICE_MAX);
		break;
	case OPT_STACKS_RATE:
		o->stacks_rate = parse_long("--stacks-rate", arg, 1, 100000);
		break;
	case OPT_KERNEL_STACKS:
		o->kernel_stacks = true;
		break;
	case ARGP_KEY_ARG:
		/* the first operand starts the command: the rest is its own */
		o->command = &state->argv[state->next - 1];
		state->next = state->argc;
		break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

/* options that make sense alone but not together */
static void check_combinations(const struct opts *o)
{
	if (o->all && (o->npids || o->command))
		die_usage("--all cannot be combined with --pid or a command");
	if (o->npids && o->command)
		die_usage("give either --pid or a command, not both");
	if (!o->events && (o->n_ev_nrs || o->min_duration_ns || o->failed_only))
		die_usage("--syscalls, --min-duration and --failed need --events");
	if (o->child_stdout_fd >= 0 && !o->command)
		die_usage("--child-stdout-fd needs a command");
	if (o->child_stdin_fd >= 0 && !o->command)
		die_usage("--child-stdin-fd needs a command");
	if (o->child_stderr_fd >= 0 && !o->command)
		die_usage("--child-stderr-fd needs a command");
	if (o->foreground && !o->command)
		die_usage("--foreground needs a command");
	if (o->events && o->sample_period > 1)
		die_usage("--sample cannot be combined with --events: event mode records every call");
	if (!o->stacks && (o->stacks_min_ns || o->stack_bytes != STACK_SLICE_DEFAULT ||
			   o->stacks_rate != STACKS_RATE_DEFAULT || o->kernel_stacks))
		die_usage("--stacks-min, --stack-bytes, --stacks-rate and --kernel-stacks need --stacks");
	if (o->stacks && o->empty_mode)
		die_usage("--stacks cannot be combined with --empty");
	if (o->events && o->max_overhead_pct > 0)
		die_usage("--max-overhead cannot be combined with --events: event mode records every call");
	if (o->max_overhead_pct > 0 && o->cost_mode == COST_OFF)
		die_usage("--max-overhead needs the run-time statistics: not with --cost-stats off");
	if (o->foreground && o->stop_on_stdin_eof)
		die_usage("--foreground and --stop-on-stdin-eof both want stdin");
}

void parse_args(struct opts *o, int argc, char **argv)
{
	static const struct argp argp = {
		.options = options,
		.parser = parse_opt,
		.args_doc = "[-- COMMAND [ARGS...]]",
		.doc = doc,
	};

	*o = (struct opts){
		.interval_ms = 1000,
		.cost_mode = COST_SAMPLED,
		.child_stdout_fd = -1,
		.child_stdin_fd = -1,
		.child_stderr_fd = -1,
		.ringbuf_mb = 16,
		.sample_period = 1,
		.stack_bytes = STACK_SLICE_DEFAULT,
		.stacks_rate = STACKS_RATE_DEFAULT,
		.full_every = 1,
	};
	argp_err_exit_status = EXIT_USAGE;
	/* in order: options stop at the command's name */
	if (argp_parse(&argp, argc, argv, ARGP_IN_ORDER, NULL, o))
		exit(EXIT_USAGE);
	check_combinations(o);
}
