// User (and optionally kernel) stacks of slow syscalls: a table of distinct
// stacks by id, the slow calls of each (process, syscall, stack), and what
// happened to the slow calls (taken, skipped, unwound how far).
import type { LatencyHistogram } from './histogram.js';

// One frame, symbolized by whoever took the stack.
export interface StackFrame {
  // instruction address in the process (0 when unknown, e.g. read back from a folded stack)
  readonly address: number;
  // function name; '' when unresolved
  readonly symbol: string;
  readonly symbolOffset: number;
  // the mapped file's path, or [vdso], [anon], [heap], [stack], [kernel]; '' when unknown
  readonly module: string;
  // the address as an offset into module's file
  readonly moduleOffset: number;
  // why symbol is empty ("no symbols", "anonymous mapping", "binary gone", ...); '' when resolved
  readonly unresolved: string;
  readonly kernel: boolean;
}

// How the stack was walked: frame pointers in the kernel, or DWARF CFI from a
// copied stack slice in the loader; 'unknown' when not said (a folded stack read back).
export type StackUnwind = 'frame-pointer' | 'dwarf' | 'unknown';

// How far the walk got: to the outermost frame, part way, or nowhere past the syscall site.
export type StackCompleteness = 'full' | 'partial' | 'none' | 'unknown';

// One distinct stack of one process.
export interface StackDef {
  // > 0, unique within the capture
  readonly id: number;
  readonly tgid: number;
  // innermost (the syscall site) first
  readonly frames: readonly StackFrame[];
  readonly unwind: StackUnwind;
  readonly completeness: StackCompleteness;
  // partial or none: why; '' otherwise
  readonly reason: string;
}

// The slow calls of one process and one syscall that had one stack, cumulative.
export interface StackStats {
  readonly tgid: number;
  readonly syscall: string;
  // null when only the name is known (a CSV capture of another arch)
  readonly nr: number | null;
  readonly stackId: number;
  readonly count: number;
  readonly totalNs: number;
  readonly maxNs: number;
  readonly histogram: LatencyHistogram;
}

// A reason stacks were partial or missing, and how many.
export interface StackReasonCount {
  readonly reason: string;
  readonly count: number;
}

// What happened to the slow calls, cumulative; null figures are unknown (a capture read back from rows).
export interface StackHealth {
  // calls over the threshold
  readonly slowCalls: number | null;
  // of them, with a stack taken
  readonly taken: number;
  // skipped by the per-CPU rate limit
  readonly rateLimited: number | null;
  // taken, but the ring buffer had no room
  readonly lost: number | null;
  readonly unwoundFull: number;
  readonly unwoundPartial: number;
  readonly unwoundNone: number;
  // why partial or none, most first
  readonly reasons: readonly StackReasonCount[];
}

// The stacks of a capture.
export interface StackProfile {
  // every stack known, by id
  readonly defs: ReadonlyMap<number, StackDef>;
  // per (process, syscall, stack)
  readonly stats: readonly StackStats[];
  readonly health: StackHealth;
}

const HEALTH_COUNTS = ['taken', 'unwoundFull', 'unwoundPartial', 'unwoundNone'] as const;
const HEALTH_UNKNOWNS = ['slowCalls', 'rateLimited', 'lost'] as const;

// A StackHealth from untrusted JSON-like data (a capture's trailer), or a string saying what is wrong.
export function parseStackHealth(value: unknown): StackHealth | string {
  if (typeof value !== 'object' || value === null) return 'expected {"slowCalls": N, "taken": N, ...}';
  const o = value as Record<string, unknown>;
  const whole = (v: unknown): boolean => Number.isSafeInteger(v) && (v as number) >= 0;
  for (const k of HEALTH_COUNTS) if (!whole(o[k])) return `${k}: expected a whole number`;
  for (const k of HEALTH_UNKNOWNS) if (!(o[k] === null || whole(o[k]))) return `${k}: expected a whole number or null`;
  const reasons = o['reasons'];
  if (!Array.isArray(reasons) || !reasons.every((r) => typeof r === 'object' && r !== null && typeof (r as Record<string, unknown>)['reason'] === 'string' && whole((r as Record<string, unknown>)['count']))) {
    return 'reasons: expected [{"reason": "...", "count": N}]';
  }
  const n = (k: string): number => o[k] as number;
  const orNull = (k: string): number | null => (o[k] === null ? null : (o[k] as number));
  return {
    slowCalls: orNull('slowCalls'),
    taken: n('taken'),
    rateLimited: orNull('rateLimited'),
    lost: orNull('lost'),
    unwoundFull: n('unwoundFull'),
    unwoundPartial: n('unwoundPartial'),
    unwoundNone: n('unwoundNone'),
    reasons: (reasons as { reason: string; count: number }[]).map((r) => ({ reason: r.reason.replace(/[\u0000-\u001f\u007f-\u009f]/g, '?'), count: r.count })),
  };
}

// A growing table of stacks by id, shared by the event batches of one capture
// (a definition comes before any row that refers to it, and never changes).
export type StackTable = Map<number, StackDef>;

// A frame with only a name (or an unresolved module and offset), as a folded stack gives it back.
export function namedFrame(symbol: string, module = '', moduleOffset = 0, unresolved = '', kernel = false): StackFrame {
  return { address: 0, symbol, symbolOffset: 0, module, moduleOffset, unresolved, kernel };
}
