/* SPDX-License-Identifier: MIT */
/*
 * --stacks: the user stack of a slow call, decided at sys_exit once its
 * latency is known. a call is slow at or over stack_min[nr]: the loader
 * writes --stacks-min there, or (adaptive) the lower of 1 ms and the running
 * p90 of the syscall from its histogram. fast calls cost one comparison.
 * a slow call, within the per-CPU rate, sends one stack_rec to stack_rb:
 * the kernel's frame-pointer walk, the user registers and a slice of the
 * user stack for the loader's DWARF unwinder.
 */
#ifndef STACKS_BPF_H
#define STACKS_BPF_H

#include "arch.bpf.h"
#include "maps.bpf.h"
#include "stats.bpf.h"

const volatile bool stacks_on = false;
const volatile bool kernel_stacks = false;
const volatile __u32 stack_bytes = STACK_SLICE_DEFAULT;
const volatile __u64 stack_cost_ns = 1000000000ULL / STACKS_RATE_DEFAULT; /* per token */
const volatile __u64 stack_burst_ns = 1000000000ULL; /* a second of tokens */

/* per syscall: a call this slow is slow (set by the loader; all 1 ms at first) */
__u64 stack_min[NR_SLOTS];

/* one record being filled per CPU: too big for the BPF stack or a per-CPU value */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__type(key, __u32);
	__type(value, struct stack_rec);
	__uint(max_entries, 1); /* the loader sizes it to the possible CPUs */
} stack_scratch SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__type(key, __u32);
	__type(value, struct stack_rate);
	__uint(max_entries, 1);
} stack_rates SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, STACK_RINGBUF_BYTES);
} stack_rb SEC(".maps");

/* true when the per-CPU bucket holds a token, which it takes */
static __always_inline bool stack_token(__u64 now)
{
	__u32 zero = 0;
	struct stack_rate *r = bpf_map_lookup_elem(&stack_rates, &zero);
	__u64 base;

	if (!r)
		return false;
	base = r->next_ns;
	if (base + stack_burst_ns < now)
		base = now - stack_burst_ns;
	if (base > now)
		return false;
	r->next_ns = base + stack_cost_ns;
	return true;
}

static long stack_vma_end(struct task_struct *task, struct vm_area_struct *vma, void *data)
{
	*(__u64 *)data = vma->vm_end;
	return 0;
}

/* the user stack bytes from sp to the end of its mapping, at most stack_bytes; 0 and *err */
static __always_inline __u32 stack_slice_len(struct task_struct *task, __u64 sp, __s32 *err)
{
	__u64 end = 0;

	*err = sp ? bpf_find_vma(task, sp, stack_vma_end, &end, 0) : -14 /* EFAULT */;
	if (*err || end <= sp)
		return 0;
	return end - sp < stack_bytes ? end - sp : stack_bytes;
}

/*
 * a shorter slice, ending at a page boundary, when the whole one could not be
 * read: above the frames, the stack of a new process may hold pages never
 * touched (the random gap below its arguments), which a non-faulting read
 * cannot fetch. longest first; the failure path only
 */
static __always_inline __u32 stack_read_shorter(struct stack_rec *rec, __u64 sp, __u32 len)
{
	__u32 first = 4096 - (sp & 4095), n;

	for (int k = STACK_SLICE_MAX / 4096 - 1; k >= 0; k--) {
		n = first + k * 4096;
		barrier_var(n);
		if (n >= len || n > STACK_SLICE_MAX)
			continue;
		if (!bpf_probe_read_user(rec->slice, n, (void *)sp))
			return n;
	}
	return 0;
}

/* a slow call: its stack record, unless over the rate or out of room; true when sent */
static __always_inline bool stack_take(void *ctx, struct task_struct *task, struct pt_regs *regs,
				       __u32 tgid, __u32 tid, __u32 nr, __u64 start, __u64 delta)
{
	__u32 cpu = bpf_get_smp_processor_id();
	struct stack_rec *rec;
	__u32 len;

	count_event(CNT_STACK_SLOW);
	if (!stack_token(start + delta)) {
		count_event(CNT_STACK_RATE_LIMITED);
		return false;
	}
	rec = bpf_map_lookup_elem(&stack_scratch, &cpu);
	if (!rec)
		return false;
	rec->nr = nr;
	rec->tgid = tgid;
	rec->tid = tid;
	rec->start_ns = start;
	rec->duration_ns = delta;
	rec->regs[STACK_REG_IP] = PT_REGS_IP_CORE(regs);
	rec->regs[STACK_REG_SP] = PT_REGS_SP_CORE(regs);
	rec->regs[STACK_REG_FP] = PT_REGS_FP_CORE(regs);
#if defined(bpf_target_arm64)
	rec->regs[STACK_REG_LR] = BPF_CORE_READ(__PT_REGS_CAST(regs), regs[30]);
#else
	rec->regs[STACK_REG_LR] = 0;
#endif
	rec->fp_len = bpf_get_stack(ctx, rec->fp_ips, sizeof(rec->fp_ips), BPF_F_USER_STACK);
	rec->k_len = kernel_stacks ? bpf_get_stack(ctx, rec->k_ips, sizeof(rec->k_ips), 0) : 0;
	len = stack_slice_len(task, rec->regs[STACK_REG_SP], &rec->slice_err);
	/* keep the bound check below: the verifier needs it in the register it reads */
	barrier_var(len);
	if (len > STACK_SLICE_MAX)
		len = 0;
	if (len && (rec->slice_err = bpf_probe_read_user(rec->slice, len,
							 (void *)rec->regs[STACK_REG_SP])))
		len = stack_read_shorter(rec, rec->regs[STACK_REG_SP], len);
	rec->slice_len = len;
	/*
	 * wakes the loader (slow calls are few, and rate-limited): it reads a
	 * new process's maps while the process still lives
	 */
	if (bpf_ringbuf_output(&stack_rb, rec, offsetof(struct stack_rec, slice) + len, 0)) {
		count_event(CNT_STACK_LOST);
		return false;
	}
	count_event(CNT_STACK_TAKEN);
	return true;
}

#endif /* STACKS_BPF_H */
