// Rule multimodal-syscall (generic): a syscall's latencies fall into separate
// clusters. Left out when a specific rule (bimodal-reads) has a finding about
// the same syscall, and for waiting calls (epoll_wait, sleeps, futex, wait4...):
// how long a wait lasts is how long nothing happened, not a cost; nor for calls
// whose latency is not their own (waiting for a CPU, or blocked on a pipe for
// the other end: rules/measure.ts latencyNotItsOwn). Saving: if the slow
// clusters' calls took the fast cluster's peak: sum over slower modes of
// count * (peak - fast peak).
import { categoryOfName, isWaiting, type Category } from '../../model/categories.js';
import { finding, type Finding, type FindingContext, type FindingRule } from '../findings.js';
import { mainCategory, modeLabels, type ModeLabel } from '../mode-labels.js';
import type { Mode } from '../modes.js';
import { latencyNotItsOwn } from './measure.js';

// Only the syscalls with the most time are examined.
export const MULTIMODAL_TOP = 5;

// A syscall with less than this share of the wall time (when known) is not worth a finding.
export const MULTIMODAL_MIN_WALL_SHARE = 0.01;

// A multimodal-syscall finding: the modes (fastest first) with their probable
// source, and the syscall's own category (disk-read: the slow mode is likely the disk).
export type MultimodalSyscallFinding = Finding<
  'multimodal-syscall',
  { readonly modes: readonly Mode[]; readonly labels: readonly (ModeLabel | null)[]; readonly category: Category },
  { readonly modeCount: number }
>;

// "read() shows a bimodal distribution" with each mode's share and range.
export function multimodalSyscalls(ctx: FindingContext): MultimodalSyscallFinding[] {
  const working = ctx.rows.filter((row) => !isWaiting(categoryOfName(row.name)));
  return working.slice(0, MULTIMODAL_TOP).flatMap((row): MultimodalSyscallFinding[] => {
    if (ctx.durationNs !== null && ctx.durationNs > 0 && row.totalNs < MULTIMODAL_MIN_WALL_SHARE * ctx.durationNs) return [];
    const { modes, multimodal } = ctx.modes(row.name);
    if (!multimodal) return [];
    const s = ctx.syscall(row.name);
    if (s !== undefined && latencyNotItsOwn(s)) return [];
    if (mixesCreates(ctx, row.name)) return [];
    const category = s === undefined ? categoryOfName(row.name) : mainCategory(s.categories, categoryOfName(row.name));
    const fast = modes[0]!.peakNs;
    return [
      finding<MultimodalSyscallFinding>(ctx, {
        rule: 'multimodal-syscall',
        syscall: row.name,
        subject: { modes, labels: modeLabels(ctx.modes(row.name), category), category: categoryOfName(row.name) },
        metrics: { modeCount: modes.length },
        savingNs: modes.slice(1).reduce((n, m) => n + m.count * Math.max(0, m.peakNs - fast), 0),
      }),
    ];
  });
}

// Opens that create files (O_CREAT) and opens that look one up are two operations:
// their latencies differ by nature (an inode allocated, a directory entry written),
// so clusters in a mix of both say nothing (cp -r, a build writing objects).
export const OPEN_MIX_SHARE = 0.1;

function mixesCreates(ctx: FindingContext, syscall: string): boolean {
  if (syscall !== 'openat' && syscall !== 'open') return false;
  const o = ctx.facts?.opens;
  if (o === undefined || o.calls === 0) return false;
  const share = o.creates / o.calls;
  return share >= OPEN_MIX_SHARE && share <= 1 - OPEN_MIX_SHARE;
}

// The rule's registry entry: generic.
export const MULTIMODAL_SYSCALL: FindingRule<MultimodalSyscallFinding> = { id: 'multimodal-syscall', generic: true, run: multimodalSyscalls };
