import { describe, expect, it } from 'vitest';
import { BUFFER_BYTES } from '../../../../src/core/analysis/rules/small-io.js';
import { smallWrites, SMALL_WRITES_MIN_CALLS } from '../../../../src/core/analysis/rules/small-writes.js';
import type { SyscallEvent } from '../../../../src/core/model/events.js';
import { contextOf, contextWithoutFacts, read, times, write } from '../events.js';

const LOG = { path: '/var/log/app.log' };
const small = (n: number, fd = 3): SyscallEvent[] => times(n, (i) => write(fd, i * 100, 100, { ...LOG, durationNs: 2_000 }));
const large = (n: number, fd = 3): SyscallEvent[] => times(n, (i) => write(fd, 1e9 + i * 65536, 65536, { ...LOG, durationNs: 30_000 }));

describe('smallWrites', () => {
  it('fires for many small writes to one fd; saving: (count - ceil(bytes/64 KiB)) * per-call time', async () => {
    const found = smallWrites(await contextOf(small(200), 1e9));
    expect(found).toHaveLength(1);
    const f = found[0]!;
    expect(f).toMatchObject({ rule: 'small-writes', syscall: 'write', subject: { path: '/var/log/app.log', fd: 3, pid: 100 } });
    // 20,000 bytes fit one 64 KiB buffer: 199 calls saved at 2 us
    expect(f.savingNs).toBe(199 * 2_000);
    expect(f.metrics).toEqual({
      smallCalls: 200,
      calls: 200,
      smallShare: 1,
      smallBelowBytes: 4096,
      smallBytes: 20_000,
      avgBytes: 100,
      smallNs: 400_000,
      wallShare: 400_000 / 1e9,
      bufferBytes: BUFFER_BYTES,
      bufferedCalls: 1,
    });
  });

  it('needs enough bytes for several buffers before it counts them', async () => {
    // 1,000 writes of 100 B = 100,000 B = 2 buffers of 64 KiB
    const [f] = smallWrites(await contextOf(small(1000), 1e9));
    expect(f!.savingNs).toBe((1000 - Math.ceil(100_000 / BUFFER_BYTES)) * 2_000);
  });

  it.each<[string, SyscallEvent[], number]>([
    ['99 small writes', small(SMALL_WRITES_MIN_CALLS - 1), 0],
    ['100 small writes', small(SMALL_WRITES_MIN_CALLS), 1],
    ['100 small of 201 (under half)', [...small(100), ...large(101)], 0],
    ['100 small of 200 (half)', [...small(100), ...large(100)], 1],
    ['large writes only', large(500), 0],
    ['small writes spread over two fds', [...small(60, 3), ...small(60, 4)], 0],
    // one pattern, one finding: the fds are counted in it (see below)
    ['two fds each with many', [...small(100, 3), ...small(150, 4)], 1],
    ['failed writes are not small writes', times(200, () => write(3, 0, -28, LOG)), 0],
  ])('%s', async (_name, events, n) => {
    expect(smallWrites(await contextOf(events, 1e9))).toHaveLength(n);
  });

  it('says a pattern once: N fds with small writes are one finding, the others counted and added in', async () => {
    const found = smallWrites(await contextOf([...small(100, 3), ...small(150, 4), ...small(120, 5)], 1e9));
    expect(found).toHaveLength(1);
    // the fd with the most saving is named
    expect(found[0]!.subject).toEqual({ path: '/var/log/app.log', fd: 4, pid: 100, otherFds: 2 });
    expect(found[0]!.metrics).toMatchObject({ smallCalls: 370, calls: 370, smallNs: 370 * 2_000 });
    // each fd's own buffer: (100 - 1) + (150 - 1) + (120 - 1) calls saved at 2 us
    expect(found[0]!.savingNs).toBe((99 + 149 + 119) * 2_000);
  });

  it('leaves request/response sockets out: a reply cannot wait in a buffer for the next request', async () => {
    const SOCK = { path: 'socket:tcp 127.0.0.1:6379', durationNs: 2_000 };
    // a server's connection: one read of a request, one write of its reply, 300 times
    const served = times(300, (i) => [read(7, null, 40, SOCK, 16384), write(7, null, 30 + (i % 5), SOCK)]);
    expect(smallWrites(await contextOf(served, 1e9))).toEqual([]);
    // a socket only written to (a log shipper) is still a finding
    const shipped = times(300, () => write(8, null, 60, SOCK));
    expect(smallWrites(await contextOf(shipped, 1e9))).toHaveLength(1);
  });

  it('stays quiet without per-call facts', async () => {
    expect(smallWrites(await contextWithoutFacts(small(500), 1e9))).toEqual([]);
  });
});
