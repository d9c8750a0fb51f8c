import { describe, expect, it } from 'vitest';
import { MAX_PATHS } from '../../../../src/core/analysis/facts/path-facts.js';
import { call, factsOf, openat, times } from '../events.js';

const AT_EMPTY_PATH = 0x1000;

describe('path facts', () => {
  it('counts opens, failures, ENOENT, closes, lookups and syncs per path', async () => {
    const facts = await factsOf([
      openat('/etc/app.conf', 3, 0, { durationNs: 3_000 }),
      call('close', [3], 0, { path: '/etc/app.conf', durationNs: 500 }),
      openat('/etc/app.conf', -2, 0, { durationNs: 1_000 }),
      openat('/etc/app.conf', -13, 0, { durationNs: 800 }),
      call('newfstatat', [-100, 0, 0, 0], 0, { path: '/etc/app.conf', durationNs: 400 }),
      call('access', [0, 4], -2, { path: '/etc/app.conf', durationNs: 300 }),
      call('fsync', [3], 0, { path: '/etc/app.conf', durationNs: 9_000 }),
    ]);
    expect(facts.paths.paths).toEqual([
      {
        path: '/etc/app.conf',
        opens: 3,
        openProcesses: 1,
        reopens: 0,
        openFailures: 2,
        openEnoent: 1,
        openNs: 4_800,
        failedOpenNs: 1_800,
        enoentNs: 1_000,
        closes: 1,
        closeNs: 500,
        stats: 2,
        statNs: 700,
        statFailures: 1,
        syncs: 1,
        syncNs: 9_000,
      },
    ]);
  });

  it('does not count fstat done as newfstatat/statx with AT_EMPTY_PATH as a path lookup', async () => {
    const facts = await factsOf([
      call('newfstatat', [3, 0, 0, AT_EMPTY_PATH], 0, { path: '/data/file' }),
      call('statx', [3, 0, AT_EMPTY_PATH, 0x7ff, 0], 0, { path: '/data/file' }),
    ]);
    expect(facts.paths.paths).toEqual([]);
  });

  it('counts opens without a path apart, and keeps at most MAX_PATHS paths', async () => {
    const facts = await factsOf([openat('x', 3, 0, { path: null }), ...times(MAX_PATHS + 3, (i) => openat(`/p/${i}`, -2))]);
    expect(facts.paths.unknownPathOpens).toBe(1);
    expect(facts.paths.paths).toHaveLength(MAX_PATHS);
    expect(facts.paths.otherCalls).toBe(3);
  });

  it('tells reopens by the same process from one open by each of many processes', async () => {
    const facts = await factsOf([
      ...[1, 2, 3].map((pid) => openat('/etc/ld.so.cache', 3, 0, { pid, tid: pid })),
      openat('/etc/app.conf', 3, 0, { pid: 7, tid: 7 }),
      openat('/etc/app.conf', 4, 0, { pid: 7, tid: 7 }),
      openat('/etc/app.conf', 5, 0, { pid: 7, tid: 7 }),
      openat('/etc/app.conf', -2, 0, { pid: 7, tid: 7 }),
    ]);
    const by = new Map(facts.paths.paths.map((p) => [p.path, p]));
    expect(by.get('/etc/ld.so.cache')).toMatchObject({ opens: 3, openProcesses: 3, reopens: 0 });
    expect(by.get('/etc/app.conf')).toMatchObject({ opens: 4, openProcesses: 1, reopens: 2 });
  });
});
