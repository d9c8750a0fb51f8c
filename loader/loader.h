/* SPDX-License-Identifier: MIT */
/*
 * syscall-prof-loader: the state of a run and the interfaces between its
 * parts. main.c runs the lifecycle; opts.c parses the command line; target.c
 * spawns, holds and watches what is traced; widen.c turns the kernel's 32-bit
 * bucket counters into 64-bit ones; snapshot.c reads the maps into Snapshot
 * frames; times.c adds the traced threads' CPU time and lifetimes to them;
 * events.c drains the ring buffer into EventBatch frames; frame.c writes
 * frames to stdout; cost.c measures our own BPF cost; specs.c knows which
 * syscall argument carries a path, a socket address or fds; sampler.c sets the
 * sample period and moves it under --max-overhead; uring.c picks the
 * io_uring programs the kernel takes and reads their maps; tcp.c reads the TCP
 * connection aggregates; stacks.c (with unwind.c and symbolize.c, see
 * stacks.h) turns the stacks of slow calls into StackDefs and StackStats.
 */
#ifndef LOADER_H
#define LOADER_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdint.h>
#include <sys/types.h>
#include <time.h>
#include <bpf/libbpf.h>
#include "syscall_prof.h"
#include "syscall_prof.skel.h"
#include "syscall_prof.pb-c.h"

#define PROG_NAME "syscall-prof-loader"
#define LOADER_VERSION "0.1.0"

#define EXIT_USAGE 2
#define EXIT_PERM 4
#define MAX_PIDS 256
#define MAX_IN_FLIGHT 1024
#define WIRE_VERSION 2
#define BATCH_MAX 8192 /* event rows per EventBatch frame */
#define PROC_MAX 1024  /* process events per EventBatch frame */
#define DRAIN_MS 10    /* event mode: how often the ring buffer is drained */
#define MAX_COST_PROGS 16
#define COMM_SLOTS (1 << 16)

/* the kernel's run-time statistics cost about as much as our programs do */
enum cost_mode { COST_OFF, COST_SAMPLED, COST_FULL };
#define COST_DUTY_PCT 5 /* sampled: on for this share of each interval */
extern const char *const cost_names[];

/* why a run stopped; the names are Snapshot.stop_reason on the wire */
enum stop_reason {
	STOP_NONE,
	STOP_DURATION,
	STOP_SIGNAL, /* SIGINT/SIGTERM/SIGHUP, or EOF on stdin with --stop-on-stdin-eof */
	STOP_TARGET_EXIT,
	STOP_STDOUT_CLOSED,
	STOP_PARENT_DIED,
	STOP_MAP_READ,	/* a BPF map could not be read */
	STOP_NO_MEMORY, /* out of memory building a frame */
};
const char *stop_name(enum stop_reason reason);
Syscallprof__StopReason stop_wire(enum stop_reason reason);

/* the command line */
/* the benchmark baselines: empty programs, or programs that only read the clock */
enum empty_mode { EMPTY_OFF, EMPTY_PLAIN, EMPTY_CLOCK };

struct opts {
	pid_t pids[MAX_PIDS];
	int npids;
	bool all;
	bool follow;
	bool verbose;
	enum cost_mode cost_mode;
	enum empty_mode empty_mode; /* --empty, --empty-clock: a benchmark baseline */
	bool no_per_process;
	bool no_offcpu;
	bool no_tcp;
	bool evict_exited;
	bool stop_on_stdin_eof;
	bool foreground; /* hand the terminal on stdin to the command's group */
	pid_t exclude_pid;
	bool events;
	bool failed_only;
	uint64_t min_duration_ns;
	uint32_t ev_nrs[NR_SLOTS]; /* distinct, in the order given */
	int n_ev_nrs;
	long ringbuf_mb;
	const char *cgroup;
	long interval_ms;
	double duration_s;
	int child_stdout_fd;
	int child_stdin_fd; /* the command's stdin, when given (the controller's own) */
	int child_stderr_fd; /* the command's stderr, when given (the controller's own) */
	long max_entries;
	long sample_period; /* time 1 call in this many (1: every call) */
	bool stacks;
	uint64_t stacks_min_ns; /* 0: adaptive */
	long stack_bytes;
	long stacks_rate; /* per CPU per second */
	bool kernel_stacks;
	long full_every; /* a whole snapshot every this many, deltas between (1: all whole) */
	double max_overhead_pct; /* --max-overhead: 0, or our BPF run time's budget, % of one CPU */
	char **command;
};

/* widen.c: one (process, syscall) entry's bucket history */
struct wide_entry {
	uint32_t tgid, nr;
	bool used;
	uint64_t sent_count; /* count in the last snapshot that carried it (--full-every) */
	uint64_t pass;	     /* the read of proc_slots that last saw it (snap_state.proc_pass) */
	uint32_t at;	     /* its index in snap_state.pkeys/psum in that read */
	uint32_t prev[COARSE_BUCKETS];
	uint64_t cum[COARSE_BUCKETS];
};

/* widen.c: the 64-bit view of every histogram the kernel keeps */
struct widen {
	struct {
		uint32_t prev[NR_SLOTS][FINE_BUCKETS];
		uint64_t cum[NR_SLOTS][FINE_BUCKETS];
	} *fine;
	struct wide_entry *coarse; /* open addressing, linear probing */
	size_t coarse_cap;	   /* power of two */
};

/* events.c: the last command name sent for a pid, so names go out once */
struct comm_entry {
	uint32_t pid;
	char comm[16];
};

/* uring-events.c: the io_uring requests of the EventBatch being filled */
struct uring_batch {
	size_t n;
	uint64_t key; /* struct uring's ring_key */
	uint64_t start[BATCH_MAX], dur[BATCH_MAX], off[BATCH_MAX], ring[BATCH_MAX];
	uint32_t pid[BATCH_MAX], tid[BATCH_MAX], opcode[BATCH_MAX], len[BATCH_MAX];
	int32_t fd[BATCH_MAX], res[BATCH_MAX];
	protobuf_c_boolean punted[BATCH_MAX], fixed[BATCH_MAX];
	Syscallprof__IoUringRequests msg;
};

/* events.c: one EventBatch frame being filled */
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
	enum stop_reason failed; /* STOP_NONE, or why frames can no longer go out */
	bool offcpu; /* send the off-CPU columns */
	struct comm_entry *comm_tab;
	size_t comm_used;
	struct uring_batch *uring; /* NULL when io_uring is not traced */
	struct stacks *stk; /* --stacks: each row's stack id */
	uint32_t stack_id[BATCH_MAX];
	bool any_stack; /* a row of the batch has one */
};

/* the traced command or processes */
struct target {
	char *cmd_path; /* the command's executable, resolved */
	pid_t child;	/* the command (and its process group), or -1 */
	int release_fd; /* write end of the pipe holding it, or -1 */
	int status;
	uint64_t cpu_ns; /* user + system time of the command, from wait4 */
	bool done;
	bool has_tty; /* its group holds the terminal on stdin: ours again at the end */
	bool drop;    /* run the command as the user who ran sudo: uid, gid */
	uid_t uid;
	gid_t gid;
	int pidfds[MAX_PIDS];
	bool pid_done[MAX_PIDS];
	uint32_t tgids[MAX_PIDS];
	int ntgids;
};

/* cost.c: windows of the kernel's BPF run-time statistics */
struct cost {
	enum cost_mode mode;
	int stats_fd;
	uint64_t since;	    /* when the current window opened */
	uint64_t until;	    /* when it closes (sampled mode) */
	uint64_t window_ns; /* closed windows, summed */
	uint64_t interval_ms;
};

/* snapshot.c: what the last snapshots leave for the next one */
struct snap_state {
	uint64_t seq;
	uint64_t *fine_seen;	      /* [cpu][nr]: the count at the last read */
	struct coarse_stats fine_tot[NR_SLOTS]; /* per syscall: the CPUs' totals then */
	struct proc_key *pkeys;	   /* the (process, syscall) keys read this time */
	struct coarse_stats *psum; /* their slots summed (buckets: 32-bit, wrapping) */
	uint64_t proc_pass;	   /* reads of proc_slots so far: marks a key seen in this one */
	uint32_t *sum32;
	uint32_t *gone; /* --evict-exited: tgids read this time that have exited, sorted */
	size_t ngone;
	bool delta; /* this snapshot carries only what changed (--full-every) */
	uint64_t sent_fine[NR_SLOTS]; /* per-syscall count last carried */
	uint32_t *told[2]; /* evicted tgids, said in the snapshot after (double-buffered) */
	size_t ntold[2];
	int flip; /* told[flip] goes out in this snapshot */
	uint64_t widen_drops; /* this snapshot: calls of entries with no room to widen */
	bool warned_widen_full;
	Syscallprof__ErrnoCount errnos[MAX_ERRNOS];
	Syscallprof__ErrnoCount *errno_ptrs[MAX_ERRNOS];
};

/* times.c: the scratch buffers of the threads' times, and what eviction folded */
struct ptime;
struct times {
	bool on; /* measured: the programs are loaded (not with --empty) and the baseline taken */
	bool warned; /* the read iterator failed once: said once */
	uint32_t *keys; /* proc_times read into these, max_entries each */
	struct proc_time *vals;
	uint32_t *gone; /* --evict-exited: tgids read this time that have exited, sorted */
	size_t ngone;
	char *chunk; /* the iterator's output, read in chunks */
	struct ptime *live; /* live threads' records, then merged per tgid */
	size_t nlive, live_cap;
	struct proc_time evicted; /* processes evicted with --evict-exited, summed */
};

/* uring.c: whether io_uring requests are traced, and if not why not */
struct uring {
	bool on;
	uint64_t ring_key; /* hashes ring addresses into ids (uring_ring_id): random per run */
	char off_reason[160];
};

/* uring.c: what one snapshot's io_uring part allocates */
struct uring_parts {
	Syscallprof__IoUringOpStats **ops;
	size_t nops;
	Syscallprof__IoUringErrno **errnos;
	size_t nerrnos;
	Syscallprof__IoUringProcess **procs;
	size_t nprocs;
	Syscallprof__IoUringInFlight **inflight;
	size_t ninflight;
	Syscallprof__IoUringPuntFd **punt_fds;
	size_t npunt_fds;
	Syscallprof__IoUringRing **rings;
	size_t nrings;
};

/* tcp.c: the scratch buffers of the TCP aggregates, max_entries each */
struct tcp {
	bool on; /* the programs are loaded (not with --empty or --no-tcp) */
	uint32_t cap;
	struct sp_tcp_key *keys;
	struct sp_tcp_stats *vals;
};

/* sampler.c: the sample period in force, and what --max-overhead last measured */
#define MAX_SAMPLE_PERIOD 65536
struct sampler {
	uint32_t period;
	uint64_t max_ppm; /* the budget, millionths of one CPU; 0: fixed period */
	uint64_t run_ns, window_ns; /* at the last snapshot */
	int calm; /* snapshots in a row far under budget */
};

/* everything a run holds; main.c owns it and releases it in reverse order */
struct run {
	struct opts opts;
	struct syscall_prof_bpf *skel;
	int ncpus;
	long pid_max;
	uint64_t base_ns;
	uint64_t start_mono, start_real;
	uint64_t map_bytes;
	pid_t parent;
	int sigfd; /* SIGINT, SIGTERM, SIGHUP, SIGCHLD, read in the main loop */
	/* libbpf's warnings while loading, held until we know what they amount to */
	FILE *held_log;
	char *held_buf;
	size_t held_len;
	const uint64_t *starts_mem; /* the start table, mapped read-only */
	const struct fine_stats *fine_mem; /* per-syscall stats, [cpu][nr], mapped read-only */
	struct proc_slot *proc_mem; /* per-(process, syscall) slots, [cpu][proc_region], mapped */
	uint32_t proc_region;	    /* slots per CPU in proc_mem: a power of two */
	size_t starts_len;
	struct target target;
	struct cost cost;
	struct widen widen;
	struct snap_state *snap;
	struct times times;
	struct uring uring;
	struct tcp tcp;
	struct sampler sampler;
	struct ring_buffer *rb;
	struct batch *batch;
	struct stacks *stk; /* --stacks */
};

/* main.c */
void warnx(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void vwarn_line(const char *tail, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));
uint64_t clock_ns(clockid_t id);

/* opts.c: fills o from argv; exits 2 with a message on a usage error */
void parse_args(struct opts *o, int argc, char **argv);
void die_usage(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

/* target.c */
int target_check(struct target *t, const struct opts *o);
int target_spawn(struct target *t, const struct opts *o);
int target_mark(const struct target *t, int targets_fd);
int target_mark_descendants(const struct target *t, int targets_fd);
void target_release(struct target *t);
bool target_reap(struct target *t);
void target_stop(struct target *t, bool asked);
void target_free(struct target *t);
pid_t tgid_of(pid_t pid);
size_t exited_tgids(uint32_t *tgids, size_t n);
uint64_t cgroup_id(const char *path);

/* widen.c */
int widen_init(struct widen *w, long max_entries);
void widen_free(struct widen *w);
void widen(const uint32_t *now, uint32_t *prev, uint64_t *cum, int n);
struct wide_entry *coarse_entry(struct widen *w, uint32_t tgid, uint32_t nr);
void coarse_forget(struct widen *w, uint32_t tgid, uint32_t nr);

/* specs.c: which argument of a syscall carries extra data (by syscall number) */
int specs_load(int data_spec_fd);

/* events.c */
int events_init(struct run *r);
void events_free(struct run *r);
enum stop_reason drain_events(struct run *r);

/* frame.c: STOP_NONE, or why the frame could not go out (stdout gone, no memory) */
enum stop_reason write_frame(const Syscallprof__Frame *frame);
enum stop_reason emit_header(const struct run *r);

/* snapshot.c */
int snapshot_init(struct run *r);
void snapshot_free(struct run *r);
enum stop_reason emit_snapshot(struct run *r, bool final, enum stop_reason reason);
void map_take(int fd, const void *key, void *val);

/* times.c */
int times_init(struct run *r);
void times_free(struct run *r);
void times_start(struct run *r);
enum stop_reason read_times(struct run *r, uint64_t now, Syscallprof__ProcessTime ***out,
			    size_t *nout);
void free_times(Syscallprof__ProcessTime **msgs, size_t n);

/* events.c, for uring-events.c */
bool flush_batch(struct batch *b);
void batch_name(struct batch *b, uint32_t pid, const char *comm, uint64_t t);
/* uring-events.c */
int uring_events_init(struct run *r);
void uring_events_free(struct batch *b);
int uring_on_record(struct batch *b, const void *data, size_t size);
void uring_fill_batch(struct batch *b, Syscallprof__EventBatch *eb);
/* uring.c */
void uring_choose(struct run *r);
uint32_t uring_ring_id(uint64_t key, uint64_t ring);
enum stop_reason read_uring(struct run *r, bool final, uint64_t now, struct uring_parts *u,
			    uint64_t *truncated);
void free_uring(struct uring_parts *u);
/* tcp.c */
int tcp_init(struct run *r);
void tcp_free(struct run *r);
enum stop_reason read_tcp(struct run *r, Syscallprof__TcpStats ***out, size_t *nout);
void free_tcp(Syscallprof__TcpStats **msgs, size_t n);

/* stacks.c */
struct stacks;
void stacks_configure(struct run *r);
int stacks_init(struct run *r);
void stacks_free(struct run *r);
enum stop_reason drain_stacks(struct run *r);
int stacks_wait_fd(const struct run *r); /* readable when stack records wait, or -1 */
uint32_t stacks_row_id(struct stacks *s, uint32_t tid, uint64_t start_ns);
Syscallprof__StackDef **stacks_unsent(struct stacks *s, size_t *n);
void stacks_sent(struct stacks *s);
enum stop_reason stacks_snapshot(struct run *r, Syscallprof__Snapshot *snap,
				 Syscallprof__StackHealth *h);
void stacks_snapshot_free(Syscallprof__Snapshot *snap);
uint64_t stacks_unwind_ns(const struct run *r);
/* sampler.c */
void sampler_set(struct run *r, uint32_t period);
void sampler_adjust(struct run *r, uint64_t run_ns, uint64_t window_ns);

/* cost.c */
void cost_on(struct cost *c, uint64_t now);
void cost_off(struct cost *c, uint64_t now);
uint64_t cost_window(const struct cost *c, uint64_t now);
size_t read_costs(struct bpf_object *obj, Syscallprof__ProgramCost *store,
		  Syscallprof__ProgramCost **ptrs, size_t max);
uint64_t maps_memlock(struct bpf_object *obj);

#endif /* LOADER_H */
