// Stacks on the wire (StackDef, StackStats, StackHealth) into the model: the
// definitions go into a table kept for the whole stream (a definition is sent
// once, before anything refers to it), the stats and health of each snapshot
// are read against it.
import { LatencyHistogram } from '../model/histogram.js';
import type { HistogramLayout } from '../model/histogram-layout.js';
import type { StackCompleteness, StackDef, StackFrame, StackHealth, StackProfile, StackStats, StackTable, StackUnwind } from '../model/stacks.js';
import { syscallName } from '../model/syscall-names.js';
import { syscallprof } from './proto.js';

const { StackUnwind: WireUnwind, StackCompleteness: WireCompleteness } = syscallprof;

const UNWINDS: ReadonlyMap<number, StackUnwind> = new Map([
  [WireUnwind.STACK_UNWIND_FRAME_POINTER, 'frame-pointer'],
  [WireUnwind.STACK_UNWIND_DWARF, 'dwarf'],
]);

const COMPLETENESS: ReadonlyMap<number, StackCompleteness> = new Map([
  [WireCompleteness.STACK_COMPLETENESS_FULL, 'full'],
  [WireCompleteness.STACK_COMPLETENESS_PARTIAL, 'partial'],
  [WireCompleteness.STACK_COMPLETENESS_NONE, 'none'],
]);

// symbols and paths come from the traced program's files: keep terminal control characters out
function clean(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, '?');
}

function toFrame(f: syscallprof.StackFrame): StackFrame {
  return {
    address: f.address,
    symbol: clean(f.symbol),
    symbolOffset: f.symbolOffset,
    module: clean(f.module),
    moduleOffset: f.moduleOffset,
    unresolved: clean(f.unresolved),
    kernel: f.kernel,
  };
}

// The model form of a (validated) StackDef.
export function toStackDef(d: syscallprof.StackDef): StackDef {
  return {
    id: d.id,
    tgid: d.tgid,
    frames: d.frames.map(toFrame),
    unwind: UNWINDS.get(d.unwind) ?? 'unknown',
    completeness: COMPLETENESS.get(d.completeness) ?? 'unknown',
    reason: clean(d.incompleteReason),
  };
}

// Adds a frame's stack definitions to the stream's table (a later one with the same id replaces it).
export function addStackDefs(table: StackTable, defs: readonly syscallprof.StackDef[]): void {
  for (const d of defs) table.set(d.id, toStackDef(d));
}

// The stacks of a snapshot (its definitions already in the table), in the coarse layout.
export function toStackProfile(arch: string, s: syscallprof.Snapshot, table: StackTable, layout: HistogramLayout): StackProfile {
  const stats = s.stacks
    .map(
      (st): StackStats => ({
        tgid: st.tgid,
        syscall: syscallName(arch, st.nr),
        nr: st.nr,
        stackId: st.stackId,
        count: st.count,
        totalNs: st.totalNs,
        maxNs: st.maxNs,
        histogram: LatencyHistogram.fromColumns(layout, st.bucketIndex, st.bucketCount),
      }),
    )
    .sort((a, b) => b.totalNs - a.totalNs || a.tgid - b.tgid || a.stackId - b.stackId);
  // the table only grows and its entries never change: shared, not copied
  return { defs: table, stats, health: toStackHealth(s.stackHealth) };
}

function toStackHealth(h: syscallprof.IStackHealth | null | undefined): StackHealth {
  const w = h ?? {};
  return {
    slowCalls: Number(w.slowCalls ?? 0),
    taken: Number(w.taken ?? 0),
    rateLimited: Number(w.rateLimited ?? 0),
    lost: Number(w.lost ?? 0),
    unwoundFull: Number(w.unwoundFull ?? 0),
    unwoundPartial: Number(w.unwoundPartial ?? 0),
    unwoundNone: Number(w.unwoundNone ?? 0),
    reasons: (w.reasons ?? [])
      .map((r) => ({ reason: clean(r.reason ?? ''), count: Number(r.count ?? 0) }))
      .sort((a, b) => b.count - a.count || a.reason.localeCompare(b.reason)),
  };
}
