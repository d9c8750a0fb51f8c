import { describe, expect, it } from 'vitest';
import { CHURN_MIN_CONNECTIONS, connectionChurn } from '../../../../src/core/analysis/rules/connection-churn.js';
import { CONN_ERRORS_MIN, connectionErrors } from '../../../../src/core/analysis/rules/connection-errors.js';
import { blockingNetwork } from '../../../../src/core/analysis/rules/blocking-network.js';
import { NAGLE_MIN_STALLS, nagleStall } from '../../../../src/core/analysis/rules/nagle-stall.js';
import { SLOW_FIRST_BYTE_NS, slowFirstByte } from '../../../../src/core/analysis/rules/slow-first-byte.js';
import type { SyscallEvent } from '../../../../src/core/model/events.js';
import { shortConnections, sock } from '../connection-events.js';
import { contextOf, contextWithoutFacts } from '../events.js';

const PEER = 'socket:tcp 10.0.0.1:80';

// One connection carrying `n` requests, each written as header + body (20 + 30 bytes) and answered `waitUs` later.
function splitRequests(n: number, waitUs: number, whole = 0, wholeWaitUs = 50): SyscallEvent[] {
  const out = [sock(1, 0, 5, 'socket', [2, 1, 0], 3), sock(1, 10, 50, 'connect', [3, 0, 16], 0, PEER)];
  let t = 100;
  for (let k = 0; k < n; k++) {
    out.push(sock(1, t, 5, 'write', [3, 0, 20], 20, PEER), sock(1, t + 10, 5, 'write', [3, 0, 30], 30, PEER), sock(1, t + 20, waitUs, 'recvfrom', [3, 0, 100, 0], 10, PEER));
    t += 30 + waitUs;
  }
  for (let k = 0; k < whole; k++) {
    out.push(sock(1, t, 5, 'write', [3, 0, 50], 50, PEER), sock(1, t + 10, wholeWaitUs, 'recvfrom', [3, 0, 100, 0], 10, PEER));
    t += 20 + wholeWaitUs;
  }
  return out;
}

describe('connectionChurn', () => {
  it('finds many one-request connections to one peer; saving: open+close cost x the connections a pool avoids', async () => {
    const [f, ...rest] = connectionChurn(await contextOf(shortConnections(100), 1e9));
    expect(rest).toEqual([]);
    const [g] = f!.subject.groups;
    // per connection: socket 5 us + connect 100 us + close 20 us; one open at a time: 99 avoidable
    expect(g).toMatchObject({ direction: 'outbound', endpoint: '10.0.0.1:80', connections: 100, requestsPerConnection: 1, maxConcurrent: 1, avoidable: 99, costNs: 100 * 125_000 });
    expect(f!.savingNs).toBeCloseTo(99 * 125_000, 3);
    expect(f!.savingNs).toBeLessThanOrEqual(f!.metrics.costNs);
    expect(f).toMatchObject({ rule: 'connection-churn', syscall: 'connect' });
  });

  it.each<[string, SyscallEvent[]]>([
    ['too few connections', shortConnections(CHURN_MIN_CONNECTIONS - 1)],
    ['connections reused for many requests', shortConnections(100, { requests: 5 })],
    ['no connections', []],
  ])('stays quiet: %s', async (_name, events) => {
    expect(connectionChurn(await contextOf(events, 1e9))).toEqual([]);
  });

  it('stays quiet without per-call facts', async () => {
    expect(connectionChurn(await contextWithoutFacts(shortConnections(100), 1e9))).toEqual([]);
  });
});

describe('nagleStall', () => {
  it('finds split requests answered after a delayed ACK, and claims their blocked reads from blocking-network', async () => {
    const ctx = await contextOf(splitRequests(12, 40_000, 3), 1e9);
    const [f, ...rest] = nagleStall(ctx);
    expect(rest).toEqual([]);
    expect(f!.subject.groups[0]).toMatchObject({ splitRequests: 12, stalls: 12, stallReadNs: 12 * 40e6, wholeRequests: 3, wholeResponseP50Ns: 55_000, stallBlockingCalls: 12 });
    // a whole request waited 55 us (its write ended 5 us after it started, its read 60 us): the stalls wait beyond that
    expect(f!.savingNs).toBeCloseTo(12 * (40e6 - 55_000), 3);
    expect(f!.syscall).toBe('recvfrom');
    expect(blockingNetwork(ctx)).toEqual([]);
  });

  it.each<[string, SyscallEvent[]]>([
    ['too few stalls', splitRequests(NAGLE_MIN_STALLS - 1, 40_000)],
    ['answered at once', splitRequests(20, 200)],
    ['whole requests wait as long: the peer is slow, not Nagle', splitRequests(20, 40_000, 5, 45_000)],
    ['waits far beyond a delayed ACK', splitRequests(20, 500_000)],
  ])('stays quiet: %s', async (_name, events) => {
    expect(nagleStall(await contextOf(events, 60e9))).toEqual([]);
  });
});

describe('slowFirstByte', () => {
  it('finds first responses far slower than a connect: the server\'s time', async () => {
    const [f] = slowFirstByte(await contextOf(shortConnections(5, { responseUs: 200_000 }), 2e9));
    const [g] = f!.subject.groups;
    // the first response ends 200 ms + 20 us after the request's write ended
    expect(g).toMatchObject({ connections: 5, connectP50Ns: 100_000, firstResponseP50Ns: 200_010_000, serverNs: 200_010_000 - 100_000, syscall: 'read' });
    expect(f!.savingNs).toBe(0);
  });

  it.each<[string, SyscallEvent[]]>([
    ['fast responses', shortConnections(5, { responseUs: 500 })],
    ['slow, but the network is as slow (connect 50 ms)', shortConnections(5, { responseUs: SLOW_FIRST_BYTE_NS / 1000, connectUs: 50_000 })],
    ['too few connections', shortConnections(2, { responseUs: 300_000 })],
  ])('stays quiet: %s', async (_name, events) => {
    expect(slowFirstByte(await contextOf(events, 10e9))).toEqual([]);
  });
});

describe('connectionErrors', () => {
  const refused = (n: number): SyscallEvent[] =>
    Array.from({ length: n }, (_, k) => [sock(1, k * 100, 5, 'socket', [2, 1, 0], 3), sock(1, k * 100 + 10, 30, 'connect', [3, 0, 16], -111, PEER), sock(1, k * 100 + 50, 5, 'close', [3], 0, 'socket:tcp')]).flat();

  it('counts refused connects, about connect', async () => {
    const [f] = connectionErrors(await contextOf([...refused(4), ...shortConnections(6, { at: 1_000 })], 1e9));
    expect(f).toMatchObject({ rule: 'connection-errors', syscall: 'connect', savingNs: 0 });
    expect(f!.metrics).toMatchObject({ connections: 10, failed: 4, refused: 4, reset: 0, failedShare: 0.4 });
  });

  it('stays quiet below the minimum', async () => {
    expect(connectionErrors(await contextOf(refused(CONN_ERRORS_MIN - 1), 1e9))).toEqual([]);
  });
});
