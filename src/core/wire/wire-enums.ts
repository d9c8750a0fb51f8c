// The proto's closed sets in the model's words: the model, and everything above
// it, keeps strings ('x86_64', 'target-exit'). These names are also what wire
// version 1 sent as strings.
import type { StopReason } from '../model/profile.js';
import { syscallprof } from './proto.js';

const { Arch, Mode, CostStats } = syscallprof;
const Stop = syscallprof.StopReason;

// Header.arch -> syscall table name.
export const ARCH_NAMES: ReadonlyMap<syscallprof.Arch, string> = new Map([
  [Arch.ARCH_X86_64, 'x86_64'],
  [Arch.ARCH_AARCH64, 'aarch64'],
]);

// Header.mode -> its name in messages.
export const MODE_NAMES: ReadonlyMap<syscallprof.Mode, string> = new Map([
  [Mode.MODE_ALL, 'all'],
  [Mode.MODE_PID, 'pid'],
  [Mode.MODE_COMMAND, 'command'],
  [Mode.MODE_CGROUP, 'cgroup'],
]);

// Header.cost_stats -> its name (the loader's --cost-stats value).
export const COST_STATS_NAMES: ReadonlyMap<syscallprof.CostStats, string> = new Map([
  [CostStats.COST_STATS_OFF, 'off'],
  [CostStats.COST_STATS_SAMPLED, 'sampled'],
  [CostStats.COST_STATS_FULL, 'full'],
]);

// Snapshot.stop_reason -> the model's stop reason.
export const STOP_REASONS: ReadonlyMap<syscallprof.StopReason, StopReason> = new Map([
  [Stop.STOP_REASON_DURATION, 'duration'],
  [Stop.STOP_REASON_SIGNAL, 'signal'],
  [Stop.STOP_REASON_TARGET_EXIT, 'target-exit'],
  [Stop.STOP_REASON_STDOUT_CLOSED, 'stdout-closed'],
  [Stop.STOP_REASON_PARENT_DIED, 'parent-died'],
  [Stop.STOP_REASON_MAP_READ_ERROR, 'map-read-error'],
  [Stop.STOP_REASON_OUT_OF_MEMORY, 'out-of-memory'],
]);

// The enum value a name stands for, or 0 (UNSPECIFIED) for a name not in the set.
export function enumOfName<E extends number>(names: ReadonlyMap<E, string>, name: string): E | 0 {
  for (const [value, n] of names) if (n === name) return value;
  return 0;
}
