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
	/* memory on use: most runs see few of these (a few MiB preallocated otherwise) */
	__uint(map_flags, BPF_F_NO_PREALLOC);
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

/* ring (struct io_ring_ctx address) -> owner tgid and counts, learned at submit */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__type(key, __u64);
	__type(value, struct uring_ring);
	__uint(max_entries, URING_RINGS);
} uring_rings SEC(".maps");

/* opcodes whose io_kiocb holds a struct io_rw: READV, WRITEV, READ_FIXED, WRITE_FIXED, READ, WRITE, READ_MULTISHOT, READV_FIXED, WRITEV_FIXED */
#define URING_RW_OPS                                                                               \
	((1ULL << 1) | (1ULL << 2) | (1ULL << 4) | (1ULL << 5) | (1ULL << 22) | (1ULL << 23) |     \
	 (1ULL << 49) | (1ULL << 60) | (1ULL << 61))
/* a struct io_sync: FSYNC, SYNC_FILE_RANGE, FALLOCATE */
#define URING_SYNC_OPS ((1ULL << 3) | (1ULL << 8) | (1ULL << 17))
/* a struct io_sr_msg with a length: SEND, RECV */
#define URING_SR_OPS ((1ULL << 26) | (1ULL << 27))
/* REQ_F_FIXED_FILE: the request flags' low bits are the sqe's IOSQE_* bits */
#define SP_REQ_F_FIXED_FILE 1

static const struct uring_stats zero_uring_stats;

/*
 * the sqe's offset and length, as the opcode's prep left them in the request
 * (io_uring_submit_req fires after prep): CO-RE reads of the opcode's command
 * struct, which overlays the start of struct io_kiocb
 */
static __always_inline void uring_req_args(struct io_kiocb *req, struct uring_req *r)
{
	__u64 bit = r->opcode < 64 ? 1ULL << r->opcode : 0;

	if (bit & URING_RW_OPS) {
		struct io_rw *rw = (void *)req;

		r->off = BPF_CORE_READ(rw, kiocb.ki_pos);
		r->len = BPF_CORE_READ(rw, len);
	} else if (bit & URING_SYNC_OPS) {
		struct io_sync *sy = (void *)req;

		r->off = BPF_CORE_READ(sy, off);
		r->len = BPF_CORE_READ(sy, len);
	} else if (bit & URING_SR_OPS) {
		struct io_sr_msg *sr = (void *)req;

		r->len = BPF_CORE_READ(sr, len);
	}
}

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

/* a ring's entry, made on first sight (with its process's) */
static __always_inline struct uring_ring *uring_ring_of(__u64 ring, __u32 tgid,
							struct task_struct *task)
{
	struct uring_ring *rg = bpf_map_lookup_elem(&uring_rings, &ring), fresh = {.tgid = tgid};

	if (rg)
		return rg;
	bpf_map_update_elem(&uring_rings, &ring, &fresh, BPF_NOEXIST);
	uring_proc_of(tgid, task);
	return bpf_map_lookup_elem(&uring_rings, &ring);
}

SEC("tp_btf/io_uring_submit_req")
int BPF_PROG(sp_uring_submit, struct io_kiocb *req)
{
	struct task_struct *task = bpf_get_current_task_btf();
	__u32 tgid = task->tgid;
	__u64 key = (__u64)req, ring = (__u64)req->ctx;
	struct uring_req r = {};
	struct uring_ring *rg;
	__s64 depth;

	if (!uring_traced(tgid))
		return 0;
	r.start_ns = bpf_ktime_get_ns();
	r.tgid = tgid;
	r.opcode = req->opcode;
	r.fd = req->cqe.fd;
	r.ring = ring;
	if (event_mode) {
		r.tid = (__u32)bpf_get_current_pid_tgid();
		r.fixed = !!(req->flags & SP_REQ_F_FIXED_FILE);
		uring_req_args(req, &r);
	}
	if (bpf_map_update_elem(&uring_reqs, &key, &r, BPF_ANY)) {
		count_event(CNT_URING_DROPS);
		return 0;
	}
	rg = uring_ring_of(ring, tgid, task);
	if (rg) {
		/* a request seen submitted is seen completed: it leaves the count there */
		/*
		 * the count after ours, read back: the program is built for BPF
		 * CPU v1, which has no fetching add. a completion or another
		 * submission of the ring in between moves it by one
		 */
		__sync_fetch_and_add(&rg->inflight, 1);
		depth = *(volatile __s32 *)&rg->inflight;
		if (depth < 1)
			depth = 1;
		__sync_fetch_and_add(&rg->requests, 1);
		__sync_fetch_and_add(&rg->depth_sum, depth);
		/* racy with another submitter of the ring: a max may be lost, never made up */
		if ((__u64)depth > rg->max_depth)
			rg->max_depth = depth;
	}
	return 0;
}

/* IORING_ENTER_REGISTERED_RING: fd is an index into the task's registered rings */
#define SP_IORING_ENTER_REGISTERED_RING (1U << 4)

/*
 * sys_enter of a traced process's io_uring_enter (uring_on only): one
 * submission call when to_submit > 0, on the ring behind the fd (its file's
 * private_data). a registered ring's fd is not a file descriptor: not counted.
 * the entry is made here for a ring not seen yet, so the first call counts;
 * an fd that is not a ring makes an entry that never has requests (the
 * loader leaves those out).
 */
static __always_inline void uring_entered(struct task_struct *task, __u32 tgid, struct pt_regs *regs)
{
	__u64 fd = PT_REGS_PARM1_CORE_SYSCALL(regs), to_submit = PT_REGS_PARM2_CORE_SYSCALL(regs);
	__u64 flags = PT_REGS_PARM4_CORE_SYSCALL(regs);
	struct fdtable *fdt;
	struct file **fds, *f = NULL;
	struct uring_ring *rg;
	__u64 ring;

	if (!(to_submit & 0xffffffff) || (flags & SP_IORING_ENTER_REGISTERED_RING))
		return;
	fdt = BPF_CORE_READ(task, files, fdt);
	if (!fdt)
		return;
	fds = BPF_CORE_READ(fdt, fd);
	if ((fd & 0xffffffff) >= BPF_CORE_READ(fdt, max_fds) ||
	    bpf_probe_read_kernel(&f, sizeof(f), &fds[fd & 0xffffffff]) || !f)
		return;
	ring = (__u64)BPF_CORE_READ(f, private_data);
	if (!ring)
		return;
	rg = uring_ring_of(ring, tgid, task);
	if (rg)
		__sync_fetch_and_add(&rg->submits, 1);
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

/* event mode: one record for one completed request, unless filtered or no room */
static __always_inline void emit_uring(const struct uring_req *r, __u64 delta, __s32 res)
{
	struct uring_proc *p;
	struct ev_uring *e;
	__u32 tgid = r->tgid;

	if (ev_failed_only && res >= 0)
		return;
	if (delta < ev_min_duration)
		return;
	e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
	if (!e) {
		count_event(CNT_LOST_EVENTS);
		return;
	}
	e->type = EV_URING;
	e->pid = tgid;
	e->tid = r->tid;
	e->opcode = r->opcode;
	e->punted = r->punted;
	e->fixed = r->fixed;
	e->pad = 0;
	e->fd = r->fd;
	e->res = res;
	e->start_ns = r->start_ns;
	e->duration_ns = delta;
	e->off = r->off;
	e->ring = r->ring;
	e->len = r->len;
	e->pad2 = 0;
	/* the completion may run anywhere: the name the submit recorded for the process */
	p = bpf_map_lookup_elem(&uring_procs, &tgid);
	if (p)
		__builtin_memcpy(e->comm, p->comm, sizeof(e->comm));
	else
		__builtin_memset(e->comm, 0, sizeof(e->comm));
	bpf_ringbuf_submit(e, BPF_RB_NO_WAKEUP);
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
	if (event_mode)
		emit_uring(r, delta, res);
	if (!(cflags & SP_IORING_CQE_F_MORE)) {
		struct uring_ring *rg = bpf_map_lookup_elem(&uring_rings, &r->ring);

		if (rg)
			__sync_fetch_and_add(&rg->inflight, -1);
		bpf_map_delete_elem(&uring_reqs, &key);
	}
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
	struct uring_ring *rg = bpf_map_lookup_elem(&uring_rings, &key);
	struct uring_proc *p;

	if (!rg)
		return 0;
	p = bpf_map_lookup_elem(&uring_procs, &rg->tgid);
	if (p)
		__sync_fetch_and_add(&p->overflows, 1);
	return 0;
}

#endif /* URING_BPF_H */
