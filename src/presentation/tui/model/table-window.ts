// Which rows of the current view are on screen: enough of the top rows to reach
// the selection, scrolled so the selection is visible. With waits apart, the
// waiting rows come after the working ones under a title line of their own,
// which takes one of the page's lines when it is on screen.
import type { UiState } from '../state.js';
import type { LiveFrame } from './interval.js';
import type { LiveRow } from './live-row.js';
import { viewRows, visibleRows } from './view-rows.js';

// The rows on screen and where the selection is.
export interface TableWindow {
  // null: the view needs --events
  readonly rows: readonly LiveRow[] | null;
  // index into rows of the selected one, -1 when none
  readonly selected: number;
  readonly selectedRow: LiveRow | null;
  // rows matching the filter in the whole view
  readonly matching: number;
  // rows above the window
  readonly offset: number;
  // the waiting section's title goes above rows[waitingFrom] (rows.length: after
  // the last row); null when it is not on screen
  readonly waitingFrom: number | null;
}

// The window of `page` lines for a state (the selection clamped to the rows there are).
export function tableWindow(frame: LiveFrame | null, state: UiState, page: number): TableWindow {
  const all = frame === null ? [] : viewRows(frame, state.view);
  if (all === null) return { rows: null, selected: -1, selectedRow: null, matching: 0, offset: 0, waitingFrom: null };
  const lines = Math.max(1, page);
  const options = { filter: state.filter, sort: state.sort, includeWaits: state.includeWaits };
  const { matching, working } = visibleRows(all, { ...options, limit: 0 });
  // with a waiting section, line `working` is its title and row i >= working is on line i + 1
  const split = working < matching;
  const lineOf = (row: number): number => (split && row >= working ? row + 1 : row);
  const rowBefore = (line: number): number => (split && line >= working ? line - 1 : line);
  const sel = matching === 0 ? -1 : Math.min(state.selected, matching - 1);
  const firstLine = Math.max(0, lineOf(sel) - lines + 1);
  const lastLine = firstLine + lines - 1;
  // the first row at or after the first line, the last one at or before the last line
  const offset = split && firstLine > working ? firstLine - 1 : firstLine;
  const end = Math.min(matching, rowBefore(lastLine) + 1);
  const shown = visibleRows(all, { ...options, limit: end }).rows.slice(offset);
  const waitingFrom = split && working >= firstLine && working <= lastLine ? working - offset : null;
  return { rows: shown, selected: sel - offset, selectedRow: sel < 0 ? null : (shown[sel - offset] ?? null), matching, offset, waitingFrom };
}
