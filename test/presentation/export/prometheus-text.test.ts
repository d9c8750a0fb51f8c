import { describe, expect, it } from 'vitest';
import { ExportAccumulator } from '../../../src/presentation/export/accumulator.js';
import { buildFamilies } from '../../../src/presentation/export/metrics.js';
import { LE_VALUES, renderPrometheus } from '../../../src/presentation/export/prometheus-text.js';
import type { LabelName } from '../../../src/presentation/export/labels.js';
import type { Profile } from '../../../src/core/model/profile.js';
import { profileOf, statsOf } from '../../helpers/profile.js';

// every `le` as it must appear, written out
const LE = [
  '2.56e-7', '5.12e-7', '0.000001024', '0.000002048', '0.000004096', '0.000008192', '0.000016384', '0.000032768',
  '0.000065536', '0.000131072', '0.000262144', '0.000524288', '0.001048576', '0.002097152', '0.004194304',
  '0.008388608', '0.016777216', '0.033554432', '0.067108864', '0.134217728', '0.268435456', '0.536870912',
  '1.073741824', '2.147483648', '4.294967296', '8.589934592', '17.179869184', '+Inf',
];

function text(profiles: Profile[], labels: LabelName[] = ['syscall', 'category'], maxSeries = 100): string {
  const acc = new ExportAccumulator({ labels, maxSeries });
  for (const p of profiles) acc.update(p);
  return renderPrometheus(buildFamilies(acc));
}

// The samples of one metric name (HELP/TYPE excluded).
function samples(body: string, name: string): string[] {
  return body.split('\n').filter((l) => l.startsWith(`${name}{`) || l.startsWith(`${name} `));
}

describe('Prometheus text exposition', () => {
  it('renders a small profile exactly', () => {
    const fsync = statsOf('fsync', 74, [300, 1500, 1500], { errors: 1 });
    const body = text([profileOf({ syscalls: [fsync], health: { ...profileOf().health, lostEvents: 4 } })]);
    const cum = [0, 1, 1, 3, ...new Array(24).fill(3)];
    const labels = 'syscall="fsync",category="sync"';
    const expected = [
      '# HELP syscall_prof_syscall_duration_seconds Syscall latency, entry to return, timed in the kernel (buckets: powers of two of nanoseconds, 256 ns to 17.2 s); of the timed calls only, about 1 in syscall_prof_sample_period.',
      '# TYPE syscall_prof_syscall_duration_seconds histogram',
      ...LE.map((le, i) => `syscall_prof_syscall_duration_seconds_bucket{${labels},le="${le}"} ${cum[i]}`),
      `syscall_prof_syscall_duration_seconds_sum{${labels}} 0.0000033`,
      `syscall_prof_syscall_duration_seconds_count{${labels}} 3`,
      '# HELP syscall_prof_syscalls_total Syscalls completed (every call, also when sampled).',
      '# TYPE syscall_prof_syscalls_total counter',
      `syscall_prof_syscalls_total{${labels}} 3`,
      '# HELP syscall_prof_syscall_errors_total Syscalls that returned an error (-errno); by errno in syscall_prof_syscall_errno_total.',
      '# TYPE syscall_prof_syscall_errors_total counter',
      `syscall_prof_syscall_errors_total{${labels}} 1`,
      '# HELP syscall_prof_lost_events_total Per-call records the kernel ring buffer had no room for (event mode).',
      '# TYPE syscall_prof_lost_events_total counter',
      'syscall_prof_lost_events_total 4',
    ];
    expect(LE_VALUES).toEqual(LE);
    expect(body.split('\n').slice(0, expected.length)).toEqual(expected);
    expect(body.endsWith('\n')).toBe(true);
  });

  it('keeps counters exact when sampled: the histogram holds the timed calls, the period is a gauge', () => {
    // 1000 calls, 3 of them timed (1 in 16 would be about 62: the maths does not care)
    const timed = statsOf('fsync', 74, [300, 1500, 1500], { errors: 7 });
    const fsync = { ...timed, count: 1000, totalNs: timed.totalNs * 16, timedCalls: 3 };
    const first = text([profileOf({ syscalls: [fsync], samplePeriod: 16 })]);
    const labels = 'syscall="fsync",category="sync"';
    expect(samples(first, 'syscall_prof_syscalls_total')).toEqual([`syscall_prof_syscalls_total{${labels}} 1000`]);
    expect(samples(first, 'syscall_prof_syscall_errors_total')).toEqual([`syscall_prof_syscall_errors_total{${labels}} 7`]);
    expect(samples(first, 'syscall_prof_syscall_duration_seconds_count')).toEqual([`syscall_prof_syscall_duration_seconds_count{${labels}} 3`]);
    // _sum / _count is the timed calls' mean, not scaled
    expect(samples(first, 'syscall_prof_syscall_duration_seconds_sum')).toEqual([`syscall_prof_syscall_duration_seconds_sum{${labels}} 0.0000033`]);
    expect(samples(first, 'syscall_prof_sample_period')).toEqual(['syscall_prof_sample_period 16']);
    // unsampled: the gauge says 1
    expect(samples(text([profileOf()]), 'syscall_prof_sample_period')).toEqual(['syscall_prof_sample_period 1']);
  });

  it('renders an empty profile: HELP and TYPE of every family, counters at 0, no syscall series', () => {
    const body = text([profileOf()]);
    expect(body).toContain('# TYPE syscall_prof_syscall_duration_seconds histogram\n# HELP syscall_prof_syscalls_total');
    expect(samples(body, 'syscall_prof_syscall_duration_seconds_bucket')).toEqual([]);
    expect(samples(body, 'syscall_prof_lost_events_total')).toEqual(['syscall_prof_lost_events_total 0']);
    expect(samples(body, 'syscall_prof_label_folds_total')).toEqual(['syscall_prof_label_folds_total 0']);
    expect(samples(body, 'syscall_prof_bpf_cpu_seconds_total')).toEqual(['syscall_prof_bpf_cpu_seconds_total 0']);
    // every sample line has a TYPE before it
    const typed = new Set(body.split('\n').filter((l) => l.startsWith('# TYPE ')).map((l) => l.split(' ')[2]));
    for (const line of body.split('\n').filter((l) => l !== '' && !l.startsWith('#'))) {
      const name = line.split(/[{ ]/)[0]!.replace(/_(bucket|sum|count)$/, '');
      expect(typed.has(name) || typed.has(line.split(/[{ ]/)[0]!)).toBe(true);
    }
  });

  it('keeps buckets cumulative and monotone, with le="+Inf" equal to _count', () => {
    const values = Array.from({ length: 500 }, (_, i) => Math.round(100 * 1.05 ** (i % 200)));
    const body = text([profileOf({ syscalls: [statsOf('read', 0, values), statsOf('write', 1, [10, 2e10])] })]);
    for (const syscall of ['read', 'write']) {
      const buckets = samples(body, 'syscall_prof_syscall_duration_seconds_bucket').filter((l) => l.includes(`syscall="${syscall}"`));
      const counts = buckets.map((l) => Number(l.split(' ').at(-1)));
      expect(counts).toHaveLength(28);
      for (let i = 1; i < counts.length; i++) expect(counts[i]!).toBeGreaterThanOrEqual(counts[i - 1]!);
      const count = Number(samples(body, 'syscall_prof_syscall_duration_seconds_count').find((l) => l.includes(`"${syscall}"`))!.split(' ')[1]);
      expect(counts.at(-1)).toBe(count);
      expect(buckets.at(-1)).toContain('le="+Inf"');
    }
    // 2e10 ns (20 s) is beyond the last finite bound
    const write = samples(body, 'syscall_prof_syscall_duration_seconds_bucket').filter((l) => l.includes('syscall="write"'));
    expect(write.at(-2)).toMatch(/le="17.179869184"} 1$/);
    expect(write.at(-1)).toMatch(/le="\+Inf"} 2$/);
  });

  it('escapes backslash, double quote and newline in label values', () => {
    const p = profileOf({
      syscalls: [statsOf('read', 0, [100])],
      processes: [{ tgid: 42, comm: 'a"b\\c\nd', syscalls: [statsOf('read', 0, [100])] }],
    });
    const body = text([p], ['syscall', 'comm']);
    expect(samples(body, 'syscall_prof_syscalls_total')).toEqual(['syscall_prof_syscalls_total{syscall="read",comm="a\\"b\\\\c\\nd"} 1']);
  });

  it('folds label sets over --max-series into one "other" series and counts the folds', () => {
    const names = ['read', 'write', 'openat', 'close', 'fsync'];
    const p = profileOf({ syscalls: names.map((n, i) => statsOf(n, i, [1000 * (i + 1)])) });
    const body = text([p], ['syscall', 'category'], 2);
    const totals = samples(body, 'syscall_prof_syscalls_total');
    expect(totals).toHaveLength(3);
    expect(totals.at(-1)).toBe('syscall_prof_syscalls_total{syscall="other",category="other"} 3');
    expect(samples(body, 'syscall_prof_label_folds_total')).toEqual(['syscall_prof_label_folds_total 3']);
    expect(samples(body, 'syscall_prof_series')).toEqual(['syscall_prof_series 3']);
    // nothing is lost: all five calls are still counted
    expect(totals.reduce((n, l) => n + Number(l.split(' ').at(-1)), 0)).toBe(5);
  });
});
