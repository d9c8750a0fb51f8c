// SPDX-License-Identifier: MIT
/*
 * the traced threads' CPU time and lifetimes (bpf/times.bpf.h): the window
 * opens with one pass of the baseline iterator; each snapshot adds the exited
 * threads (proc_times) and the live ones (one pass of the read iterator), per
 * process, as ProcessTime messages.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include "loader.h"

#define READ_CHUNK (64 * 1024)

/* one process's times, before it becomes a message */
struct ptime {
	uint32_t tgid;
	uint64_t cpu_ns, life_ns, threads, runq_ns;
};

/* the scratch buffers sized once, at the map's size */
int times_init(struct run *r)
{
	struct times *t = &r->times;
	long entries = r->opts.max_entries;

	t->on = !r->opts.empty_mode;
	if (!t->on)
		return 0;
	t->keys = calloc(entries, sizeof(*t->keys));
	t->vals = calloc(entries, sizeof(*t->vals));
	t->gone = calloc(entries, sizeof(*t->gone));
	t->chunk = malloc(READ_CHUNK + sizeof(struct time_rec));
	return t->keys && t->vals && t->gone && t->chunk ? 0 : -1;
}

void times_free(struct run *r)
{
	struct times *t = &r->times;

	free(t->chunk);
	free(t->gone);
	free(t->vals);
	free(t->keys);
}

/* run one pass of a task iterator; its records go to each(), if given; 0 or -errno */
static int run_iter(struct bpf_link *link, struct times *t,
		    int (*each)(struct times *, const struct time_rec *))
{
	int fd = bpf_iter_create(bpf_link__fd(link)), err = 0;
	size_t have = 0;
	ssize_t n;

	if (fd < 0)
		return -errno;
	/* a read may end inside a record: the rest comes with the next one */
	while ((n = read(fd, t->chunk + have, READ_CHUNK)) > 0) {
		size_t whole;

		have += n;
		whole = have - have % sizeof(struct time_rec);
		for (size_t at = 0; each && at < whole && !err; at += sizeof(struct time_rec))
			err = each(t, (const struct time_rec *)(t->chunk + at));
		memmove(t->chunk, t->chunk + whole, have - whole);
		have -= whole;
		if (err)
			break;
	}
	if (n < 0 && !err)
		err = -errno;
	close(fd);
	return err;
}

/*
 * the window opens now (at r->start_mono): from here on the exit hook counts,
 * and each thread alive gets its CPU time so far as a baseline. without the
 * baseline the times are left out (the header says so), the rest goes on.
 */
void times_start(struct run *r)
{
	int err;

	if (!r->times.on)
		return;
	r->skel->bss->attach_ns = r->start_mono;
	err = run_iter(r->skel->links.sp_time_base, &r->times, NULL);
	if (err) {
		warnx("noting the threads' CPU time at the start: %s (CPU time and thread "
		      "lifetimes not measured)",
		      strerror(-err));
		r->skel->bss->attach_ns = 0;
		r->times.on = false;
	}
}

/* one live thread's record into the list */
static int add_rec(struct times *t, const struct time_rec *rec)
{
	if (t->nlive == t->live_cap) {
		size_t cap = t->live_cap ? t->live_cap * 2 : 1024;
		struct ptime *more = realloc(t->live, cap * sizeof(*more));

		if (!more)
			return -ENOMEM;
		t->live = more;
		t->live_cap = cap;
	}
	t->live[t->nlive++] = (struct ptime){ rec->tgid, rec->cpu_ns, rec->life_ns, 1, rec->runq_ns };
	return 0;
}

/* proc_times into keys/vals, in batches until ENOENT; the number of entries */
static uint32_t read_exited(struct run *r)
{
	struct times *t = &r->times;
	int fd = bpf_map__fd(r->skel->maps.proc_times);
	uint32_t max = bpf_map__max_entries(r->skel->maps.proc_times);
	uint32_t count = 0, out_batch;
	void *in = NULL;

	/* an exit on another CPU may be half added: its other half comes next time */
	while (count < max) {
		uint32_t n = max - count;
		int err = bpf_map_lookup_batch(fd, in, &out_batch, t->keys + count,
					       t->vals + count, &n, NULL);

		count += n;
		if (err) {
			if (errno != ENOENT)
				warnx("reading proc_times: %s", strerror(errno));
			break;
		}
		in = &out_batch;
	}
	return count;
}

static int by_tgid(const void *a, const void *b)
{
	uint32_t x = ((const struct ptime *)a)->tgid, y = ((const struct ptime *)b)->tgid;

	return (x > y) - (x < y);
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return (x > y) - (x < y);
}

/*
 * --evict-exited: the processes among the count entries read that have exited
 * (reaped: every exit hook has run) get their final times, taken out of the
 * map in the same step, into gone; they are reported once more, then summed
 * into the tgid 0 entry (fold_gone)
 */
static void take_gone(struct run *r, uint32_t count)
{
	struct times *t = &r->times;
	int fd = bpf_map__fd(r->skel->maps.proc_times);

	memcpy(t->gone, t->keys, count * sizeof(*t->gone));
	t->ngone = exited_tgids(t->gone, count);
	for (uint32_t i = 0; i < count && t->ngone; i++) {
		if (bsearch(&t->keys[i], t->gone, t->ngone, sizeof(*t->gone), cmp_u32))
			map_take(fd, &t->keys[i], &t->vals[i]);
	}
}

static void fold_gone(struct run *r, uint32_t count)
{
	struct times *t = &r->times;

	for (uint32_t i = 0; i < count && t->ngone; i++) {
		if (!bsearch(&t->keys[i], t->gone, t->ngone, sizeof(*t->gone), cmp_u32))
			continue;
		t->evicted.cpu_ns += t->vals[i].cpu_ns;
		t->evicted.life_ns += t->vals[i].life_ns;
		t->evicted.threads += t->vals[i].threads;
		t->evicted.runq_ns += t->vals[i].runq_ns;
	}
	t->ngone = 0;
}

static Syscallprof__ProcessTime *make_time(const struct ptime *p)
{
	Syscallprof__ProcessTime *m = calloc(1, sizeof(*m));

	if (!m)
		return NULL;
	syscallprof__process_time__init(m);
	m->tgid = p->tgid;
	m->cpu_ns = p->cpu_ns;
	m->life_ns = p->life_ns;
	m->threads = p->threads;
	m->runq_ns = p->runq_ns;
	return m;
}

/*
 * every process's times at now: the map of exited threads first, then the
 * live ones. in that order a thread exiting between the two reads is missed
 * in this snapshot (it is in the map for the next), never counted twice.
 */
enum stop_reason read_times(struct run *r, uint64_t now, Syscallprof__ProcessTime ***out,
			    size_t *nout)
{
	struct times *t = &r->times;
	uint32_t count;
	size_t n, total;
	Syscallprof__ProcessTime **msgs;
	int err;

	*out = NULL;
	*nout = 0;
	if (!t->on)
		return STOP_NONE;
	count = read_exited(r);
	if (r->opts.evict_exited)
		take_gone(r, count);
	t->nlive = 0;
	r->skel->bss->snap_ns = now;
	err = run_iter(r->skel->links.sp_time_read, t, add_rec);
	if (err == -ENOMEM) {
		return STOP_NO_MEMORY;
	}
	if (err && !t->warned)
		warnx("reading the live threads' times: %s (exited threads only)", strerror(-err));
	t->warned |= err != 0;
	/* one list of both, merged per tgid; the map's entries are one per tgid already */
	total = t->nlive + count;
	if (total > t->live_cap) {
		struct ptime *more = realloc(t->live, total * sizeof(*more));

		if (!more) {
			return STOP_NO_MEMORY;
		}
		t->live = more;
		t->live_cap = total;
	}
	for (uint32_t i = 0; i < count; i++)
		t->live[t->nlive + i] = (struct ptime){ t->keys[i], t->vals[i].cpu_ns,
							t->vals[i].life_ns, t->vals[i].threads,
							t->vals[i].runq_ns };
	qsort(t->live, total, sizeof(*t->live), by_tgid);
	n = 0;
	for (size_t i = 0; i < total; i++) {
		struct ptime *p = &t->live[i];

		if (n && t->live[n - 1].tgid == p->tgid) {
			t->live[n - 1].cpu_ns += p->cpu_ns;
			t->live[n - 1].life_ns += p->life_ns;
			t->live[n - 1].threads += p->threads;
			t->live[n - 1].runq_ns += p->runq_ns;
		} else {
			t->live[n++] = *p;
		}
	}
	msgs = calloc(n + 1, sizeof(*msgs));
	if (!msgs) {
		return STOP_NO_MEMORY;
	}
	*out = msgs;
	if (t->evicted.threads) {
		struct ptime folded = { 0, t->evicted.cpu_ns, t->evicted.life_ns,
					t->evicted.threads, t->evicted.runq_ns };

		if (!(msgs[(*nout)++] = make_time(&folded))) {
			return STOP_NO_MEMORY;
		}
	}
	for (size_t i = 0; i < n; i++)
		if (!(msgs[(*nout)++] = make_time(&t->live[i]))) {
			return STOP_NO_MEMORY;
		}
	if (r->opts.evict_exited)
		fold_gone(r, count);
	return STOP_NONE;
}

void free_times(Syscallprof__ProcessTime **msgs, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(msgs[i]);
	free(msgs);
}
