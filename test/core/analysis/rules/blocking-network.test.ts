import { describe, expect, it } from 'vitest';
import { blockingNetwork, BLOCKING_MIN_CALLS } from '../../../../src/core/analysis/rules/blocking-network.js';
import type { SyscallEvent } from '../../../../src/core/model/events.js';
import { call, contextOf, contextWithoutFacts, times } from '../events.js';

// n recvfroms of 5 ms on blocking sockets (round-robin over `sockets` fds from 10)
const recvs = (n: number, sockets = 1, flags = 0): SyscallEvent[] => [
  ...times(sockets, (k) => call('socket', [2, 1 | flags, 0], 10 + k)),
  ...times(n, (i) => call('recvfrom', [10 + (i % sockets), 0, 4096, 0], 100, { durationNs: 5_000_000, path: 'socket:tcp' })),
];

describe('blockingNetwork', () => {
  it('fires for long calls on blocking sockets; saving: (1 - 1/2) with one socket', async () => {
    const [f, ...rest] = blockingNetwork(await contextOf(recvs(20), 0.5e9));
    expect(rest).toEqual([]);
    expect(f).toMatchObject({ rule: 'blocking-network', syscall: 'recvfrom', severity: 'critical' });
    expect(f!.savingNs).toBe(100e6 / 2);
  });

  it('overlaps k sockets: saving (1 - 1/k)', async () => {
    const [f] = blockingNetwork(await contextOf(recvs(20, 4), 0.5e9));
    expect(f!.savingNs).toBe(100e6 * (3 / 4));
  });

  it.each<[string, SyscallEvent[], number, number]>([
    ['9 calls', recvs(BLOCKING_MIN_CALLS - 1), 0.1e9, 0],
    ['10 calls', recvs(BLOCKING_MIN_CALLS), 0.1e9, 1],
    ['non-blocking sockets', recvs(50, 1, 0o4000), 0.5e9, 0],
    // 20 x 5 ms = 100 ms: 10% of 1 s is enough, of 1.001 s not
    ['at 10% of wall time', recvs(20), 1e9, 1],
    ['under 10% of wall time', recvs(20), 1.001e9, 0],
  ])('%s', async (_name, events, duration, n) => {
    expect(blockingNetwork(await contextOf(events, duration))).toHaveLength(n);
  });

  it('stays quiet without per-call facts', async () => {
    expect(blockingNetwork(await contextWithoutFacts(recvs(50), 0.5e9))).toEqual([]);
  });
});
