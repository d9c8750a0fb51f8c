// Where the slow calls come from: stacks merged over processes by their text,
// ranked by time, shares and percentiles; folded lines; findings' top stacks.
import { describe, expect, it } from 'vitest';
import { withTopStacks } from '../../../src/core/analysis/finding-stacks.js';
import type { Finding } from '../../../src/core/analysis/findings.js';
import { foldedLines, stackSections, topStackOf } from '../../../src/core/analysis/stacks.js';
import { FSYNC_PATH, WRITE_PATH, frame, stackDef, stackProfile, stackStats } from '../../helpers/stacks.js';

const OTHER_FSYNC = [frame('main'), frame('checkpoint'), frame('fsync')];

// two processes with the same fsync path (different ids), one other fsync path, and writes
const PROFILE = stackProfile(
  [stackDef(1, 10, FSYNC_PATH), stackDef(2, 11, FSYNC_PATH), stackDef(3, 10, OTHER_FSYNC), stackDef(4, 10, WRITE_PATH, 'partial', 'stack slice too short')],
  [
    stackStats(10, 'fsync', 1, [1_000_000, 2_000_000, 3_000_000]),
    stackStats(11, 'fsync', 2, [4_000_000]),
    stackStats(10, 'fsync', 3, [2_000_000]),
    stackStats(10, 'write', 4, [500_000, 500_000]),
  ],
);

describe('stackSections', () => {
  it('merges one path of several processes and ranks stacks by their share of the syscall\'s slow time', () => {
    const [fsync, write] = stackSections(PROFILE);
    expect(fsync).toMatchObject({ syscall: 'fsync', calls: 5, totalNs: 12_000_000, omitted: 0 });
    expect(fsync!.stacks.map((r) => [r.names.join(';'), r.pids, r.calls, r.totalNs, r.share, r.maxNs])).toEqual([
      ['main;ledger_run;ledger_durable_commit;fsync', [10, 11], 4, 10_000_000, 10 / 12, 4_000_000],
      ['main;checkpoint;fsync', [10], 1, 2_000_000, 2 / 12, 2_000_000],
    ]);
    // percentiles from the merged histograms: within the layout's bucket of the true value
    expect(fsync!.stacks[0]!.p50Ns).toBeGreaterThanOrEqual(1_500_000);
    expect(fsync!.stacks[0]!.p50Ns).toBeLessThanOrEqual(2_500_000);
    expect(fsync!.stacks[0]!.p99Ns).toBe(4_000_000);
    expect(write!.stacks[0]).toMatchObject({ completeness: 'partial', reason: 'stack slice too short', share: 1 });
  });

  it('keeps the first stacks of the first syscalls and counts the rest', () => {
    const [fsync] = stackSections(PROFILE, 1, 1);
    expect(stackSections(PROFILE, 1, 1)).toHaveLength(1);
    expect(fsync!.stacks).toHaveLength(1);
    expect(fsync!.omitted).toBe(1);
  });

  it('has nothing for no stats, and a placeholder for an id never defined', () => {
    expect(stackSections(stackProfile([], []))).toEqual([]);
    const [s] = stackSections(stackProfile([], [stackStats(1, 'read', 9, [5])]));
    expect(s!.stacks[0]!.folded).toBe('[stack 9 not defined]');
  });
});

describe('folded lines', () => {
  it('values each (syscall, stack) by slow time or by calls, the syscall as the leaf', () => {
    expect(foldedLines(PROFILE)).toEqual([
      { stack: 'main;ledger_run;ledger_durable_commit;fsync;sys_fsync', value: 10_000_000 },
      { stack: 'main;checkpoint;fsync;sys_fsync', value: 2_000_000 },
      { stack: 'main;ledger_run;ledger_append;write;sys_write', value: 1_000_000 },
    ]);
    expect(foldedLines(PROFILE, 'calls').map((l) => l.value)).toEqual([4, 2, 1]);
  });
});

describe('findings quote the top stack', () => {
  const f = (syscall: string | null): Finding => ({ rule: 'x', severity: 'info', syscall, subject: {}, metrics: {}, savingNs: 0, savingShare: null });

  it('of the syscall each is about', () => {
    const [a, b, c] = withTopStacks([f('fsync'), f(null), f('read')], PROFILE);
    expect(a!.topStack!.names).toEqual(['main', 'ledger_run', 'ledger_durable_commit', 'fsync']);
    expect(b!.topStack).toBeUndefined();
    expect(c!.topStack).toBeUndefined();
    expect(withTopStacks([f('fsync')], null)[0]!.topStack).toBeUndefined();
    expect(topStackOf(PROFILE, 'write')!.calls).toBe(2);
  });
});
