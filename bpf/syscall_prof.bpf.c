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
const volatile bool event_mode = false;		/* also emit each call to the ring buffer */
const volatile bool ev_filter_nr = false;	/* event mode: only syscalls marked in ev_nrs */
const volatile bool ev_failed_only = false;	/* event mode: only calls returning an error */
const volatile __u64 ev_min_duration = 0;	/* event mode: only calls at least this slow */

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

/* failed calls by (syscall, errno): updated only on the error path */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__type(key, struct errno_key);
	__type(value, __u64);
	__uint(max_entries, 4096);
} errnos SEC(".maps");

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

/* event mode: completed calls and process events, sized by the loader */
struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 1 << 24);
} events SEC(".maps");

/* event mode: syscall numbers to emit, when ev_filter_nr */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__type(key, __u32);
	__type(value, __u8);
	__uint(max_entries, NR_SLOTS);
} ev_nrs SEC(".maps");

/* event mode: what extra data each syscall carries: kind << 4 | argument index */
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

static __always_inline void record(__u32 tgid, __u32 nr, __u64 delta, long ret, __u64 off,
				   __u64 runq)
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
		f->off_cpu_ns += off;
		f->runq_ns += runq;
		if (delta > f->max_ns)
			f->max_ns = delta;
		if (fi < FINE_BUCKETS)
			f->buckets[fi]++;
	}
	if (err) {
		struct errno_key ek = { .nr = nr, .err = -ret };
		__u64 one = 1, *n = bpf_map_lookup_elem(&errnos, &ek);

		/* a full table loses only the errno detail: errors above still count */
		if (n)
			__sync_fetch_and_add(n, 1);
		else if (bpf_map_update_elem(&errnos, &ek, &one, BPF_NOEXIST) &&
			 (n = bpf_map_lookup_elem(&errnos, &ek)))
			__sync_fetch_and_add(n, 1);
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
	c->off_cpu_ns += off;
	c->runq_ns += runq;
	if (delta > c->max_ns)
		c->max_ns = delta;
	if (ci < COARSE_BUCKETS)
		c->buckets[ci]++;
}

#define __NR_read 0
#define __NR_write 1
#define __NR_readv 19
#define __NR_writev 20

/* the file position before a read/write: the position now, less what moved it */
static __always_inline __s64 pos_before(struct task_struct *task, __u64 fd, long ret)
{
	struct fdtable *fdt = BPF_CORE_READ(task, files, fdt);
	struct file **fds, *f = NULL;
	__u32 max;

	if (!fdt)
		return -1;
	fds = BPF_CORE_READ(fdt, fd);
	max = BPF_CORE_READ(fdt, max_fds);
	if (fd >= max || bpf_probe_read_kernel(&f, sizeof(f), &fds[fd]) || !f)
		return -1;
	/* pipes, sockets and devices have no meaningful position */
	if ((BPF_CORE_READ(f, f_inode, i_mode) & 0170000) != 0100000)
		return -1;
	return BPF_CORE_READ(f, f_pos) - (ret > 0 ? ret : 0);
}

/* the extra bytes a call carries: a path, a socket address, the fds of a pipe */
static __always_inline __u32 read_data(struct ev_call *e, __u32 kind, __u32 arg, long ret)
{
	__u64 ptr, len = 0;
	long n;

	if (arg > 4)
		return 0;
	ptr = e->args[arg];
	if (!ptr)
		return 0;
	switch (kind) {
	case DATA_PATH:
		n = bpf_probe_read_user_str(e->data, EV_DATA_MAX, (void *)ptr);
		return n > 0 ? n - 1 : 0;
	case DATA_SOCKADDR:
		len = e->args[arg + 1];
		break;
	case DATA_SOCKADDR_PTRLEN:
		if (ret < 0 || !e->args[arg + 1])
			return 0;
		bpf_probe_read_user(&len, sizeof(__u32), (void *)e->args[arg + 1]);
		len &= 0xffffffff;
		break;
	case DATA_PIPE_FDS:
		if (ret < 0)
			return 0;
		len = 8;
		break;
	default:
		return 0;
	}
	if (len > 128)
		len = 128;
	barrier_var(len);
	if (len == 0 || len > 128 || bpf_probe_read_user(e->data, len, (void *)ptr))
		return 0;
	return len;
}

/* event mode: one record for one completed call, unless filtered or no room */
static __always_inline void emit_call(struct task_struct *task, struct pt_regs *regs, __u32 tgid,
				      __u32 tid, __u32 nr, __u64 start, __u64 delta, long ret,
				      __u64 off, __u64 runq)
{
	__u8 *want, *spec;
	__u32 kind = 0, arg = 0;
	struct ev_call *e;

	if (ev_filter_nr) {
		want = bpf_map_lookup_elem(&ev_nrs, &nr);
		if (!want || !*want)
			return;
	}
	if (ev_failed_only && !(ret < 0 && ret >= -4095))
		return;
	if (delta < ev_min_duration)
		return;
	spec = bpf_map_lookup_elem(&data_spec, &nr);
	if (spec && *spec) {
		kind = *spec >> 4;
		arg = *spec & 0xf;
		e = bpf_ringbuf_reserve(&events, sizeof(*e) + EV_DATA_MAX, 0);
	} else {
		e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
	}
	if (!e) {
		count_event(CNT_LOST_EVENTS);
		return;
	}
	e->type = EV_CALL;
	e->nr = nr;
	e->pid = tgid;
	e->tid = tid;
	e->start_ns = start;
	e->duration_ns = delta;
	e->ret = ret;
	e->off_cpu_ns = off;
	e->runq_ns = runq;
	e->args[0] = BPF_CORE_READ(regs, di);
	e->args[1] = BPF_CORE_READ(regs, si);
	e->args[2] = BPF_CORE_READ(regs, dx);
	e->args[3] = BPF_CORE_READ(regs, r10);
	e->args[4] = BPF_CORE_READ(regs, r8);
	e->args[5] = BPF_CORE_READ(regs, r9);
	e->pos = -1;
	if (nr == __NR_read || nr == __NR_write || nr == __NR_readv || nr == __NR_writev)
		e->pos = pos_before(task, e->args[0], ret);
	/* the process's name, not the thread's: rows are grouped by process */
	BPF_CORE_READ_STR_INTO(&e->comm, task, group_leader, comm);
	e->data_kind = kind;
	e->data_len = kind ? read_data(e, kind, arg, ret) : 0;
	/* the loader drains on a timer: no wake-up per record */
	bpf_ringbuf_submit(e, BPF_RB_NO_WAKEUP);
}

static __always_inline void emit_proc(__u32 kind, __u32 pid, __u32 child)
{
	struct ev_proc *e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);

	if (!e) {
		count_event(CNT_LOST_EVENTS);
		return;
	}
	e->type = EV_PROC;
	e->kind = kind;
	e->pid = pid;
	e->child = child;
	e->time_ns = bpf_ktime_get_ns();
	bpf_get_current_comm(e->comm, sizeof(e->comm));
	bpf_ringbuf_submit(e, BPF_RB_NO_WAKEUP);
}

/* the off-CPU time of a call that ends now, and the slot without its mark */
static __always_inline __u64 take_offcpu(struct task_struct *task, __u64 v, __u64 delta,
					 __u64 *runq)
{
	struct offcpu_state *s;
	__u64 off;

	*runq = 0;
	if (!(v & SLOT_SWITCHED))
		return 0;
	s = bpf_task_storage_get(&offcpu_store, task, 0, 0);
	if (!s)
		return 0;
	off = s->off_ns;
	*runq = s->runq_ns;
	s->off_ns = 0;
	s->runq_ns = 0;
	/* both clocks are ktime; clamp anyway, the call's time is the truth */
	if (off > delta)
		off = delta;
	if (*runq > off)
		*runq = off;
	return off;
}

/* like is_target, but a command held for exec is traced from its execve on */
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
	__u64 *slot, v, now, start, delta, off, runq;

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
	start = base_ns + ((v & ~SLOT_SWITCHED) >> NR_BITS);
	delta = now - start;
	off = take_offcpu(task, v, delta, &runq);
	record(tgid, v & NR_MASK, delta, ret, off, runq);
	if (event_mode)
		emit_call(task, regs, tgid, tid, v & NR_MASK, start, delta, ret, off, runq);
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
	if (event_mode && ptgid != ctgid && is_target(ctgid))
		emit_proc(PROC_FORK, ptgid, ctgid);
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
	if (event_mode)
		emit_proc(PROC_EXEC, tgid, 0);
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
		__u64 start = base_ns + ((v & ~SLOT_SWITCHED) >> NR_BITS), now = bpf_ktime_get_ns();
		__u64 runq, off = take_offcpu(p, v, now - start, &runq);

		*slot = 0;
		record(tgid, v & NR_MASK, now - start, 0, off, runq);
		if (event_mode)
			emit_call(p, (struct pt_regs *)bpf_task_pt_regs(p), tgid, tid, v & NR_MASK,
				  start, now - start, 0, off, runq);
	} else if (slot) {
		*slot = 0;
	}
	if (event_mode && group_dead && is_target(tgid))
		emit_proc(PROC_EXIT, tgid, 0);
	/* the tgid may be reused by an unrelated process later */
	if (group_dead && filter_tgid && is_target(tgid))
		bpf_map_update_elem(&targets, &tgid, &none, BPF_ANY);
	return 0;
}

/*
 * on and off the CPU inside calls. a thread leaving the CPU inside a traced
 * call (its start slot is set) notes when and how; coming back, it adds the
 * time away to its call. the slot's SLOT_SWITCHED mark tells sys_exit that
 * there is something to collect, so calls that never block cost nothing more.
 */
SEC("tp_btf/sched_switch")
int BPF_PROG(sp_switch, bool preempt, struct task_struct *prev, struct task_struct *next,
	     unsigned int prev_state)
{
	__u32 tid = prev->pid;
	struct offcpu_state *s;
	__u64 *slot, v, now = 0, away;

	slot = bpf_map_lookup_elem(&starts, &tid);
	if (tid && slot && (v = *slot) && v != SLOT_FORK_CHILD) {
		s = bpf_task_storage_get(&offcpu_store, prev, 0, BPF_LOCAL_STORAGE_GET_F_CREATE);
		if (s) {
			now = bpf_ktime_get_ns();
			/* the first time off the CPU in this call: start from zero */
			if (!(v & SLOT_SWITCHED)) {
				s->off_ns = 0;
				s->runq_ns = 0;
				*slot = v | SLOT_SWITCHED;
			}
			s->out_ns = now;
			s->wake_ns = 0;
			/* still runnable (TASK_RUNNING): preempted or yielded */
			s->preempted = preempt || prev_state == 0;
		}
	}
	if (!next->pid)
		return 0;
	s = bpf_task_storage_get(&offcpu_store, next, 0, 0);
	if (!s || !s->out_ns)
		return 0;
	if (!now)
		now = bpf_ktime_get_ns();
	away = now - s->out_ns;
	s->off_ns += away;
	if (s->preempted)
		s->runq_ns += away;
	else if (s->wake_ns > s->out_ns && s->wake_ns < now)
		s->runq_ns += now - s->wake_ns;
	s->out_ns = 0;
	return 0;
}

/* a blocked thread becomes runnable: from now on it waits for a CPU */
SEC("tp_btf/sched_wakeup")
int BPF_PROG(sp_wakeup, struct task_struct *p)
{
	struct offcpu_state *s = bpf_task_storage_get(&offcpu_store, p, 0, 0);

	/* races with the switch-in on another CPU only shift a few ns between the parts */
	if (s && s->out_ns && !s->preempted && !s->wake_ns)
		s->wake_ns = bpf_ktime_get_ns();
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
