// Reading TcpExt's listen counters from /proc/net/netstat.
import { describe, expect, it } from 'vitest';
import { listenBetween, parseListenCounters, readListenCounters } from '../../../src/core/system/netstat.js';

const TEXT = [
  'TcpExt: SyncookiesSent SyncookiesRecv ListenOverflows ListenDrops TCPHPHits',
  'TcpExt: 0 0 7 9 100',
  'IpExt: InNoRoutes',
  'IpExt: 0',
  '',
].join('\n');

describe('listen counters', () => {
  it('reads ListenOverflows and ListenDrops by name', () => {
    expect(parseListenCounters(TEXT)).toEqual({ overflows: 7, drops: 9 });
    expect(parseListenCounters('IpExt: A\nIpExt: 1\n')).toEqual({ overflows: null, drops: null });
  });
  it('gives the change between two readings, null when a reading lacks them', () => {
    expect(listenBetween({ overflows: 7, drops: 9 }, { overflows: 11, drops: 15 })).toEqual({ overflows: 4, drops: 6 });
    expect(listenBetween({ overflows: null, drops: 0 }, { overflows: 1, drops: 1 })).toBeNull();
  });
  it('reads this machine', () => {
    expect(readListenCounters().overflows).toEqual(expect.any(Number));
  });
});
