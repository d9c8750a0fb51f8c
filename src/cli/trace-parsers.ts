// Option value parsers of trace's capture options; they throw InvalidArgumentError (exit 2).
import { InvalidArgumentError } from 'commander';
import { validRingbufMb } from '../core/backends/ebpf/request.js';

const UNITS: ReadonlyMap<string, number> = new Map([
  ['ns', 1],
  ['us', 1e3],
  ['µs', 1e3],
  ['ms', 1e6],
  ['s', 1e9],
]);

// The longest --min-duration: one day.
const MAX_DURATION_NS = 86_400e9;

// A duration with a unit ("500ns", "100us", "100µs", "1.5ms", "2s") in whole ns.
export function parseDurationNs(text: string): number {
  const m = /^(\d+(?:\.\d+)?|\.\d+)\s*(ns|us|µs|ms|s)$/.exec(text.trim());
  if (m === null) throw new InvalidArgumentError('expected a duration with a unit: 500ns, 100us, 1.5ms, 2s.');
  const ns = Math.round(Number(m[1]) * UNITS.get(m[2]!)!);
  if (ns > MAX_DURATION_NS) throw new InvalidArgumentError('expected at most one day.');
  return ns;
}

// A comma-separated list of syscall names ("read,write,fsync"); checked against the table later.
export function parseSyscallList(text: string): string[] {
  const names = text.split(',').map((s) => s.trim());
  if (names.some((n) => n === '')) throw new InvalidArgumentError('expected syscall names separated by commas, e.g. read,write,fsync.');
  return names;
}

// A ring buffer size in MiB: a power of two from 1 to 1024.
export function parseRingbufMb(text: string): number {
  const n = Number(text);
  if (!/^\d+$/.test(text) || !validRingbufMb(n)) throw new InvalidArgumentError('expected a power of two from 1 to 1024 (MiB).');
  return n;
}
