// Rule reopen-same-file: the same file is opened and closed again and again.
//
// Fires per path (at most REOPEN_TOP) opened successfully at least
// REOPEN_MIN_OPENS times. Needs per-call facts (paths).
//
// Saving: keeping the file open leaves one open and one close: the other opens
// and closes each cost the average measured on that path:
// (opens - 1) * (open time / opens + close time / closes).
import { formatCount, formatDuration } from '../../../presentation/render/units.js';
import { finding, type Finding, type FindingContext } from '../findings.js';
import { ofWall } from './measure.js';

// A path needs at least this many successful opens.
export const REOPEN_MIN_OPENS = 20;
// At most this many paths get a finding each.
export const REOPEN_TOP = 3;

const OPEN_SYSCALLS = ['openat', 'open', 'openat2', 'creat'];

// Repeated open/close of one file.
export function reopenSameFile(ctx: FindingContext): Finding[] {
  if (ctx.facts === null) return [];
  const syscall = OPEN_SYSCALLS.map((n) => ctx.syscall(n)).filter((s) => s !== undefined).sort((a, b) => b.count - a.count)[0]?.name ?? 'openat';
  return ctx.facts.paths.paths
    .map((p) => {
      const ok = p.opens - p.openFailures;
      const perCycle = (p.opens > 0 ? p.openNs / p.opens : 0) + (p.closes > 0 ? p.closeNs / p.closes : 0);
      return { p, ok, perCycle, savingNs: Math.max(0, ok - 1) * perCycle };
    })
    .filter((c) => c.ok >= REOPEN_MIN_OPENS)
    .sort((a, b) => b.savingNs - a.savingNs || (a.p.path < b.p.path ? -1 : 1))
    .slice(0, REOPEN_TOP)
    .map(({ p, ok, perCycle, savingNs }) =>
      finding(ctx, {
        rule: 'reopen-same-file',
        syscall,
        title: `${p.path} opened ${formatCount(ok)} times`,
        evidence: [
          `${formatCount(ok)} successful opens and ${formatCount(p.closes)} closes of ${p.path}`,
          `An open and close took ${formatDuration(perCycle)} together; all of them ${formatDuration(p.openNs + p.closeNs)}${ofWall(ctx, p.openNs + p.closeNs)}`,
        ],
        why: 'Every open resolves the path, checks permissions and allocates a file description, work that a file kept open does once.',
        recommendation: ['Open the file once and keep the descriptor (use pread/pwrite at offsets, or lseek)', 'If the file is replaced by others, watch it with inotify rather than reopening it to check'],
        savingNs,
      }),
    );
}
