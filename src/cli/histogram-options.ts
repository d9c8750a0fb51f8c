// Checking `histogram` options: the --buckets spec and the --syscall name.
import type { BucketSpec } from '../core/analysis/buckets.js';
import { UsageError } from '../core/errors.js';
import { allSyscallNames } from '../core/model/syscall-names.js';

const UNIT_NS: Readonly<Record<string, number>> = { ns: 1, us: 1e3, 'µs': 1e3, 'μs': 1e3, ms: 1e6, s: 1e9 };

// One edge like "10us", "1.5ms", "250 ns" in integer ns; a UsageError names the item otherwise.
export function parseEdge(item: string): number {
  const m = /^\s*(\d+(?:\.\d+)?|\.\d+)\s*(ns|us|µs|μs|ms|s)\s*$/.exec(item);
  if (m === null) throw new UsageError(`--buckets: '${item}' is not a duration with a unit (ns, us, µs, ms or s), e.g. 10us`);
  const ns = Math.round(Number(m[1]) * UNIT_NS[m[2]!]!);
  if (!(ns >= 1)) throw new UsageError(`--buckets: '${item}' is not a positive duration (edges are at least 1 ns)`);
  if (!Number.isSafeInteger(ns)) throw new UsageError(`--buckets: '${item}' is too large`);
  return ns;
}

// "default", "log2", or comma-separated increasing edges ("10us,100us,1ms").
export function parseBuckets(text: string | undefined): BucketSpec {
  if (text === undefined || text.trim() === 'default') return { kind: 'default' };
  if (text.trim() === 'log2') return { kind: 'log2' };
  const items = text.split(',');
  const edgesNs: number[] = [];
  items.forEach((item, i) => {
    if (item.trim() === '') throw new UsageError(`--buckets: edge ${i + 1} is empty in '${text}'`);
    const ns = parseEdge(item);
    const prev = edgesNs[edgesNs.length - 1];
    if (prev !== undefined && ns === prev) throw new UsageError(`--buckets: '${item.trim()}' repeats the edge before it`);
    if (prev !== undefined && ns < prev) throw new UsageError(`--buckets: '${item.trim()}' is below the edge before it ('${items[i - 1]!.trim()}'); edges must increase`);
    edgesNs.push(ns);
  });
  return { kind: 'edges', edgesNs };
}

// Checks a --syscall name: a syscall of some architecture, or syscall_<nr>; a UsageError otherwise,
// with the closest known name when one is near.
export function checkSyscallName(name: string): string {
  if (/^syscall_\d+$/.test(name)) return name;
  const known = allSyscallNames();
  if (known.includes(name)) return name;
  const near = closest(name, known);
  throw new UsageError(`unknown syscall '${name}'${near === null ? '' : ` (did you mean ${near}?)`}`);
}

// The known name within edit distance 2 of a name (the nearest), or null.
function closest(name: string, known: readonly string[]): string | null {
  let best: string | null = null;
  let bestDistance = 3;
  for (const k of known) {
    const d = distance(name, k);
    if (d < bestDistance) {
      best = k;
      bestDistance = d;
    }
  }
  return best;
}

// Levenshtein distance.
function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[b.length]!;
}
