// Rule reopen-same-file: the same file is opened and closed again and again.
//
// Fires once, for the paths opened again at least REOPEN_MIN_OPENS times by a
// process that had opened them before (a file each new process opens once, as
// the loader opens ld.so.cache, is start-up: process-startup speaks of it):
// the one with the most saving is named, the others counted and added in (one
// pattern, one finding). Needs per-call facts (paths).
//
// Saving: keeping the file open leaves each process one open and one close:
// the other opens and closes each cost the average measured on that path:
// reopens * (open time / opens + close time / closes).
import { finding, type Finding, type FindingContext, type FindingRule } from '../findings.js';
import { wallShare } from './measure.js';

// A path needs at least this many successful opens after a process's first.
export const REOPEN_MIN_OPENS = 20;

const OPEN_SYSCALLS = ['openat', 'open', 'openat2', 'creat'];

// A reopen-same-file finding: the path opened again and again.
export type ReopenSameFileFinding = Finding<
  'reopen-same-file',
  // the path with the most saving, and how many other paths are added in
  { readonly path: string; readonly otherPaths: number },
  {
    readonly opens: number;
    // opens after a process's first, and the processes that opened
    readonly reopens: number;
    readonly processes: number;
    readonly closes: number;
    // an open and a close, on average
    readonly cycleNs: number;
    // all its opens and closes
    readonly totalNs: number;
    readonly wallShare: number | null;
  }
>;

// Repeated open/close of one file.
export function reopenSameFile(ctx: FindingContext): ReopenSameFileFinding[] {
  if (ctx.facts === null) return [];
  const syscall = OPEN_SYSCALLS.map((n) => ctx.syscall(n)).filter((s) => s !== undefined).sort((a, b) => b.count - a.count)[0]?.name ?? 'openat';
  const cases = ctx.facts.paths.paths
    .map((p) => {
      const ok = p.opens - p.openFailures;
      const perCycle = (p.opens > 0 ? p.openNs / p.opens : 0) + (p.closes > 0 ? p.closeNs / p.closes : 0);
      return { p, ok, perCycle, savingNs: p.reopens * perCycle };
    })
    .filter((c) => c.p.reopens >= REOPEN_MIN_OPENS)
    .sort((a, b) => b.savingNs - a.savingNs || (a.p.path < b.p.path ? -1 : 1));
  const top = cases[0];
  if (top === undefined) return [];
  const opens = cases.reduce((n, c) => n + c.ok, 0);
  const closes = cases.reduce((n, c) => n + c.p.closes, 0);
  const totalNs = cases.reduce((n, c) => n + c.p.openNs + c.p.closeNs, 0);
  return [
    finding<ReopenSameFileFinding>(ctx, {
      rule: 'reopen-same-file',
      syscall,
      subject: { path: top.p.path, otherPaths: cases.length - 1 },
      metrics: {
        opens,
        reopens: cases.reduce((n, c) => n + c.p.reopens, 0),
        processes: cases.reduce((n, c) => Math.max(n, c.p.openProcesses), 0),
        closes, cycleNs: opens > 0 ? cases.reduce((n, c) => n + c.ok * c.perCycle, 0) / opens : 0, totalNs, wallShare: wallShare(ctx, totalNs) },
      savingNs: cases.reduce((n, c) => n + c.savingNs, 0),
    }),
  ];
}

// The rule's registry entry.
export const REOPEN_SAME_FILE: FindingRule<ReopenSameFileFinding> = { id: 'reopen-same-file', generic: false, run: reopenSameFile };
