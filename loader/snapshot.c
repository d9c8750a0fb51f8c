// SPDX-License-Identifier: MIT
/* aggregate snapshots: the kernel's maps, summed over CPUs and widened, as Snapshot frames */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <bpf/bpf.h>
#include "loader.h"

/* what one snapshot allocates, freed in one place */
struct parts {
	Syscallprof__SyscallStats **sys, **procs;
	size_t nsys, nprocs;
	Syscallprof__Process **plist;
	size_t nplist;
	Syscallprof__InFlight **inflight;
	size_t ninflight;
	uint32_t *tgids; /* distinct tgids of procs, in order of first sight */
	size_t ntgids;
	Syscallprof__ProcessTime **times;
	size_t ntimes;
	struct uring_parts uring;
	Syscallprof__TcpStats **tcp;
	size_t ntcp;
};

int snapshot_init(struct run *r)
{
	/* every key read has a widening entry: there are at most as many keys as those */
	size_t entries = r->widen.coarse_cap;
	struct snap_state *s = calloc(1, sizeof(*s));

	r->snap = s;
	if (!s)
		return -1;
	s->fine_seen = calloc((size_t)NR_SLOTS * r->ncpus, sizeof(uint64_t));
	s->pkeys = calloc(entries, sizeof(struct proc_key));
	s->psum = calloc(entries, sizeof(struct coarse_stats));
	s->sum32 = calloc(FINE_BUCKETS, sizeof(uint32_t));
	s->gone = calloc(entries, sizeof(uint32_t));
	s->told[0] = calloc(entries, sizeof(uint32_t));
	s->told[1] = calloc(entries, sizeof(uint32_t));
	return s->fine_seen && s->pkeys && s->psum && s->sum32 && s->gone && s->told[0] &&
		       s->told[1] ?
		       0 :
		       -1;
}

void snapshot_free(struct run *r)
{
	struct snap_state *s = r->snap;

	if (!s)
		return;
	free(s->told[1]);
	free(s->told[0]);
	free(s->gone);
	free(s->sum32);
	free(s->psum);
	free(s->pkeys);
	free(s->fine_seen);
	free(s);
}

/* a SyscallStats message for cumulative 64-bit buckets, sparse */
static Syscallprof__SyscallStats *make_stats(uint32_t tgid, uint32_t nr,
					     const struct coarse_stats *t, const uint64_t *cum,
					     int nb)
{
	Syscallprof__SyscallStats *s = calloc(1, sizeof(*s));
	int nz = 0;

	if (!s)
		return NULL;
	syscallprof__syscall_stats__init(s);
	s->tgid = tgid;
	s->nr = nr;
	s->count = t->count;
	s->errors = t->errors;
	s->total_ns = t->total_ns;
	s->max_ns = t->max_ns;
	s->off_cpu_ns = t->off_cpu_ns;
	s->runq_ns = t->runq_ns;
	for (int i = 0; i < nb; i++)
		nz += cum[i] != 0;
	s->bucket_index = calloc(nz ? nz : 1, sizeof(uint32_t));
	s->bucket_count = calloc(nz ? nz : 1, sizeof(uint64_t));
	if (!s->bucket_index || !s->bucket_count) {
		free(s->bucket_index);
		free(s->bucket_count);
		free(s);
		return NULL;
	}
	for (int i = 0; i < nb; i++) {
		if (!cum[i])
			continue;
		s->bucket_index[s->n_bucket_index++] = i;
		s->bucket_count[s->n_bucket_count++] = cum[i];
	}
	return s;
}

static void free_stats_list(Syscallprof__SyscallStats **list, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(list[i]->bucket_index);
		free(list[i]->bucket_count);
		free(list[i]);
	}
	free(list);
}

static void free_parts(struct parts *p)
{
	if (p->sys)
		free_stats_list(p->sys, p->nsys);
	if (p->procs)
		free_stats_list(p->procs, p->nprocs);
	for (size_t i = 0; i < p->nplist; i++)
		free(p->plist[i]);
	free(p->plist);
	for (size_t i = 0; i < p->ninflight; i++)
		free(p->inflight[i]);
	free(p->inflight);
	free(p->tgids);
	free_times(p->times, p->ntimes);
	free_uring(&p->uring);
	free_tcp(p->tcp, p->ntcp);
}

/* read a per-CPU array with one batch call, or key by key where unsupported */
static int read_percpu_array(int fd, void *vals, size_t value_size, uint32_t n)
{
	uint32_t out_batch, count = n;
	uint32_t *keys = calloc(n, sizeof(uint32_t));
	int err;

	if (!keys)
		return -ENOMEM;
	err = bpf_map_lookup_batch(fd, NULL, &out_batch, keys, vals, &count, NULL);
	if (err && errno != ENOENT) {
		/* older kernels: no batch ops on arrays */
		for (uint32_t k = 0; k < n; k++) {
			err = bpf_map_lookup_elem(fd, &k, (char *)vals + (size_t)k * value_size);
			if (err)
				break;
		}
	} else {
		err = 0;
	}
	free(keys);
	return err;
}

/* one CPU's counters added to the totals (buckets summed apart: their width differs) */
static void add_totals(struct coarse_stats *t, uint64_t count, uint64_t errors, uint64_t total,
		       uint64_t max, uint64_t off, uint64_t runq)
{
	t->count += count;
	t->errors += errors;
	t->total_ns += total;
	t->off_cpu_ns += off;
	t->runq_ns += runq;
	if (max > t->max_ns)
		t->max_ns = max;
}

/* has any CPU's count of nr moved since the last read? (and note the new counts) */
static bool fine_moved(struct run *r, uint32_t nr)
{
	struct snap_state *s = r->snap;
	bool moved = false;

	for (int c = 0; c < r->ncpus; c++) {
		size_t i = (size_t)c * NR_SLOTS + nr;
		/* the program adds to it as we read: one load, then compare */
		uint64_t n = __atomic_load_n(&r->fine_mem[i].count, __ATOMIC_RELAXED);

		if (n != s->fine_seen[i]) {
			s->fine_seen[i] = n;
			moved = true;
		}
	}
	return moved;
}

/*
 * per-syscall stats, read through the mapped array: only the syscalls whose
 * count moved on some CPU are summed and widened again (every call adds to
 * count, so an unmoved count is an unchanged entry); the others keep the
 * totals of their last read. the work is proportional to what changed, plus
 * one load per (CPU, syscall).
 */
static enum stop_reason read_fine(struct run *r, struct parts *p)
{
	struct snap_state *s = r->snap;
	struct widen *w = &r->widen;
	int ncpu = r->ncpus;

	p->sys = calloc(NR_SLOTS, sizeof(*p->sys));
	if (!p->sys)
		return STOP_NO_MEMORY;
	for (uint32_t nr = 0; nr < NR_SLOTS; nr++) {
		struct coarse_stats *t = &s->fine_tot[nr];

		if (fine_moved(r, nr)) {
			memset(t, 0, sizeof(*t));
			memset(s->sum32, 0, sizeof(uint32_t) * FINE_BUCKETS);
			for (int c = 0; c < ncpu; c++) {
				const struct fine_stats *f = &r->fine_mem[(size_t)c * NR_SLOTS + nr];

				add_totals(t, f->count, f->errors, f->total_ns, f->max_ns,
					   f->off_cpu_ns, f->runq_ns);
				for (int b = 0; b < FINE_BUCKETS; b++)
					s->sum32[b] += f->buckets[b];
			}
			widen(s->sum32, w->fine->prev[nr], w->fine->cum[nr], FINE_BUCKETS);
		}
		/* the same count is the same entry: a delta leaves it out */
		if (!t->count || (s->delta && t->count == s->sent_fine[nr]))
			continue;
		s->sent_fine[nr] = t->count;
		p->sys[p->nsys] = make_stats(0, nr, t, w->fine->cum[nr], FINE_BUCKETS);
		if (!p->sys[p->nsys])
			return STOP_NO_MEMORY;
		p->nsys++;
	}
	return STOP_NONE;
}

/*
 * the used slots of proc_slots (every CPU's region, read through the mapping)
 * summed per (process, syscall) into pkeys/psum; the number of keys. a key
 * with no room to widen is not attributed (widen_drops), like a full table's
 */
/*
 * one used slot added to its key's sums, the key made in this pass if new; a
 * key with no room to widen counts as drops (when drops is set)
 */
static void add_slot(struct run *r, const struct proc_slot *e, uint32_t tgid, uint32_t *nkeys,
		     bool drops)
{
	struct snap_state *s = r->snap;
	struct wide_entry *w = coarse_entry(&r->widen, tgid, e->nr);
	struct coarse_stats *t;

	if (!w) {
		if (drops)
			s->widen_drops += e->s.count;
		return;
	}
	if (w->pass != s->proc_pass) {
		w->pass = s->proc_pass;
		w->at = *nkeys;
		s->pkeys[*nkeys] = (struct proc_key){ .tgid = tgid, .nr = e->nr };
		memset(&s->psum[*nkeys], 0, sizeof(*s->psum));
		(*nkeys)++;
	}
	t = &s->psum[w->at];
	add_totals(t, e->s.count, e->s.errors, e->s.total_ns, e->s.max_ns, e->s.off_cpu_ns,
		   e->s.runq_ns);
	for (int b = 0; b < COARSE_BUCKETS; b++)
		t->buckets[b] += e->s.buckets[b];
}

static uint32_t read_proc_slots(struct run *r)
{
	struct snap_state *s = r->snap;
	size_t n = (size_t)r->ncpus * r->proc_region;
	uint32_t nkeys = 0;

	s->widen_drops = 0;
	s->proc_pass++;
	for (size_t i = 0; i < n; i++) {
		const struct proc_slot *e = &r->proc_mem[i];
		/* a program claims a slot as we read: nr is written before tgid */
		uint32_t tgid = __atomic_load_n(&e->tgid, __ATOMIC_ACQUIRE);

		if (tgid)
			add_slot(r, e, tgid, &nkeys, true);
	}
	return nkeys;
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

static bool in_sorted(const uint32_t *set, size_t n, uint32_t v)
{
	return n && bsearch(&v, set, n, sizeof(v), cmp_u32);
}

/* keep the first of each tgid, in order: sort a copy, then mark each as taken (n log n) */
static int dedupe_tgids(struct parts *p, size_t n)
{
	uint32_t *sorted = malloc((n ? n : 1) * sizeof(*sorted));
	bool *taken = calloc(n ? n : 1, sizeof(*taken));
	size_t nsorted = 0;

	if (!sorted || !taken) {
		free(sorted);
		free(taken);
		return -1;
	}
	memcpy(sorted, p->tgids, n * sizeof(*sorted));
	qsort(sorted, n, sizeof(*sorted), cmp_u32);
	for (size_t i = 0; i < n; i++)
		if (!nsorted || sorted[nsorted - 1] != sorted[i])
			sorted[nsorted++] = sorted[i];
	p->ntgids = 0;
	for (size_t i = 0; i < n; i++) {
		uint32_t *hit = bsearch(&p->tgids[i], sorted, nsorted, sizeof(*sorted), cmp_u32);

		if (taken[hit - sorted])
			continue;
		taken[hit - sorted] = true;
		p->tgids[p->ntgids++] = p->tgids[i];
	}
	free(sorted);
	free(taken);
	return 0;
}

/* per-(process, syscall) stats of the keys read, widened; their tgids in p->tgids */
static enum stop_reason widen_procs(struct run *r, struct parts *p, uint32_t count)
{
	struct snap_state *s = r->snap;

	p->procs = calloc(count ? count : 1, sizeof(*p->procs));
	p->tgids = calloc(count ? count : 1, sizeof(uint32_t));
	if (!p->procs || !p->tgids)
		return STOP_NO_MEMORY;
	for (uint32_t i = 0; i < count; i++) {
		/* made by read_proc_slots: found again */
		struct wide_entry *w = coarse_entry(&r->widen, s->pkeys[i].tgid, s->pkeys[i].nr);
		const struct coarse_stats *t = &s->psum[i];

		if (!w)
			continue;
		widen(t->buckets, w->prev, w->cum, COARSE_BUCKETS);
		if (s->delta && t->count == w->sent_count)
			continue;
		w->sent_count = t->count;
		p->procs[p->nprocs] = make_stats(w->tgid, w->nr, t, w->cum, COARSE_BUCKETS);
		if (!p->procs[p->nprocs])
			return STOP_NO_MEMORY;
		p->tgids[p->nprocs++] = w->tgid;
	}
	return dedupe_tgids(p, p->nprocs) ? STOP_NO_MEMORY : STOP_NONE;
}

/* the process list: each tgid with its command name */
static enum stop_reason list_procs(struct run *r, struct parts *p)
{
	int cfd = bpf_map__fd(r->skel->maps.comms);

	p->plist = calloc(p->ntgids ? p->ntgids : 1, sizeof(*p->plist));
	if (!p->plist)
		return STOP_NO_MEMORY;
	for (size_t t = 0; t < p->ntgids; t++) {
		char comm[16] = {};
		Syscallprof__Process *proc = calloc(1, sizeof(*proc) + sizeof(comm) + 1);

		if (!proc)
			return STOP_NO_MEMORY;
		syscallprof__process__init(proc);
		proc->tgid = p->tgids[t];
		proc->comm = (char *)(proc + 1);
		if (!bpf_map_lookup_elem(cfd, &p->tgids[t], comm))
			memcpy(proc->comm, comm, sizeof(comm));
		p->plist[p->nplist++] = proc;
	}
	return STOP_NONE;
}

/* an entry's value, deleted in the same step; a failed read keeps val as it was */
void map_take(int fd, const void *key, void *val)
{
	/* kernels without lookup-and-delete on hash maps (< 5.14): two steps */
	if (bpf_map_lookup_and_delete_elem(fd, key, val) && errno != ENOENT &&
	    !bpf_map_lookup_elem(fd, key, val))
		bpf_map_delete_elem(fd, key);
}

/*
 * --evict-exited: the processes among the keys just read that have exited
 * (reaped: every exit hook has run, their slots move no more) are reported
 * with the values just read, final, and their slots are freed in the same
 * step; they are forgotten after this snapshot (forget_gone). so an exited
 * process holds slots until the next snapshot only, whatever the churn.
 * (a pid reused between its exit and our check keeps the old totals.)
 */
static void take_gone(struct run *r, uint32_t *count)
{
	struct snap_state *s = r->snap;
	size_t n = (size_t)r->ncpus * r->proc_region;

	for (uint32_t i = 0; i < *count; i++)
		s->gone[i] = s->pkeys[i].tgid;
	s->ngone = exited_tgids(s->gone, *count);
	if (!s->ngone)
		return;
	/*
	 * their sums are made again from the slots as they are now: a process
	 * may have run on after the read passed one of its slots (a call in a
	 * slot already read, or a new slot), and only now is it final. then
	 * the slots are freed (the counts first, then the key)
	 */
	for (uint32_t i = 0; i < *count; i++)
		if (in_sorted(s->gone, s->ngone, s->pkeys[i].tgid))
			memset(&s->psum[i], 0, sizeof(s->psum[i]));
	for (size_t i = 0; i < n; i++) {
		struct proc_slot *e = &r->proc_mem[i];
		uint32_t tgid = __atomic_load_n(&e->tgid, __ATOMIC_ACQUIRE);

		if (!tgid || !in_sorted(s->gone, s->ngone, tgid))
			continue;
		add_slot(r, e, tgid, count, false);
		memset(&e->s, 0, sizeof(e->s));
		__atomic_store_n(&e->tgid, 0, __ATOMIC_RELEASE);
	}
}

/* after the snapshot is built: the exited processes' widening state and names go */
static void forget_gone(struct run *r, uint32_t count)
{
	struct snap_state *s = r->snap;
	int cfd = bpf_map__fd(r->skel->maps.comms);

	for (uint32_t i = 0; i < count && s->ngone; i++)
		if (in_sorted(s->gone, s->ngone, s->pkeys[i].tgid))
			coarse_forget(&r->widen, s->pkeys[i].tgid, s->pkeys[i].nr);
	for (size_t t = 0; t < s->ngone; t++)
		bpf_map_delete_elem(cfd, &s->gone[t]);
	/* a reader of deltas drops them when the next snapshot says so */
	memcpy(s->told[!s->flip], s->gone, s->ngone * sizeof(*s->gone));
	s->ntold[!s->flip] = s->ngone;
	s->ngone = 0;
}

/* per-(process, syscall) stats and the process list; exited processes evicted after */
static enum stop_reason read_procs(struct run *r, struct parts *p)
{
	enum stop_reason why;
	uint32_t count;

	count = read_proc_slots(r);
	if (r->opts.evict_exited)
		take_gone(r, &count);
	why = widen_procs(r, p, count);
	if (why == STOP_NONE)
		why = list_procs(r, p);
	if (r->opts.evict_exited)
		forget_gone(r, count);
	return why;
}

/* health counters: the kernel's, summed over CPUs, and the loader's own drops */
static void read_health(struct run *r, Syscallprof__Health *health)
{
	uint64_t vals[CNT_MAX][r->ncpus];
	uint64_t sums[CNT_MAX] = {};

	if (!read_percpu_array(bpf_map__fd(r->skel->maps.counters), vals,
			       sizeof(uint64_t) * r->ncpus, CNT_MAX)) {
		for (int k = 0; k < CNT_MAX; k++)
			for (int c = 0; c < r->ncpus; c++)
				sums[k] += vals[k][c];
	} else {
		warnx("reading the health counters: %s (reported as 0)", strerror(errno));
	}
	health->missed_starts = sums[CNT_MISSED_START];
	/* entries we could not widen are calls not attributed per process, too */
	health->process_drops = sums[CNT_PROCESS_DROPS] + r->snap->widen_drops;
	health->untracked_threads = sums[CNT_UNTRACKED_THREADS];
	health->lost_events = sums[CNT_LOST_EVENTS];
	health->bad_syscall_nr = sums[CNT_BAD_NR];
	health->time_drops = sums[CNT_TIME_DROPS];
	health->io_uring_drops = sums[CNT_URING_DROPS];
	health->tcp_drops = sums[CNT_TCP_DROPS];
	if (r->snap->widen_drops && !r->snap->warned_widen_full) {
		warnx("the per-process widening table is full: %llu calls reported as process "
		      "drops",
		      (unsigned long long)r->snap->widen_drops);
		r->snap->warned_widen_full = true;
	}
}

/* calls still in flight: scan the start table (final snapshot only) */
static enum stop_reason read_inflight(struct run *r, struct parts *p, Syscallprof__Health *health,
				      uint64_t now)
{
	if (!r->starts_mem)
		return STOP_NONE;
	p->inflight = calloc(MAX_IN_FLIGHT, sizeof(*p->inflight));
	if (!p->inflight)
		return STOP_NO_MEMORY;
	for (size_t tid = 1; tid < r->starts_len; tid++) {
		uint64_t v = r->starts_mem[tid];
		Syscallprof__InFlight *f;
		pid_t tgid;

		/* a fork child's mark; an untimed call (--sample) leaves its slot empty */
		if (!v || (v & SLOT_UNTIMED))
			continue;
		tgid = tgid_of(tid);
		if (tgid < 0)
			continue; /* gone since: nothing to report */
		if (p->ninflight == MAX_IN_FLIGHT) {
			health->in_flight_truncated++;
			continue;
		}
		f = calloc(1, sizeof(*f));
		if (!f)
			return STOP_NO_MEMORY;
		syscallprof__in_flight__init(f);
		f->tid = tid;
		f->tgid = tgid;
		f->nr = v & NR_MASK;
		f->age_ns = now - r->base_ns - ((v & ~SLOT_SWITCHED) >> NR_BITS);
		p->inflight[p->ninflight++] = f;
	}
	return STOP_NONE;
}

/* failed calls by (syscall, errno), walking the hash (errors are few) */
static size_t read_errnos(struct run *r)
{
	struct snap_state *s = r->snap;
	int fd = bpf_map__fd(r->skel->maps.errnos);
	struct errno_key key, next, *prev = NULL;
	size_t n = 0;
	__u64 count;

	while (n < MAX_ERRNOS && !bpf_map_get_next_key(fd, prev, &next)) {
		key = next;
		prev = &key;
		if (bpf_map_lookup_elem(fd, &key, &count))
			continue;
		syscallprof__errno_count__init(&s->errnos[n]);
		s->errnos[n].nr = key.nr;
		s->errnos[n].err = key.err;
		s->errnos[n].count = count;
		s->errno_ptrs[n] = &s->errnos[n];
		n++;
	}
	return n;
}

/* how the command ended, once it has */
static void fill_exit(const struct target *t, Syscallprof__TargetExit *texit)
{
	texit->pid = t->child;
	texit->exited = WIFEXITED(t->status);
	texit->code = WIFEXITED(t->status) ? WEXITSTATUS(t->status) : 0;
	texit->signal = WIFSIGNALED(t->status) ? WTERMSIG(t->status) : 0;
	texit->cpu_ns = t->cpu_ns;
}

static uint64_t total_run_ns(Syscallprof__ProgramCost *const *costs, size_t n)
{
	uint64_t sum = 0;

	for (size_t i = 0; i < n; i++)
		sum += costs[i]->run_time_ns;
	return sum;
}

/* send one snapshot (final: with in-flight calls, the exit and why we stopped) */
enum stop_reason emit_snapshot(struct run *r, bool final, enum stop_reason reason)
{
	Syscallprof__Frame frame = SYSCALLPROF__FRAME__INIT;
	Syscallprof__Snapshot snap = SYSCALLPROF__SNAPSHOT__INIT;
	Syscallprof__Health health = SYSCALLPROF__HEALTH__INIT;
	Syscallprof__TargetExit texit = SYSCALLPROF__TARGET_EXIT__INIT;
	Syscallprof__StackHealth stack_health = SYSCALLPROF__STACK_HEALTH__INIT;
	Syscallprof__ProgramCost *costs[MAX_COST_PROGS], cost_store[MAX_COST_PROGS];
	uint64_t now = clock_ns(CLOCK_MONOTONIC);
	struct parts p = {};
	enum stop_reason why;
	struct snap_state *s = r->snap;

	/* --full-every: the first, every Nth and the final snapshot are whole */
	s->delta = r->opts.full_every > 1 && !final && s->seq % r->opts.full_every;
	s->ntold[!s->flip] = 0;
	why = read_fine(r, &p);
	if (why == STOP_NONE)
		why = read_procs(r, &p);
	if (why == STOP_NONE)
		read_health(r, &health);
	if (why == STOP_NONE && final)
		why = read_inflight(r, &p, &health, now);
	if (why == STOP_NONE)
		why = read_times(r, now, &p.times, &p.ntimes);
	if (why == STOP_NONE)
		why = read_uring(r, final, now, &p.uring, &health.in_flight_truncated);
	if (why == STOP_NONE)
		why = read_tcp(r, &p.tcp, &p.ntcp);
	if (why == STOP_NONE)
		why = stacks_snapshot(r, &snap, &stack_health);
	if (why != STOP_NONE)
		goto out;
	snap.seq = r->snap->seq++;
	snap.mono_ns = now;
	snap.final = final;
	snap.n_syscalls = p.nsys;
	snap.syscalls = p.sys;
	snap.n_processes = p.nprocs;
	snap.processes = p.procs;
	snap.n_procs = p.nplist;
	snap.procs = p.plist;
	snap.n_in_flight = p.ninflight;
	snap.in_flight = p.inflight;
	snap.health = &health;
	snap.n_cost = read_costs(r->skel->obj, cost_store, costs, MAX_COST_PROGS);
	snap.cost = costs;
	snap.stop_reason = stop_wire(reason);
	snap.cost_window_ns = cost_window(&r->cost, now);
	snap.sample_period = r->sampler.max_ppm ? r->sampler.period : 0;
	snap.delta = s->delta;
	snap.n_gone_tgids = s->ntold[s->flip];
	snap.gone_tgids = s->told[s->flip];
	snap.n_errnos = read_errnos(r);
	snap.errnos = r->snap->errno_ptrs;
	snap.n_times = p.ntimes;
	snap.times = p.times;
	snap.n_io_uring_ops = p.uring.nops;
	snap.io_uring_ops = p.uring.ops;
	snap.n_io_uring_errnos = p.uring.nerrnos;
	snap.io_uring_errnos = p.uring.errnos;
	snap.n_io_uring_procs = p.uring.nprocs;
	snap.io_uring_procs = p.uring.procs;
	snap.n_io_uring_in_flight = p.uring.ninflight;
	snap.io_uring_in_flight = p.uring.inflight;
	snap.n_io_uring_punt_fds = p.uring.npunt_fds;
	snap.io_uring_punt_fds = p.uring.punt_fds;
	snap.n_io_uring_rings = p.uring.nrings;
	snap.io_uring_rings = p.uring.rings;
	snap.n_tcp = p.ntcp;
	snap.tcp = p.tcp;
	if (final && r->target.child > 0 && r->target.done) {
		fill_exit(&r->target, &texit);
		snap.exit = &texit;
	}
	frame.body_case = SYSCALLPROF__FRAME__BODY_SNAPSHOT;
	frame.snapshot = &snap;
	why = write_frame(&frame);
	if (why == STOP_NONE)
		stacks_sent(r->stk);
	s->flip = !s->flip;
	/* the next interval's period, from this one's cost */
	if (!final)
		sampler_adjust(r, total_run_ns(costs, snap.n_cost), snap.cost_window_ns);
out:
	stacks_snapshot_free(&snap);
	if (why == STOP_NO_MEMORY)
		warnx("out of memory building a snapshot");
	free_parts(&p);
	return why;
}
