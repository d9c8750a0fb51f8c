/* SPDX-License-Identifier: MIT */
/*
 * whose syscall this is, without a helper call: each thread's tid and tgid,
 * cached under the address of its pt_regs, which sys_enter and sys_exit get
 * for free (it is the top of the thread's kernel stack: one address per live
 * thread). a helper call such as bpf_get_current_task_btf() costs ~18 ns per
 * call on this VM (retpolines, SRSO's safe RET); the cache costs an inline
 * array load.
 *
 * an entry is one u64, written and read whole, so a reader never sees half of
 * two threads' entries: bit 63 valid, bit 62 busy (a timed call in flight),
 * bits 44-61 a tag (the address bits the index does not hold), bits 22-43 the
 * tid, bits 0-21 the tgid (pids are below 2^22).
 *
 * busy spares sys_exit the start slot (an array of pid_max entries, one cache
 * line per thread: a miss on a busy server) when the thread's entry says no
 * timed call is in flight: an untimed call under --sample, or a thread not
 * traced. only the thread itself sets it (after writing its slot) and clears
 * it (after emptying the slot); another thread only ever replaces the whole
 * entry, and then the thread misses and looks at its slot, as without the
 * cache. a new entry is not busy: a thread has no timed call in flight at its
 * first entry, and at a miss in sys_exit the slot is looked at anyway. threads whose stacks share an index evict each other: the loser
 * misses and asks the helper again. an entry is cleared when its thread exits
 * (sp_exit), before its stack can go to another thread; and the cache is used
 * only once the loader has attached every program (whoami_on), so no entry is
 * made while the exit hook is not there yet to clear it.
 */
#ifndef WHOAMI_BPF_H
#define WHOAMI_BPF_H

#include "maps.bpf.h"

#define WHO_IDX_BITS 16
#define WHO_TAG_BITS 18
#define WHO_PID_BITS 22
#define WHO_PID_MASK ((1U << WHO_PID_BITS) - 1)
#define WHO_VALID (1ULL << 63)
#define WHO_BUSY (1ULL << 62)
/* kernel stacks are at least 16 KiB, aligned to their size */
#define WHO_STACK_SHIFT 14

/* set by the loader once every program is attached (the exit hook included) */
bool whoami_on = false;

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__type(key, __u32);
	__type(value, __u64);
	__uint(max_entries, 1 << WHO_IDX_BITS);
} whoami SEC(".maps");

/*
 * the address as a number, give or take a constant: the verifier allows no
 * arithmetic on a BTF pointer but one, for a privileged program: the
 * difference of two pointers, a plain number. the other pointer is one of
 * our globals, fixed for the program's life; a constant offset keeps
 * different stacks apart (they are THREAD_SIZE-aligned)
 */
static __always_inline __u64 who_addr(const void *regs)
{
	return (__u64)regs - (__u64)&whoami_on;
}

static __always_inline __u64 who_key(const void *regs)
{
	return (who_addr(regs) >> WHO_STACK_SHIFT) & ((1ULL << (WHO_IDX_BITS + WHO_TAG_BITS)) - 1);
}

static __always_inline __u64 *who_entry(__u64 key)
{
	__u32 i = key & ((1U << WHO_IDX_BITS) - 1);

	return bpf_map_lookup_elem(&whoami, &i);
}

/* whether entry v is the one of the thread whose key this is */
static __always_inline bool who_mine(__u64 v, __u64 key)
{
	return (v & WHO_VALID) && ((v >> 44) & ((1U << WHO_TAG_BITS) - 1)) == key >> WHO_IDX_BITS;
}

/* a thread's place in the cache: its key and entry (NULL while the cache is off) */
struct who_ref {
	__u64 key;
	__u64 *e;
};

static __always_inline struct who_ref who_ref_of(const void *regs)
{
	struct who_ref r = { .key = who_key(regs), .e = NULL };

	if (whoami_on)
		r.e = who_entry(r.key);
	return r;
}

static __always_inline void who_write(const struct who_ref *r, __u32 tid, __u32 tgid, bool busy)
{
	if (!r->e || tid > WHO_PID_MASK || tgid > WHO_PID_MASK)
		return;
	*(volatile __u64 *)r->e = WHO_VALID | (busy ? WHO_BUSY : 0) |
				  (r->key >> WHO_IDX_BITS) << 44 | (__u64)tid << WHO_PID_BITS | tgid;
}

static __always_inline void who_store(const void *regs, __u32 tid, __u32 tgid, bool busy)
{
	struct who_ref r = who_ref_of(regs);

	who_write(&r, tid, tgid, busy);
}

/* the current thread's start slot was just filled (busy) or emptied; r from whoami_get */
static __always_inline void who_busy(const struct who_ref *r, bool busy)
{
	__u64 v;

	if (!r->e)
		return;
	v = *(volatile __u64 *)r->e;
	/* another thread's entry (the index is shared) is left to it */
	if (who_mine(v, r->key) && !!(v & WHO_BUSY) != busy)
		*(volatile __u64 *)r->e = v ^ WHO_BUSY;
}

/* the thread whose regs these are is exiting: its entry goes (if it is still its) */
static __always_inline void who_forget(const void *regs)
{
	__u64 key = who_key(regs), *e, v;

	if (!(e = who_entry(key)))
		return;
	v = *(volatile __u64 *)e;
	if (who_mine(v, key))
		*(volatile __u64 *)e = 0;
}

/*
 * the current thread's tid and tgid: from the cache, else from the task (and
 * cached, not busy); its place in the cache in *r, for who_busy. true when its
 * cached entry says no timed call is in flight: its start slot is empty
 * (false: it may not be; look)
 */
static __always_inline bool whoami_get(const void *regs, __u32 *tid, __u32 *tgid,
				       struct who_ref *r)
{
	struct task_struct *task;
	__u64 v;

	*r = who_ref_of(regs);
	if (r->e) {
		v = *(volatile __u64 *)r->e;
		if (who_mine(v, r->key)) {
			*tid = (v >> WHO_PID_BITS) & WHO_PID_MASK;
			*tgid = v & WHO_PID_MASK;
			return !(v & WHO_BUSY);
		}
	}
	task = bpf_get_current_task_btf();
	*tid = task->pid;
	*tgid = task->tgid;
	who_write(r, *tid, *tgid, false);
	return false;
}

#endif /* WHOAMI_BPF_H */
