// Hand-built Profiles for analysis and renderer tests.
import { LatencyHistogram } from '../../src/core/model/histogram.js';
import { standardLayout, type HistogramLayout } from '../../src/core/model/histogram-layout.js';
import { emptyHealth, type Profile, type SyscallStats, type TcpPeerStats } from '../../src/core/model/profile.js';

// Stats of one syscall whose calls took exactly these nanoseconds.
export function statsOf(name: string, nr: number | null, values: readonly number[], opts: { errors?: number; layout?: HistogramLayout } = {}): SyscallStats {
  const histogram = new LatencyHistogram(opts.layout ?? standardLayout(3));
  for (const v of values) histogram.addValue(v);
  return {
    name,
    nr,
    count: values.length,
    errors: opts.errors ?? 0,
    totalNs: values.reduce((a, b) => a + b, 0),
    maxNs: values.length === 0 ? 0 : Math.max(...values),
    histogram,
  };
}

// A final capture of `sh -c make` with nothing in it unless overridden.
export function profileOf(overrides: Partial<Profile> = {}): Profile {
  return {
    backend: 'ebpf',
    arch: 'x86_64',
    target: { kind: 'command', argv: ['/bin/sh', '-c', 'make all'], follow: true },
    startedAt: new Date(Date.UTC(2025, 0, 2, 3, 4, 5)),
    durationNs: 2_000_000_000,
    final: true,
    syscalls: [],
    processes: [],
    inFlight: [],
    health: emptyHealth(),
    cost: { enabled: false, programs: [], windowNs: null, memoryBytes: null },
    exit: null,
    stopReason: 'target-exit',
    ...overrides,
  };
}

// One process's TCP figures with handshakes of these durations; overrides replace fields.
export function tcpPeerOf(over: Partial<TcpPeerStats> & { handshakeTimes?: number[] } = {}): TcpPeerStats {
  const handshake = new LatencyHistogram(standardLayout(2));
  const times = over.handshakeTimes ?? [];
  for (const v of times) handshake.addValue(v);
  const { handshakeTimes: _unused, ...rest } = over;
  return {
    tgid: 10,
    comm: 'client',
    direction: 'connect',
    family: 'ipv4',
    port: 5432,
    handshakes: times.length,
    established: times.length,
    failed: 0,
    closed: 0,
    resets: 0,
    retransmits: 0,
    lifeNs: 0,
    handshakeNs: times.reduce((a, b) => a + b, 0),
    handshakeMaxNs: times.length === 0 ? 0 : Math.max(...times),
    handshake,
    ...rest,
  };
}
