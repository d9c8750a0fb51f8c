// In-memory captures for the offline commands' tests: events, sources, analyses.
import { aggregateEvents } from '../../src/core/analysis/aggregate-events.js';
import type { Aggregate } from '../../src/core/analysis/aggregate.js';
import { analyzeCapture, type CaptureAnalysis } from '../../src/core/analysis/capture.js';
import { errnoName } from '../../src/core/model/errno.js';
import { batchesOf, type CaptureMeta, type CaptureSource, type SyscallEvent } from '../../src/core/model/events.js';
import type { Profile } from '../../src/core/model/profile.js';
import { seededRandom } from './random.js';

// One call; every field has a dull default.
export function eventOf(overrides: Partial<SyscallEvent> = {}): SyscallEvent {
  return {
    startNs: 0,
    durationNs: 1000,
    pid: 100,
    tid: 100,
    comm: 'app',
    syscall: 'read',
    nr: null,
    ret: 0,
    args: [],
    pos: null,
    path: null,
    ...overrides,
  };
}

// Calls of one syscall with these durations, one microsecond apart.
export function callsOf(syscall: string, durations: readonly number[], overrides: Partial<SyscallEvent> = {}): SyscallEvent[] {
  return durations.map((durationNs, i) => eventOf({ syscall, durationNs, startNs: i * 1000, ...overrides }));
}

// Capture metadata; overrides replace fields.
export function metaOf(overrides: Partial<CaptureMeta> = {}): CaptureMeta {
  return {
    backend: 'ebpf',
    arch: 'x86_64',
    target: 'command: ./app',
    startRealNs: '1735787045000000000',
    durationNs: 2_000_000_000,
    lostEvents: 0,
    filters: { syscalls: null, minDurationNs: 0, failedOnly: false },
    ...overrides,
  };
}

// A source over events (in batches of `capacity`), or an aggregate-only one with a profile.
export function sourceOf(events: readonly SyscallEvent[], opts: { meta?: Partial<CaptureMeta>; profile?: Profile; capacity?: number } = {}): CaptureSource {
  const meta = metaOf(opts.meta);
  const batches = batchesOf(events, opts.capacity ?? 4096);
  return {
    meta,
    batches: (async function* () {
      yield* batches;
    })(),
    final: () => ({ meta, profile: opts.profile ?? null }),
  };
}

// The aggregate of some events.
export function aggregateOf(events: readonly SyscallEvent[], capacity = 4096): Promise<Aggregate> {
  return aggregateEvents(batchesOf(events, capacity));
}

// The analysis of some events under optional metadata.
export function analysisOf(events: readonly SyscallEvent[], meta: Partial<CaptureMeta> = {}): Promise<CaptureAnalysis> {
  return analyzeCapture(sourceOf(events, { meta }));
}

// n latencies around medianNs, log-normal with the given spread (sigma of ln), seeded.
export function logNormal(n: number, medianNs: number, sigma: number, seed: number): number[] {
  const random = seededRandom(seed);
  return Array.from({ length: n }, () => {
    // Box-Muller
    const z = Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
    return Math.max(1, Math.round(medianNs * Math.exp(sigma * z)));
  });
}

// A small known capture: 4 fsyncs (10-40 ms), 50 reads (45 at 20 µs, 5 at 5 ms:
// bimodal), 4 openats (3 ENOENT), 2 epoll_waits of 1 s, in two processes.
export function sampleEvents(): SyscallEvent[] {
  return [
    ...callsOf('fsync', [10e6, 20e6, 30e6, 40e6], { path: '/db/wal' }),
    ...callsOf('read', [...Array<number>(45).fill(20_000), ...Array<number>(5).fill(5e6)], { path: '/db/table' }),
    ...callsOf('openat', [50_000, 50_000, 50_000], { ret: -2 }),
    ...callsOf('openat', [50_000], { ret: 3 }),
    ...callsOf('epoll_wait', [1e9, 1e9], { pid: 200, tid: 201, comm: 'poller' }),
  ];
}

// A CSV capture of events as `trace --output f.csv` writes it (layout in
// src/core/capture/csv-schema.ts): metadata, header, rows, trailer.
export function csvCapture(events: readonly SyscallEvent[], meta: Partial<CaptureMeta> = {}): string {
  const m = metaOf(meta);
  const start = BigInt(m.startRealNs);
  const filters = `syscalls=${m.filters.syscalls === null ? 'all' : m.filters.syscalls.join(',')} min_duration_ns=${m.filters.minDurationNs} failed_only=${m.filters.failedOnly}`;
  const errno = (ret: number): string => (ret < 0 && ret >= -4095 ? (errnoName(ret) ?? '') : '');
  const lines = [
    '# syscall-prof capture v1',
    `# backend: ${m.backend}`,
    `# arch: ${m.arch}`,
    `# target: ${m.target}`,
    `# start_real_ns: ${m.startRealNs}`,
    `# filters: ${filters}`,
    'timestamp_ns,pid,tid,comm,syscall,duration_ns,ret,errno,arg0,arg1,arg2,arg3,arg4,arg5,pos,path',
    ...events.map((e) =>
      [
        String(start + BigInt(e.startNs)),
        e.pid,
        e.tid,
        e.comm,
        e.syscall,
        e.durationNs,
        e.ret,
        errno(e.ret),
        ...Array.from({ length: 6 }, (_, k) => `0x${(e.args[k] ?? 0n).toString(16)}`),
        e.pos ?? '',
        e.path ?? '',
      ].join(','),
    ),
    `# rows: ${events.length}`,
    ...(m.durationNs === null ? [] : [`# duration_ns: ${m.durationNs}`]),
    `# lost_events: ${m.lostEvents}`,
  ];
  return `${lines.join('\n')}\n`;
}
