// Where the slow calls come from: the stacks of each syscall's slow calls,
// merged over processes by their folded text (two processes running the same
// code have the same stack under different ids), ranked by time; and the same
// stacks rebuilt from the rows of a capture that carries them per call.
import type { EventBatch } from '../model/events.js';
import { foldFrames, frameName } from '../model/folded-stack.js';
import { LatencyHistogram } from '../model/histogram.js';
import { standardLayout } from '../model/histogram-layout.js';
import type { StackCompleteness, StackDef, StackFrame, StackProfile, StackReasonCount, StackStats, StackTable, StackUnwind } from '../model/stacks.js';
import { topRows } from './top.js';

// How many syscalls get their stacks listed, and how many stacks each.
export const STACK_SYSCALLS_SHOWN = 5;
export const STACKS_PER_SYSCALL = 5;

// Histogram layout of stacks rebuilt from rows: 16 sub-buckets per power of two (<= 6% error).
const ROWS_LAYOUT = standardLayout(4);

// One stack of one syscall's slow calls, over every process that had it.
export interface StackRow {
  readonly syscall: string;
  // frames outermost first, by name (folded-stack.ts frameName)
  readonly names: readonly string[];
  readonly folded: string;
  // the frames (innermost first) of the first process seen with it
  readonly frames: readonly StackFrame[];
  readonly unwind: StackUnwind;
  readonly completeness: StackCompleteness;
  // partial or none: why ('' otherwise)
  readonly reason: string;
  readonly pids: readonly number[];
  readonly calls: number;
  readonly totalNs: number;
  // of the syscall's slow-call time with a stack
  readonly share: number;
  readonly p50Ns: number | null;
  readonly p99Ns: number | null;
  readonly maxNs: number;
}

// One syscall's slow calls by stack, most time first.
export interface StackSection {
  readonly syscall: string;
  // slow calls with a stack, and their time
  readonly calls: number;
  readonly totalNs: number;
  readonly stacks: readonly StackRow[];
  // stacks beyond the shown ones
  readonly omitted: number;
}

interface Merge {
  readonly syscall: string;
  readonly folded: string;
  readonly def: StackDef | null;
  readonly pids: Set<number>;
  calls: number;
  totalNs: number;
  maxNs: number;
  histogram: LatencyHistogram | null;
}

// Every (syscall, stack) over all processes, most time first; the
// histogram of the first entry is cloned before others are merged in.
function merged(stacks: StackProfile): Merge[] {
  const byKey = new Map<string, Merge>();
  for (const st of stacks.stats) {
    if (st.count === 0) continue;
    const def = stacks.defs.get(st.stackId) ?? null;
    const folded = def === null ? `[stack ${st.stackId} not defined]` : foldFrames(def.frames);
    const key = `${st.syscall}\u0000${folded}`;
    let m = byKey.get(key);
    if (m === undefined) {
      m = { syscall: st.syscall, folded, def, pids: new Set(), calls: 0, totalNs: 0, maxNs: 0, histogram: null };
      byKey.set(key, m);
    }
    m.pids.add(st.tgid);
    m.calls += st.count;
    m.totalNs += st.totalNs;
    m.maxNs = Math.max(m.maxNs, st.maxNs);
    m.histogram = m.histogram === null ? st.histogram.clone() : m.histogram.merge(st.histogram);
  }
  return [...byKey.values()].sort((a, b) => b.totalNs - a.totalNs || b.calls - a.calls || (a.folded < b.folded ? -1 : 1));
}

function rowOf(m: Merge, syscallNs: number): StackRow {
  const frames = m.def?.frames ?? [];
  return {
    syscall: m.syscall,
    names: [...frames].reverse().map(frameName),
    folded: m.folded,
    frames,
    unwind: m.def?.unwind ?? 'unknown',
    completeness: m.def?.completeness ?? 'unknown',
    reason: m.def?.reason ?? '',
    pids: [...m.pids].sort((a, b) => a - b),
    calls: m.calls,
    totalNs: m.totalNs,
    share: syscallNs > 0 ? m.totalNs / syscallNs : 0,
    p50Ns: m.histogram?.percentile(0.5, m.maxNs) ?? null,
    p99Ns: m.histogram?.percentile(0.99, m.maxNs) ?? null,
    maxNs: m.maxNs,
  };
}

// Per syscall (most slow-call time first, at most `syscalls`; null: all), its
// stacks by time (at most `perSyscall`; null: all).
export function stackSections(stacks: StackProfile, syscalls: number | null = STACK_SYSCALLS_SHOWN, perSyscall: number | null = STACKS_PER_SYSCALL): StackSection[] {
  const bySyscall = new Map<string, Merge[]>();
  for (const m of merged(stacks)) {
    const list = bySyscall.get(m.syscall) ?? [];
    list.push(m);
    bySyscall.set(m.syscall, list);
  }
  const sections = [...bySyscall].map(([syscall, list]): StackSection => {
    const totalNs = list.reduce((n, m) => n + m.totalNs, 0);
    const calls = list.reduce((n, m) => n + m.calls, 0);
    const { rows, omitted } = topRows(list, perSyscall);
    return { syscall, calls, totalNs, stacks: rows.map((m) => rowOf(m, totalNs)), omitted };
  });
  sections.sort((a, b) => b.totalNs - a.totalNs || b.calls - a.calls || (a.syscall < b.syscall ? -1 : 1));
  return [...topRows(sections, syscalls).rows];
}

// The top stack of one syscall, or null when it has none.
export function topStackOf(stacks: StackProfile | null, syscall: string): StackRow | null {
  if (stacks === null) return null;
  return stackSections(stacks, null, 1).find((s) => s.syscall === syscall)?.stacks[0] ?? null;
}

// One line of folded output: the stack's frames outermost first, then the syscall as the leaf.
export interface FoldedLine {
  readonly stack: string;
  readonly value: number;
}

// What a folded line counts: the slow calls' time in ns, or how many there were.
export type FoldedValue = 'time' | 'calls';

// Folded stacks (`frame;frame;sys_fsync 1234`) of every (syscall, stack), most first.
export function foldedLines(stacks: StackProfile, value: FoldedValue = 'time'): FoldedLine[] {
  return merged(stacks)
    .map((m) => ({ stack: m.folded === '' ? syscallLeaf(m.syscall) : `${m.folded};${syscallLeaf(m.syscall)}`, value: value === 'time' ? m.totalNs : m.calls }))
    .filter((l) => l.value > 0)
    .sort((a, b) => b.value - a.value || (a.stack < b.stack ? -1 : 1));
}

// The leaf frame naming the syscall in folded output and flame graphs.
export function syscallLeaf(syscall: string): string {
  return `sys_${syscall}`;
}

// The stacks of a capture's rows, rebuilt (CSV, JSON lines, or spb event mode
// without aggregates): per (process, syscall, stack), from the rows with a stack.
export class StackCollector {
  private table: StackTable | null = null;
  private readonly stats = new Map<string, { tgid: number; syscall: string; nr: number | null; stackId: number; count: number; totalNs: number; maxNs: number; histogram: LatencyHistogram }>();

  // Reads the rows of one batch that have a stack.
  observe(batch: EventBatch): void {
    if (batch.stacks === null) return;
    this.table ??= batch.stacks;
    const { stackId, pid, syscall, nr, durationNs } = batch;
    for (let i = 0; i < batch.length; i++) {
      const id = stackId[i]!;
      if (id === 0) continue;
      const key = `${pid[i]}/${syscall[i]}/${id}`;
      let s = this.stats.get(key);
      if (s === undefined) {
        s = { tgid: pid[i]!, syscall: syscall[i]!, nr: nr[i]! < 0 ? null : nr[i]!, stackId: id, count: 0, totalNs: 0, maxNs: 0, histogram: new LatencyHistogram(ROWS_LAYOUT) };
        this.stats.set(key, s);
      }
      const ns = Math.max(0, Math.round(durationNs[i]!));
      s.count++;
      s.totalNs += ns;
      if (ns > s.maxNs) s.maxNs = ns;
      s.histogram.addValue(ns);
    }
  }

  // The stacks, or null when no batch had a stack table. What the rows cannot
  // tell (slow calls without a stack, rate-limited, lost) is unknown.
  finish(): StackProfile | null {
    if (this.table === null) return null;
    const stats: StackStats[] = [...this.stats.values()].sort((a, b) => b.totalNs - a.totalNs || a.tgid - b.tgid || a.stackId - b.stackId);
    let full = 0;
    let partial = 0;
    let none = 0;
    const reasons = new Map<string, number>();
    for (const s of stats) {
      const def = this.table.get(s.stackId);
      const c = def?.completeness ?? 'unknown';
      if (c === 'full') full += s.count;
      else if (c === 'partial') partial += s.count;
      else if (c === 'none') none += s.count;
      if (def !== undefined && def.reason !== '') reasons.set(def.reason, (reasons.get(def.reason) ?? 0) + s.count);
    }
    const reasonList: StackReasonCount[] = [...reasons].map(([reason, count]) => ({ reason, count })).sort((a, b) => b.count - a.count || a.reason.localeCompare(b.reason));
    return {
      defs: this.table,
      stats,
      health: { slowCalls: null, taken: stats.reduce((n, s) => n + s.count, 0), rateLimited: null, lost: null, unwoundFull: full, unwoundPartial: partial, unwoundNone: none, reasons: reasonList },
    };
  }
}

// The report's stacks: per syscall with the most slow-call time, its top
// stacks, and what happened to the slow calls.
export interface StackReport {
  readonly sections: readonly StackSection[];
  readonly health: StackProfile['health'];
}

// The stacks part of a report, or null when the capture has none.
export function stackReport(stacks: StackProfile | null): StackReport | null {
  return stacks === null ? null : { sections: stackSections(stacks), health: stacks.health };
}
