// Synthetic stacks for the tests: StackDef / StackStats wire objects (for
// frames encoded with the generated code) and their model forms.
import { LatencyHistogram } from '../../src/core/model/histogram.js';
import { bucketIndex } from '../../src/core/model/histogram-layout.js';
import type { StackDef, StackFrame, StackProfile, StackStats } from '../../src/core/model/stacks.js';
import { syscallprof } from '../../src/core/wire/proto.js';
import { COARSE } from './frames.js';

const { StackUnwind, StackCompleteness } = syscallprof;

// The workload binary the synthetic frames live in.
export const BINARY = '/usr/local/bin/ledger';
export const LIBC = '/usr/lib/x86_64-linux-gnu/libc.so.6';

// A resolved frame of BINARY (or libc for names starting with "__" or equal to a libc wrapper).
export function frame(symbol: string, address = 0x401000, module = BINARY): StackFrame {
  return { address, symbol, symbolOffset: 4, module, moduleOffset: address - 0x400000, unresolved: '', kernel: false };
}

// The wire StackDef object of frames given outermost first (the wire wants innermost first).
export function wireStackDef(id: number, tgid: number, outermostFirst: readonly StackFrame[], opts: { dwarf?: boolean; partial?: string } = {}): Record<string, unknown> {
  return {
    id,
    tgid,
    frames: [...outermostFirst].reverse().map((f) => ({ ...f })),
    unwind: opts.dwarf === true ? StackUnwind.STACK_UNWIND_DWARF : StackUnwind.STACK_UNWIND_FRAME_POINTER,
    completeness: opts.partial === undefined ? StackCompleteness.STACK_COMPLETENESS_FULL : StackCompleteness.STACK_COMPLETENESS_PARTIAL,
    incompleteReason: opts.partial ?? '',
  };
}

// The wire StackStats object whose histogram holds exactly these latencies.
export function wireStackStats(tgid: number, nr: number, stackId: number, values: readonly number[]): Record<string, unknown> {
  const buckets = new Map<number, number>();
  for (const v of values) buckets.set(bucketIndex(COARSE, v), (buckets.get(bucketIndex(COARSE, v)) ?? 0) + 1);
  const sorted = [...buckets].sort((a, b) => a[0] - b[0]);
  return {
    tgid,
    nr,
    stackId,
    count: values.length,
    totalNs: values.reduce((a, b) => a + b, 0),
    maxNs: values.length === 0 ? 0 : Math.max(...values),
    bucketIndex: sorted.map(([i]) => i),
    bucketCount: sorted.map(([, c]) => c),
  };
}

// The ledger workload's two paths, outermost first (what stack_paths.c calls).
export const FSYNC_PATH: readonly StackFrame[] = [frame('main', 0x401100), frame('ledger_run', 0x401200), frame('ledger_durable_commit', 0x401300), frame('fsync', 0x7f00001000, LIBC)];
export const WRITE_PATH: readonly StackFrame[] = [frame('main', 0x401100), frame('ledger_run', 0x401200), frame('ledger_append', 0x401400), frame('write', 0x7f00002000, LIBC)];

// A model StackDef (frames outermost first in the argument).
export function stackDef(id: number, tgid: number, outermostFirst: readonly StackFrame[], completeness: StackDef['completeness'] = 'full', reason = ''): StackDef {
  return { id, tgid, frames: [...outermostFirst].reverse(), unwind: 'frame-pointer', completeness, reason };
}

// A model StackStats holding exactly these latencies.
export function stackStats(tgid: number, syscall: string, stackId: number, values: readonly number[]): StackStats {
  const histogram = new LatencyHistogram(COARSE);
  for (const v of values) histogram.addValue(v);
  return { tgid, syscall, nr: null, stackId, count: values.length, totalNs: values.reduce((a, b) => a + b, 0), maxNs: Math.max(0, ...values), histogram };
}

// A stack profile of these definitions and stats, with health saying every call had a full stack.
export function stackProfile(defs: readonly StackDef[], stats: readonly StackStats[]): StackProfile {
  const taken = stats.reduce((n, s) => n + s.count, 0);
  return {
    defs: new Map(defs.map((d) => [d.id, d])),
    stats,
    health: { slowCalls: taken, taken, rateLimited: 0, lost: 0, unwoundFull: taken, unwoundPartial: 0, unwoundNone: 0, reasons: [] },
  };
}
