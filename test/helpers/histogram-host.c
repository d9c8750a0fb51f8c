// SPDX-License-Identifier: MIT
/*
 * the BPF side's bucket maths on the host, for test/core/model/histogram-layout.test.ts:
 * prints the layout constants, then for each value on stdin (one u64 a line)
 * its fine and coarse bucket, computed as record() in bpf/stats.bpf.h does.
 */
#include <inttypes.h>
#include <stdio.h>
#include "histogram.h"

int main(void)
{
	uint64_t v;

	printf("MAX_POW %d\nFINE_SUB_BITS %d\nFINE_BUCKETS %d\nCOARSE_SUB_BITS %d\nCOARSE_BUCKETS %d\n",
	       MAX_POW, FINE_SUB_BITS, FINE_BUCKETS, COARSE_SUB_BITS, COARSE_BUCKETS);
	while (scanf("%" SCNu64, &v) == 1) {
		__u32 p = v ? log2_u64(v) : 0;

		printf("%" PRIu64 " %u %u\n", v, bucket_of(v, p, FINE_SUB_BITS, FINE_BUCKETS),
		       bucket_of(v, p, COARSE_SUB_BITS, COARSE_BUCKETS));
	}
	return 0;
}
