// Rule dominant-syscall (generic): one syscall takes most of the non-waiting
// time. Left out when a specific rule has a finding about the same syscall
// (findings.ts runRules). It names a place to look, not a fix, so it claims no
// saving (savingNs 0, severity info).
import { categoryOfName, isWaiting } from '../../model/categories.js';
import { formatCount, formatDuration, formatRate } from '../../../presentation/render/units.js';
import { perSecond } from '../capture-totals.js';
import { workingNs } from '../category-times.js';
import { finding, type Finding, type FindingContext } from '../findings.js';
import { CATEGORY_ADVICE } from './advice.js';

// A syscall dominates from this share of non-waiting time.
export const DOMINANT_SHARE = 0.3;

// ...and, when the wall time is known, at least this share of it (a few cheap
// calls in a CPU-bound run dominate nothing worth a finding).
export const DOMINANT_MIN_WALL_SHARE = 0.05;

// Program start-up: a few execs are what running the command costs, not a hot
// path to shorten (a short run of `ls` spends most of its syscall time in its
// one execve). From this many calls on they count like any syscall (a build
// spawning compilers).
const START_UP = new Set(['execve', 'execveat']);
export const START_UP_MIN_CALLS = 10;

// p99 at least this many times the median is called a tail spike.
export const TAIL_RATIO = 5;

// "fsync() dominates latency (76% of non-waiting time)" for the top non-waiting syscall.
export function dominantSyscall(ctx: FindingContext): Finding[] {
  const working = workingNs(ctx.categories);
  const top = ctx.rows.find((r) => !isWaiting(categoryOfName(r.name)) && !(START_UP.has(r.name) && r.count < START_UP_MIN_CALLS));
  if (top === undefined || working <= 0) return [];
  const share = top.totalNs / working;
  if (share < DOMINANT_SHARE) return [];
  if (ctx.durationNs !== null && ctx.durationNs > 0 && top.totalNs < DOMINANT_MIN_WALL_SHARE * ctx.durationNs) return [];
  const rate = perSecond(top.count, ctx.durationNs);
  const evidence = [
    `Called ${top.count === 1 ? 'once' : `${formatCount(top.count)} times`}${rate === null ? '' : ` (${formatRate(rate)} per second)`}`,
    `Each call takes ${formatDuration(top.avgNs)} on average, ${formatDuration(top.totalNs)} in all`,
  ];
  if (top.p50Ns !== null && top.p99Ns !== null) {
    const est = top.estimated ? ' (estimated)' : '';
    const ratio = top.p50Ns > 0 ? top.p99Ns / top.p50Ns : 0;
    evidence.push(
      ratio >= TAIL_RATIO
        ? `p99: ${formatDuration(top.p99Ns)}${est}, ${formatCount(ratio)}x the median (${formatDuration(top.p50Ns)}): tail latency spikes`
        : `p99: ${formatDuration(top.p99Ns)}${est}, median ${formatDuration(top.p50Ns)}`,
    );
  }
  return [
    finding(ctx, {
      rule: 'dominant-syscall',
      syscall: top.name,
      title: `${top.name}() dominates latency (${Math.round(share * 100)}% of non-waiting time)`,
      evidence,
      why: 'Time spent in one syscall is where shortening or avoiding calls pays off most.',
      recommendation: CATEGORY_ADVICE[categoryOfName(top.name)],
      savingNs: 0,
    }),
  ];
}
