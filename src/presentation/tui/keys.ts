// Every key binding of the live view, in one place: what the help screen lists
// and what a key press means.
import type { UiAction, UiState } from './state.js';

// The parts of ink's Key this file reads.
export interface KeyInfo {
  readonly upArrow?: boolean;
  readonly downArrow?: boolean;
  readonly leftArrow?: boolean;
  readonly rightArrow?: boolean;
  readonly pageUp?: boolean;
  readonly pageDown?: boolean;
  readonly home?: boolean;
  readonly end?: boolean;
  readonly return?: boolean;
  readonly escape?: boolean;
  readonly ctrl?: boolean;
  readonly shift?: boolean;
  readonly tab?: boolean;
  readonly backspace?: boolean;
  readonly delete?: boolean;
}

// One binding: how the help screen names it, what it does, and its action.
export interface KeyBinding {
  readonly keys: string;
  readonly help: string;
  // the action for this press, or null when it is not this binding
  match(input: string, key: KeyInfo, page: number): UiAction | null;
}

const char =
  (chars: string, action: UiAction) =>
  (input: string, key: KeyInfo): UiAction | null =>
    !key.ctrl && input.length === 1 && chars.includes(input) ? action : null;

// The bindings, in the order the help screen lists them.
export const KEY_BINDINGS: readonly KeyBinding[] = [
  { keys: '1 2 3 4 5 6', help: 'view by syscall, process, thread, file, category, io_uring op', match: (input, key) => (key.ctrl ? null : digitView(input)) },
  { keys: 'o', help: 'TCP connections from the kernel (handshakes, resets, retransmits); o or Esc goes back', match: char('o', { type: 'tcp' }) },
  { keys: 'Tab', help: 'next view', match: (_i, key) => (key.tab ? { type: 'next-view', step: key.shift ? -1 : 1 } : null) },
  { keys: 'n', help: 'sort by name', match: char('n', { type: 'sort', column: 'name' }) },
  { keys: 'c', help: 'sort by calls/s', match: char('c', { type: 'sort', column: 'calls' }) },
  { keys: 'e', help: 'sort by errors/s', match: char('e', { type: 'sort', column: 'errors' }) },
  { keys: 'a', help: 'sort by average latency', match: char('a', { type: 'sort', column: 'avg' }) },
  { keys: 'm', help: 'sort by median (p50)', match: char('m', { type: 'sort', column: 'p50' }) },
  { keys: '9', help: 'sort by p99', match: char('9', { type: 'sort', column: 'p99' }) },
  { keys: 'x', help: 'sort by max', match: char('x', { type: 'sort', column: 'max' }) },
  { keys: 't', help: 'sort by %TIME (default)', match: char('t', { type: 'sort', column: 'share' }) },
  { keys: '< >', help: 'sort by the previous / next column', match: (input) => (input === '<' ? { type: 'next-sort', step: -1 } : input === '>' ? { type: 'next-sort', step: 1 } : null) },
  // what the report calls waiting (the 'wait' category: epoll_wait, poll, futex, wait4, sleeps...)
  { keys: 'w', help: 'waiting calls (futex, poll, sleeps...) apart / in %TIME', match: char('w', { type: 'waits' }) },
  { keys: '/', help: 'filter rows by name (Enter keeps it, Esc clears it)', match: char('/', { type: 'filter-start' }) },
  { keys: 'p Space', help: 'pause / resume the display (tracing goes on)', match: char('p ', { type: 'pause' }) },
  {
    keys: '↑ ↓ j k PgUp PgDn Home',
    help: 'select a row; in a histogram panel, scroll its findings',
    match: (input, key, page) => {
      if (key.upArrow || (!key.ctrl && input === 'k')) return { type: 'move', delta: -1 };
      if (key.downArrow || (!key.ctrl && input === 'j')) return { type: 'move', delta: 1 };
      if (key.pageUp) return { type: 'move', delta: -page };
      if (key.pageDown) return { type: 'move', delta: page };
      if (key.home) return { type: 'move', delta: -1_000_000 };
      return null;
    },
  },
  { keys: 'Enter', help: "the selected row's latency histogram and findings", match: (_i, key) => (key.return ? { type: 'open', key: null } : null) },
  { keys: 'Esc', help: 'back to the table; in the table, clear the filter', match: (_i, key) => (key.escape ? { type: 'back' } : null) },
  { keys: '? h', help: 'this help (any key closes it)', match: char('?h', { type: 'help' }) },
  { keys: 'q Ctrl-C', help: 'quit (the final snapshot still goes to --output)', match: (input, key) => ((key.ctrl && input === 'c') || (!key.ctrl && input === 'q') ? { type: 'quit' } : null) },
];

const DIGIT_VIEWS = ['syscall', 'process', 'thread', 'file', 'category', 'io_uring'] as const;

function digitView(input: string): UiAction | null {
  const i = '123456'.indexOf(input);
  return input.length === 1 && i >= 0 ? { type: 'view', view: DIGIT_VIEWS[i]! } : null;
}

// What ink leaves of an unnamed CSI or SS3 sequence after taking off its ESC.
const ESCAPE_REST = /^(?:\[\[?|O)[\d;]*[A-Za-z~^$]$/;

// Single key presses from what ink hands over at once. ink passes a chunk of
// plain text as one string (keys typed faster than it reads, a paste, or
// tmux send-keys "/fsync" Enter), and Esc followed quickly by a key as that key
// with `meta`: split both into the presses they are, so none is lost.
export function splitKeys(input: string, key: KeyInfo & { readonly meta?: boolean }): Array<[string, KeyInfo]> {
  if (key.meta === true && !key.escape && input.length === 1) return [['', { escape: true }], ...splitKeys(input, {})];
  // the rest of an escape sequence ink did not name (ESC [ 1 ; 2 P): one press, not five
  if (input.length <= 1 || key.ctrl || ESCAPE_REST.test(input)) return [[input, key]];
  return [...input].map((ch): [string, KeyInfo] => {
    if (ch === '\r' || ch === '\n') return ['', { return: true }];
    if (ch === '\t') return ['', { tab: true }];
    if (ch === '\u007f' || ch === '\b') return ['', { backspace: true }];
    if (ch === '\u0003') return ['c', { ctrl: true }];
    return [ch, {}];
  });
}

// What a key press means in a state: while typing a filter, keys edit it; on the
// help screen, any key closes it (q still quits); `page` is the rows on screen.
export function keyAction(input: string, key: KeyInfo, state: UiState, page = 10): UiAction | null {
  if (key.ctrl && input === 'c') return { type: 'quit' };
  if (state.editingFilter) {
    if (key.escape) return { type: 'filter-cancel' };
    if (key.return) return { type: 'filter-done' };
    if (key.backspace || key.delete) return { type: 'filter-erase' };
    if (!key.ctrl && input.length > 0 && !/[\u0000-\u001f]/.test(input)) return { type: 'filter-type', text: input };
    return null;
  }
  if (state.panel === 'help') return !key.ctrl && input === 'q' ? { type: 'quit' } : { type: 'help' };
  for (const b of KEY_BINDINGS) {
    const action = b.match(input, key, page);
    if (action !== null) return action;
  }
  return null;
}
