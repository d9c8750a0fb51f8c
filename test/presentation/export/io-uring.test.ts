// io_uring requests in the exported metrics: per opcode, monotonic across snapshots and sessions.
import { describe, expect, it } from 'vitest';
import { ExportAccumulator } from '../../../src/presentation/export/accumulator.js';
import { buildFamilies } from '../../../src/presentation/export/metrics.js';
import { LE_VALUES, renderPrometheus } from '../../../src/presentation/export/prometheus-text.js';
import { BOUNDS_NS } from '../../../src/presentation/export/bounds.js';
import type { Profile } from '../../../src/core/model/profile.js';
import { uringOp, uringProfile } from '../../helpers/io-uring.js';
import { profileOf } from '../../helpers/profile.js';

const START = new Date(Date.UTC(2026, 0, 1));
const n = (count: number, ns: number): number[] => Array.from({ length: count }, () => ns);

// a snapshot after durationS with `reads` reads of 3 µs (errors among them) and `fsyncs` punted fsyncs of 300 µs
function snap(durationS: number, reads: number, fsyncs: number, start = START): Profile {
  const ops = [uringOp('read', n(reads, 3000), { errors: Math.min(reads, 2) }), uringOp('fsync', n(fsyncs, 300_000), { punted: fsyncs })];
  return profileOf({ startedAt: start, durationNs: durationS * 1e9, final: false, ioUring: uringProfile(ops) });
}

function text(acc: ExportAccumulator): string {
  return renderPrometheus(buildFamilies(acc));
}

describe('io_uring metrics', () => {
  it('exports a latency histogram and counters per opcode', () => {
    const acc = new ExportAccumulator({ labels: ['syscall'], maxSeries: 100 });
    acc.update(snap(1, 10, 2));
    const t = text(acc);
    expect(t).toContain('# TYPE syscall_prof_io_uring_duration_seconds histogram');
    expect(t).toContain('syscall_prof_io_uring_duration_seconds_count{op="read"} 10');
    expect(t).toContain('syscall_prof_io_uring_duration_seconds_bucket{op="read",le="+Inf"} 10');
    // 3 µs lies under the 4.096 µs bound
    const le = (ns: number): string => LE_VALUES[BOUNDS_NS.indexOf(ns)]!;
    expect(t).toContain(`syscall_prof_io_uring_duration_seconds_bucket{op="read",le="${le(4096)}"} 10`);
    expect(t).toContain(`syscall_prof_io_uring_duration_seconds_bucket{op="read",le="${le(2048)}"} 0`);
    expect(t).toContain('syscall_prof_io_uring_requests_total{op="fsync"} 2');
    expect(t).toContain('syscall_prof_io_uring_punted_total{op="fsync"} 2');
    expect(t).toContain('syscall_prof_io_uring_errors_total{op="read"} 2');
  });

  it('adds what each snapshot brings, and keeps counting over a new loader session', () => {
    const acc = new ExportAccumulator({ labels: ['syscall'], maxSeries: 100 });
    acc.update(snap(1, 10, 2));
    acc.update(snap(2, 25, 3));
    expect(text(acc)).toContain('syscall_prof_io_uring_requests_total{op="read"} 25');
    // the loader restarted: its counts start again from 0
    acc.update(snap(1, 4, 1, new Date(START.getTime() + 60_000)));
    const t = text(acc);
    expect(t).toContain('syscall_prof_io_uring_requests_total{op="read"} 29');
    expect(t).toContain('syscall_prof_io_uring_punted_total{op="fsync"} 4');
  });

  it('exports no io_uring families without io_uring requests', () => {
    const acc = new ExportAccumulator({ labels: ['syscall'], maxSeries: 100 });
    acc.update(profileOf({ startedAt: START, durationNs: 1e9, final: false }));
    expect(text(acc)).not.toContain('io_uring');
  });
});
