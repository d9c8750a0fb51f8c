// Rule failing-syscall (generic): a syscall fails often. Left out when a
// specific rule (failed-open-storm) has a finding about the same syscall.
// Saving: the failed calls, at the syscall's average cost: errors * average time.
import { errnoDescription, errnoNumber } from '../../model/errno.js';
import { formatCount, formatPercent } from '../../../presentation/render/units.js';
import { finding, type Finding, type FindingContext } from '../findings.js';

// A syscall is reported from this share of failed calls...
export const FAILING_SHARE = 0.1;
// ...and this many failed calls.
export const FAILING_MIN = 10;
// at most this many of them, most errors first
export const FAILING_TOP = 3;

const ERRNO_ADVICE: Readonly<Record<string, string>> = {
  ENOENT: 'Lookups of missing files: check search paths (PATH, LD_LIBRARY_PATH, config probing) and cache misses',
  EAGAIN: 'Non-blocking calls retried before data is ready: wait for readiness (epoll) instead of retrying',
  EINTR: 'Calls interrupted by signals: check signal handlers and SA_RESTART',
};

// "newfstatat() fails 99% of the time (300 of 302 calls)".
export function failingSyscalls(ctx: FindingContext): Finding[] {
  return ctx.rows
    .filter((r) => r.errors >= FAILING_MIN && r.errors / r.count >= FAILING_SHARE)
    .sort((a, b) => b.errors - a.errors || (a.name < b.name ? -1 : 1))
    .slice(0, FAILING_TOP)
    .map((r) =>
      finding(ctx, {
      rule: 'failing-syscall',
      syscall: r.name,
      title: `${r.name}() fails ${formatPercent(r.errors / r.count)} of the time (${formatCount(r.errors)} of ${formatCount(r.count)} calls)`,
      evidence: r.errnos.slice(0, 3).map((e) => {
        const n = errnoNumber(e.errno);
        const text = n === null ? null : errnoDescription(n);
        return `${formatCount(e.count)} ${e.errno}${text === null ? '' : ` (${text})`}`;
      }),
      why: 'A failed call does the kernel work of a lookup or a check and returns nothing useful; failing most of the time usually means a retry or probe loop.',
      recommendation: r.errnos.length > 0 && ERRNO_ADVICE[r.errnos[0]!.errno] !== undefined ? [ERRNO_ADVICE[r.errnos[0]!.errno]!] : [],
      savingNs: r.errors * (r.avgNs ?? 0),
      }),
    );
}
