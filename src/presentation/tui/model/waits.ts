// Waiting calls in the live view, as the report treats them: a row whose calls
// all wait (epoll_wait, poll, futex, wait4, sleeps...: the 'wait' category) is
// shown apart, below the working rows, and left out of %TIME, which is then the
// share of working syscall time. The user can count waits in again (the w key,
// --include-waits): then %TIME is over all traced time and one ranking holds all.
import { categoryOfName, isWaiting } from '../../../core/model/categories.js';

// What this module reads of a row (a LiveRow has it all).
export interface TimedRow {
  readonly totalNs: number;
  // of totalNs, the time in waiting calls
  readonly waitNs: number;
  readonly waiting: boolean;
  // of all traced time in the interval, 0..1
  readonly share: number;
  // of the interval's working time, 0..1; null for a waiting row
  readonly workShare: number | null;
}

// Whether a syscall waits for something to happen rather than works.
export function isWaitingSyscall(syscall: string): boolean {
  return isWaiting(categoryOfName(syscall));
}

// Whether a row is a waiting row: it had calls and every one of them waited
// (a process that also worked is a working row, ranked by its working time).
export function isWaitingRow(calls: number, waitCalls: number): boolean {
  return calls > 0 && waitCalls >= calls;
}

// A row's share of the interval's working time (traced time minus waiting
// time): its own working time over it; null for a waiting row, 0 when the
// interval had no working time.
export function workingShare(totalNs: number, waitNs: number, waiting: boolean, workingNs: number): number | null {
  if (waiting) return null;
  return workingNs > 0 ? Math.max(0, totalNs - waitNs) / workingNs : 0;
}

// The time a row ranks by in the %TIME column: all of it with waits included;
// otherwise its working time (a waiting row ranks by its waiting time, within
// its own section).
export function rankedNs(row: TimedRow, includeWaits: boolean): number {
  if (includeWaits || row.waiting) return row.totalNs;
  return Math.max(0, row.totalNs - row.waitNs);
}

// A row's %TIME (0..1): of all traced time with waits included; otherwise of
// working time, and null for a waiting row (it has no share of work).
export function timeShare(row: TimedRow, includeWaits: boolean): number | null {
  return includeWaits ? row.share : row.workShare;
}

// A row order with the waiting rows after the working ones (each part in
// `cmp` order); with waits included, `cmp` alone: one ranking for all.
export function sectionOrder<T extends { readonly waiting: boolean }>(cmp: (a: T, b: T) => number, includeWaits: boolean): (a: T, b: T) => number {
  if (includeWaits) return cmp;
  return (a, b) => (a.waiting === b.waiting ? cmp(a, b) : a.waiting ? 1 : -1);
}

// The status line's word on waits and the key that toggles them.
export function waitsStatus(includeWaits: boolean): string {
  return includeWaits ? 'w: waits in %TIME' : 'w: waits apart';
}
