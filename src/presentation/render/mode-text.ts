// Modes in words: "95% under 100 µs, 5% at 1-10 ms".
import type { ModeLabel } from '../../core/analysis/mode-labels.js';
import type { Mode } from '../../core/analysis/modes.js';
import { formatEdge, formatSpan } from './span.js';
import { formatPercent } from './units.js';

const NICE = [1, 2, 5];

// Mode limits come from histogram ranges up to 0.1% off the true values: a
// limit this close to a nice value is taken to be it (4,997,120 ns is 5 ms).
export const NICE_TOLERANCE = 0.005;

// The largest 1, 2 or 5 x 10^k at or below ns, give or take NICE_TOLERANCE (1 for ns < 1).
export function niceFloor(ns: number): number {
  const v = ns * (1 + NICE_TOLERANCE);
  if (v < 1) return 1;
  const decade = 10 ** Math.floor(Math.log10(v) + 1e-12);
  return ([...NICE].reverse().find((n) => n * decade <= v) ?? 1) * decade;
}

// The smallest 1, 2 or 5 x 10^k at or above ns, give or take NICE_TOLERANCE (1 for ns <= 1).
export function niceCeil(ns: number): number {
  const v = ns * (1 - NICE_TOLERANCE);
  if (v <= 1) return 1;
  const decade = 10 ** Math.floor(Math.log10(v) + 1e-12);
  const m = NICE.find((n) => n * decade >= v);
  return m === undefined ? 10 * decade : m * decade;
}

// The smallest 1, 2 or 5 x 10^k clearly above ns (for "under X").
export function niceAbove(ns: number): number {
  return niceCeil(ns * (1 + NICE_TOLERANCE) ** 2 + 1);
}

// One mode: the lowest as "95% under 100 µs", the others as "5% at 1-10 ms"
// (or "at 5 ms" when its calls all round to one value).
export function describeMode(mode: Mode, first: boolean): string {
  const share = formatPercent(mode.share);
  if (first) return `${share} under ${formatEdge(niceAbove(mode.highNs))}`;
  const low = niceFloor(mode.lowNs);
  const high = niceCeil(mode.highNs);
  return low >= high ? `${share} at ${formatEdge(low)}` : `${share} at ${formatSpan(low, high)}`;
}

// Every mode, lowest first, comma-separated.
export function describeModes(modes: readonly Mode[]): string {
  return modes.map((m, i) => describeMode(m, i === 0)).join(', ');
}

// Each mode in words with its label, lowest first: "95% under 100 µs (cache)", "5% at 1-10 ms (disk)".
export function modeWords(modes: readonly Mode[], labels: readonly (ModeLabel | null)[]): string[] {
  return modes.map((m, i) => `${describeMode(m, i === 0)}${(labels[i] ?? null) === null ? '' : ` (${labels[i]})`}`);
}
