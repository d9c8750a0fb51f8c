/* SPDX-License-Identifier: MIT */
/* the BPF program's configuration (set by the loader) and maps */
#ifndef MAPS_BPF_H
#define MAPS_BPF_H

/* set by the loader between open and load */
const volatile bool filter_tgid = false;	/* only tgids marked in targets */
const volatile bool follow_children = false;	/* mark children of targets */
const volatile __u64 target_cgroup = 0;		/* 0: any cgroup */
const volatile __u32 self_tgid = 0;		/* the loader itself, never traced */
const volatile __u32 other_tgid = 0;		/* nor this one (the controller) */
const volatile __u64 base_ns = 0;		/* start slots count from here */
const volatile bool per_process = true;		/* keep per-(process, syscall) stats */
const volatile bool event_mode = false;		/* also emit each call to the ring buffer */
const volatile bool ev_filter_nr = false;	/* event mode: only syscalls marked in ev_nrs */
const volatile bool ev_failed_only = false;	/* event mode: only calls returning an error */
const volatile __u64 ev_min_duration = 0;	/* event mode: only calls at least this slow */
const volatile bool tcp_on = false;		/* TCP connections (tcp.bpf.h): accepts in sys_exit */
const volatile bool uring_on = false;		/* io_uring (uring.bpf.h): io_uring_enter in sys_enter */

/*
 * --sample or --max-overhead given: an untimed call leaves its start slot empty,
 * and sys_exit counts an exit with an empty slot from the syscall number in its
 * registers (without sampling, an empty slot is a call that began before attach)
 */
const volatile bool sampling = false;

/*
 * --sample, --max-overhead: a call is timed when a random u32 is below this
 * (2^32 / the sample period); 0: every call. set by the loader, and changed
 * at run time (between two snapshots) by --max-overhead
 */
__u32 sample_threshold = 0;

/* set by the loader just before it detaches: exits without entries are expected then */
bool stopping = false;

/* set by the loader: when the trace window opened (CLOCK_MONOTONIC; 0: not yet) */
__u64 attach_ns = 0;
/* set by the loader before each run of the times iterator: the snapshot's time */
__u64 snap_ns = 0;

/*
 * each CPU's xorshift64 state, for the sampling test at sys_enter: inline, it
 * costs a few ns where bpf_get_prandom_u32() (a helper call) costs ~30 here
 */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__type(key, __u32);
	__type(value, __u64);
	__uint(max_entries, 1);
} sample_rnd SEC(".maps");

/* per-thread start slot, indexed by tid; sized to pid_max by the loader */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(map_flags, BPF_F_MMAPABLE);
	__type(key, __u32);
	__type(value, __u64);
	__uint(max_entries, 1);
} starts SEC(".maps");

/* per-tgid target marks, indexed by tgid; sized to pid_max when filtering */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__type(key, __u32);
	__type(value, __u8);
	__uint(max_entries, 1);
} targets SEC(".maps");

/*
 * per-syscall stats, one region of NR_SLOTS per CPU (index cpu * NR_SLOTS + nr;
 * the loader sizes it to the possible CPUs). a plain array rather than a
 * per-CPU one so that the loader reads it through mmap, without a syscall,
 * and looks only at the entries whose count moved since its last snapshot
 */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(map_flags, BPF_F_MMAPABLE);
	__type(key, __u32);
	__type(value, struct fine_stats);
	__uint(max_entries, NR_SLOTS);
} syscall_stats SEC(".maps");

/* the slots of each CPU's region of proc_slots (a power of two); set by the loader */
const volatile __u32 proc_region = 1;

/*
 * per-(process, syscall) stats, NR_CPUS regions of proc_region slots (see
 * struct proc_slot; sized by the loader). an array the programs index inline,
 * where a hash map cost a helper call per syscall, and that the loader reads
 * through mmap
 */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(map_flags, BPF_F_MMAPABLE);
	__type(key, __u32);
	__type(value, struct proc_slot);
	__uint(max_entries, 1);
} proc_slots SEC(".maps");

/* failed calls by (syscall, errno): updated only on the error path */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__type(key, struct errno_key);
	__type(value, __u64);
	__uint(max_entries, MAX_ERRNOS);
} errnos SEC(".maps");

/* command name of each process seen in proc_stats */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__type(key, __u32);
	__type(value, char[16]);
	__uint(max_entries, DEFAULT_PROC_ENTRIES);
} comms SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__type(key, __u32);
	__type(value, __u64);
	__uint(max_entries, CNT_MAX);
} counters SEC(".maps");

/* event mode: completed calls and process events, sized by the loader */
struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, DEFAULT_RINGBUF_BYTES);
} events SEC(".maps");

/* event mode: syscall numbers to emit, when ev_filter_nr */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__type(key, __u32);
	__type(value, __u8);
	__uint(max_entries, NR_SLOTS);
} ev_nrs SEC(".maps");

/* event mode: what extra data each syscall carries: DATA_SPEC(kind, argument index) */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__type(key, __u32);
	__type(value, __u8);
	__uint(max_entries, NR_SLOTS);
} data_spec SEC(".maps");

/* off-CPU time of the current call, for threads that left the CPU inside one */
struct {
	__uint(type, BPF_MAP_TYPE_TASK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, struct offcpu_state);
} offcpu_store SEC(".maps");

/* on-CPU time and lifetimes of exited threads, per tgid; sized like comms by the loader */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__type(key, __u32);
	__type(value, struct proc_time);
	__uint(max_entries, DEFAULT_PROC_ENTRIES);
} proc_times SEC(".maps");

/* per thread alive at the start of the window: its CPU time then */
struct {
	__uint(type, BPF_MAP_TYPE_TASK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, struct task_time);
} task_times SEC(".maps");

#endif /* MAPS_BPF_H */
