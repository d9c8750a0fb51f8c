/* SPDX-License-Identifier: MIT */
/*
 * types and constants shared by the BPF program and the loader: every map
 * size, slot count and layout either side relies on is defined here, once.
 * per-architecture syscall numbers are in the generated syscall_nrs.h.
 */
#ifndef SYSCALL_PROF_H
#define SYSCALL_PROF_H

/* syscall numbers we keep per-syscall slots for (x86_64 and arm64 top out near 470) */
#define NR_SLOTS 512
#define NR_MASK (NR_SLOTS - 1)
#define NR_BITS 9

/*
 * latency histograms: log2 with linear sub-buckets. values below 2^SUB_BITS are
 * exact; each power of two above is split into 2^SUB_BITS equal buckets, so a
 * bucket is at most 1/2^SUB_BITS of its lower bound wide. MAX_POW is the last
 * power with its own buckets (2^44 ns is about 4.9 hours); larger values land
 * in the last bucket, and max_ns keeps the true maximum.
 */
#define MAX_POW 43
#define FINE_SUB_BITS 3
#define FINE_BUCKETS ((1 << FINE_SUB_BITS) + (MAX_POW - FINE_SUB_BITS + 1) * (1 << FINE_SUB_BITS))
#define COARSE_SUB_BITS 2
#define COARSE_BUCKETS ((1 << COARSE_SUB_BITS) + (MAX_POW - COARSE_SUB_BITS + 1) * (1 << COARSE_SUB_BITS))

/* entries of the errnos map: (syscall, errno) pairs kept per run */
#define MAX_ERRNOS 4096
/* proc_stats and comms entries before the loader sizes them (--max-entries) */
#define DEFAULT_PROC_ENTRIES 4096
/* ring buffer bytes before the loader sizes it (--ringbuf-mb) */
#define DEFAULT_RINGBUF_BYTES (1 << 24)

/* per-thread start slot: 0 is empty, else (ns since base) << NR_BITS | nr */
#define SLOT_FORK_CHILD (~0ULL)	/* child's return from clone: no entry to match */
/* set in a slot when its thread left the CPU during the call (reached after 208 days) */
#define SLOT_SWITCHED (1ULL << 63)
/*
 * a mark no timed slot reaches (its time gets to this bit after 104 days):
 * SLOT_FORK_CHILD has it, so the off-CPU and in-flight code skip that slot.
 * (an untimed call under --sample leaves its slot empty.)
 */
#define SLOT_UNTIMED (1ULL << 62)

/* per-syscall stats across all targets, one per nr, per CPU */
struct fine_stats {
	__u64 count;
	__u64 errors;
	__u64 total_ns;
	__u64 max_ns;
	__u64 off_cpu_ns;	/* of total_ns: switched out (blocked or preempted) */
	__u64 runq_ns;		/* of off_cpu_ns: runnable, waiting for a CPU */
	__u32 buckets[FINE_BUCKETS];	/* wraps; the loader widens to 64 bits */
};

/* failed calls per (syscall, errno) */
struct errno_key {
	__u32 nr;
	__u32 err;	/* positive errno */
};

struct proc_key {
	__u32 tgid;
	__u32 nr;
};

/* per-(process, syscall) stats, per CPU */
struct coarse_stats {
	__u64 count;
	__u64 errors;
	__u64 total_ns;
	__u64 max_ns;
	__u64 off_cpu_ns;
	__u64 runq_ns;
	__u32 buckets[COARSE_BUCKETS];	/* wraps; the loader widens to 64 bits */
};

/*
 * per-(process, syscall) stats live in the proc_slots table: one region of
 * proc_region slots (a power of two) per CPU, open addressing with linear
 * probing over at most PROC_PROBES slots, the key placed by proc_home(). a
 * CPU's region is written by that CPU's programs only; a slot is free while
 * its tgid is 0 (no process has tgid 0) and the loader frees the slots of
 * exited processes (--evict-exited). the same key may sit in several regions
 * (and, after a slot before it was freed, twice in one): the loader sums them.
 */
#define PROC_PROBES 16

struct proc_slot {
	__u32 tgid;
	__u32 nr;
	struct coarse_stats s;
};

static inline __u32 proc_home(__u32 tgid, __u32 nr)
{
	__u32 h = tgid * 0x9E3779B1u ^ nr * 0x85EBCA77u;

	return h ^ (h >> 16);
}

/*
 * off-CPU time inside a call (task-local storage, created the first time a
 * thread leaves the CPU inside a traced call). runnable time is counted from
 * a preemption, or from the wake-up of a blocked thread, to its switch-in.
 */
struct offcpu_state {
	__u64 out_ns;		/* when it left the CPU; 0 while on it */
	__u64 wake_ns;		/* when it was woken after blocking; 0 if not yet */
	__u64 off_ns;		/* off the CPU so far in the current call */
	__u64 runq_ns;		/* of which runnable, waiting for a CPU */
	__u32 preempted;	/* left the CPU runnable (preempted or yielded) */
	__u32 pad;
};

/* health counters, index into the counters per-CPU array */
enum counter {
	CNT_MISSED_START,
	CNT_PROCESS_DROPS,
	CNT_UNTRACKED_THREADS,
	CNT_LOST_EVENTS,
	CNT_BAD_NR,
	CNT_TIME_DROPS,
	CNT_URING_DROPS,	/* io_uring requests not timed: request table full */
	CNT_TCP_DROPS,
	CNT_STACK_SLOW,		/* --stacks: calls over the threshold */
	CNT_STACK_TAKEN,	/* of them, a stack record went to the ring buffer */
	CNT_STACK_RATE_LIMITED,	/* skipped by the per-CPU rate limit */
	CNT_STACK_LOST,		/* taken, but the ring buffer had no room */
	CNT_MAX,
};

/* values of the per-tgid target table */
#define TARGET_NONE 0
#define TARGET_YES 1
#define TARGET_PENDING_EXEC 2	/* a held command: only its execve counts until it execs */
#define TARGET_EXITED 3		/* a target whose last thread is exiting: its syscalls no longer count */

/* ---- on-CPU time and lifetimes of traced threads (times.bpf.h) ---- */

/* per process: what its exited threads used inside the trace window */
struct proc_time {
	__u64 cpu_ns;	/* on the CPU (user + system) */
	__u64 life_ns;	/* alive */
	__u64 threads;
	__u64 runq_ns;	/* runnable, waiting for a CPU (the scheduler's run_delay) */
};

/* per thread alive when the trace window opened (task-local storage) */
struct task_time {
	__u64 cpu_base;	/* its CPU time then */
	__u64 runq_base; /* its time waiting for a CPU then */
};

/* one live thread, as the times iterator writes it for the loader */
struct time_rec {
	__u32 tgid;
	__u32 pad;
	__u64 cpu_ns;
	__u64 life_ns;
	__u64 runq_ns;
};

/* ---- event mode: ring buffer records ---- */

#define EV_DATA_MAX 256	/* bytes of path or sockaddr carried with a call */

enum ev_type {
	EV_CALL = 1,	/* struct ev_call */
	EV_PROC = 2,	/* struct ev_proc */
	EV_URING = 3,	/* struct ev_uring */
};

/* a data_spec map value: an enum ev_data_kind << DATA_SPEC_ARG_BITS | the argument index */
#define DATA_SPEC_ARG_BITS 4
#define DATA_SPEC(kind, arg) ((kind) << DATA_SPEC_ARG_BITS | (arg))

/* what extra data a syscall's record carries */
enum ev_data_kind {
	DATA_NONE = 0,
	DATA_PATH = 1,		/* user string at arg */
	DATA_SOCKADDR = 2,	/* sockaddr at arg, its length in arg + 1 */
	DATA_SOCKADDR_PTRLEN = 3,	/* sockaddr at arg, a pointer to its length in arg + 1 */
	DATA_PIPE_FDS = 4,	/* int[2] at arg */
};

struct ev_call {
	__u32 type;
	__u32 nr;
	__u32 pid;
	__u32 tid;
	__u64 start_ns;		/* CLOCK_MONOTONIC at entry */
	__u64 duration_ns;
	__s64 ret;
	__s64 pos;		/* file position before the call, or -1 */
	__u64 off_cpu_ns;	/* of duration_ns: off the CPU (0 with offcpu off) */
	__u64 runq_ns;		/* of off_cpu_ns: runnable, waiting for a CPU */
	__u64 args[6];
	char comm[16];
	__u32 data_kind;	/* enum ev_data_kind */
	__u32 data_len;
	__u32 stack;		/* 1: this call's stack_rec went to stack_rb just before */
	__u32 pad;
	__u8 data[];		/* data_len bytes when reserved with room for them */
};

enum ev_proc_kind {
	PROC_FORK = 0,
	PROC_EXEC = 1,
	PROC_EXIT = 2,
};

struct ev_proc {
	__u32 type;
	__u32 kind;
	__u32 pid;
	__u32 child;
	__u64 time_ns;
	char comm[16];
};

/* ---- user stacks of slow calls (stacks.bpf.h) ---- */

#define STACK_FP_DEPTH 127		/* frames the kernel's frame-pointer walk keeps */
#define STACK_K_DEPTH 64		/* kernel frames (--kernel-stacks) */
#define STACK_SLICE_MAX (32 << 10)	/* user stack bytes copied at most (--stack-bytes) */
#define STACK_SLICE_DEFAULT (16 << 10)
#define STACKS_RATE_DEFAULT 200		/* stacks per second per CPU */
#define STACK_ALWAYS_NS 1000000ULL	/* adaptive threshold: a call this slow is always slow */
#define STACK_FLOOR_NS 50000ULL		/* adaptive threshold: a call this fast never is (p90 of µs calls) */
#define STACK_RINGBUF_BYTES (8 << 20)

/*
 * one slow call's stack, sent to stack_rb: the frame-pointer walk, the user
 * registers an unwinder starts from and slice_len bytes of the user stack
 * from regs[STACK_REG_SP] up (the record ends there: it is sent at its length)
 */
enum stack_reg {
	STACK_REG_IP,
	STACK_REG_SP,
	STACK_REG_FP,	/* rbp; x29 on arm64 */
	STACK_REG_LR,	/* x30 on arm64; 0 on x86_64 */
	STACK_NREGS,
};

struct stack_rec {
	__u32 nr;
	__u32 tgid;
	__u32 tid;
	__u32 slice_len;
	__u64 start_ns;		/* CLOCK_MONOTONIC at entry, as in ev_call */
	__u64 duration_ns;
	__u64 regs[STACK_NREGS];
	__s32 fp_len;		/* bytes of fp_ips bpf_get_stack filled, or its error */
	__s32 k_len;		/* the same for k_ips (0 without --kernel-stacks) */
	__s32 slice_err;	/* slice_len 0: why (bpf_find_vma's or the read's error) */
	__u32 ip_dev;		/* the file mapped at regs[STACK_REG_IP]: its device (kernel dev_t), */
	__u64 ip_ino;		/* inode (0: none), */
	__u64 ip_map_start;	/* mapping's start */
	__u64 ip_map_pgoff;	/* and file offset in pages, for a process gone before its maps are read */
	__u64 fp_ips[STACK_FP_DEPTH];
	__u64 k_ips[STACK_K_DEPTH];
	__u8 slice[STACK_SLICE_MAX];
};

/* --stacks: the per-CPU token bucket (one token per stack) */
struct stack_rate {
	__u64 next_ns;	/* a stack is allowed when now >= next_ns - burst */
};

/* ---- io_uring requests (uring.bpf.h) ---- */

/* requests in flight at once before the loader sizes the table */
#define URING_REQS_DEFAULT 16384
/* rings whose owner is remembered (for CQ overflows, which carry no task) */
#define URING_RINGS 1024
/* (process, fd) pairs whose punted requests are counted */
#define URING_PUNT_FDS 4096

/* one request between submit and completion, keyed by its struct io_kiocb address */
struct uring_req {
	__u64 start_ns;		/* CLOCK_MONOTONIC at submit */
	__u32 tgid;		/* the submitting process (an SQPOLL thread's is its owner's) */
	__s32 fd;		/* the sqe's fd (a fixed-file index with IOSQE_FIXED_FILE) */
	__u8 opcode;
	__u8 punted;		/* queued to an io-wq worker */
	__u8 fixed;		/* IOSQE_FIXED_FILE */
	__u8 pad;
	__u32 tid;		/* the submitting thread */
	__u32 len;		/* the sqe's len (see struct ev_uring) */
	__u32 pad2;
	__u64 off;		/* the sqe's off */
	__u64 ring;		/* struct io_ring_ctx address */
};

/*
 * event mode: one completed request. off and len are what the sqe asked for:
 * bytes and file offset for reads and writes (len counts iovecs for READV and
 * WRITEV), the range of FSYNC, SYNC_FILE_RANGE and FALLOCATE, the length of
 * SEND and RECV; 0 for other opcodes. off is ~0 for "the file position".
 */
struct ev_uring {
	__u32 type;		/* EV_URING */
	__u32 pid;
	__u32 tid;		/* the submitting thread */
	__u8 opcode;
	__u8 punted;
	__u8 fixed;
	__u8 pad;
	__s32 fd;
	__s32 res;
	__u64 start_ns;		/* CLOCK_MONOTONIC at submit */
	__u64 duration_ns;
	__u64 off;
	__u64 ring;		/* struct io_ring_ctx address: the loader hashes it */
	__u32 len;
	__u32 pad2;
	char comm[16];		/* the process's name */
};

struct uring_key {
	__u32 tgid;
	__u32 opcode;
};

/* per-(process, opcode) stats, per CPU, in the fine layout with 64-bit buckets: requests are few next to syscalls */
struct uring_stats {
	__u64 count;
	__u64 errors;
	__u64 total_ns;
	__u64 max_ns;
	__u64 punted;
	__u64 bytes;		/* the results of reads, writes, sends and receives */
	__u64 buckets[FINE_BUCKETS];
};

/* failed requests per (process, opcode, errno) */
struct uring_errno_key {
	__u32 tgid;
	__u32 opcode;
	__u32 err;		/* positive errno */
};

/* punted requests per (process, fd): which files could not be served without blocking */
struct uring_fd_key {
	__u32 tgid;
	__s32 fd;
};

struct uring_fd_stats {
	__u64 punted;
	__u64 total_ns;		/* their submit -> complete time */
};

/* per ring (struct io_ring_ctx address): its owner, requests in flight, and its counts */
struct uring_ring {
	__u32 tgid;
	__s32 inflight;		/* submitted and not completed (completions that overflowed stay) */
	__u64 requests;
	__u64 submits;		/* io_submit_sqes passes: io_uring_enter with to_submit > 0, SQPOLL */
	__u64 max_depth;
	__u64 depth_sum;	/* in flight at each submission, that one included */
};

/* per process: its waits for completions and completions the CQ ring had no room for */
struct uring_proc {
	__u64 waits;
	__u64 overflows;
	char comm[16];		/* the process's (thread group leader's) name */
};

/* ---- TCP connections of traced processes (tcp.bpf.h) ---- */

/* in-flight TCP socks tracked (LRU: the oldest forgotten when full) */
#define TCP_FLIGHT_ENTRIES 16384
/* (process, peer) aggregates before the loader sizes them (like comms) */
#define DEFAULT_TCP_ENTRIES 4096

/* which end opened the connection */
enum tcp_dir {
	TCP_DIR_CONNECT = 0,	/* active open: the process called connect() */
	TCP_DIR_ACCEPT = 1,	/* passive open: the process accepted it */
};

/* per (process, peer port, family, direction) */
struct sp_tcp_key {
	__u32 tgid;
	__u16 port;	/* connect: the peer's port; accept: the local (listening) port */
	__u8 family;	/* AF_INET or AF_INET6 */
	__u8 dir;	/* enum tcp_dir */
};

struct sp_tcp_stats {
	__u64 handshakes;	/* connect: SYN_SENT -> ESTABLISHED, timed */
	__u64 established;	/* connect: handshakes; accept: accepted */
	__u64 failed;		/* connect: SYN_SENT -> CLOSE (refused, unreachable, timed out) */
	__u64 closed;		/* ended by FIN (-> CLOSE from FIN_WAIT, CLOSING, LAST_ACK...) */
	__u64 resets;		/* ended by a reset or an abort (-> CLOSE from ESTABLISHED or CLOSE_WAIT) */
	__u64 retransmits;	/* segments retransmitted */
	__u64 life_ns;		/* lifetimes of the ended connections, summed (from established) */
	__u64 handshake_ns;	/* handshake times, summed */
	__u64 handshake_max_ns;
	__u64 buckets[COARSE_BUCKETS];	/* handshake times, coarse layout */
};

/* one tracked sock: who owns it and when its current phase began */
struct sp_tcp_flight {
	__u64 start_ns;	/* SYN_SENT, then ESTABLISHED */
	struct sp_tcp_key key;
	__u32 established;
	__u32 pad;
};

#endif /* SYSCALL_PROF_H */
