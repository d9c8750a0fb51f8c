/* SPDX-License-Identifier: MIT */
/*
 * io_uring requests, from the io_uring tracepoints only: nothing here runs on
 * an ordinary syscall. a request is timed from io_uring_submit_req to
 * io_uring_complete, keyed by its struct io_kiocb address: the completion may
 * run on an io-wq worker, another task or in interrupt context, so the tgid is
 * the one saved at submit. an SQPOLL thread (iou-sqp-N) and io-wq workers
 * (iou-wrk-N) are threads of the owning process: their tgid is the owner's.
 *
 * io_uring_complete changed in 6.17 from (ctx, req, user_data, res, cflags,
 * extra1, extra2) to (ctx, req, cqe): both variants are here, the loader
 * loads the one the kernel's BTF describes (loader/uring.c).
 * included by syscall_prof.bpf.c after is_target().
 */
#ifndef URING_BPF_H
#define URING_BPF_H

#include "maps.bpf.h"
#include "stats.bpf.h"

/* the completion carries more (multishot): keep timing from the same submit */
#define SP_IORING_CQE_F_MORE (1U << 1)

/*
 * opcodes whose result is a byte count: READV 1, WRITEV 2, READ_FIXED 4,
 * WRITE_FIXED 5, SENDMSG 9, RECVMSG 10, READ 22, WRITE 23, SEND 26, RECV 27
 */
#define URING_BYTES_OPS                                                                            \
	((1ULL << 1) | (1ULL << 2) | (1ULL << 4) | (1ULL << 5) | (1ULL << 9) | (1ULL << 10) |      \
	 (1ULL << 22) | (1ULL << 23) | (1ULL << 26) | (1ULL << 27))

/* in flight: submit time, owner, opcode; sized by the loader */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__type(key, __u64);
	__type(value, struct uring_req);
	__uint(max_entries, URING_REQS_DEFAULT);
} uring_reqs SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_HASH);
	__type(key, struct uring_key);
	__type(value, struct uring_stats);
	__uint(max_entries, DEFAULT_PROC_ENTRIES);
} uring_stats SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__type(key, struct uring_errno_key);
	__type(value, __u64);
	__uint(max_entries, MAX_ERRNOS);
} uring_errnos SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__type(key, __u32);
	__type(value, struct uring_proc);
	__uint(max_entries, DEFAULT_PROC_ENTRIES);
} uring_procs SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__type(key, struct uring_fd_key);
	__type(value, struct uring_fd_stats);
	__uint(max_entries, URING_PUNT_FDS);
} uring_punt_fds SEC(".maps");

/* ring (struct io_ring_ctx address) -> owner tgid, learned at submit */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__type(key, __u64);
	__type(value, __u32);
	__uint(max_entries, URING_RINGS);
} uring_rings SEC(".maps");

static const struct uring_stats zero_uring_stats;

/* a traced process's entry, made on first sight with its leader's name */
static __always_inline struct uring_proc *uring_proc_of(__u32 tgid, struct task_struct *task)
{
	struct uring_proc *p = bpf_map_lookup_elem(&uring_procs, &tgid), fresh = {};

	if (p)
		return p;
	bpf_probe_read_kernel_str(fresh.comm, sizeof(fresh.comm), task->group_leader->comm);
	bpf_map_update_elem(&uring_procs, &tgid, &fresh, BPF_NOEXIST);
	return bpf_map_lookup_elem(&uring_procs, &tgid);
}

static __always_inline bool uring_traced(__u32 tgid)
{
	if (tgid == self_tgid || tgid == other_tgid || !is_target(tgid))
		return false;
	return !target_cgroup || bpf_get_current_cgroup_id() == target_cgroup;
}

SEC("tp_btf/io_uring_submit_req")
int BPF_PROG(sp_uring_submit, struct io_kiocb *req)
{
	struct task_struct *task = bpf_get_current_task_btf();
	__u32 tgid = task->tgid;
	__u64 key = (__u64)req, ring = (__u64)req->ctx;
	struct uring_req r = {};

	if (!uring_traced(tgid))
		return 0;
	r.start_ns = bpf_ktime_get_ns();
	r.tgid = tgid;
	r.opcode = req->opcode;
	r.fd = req->cqe.fd;
	if (bpf_map_update_elem(&uring_reqs, &key, &r, BPF_ANY))
		count_event(CNT_URING_DROPS);
	if (!bpf_map_lookup_elem(&uring_rings, &ring)) {
		bpf_map_update_elem(&uring_rings, &ring, &tgid, BPF_ANY);
		uring_proc_of(tgid, task);
	}
	return 0;
}

SEC("tp_btf/io_uring_queue_async_work")
int BPF_PROG(sp_uring_punt, struct io_kiocb *req, int rw)
{
	__u64 key = (__u64)req;
	struct uring_req *r = bpf_map_lookup_elem(&uring_reqs, &key);

	if (r)
		r->punted = 1;
	return 0;
}

/* a completion of a request we saw submitted: into its (process, opcode) stats */
static __always_inline void uring_complete(void *req, __s32 res, __u32 cflags)
{
	__u64 key = (__u64)req, now = bpf_ktime_get_ns(), delta;
	struct uring_req *r = bpf_map_lookup_elem(&uring_reqs, &key);
	struct uring_key k = {};
	struct uring_stats *s;
	__u32 p, ci;

	if (!r)
		return; /* submitted before we attached, or not ours */
	delta = now - r->start_ns;
	k.tgid = r->tgid;
	k.opcode = r->opcode;
	s = bpf_map_lookup_elem(&uring_stats, &k);
	if (!s) {
		bpf_map_update_elem(&uring_stats, &k, &zero_uring_stats, BPF_NOEXIST);
		s = bpf_map_lookup_elem(&uring_stats, &k);
	}
	if (s) {
		p = delta ? log2_u64(delta) : 0;
		ci = bucket_of(delta, p, FINE_SUB_BITS, FINE_BUCKETS);
		/* keep the bound check below: bucket_of's clamp is not enough for the verifier */
		barrier_var(ci);
		s->count++;
		s->total_ns += delta;
		s->punted += r->punted;
		if (delta > s->max_ns)
			s->max_ns = delta;
		if (ci < FINE_BUCKETS)
			s->buckets[ci]++;
		if (res < 0) {
			s->errors++;
		} else if (k.opcode < 64 && ((1ULL << k.opcode) & URING_BYTES_OPS)) {
			s->bytes += res;
		}
	}
	/* reads, writes, sends, receives: those could have completed without a worker */
	if (r->punted && k.opcode < 64 && ((1ULL << k.opcode) & URING_BYTES_OPS)) {
		struct uring_fd_key fk = {.tgid = k.tgid, .fd = r->fd};
		struct uring_fd_stats zero = {}, *f = bpf_map_lookup_elem(&uring_punt_fds, &fk);

		if (!f) {
			bpf_map_update_elem(&uring_punt_fds, &fk, &zero, BPF_NOEXIST);
			f = bpf_map_lookup_elem(&uring_punt_fds, &fk);
		}
		if (f) {
			__sync_fetch_and_add(&f->punted, 1);
			__sync_fetch_and_add(&f->total_ns, delta);
		}
	}
	if (res < 0) {
		struct uring_errno_key ek = {.tgid = k.tgid, .opcode = k.opcode, .err = -res};
		__u64 one = 1, *n = bpf_map_lookup_elem(&uring_errnos, &ek);

		if (n)
			__sync_fetch_and_add(n, 1);
		else if (bpf_map_update_elem(&uring_errnos, &ek, &one, BPF_NOEXIST) &&
			 (n = bpf_map_lookup_elem(&uring_errnos, &ek)))
			__sync_fetch_and_add(n, 1);
	}
	if (!(cflags & SP_IORING_CQE_F_MORE))
		bpf_map_delete_elem(&uring_reqs, &key);
}

/* 6.17 and later: the cqe as posted */
SEC("tp_btf/io_uring_complete")
int BPF_PROG(sp_uring_complete, void *ring, void *req, struct io_uring_cqe *cqe)
{
	uring_complete(req, cqe->res, cqe->flags);
	return 0;
}

/* before 6.17: the cqe's fields one by one */
SEC("tp_btf/io_uring_complete")
int BPF_PROG(sp_uring_complete_old, void *ring, void *req, __u64 user_data, int res,
	     unsigned int cflags)
{
	uring_complete(req, res, cflags);
	return 0;
}

/* a thread about to wait in io_uring_enter for completions */
SEC("tp_btf/io_uring_cqring_wait")
int BPF_PROG(sp_uring_wait, void *ring, int min_events)
{
	struct task_struct *task = bpf_get_current_task_btf();
	__u32 tgid = task->tgid;
	struct uring_proc *p;

	if (!uring_traced(tgid))
		return 0;
	p = uring_proc_of(tgid, task);
	if (p)
		__sync_fetch_and_add(&p->waits, 1);
	return 0;
}

/* a completion the CQ ring had no room for: the ring's owner, not the current task */
SEC("tp_btf/io_uring_cqe_overflow")
int BPF_PROG(sp_uring_overflow, void *ring)
{
	__u64 key = (__u64)ring;
	__u32 *tgid = bpf_map_lookup_elem(&uring_rings, &key);
	struct uring_proc *p;

	if (!tgid)
		return 0;
	p = bpf_map_lookup_elem(&uring_procs, tgid);
	if (p)
		__sync_fetch_and_add(&p->overflows, 1);
	return 0;
}

#endif /* URING_BPF_H */
