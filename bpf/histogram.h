/* SPDX-License-Identifier: MIT */
/*
 * latency histogram maths: which bucket a value in ns falls in. the one
 * definition of the layout (constants in syscall_prof.h): it compiles for BPF
 * and on the host, where a test checks the TS bucketIndex against it.
 */
#ifndef HISTOGRAM_H
#define HISTOGRAM_H

#ifndef __VMLINUX_H__
#include <linux/types.h>
#endif
#ifndef __always_inline
#define __always_inline inline __attribute__((always_inline))
#endif
#include "syscall_prof.h"

/* floor(log2(v)) for v > 0, branchy binary search (no loops for the verifier) */
static __always_inline __u32 log2_u64(__u64 v)
{
	__u32 r = 0, s;

	s = (v > 0xFFFFFFFFULL) << 5; v >>= s; r |= s;
	s = (v > 0xFFFF) << 4; v >>= s; r |= s;
	s = (v > 0xFF) << 3; v >>= s; r |= s;
	s = (v > 0xF) << 2; v >>= s; r |= s;
	s = (v > 0x3) << 1; v >>= s; r |= s;
	r |= (v >> 1);
	return r;
}

/* the bucket of v, p = log2_u64(v) (0 for 0), in a layout of 2^sub_bits sub-buckets a power */
static __always_inline __u32 bucket_of(__u64 v, __u32 p, __u32 sub_bits, __u32 nbuckets)
{
	__u32 idx;

	if (v < (1ULL << sub_bits))
		return v;
	idx = (1 << sub_bits) + ((p - sub_bits) << sub_bits) +
	      ((v >> (p - sub_bits)) & ((1 << sub_bits) - 1));
	/* clamp to the last bucket */
	return idx < nbuckets ? idx : nbuckets - 1;
}

#endif /* HISTOGRAM_H */
