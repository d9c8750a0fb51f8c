import { describe, expect, it } from 'vitest';
import { keyAction, KEY_BINDINGS, splitKeys, type KeyInfo } from '../../../src/presentation/tui/keys.js';
import { INITIAL_STATE, reduce, type UiAction, type UiState } from '../../../src/presentation/tui/state.js';

describe('keyAction in the table', () => {
  it.each<[string, KeyInfo, UiAction]>([
    ['2', {}, { type: 'view', view: 'process' }],
    ['5', {}, { type: 'view', view: 'category' }],
    ['', { tab: true }, { type: 'next-view', step: 1 }],
    ['c', {}, { type: 'sort', column: 'calls' }],
    ['9', {}, { type: 'sort', column: 'p99' }],
    ['m', {}, { type: 'sort', column: 'p50' }],
    ['>', {}, { type: 'next-sort', step: 1 }],
    ['/', {}, { type: 'filter-start' }],
    ['p', {}, { type: 'pause' }],
    ['w', {}, { type: 'waits' }],
    ['', { downArrow: true }, { type: 'move', delta: 1 }],
    ['k', {}, { type: 'move', delta: -1 }],
    ['', { pageDown: true }, { type: 'move', delta: 18 }],
    ['', { return: true }, { type: 'open', key: null }],
    ['', { escape: true }, { type: 'back' }],
    ['?', {}, { type: 'help' }],
    ['q', {}, { type: 'quit' }],
    ['c', { ctrl: true }, { type: 'quit' }],
  ])('%j %j', (input, key, action) => {
    expect(keyAction(input, key, INITIAL_STATE, 18)).toEqual(action);
  });

  it('ignores keys without a binding', () => {
    expect(keyAction('z', {}, INITIAL_STATE)).toBeNull();
  });

  it('lists every binding for the help screen', () => {
    expect(KEY_BINDINGS.map((b) => b.keys)).toContain('q Ctrl-C');
    expect(new Set(KEY_BINDINGS.map((b) => b.keys)).size).toBe(KEY_BINDINGS.length);
  });
});

describe('keyAction while typing a filter', () => {
  const editing: UiState = { ...INITIAL_STATE, editingFilter: true, filter: 'rea' };
  it.each<[string, KeyInfo, UiAction | null]>([
    ['q', {}, { type: 'filter-type', text: 'q' }],
    ['', { backspace: true }, { type: 'filter-erase' }],
    ['', { return: true }, { type: 'filter-done' }],
    ['', { escape: true }, { type: 'filter-cancel' }],
    ['c', { ctrl: true }, { type: 'quit' }],
  ])('%j %j', (input, key, action) => {
    expect(keyAction(input, key, editing)).toEqual(action);
  });

  it('closes the help on any key but q', () => {
    const help: UiState = { ...INITIAL_STATE, panel: 'help' };
    expect(keyAction('x', {}, help)).toEqual({ type: 'help' });
    expect(keyAction('q', {}, help)).toEqual({ type: 'quit' });
  });
});

describe('reduce', () => {
  it('edits, keeps and clears a filter', () => {
    let s = reduce(INITIAL_STATE, { type: 'filter-start' });
    s = reduce(s, { type: 'filter-type', text: 'fs' });
    s = reduce(s, { type: 'filter-type', text: 'x' });
    s = reduce(s, { type: 'filter-erase' });
    s = reduce(s, { type: 'filter-done' });
    expect([s.filter, s.editingFilter]).toEqual(['fs', false]);
    expect(reduce(s, { type: 'back' }).filter).toBe('');
  });

  it('opens a histogram only for a row, and Esc goes back', () => {
    expect(reduce(INITIAL_STATE, { type: 'open', key: null }).panel).toBe('table');
    const open = reduce(INITIAL_STATE, { type: 'open', key: 'fsync' });
    expect([open.panel, open.detailKey]).toEqual(['histogram', 'fsync']);
    expect(reduce(open, { type: 'back' }).panel).toBe('table');
  });

  it("scrolls the histogram panel's findings with the selection keys, from the top on each open", () => {
    const open = reduce({ ...INITIAL_STATE, selected: 2 }, { type: 'open', key: 'fsync' });
    const down = reduce(reduce(open, { type: 'move', delta: 1 }), { type: 'move', delta: 18 });
    expect([down.findingsScroll, down.selected]).toEqual([19, 2]);
    expect(reduce(down, { type: 'move', delta: -1_000_000 }).findingsScroll).toBe(0);
    const back = reduce(down, { type: 'back' });
    expect(back.findingsScroll).toBe(0);
    expect(reduce(back, { type: 'open', key: 'read' }).findingsScroll).toBe(0);
  });

  it('toggles counting waits in %TIME, from the top of the new order', () => {
    expect(INITIAL_STATE.includeWaits).toBe(false);
    const on = reduce({ ...INITIAL_STATE, selected: 3 }, { type: 'waits' });
    expect([on.includeWaits, on.selected]).toEqual([true, 0]);
    expect(reduce(on, { type: 'waits' }).includeWaits).toBe(false);
  });

  it('binds w to nothing else', () => {
    expect(KEY_BINDINGS.filter((b) => b.match('w', {}, 10) !== null).map((b) => b.keys)).toEqual(['w']);
  });

  it('cycles views and sort columns, resetting the selection', () => {
    const s = reduce({ ...INITIAL_STATE, selected: 4 }, { type: 'next-view', step: -1 });
    // back from the first view: the last one
    expect([s.view, s.selected]).toEqual(['io_uring', 0]);
    expect(KEY_BINDINGS.map((b) => b.match('6', {}, 10)).find((a) => a !== null)).toEqual({ type: 'view', view: 'io_uring' });
    expect(reduce(INITIAL_STATE, { type: 'next-sort', step: 1 }).sort).toBe('name');
    expect(reduce(INITIAL_STATE, { type: 'move', delta: -3 }).selected).toBe(0);
    expect(reduce(INITIAL_STATE, { type: 'pause' }).paused).toBe(true);
  });
});

describe('splitKeys', () => {
  it.each<[string, KeyInfo & { meta?: boolean }, Array<[string, KeyInfo]>]>([
    ['q', {}, [['q', {}]]],
    ['', { upArrow: true }, [['', { upArrow: true }]]],
    ['/fsync\r', {}, [['/', {}], ['f', {}], ['s', {}], ['y', {}], ['n', {}], ['c', {}], ['', { return: true }]]],
    ['ab\u007f\t', {}, [['a', {}], ['b', {}], ['', { backspace: true }], ['', { tab: true }]]],
    ['x\u0003', {}, [['x', {}], ['c', { ctrl: true }]]],
    ['2', { meta: true }, [['', { escape: true }], ['2', {}]]],
    ['', { escape: true, meta: true }, [['', { escape: true, meta: true }]]],
    ['c', { ctrl: true }, [['c', { ctrl: true }]]],
    // what ink leaves of an escape sequence it has no name for: one press, bound to nothing
    ['[1;2P', {}, [['[1;2P', {}]]],
    ['[[5~', {}, [['[[5~', {}]]],
  ])('%j %j', (input, key, presses) => {
    expect(splitKeys(input, key)).toEqual(presses);
  });
});
