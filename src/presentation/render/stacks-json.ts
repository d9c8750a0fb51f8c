// The stacks part of the JSON outputs (trace --json, report --json):
//
//   "stacks": null |               // null: no stacks taken (no --stacks)
//     { "health": { "slowCalls": number | null, "taken", "rateLimited": number | null, "lost": number | null,
//                   "unwoundFull", "unwoundPartial", "unwoundNone", "reasons": [ { "reason", "count" } ] },
//       "syscalls": [ { "syscall", "calls", "totalNs",     // its slow calls with a stack
//                       "omittedStacks": number,
//                       "stacks": [ { "frames": [ string ],   // outermost first (folded-stack names)
//                                     "folded", "pids": [ number ], "calls", "totalNs",
//                                     "share",                // of the syscall's slow time with a stack
//                                     "p50Ns", "p99Ns", "maxNs",
//                                     "unwind": "frame-pointer" | "dwarf" | "unknown",
//                                     "completeness": "full" | "partial" | "none" | "unknown", "reason" } ] } ] }
import { stackSections, type StackRow } from '../../core/analysis/stacks.js';
import type { StackProfile } from '../../core/model/stacks.js';

// The stacks object, or null without stacks; `syscalls`/`perSyscall` limit the lists (null: all).
export function jsonStacks(stacks: StackProfile | null | undefined, syscalls: number | null = null, perSyscall: number | null = null): Record<string, unknown> | null {
  if (stacks == null) return null;
  return {
    health: stacks.health,
    syscalls: stackSections(stacks, syscalls, perSyscall).map((s) => ({
      syscall: s.syscall,
      calls: s.calls,
      totalNs: s.totalNs,
      omittedStacks: s.omitted,
      stacks: s.stacks.map(jsonStackRow),
    })),
  };
}

function jsonStackRow(r: StackRow): Record<string, unknown> {
  const round = (v: number | null): number | null => (v === null ? null : Math.round(v));
  return {
    frames: r.names,
    folded: r.folded,
    pids: r.pids,
    calls: r.calls,
    totalNs: r.totalNs,
    share: r.share,
    p50Ns: round(r.p50Ns),
    p99Ns: round(r.p99Ns),
    maxNs: r.maxNs,
    unwind: r.unwind,
    completeness: r.completeness,
    reason: r.reason,
  };
}
