// Which live rows an active anomaly concerns, and the line that says what it is.
import { categoryOfName } from '../../../core/model/categories.js';
import { anomalySentence } from '../../render/anomaly-text.js';
import { processKey, type LiveFrame } from './interval.js';
import type { ViewName } from './view-rows.js';

// The mark in front of a row's label.
export const ANOMALY_MARK = '!';

// Keys of the rows of a view with an active anomaly: its syscall, its process, its syscall's category.
export function anomalyRowKeys(frame: LiveFrame, view: ViewName): ReadonlySet<string> {
  const keys = new Set<string>();
  for (const a of frame.anomalies?.active ?? []) {
    if (view === 'syscall') keys.add(a.series.syscall);
    else if (view === 'process' && a.series.tgid !== null) keys.add(processKey(a.series.tgid));
    else if (view === 'category') keys.add(categoryOfName(a.series.syscall));
  }
  return keys;
}

// The line under the header: the newest anomaly, and how many more; null when none is active.
export function anomalyLine(frame: LiveFrame): string | null {
  const active = frame.anomalies?.active ?? [];
  if (active.length === 0) return null;
  const newest = active[active.length - 1]!;
  const more = active.length > 1 ? ` (+${active.length - 1} more)` : '';
  return `${ANOMALY_MARK} anomaly: ${anomalySentence(newest, frame.anomalies!.atMs)}${more}`;
}
