// The kernel's TCP figures through the wire: TcpStats frames into Profile.tcp, and the checks on them.
import { describe, expect, it } from 'vitest';
import { InvalidFrameError } from '../../../src/core/wire/frame-errors.js';
import { FrameSession } from '../../../src/core/wire/session.js';
import { syscallprof } from '../../../src/core/wire/proto.js';
import { decodeFrame } from '../../../src/core/wire/wire.js';
import { bucketIndex } from '../../../src/core/model/histogram-layout.js';
import { COARSE, encodeFrame, headerFrame, snapshotFrame } from '../../helpers/frames.js';

const { TcpDirection, TcpFamily } = syscallprof;

function run(frames: Record<string, unknown>[]) {
  const session = new FrameSession('test stream');
  let last = null;
  let offset = 0;
  for (const f of frames) {
    last = session.accept({ offset, frame: decodeFrame(encodeFrame(f)) });
    offset += 100;
  }
  return last!;
}

// a TcpStats whose handshake histogram holds exactly these times
function tcpOf(tgid: number, port: number, direction: number, handshakes: readonly number[], extra: Record<string, unknown> = {}): Record<string, unknown> {
  const buckets = new Map<number, number>();
  for (const v of handshakes) buckets.set(bucketIndex(COARSE, v), (buckets.get(bucketIndex(COARSE, v)) ?? 0) + 1);
  const sorted = [...buckets].sort((a, b) => a[0] - b[0]);
  return {
    tgid,
    port,
    family: TcpFamily.TCP_FAMILY_IPV4,
    direction,
    handshakes: handshakes.length,
    established: handshakes.length,
    handshakeNs: handshakes.reduce((a, b) => a + b, 0),
    handshakeMaxNs: handshakes.length === 0 ? 0 : Math.max(...handshakes),
    bucketIndex: sorted.map(([i]) => i),
    bucketCount: sorted.map(([, c]) => c),
    ...extra,
  };
}

describe('TCP stats conversion', () => {
  it('turns TcpStats into Profile.tcp, with the comm, direction, family and the handshake histogram in the coarse layout', () => {
    const p = run([
      headerFrame({ tcp: true }),
      snapshotFrame({
        procs: [{ tgid: 7, comm: 'curl' }],
        tcp: [
          tcpOf(7, 443, TcpDirection.TCP_DIRECTION_CONNECT, [20_000, 30_000, 900_000], { failed: 2, closed: 1, resets: 1, retransmits: 4, lifeNs: 5000 }),
          tcpOf(7, 8080, TcpDirection.TCP_DIRECTION_ACCEPT, [], { established: 5, family: TcpFamily.TCP_FAMILY_IPV6 }),
        ],
        health: { tcpDrops: 3 },
      }),
    ]);
    expect(p.tcp).toHaveLength(2);
    const [accept, connect] = [p.tcp!.find((t) => t.direction === 'accept')!, p.tcp!.find((t) => t.direction === 'connect')!];
    expect(connect).toMatchObject({ tgid: 7, comm: 'curl', family: 'ipv4', port: 443, handshakes: 3, established: 3, failed: 2, closed: 1, resets: 1, retransmits: 4, lifeNs: 5000, handshakeNs: 950_000, handshakeMaxNs: 900_000 });
    expect(connect.handshake.total).toBe(3);
    expect(connect.handshake.layout).toEqual(COARSE);
    expect(accept).toMatchObject({ family: 'ipv6', port: 8080, established: 5, handshakes: 0 });
    expect(accept.handshake.total).toBe(0);
    expect(p.health.tcpDrops).toBe(3);
  });

  it('says not measured (null) when the header does not announce TCP, and empty when nothing connected', () => {
    expect(run([headerFrame(), snapshotFrame()]).tcp).toBeNull();
    expect(run([headerFrame(), snapshotFrame()]).health.tcpDrops).toBeUndefined();
    expect(run([headerFrame({ tcp: true }), snapshotFrame()]).tcp).toEqual([]);
  });

  it.each([
    ['TCP stats the header did not announce', [headerFrame(), snapshotFrame({ tcp: [tcpOf(4, 80, TcpDirection.TCP_DIRECTION_CONNECT, [1000])] })], /TCP stats in a stream whose header did not announce them/],
    ['tgid 0', [headerFrame({ tcp: true }), snapshotFrame({ tcp: [tcpOf(0, 80, TcpDirection.TCP_DIRECTION_CONNECT, [1000])] })], /TCP stats with tgid 0/],
    ['a port above 65535', [headerFrame({ tcp: true }), snapshotFrame({ tcp: [tcpOf(4, 70000, TcpDirection.TCP_DIRECTION_CONNECT, [1000])] })], /port above 65535/],
    ['no direction', [headerFrame({ tcp: true }), snapshotFrame({ tcp: [tcpOf(4, 80, TcpDirection.TCP_DIRECTION_UNSPECIFIED, [1000])] })], /no direction or family/],
    [
      'an entry twice',
      [headerFrame({ tcp: true }), snapshotFrame({ tcp: [tcpOf(4, 80, TcpDirection.TCP_DIRECTION_CONNECT, [1000]), tcpOf(4, 80, TcpDirection.TCP_DIRECTION_CONNECT, [1000])] })],
      /listed twice/,
    ],
    [
      'a bucket outside the layout',
      [headerFrame({ tcp: true }), snapshotFrame({ tcp: [tcpOf(4, 80, TcpDirection.TCP_DIRECTION_CONNECT, [], { bucketIndex: [COARSE.buckets], bucketCount: [1] })] })],
      /bucket index \d+ is outside/,
    ],
  ])('rejects %s', (_name, frames, message) => {
    let err: unknown;
    try {
      run(frames);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(InvalidFrameError);
    expect((err as Error).message).toMatch(message);
  });
});
