/* SPDX-License-Identifier: MIT */
/* the aggregates: per-syscall and per-(process, syscall) stats, errnos, health counters */
#ifndef STATS_BPF_H
#define STATS_BPF_H

#include "histogram.h"
#include "maps.bpf.h"

static __always_inline void count_event(__u32 which)
{
	__u64 *c = bpf_map_lookup_elem(&counters, &which);

	if (c)
		*c += 1;
}

/*
 * this CPU's slot of (tgid, nr) in proc_slots, claimed on first sight (and
 * the process's name kept); NULL when its PROC_PROBES slots all hold others
 */
static __always_inline struct coarse_stats *proc_entry(__u32 tgid, __u32 nr)
{
	__u32 base = bpf_get_smp_processor_id() * proc_region, h = proc_home(tgid, nr);
	struct proc_slot *e;
	char comm[16];

	for (__u32 i = 0; i < PROC_PROBES; i++) {
		__u32 idx = base + ((h + i) & (proc_region - 1));

		e = bpf_map_lookup_elem(&proc_slots, &idx);
		if (!e)
			return NULL;
		if (e->tgid == tgid && e->nr == nr)
			return &e->s;
		if (e->tgid)
			continue;
		/* the slow path: this CPU's first call of this syscall by this process */
		e->nr = nr;
		/* the loader, reading as we write, must see nr once it sees tgid */
		barrier();
		e->tgid = tgid;
		if (!bpf_map_lookup_elem(&comms, &tgid)) {
			bpf_get_current_comm(comm, sizeof(comm));
			bpf_map_update_elem(&comms, &tgid, comm, BPF_NOEXIST);
		}
		return &e->s;
	}
	return NULL;
}

/*
 * one finished call. an untimed call (--sample; timed is a constant at each
 * call site, so the compiler drops the histogram work) is counted, errors and
 * errnos included, but adds no time: its histogram sum stays the timed calls
 */
static __always_inline void record(__u32 tgid, __u32 nr, bool timed, __u64 delta, long ret,
				   __u64 off, __u64 runq)
{
	struct fine_stats *f;
	struct coarse_stats *c;
	__u32 p, fi = 0, ci = 0, fi_key;
	bool err = ret < 0 && ret >= -4095;

	if (timed) {
		p = delta ? log2_u64(delta) : 0;
		fi = bucket_of(delta, p, FINE_SUB_BITS, FINE_BUCKETS);
		ci = bucket_of(delta, p, COARSE_SUB_BITS, COARSE_BUCKETS);
		/* keep the bound checks below: the clamp in bucket_of is not enough for the verifier */
		barrier_var(fi);
		barrier_var(ci);
	}
	/* this CPU's region: the index is checked by the lookup (NULL past the end) */
	fi_key = bpf_get_smp_processor_id() * NR_SLOTS + nr;
	f = bpf_map_lookup_elem(&syscall_stats, &fi_key);
	if (f) {
		f->count++;
		f->errors += err;
		if (timed) {
			f->total_ns += delta;
			f->off_cpu_ns += off;
			f->runq_ns += runq;
			if (delta > f->max_ns)
				f->max_ns = delta;
			if (fi < FINE_BUCKETS)
				f->buckets[fi]++;
		}
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

	if (!per_process)
		return;
	c = proc_entry(tgid, nr);
	if (!c) {
		count_event(CNT_PROCESS_DROPS);
		return;
	}
	c->count++;
	c->errors += err;
	if (!timed)
		return;
	c->total_ns += delta;
	c->off_cpu_ns += off;
	c->runq_ns += runq;
	if (delta > c->max_ns)
		c->max_ns = delta;
	if (ci < COARSE_BUCKETS)
		c->buckets[ci]++;
}

#endif /* STATS_BPF_H */
