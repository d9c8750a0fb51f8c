// SPDX-License-Identifier: MIT
/*
 * io_uring requests: which programs this kernel can take (its BTF says which
 * tracepoints exist and which io_uring_complete it has), and the maps read
 * into the Snapshot's io_uring fields.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include "loader.h"

/* the number of parameters of a tracepoint's btf_trace_<name> typedef, or -1 */
static int tp_params(const struct btf *btf, const char *tp)
{
	char name[96];
	const struct btf_type *t;
	int id;

	snprintf(name, sizeof(name), "btf_trace_%s", tp);
	id = btf__find_by_name_kind(btf, name, BTF_KIND_TYPEDEF);
	if (id < 0)
		return -1;
	t = btf__type_by_id(btf, id);
	t = t ? btf__type_by_id(btf, t->type) : NULL; /* the pointer */
	t = t && btf_is_ptr(t) ? btf__type_by_id(btf, t->type) : NULL;
	return t && btf_is_func_proto(t) ? btf_vlen(t) : -1;
}

/* kernel.io_uring_disabled: 0 on, 1 for a group only, 2 off; 0 when the file is absent */
static int uring_disabled(void)
{
	FILE *f = fopen("/proc/sys/kernel/io_uring_disabled", "r");
	int v = 0;

	if (!f)
		return 0;
	if (fscanf(f, "%d", &v) != 1)
		v = 0;
	fclose(f);
	return v;
}

static void uring_off(struct run *r, const char *why)
{
	struct syscall_prof_bpf *skel = r->skel;

	r->uring.on = false;
	snprintf(r->uring.off_reason, sizeof(r->uring.off_reason), "%s", why);
	bpf_program__set_autoload(skel->progs.sp_uring_submit, false);
	bpf_program__set_autoload(skel->progs.sp_uring_punt, false);
	bpf_program__set_autoload(skel->progs.sp_uring_complete, false);
	bpf_program__set_autoload(skel->progs.sp_uring_complete_old, false);
	bpf_program__set_autoload(skel->progs.sp_uring_wait, false);
	bpf_program__set_autoload(skel->progs.sp_uring_overflow, false);
}

/* pick the io_uring programs this kernel takes (before load); says once why when none */
void uring_choose(struct run *r)
{
	struct syscall_prof_bpf *skel = r->skel;
	struct btf *btf;
	int complete;

	bpf_map__set_max_entries(skel->maps.uring_stats, r->opts.max_entries);
	bpf_map__set_max_entries(skel->maps.uring_procs, r->opts.max_entries);
	if (r->opts.empty_mode) {
		/* the benchmark's baseline: nothing to say */
		uring_off(r, "");
		return;
	}
	if (uring_disabled() == 2) {
		uring_off(r, "io_uring is disabled on this machine (kernel.io_uring_disabled = 2)");
		warnx("io_uring is not traced: %s", r->uring.off_reason);
		return;
	}
	btf = btf__load_vmlinux_btf();
	if (!btf) {
		uring_off(r, "the kernel's BTF could not be read");
		warnx("io_uring is not traced: %s: %s", r->uring.off_reason, strerror(errno));
		return;
	}
	complete = tp_params(btf, "io_uring_complete");
	if (tp_params(btf, "io_uring_submit_req") != 2 || complete < 0 ||
	    tp_params(btf, "io_uring_queue_async_work") < 0 ||
	    tp_params(btf, "io_uring_cqring_wait") < 0 ||
	    tp_params(btf, "io_uring_cqe_overflow") < 0) {
		uring_off(
		    r, "this kernel has no io_uring tracepoints we know (io_uring_submit_req(req), "
		       "io_uring_complete, ...)");
		warnx("io_uring is not traced: %s", r->uring.off_reason);
		btf__free(btf);
		return;
	}
	btf__free(btf);
	/* (data, ctx, req, cqe) since 6.17; (data, ctx, req, user_data, res, cflags, extra1,
	 * extra2) before */
	if (complete == 4) {
		bpf_program__set_autoload(skel->progs.sp_uring_complete_old, false);
	} else if (complete == 8) {
		bpf_program__set_autoload(skel->progs.sp_uring_complete, false);
	} else {
		uring_off(
		    r, "this kernel's io_uring_complete tracepoint has a prototype we do not know");
		warnx("io_uring is not traced: %s (%d parameters)", r->uring.off_reason, complete);
		return;
	}
	/* ring ids must not reveal kernel addresses: keyed by a secret of this run */
	if (getrandom(&r->uring.ring_key, sizeof(r->uring.ring_key), 0) != sizeof(r->uring.ring_key)) {
		uring_off(r, "no random key for the ring ids (getrandom failed)");
		warnx("io_uring is not traced: %s: %s", r->uring.off_reason, strerror(errno));
		return;
	}
	r->uring.on = true;
	r->uring.off_reason[0] = '\0';
	skel->rodata->uring_on = true;
}

/* a sparse cumulative histogram into parallel arrays; -1 on no memory */
static int sparse_buckets(const uint64_t *cum, int nb, uint32_t **idx, uint64_t **cnt, size_t *n)
{
	int nz = 0;

	for (int i = 0; i < nb; i++)
		nz += cum[i] != 0;
	*idx = calloc(nz ? nz : 1, sizeof(**idx));
	*cnt = calloc(nz ? nz : 1, sizeof(**cnt));
	if (!*idx || !*cnt)
		return -1;
	*n = 0;
	for (int i = 0; i < nb; i++) {
		if (!cum[i])
			continue;
		(*idx)[*n] = i;
		(*cnt)[(*n)++] = cum[i];
	}
	return 0;
}

/* per-(process, opcode) stats, summed over CPUs */
static enum stop_reason read_ops(struct run *r, struct uring_parts *u)
{
	int fd = bpf_map__fd(r->skel->maps.uring_stats);
	uint32_t max = bpf_map__max_entries(r->skel->maps.uring_stats);
	struct uring_key key, next, *prev = NULL;
	struct uring_stats *vals = calloc(r->ncpus, sizeof(*vals));

	u->ops = calloc(max ? max : 1, sizeof(*u->ops));
	if (!vals || !u->ops) {
		free(vals);
		return STOP_NO_MEMORY;
	}
	while (u->nops < max && !bpf_map_get_next_key(fd, prev, &next)) {
		uint64_t cum[FINE_BUCKETS] = {};
		Syscallprof__IoUringOpStats *m;

		key = next;
		prev = &key;
		if (bpf_map_lookup_elem(fd, &key, vals))
			continue;
		m = calloc(1, sizeof(*m));
		if (!m) {
			free(vals);
			return STOP_NO_MEMORY;
		}
		syscallprof__io_uring_op_stats__init(m);
		u->ops[u->nops++] = m;
		m->tgid = key.tgid;
		m->opcode = key.opcode;
		for (int c = 0; c < r->ncpus; c++) {
			const struct uring_stats *v = &vals[c];

			m->count += v->count;
			m->errors += v->errors;
			m->total_ns += v->total_ns;
			m->punted += v->punted;
			m->bytes += v->bytes;
			if (v->max_ns > m->max_ns)
				m->max_ns = v->max_ns;
			for (int b = 0; b < FINE_BUCKETS; b++)
				cum[b] += v->buckets[b];
		}
		if (sparse_buckets(cum, FINE_BUCKETS, &m->bucket_index, &m->bucket_count,
				   &m->n_bucket_index)) {
			free(vals);
			return STOP_NO_MEMORY;
		}
		m->n_bucket_count = m->n_bucket_index;
	}
	free(vals);
	return STOP_NONE;
}

static enum stop_reason read_errnos(struct run *r, struct uring_parts *u)
{
	int fd = bpf_map__fd(r->skel->maps.uring_errnos);
	struct uring_errno_key key, next, *prev = NULL;
	__u64 count;

	u->errnos = calloc(MAX_ERRNOS, sizeof(*u->errnos));
	if (!u->errnos)
		return STOP_NO_MEMORY;
	while (u->nerrnos < MAX_ERRNOS && !bpf_map_get_next_key(fd, prev, &next)) {
		Syscallprof__IoUringErrno *m;

		key = next;
		prev = &key;
		if (bpf_map_lookup_elem(fd, &key, &count))
			continue;
		m = calloc(1, sizeof(*m));
		if (!m)
			return STOP_NO_MEMORY;
		syscallprof__io_uring_errno__init(m);
		m->tgid = key.tgid;
		m->opcode = key.opcode;
		m->err = key.err;
		m->count = count;
		u->errnos[u->nerrnos++] = m;
	}
	return STOP_NONE;
}

static enum stop_reason read_procs(struct run *r, struct uring_parts *u)
{
	int fd = bpf_map__fd(r->skel->maps.uring_procs);
	uint32_t max = bpf_map__max_entries(r->skel->maps.uring_procs);
	uint32_t key, next, *prev = NULL;
	struct uring_proc v;

	u->procs = calloc(max ? max : 1, sizeof(*u->procs));
	if (!u->procs)
		return STOP_NO_MEMORY;
	while (u->nprocs < max && !bpf_map_get_next_key(fd, prev, &next)) {
		Syscallprof__IoUringProcess *m;

		key = next;
		prev = &key;
		if (bpf_map_lookup_elem(fd, &key, &v))
			continue;
		m = calloc(1, sizeof(*m) + sizeof(v.comm) + 1);
		if (!m)
			return STOP_NO_MEMORY;
		syscallprof__io_uring_process__init(m);
		m->tgid = key;
		m->comm = (char *)(m + 1);
		memcpy(m->comm, v.comm, sizeof(v.comm));
		m->waits = v.waits;
		m->overflows = v.overflows;
		u->procs[u->nprocs++] = m;
	}
	return STOP_NONE;
}

/* punted requests per (process, fd) */
static enum stop_reason read_punt_fds(struct run *r, struct uring_parts *u)
{
	int fd = bpf_map__fd(r->skel->maps.uring_punt_fds);
	struct uring_fd_key key, next, *prev = NULL;
	struct uring_fd_stats v;

	u->punt_fds = calloc(URING_PUNT_FDS, sizeof(*u->punt_fds));
	if (!u->punt_fds)
		return STOP_NO_MEMORY;
	while (u->npunt_fds < URING_PUNT_FDS && !bpf_map_get_next_key(fd, prev, &next)) {
		Syscallprof__IoUringPuntFd *m;

		key = next;
		prev = &key;
		if (bpf_map_lookup_elem(fd, &key, &v))
			continue;
		m = calloc(1, sizeof(*m));
		if (!m)
			return STOP_NO_MEMORY;
		syscallprof__io_uring_punt_fd__init(m);
		m->tgid = key.tgid;
		m->fd = key.fd;
		m->punted = v.punted;
		m->total_ns = v.total_ns;
		u->punt_fds[u->npunt_fds++] = m;
	}
	return STOP_NONE;
}

/*
 * requests not completed yet, with their age; over MAX_IN_FLIGHT counted as
 * truncated. a process that is gone took its rings and requests with it: its
 * entries are left over, not in flight. so are those of requests whose
 * completion overflowed the CQ ring (io_uring_cqe_overflow does not name the
 * request) until the request's memory is reused: with overflows, this list
 * may hold some.
 */
static enum stop_reason read_inflight(struct run *r, struct uring_parts *u, uint64_t now,
				      uint64_t *truncated)
{
	int fd = bpf_map__fd(r->skel->maps.uring_reqs);
	__u64 key, next, *prev = NULL;
	struct uring_req v;

	u->inflight = calloc(MAX_IN_FLIGHT, sizeof(*u->inflight));
	if (!u->inflight)
		return STOP_NO_MEMORY;
	while (!bpf_map_get_next_key(fd, prev, &next)) {
		Syscallprof__IoUringInFlight *m;

		key = next;
		prev = &key;
		if (bpf_map_lookup_elem(fd, &key, &v))
			continue;
		if (kill(v.tgid, 0) && errno == ESRCH)
			continue;
		if (u->ninflight == MAX_IN_FLIGHT) {
			(*truncated)++;
			continue;
		}
		m = calloc(1, sizeof(*m));
		if (!m)
			return STOP_NO_MEMORY;
		syscallprof__io_uring_in_flight__init(m);
		m->tgid = v.tgid;
		m->opcode = v.opcode;
		m->age_ns = now > v.start_ns ? now - v.start_ns : 0;
		m->punted = v.punted;
		m->fd = v.fd;
		u->inflight[u->ninflight++] = m;
	}
	return STOP_NONE;
}

/* per ring: requests, submissions, depth; its id as the per-request records have it */
static enum stop_reason read_rings(struct run *r, struct uring_parts *u)
{
	int fd = bpf_map__fd(r->skel->maps.uring_rings);
	__u64 key, next, *prev = NULL;
	struct uring_ring v;

	u->rings = calloc(URING_RINGS, sizeof(*u->rings));
	if (!u->rings)
		return STOP_NO_MEMORY;
	while (u->nrings < URING_RINGS && !bpf_map_get_next_key(fd, prev, &next)) {
		Syscallprof__IoUringRing *m;

		key = next;
		prev = &key;
		/* rings seen only by a submission pass that submitted nothing we traced are left out */
		if (bpf_map_lookup_elem(fd, &key, &v) || !v.requests)
			continue;
		m = calloc(1, sizeof(*m));
		if (!m)
			return STOP_NO_MEMORY;
		syscallprof__io_uring_ring__init(m);
		m->tgid = v.tgid;
		m->ring = uring_ring_id(r->uring.ring_key, key);
		m->requests = v.requests;
		m->submits = v.submits;
		m->max_depth = v.max_depth;
		m->depth_sum = v.depth_sum;
		u->rings[u->nrings++] = m;
	}
	return STOP_NONE;
}

/* the io_uring maps into u (the in-flight requests in the final snapshot only) */
enum stop_reason read_uring(struct run *r, bool final, uint64_t now, struct uring_parts *u,
			    uint64_t *truncated)
{
	enum stop_reason why;

	if (!r->uring.on)
		return STOP_NONE;
	why = read_ops(r, u);
	if (why == STOP_NONE)
		why = read_errnos(r, u);
	if (why == STOP_NONE)
		why = read_procs(r, u);
	if (why == STOP_NONE)
		why = read_punt_fds(r, u);
	if (why == STOP_NONE)
		why = read_rings(r, u);
	if (why == STOP_NONE && final)
		why = read_inflight(r, u, now, truncated);
	return why;
}

void free_uring(struct uring_parts *u)
{
	for (size_t i = 0; i < u->nops; i++) {
		free(u->ops[i]->bucket_index);
		free(u->ops[i]->bucket_count);
		free(u->ops[i]);
	}
	free(u->ops);
	for (size_t i = 0; i < u->nerrnos; i++)
		free(u->errnos[i]);
	free(u->errnos);
	for (size_t i = 0; i < u->nprocs; i++)
		free(u->procs[i]);
	free(u->procs);
	for (size_t i = 0; i < u->ninflight; i++)
		free(u->inflight[i]);
	free(u->inflight);
	for (size_t i = 0; i < u->npunt_fds; i++)
		free(u->punt_fds[i]);
	free(u->punt_fds);
	for (size_t i = 0; i < u->nrings; i++)
		free(u->rings[i]);
	free(u->rings);
}

/*
 * a ring's id in records and stats: its address mixed with a secret of the
 * run (splitmix64's finalizer), 32 bits: enough to tell a process's rings
 * apart, exact as a JS number, and no kernel address on the wire
 */
uint32_t uring_ring_id(uint64_t key, uint64_t ring)
{
	uint64_t z = ring ^ key;

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return (uint32_t)(z ^ (z >> 31));
}
