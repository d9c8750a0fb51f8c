// Reading how loaded the machine is: CPU busy time from /proc/stat and stall
// time from /proc/pressure (PSI), sampled before and after a capture. (System
// readers import nothing: the shapes here match model/load.ts's.)
import { readFileSync } from 'node:fs';

// Cumulative stall totals of one resource, µs; null when not reported.
interface PressureTotals {
  readonly some: number | null;
  readonly full: number | null;
}

// One reading of the counters.
export interface LoadSample {
  readonly monoNs: number;
  // all CPUs' jiffies: busy (not idle, not iowait) and in all; null without /proc/stat
  readonly cpu: { readonly busy: number; readonly total: number } | null;
  readonly pressure: { readonly cpu: PressureTotals; readonly io: PressureTotals; readonly memory: PressureTotals };
}

// The share of a window some or all runnable tasks were stalled on a resource; null when not reported.
export interface PressureShare {
  readonly some: number | null;
  readonly full: number | null;
}

// The load measured over a window (model/load.ts's LoadLevel without its labels).
export interface MeasuredLoad {
  readonly windowNs: number;
  // share of all CPUs' time not idle or in iowait; null when unknown
  readonly cpuBusy: number | null;
  readonly cpuPressure: PressureShare;
  readonly ioPressure: PressureShare;
  readonly memoryPressure: PressureShare;
}

// Reads the counters now (files it cannot read give nulls).
export function readLoadSample(procDir = '/proc'): LoadSample {
  return {
    monoNs: Number(process.hrtime.bigint()),
    cpu: parseProcStatCpu(readOrNull(`${procDir}/stat`)),
    pressure: {
      cpu: parsePressure(readOrNull(`${procDir}/pressure/cpu`)),
      io: parsePressure(readOrNull(`${procDir}/pressure/io`)),
      memory: parsePressure(readOrNull(`${procDir}/pressure/memory`)),
    },
  };
}

// The load between two samples: shares of the window.
export function loadBetween(before: LoadSample, after: LoadSample): MeasuredLoad {
  const windowNs = Math.max(0, after.monoNs - before.monoNs);
  const windowUs = windowNs / 1000;
  const share = (a: number | null, b: number | null): number | null =>
    a === null || b === null || windowUs <= 0 ? null : clampShare((b - a) / windowUs);
  const pressure = (a: PressureTotals, b: PressureTotals): PressureShare => ({ some: share(a.some, b.some), full: share(a.full, b.full) });
  let cpuBusy: number | null = null;
  if (before.cpu !== null && after.cpu !== null && after.cpu.total > before.cpu.total) {
    cpuBusy = clampShare((after.cpu.busy - before.cpu.busy) / (after.cpu.total - before.cpu.total));
  }
  return {
    windowNs,
    cpuBusy,
    cpuPressure: pressure(before.pressure.cpu, after.pressure.cpu),
    ioPressure: pressure(before.pressure.io, after.pressure.io),
    memoryPressure: pressure(before.pressure.memory, after.pressure.memory),
  };
}

// The "cpu" line of /proc/stat: user nice system idle iowait irq softirq steal ...
export function parseProcStatCpu(text: string | null): { busy: number; total: number } | null {
  const line = text?.split('\n').find((l) => l.startsWith('cpu '));
  if (line === undefined) return null;
  const v = line.trim().split(/\s+/).slice(1).map(Number);
  if (v.length < 4 || v.some((n) => !Number.isFinite(n))) return null;
  // guest time is already in user and nice: count the first eight fields only
  const fields = v.slice(0, 8);
  const total = fields.reduce((a, b) => a + b, 0);
  const idle = (v[3] ?? 0) + (v[4] ?? 0);
  return { busy: total - idle, total };
}

// A /proc/pressure file: "some avg10=... total=N" and "full ... total=N".
export function parsePressure(text: string | null): PressureTotals {
  const total = (kind: string): number | null => {
    const m = new RegExp(`^${kind}\\s.*\\btotal=(\\d+)`, 'm').exec(text ?? '');
    return m === null ? null : Number(m[1]);
  };
  return { some: total('some'), full: total('full') };
}

function clampShare(x: number): number {
  return Math.min(1, Math.max(0, x));
}

function readOrNull(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
}
