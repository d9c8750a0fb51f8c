import { describe, expect, it } from 'vitest';
import { anomalyId, type Anomaly, type AnomalyChange } from '../../../src/core/analysis/anomaly.js';
import { formatRecord } from '../../../src/presentation/export/log.js';
import { anomalyRecord, anomalySentence, compactDuration } from '../../../src/presentation/render/anomaly-text.js';

const T0 = Date.UTC(2026, 0, 2, 3, 4, 5, 0);

function anomaly(over: Partial<Anomaly> & Pick<Anomaly, 'kind'>): Anomaly {
  const series = over.series ?? { syscall: 'fsync', tgid: 42, comm: 'postgres' };
  return { id: anomalyId(series, over.kind, over.errno ?? null), series, errno: null, baseline: 210_000, observed: 2_100_000, peak: 2_100_000, sinceMs: T0, observations: 3, ...over };
}

// The record as the agent writes it, at T0 + 600 ms.
function line(change: AnomalyChange): string {
  const r = anomalyRecord(change);
  return formatRecord(new Date(T0 + 600), r.level, r.msg, r.fields);
}

describe('anomaly records (logfmt)', () => {
  it.each([
    [
      'p99 of a process',
      anomaly({ kind: 'p99' }),
      'ts=2026-01-02T03:04:05.600Z level=warn msg=anomaly kind=p99 syscall=fsync pid=42 comm=postgres baseline_p99=210us observed_p99=2.1ms factor=10 since=2026-01-02T03:04:05.000Z',
    ],
    [
      'error share of a syscall',
      anomaly({ kind: 'errors', series: { syscall: 'openat', tgid: null, comm: null }, baseline: 0.01, observed: 0.3 }),
      'ts=2026-01-02T03:04:05.600Z level=warn msg=anomaly kind=errors syscall=openat baseline_error_share=0.01 observed_error_share=0.3 factor=30 since=2026-01-02T03:04:05.000Z',
    ],
    [
      'a new errno',
      anomaly({ kind: 'errno', series: { syscall: 'write', tgid: null, comm: null }, errno: 28, baseline: 0, observed: 4 }),
      'ts=2026-01-02T03:04:05.600Z level=warn msg=anomaly kind=errno syscall=write errno=ENOSPC observed_errors=4 since=2026-01-02T03:04:05.000Z',
    ],
    [
      'a rate collapse',
      anomaly({ kind: 'rate', baseline: 5000, observed: 40 }),
      'ts=2026-01-02T03:04:05.600Z level=warn msg=anomaly kind=rate syscall=fsync pid=42 comm=postgres baseline_rate=5000 observed_rate=40 factor=0.01 since=2026-01-02T03:04:05.000Z',
    ],
  ])('start: %s', (_name, a, want) => {
    expect(line({ type: 'start', anomaly: a, atMs: T0 + 600, reason: null })).toBe(want);
  });

  it('end: the peak, how long, why', () => {
    const a = anomaly({ kind: 'p99', observed: 1_900_000, peak: 3_000_000 });
    expect(line({ type: 'end', anomaly: a, atMs: T0 + 12_400, reason: 'normal' })).toBe(
      'ts=2026-01-02T03:04:05.600Z level=info msg="anomaly ended" kind=p99 syscall=fsync pid=42 comm=postgres reason=normal peak_p99=3.0ms lasted_s=12.4 since=2026-01-02T03:04:05.000Z',
    );
  });

  it.each([
    [850, '850ns'],
    [29_300, '29.3us'],
    [2_100_000, '2.1ms'],
    [12_400_000_000, '12.4s'],
  ])('compact duration %d -> %s', (ns, text) => {
    expect(compactDuration(ns)).toBe(text);
  });
});

describe('anomaly sentence (live view)', () => {
  it.each([
    [anomaly({ kind: 'p99' }), 'fsync (postgres 42): p99 2.1 ms, 10x its baseline 210 µs, for 5 s'],
    [anomaly({ kind: 'errors', baseline: 0.01, observed: 0.3 }), 'fsync (postgres 42): 30% of calls fail, 30x its baseline 1%, for 5 s'],
    [anomaly({ kind: 'errno', errno: 5, series: { syscall: 'fsync', tgid: null, comm: null } }), 'fsync: fails with EIO, new, for 5 s'],
    [anomaly({ kind: 'rate', baseline: 5000, observed: 40 }), 'fsync (postgres 42): 40 calls/s, 1/125 of its baseline 5,000/s, for 5 s'],
    [anomaly({ kind: 'rate', baseline: 40, observed: 5000 }), 'fsync (postgres 42): 5,000 calls/s, 125x its baseline 40/s, for 5 s'],
  ])('%#', (a, want) => {
    expect(anomalySentence(a, T0 + 5000)).toBe(want);
  });
});
