import { describe, expect, it } from 'vitest';
import { PIPELINE_DEPTH, REQUEST_RESPONSE_MIN, requestResponse } from '../../../../src/core/analysis/rules/request-response.js';
import type { SyscallEvent } from '../../../../src/core/model/events.js';
import { call, contextOf, contextWithoutFacts, times } from '../events.js';

// n requests on one connection of a Redis-like server: a read of the request, a read ending in EAGAIN, a write of the reply
function exchanges(n: number, pid: number, fd: number, replyBytes = 5): SyscallEvent[] {
  const path = `socket:[${1000 + fd}]`;
  return times(n, () => [
    call('read', [fd, 0, 16384], 31, { pid, tid: pid, path, durationNs: 2_000 }),
    call('read', [fd, 0, 16384], -11, { pid, tid: pid, path, durationNs: 500 }),
    call('write', [fd, 0, replyBytes], replyBytes, { pid, tid: pid, path, durationNs: 8_000 }),
  ]);
}

describe('requestResponse', () => {
  it('says all request/response sockets once; saving: the read and write time a pipeline would share', async () => {
    const events = [...exchanges(REQUEST_RESPONSE_MIN, 10, 7), ...exchanges(500, 10, 8)];
    const [f, ...rest] = requestResponse(await contextOf(events, 10e9));
    expect(rest).toEqual([]);
    const totalNs = 1500 * (2_000 + 500 + 8_000);
    expect(f).toMatchObject({ rule: 'request-response', syscall: 'write', subject: { pid: 10, fd: 7, path: 'socket:[1007]', sockets: 2, processes: 1 } });
    expect(f!.metrics).toMatchObject({ requests: 1500, calls: 4500, callsPerRequest: 3, failedReads: 1500, totalNs, nsPerRequest: totalNs / 1500, requestBytes: 31, responseBytes: 5, pipelineDepth: PIPELINE_DEPTH });
    expect(f!.savingNs).toBeCloseTo(totalNs * (1 - 1 / PIPELINE_DEPTH), 6);
  });

  it.each<[string, SyscallEvent[], number]>([
    ['too few requests', exchanges(REQUEST_RESPONSE_MIN - 1, 10, 7), 0],
    ['large responses amortize their calls', exchanges(REQUEST_RESPONSE_MIN, 10, 7, 64 * 1024), 0],
    // a stream written one way is not request/response (small-writes speaks of it)
    ['writes only', times(2000, () => call('write', [7, 0, 10], 10, { path: 'socket:[1]' })), 0],
    ['a file read and written alike is not a socket', times(2000, () => [call('read', [7, 0, 10], 10, { path: '/data/f' }), call('write', [7, 0, 10], 10, { path: '/data/f' })]), 0],
  ])('%s', async (_name, events, n) => {
    expect(requestResponse(await contextOf(events, 1e9))).toHaveLength(n);
  });

  it('stays quiet without per-call facts', async () => {
    expect(requestResponse(await contextWithoutFacts(exchanges(2000, 10, 7), 1e9))).toEqual([]);
  });
});
