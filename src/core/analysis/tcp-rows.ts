// One row per (process, direction, port) of the kernel's TCP aggregates.
import type { Profile, TcpDirection } from '../model/profile.js';

// A process's connections to or on one port; latency fields are null without a timed handshake.
export interface TcpRow {
  readonly tgid: number;
  readonly comm: string;
  readonly direction: TcpDirection;
  readonly family: 'ipv4' | 'ipv6';
  readonly port: number;
  readonly established: number;
  readonly handshakes: number;
  readonly failed: number;
  readonly closed: number;
  readonly resets: number;
  // established and not yet ended at this snapshot
  readonly open: number;
  readonly retransmits: number;
  readonly handshakeP50Ns: number | null;
  readonly handshakeP99Ns: number | null;
  readonly handshakeMaxNs: number | null;
  // mean lifetime of the ended connections; null when none ended
  readonly avgLifeNs: number | null;
}

// The rows, most connections first; empty when TCP was not measured or nothing connected.
export function tcpRows(profile: Pick<Profile, 'tcp'>): TcpRow[] {
  return (profile.tcp ?? [])
    .filter((t) => t.established + t.failed + t.retransmits > 0)
    .map((t): TcpRow => {
      const timed = t.handshakes > 0;
      const ended = t.closed + t.resets;
      return {
        tgid: t.tgid,
        comm: t.comm,
        direction: t.direction,
        family: t.family,
        port: t.port,
        established: t.established,
        handshakes: t.handshakes,
        failed: t.failed,
        closed: t.closed,
        resets: t.resets,
        // an entry the kernel forgot (LRU) never ends: clamp
        open: Math.max(0, t.established - ended),
        retransmits: t.retransmits,
        handshakeP50Ns: timed ? t.handshake.percentile(0.5, t.handshakeMaxNs) : null,
        handshakeP99Ns: timed ? t.handshake.percentile(0.99, t.handshakeMaxNs) : null,
        handshakeMaxNs: timed ? t.handshakeMaxNs : null,
        avgLifeNs: ended > 0 ? t.lifeNs / ended : null,
      };
    })
    .sort((a, b) => b.established + b.failed - (a.established + a.failed) || a.tgid - b.tgid || a.port - b.port || a.direction.localeCompare(b.direction));
}
