import { describe, expect, it } from 'vitest';
import type { ConnectionGroup } from '../../../../src/core/analysis/facts/connection-facts.js';
import type { SyscallEvent } from '../../../../src/core/model/events.js';
import { call, factsOf } from '../events.js';

const TCP = 'socket:tcp';
const PEER = 'socket:tcp 10.0.0.1:80';

// A call of process `pid` starting at `at` us lasting `dur` us, with the path the fd table would give it.
function c(pid: number, at: number, dur: number, syscall: string, args: number[], ret: number, path: string | null = null, comm = 'client'): SyscallEvent {
  return call(syscall, args, ret, { pid, tid: pid, comm, startNs: at * 1_000, durationNs: dur * 1_000, path });
}

// One blocking HTTP-like exchange: socket, connect (100 us), a 100-byte request, a 500-byte response, EOF, close.
function blockingClient(pid: number, at: number, fd = 3): SyscallEvent[] {
  return [
    c(pid, at, 5, 'socket', [2, 1, 0], fd),
    c(pid, at + 10, 100, 'connect', [fd, 0, 16], 0, PEER),
    c(pid, at + 200, 10, 'write', [fd, 0, 100], 100, PEER),
    c(pid, at + 300, 4_710, 'read', [fd, 0, 4096], 500, PEER),
    c(pid, at + 5_100, 5, 'read', [fd, 0, 4096], 0, PEER),
    c(pid, at + 5_200, 20, 'close', [fd], 0, PEER),
  ];
}

async function groups(events: SyscallEvent[]): Promise<readonly ConnectionGroup[]> {
  return (await factsOf(events)).connections.groups;
}

describe('ConnectionCollector', () => {
  it('follows a blocking client connection from socket to close', async () => {
    const [g, ...rest] = await groups(blockingClient(10, 0));
    expect(rest).toEqual([]);
    expect(g).toMatchObject({ comm: 'client', direction: 'outbound', endpoint: '10.0.0.1:80', transport: 'tcp', connections: 1, bytesIn: 500, bytesOut: 100, reads: 1, writes: 1, requests: 1 });
    expect(g!.outcomes['peer-closed']).toBe(1);
    // connect: the blocking call's 100 us; first byte: response end (5010 us) - connect end (110 us)
    expect(g!.connect).toMatchObject({ count: 1, p50Ns: 100_000 });
    expect(g!.firstByteIn).toMatchObject({ count: 1, p50Ns: 4_900_000 });
    expect(g!.firstByteOut).toMatchObject({ p50Ns: 100_000 });
    expect(g!.firstResponse).toMatchObject({ p50Ns: 5_010_000 - 210_000 });
    // lifetime from socket() start to close() end
    expect(g!.lifetime).toMatchObject({ p50Ns: 5_220_000 });
    expect(g!.setupNs).toBe(105_000);
    expect(g!.teardownNs).toBe(20_000);
    expect(g!.maxIdleNs).toBe(300_000 - 210_000);
  });

  it.each([
    ['refused', 'refused', -111],
    ['timed out', 'timed-out', -110],
    ['unreachable', 'connect-failed', -101],
  ] as const)('a connect %s ends as %s, with no connect latency', async (_name, outcome, ret) => {
    const [g] = await groups([c(1, 0, 5, 'socket', [2, 1, 0], 3), c(1, 10, 50, 'connect', [3, 0, 16], ret, PEER), c(1, 100, 5, 'close', [3], 0, TCP)]);
    expect(g!.outcomes[outcome]).toBe(1);
    expect(g!.connect).toBeNull();
    expect(g!.endpoint).toBe('10.0.0.1:80');
  });

  it.each([
    ['ECONNRESET on a read', 'reset', 'read', -104],
    ['EPIPE on a write', 'reset', 'write', -32],
    ['ETIMEDOUT on a read', 'timed-out', 'read', -110],
  ] as const)('%s ends the connection as %s', async (_name, outcome, syscall, ret) => {
    const events = blockingClient(1, 0);
    events.splice(4, 1, c(1, 5_100, 5, syscall, [3, 0, 4096], ret, PEER));
    const [g] = await groups(events);
    expect(g!.outcomes[outcome]).toBe(1);
  });

  it('measures a non-blocking connect until getsockopt(SO_ERROR)', async () => {
    const [g] = await groups([
      c(1, 0, 5, 'socket', [2, 0o4001, 0], 3),
      c(1, 10, 20, 'connect', [3, 0, 16], -115, PEER),
      c(1, 30, 2_000, 'epoll_wait', [4, 0, 8, -1], 1),
      c(1, 2_040, 2, 'getsockopt', [3, 1, 4, 0, 0], 0, PEER),
      c(1, 2_100, 5, 'sendto', [3, 0, 64, 0], 64, PEER),
    ]);
    expect(g!.connect).toMatchObject({ count: 1, p50Ns: 2_042_000 - 10_000 });
    expect(g!.nonBlockingConnects).toBe(1);
    // still open at the end of the capture
    expect(g!.outcomes.open).toBe(1);
    expect(g!.lifetime).toBeNull();
  });

  it('counts a server\'s accepted connections under its listening address, accept blocking not a cost', async () => {
    const LISTEN = 'socket:tcp 0.0.0.0:8080';
    const events = [
      c(2, 0, 5, 'socket', [2, 1, 0], 5, null, 'server'),
      c(2, 10, 5, 'bind', [5, 0, 16], 0, TCP, 'server'),
      c(2, 20, 5, 'listen', [5, 128], 0, LISTEN, 'server'),
      ...[0, 1].flatMap((k) => {
        const t = 100 + k * 10_000;
        const peer = `socket:tcp 127.0.0.1:${40000 + k}`;
        return [
          c(2, t, 5_000, 'accept4', [5, 0, 0, 0], 6, LISTEN, 'server'),
          c(2, t + 5_010, 10, 'read', [6, 0, 4096], 80, peer, 'server'),
          c(2, t + 5_100, 10, 'write', [6, 0, 300], 300, peer, 'server'),
          c(2, t + 5_200, 5, 'close', [6], 0, peer, 'server'),
        ];
      }),
    ];
    const [g, ...rest] = await groups(events);
    expect(rest).toEqual([]);
    expect(g).toMatchObject({ comm: 'server', direction: 'inbound', endpoint: '0.0.0.0:8080', connections: 2, requests: 2, bytesIn: 160, bytesOut: 600, maxConcurrent: 1 });
    expect(g!.outcomes.closed).toBe(2);
    // a blocking accept (flags unknown, no off-CPU time) costs nothing: only the closes count
    expect(g!.setupNs).toBe(0);
    expect(g!.teardownNs).toBe(10_000);
    // the request's read ends 20 us after accept returned
    expect(g!.firstByteIn).toMatchObject({ p50Ns: 20_000 });
  });

  it('a socket closed while its non-blocking connect is in progress is abandoned, not failed', async () => {
    const [g] = await groups([c(1, 0, 5, 'socket', [2, 0o4001, 0], 3), c(1, 10, 20, 'connect', [3, 0, 16], -115, PEER), c(1, 100, 5, 'close', [3], 0, PEER)]);
    expect(g!.outcomes).toMatchObject({ abandoned: 1, 'connect-failed': 0 });
    expect(g!.connect).toBeNull();
  });

  it('counts the on-CPU part of an accept when the capture has off-CPU times', async () => {
    const [g] = await groups([
      { ...c(2, 0, 1_000, 'accept', [5, 0, 0], 6, 'socket:tcp 0.0.0.0:80', 'server'), offCpuNs: 990_000 },
      c(2, 2_000, 5, 'close', [6], 0, 'socket:tcp 127.0.0.1:4000', 'server'),
    ]);
    expect(g!.setupNs).toBe(10_000);
  });

  it('keeps a socket inherited over fork apart: the child\'s use is of unknown origin, the parent\'s connection is its own', async () => {
    const parent = blockingClient(10, 0).slice(0, 3);
    const child = [c(11, 400, 100, 'read', [3, 0, 4096], 500, PEER, 'child'), c(11, 600, 5, 'close', [3], 0, PEER, 'child')];
    const parentEnd = [c(10, 700, 5, 'close', [3], 0, PEER)];
    const facts = (await factsOf([...parent, ...child, ...parentEnd])).connections;
    expect(facts.unknownOrigin).toBe(1);
    const byComm = new Map(facts.groups.map((g) => [g.comm, g]));
    expect(byComm.get('client')).toMatchObject({ direction: 'outbound', connections: 1, bytesIn: 0, bytesOut: 100 });
    expect(byComm.get('client')!.firstByteIn).toBeNull();
    expect(byComm.get('child')).toMatchObject({ direction: 'unknown', connections: 1, bytesIn: 500, connect: null, firstByteIn: null, lifetime: null });
  });

  it('does not follow an fd received with SCM_RIGHTS whose description is unknown', async () => {
    const facts = (await factsOf([
      c(3, 0, 10, 'recvmsg', [4, 0, 0], 1, 'socket:unix /run/pass.sock'),
      c(3, 20, 10, 'read', [9, 0, 4096], 100, null),
      c(3, 40, 10, 'write', [9, 0, 10], 10, null),
    ])).connections;
    expect(facts.connections).toBe(0);
    expect(facts.groups).toEqual([]);
  });

  it('counts requests written in small pieces and answered ~40 ms later as delayed-ACK stalls', async () => {
    const events = [c(1, 0, 5, 'socket', [2, 1, 0], 3), c(1, 10, 50, 'connect', [3, 0, 16], 0, PEER)];
    let t = 100;
    for (let k = 0; k < 3; k++) {
      events.push(c(1, t, 5, 'write', [3, 0, 20], 20, PEER), c(1, t + 10, 5, 'write', [3, 0, 30], 30, PEER), c(1, t + 20, 40_000, 'read', [3, 0, 100], 100, PEER));
      t += 41_000;
    }
    // one request in one write, answered at once
    events.push(c(1, t, 5, 'write', [3, 0, 50], 50, PEER), c(1, t + 10, 50, 'read', [3, 0, 100], 100, PEER));
    const [g] = await groups(events);
    expect(g).toMatchObject({ splitRequests: 3, stalls: 3, stallReadNs: 120_000_000, wholeRequests: 1, wholeResponseP50Ns: 55_000, requests: 4 });
  });

  it('counts no stall once TCP_NODELAY is set', async () => {
    const events = [c(1, 0, 5, 'socket', [2, 1, 0], 3), c(1, 10, 50, 'connect', [3, 0, 16], 0, PEER), c(1, 70, 2, 'setsockopt', [3, 6, 1, 0, 4], 0, PEER)];
    events.push(c(1, 100, 5, 'write', [3, 0, 20], 20, PEER), c(1, 110, 5, 'write', [3, 0, 30], 30, PEER), c(1, 120, 40_000, 'read', [3, 0, 100], 100, PEER));
    const [g] = await groups(events);
    expect(g).toMatchObject({ splitRequests: 0, stalls: 0, noDelay: 1 });
  });

  it('follows neither UDP sockets nor listening sockets', async () => {
    const facts = (await factsOf([
      c(1, 0, 5, 'socket', [2, 2, 0], 3),
      c(1, 10, 5, 'connect', [3, 0, 16], 0, 'socket:udp 10.0.0.1:53'),
      c(1, 20, 5, 'sendto', [3, 0, 40, 0], 40, 'socket:udp 10.0.0.1:53'),
      c(1, 30, 5, 'socket', [2, 1, 0], 4),
      c(1, 40, 5, 'listen', [4, 10], 0, 'socket:tcp 0.0.0.0:1'),
      c(1, 50, 5, 'close', [4], 0, 'socket:tcp 0.0.0.0:1'),
    ])).connections;
    expect(facts.connections).toBe(0);
  });

  it('ends the connections close_range closes, counts concurrency and reuse of an fd number', async () => {
    const events = [
      c(1, 0, 5, 'socket', [2, 1, 0], 3),
      c(1, 10, 5, 'connect', [3, 0, 16], 0, PEER),
      c(1, 20, 5, 'socket', [2, 1, 0], 4),
      c(1, 30, 5, 'connect', [4, 0, 16], 0, PEER),
      c(1, 40, 5, 'close_range', [3, 0xffffffff, 0], 0),
      c(1, 50, 5, 'socket', [2, 1, 0], 3),
      c(1, 60, 5, 'connect', [3, 0, 16], 0, PEER),
    ];
    const [g] = await groups(events);
    expect(g).toMatchObject({ connections: 3, maxConcurrent: 2 });
    expect(g!.outcomes).toMatchObject({ closed: 2, open: 1 });
  });

  it('has no connections for a capture without calls (empty data)', async () => {
    expect((await factsOf([])).connections).toEqual({ groups: [], connections: 0, unknownOrigin: 0, untracked: 0, foldedGroups: 0 });
  });
});
