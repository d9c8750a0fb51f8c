/* SPDX-License-Identifier: MIT */
/*
 * on-CPU time and lifetime of each traced thread inside the trace window.
 * nothing here runs per syscall: a traced thread's exit adds what it used to
 * its process in proc_times, and at each snapshot the loader runs the task
 * iterator sp_time_read, which writes one record per traced thread still
 * alive. CPU time counts from the window's start: when it opens, the loader
 * runs sp_time_base once, noting what each thread alive then had used; a
 * thread born later starts from 0 (fork zeroes sum_exec_runtime).
 */
#ifndef TIMES_BPF_H
#define TIMES_BPF_H

#include "maps.bpf.h"
#include "stats.bpf.h"

/* include/linux/sched.h */
#define SP_PF_EXITING 0x00000004
#define SP_PF_KTHREAD 0x00200000

/* the cgroup v2 id of a task, as bpf_get_current_cgroup_id() gives it for current */
static __always_inline __u64 task_cgroup_id(struct task_struct *task)
{
	return BPF_CORE_READ(task, cgroups, dfl_cgrp, kn, id);
}

/*
 * the tgid part of the syscall filter, for any task. a held command counts
 * from its fork (it only waits to be released); an exiting target still
 * counts (its other threads may reach their exit after the one that marked
 * it). kernel threads make no syscalls: never traced.
 */
static __always_inline bool task_tgid_traced(struct task_struct *task)
{
	__u32 tgid = task->tgid;
	__u8 *t;

	if (tgid == self_tgid || tgid == other_tgid || (task->flags & SP_PF_KTHREAD))
		return false;
	if (!filter_tgid)
		return true;
	t = bpf_map_lookup_elem(&targets, &tgid);
	return t && *t != TARGET_NONE;
}

/* whether a task is traced: the filter sys_enter applies, for any task */
static __always_inline bool task_traced(struct task_struct *task)
{
	return task_tgid_traced(task) && (!target_cgroup || task_cgroup_id(task) == target_cgroup);
}

/* lifetime inside the window until now: from its birth or the window's start */
static __always_inline __u64 life_until(struct task_struct *task, __u64 now)
{
	__u64 from = task->start_time;

	if (from < attach_ns)
		from = attach_ns;
	return now > from ? now - from : 0;
}

/*
 * CPU time inside the window: since its baseline if it has one, all of it if
 * it was born inside the window. a thread alive at the start without a
 * baseline (it exited before the first pass reached it) counts 0: time from
 * before the window is never counted.
 */
static __always_inline __u64 cpu_in_window(struct task_struct *task, struct task_time *tt)
{
	__u64 cpu = task->se.sum_exec_runtime;

	if (tt)
		return cpu > tt->cpu_base ? cpu - tt->cpu_base : 0;
	return task->start_time >= attach_ns ? cpu : 0;
}

/*
 * time runnable, waiting for a CPU, inside the window: the scheduler's
 * run_delay (sched_info, added when a queued task gets the CPU), from its
 * baseline as for the CPU time; 0 on a kernel without it
 */
static __always_inline __u64 task_run_delay(struct task_struct *task)
{
	if (!bpf_core_field_exists(task->sched_info.run_delay))
		return 0;
	return task->sched_info.run_delay;
}

static __always_inline __u64 runq_in_window(struct task_struct *task, struct task_time *tt)
{
	__u64 rd = task_run_delay(task);

	if (tt)
		return rd > tt->runq_base ? rd - tt->runq_base : 0;
	return task->start_time >= attach_ns ? rd : 0;
}

/* a traced thread exits: what it used inside the window goes to its process */
SEC("tp_btf/sched_process_exit")
int BPF_PROG(sp_task_exit, struct task_struct *p, bool group_dead)
{
	struct proc_time *pt, zero = {};
	struct task_time *tt;
	__u32 tgid = p->tgid;
	__u64 cpu, life, runq;

	/* an exit before the window opened is not in it */
	if (!attach_ns || !task_traced(p))
		return 0;
	/* the time it spends exiting after this point is not counted: a few µs */
	life = life_until(p, bpf_ktime_get_ns());
	tt = bpf_task_storage_get(&task_times, p, 0, 0);
	cpu = cpu_in_window(p, tt);
	runq = runq_in_window(p, tt);
	pt = bpf_map_lookup_elem(&proc_times, &tgid);
	if (!pt) {
		bpf_map_update_elem(&proc_times, &tgid, &zero, BPF_NOEXIST);
		pt = bpf_map_lookup_elem(&proc_times, &tgid);
	}
	if (!pt) {
		count_event(CNT_TIME_DROPS);
		return 0;
	}
	/* threads of one process may exit on two CPUs at once */
	__sync_fetch_and_add(&pt->cpu_ns, cpu);
	__sync_fetch_and_add(&pt->life_ns, life);
	__sync_fetch_and_add(&pt->threads, 1);
	__sync_fetch_and_add(&pt->runq_ns, runq);
	return 0;
}

/*
 * the window opens: note the CPU time of every thread alive that the tgid
 * filter lets through (the cgroup part is left out: a task may move into the
 * traced cgroup later, and then counts from here, not from its birth)
 */
SEC("iter/task")
int sp_time_base(struct bpf_iter__task *ctx)
{
	struct task_struct *task = ctx->task;
	struct task_time *tt;

	if (!task || (task->flags & SP_PF_EXITING) || task->start_time >= attach_ns ||
	    !task_tgid_traced(task))
		return 0;
	tt = bpf_task_storage_get(&task_times, task, 0, BPF_LOCAL_STORAGE_GET_F_CREATE);
	if (tt) {
		tt->cpu_base = task->se.sum_exec_runtime;
		tt->runq_base = task_run_delay(task);
	}
	return 0;
}

/*
 * a snapshot: one record per traced thread alive. an exiting thread
 * (PF_EXITING, set just before it passes sched_process_exit) is left to the
 * exit hook: counted here it could be counted twice, once it is in
 * proc_times; left out, it is missing from this snapshot at most, for the
 * time it takes to exit. a running thread's sum_exec_runtime is brought up
 * to date at each tick and switch: up to one tick behind.
 */
SEC("iter/task")
int sp_time_read(struct bpf_iter__task *ctx)
{
	struct seq_file *seq = ctx->meta->seq;
	struct task_struct *task = ctx->task;
	struct time_rec rec = {};
	struct task_time *tt;

	if (!task || (task->flags & SP_PF_EXITING) || !task_traced(task))
		return 0;
	tt = bpf_task_storage_get(&task_times, task, 0, 0);
	rec.tgid = task->tgid;
	rec.cpu_ns = cpu_in_window(task, tt);
	rec.runq_ns = runq_in_window(task, tt);
	rec.life_ns = life_until(task, snap_ns);
	bpf_seq_write(seq, &rec, sizeof(rec));
	return 0;
}

#endif /* TIMES_BPF_H */
