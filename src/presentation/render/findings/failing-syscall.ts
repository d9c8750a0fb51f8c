// The words of failing-syscall, with advice by the most frequent errno.
import type { FailingSyscallFinding } from '../../../core/analysis/rules/failing-syscall.js';
import { errnoDescription, errnoNumber } from '../../../core/model/errno.js';
import { formatCount, formatPercent } from '../units.js';
import type { FindingText } from './text.js';

// What usually causes frequent failures with an errno.
export const ERRNO_ADVICE: Readonly<Record<string, string>> = {
  ENOENT: 'Lookups of missing files: check search paths (PATH, LD_LIBRARY_PATH, config probing) and cache misses',
  EAGAIN: 'Non-blocking calls retried before data is ready: wait for readiness (epoll) instead of retrying',
  EINTR: 'Calls interrupted by signals: check signal handlers and SA_RESTART',
};

// "newfstatat() fails 99% of the time (300 of 302 calls)".
export function failingSyscallText(f: FailingSyscallFinding): FindingText {
  const m = f.metrics;
  const first = f.subject.errnos[0];
  const advice = first === undefined ? undefined : ERRNO_ADVICE[first.errno];
  return {
    title: `${f.syscall}() fails ${formatPercent(m.errorShare)} of the time (${formatCount(m.errors)} of ${formatCount(m.calls)} calls)`,
    evidence: f.subject.errnos.map((e) => {
      const n = errnoNumber(e.errno);
      const text = n === null ? null : errnoDescription(n);
      return `${formatCount(e.count)} ${e.errno}${text === null ? '' : ` (${text})`}`;
    }),
    why: 'A failed call does the kernel work of a lookup or a check and returns nothing useful; failing most of the time usually means a retry or probe loop.',
    recommendation: advice === undefined ? [] : [advice],
  };
}
