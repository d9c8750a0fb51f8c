// Rule io-uring-cq-overflow: completions the CQ ring had no room for
// (io_uring_cqe_overflow): the kernel keeps them on an overflow list (memory,
// and slower reaping) or, on kernels without IORING_FEAT_NODROP, drops them.
//
// Fires on any overflow. No saving is estimated: the cost is memory and
// latency spikes, not a share of thread time.
import { finding, type Finding, type FindingContext, type FindingRule } from '../findings.js';
import { ioUringUse } from './io-uring-measure.js';

// An io-uring-cq-overflow finding: the processes whose rings overflowed.
export type IoUringCqOverflowFinding = Finding<
  'io-uring-cq-overflow',
  { readonly processes: readonly { readonly pid: number; readonly comm: string; readonly overflows: number }[] },
  { readonly overflows: number; readonly requests: number }
>;

// Completions that overflowed the CQ ring.
export function ioUringCqOverflow(ctx: FindingContext): IoUringCqOverflowFinding[] {
  const use = ioUringUse(ctx);
  if (use === null || use.overflows === 0) return [];
  const processes = use.profile.processes.filter((p) => p.overflows > 0).map((p) => ({ pid: p.tgid, comm: p.comm, overflows: p.overflows }));
  return [
    finding<IoUringCqOverflowFinding>(ctx, {
      rule: 'io-uring-cq-overflow',
      syscall: null,
      subject: { processes },
      metrics: { overflows: use.overflows, requests: use.requests },
      savingNs: 0,
    }),
  ];
}

// The rule's registry entry.
export const IO_URING_CQ_OVERFLOW: FindingRule<IoUringCqOverflowFinding> = { id: 'io-uring-cq-overflow', generic: false, run: ioUringCqOverflow };
