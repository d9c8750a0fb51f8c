// What each latency mode of a read probably is, for the wording
// "95% under 100 µs (cache), 5% at 1-10 ms (disk)": for reads of files
// (disk-read category) with two or more modes, a mode peaking under
// CACHE_HIT_MAX_NS is served from the page cache, a slower one from the disk.
import type { Category } from '../model/categories.js';
import type { ModeAnalysis } from './modes.js';

// A read mode peaking below this is taken to be page-cache hits.
export const CACHE_HIT_MAX_NS = 100_000;

// Where the calls of a mode were probably served from.
export type ModeLabel = 'cache' | 'disk';

// The probable source of each mode, or null for each when it cannot be told.
export function modeLabels(analysis: ModeAnalysis, category: Category): readonly (ModeLabel | null)[] {
  if (category !== 'disk-read' || !analysis.multimodal) return analysis.modes.map(() => null);
  return analysis.modes.map((m, i) => (i === 0 && m.peakNs < CACHE_HIT_MAX_NS ? 'cache' : i > 0 ? 'disk' : null));
}

// The main category of a syscall's calls (where most of its time went).
export function mainCategory(parts: readonly { readonly category: Category; readonly totalNs: number; readonly calls: number }[], fallback: Category): Category {
  let best: { readonly category: Category; readonly totalNs: number; readonly calls: number } | undefined;
  for (const p of parts) if (best === undefined || p.totalNs > best.totalNs || (p.totalNs === best.totalNs && p.calls > best.calls)) best = p;
  return best?.category ?? fallback;
}
