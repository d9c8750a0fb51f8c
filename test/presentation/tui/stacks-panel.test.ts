// The live view with --stacks: Enter on a syscall shows its top stacks of the interval
// (the difference of two cumulative snapshots), nothing without stacks.
import { render } from 'ink-testing-library';
import { createElement } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import type { Profile } from '../../../src/core/model/profile.js';
import type { StackStats } from '../../../src/core/model/stacks.js';
import { LiveScreen } from '../../../src/presentation/tui/components/LiveScreen.js';
import { LiveFeed } from '../../../src/presentation/tui/live-feed.js';
import { diffStacks } from '../../../src/presentation/tui/model/interval.js';
import { INITIAL_STATE } from '../../../src/presentation/tui/state.js';
import { profileOf, statsOf } from '../../helpers/profile.js';
import { FSYNC_PATH, frame, stackDef, stackProfile, stackStats } from '../../helpers/stacks.js';

const OTHER = [frame('main'), frame('checkpoint'), frame('fsync')];
const DEFS = [stackDef(1, 10, FSYNC_PATH), stackDef(2, 10, OTHER)];

function snap(durationS: number, stats: StackStats[] | null): Profile {
  return profileOf({
    durationNs: durationS * 1e9,
    final: false,
    stopReason: null,
    target: { kind: 'all', follow: false },
    syscalls: [statsOf('fsync', 74, [1_000_000, 2_000_000, 3_000_000])],
    stacks: stats === null ? null : stackProfile(DEFS, stats),
  });
}

let unmount: (() => void) | null = null;
afterEach(() => {
  unmount?.();
  unmount = null;
});

function panelOf(...snaps: Profile[]): string {
  const feed = new LiveFeed();
  for (const s of snaps) feed.pushSnapshot(s);
  const r = render(createElement(LiveScreen, { frame: feed.frame, history: feed.history, state: { ...INITIAL_STATE, detailKey: 'fsync', panel: 'histogram' }, width: 120, height: 40, intervalMs: 1000, color: false }));
  unmount = r.unmount;
  return r.lastFrame() ?? '';
}

describe('interval stacks', () => {
  it('are what each (process, syscall, stack) added since the last snapshot', () => {
    const d = diffStacks(stackProfile(DEFS, [stackStats(10, 'fsync', 1, [1_000_000])]), stackProfile(DEFS, [stackStats(10, 'fsync', 1, [1_000_000, 4_000_000]), stackStats(10, 'fsync', 2, [2_000_000])]))!;
    expect(d.stats.map((s) => [s.stackId, s.count, s.totalNs, s.histogram.total])).toEqual([
      [1, 1, 4_000_000, 1],
      [2, 1, 2_000_000, 1],
    ]);
    expect(diffStacks(null, null)).toBeNull();
  });
});

describe('the detail panel of a syscall', () => {
  it('lists its top stacks of the interval', () => {
    const out = panelOf(snap(1, [stackStats(10, 'fsync', 1, [1_000_000])]), snap(2, [stackStats(10, 'fsync', 1, [1_000_000, 3_000_000, 3_000_000]), stackStats(10, 'fsync', 2, [2_000_000])]));
    expect(out).toContain('Where its slow calls come from (this interval)');
    expect(out).toMatch(/75%\s+2 calls\s+p99\s+3\.0 ms\s+main → ledger_run → ledger_durable_commit → fsync/);
    expect(out).toMatch(/25%\s+1 call\s+p99\s+2\.0 ms\s+main → checkpoint → fsync/);
  });

  it('says when no slow call had a stack, and has no stacks part without --stacks', () => {
    expect(panelOf(snap(1, [stackStats(10, 'fsync', 1, [1_000_000])]), snap(2, [stackStats(10, 'fsync', 1, [1_000_000])]))).toContain('no slow call with a stack in this interval');
    expect(panelOf(snap(1, null), snap(2, null))).not.toContain('Where its slow calls come from');
  });
});
