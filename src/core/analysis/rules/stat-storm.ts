// Rule stat-storm: the same paths are stat'ed (or access'ed) over and over.
//
// Fires when there are at least STAT_STORM_MIN_CALLS stat/access/readlink
// lookups and at least STAT_REPEAT_SHARE of them repeat a path already looked
// up. Needs per-call facts (paths).
//
// Saving: caching the answer leaves one lookup per path; the repeated lookups
// each cost the average lookup here: repeated * (lookup time / lookups).
import { finding, type Finding, type FindingContext, type FindingRule } from '../findings.js';
import { wallShare } from './measure.js';

// At least this many lookups...
export const STAT_STORM_MIN_CALLS = 100;
// ...of which at least this share repeat a path.
export const STAT_REPEAT_SHARE = 0.5;
// Paths listed in the evidence.
export const STAT_SHOWN = 3;

const STAT_SYSCALLS = ['newfstatat', 'statx', 'stat', 'lstat', 'access', 'faccessat', 'faccessat2', 'readlink', 'readlinkat'];

// A stat-storm finding: the paths looked up most (at most STAT_SHOWN).
export type StatStormFinding = Finding<
  'stat-storm',
  { readonly paths: readonly { readonly path: string; readonly lookups: number; readonly failures: number }[] },
  {
    readonly lookups: number;
    readonly paths: number;
    // lookups of a path already looked up
    readonly repeated: number;
    readonly repeatedShare: number;
    readonly totalNs: number;
    readonly wallShare: number | null;
  }
>;

// Repeated stat/access of the same paths.
export function statStorm(ctx: FindingContext): StatStormFinding[] {
  if (ctx.facts === null) return [];
  const looked = ctx.facts.paths.paths.filter((p) => p.stats > 0);
  const calls = looked.reduce((n, p) => n + p.stats, 0);
  const ns = looked.reduce((n, p) => n + p.statNs, 0);
  if (calls < STAT_STORM_MIN_CALLS) return [];
  const repeated = calls - looked.length;
  if (repeated / calls < STAT_REPEAT_SHARE) return [];
  const savingNs = repeated * (ns / calls);
  const top = [...looked].sort((a, b) => b.stats - a.stats || (a.path < b.path ? -1 : 1)).slice(0, STAT_SHOWN);
  const syscall = STAT_SYSCALLS.map((n) => ctx.syscall(n)).filter((s) => s !== undefined).sort((a, b) => b.count - a.count)[0]?.name ?? 'newfstatat';
  return [
    finding<StatStormFinding>(ctx, {
      rule: 'stat-storm',
      syscall,
      subject: { paths: top.map((p) => ({ path: p.path, lookups: p.stats, failures: p.statFailures })) },
      metrics: { lookups: calls, paths: looked.length, repeated, repeatedShare: repeated / calls, totalNs: ns, wallShare: wallShare(ctx, ns) },
      savingNs,
    }),
  ];
}

// The rule's registry entry.
export const STAT_STORM: FindingRule<StatStormFinding> = { id: 'stat-storm', generic: false, run: statStorm };
