// Rule dominant-syscall (generic): one syscall takes most of the non-waiting
// time. Left out when a specific rule has a finding about the same syscall
// (findings.ts runRules). It names a place to look, not a fix, so it claims no
// saving (savingNs 0, severity info).
import { categoryOfName, isWaiting, type Category } from '../../model/categories.js';
import { perSecond } from '../capture-totals.js';
import { workingNs } from '../category-times.js';
import { latencyNotItsOwn } from './measure.js';
import { finding, type Finding, type FindingContext, type FindingRule } from '../findings.js';

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

// A dominant-syscall finding: the syscall's category (what usually helps) and its latencies.
export type DominantSyscallFinding = Finding<
  'dominant-syscall',
  { readonly category: Category },
  {
    // of the non-waiting syscall time
    readonly share: number;
    readonly calls: number;
    // null when the wall time is unknown
    readonly callsPerSec: number | null;
    readonly avgNs: number | null;
    readonly totalNs: number;
    readonly p50Ns: number | null;
    readonly p99Ns: number | null;
    // p99 / median (0 when the median is 0); null without percentiles
    readonly tailRatio: number | null;
    // tailRatio reaches TAIL_RATIO: tail latency spikes
    readonly tailSpikes: boolean;
    // percentiles estimated from histograms
    readonly estimated: boolean;
  }
>;

// "fsync() dominates latency (76% of non-waiting time)" for the top non-waiting syscall.
export function dominantSyscall(ctx: FindingContext): DominantSyscallFinding[] {
  const working = workingNs(ctx.categories);
  const top = ctx.rows.find((r) => !isWaiting(categoryOfName(r.name)) && !(START_UP.has(r.name) && r.count < START_UP_MIN_CALLS));
  if (top === undefined || working <= 0) return [];
  // a syscall that waits for a CPU or for the other end of a pipe is not where the work is
  const agg = ctx.syscall(top.name);
  if (agg !== undefined && latencyNotItsOwn(agg)) return [];
  const share = top.totalNs / working;
  if (share < DOMINANT_SHARE) return [];
  if (ctx.durationNs !== null && ctx.durationNs > 0 && top.totalNs < DOMINANT_MIN_WALL_SHARE * ctx.durationNs) return [];
  const tailRatio = top.p50Ns !== null && top.p99Ns !== null ? (top.p50Ns > 0 ? top.p99Ns / top.p50Ns : 0) : null;
  return [
    finding<DominantSyscallFinding>(ctx, {
      rule: 'dominant-syscall',
      syscall: top.name,
      subject: { category: categoryOfName(top.name) },
      metrics: {
        share,
        calls: top.count,
        callsPerSec: perSecond(top.count, ctx.durationNs),
        avgNs: top.avgNs,
        totalNs: top.totalNs,
        p50Ns: top.p50Ns,
        p99Ns: top.p99Ns,
        tailRatio,
        tailSpikes: tailRatio !== null && tailRatio >= TAIL_RATIO,
        estimated: top.estimated,
      },
      savingNs: 0,
    }),
  ];
}

// The rule's registry entry: generic.
export const DOMINANT_SYSCALL: FindingRule<DominantSyscallFinding> = { id: 'dominant-syscall', generic: true, run: dominantSyscall };
