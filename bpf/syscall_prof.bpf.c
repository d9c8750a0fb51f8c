// SPDX-License-Identifier: MIT
/* syscall-prof: per-syscall latency histograms built in the kernel */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include "syscall_prof.h"

char LICENSE[] SEC("license") = "Dual MIT/GPL";

#define __NR_execve 59
#define __NR_execveat 322

/* set by the loader between open and load */
const volatile bool filter_tgid = false;	/* only tgids marked in targets */
const volatile bool follow_children = false;	/* mark children of targets */
const volatile __u64 target_cgroup = 0;		/* 0: any cgroup */
const volatile __u32 self_tgid = 0;		/* the loader itself, never traced */
const volatile __u32 other_tgid = 0;		/* nor this one (the controller) */
const volatile __u64 base_ns = 0;		/* start slots count from here */
const volatile bool per_process = true;		/* keep per-(process, syscall) stats */

/* set by the loader just before it detaches: exits without entries are expected then */
bool stopping = false;

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

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__type(key, __u32);
	__type(value, struct fine_stats);
	__uint(max_entries, NR_SLOTS);
} syscall_stats SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_HASH);
	__type(key, struct proc_key);
	__type(value, struct coarse_stats);
	__uint(max_entries, 4096);
} proc_stats SEC(".maps");

/* command name of each process seen in proc_stats */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__type(key, __u32);
	__type(value, char[16]);
	__uint(max_entries, 4096);
} comms SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__type(key, __u32);
	__type(value, __u64);
	__uint(max_entries, CNT_MAX);
} counters SEC(".maps");

static const struct coarse_stats zero_coarse;

static __always_inline void count_event(__u32 which)
{
	__u64 *c = bpf_map_lookup_elem(&counters, &which);

	if (c)
		*c += 1;
}

static __always_inline bool is_target(__u32 tgid)
{
	__u8 *t;

	if (!filter_tgid)
		return true;
	t = bpf_map_lookup_elem(&targets, &tgid);
	return t && *t == TARGET_YES;
}

/* floor(log2(v)) for v > 0, branchy binary search (no loops for the verifier) */
static __always_inline __u32 log2_u64(__u64 v)
{
	__u32 r = 0, s;

	s = (v > 0xFFFFFFFFULL) << 5; v >>= s; r |= s;
	s = (v > 0xFFFF) << 4; v >>= s; r |= s;
	s = (v > 0xFF) << 3; v >>= s; r |= s;
	s = (v > 0xF) << 2; v >>= s; r |= s;
	s = (v > 0x3) << 1; v >>= s; r |= s;
	r |= (v >> 1);
	return r;
}

static __always_inline __u32 bucket_of(__u64 v, __u32 p, __u32 sub_bits, __u32 nbuckets)
{
	__u32 idx;

	if (v < (1ULL << sub_bits))
		return v;
	idx = (1 << sub_bits) + ((p - sub_bits) << sub_bits) +
	      ((v >> (p - sub_bits)) & ((1 << sub_bits) - 1));
	/* clamp to the last bucket */
	return idx < nbuckets ? idx : nbuckets - 1;
}

static __always_inline void record(__u32 tgid, __u32 nr, __u64 delta, long ret)
{
	struct proc_key key = { .tgid = tgid, .nr = nr };
	struct fine_stats *f;
	struct coarse_stats *c;
	__u32 p = delta ? log2_u64(delta) : 0;
	__u32 fi = bucket_of(delta, p, FINE_SUB_BITS, FINE_BUCKETS);
	__u32 ci = bucket_of(delta, p, COARSE_SUB_BITS, COARSE_BUCKETS);
	bool err = ret < 0 && ret >= -4095;

	/* keep the bound checks below: the clamp in bucket_of is not enough for the verifier */
	barrier_var(fi);
	barrier_var(ci);
	f = bpf_map_lookup_elem(&syscall_stats, &nr);
	if (f) {
		f->count++;
		f->errors += err;
		f->total_ns += delta;
		if (delta > f->max_ns)
			f->max_ns = delta;
		if (fi < FINE_BUCKETS)
			f->buckets[fi]++;
	}

	/* the hash lookup below is a quarter of our cost: it can be turned off */
	if (!per_process)
		return;
	c = bpf_map_lookup_elem(&proc_stats, &key);
	if (!c) {
		char comm[16];

		/* first call of this syscall by this process: the slow path */
		if (bpf_map_update_elem(&proc_stats, &key, &zero_coarse, BPF_NOEXIST) &&
		    !bpf_map_lookup_elem(&proc_stats, &key)) {
			count_event(CNT_PROCESS_DROPS);
			return;
		}
		c = bpf_map_lookup_elem(&proc_stats, &key);
		if (!c) {
			count_event(CNT_PROCESS_DROPS);
			return;
		}
		if (!bpf_map_lookup_elem(&comms, &tgid)) {
			bpf_get_current_comm(comm, sizeof(comm));
			bpf_map_update_elem(&comms, &tgid, comm, BPF_NOEXIST);
		}
	}
	c->count++;
	c->errors += err;
	c->total_ns += delta;
	if (delta > c->max_ns)
		c->max_ns = delta;
	if (ci < COARSE_BUCKETS)
		c->buckets[ci]++;
}

/* like is_target, but a command held for exec is traced from its execve */
static __always_inline bool is_target_enter(__u32 tgid, long id)
{
	__u8 *t;

	if (!filter_tgid)
		return true;
	t = bpf_map_lookup_elem(&targets, &tgid);
	if (!t)
		return false;
	return *t == TARGET_YES ||
	       (*t == TARGET_PENDING_EXEC && (id == __NR_execve || id == __NR_execveat));
}

SEC("tp_btf/sys_enter")
int BPF_PROG(sp_sys_enter, struct pt_regs *regs, long id)
{
	/* cheaper here than bpf_get_current_pid_tgid() */
	struct task_struct *task = bpf_get_current_task_btf();
	__u32 tid = task->pid, tgid = task->tgid;
	__u64 *slot;

	if (id < 0 || tgid == self_tgid || tgid == other_tgid)
		return 0;
	if (!is_target_enter(tgid, id))
		return 0;
	if (target_cgroup && bpf_get_current_cgroup_id() != target_cgroup)
		return 0;
	if (id >= NR_SLOTS) {
		count_event(CNT_BAD_NR);
		return 0;
	}
	slot = bpf_map_lookup_elem(&starts, &tid);
	if (!slot) {
		count_event(CNT_UNTRACKED_THREADS);
		return 0;
	}
	*slot = ((bpf_ktime_get_ns() - base_ns) << NR_BITS) | id;
	return 0;
}

SEC("tp_btf/sys_exit")
int BPF_PROG(sp_sys_exit, struct pt_regs *regs, long ret)
{
	/* cheaper here than bpf_get_current_pid_tgid() */
	struct task_struct *task = bpf_get_current_task_btf();
	__u32 tid = task->pid, tgid = task->tgid;
	__u64 *slot, v, now;

	slot = bpf_map_lookup_elem(&starts, &tid);
	if (!slot)
		return 0;
	v = *slot;
	if (!v) {
		/*
		 * an exit without an entry: the call began before we attached.
		 * while detaching, sys_enter goes first: its calls are not ours.
		 */
		if (!stopping && tgid != self_tgid && tgid != other_tgid && is_target(tgid) &&
		    (!target_cgroup || bpf_get_current_cgroup_id() == target_cgroup))
			count_event(CNT_MISSED_START);
		return 0;
	}
	*slot = 0;
	if (v == SLOT_FORK_CHILD)
		return 0;
	now = bpf_ktime_get_ns();
	record(tgid, v & NR_MASK, now - base_ns - (v >> NR_BITS), ret);
	return 0;
}

SEC("tp_btf/sched_process_fork")
int BPF_PROG(sp_fork, struct task_struct *parent, struct task_struct *child)
{
	__u32 ptgid = parent->tgid, ctgid = child->tgid, cpid = child->pid;
	__u8 yes = TARGET_YES;
	__u64 mark = SLOT_FORK_CHILD;

	if (follow_children && ptgid != ctgid && is_target(ptgid))
		bpf_map_update_elem(&targets, &ctgid, &yes, BPF_ANY);
	/* the child returns from clone without entering it: ignore that exit */
	if (is_target(ctgid))
		bpf_map_update_elem(&starts, &cpid, &mark, BPF_ANY);
	return 0;
}

SEC("tp_btf/sched_process_exec")
int BPF_PROG(sp_exec, struct task_struct *p, pid_t old_pid, struct linux_binprm *bprm)
{
	__u32 tgid = p->tgid, pid = p->pid, old = old_pid;
	__u8 yes = TARGET_YES;
	char comm[16];
	__u64 *from, *to;
	__u8 *t;

	if (filter_tgid) {
		t = bpf_map_lookup_elem(&targets, &tgid);
		if (!t || *t == TARGET_NONE)
			return 0;
		/* the held command is now itself: trace all of it */
		if (*t == TARGET_PENDING_EXEC)
			bpf_map_update_elem(&targets, &tgid, &yes, BPF_ANY);
	}
	/* a non-leader thread that execs takes over the leader's pid */
	if (old != pid) {
		from = bpf_map_lookup_elem(&starts, &old);
		to = bpf_map_lookup_elem(&starts, &pid);
		if (from && to) {
			*to = *from;
			*from = 0;
		}
	}
	if (bpf_map_lookup_elem(&comms, &tgid)) {
		bpf_get_current_comm(comm, sizeof(comm));
		bpf_map_update_elem(&comms, &tgid, comm, BPF_EXIST);
	}
	return 0;
}

SEC("tp_btf/sched_process_exit")
int BPF_PROG(sp_exit, struct task_struct *p, bool group_dead)
{
	__u64 pid_tgid = bpf_get_current_pid_tgid();
	__u32 tid = (__u32)pid_tgid, tgid = pid_tgid >> 32;
	__u8 none = TARGET_NONE;
	__u64 *slot, v;

	slot = bpf_map_lookup_elem(&starts, &tid);
	if (slot && (v = *slot) && v != SLOT_FORK_CHILD) {
		/* exit and exit_group never return; a killed thread's call neither */
		*slot = 0;
		record(tgid, v & NR_MASK, bpf_ktime_get_ns() - base_ns - (v >> NR_BITS), 0);
	} else if (slot) {
		*slot = 0;
	}
	/* the tgid may be reused by an unrelated process later */
	if (group_dead && filter_tgid && is_target(tgid))
		bpf_map_update_elem(&targets, &tgid, &none, BPF_ANY);
	return 0;
}

/* the benchmark's baseline: the same attach points doing nothing */
SEC("tp_btf/sys_enter")
int BPF_PROG(sp_empty_enter, struct pt_regs *regs, long id)
{
	return 0;
}

SEC("tp_btf/sys_exit")
int BPF_PROG(sp_empty_exit, struct pt_regs *regs, long ret)
{
	return 0;
}
