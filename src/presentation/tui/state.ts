// What the live screen is showing (view, sort, filter, waits, selection, panel)
// and how each user action changes it: a pure reducer.
import { VIEWS, type SortColumn, type ViewName } from './model/view-rows.js';

// The screen's own state; the data comes from the feed.
export interface UiState {
  readonly view: ViewName;
  readonly sort: SortColumn;
  readonly filter: string;
  // waiting calls (epoll_wait, futex, sleeps...) counted in %TIME and ranked
  // with the rest; false: shown apart below the working rows, out of %TIME
  readonly includeWaits: boolean;
  // typing into the filter line
  readonly editingFilter: boolean;
  readonly paused: boolean;
  // index of the selected row among the visible ones
  readonly selected: number;
  readonly panel: 'table' | 'histogram' | 'help' | 'tcp';
  // the key of the row whose histogram is open
  readonly detailKey: string | null;
  // the histogram panel's findings: lines scrolled past (the panel keeps the last page in view)
  readonly findingsScroll: number;
}

// What a key press asks for.
export type UiAction =
  | { readonly type: 'view'; readonly view: ViewName }
  | { readonly type: 'next-view'; readonly step: 1 | -1 }
  | { readonly type: 'sort'; readonly column: SortColumn }
  | { readonly type: 'next-sort'; readonly step: 1 | -1 }
  | { readonly type: 'filter-start' }
  | { readonly type: 'filter-type'; readonly text: string }
  | { readonly type: 'filter-erase' }
  | { readonly type: 'filter-done' }
  | { readonly type: 'filter-cancel' }
  | { readonly type: 'waits' }
  | { readonly type: 'pause' }
  | { readonly type: 'move'; readonly delta: number }
  | { readonly type: 'open'; readonly key: string | null }
  | { readonly type: 'back' }
  | { readonly type: 'help' }
  | { readonly type: 'tcp' }
  | { readonly type: 'quit' };

// Columns in the order < and > step through (the table's order).
export const SORT_ORDER: readonly SortColumn[] = ['name', 'calls', 'errors', 'avg', 'p50', 'p99', 'max', 'share'];

// The state a session starts in: syscalls by share of working time, waits apart.
export const INITIAL_STATE: UiState = {
  view: 'syscall',
  sort: 'share',
  filter: '',
  includeWaits: false,
  editingFilter: false,
  paused: false,
  selected: 0,
  panel: 'table',
  detailKey: null,
  findingsScroll: 0,
};

// The state after an action (quit changes nothing here: the app exits).
export function reduce(state: UiState, action: UiAction): UiState {
  switch (action.type) {
    case 'view':
      return { ...state, view: action.view, selected: 0, panel: 'table', detailKey: null, findingsScroll: 0 };
    case 'next-view': {
      const i = VIEWS.indexOf(state.view);
      return reduce(state, { type: 'view', view: VIEWS[(i + action.step + VIEWS.length) % VIEWS.length]! });
    }
    case 'sort':
      return { ...state, sort: action.column, selected: 0 };
    case 'next-sort': {
      const i = SORT_ORDER.indexOf(state.sort);
      return { ...state, sort: SORT_ORDER[(i + action.step + SORT_ORDER.length) % SORT_ORDER.length]!, selected: 0 };
    }
    case 'filter-start':
      return { ...state, editingFilter: true, panel: 'table' };
    case 'filter-type':
      return { ...state, filter: state.filter + action.text, selected: 0 };
    case 'filter-erase':
      return { ...state, filter: state.filter.slice(0, -1), selected: 0 };
    case 'filter-done':
      return { ...state, editingFilter: false };
    case 'filter-cancel':
      return { ...state, editingFilter: false, filter: '', selected: 0 };
    case 'waits':
      // the order changes: back to the top
      return { ...state, includeWaits: !state.includeWaits, selected: 0 };
    case 'pause':
      return { ...state, paused: !state.paused };
    case 'move':
      // in the histogram panel the selection keys scroll its findings
      if (state.panel === 'histogram') return { ...state, findingsScroll: Math.max(0, state.findingsScroll + action.delta) };
      return { ...state, selected: Math.max(0, state.selected + action.delta) };
    case 'open':
      return action.key === null ? state : { ...state, panel: 'histogram', detailKey: action.key, findingsScroll: 0 };
    case 'back':
      if (state.panel !== 'table') return { ...state, panel: 'table', detailKey: null, findingsScroll: 0 };
      return state.filter !== '' ? { ...state, filter: '', selected: 0 } : state;
    case 'help':
      return { ...state, panel: state.panel === 'help' ? 'table' : 'help' };
    case 'tcp':
      return { ...state, panel: state.panel === 'tcp' ? 'table' : 'tcp', detailKey: null, findingsScroll: 0 };
    case 'quit':
      return state;
  }
}
