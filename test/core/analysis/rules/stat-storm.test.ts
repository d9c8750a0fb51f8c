import { describe, expect, it } from 'vitest';
import { statStorm, STAT_STORM_MIN_CALLS } from '../../../../src/core/analysis/rules/stat-storm.js';
import type { SyscallEvent } from '../../../../src/core/model/events.js';
import { call, contextOf, contextWithoutFacts, times } from '../events.js';

// n lookups spread round-robin over `paths` paths
const lookups = (n: number, paths: number, syscall = 'newfstatat'): SyscallEvent[] =>
  times(n, (i) => call(syscall, [-100, 0, 0, 0], 0, { path: `/srv/app/file${i % paths}`, durationNs: 1_000 + (i % 2) * 1_000 }));

describe('statStorm', () => {
  it('fires for repeated lookups; saving: repeated lookups * average lookup', async () => {
    const [f, ...rest] = statStorm(await contextOf(lookups(200, 10), 1e9));
    expect(rest).toEqual([]);
    expect(f).toMatchObject({ rule: 'stat-storm', syscall: 'newfstatat', metrics: { lookups: 200, paths: 10, repeated: 190, repeatedShare: 0.95, totalNs: 300_000 } });
    // 190 repeats at an average of 1.5 us
    expect(f!.savingNs).toBe(190 * 1_500);
    expect(f!.subject.paths[0]).toEqual({ path: '/srv/app/file0', lookups: 20, failures: 0 });
  });

  it.each<[string, SyscallEvent[], number]>([
    ['99 lookups', lookups(STAT_STORM_MIN_CALLS - 1, 1), 0],
    ['100 lookups', lookups(STAT_STORM_MIN_CALLS, 1), 1],
    ['49% repeated', lookups(100, 51), 0],
    ['50% repeated', lookups(100, 50), 1],
    ['access counts too', lookups(100, 2, 'access'), 1],
    ['all different paths', lookups(500, 500), 0],
  ])('%s', async (_name, events, n) => {
    expect(statStorm(await contextOf(events, 1e9))).toHaveLength(n);
  });

  it('stays quiet without per-call facts', async () => {
    expect(statStorm(await contextWithoutFacts(lookups(500, 1), 1e9))).toEqual([]);
  });
});
