/* SPDX-License-Identifier: MIT */
/* off-CPU time inside calls: the sched_switch/sched_wakeup programs and their state */
#ifndef OFFCPU_BPF_H
#define OFFCPU_BPF_H

#include "maps.bpf.h"

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
	/* an empty slot (no call, or an untimed one) or a fork child's mark: no time to split */
	if (tid && slot && (v = *slot) && !(v & SLOT_UNTIMED)) {
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

#endif /* OFFCPU_BPF_H */
