// Which rows of the current view are on screen: enough of the top rows to reach
// the selection, scrolled so the selection is visible.
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
}

// The window of `page` rows for a state (the selection clamped to the rows there are).
export function tableWindow(frame: LiveFrame | null, state: UiState, page: number): TableWindow {
  const all = frame === null ? [] : viewRows(frame, state.view);
  if (all === null) return { rows: null, selected: -1, selectedRow: null, matching: 0, offset: 0 };
  const rows = Math.max(1, page);
  const { matching } = visibleRows(all, { filter: state.filter, sort: state.sort, limit: 0 });
  const sel = matching === 0 ? -1 : Math.min(state.selected, matching - 1);
  const offset = Math.max(0, sel - rows + 1);
  const top = visibleRows(all, { filter: state.filter, sort: state.sort, limit: offset + rows }).rows;
  const shown = top.slice(offset);
  return { rows: shown, selected: sel - offset, selectedRow: sel < 0 ? null : (shown[sel - offset] ?? null), matching, offset };
}
