// The rows on screen: paging with the waiting section's title line.
import { describe, expect, it } from 'vitest';
import type { Profile } from '../../../src/core/model/profile.js';
import { buildFrame } from '../../../src/presentation/tui/model/interval.js';
import { tableWindow } from '../../../src/presentation/tui/model/table-window.js';
import { INITIAL_STATE, type UiState } from '../../../src/presentation/tui/state.js';
import { profileOf, statsOf } from '../../helpers/profile.js';

const repeat = (ns: number, n: number): number[] => Array.from({ length: n }, () => ns);
const snap = (overrides: Partial<Profile>): Profile => profileOf({ durationNs: 1e9, final: false, stopReason: null, ...overrides });

// 4 working syscalls (w1 the most time) and 3 waiting ones (nanosleep the most)
const frame = buildFrame(
  null,
  snap({
    syscalls: [
      statsOf('read', 0, repeat(4000, 10)),
      statsOf('write', 1, repeat(3000, 10)),
      statsOf('openat', 257, repeat(2000, 10)),
      statsOf('close', 3, repeat(1000, 10)),
      statsOf('nanosleep', 35, repeat(3_000_000, 10)),
      statsOf('poll', 7, repeat(2_000_000, 10)),
      statsOf('futex', 202, repeat(1_000_000, 10)),
    ],
  }),
  1,
);
const state = (s: Partial<UiState>): UiState => ({ ...INITIAL_STATE, ...s });
const names = (page: number, s: Partial<UiState> = {}) => {
  const w = tableWindow(frame, state(s), page);
  return { rows: w.rows!.map((r) => r.label), waitingFrom: w.waitingFrom, selected: w.selected, offset: w.offset, matching: w.matching };
};

describe('tableWindow with waits apart', () => {
  it('shows the working rows, the title line, then the waiting rows', () => {
    expect(names(20)).toEqual({ rows: ['read', 'write', 'openat', 'close', 'nanosleep', 'poll', 'futex'], waitingFrom: 4, selected: 0, offset: 0, matching: 7 });
  });

  it('gives the title one of the page lines', () => {
    // 6 lines: 4 working rows, the title, 1 waiting row
    expect(names(6).rows).toEqual(['read', 'write', 'openat', 'close', 'nanosleep']);
    // the title on the last line: no waiting row fits under it
    expect(names(5)).toMatchObject({ rows: ['read', 'write', 'openat', 'close'], waitingFrom: 4 });
    // no room for the title
    expect(names(4)).toMatchObject({ rows: ['read', 'write', 'openat', 'close'], waitingFrom: null });
  });

  it('scrolls so the selected row is on screen, counting the title line', () => {
    // the first waiting row selected on a 4-line page: lines 2-5 (openat, close, title, nanosleep)
    expect(names(4, { selected: 4 })).toEqual({ rows: ['openat', 'close', 'nanosleep'], waitingFrom: 2, selected: 2, offset: 2, matching: 7 });
    // the last row: the title has scrolled away
    expect(names(3, { selected: 6 })).toEqual({ rows: ['nanosleep', 'poll', 'futex'], waitingFrom: null, selected: 2, offset: 4, matching: 7 });
    // the title on the top line
    expect(names(3, { selected: 5 })).toEqual({ rows: ['nanosleep', 'poll'], waitingFrom: 0, selected: 1, offset: 4, matching: 7 });
    // a selection past the end is clamped to the last row
    expect(names(3, { selected: 99 }).selected).toBe(2);
  });

  it('has no title line when only working or only waiting rows match', () => {
    expect(names(20, { filter: 'o' })).toMatchObject({ rows: ['openat', 'close', 'nanosleep', 'poll'], waitingFrom: 2 });
    expect(names(20, { filter: 'read' })).toMatchObject({ rows: ['read'], waitingFrom: null });
    // only waiting rows: the title still says what they are
    expect(names(20, { filter: 'sleep' })).toMatchObject({ rows: ['nanosleep'], waitingFrom: 0 });
    expect(names(20, { filter: 'zzz' })).toMatchObject({ rows: [], waitingFrom: null, selected: -1 });
  });
});

describe('tableWindow with waits counted in', () => {
  it('ranks all rows together, with no title line', () => {
    expect(names(20, { includeWaits: true })).toEqual({
      rows: ['nanosleep', 'poll', 'futex', 'read', 'write', 'openat', 'close'],
      waitingFrom: null,
      selected: 0,
      offset: 0,
      matching: 7,
    });
    expect(names(3, { includeWaits: true, selected: 4 })).toMatchObject({ rows: ['futex', 'read', 'write'], offset: 2, selected: 2 });
  });
});
