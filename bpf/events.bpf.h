/* SPDX-License-Identifier: MIT */
/* event mode: one ring-buffer record per completed call and per process event */
#ifndef EVENTS_BPF_H
#define EVENTS_BPF_H

#include "arch.bpf.h"
#include "maps.bpf.h"
#include "stats.bpf.h"
#include "syscall_nrs.h"

/* the file position before a read/write: the position now, less what moved it */
static __always_inline __s64 pos_before(struct task_struct *task, __u64 fd, long ret)
{
	struct fdtable *fdt = BPF_CORE_READ(task, files, fdt);
	struct file **fds, *f = NULL;
	__u32 max;

	if (!fdt)
		return -1;
	fds = BPF_CORE_READ(fdt, fd);
	max = BPF_CORE_READ(fdt, max_fds);
	if (fd >= max || bpf_probe_read_kernel(&f, sizeof(f), &fds[fd]) || !f)
		return -1;
	/* pipes, sockets and devices have no meaningful position */
	if ((BPF_CORE_READ(f, f_inode, i_mode) & 0170000) != 0100000)
		return -1;
	return BPF_CORE_READ(f, f_pos) - (ret > 0 ? ret : 0);
}

/* the extra bytes a call carries: a path, a socket address, the fds of a pipe */
static __always_inline __u32 read_data(struct ev_call *e, __u32 kind, __u32 arg, long ret)
{
	__u64 ptr, len = 0;
	long n;

	if (arg > 4)
		return 0;
	ptr = e->args[arg];
	if (!ptr)
		return 0;
	switch (kind) {
	case DATA_PATH:
		n = bpf_probe_read_user_str(e->data, EV_DATA_MAX, (void *)ptr);
		return n > 0 ? n - 1 : 0;
	case DATA_SOCKADDR:
		len = e->args[arg + 1];
		break;
	case DATA_SOCKADDR_PTRLEN:
		if (ret < 0 || !e->args[arg + 1])
			return 0;
		bpf_probe_read_user(&len, sizeof(__u32), (void *)e->args[arg + 1]);
		len &= 0xffffffff;
		break;
	case DATA_PIPE_FDS:
		if (ret < 0)
			return 0;
		len = 8;
		break;
	default:
		return 0;
	}
	if (len > 128)
		len = 128;
	barrier_var(len);
	if (len == 0 || len > 128 || bpf_probe_read_user(e->data, len, (void *)ptr))
		return 0;
	return len;
}

/* event mode: one record for one completed call, unless filtered or no room */
static __always_inline void emit_call(struct task_struct *task, struct pt_regs *regs, __u32 tgid,
				      __u32 tid, __u32 nr, __u64 start, __u64 delta, long ret,
				      __u64 off, __u64 runq, bool stack)
{
	__u8 *want, *spec;
	__u32 kind = 0, arg = 0;
	struct ev_call *e;

	if (ev_filter_nr) {
		want = bpf_map_lookup_elem(&ev_nrs, &nr);
		if (!want || !*want)
			return;
	}
	if (ev_failed_only && !(ret < 0 && ret >= -4095))
		return;
	if (delta < ev_min_duration)
		return;
	spec = bpf_map_lookup_elem(&data_spec, &nr);
	if (spec && *spec) {
		kind = *spec >> DATA_SPEC_ARG_BITS;
		arg = *spec & ((1 << DATA_SPEC_ARG_BITS) - 1);
		e = bpf_ringbuf_reserve(&events, sizeof(*e) + EV_DATA_MAX, 0);
	} else {
		e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
	}
	if (!e) {
		count_event(CNT_LOST_EVENTS);
		return;
	}
	e->type = EV_CALL;
	e->nr = nr;
	e->pid = tgid;
	e->tid = tid;
	e->start_ns = start;
	e->duration_ns = delta;
	e->ret = ret;
	e->off_cpu_ns = off;
	e->runq_ns = runq;
	read_syscall_args(e->args, regs);
	e->pos = -1;
	if (nr == SP_NR_read || nr == SP_NR_write || nr == SP_NR_readv || nr == SP_NR_writev)
		e->pos = pos_before(task, e->args[0], ret);
	/* the process's name, not the thread's: rows are grouped by process */
	BPF_CORE_READ_STR_INTO(&e->comm, task, group_leader, comm);
	e->data_kind = kind;
	e->data_len = kind ? read_data(e, kind, arg, ret) : 0;
	e->stack = stack;
	e->pad = 0;
	/* the loader drains on a timer: no wake-up per record */
	bpf_ringbuf_submit(e, BPF_RB_NO_WAKEUP);
}

static __always_inline void emit_proc(__u32 kind, __u32 pid, __u32 child)
{
	struct ev_proc *e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);

	if (!e) {
		count_event(CNT_LOST_EVENTS);
		return;
	}
	e->type = EV_PROC;
	e->kind = kind;
	e->pid = pid;
	e->child = child;
	e->time_ns = bpf_ktime_get_ns();
	bpf_get_current_comm(e->comm, sizeof(e->comm));
	bpf_ringbuf_submit(e, BPF_RB_NO_WAKEUP);
}

#endif /* EVENTS_BPF_H */
