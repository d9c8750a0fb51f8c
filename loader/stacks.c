// SPDX-License-Identifier: MIT
/*
 * --stacks in the loader: stack records from stack_rb are unwound
 * (unwind.c), deduplicated per (process, addresses) into StackDefs named
 * once (symbolize.c), and aggregated per (process, syscall, stack). each
 * StackDef goes out once, in the first frame written after it was made
 * (Snapshot.stack_defs or EventBatch.stack_defs), so before anything refers
 * to it. the adaptive threshold is set here too, from the per-syscall
 * histograms of each snapshot.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/bpf.h>
#include "loader.h"
#include "stacks.h"
#include "histogram.h"
#include "syscall_nrs.h"

#define STACKS_MAX 8192	      /* distinct stacks kept */
#define STACK_STATS_MAX 16384 /* (process, syscall, stack) entries kept */
#define PENDING_SLOTS 16384   /* event mode: taken stacks not yet matched to their row */
#define MAX_REASONS 16
#define WHY_TABLE_FULL "stack table full"
#define ADAPT_MIN_CALLS 20 /* calls in an interval before its p90 counts */
#define STACK_QUEUE 512	   /* records read but not unwound yet */
#define WHY_EXEC "exec: the new program's entry point"

struct stack_ent {
	uint64_t hash;
	uint32_t tgid, id; /* id 0: free slot */
	uint32_t n;
	uint64_t *ips;
};

struct stat_ent {
	uint32_t tgid, nr, id; /* id 0: free slot */
	uint64_t count, total_ns, max_ns;
	uint32_t nb, cap; /* sparse buckets, sorted by index */
	uint32_t *bidx;
	uint64_t *bcnt;
};

struct pending {
	uint32_t tid, id;
	uint64_t start_ns;
};

/* a stack made but not named yet: named when the next frame goes out */
struct fresh {
	uint32_t id, tgid;
	int nk;
	__u64 kips[STACK_K_DEPTH];
	struct unwind_out out;
};

struct reason {
	const char *why;
	uint64_t count;
};

struct stacks {
	struct ring_buffer *rb;
	struct unwinder *unw;
	struct stack_ent *tab; /* 2 * STACKS_MAX slots */
	uint32_t nstacks;
	struct stat_ent *stats; /* 2 * STACK_STATS_MAX slots */
	uint32_t nstats;
	/*
	 * stacks are named only when a frame goes out, not as their records
	 * come: naming opens symbol tables (a debug file's may take tens of ms),
	 * and meanwhile the next records wait, and a short-lived process may
	 * exit before they refresh its maps
	 */
	struct fresh **fresh;
	size_t nfresh;
	Syscallprof__StackDef **unsent;
	size_t nunsent;
	struct pending pend[PENDING_SLOTS];
	uint64_t full, partial, none;
	struct reason reasons[MAX_REASONS];
	uint64_t (*prev)[FINE_BUCKETS]; /* adaptive: the fine histograms at the last update */
	uint64_t unwind_ns;		/* time spent unwinding and naming */
	void *queue[STACK_QUEUE];	/* records read, waiting to be unwound */
	size_t qhead, qn;
	bool oom;
};

static uint64_t hash_ips(uint32_t tgid, const uint64_t *ips, int n)
{
	uint64_t h = 1469598103934665603ULL ^ tgid;

	for (int i = 0; i < n; i++)
		h = (h ^ ips[i]) * 1099511628211ULL;
	return h ? h : 1;
}

static void count_reason(struct stacks *s, const char *why)
{
	for (int i = 0; i < MAX_REASONS; i++) {
		if (!s->reasons[i].why)
			s->reasons[i].why = why;
		if (!strcmp(s->reasons[i].why, why)) {
			s->reasons[i].count++;
			return;
		}
	}
}

static void free_def(Syscallprof__StackDef *d)
{
	for (size_t i = 0; i < d->n_frames; i++) {
		if (d->frames[i]->symbol != protobuf_c_empty_string)
			free(d->frames[i]->symbol);
		if (d->frames[i]->module != protobuf_c_empty_string)
			free(d->frames[i]->module);
		free(d->frames[i]);
	}
	free(d->frames);
	free(d);
}

/* a StackDef with its frames named; NULL when out of memory */
static Syscallprof__StackDef *make_def(struct stacks *s, uint32_t id, uint32_t tgid,
				       const struct unwind_out *u, const __u64 *kips, int nk)
{
	Syscallprof__StackDef *d = calloc(1, sizeof(*d));
	size_t n = nk + u->n;

	if (!d)
		return NULL;
	syscallprof__stack_def__init(d);
	d->id = id;
	d->tgid = tgid;
	d->unwind = (Syscallprof__StackUnwind)u->how;
	d->completeness = (Syscallprof__StackCompleteness)u->done;
	d->incomplete_reason = (char *)(u->why ? u->why : "");
	d->frames = calloc(n ? n : 1, sizeof(*d->frames));
	if (!d->frames) {
		free(d);
		return NULL;
	}
	for (size_t i = 0; i < n; i++) {
		Syscallprof__StackFrame *f = calloc(1, sizeof(*f));
		struct sym_frame sf;
		bool kernel = (int)i < nk;

		if (!f) {
			free_def(d);
			return NULL;
		}
		syscallprof__stack_frame__init(f);
		d->frames[d->n_frames++] = f;
		f->kernel = kernel;
		if (kernel) {
			f->address = kips[i];
			f->module = (char *)"[kernel]";
			f->unresolved = (char *)"kernel symbols not read";
			continue;
		}
		f->address = u->ips[i - nk];
		if (symbolize(s->unw, tgid, f->address, i == (size_t)nk, &sf)) {
			free_def(d);
			return NULL;
		}
		f->symbol = sf.symbol ? sf.symbol : (char *)protobuf_c_empty_string;
		f->symbol_offset = sf.symbol_offset;
		f->module = sf.module ? sf.module : (char *)protobuf_c_empty_string;
		f->module_offset = sf.module_offset;
		f->unresolved = (char *)(sf.unresolved ? sf.unresolved : "");
	}
	return d;
}

/* the id of this stack of tgid, made (and queued to be sent) if new; 0 when full */
static uint32_t stack_id(struct stacks *s, uint32_t tgid, const struct unwind_out *u,
			 const __u64 *kips, int nk)
{
	uint64_t ips[UNWIND_MAX_FRAMES + STACK_K_DEPTH];
	int n = 0;
	uint64_t h;
	size_t cap = 2 * STACKS_MAX, i;

	for (int k = 0; k < nk; k++)
		ips[n++] = kips[k];
	for (int k = 0; k < u->n; k++)
		ips[n++] = u->ips[k];
	h = hash_ips(tgid, ips, n);
	for (i = h & (cap - 1);; i = (i + 1) & (cap - 1)) {
		struct stack_ent *e = &s->tab[i];

		if (!e->id)
			break;
		if (e->hash == h && e->tgid == tgid && e->n == (uint32_t)n &&
		    !memcmp(e->ips, ips, n * sizeof(uint64_t)))
			return e->id;
	}
	if (s->nstacks == STACKS_MAX)
		return 0;
	struct fresh **q = realloc(s->fresh, (s->nfresh + 1) * sizeof(*q));
	struct stack_ent *e = &s->tab[i];

	if (!q)
		return 0;
	s->fresh = q;
	e->ips = malloc(n * sizeof(uint64_t) + 1);
	q[s->nfresh] = e->ips ? malloc(sizeof(struct fresh)) : NULL;
	if (!q[s->nfresh]) {
		free(e->ips);
		e->ips = NULL;
		s->oom = true;
		return 0;
	}
	*q[s->nfresh] = (struct fresh){ .id = s->nstacks + 1, .tgid = tgid, .nk = nk, .out = *u };
	memcpy(q[s->nfresh]->kips, kips, nk * sizeof(*kips));
	s->nfresh++;
	memcpy(e->ips, ips, n * sizeof(uint64_t));
	e->hash = h;
	e->tgid = tgid;
	e->n = n;
	e->id = ++s->nstacks;
	return e->id;
}

/* the call's time into its (process, syscall, stack) entry; false when the table is full */
static bool add_stat(struct stacks *s, uint32_t tgid, uint32_t nr, uint32_t id, uint64_t ns)
{
	size_t cap = 2 * STACK_STATS_MAX, i = ((uint64_t)id * 2654435761u ^ nr * 40503u) & (cap - 1);
	uint32_t b = bucket_of(ns, ns ? log2_u64(ns) : 0, COARSE_SUB_BITS, COARSE_BUCKETS), k;
	struct stat_ent *e;

	for (;; i = (i + 1) & (cap - 1)) {
		e = &s->stats[i];
		if (!e->id || (e->id == id && e->nr == nr && e->tgid == tgid))
			break;
	}
	if (!e->id) {
		if (s->nstats == STACK_STATS_MAX)
			return false;
		*e = (struct stat_ent){ .tgid = tgid, .nr = nr, .id = id };
		s->nstats++;
	}
	for (k = 0; k < e->nb && e->bidx[k] < b; k++)
		;
	if (k == e->nb || e->bidx[k] != b) {
		if (e->nb == e->cap) {
			uint32_t cap2 = e->cap ? e->cap * 2 : 4;
			uint32_t *bi = realloc(e->bidx, cap2 * sizeof(*bi));
			uint64_t *bc = bi ? realloc(e->bcnt, cap2 * sizeof(*bc)) : NULL;

			if (bi)
				e->bidx = bi;
			if (!bc) {
				s->oom = true;
				return true;
			}
			e->bcnt = bc;
			e->cap = cap2;
		}
		memmove(&e->bidx[k + 1], &e->bidx[k], (e->nb - k) * sizeof(*e->bidx));
		memmove(&e->bcnt[k + 1], &e->bcnt[k], (e->nb - k) * sizeof(*e->bcnt));
		e->bidx[k] = b;
		e->bcnt[k] = 0;
		e->nb++;
	}
	e->bcnt[k]++;
	e->count++;
	e->total_ns += ns;
	if (ns > e->max_ns)
		e->max_ns = ns;
	return true;
}

/* direct-mapped by (tid, start): a collision forgets the older stack's row match */
static struct pending *pending_slot(struct stacks *s, uint32_t tid, uint64_t start_ns)
{
	uint64_t h = (start_ns ^ ((uint64_t)tid << 32)) * 0x9E3779B97F4A7C15ULL;

	return &s->pend[h >> 50];
}

/* a record's unwinder input (pointing into it) */
static void record_in(const struct stack_rec *rec, struct unwind_in *in)
{
	*in = (struct unwind_in){
		.tgid = rec->tgid,
		.tid = rec->tid,
		.slice = rec->slice,
		.slice_len = rec->slice_len,
		.fp_ips = rec->fp_ips,
		.n_fp = rec->fp_len > 0 ? rec->fp_len / 8 : 0,
	};
	memcpy(in->regs, rec->regs, sizeof(in->regs));
}

/* one stack record: unwound, counted, its stack made if new */
static void take_record(struct stacks *s, const struct stack_rec *rec)
{
	struct unwind_in in;
	struct unwind_out out;
	uint64_t t0 = clock_ns(CLOCK_MONOTONIC);
	int nk = rec->k_len > 0 ? rec->k_len / 8 : 0;
	uint32_t id;

	record_in(rec, &in);
	if (rec->nr == SP_NR_execve || rec->nr == SP_NR_execveat) {
		/* returns into the new program's entry point: nothing called it */
		out = (struct unwind_out){ .n = 1, .how = UNWIND_DWARF, .done = UNWIND_NONE,
					   .why = WHY_EXEC };
		out.ips[0] = rec->regs[STACK_REG_IP];
	} else {
		unwind_stack(s->unw, &in, &out);
	}
	if (out.done == UNWIND_FULL)
		s->full++;
	else if (out.done == UNWIND_PARTIAL)
		s->partial++;
	else
		s->none++;
	if (out.why)
		count_reason(s, out.why);
	id = stack_id(s, rec->tgid, &out, rec->k_ips, nk);
	if (!id || !add_stat(s, rec->tgid, rec->nr, id, rec->duration_ns))
		count_reason(s, WHY_TABLE_FULL);
	if (id) {
		struct pending *p = pending_slot(s, rec->tid, rec->start_ns);

		*p = (struct pending){ .tid = rec->tid, .id = id, .start_ns = rec->start_ns };
	}
	s->unwind_ns += clock_ns(CLOCK_MONOTONIC) - t0;
}

/*
 * a record from stack_rb: its process's maps are made to cover it at once (a
 * short-lived process may be gone once the records before it are unwound),
 * then it waits in the queue; with the queue full it is taken here
 */
static int on_stack(void *ctx, void *data, size_t size)
{
	struct stacks *s = ctx;
	const struct stack_rec *rec = data;
	struct unwind_in in;
	void *copy;

	if (size < offsetof(struct stack_rec, slice) ||
	    size < offsetof(struct stack_rec, slice) + rec->slice_len)
		return 0;
	record_in(rec, &in);
	unwind_prepare(s->unw, &in);
	if (s->qn == STACK_QUEUE || !(copy = malloc(size))) {
		take_record(s, rec);
		return 0;
	}
	memcpy(copy, rec, size);
	s->queue[(s->qhead + s->qn++) % STACK_QUEUE] = copy;
	return 0;
}

/* everything stack_rb holds, reading it again after each record unwound */
static void stacks_consume(struct stacks *s)
{
	ring_buffer__consume(s->rb);
	while (s->qn) {
		struct stack_rec *rec = s->queue[s->qhead];

		s->qhead = (s->qhead + 1) % STACK_QUEUE;
		s->qn--;
		take_record(s, rec);
		free(rec);
		ring_buffer__consume(s->rb);
	}
}

void stacks_configure(struct run *r)
{
	struct syscall_prof_bpf *skel = r->skel;
	const struct opts *o = &r->opts;

	skel->rodata->stacks_on = o->stacks;
	skel->rodata->kernel_stacks = o->kernel_stacks;
	skel->rodata->stack_bytes = o->stack_bytes;
	skel->rodata->stack_cost_ns = 1000000000ULL / (o->stacks ? o->stacks_rate : 1);
	bpf_map__set_max_entries(skel->maps.stack_rb, o->stacks ? STACK_RINGBUF_BYTES : 4096);
	if (o->stacks)
		bpf_map__set_max_entries(skel->maps.stack_scratch, r->ncpus);
	for (int nr = 0; nr < NR_SLOTS; nr++)
		skel->bss->stack_min[nr] = o->stacks_min_ns ? o->stacks_min_ns : STACK_ALWAYS_NS;
}

int stacks_init(struct run *r)
{
	struct stacks *s;

	if (!r->opts.stacks)
		return 0;
	s = r->stk = calloc(1, sizeof(*s));
	if (!s || !(s->tab = calloc(2 * STACKS_MAX, sizeof(*s->tab))) ||
	    !(s->stats = calloc(2 * STACK_STATS_MAX, sizeof(*s->stats))) ||
	    !(s->unw = unwinder_new()) ||
	    (!r->opts.stacks_min_ns && !(s->prev = calloc(NR_SLOTS, sizeof(*s->prev))))) {
		warnx("out of memory for the stack tables");
		return -1;
	}
	s->rb = ring_buffer__new(bpf_map__fd(r->skel->maps.stack_rb), on_stack, s, NULL);
	if (!s->rb) {
		warnx("opening the stack ring buffer: %s", strerror(errno));
		return -1;
	}
	return 0;
}

void stacks_free(struct run *r)
{
	struct stacks *s = r->stk;

	if (!s)
		return;
	ring_buffer__free(s->rb);
	unwinder_free(s->unw);
	for (size_t i = 0; s->tab && i < 2 * STACKS_MAX; i++)
		free(s->tab[i].ips);
	for (size_t i = 0; s->stats && i < 2 * STACK_STATS_MAX; i++) {
		free(s->stats[i].bidx);
		free(s->stats[i].bcnt);
	}
	for (size_t i = 0; i < s->nunsent; i++)
		free_def(s->unsent[i]);
	free(s->unsent);
	for (size_t i = 0; i < s->nfresh; i++)
		free(s->fresh[i]);
	for (size_t i = 0; i < s->qn; i++)
		free(s->queue[(s->qhead + i) % STACK_QUEUE]);
	free(s->fresh);
	free(s->tab);
	free(s->stats);
	free(s->prev);
	free(s);
	r->stk = NULL;
}

int stacks_wait_fd(const struct run *r)
{
	return r->stk ? ring_buffer__epoll_fd(r->stk->rb) : -1;
}

enum stop_reason drain_stacks(struct run *r)
{
	if (!r->stk)
		return STOP_NONE;
	stacks_consume(r->stk);
	return r->stk->oom ? STOP_NO_MEMORY : STOP_NONE;
}

uint32_t stacks_row_id(struct stacks *s, uint32_t tid, uint64_t start_ns)
{
	struct pending *p = pending_slot(s, tid, start_ns);

	/* the record went to stack_rb before the row's: it is there to read */
	if (p->tid != tid || p->start_ns != start_ns)
		stacks_consume(s);
	if (p->tid != tid || p->start_ns != start_ns)
		return 0;
	p->tid = 0;
	return p->id;
}

/* the StackDefs not sent yet (named now), for the frame being built; stacks_sent() once it went out */
Syscallprof__StackDef **stacks_unsent(struct stacks *s, size_t *n)
{
	Syscallprof__StackDef **q;

	*n = 0;
	if (!s)
		return NULL;
	if (!s->nfresh) {
		*n = s->nunsent;
		return s->unsent;
	}
	q = realloc(s->unsent, (s->nunsent + s->nfresh) * sizeof(*q));
	if (!q) {
		s->oom = true;
	} else {
		s->unsent = q;
		for (size_t i = 0; i < s->nfresh; i++) {
			struct fresh *f = s->fresh[i];

			q[s->nunsent] = make_def(s, f->id, f->tgid, &f->out, f->kips, f->nk);
			if (q[s->nunsent])
				s->nunsent++;
			else
				s->oom = true;
			free(f);
		}
		s->nfresh = 0;
	}
	*n = s->nunsent;
	return s->unsent;
}

void stacks_sent(struct stacks *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->nunsent; i++)
		free_def(s->unsent[i]);
	s->nunsent = 0;
}

/* the smallest value of bucket b in a layout of 2^sub sub-buckets a power (histogram.h) */
static uint64_t bucket_low(int b, int sub)
{
	int p;

	if (b < (1 << sub))
		return b;
	p = sub + ((b - (1 << sub)) >> sub);
	return (uint64_t)((1 << sub) + ((b - (1 << sub)) & ((1 << sub) - 1))) << (p - sub);
}

/* adaptive: each syscall's threshold is the lower of 1 ms and its p90 over the last interval */
static void adapt(struct run *r)
{
	struct stacks *s = r->stk;

	for (int nr = 0; nr < NR_SLOTS; nr++) {
		const uint64_t *cum = r->widen.fine->cum[nr];
		uint64_t d[FINE_BUCKETS], total = 0, seen = 0;
		int b;

		for (b = 0; b < FINE_BUCKETS; b++) {
			d[b] = cum[b] - s->prev[nr][b];
			total += d[b];
			s->prev[nr][b] = cum[b];
		}
		if (total < ADAPT_MIN_CALLS)
			continue;
		for (b = 0; b < FINE_BUCKETS && (seen += d[b]) < total - total / 10; b++)
			;
		uint64_t lo = bucket_low(b, FINE_SUB_BITS);

		r->skel->bss->stack_min[nr] = lo < STACK_ALWAYS_NS ? lo : STACK_ALWAYS_NS;
	}
}

static Syscallprof__StackReason **reasons_msg(struct stacks *s, size_t *n)
{
	Syscallprof__StackReason **out = calloc(MAX_REASONS, sizeof(*out));

	*n = 0;
	for (int i = 0; out && i < MAX_REASONS && s->reasons[i].why; i++) {
		Syscallprof__StackReason *m = calloc(1, sizeof(*m));

		if (!m)
			break;
		syscallprof__stack_reason__init(m);
		m->reason = (char *)s->reasons[i].why;
		m->count = s->reasons[i].count;
		out[(*n)++] = m;
	}
	return out;
}

/* Snapshot.stacks, stack_health and stack_defs; free with stacks_snapshot_free */
enum stop_reason stacks_snapshot(struct run *r, Syscallprof__Snapshot *snap,
				 Syscallprof__StackHealth *h)
{
	struct stacks *s = r->stk;
	uint32_t cnt[] = { CNT_STACK_SLOW, CNT_STACK_TAKEN, CNT_STACK_RATE_LIMITED, CNT_STACK_LOST };
	uint64_t sums[4] = {}, vals[r->ncpus];
	Syscallprof__StackStats **list;

	if (!s)
		return STOP_NONE;
	if (s->prev)
		adapt(r);
	for (int k = 0; k < 4; k++) {
		if (bpf_map_lookup_elem(bpf_map__fd(r->skel->maps.counters), &cnt[k], vals))
			continue;
		for (int c = 0; c < r->ncpus; c++)
			sums[k] += vals[c];
	}
	h->slow_calls = sums[0];
	h->taken = sums[1];
	h->rate_limited = sums[2];
	h->lost = sums[3];
	h->unwound_full = s->full;
	h->unwound_partial = s->partial;
	h->unwound_none = s->none;
	h->reasons = reasons_msg(s, &h->n_reasons);
	snap->stack_health = h;
	list = calloc(s->nstats ? s->nstats : 1, sizeof(*list));
	if (!list || !h->reasons)
		return STOP_NO_MEMORY;
	snap->stacks = list;
	for (size_t i = 0; i < 2 * STACK_STATS_MAX; i++) {
		const struct stat_ent *e = &s->stats[i];
		Syscallprof__StackStats *m;

		if (!e->id)
			continue;
		m = calloc(1, sizeof(*m));
		if (!m)
			return STOP_NO_MEMORY;
		syscallprof__stack_stats__init(m);
		m->tgid = e->tgid;
		m->nr = e->nr;
		m->stack_id = e->id;
		m->count = e->count;
		m->total_ns = e->total_ns;
		m->max_ns = e->max_ns;
		m->n_bucket_index = m->n_bucket_count = e->nb;
		m->bucket_index = e->bidx;
		m->bucket_count = e->bcnt;
		list[snap->n_stacks++] = m;
	}
	snap->stack_defs = stacks_unsent(s, &snap->n_stack_defs);
	return STOP_NONE;
}

void stacks_snapshot_free(Syscallprof__Snapshot *snap)
{
	for (size_t i = 0; i < snap->n_stacks; i++)
		free(snap->stacks[i]);
	free(snap->stacks);
	if (snap->stack_health) {
		for (size_t i = 0; i < snap->stack_health->n_reasons; i++)
			free(snap->stack_health->reasons[i]);
		free(snap->stack_health->reasons);
	}
}

uint64_t stacks_unwind_ns(const struct run *r)
{
	return r->stk ? r->stk->unwind_ns : 0;
}
