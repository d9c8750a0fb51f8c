// The exported TCP series: the kernel's per-(process, port) connection counts
// turned into monotonic counters per peer label ("ipv4:5432") and direction.
// As for the syscall series, each snapshot's deltas are added, so counters
// never go down when a process exits or the loader restarts; peer label sets
// beyond the cap go into one `other` series.
import type { Profile, TcpPeerStats } from '../../core/model/profile.js';
import { BOUNDS_NS, foldHistogram } from './bounds.js';
import { OTHER } from './labels.js';

// How a connection ended, as the `outcome` label says it.
export const TCP_OUTCOMES = ['closed', 'reset', 'failed'] as const;

// One exported (peer, direction) series, cumulative.
export interface TcpSeriesValues {
  readonly labels: { readonly peer: string; readonly direction: string };
  // connect only: handshake times, per exported bucket (+Inf last), and their sum
  readonly handshakeBuckets: number[];
  handshakeSumNs: number;
  established: number;
  closed: number;
  reset: number;
  failed: number;
  retransmits: number;
}

// one reading of one kernel entry
interface Reading {
  readonly buckets: number[];
  readonly handshakeNs: number;
  readonly established: number;
  readonly closed: number;
  readonly reset: number;
  readonly failed: number;
  readonly retransmits: number;
}

// The peer label of a kernel entry: family and port (the peer's for connect, the local one for accept).
export function tcpPeer(t: Pick<TcpPeerStats, 'family' | 'port'>): string {
  return `${t.family}:${t.port}`;
}

function readingOf(t: TcpPeerStats): Reading {
  return {
    buckets: foldHistogram(t.handshake),
    handshakeNs: t.handshakeNs,
    established: t.established,
    closed: t.closed,
    reset: t.resets,
    failed: t.failed,
    retransmits: t.retransmits,
  };
}

// Snapshots' TCP entries in, cumulative series out.
export class TcpSeries {
  // a snapshot carried TCP figures (the loader measures them): the families are exported
  measured = false;
  // peer label sets folded into `other` (each once)
  folds = 0;
  private readonly series = new Map<string, TcpSeriesValues>();
  private readonly last = new Map<string, Reading>();
  private readonly foldNoted = new Set<string>();

  constructor(private readonly maxSeries: number) {}

  // A new loader run: every entry starts again from zero.
  newSession(): void {
    this.last.clear();
  }

  // Takes one cumulative snapshot.
  update(profile: Pick<Profile, 'tcp'>): void {
    if (profile.tcp == null) return;
    this.measured = true;
    for (const t of profile.tcp) {
      const entry = `${t.tgid}/${t.direction}/${t.family}/${t.port}`;
      const now = readingOf(t);
      const before = this.last.get(entry);
      this.last.set(entry, now);
      // a reused pid's new entry, or a restart, counts from zero
      const restarted = before !== undefined && (now.established < before.established || now.failed < before.failed || now.retransmits < before.retransmits);
      const from = before === undefined || restarted ? null : before;
      const target = this.resolve(tcpPeer(t), t.direction);
      now.buckets.forEach((c, i) => (target.handshakeBuckets[i]! += Math.max(0, c - (from?.buckets[i] ?? 0))));
      target.handshakeSumNs += Math.max(0, now.handshakeNs - (from?.handshakeNs ?? 0));
      target.established += Math.max(0, now.established - (from?.established ?? 0));
      target.closed += Math.max(0, now.closed - (from?.closed ?? 0));
      target.reset += Math.max(0, now.reset - (from?.reset ?? 0));
      target.failed += Math.max(0, now.failed - (from?.failed ?? 0));
      target.retransmits += Math.max(0, now.retransmits - (from?.retransmits ?? 0));
    }
  }

  // Every series, in a stable order (`other` last).
  values(): TcpSeriesValues[] {
    return [...this.series.values()].sort((a, b) => {
      const ka = `${a.labels.peer === OTHER ? '\uffff' : a.labels.peer}/${a.labels.direction}`;
      const kb = `${b.labels.peer === OTHER ? '\uffff' : b.labels.peer}/${b.labels.direction}`;
      return ka < kb ? -1 : ka > kb ? 1 : 0;
    });
  }

  private resolve(peer: string, direction: string): TcpSeriesValues {
    const key = `${peer}/${direction}`;
    const own = this.series.get(key);
    if (own !== undefined) return own;
    const ownCount = [...this.series.values()].filter((s) => s.labels.peer !== OTHER).length;
    if (ownCount < this.maxSeries && peer !== OTHER) return this.create(key, peer, direction);
    if (!this.foldNoted.has(key)) {
      this.foldNoted.add(key);
      this.folds += 1;
    }
    const otherKey = `${OTHER}/${direction}`;
    return this.series.get(otherKey) ?? this.create(otherKey, OTHER, direction);
  }

  private create(key: string, peer: string, direction: string): TcpSeriesValues {
    const s: TcpSeriesValues = {
      labels: { peer, direction },
      handshakeBuckets: new Array<number>(BOUNDS_NS.length + 1).fill(0),
      handshakeSumNs: 0,
      established: 0,
      closed: 0,
      reset: 0,
      failed: 0,
      retransmits: 0,
    };
    this.series.set(key, s);
    return s;
  }
}
