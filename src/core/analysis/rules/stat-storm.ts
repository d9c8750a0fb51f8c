// Rule stat-storm: the same paths are stat'ed (or access'ed) over and over.
//
// Fires when there are at least STAT_STORM_MIN_CALLS stat/access/readlink
// lookups and at least STAT_REPEAT_SHARE of them repeat a path already looked
// up. Needs per-call facts (paths).
//
// Saving: caching the answer leaves one lookup per path; the repeated lookups
// each cost the average lookup here: repeated * (lookup time / lookups).
import { formatCount, formatDuration, formatPercent } from '../../../presentation/render/units.js';
import { finding, type Finding, type FindingContext } from '../findings.js';
import { ofWall } from './measure.js';

// At least this many lookups...
export const STAT_STORM_MIN_CALLS = 100;
// ...of which at least this share repeat a path.
export const STAT_REPEAT_SHARE = 0.5;
// Paths listed in the evidence.
export const STAT_SHOWN = 3;

const STAT_SYSCALLS = ['newfstatat', 'statx', 'stat', 'lstat', 'access', 'faccessat', 'faccessat2', 'readlink', 'readlinkat'];

// Repeated stat/access of the same paths.
export function statStorm(ctx: FindingContext): Finding[] {
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
    finding(ctx, {
      rule: 'stat-storm',
      syscall,
      title: `${formatCount(calls)} stat/access lookups of ${formatCount(looked.length)} paths`,
      evidence: [
        `${formatCount(repeated)} of ${formatCount(calls)} lookups (${formatPercent(repeated / calls)}) asked again about a path already looked up; all lookups took ${formatDuration(ns)}${ofWall(ctx, ns)}`,
        ...top.map((p) => `${p.path}: ${formatCount(p.stats)} times${p.statFailures > 0 ? ` (${formatCount(p.statFailures)} failed)` : ''}`),
      ],
      why: 'Each lookup resolves the path in the kernel again; asking the same question thousands of times costs time and gives the same answer.',
      recommendation: [
        'Cache file metadata (existence, size, mtime) in the application and refresh it on a timer or with inotify',
        'Open the file once and use fstat on the fd instead of stat by path',
        'Check build tools and module loaders for repeated probing (a cache directory, fewer search paths)',
      ],
      savingNs,
    }),
  ];
}
