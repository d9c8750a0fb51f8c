// The listen queue counters of this network namespace (/proc/net/netstat,
// TcpExt: ListenOverflows, ListenDrops), read before and after a capture.
import { readFileSync } from 'node:fs';

// One reading; null fields when the kernel does not report them.
export interface ListenCounters {
  readonly overflows: number | null;
  readonly drops: number | null;
}

// Reads the counters now (nulls when /proc/net/netstat cannot be read).
export function readListenCounters(procDir = '/proc'): ListenCounters {
  let text: string;
  try {
    text = readFileSync(`${procDir}/net/netstat`, 'utf8');
  } catch {
    return { overflows: null, drops: null };
  }
  return parseListenCounters(text);
}

// The TcpExt header line names the values of the line after it.
export function parseListenCounters(text: string): ListenCounters {
  const lines = text.split('\n').filter((l) => l.startsWith('TcpExt:'));
  if (lines.length < 2) return { overflows: null, drops: null };
  const names = lines[0]!.trim().split(/\s+/);
  const values = lines[1]!.trim().split(/\s+/);
  const value = (name: string): number | null => {
    const i = names.indexOf(name);
    const v = i < 0 ? NaN : Number(values[i]);
    return Number.isFinite(v) ? v : null;
  };
  return { overflows: value('ListenOverflows'), drops: value('ListenDrops') };
}

// What happened between two readings; null when either lacks a counter.
export function listenBetween(a: ListenCounters, b: ListenCounters): { overflows: number; drops: number } | null {
  if (a.overflows === null || b.overflows === null || a.drops === null || b.drops === null) return null;
  return { overflows: Math.max(0, b.overflows - a.overflows), drops: Math.max(0, b.drops - a.drops) };
}
