// SPDX-License-Identifier: MIT
/*
 * syscall-prof: per-syscall latency histograms built in the kernel.
 * this file holds the attach points; the rest is split by concern:
 * maps.bpf.h (configuration, maps), stats.bpf.h + histogram.h (aggregates),
 * events.bpf.h (event mode records), offcpu.bpf.h (sched_switch/wakeup),
 * times.bpf.h (each thread's CPU time and lifetime: exit hook, iterators),
 * arch.bpf.h + syscall_nrs.h (what differs per architecture),
 * uring.bpf.h (io_uring requests, from the io_uring tracepoints),
 * tcp.bpf.h (TCP connections: handshakes, endings, retransmits),
 * stacks.bpf.h (user stacks of slow calls, --stacks).
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_endian.h>
#include "syscall_prof.h"
#include "syscall_nrs.h"
#include "arch.bpf.h"
#include "maps.bpf.h"
#include "stats.bpf.h"
#include "events.bpf.h"
#include "offcpu.bpf.h"
#include "times.bpf.h"
#include "tcp.bpf.h"
#include "stacks.bpf.h"
#include "whoami.bpf.h"

char LICENSE[] SEC("license") = "Dual MIT/GPL";

static __always_inline bool is_target(__u32 tgid)
{
	__u8 *t;

	if (!filter_tgid)
		return true;
	t = bpf_map_lookup_elem(&targets, &tgid);
	return t && *t == TARGET_YES;
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
	       (*t == TARGET_PENDING_EXEC && (id == SP_NR_execve || id == SP_NR_execveat));
}

/* io_uring's programs filter on is_target() too */
#include "uring.bpf.h"

/*
 * --sample: is this call timed? 1 in the sample period, from each CPU's
 * xorshift64 (Marsaglia's 13/7/17), seeded on first use; the high half is the
 * better-mixed one
 */
static __always_inline bool sample_take(void)
{
	__u32 zero = 0;
	__u64 *st = bpf_map_lookup_elem(&sample_rnd, &zero), x;

	if (!st)
		return true;
	x = *st;
	if (!x)
		x = ((__u64)bpf_get_prandom_u32() << 32) | bpf_get_prandom_u32() | 1;
	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	*st = x;
	return (__u32)(x >> 32) < sample_threshold;
}

SEC("tp_btf/sys_enter")
int BPF_PROG(sp_sys_enter, struct pt_regs *regs, long id)
{
	__u32 tid, tgid;
	struct who_ref who;
	__u64 *slot;
	/*
	 * --sample: an untimed call ends here, before any other work: its start
	 * slot stays empty, and sys_exit counts it from the number in its registers
	 */
	bool timed = !sampling || !sample_threshold || sample_take();

	/* (io_uring_enter goes on, untimed or not: its requests are tracked) */
	if (!timed && !(uring_on && id == SP_NR_io_uring_enter))
		return 0;
	whoami_get(regs, &tid, &tgid, &who);
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
	if (uring_on && id == SP_NR_io_uring_enter)
		uring_entered(bpf_get_current_task_btf(), tgid, regs);
	if (!timed)
		return 0;
	slot = bpf_map_lookup_elem(&starts, &tid);
	if (!slot) {
		count_event(CNT_UNTRACKED_THREADS);
		return 0;
	}
	*slot = ((bpf_ktime_get_ns() - base_ns) << NR_BITS) | id;
	who_busy(&who, true);
	return 0;
}

static __always_inline bool traced_here(__u32 tgid)
{
	return tgid != self_tgid && tgid != other_tgid && is_target(tgid) &&
	       (!target_cgroup || bpf_get_current_cgroup_id() == target_cgroup);
}

/* an untimed call's exit (--sample): counted, errors included, never timed */
static __always_inline void untimed_exit(__u32 tgid, long nr, long ret)
{
	if (!traced_here(tgid))
		return;
	if (nr < 0 || nr >= NR_SLOTS) {
		/* -1: a syscall number changed by ptrace or seccomp; not one we count */
		if (nr >= NR_SLOTS)
			count_event(CNT_BAD_NR);
		return;
	}
	record(tgid, nr, false, 0, ret, 0, 0);
	if (tcp_on && ret >= 0 && (nr == SP_NR_accept4 || nr == SP_NR_accept))
		tcp_accepted(bpf_get_current_task_btf(), tgid, ret);
}

SEC("tp_btf/sys_exit")
int BPF_PROG(sp_sys_exit, struct pt_regs *regs, long ret)
{
	__u64 *slot = NULL, v = 0, now, start, delta, off = 0, runq = 0;
	__u32 tid, tgid;
	struct who_ref who;
	bool stack = false;

	/* a thread whose cached entry says no timed call is in flight: its slot is empty */
	if (!whoami_get(regs, &tid, &tgid, &who)) {
		slot = bpf_map_lookup_elem(&starts, &tid);
		if (!slot)
			return 0;
		v = *slot;
	}
	if (!v) {
		/*
		 * sampling: an untimed call (or, once per thread, one that began
		 * before we attached: counted too, as perf trace would).
		 * otherwise an exit without an entry: the call began before we
		 * attached. while detaching, sys_enter goes first: its calls are not ours.
		 */
		if (sampling)
			untimed_exit(tgid, SYSCALL_NR_OF(regs), ret);
		else if (!stopping && traced_here(tgid))
			count_event(CNT_MISSED_START);
		return 0;
	}
	*slot = 0;
	who_busy(&who, false);
	if (v == SLOT_FORK_CHILD)
		return 0;
	now = bpf_ktime_get_ns();
	start = base_ns + ((v & ~SLOT_SWITCHED) >> NR_BITS);
	delta = now - start;
	/* (the task itself only where it is needed: a helper call each time) */
	if (v & SLOT_SWITCHED)
		off = take_offcpu(bpf_get_current_task_btf(), v, delta, &runq);
	record(tgid, v & NR_MASK, true, delta, ret, off, runq);
	if (stacks_on && delta >= stack_min[v & NR_MASK])
		stack = stack_take(ctx, bpf_get_current_task_btf(), regs, tgid, tid, v & NR_MASK,
				   start, delta);
	if (event_mode)
		emit_call(bpf_get_current_task_btf(), regs, tgid, tid, v & NR_MASK, start, delta,
			  ret, off, runq, stack);
	/* an accepted connection is counted */
	if (tcp_on && ret >= 0 && ((v & NR_MASK) == SP_NR_accept4 || (v & NR_MASK) == SP_NR_accept))
		tcp_accepted(bpf_get_current_task_btf(), tgid, ret);
	return 0;
}

SEC("tp_btf/sched_process_fork")
int BPF_PROG(sp_fork, struct task_struct *parent, struct task_struct *child)
{
	__u32 ptgid = parent->tgid, ctgid = child->tgid, cpid = child->pid;
	__u8 yes = TARGET_YES;
	__u64 mark = SLOT_FORK_CHILD;

	if (follow_children && ptgid != ctgid && is_target(ptgid)) {
		bpf_map_update_elem(&targets, &ctgid, &yes, BPF_ANY);
	} else if (filter_tgid && ptgid != ctgid) {
		/* a dead target's tgid, reused by an unrelated process */
		__u8 *t = bpf_map_lookup_elem(&targets, &ctgid);

		if (t && *t == TARGET_EXITED)
			*t = TARGET_NONE;
	}
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
		if (!t || *t == TARGET_NONE || *t == TARGET_EXITED)
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
	/* a non-leader thread that execs has the leader's pid from now on */
	to = bpf_map_lookup_elem(&starts, &pid);
	who_store((const void *)bpf_task_pt_regs(p), pid, tgid, to && *to);
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
	__u8 exited = TARGET_EXITED;
	__u64 *slot, v;

	slot = bpf_map_lookup_elem(&starts, &tid);
	v = slot ? *slot : 0;
	if (slot && v && v != SLOT_FORK_CHILD) {
		/* exit and exit_group never return; a killed thread's call neither */
		__u64 start = base_ns + ((v & ~SLOT_SWITCHED) >> NR_BITS), now = bpf_ktime_get_ns();
		__u64 runq, off = take_offcpu(p, v, now - start, &runq);

		*slot = 0;
		record(tgid, v & NR_MASK, true, now - start, 0, off, runq);
		if (event_mode)
			emit_call(p, (struct pt_regs *)bpf_task_pt_regs(p), tgid, tid, v & NR_MASK,
				  start, now - start, 0, off, runq, false);
	} else if (slot && !v && sampling) {
		/*
		 * an untimed call that never returns: only exit and exit_group end in
		 * here (a killed thread's last call had its sys_exit before this);
		 * any other number is the last call returned, or -1 (not in a call)
		 */
		long nr = SYSCALL_NR_OF(bpf_task_pt_regs(p));

		if ((nr == SP_NR_exit || nr == SP_NR_exit_group) && traced_here(tgid))
			record(tgid, nr, false, 0, 0, 0, 0);
	} else if (slot) {
		*slot = 0;
	}
	/* the thread's stack may go to another thread once it is gone */
	who_forget((const void *)bpf_task_pt_regs(p));
	if (event_mode && group_dead && is_target(tgid))
		emit_proc(PROC_EXIT, tgid, 0);
	/*
	 * the tgid may be reused by an unrelated process later (sp_fork clears
	 * the mark then); until then sp_task_exit still counts the exits of the
	 * process's other threads, which may come after this one's
	 */
	if (group_dead && filter_tgid && is_target(tgid))
		bpf_map_update_elem(&targets, &tgid, &exited, BPF_ANY);
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

/*
 * the benchmark's second baseline (--empty-clock): the same attach points
 * reading the clock once each, as timing a call needs, and nothing else
 * (the test is never true: it keeps the read)
 */
SEC("tp_btf/sys_enter")
int BPF_PROG(sp_clock_enter, struct pt_regs *regs, long id)
{
	if (!bpf_ktime_get_ns())
		count_event(CNT_BAD_NR);
	return 0;
}

SEC("tp_btf/sys_exit")
int BPF_PROG(sp_clock_exit, struct pt_regs *regs, long ret)
{
	if (!bpf_ktime_get_ns())
		count_event(CNT_BAD_NR);
	return 0;
}
