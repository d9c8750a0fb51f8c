import { describe, expect, it } from 'vitest';
import { BLOCKING_CALL_NS } from '../../../../src/core/analysis/facts/network-facts.js';
import { call, factsOf } from '../events.js';

describe('network facts', () => {
  it('counts long calls on blocking sockets, not on non-blocking ones, not accept', async () => {
    const n = (
      await factsOf([
        call('socket', [2, 1, 0], 3),
        call('socket', [2, 1 | 0o4000, 0], 4),
        call('recvfrom', [3, 0, 100, 0], 100, { durationNs: BLOCKING_CALL_NS, path: 'socket:tcp' }),
        call('recvfrom', [3, 0, 100, 0], 100, { durationNs: BLOCKING_CALL_NS - 1, path: 'socket:tcp' }),
        call('read', [3, 0, 100], 100, { durationNs: 5_000_000, path: 'socket:tcp', tid: 101 }),
        call('sendto', [4, 0, 100, 0], 100, { durationNs: 9_000_000, path: 'socket:tcp' }),
        call('accept', [5, 0, 0], 6, { durationNs: 9_000_000, path: 'socket:tcp' }),
        call('connect', [7, 0, 16], 0, { durationNs: 2_000_000, path: 'socket:tcp' }),
        // a read on a file is not network
        call('read', [8, 0, 100], 100, { durationNs: 9_000_000, path: '/data/file' }),
      ])
    ).network;
    expect(n).toEqual({
      calls: 5,
      nonBlockingCalls: 1,
      blockingCalls: 3,
      blockingNs: 8_000_000,
      blockingSockets: 2,
      blockingThreads: 2,
      bySyscall: [
        { syscall: 'read', calls: 1, totalNs: 5_000_000 },
        { syscall: 'connect', calls: 1, totalNs: 2_000_000 },
        { syscall: 'recvfrom', calls: 1, totalNs: 1_000_000 },
      ],
    });
  });
});
