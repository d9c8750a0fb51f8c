// The plain-text snapshot printed each interval when not on a terminal or with
// --batch (like `top -b`): header, then the top rows of one view, the waiting
// rows under their own title after the working ones unless waits are counted in.
import type { LiveFrame } from './model/interval.js';
import type { LiveRow } from './model/live-row.js';
import { anomalyLine, anomalyRowKeys } from './model/anomaly-marks.js';
import { headerLines } from './model/header-text.js';
import { fitColumns, rowLine, titleLine, waitingTitle } from './model/table-layout.js';
import { viewRows, visibleRows, type SortColumn, type ViewName } from './model/view-rows.js';

// What a batch snapshot shows.
export interface BatchOptions {
  readonly view: ViewName;
  readonly sort: SortColumn;
  readonly filter: string;
  // rows at most
  readonly top: number;
  readonly width: number;
  readonly intervalMs: number;
  // waiting calls counted in %TIME and ranked with the rest (--include-waits); default: apart
  readonly includeWaits?: boolean;
}

// The lines of one snapshot, ending with a blank line.
// `recent` gives a row's recent rates for a sparkline column (null: no sparklines).
export function batchText(frame: LiveFrame, recent: ((row: LiveRow) => readonly number[]) | null, options: BatchOptions): string {
  const includeWaits = options.includeWaits ?? false;
  const anomaly = anomalyLine(frame);
  const lines = [`--- snapshot ${frame.seq}${frame.final ? ' (final)' : ''} ---`, ...headerLines(frame, options.intervalMs), ...(anomaly === null ? [] : [anomaly]), ''];
  const rows = viewRows(frame, options.view);
  if (rows === null) {
    lines.push(options.view === 'io_uring' ? '(the io_uring view needs the eBPF backend with io_uring traced)' : `(the ${options.view} view needs --events: per-call records)`);
  } else {
    const shown = visibleRows(rows, { filter: options.filter, sort: options.sort, limit: options.top, includeWaits });
    const layout = fitColumns(options.width, shown.rows, includeWaits);
    const noSpark = recent === null ? { ...layout, sparkWidth: 0 } : layout;
    const marked = anomalyRowKeys(frame, options.view);
    lines.push(titleLine(options.view, options.sort, noSpark));
    if (shown.rows.length === 0) lines.push(frame.calls === 0 ? '(no syscalls in this interval)' : '(no rows match the filter)');
    shown.rows.forEach((r, i) => {
      if (i === shown.working) lines.push(waitingTitle(noSpark, 'flag'));
      lines.push(rowLine(r, recent?.(r) ?? [], noSpark, marked.has(r.key)));
    });
    if (shown.matching > shown.rows.length) lines.push(`... ${shown.matching - shown.rows.length} more`);
  }
  return `${lines.join('\n')}\n\n`;
}
