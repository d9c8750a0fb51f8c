// The TCP metric families: names, labels, buckets, monotonic deltas, the peer cap, OTLP.
import { describe, expect, it } from 'vitest';
import { DataPointType } from '@opentelemetry/sdk-metrics';
import type { Profile } from '../../../src/core/model/profile.js';
import { ExportAccumulator } from '../../../src/presentation/export/accumulator.js';
import { BOUNDS_NS, BOUNDS_SECONDS } from '../../../src/presentation/export/bounds.js';
import { buildFamilies } from '../../../src/presentation/export/metrics.js';
import { toResourceMetrics } from '../../../src/presentation/export/otlp-metrics.js';
import { renderPrometheus } from '../../../src/presentation/export/prometheus-text.js';
import { profileOf, tcpPeerOf } from '../../helpers/profile.js';

const START = new Date(Date.UTC(2026, 0, 1));

const peer = tcpPeerOf;

function snap(durationS: number, tcp: Profile['tcp']): Profile {
  return profileOf({ startedAt: START, durationNs: durationS * 1e9, final: false, tcp });
}

// the sample lines of one family: "name{labels} value"
function samples(text: string, name: string): string[] {
  return text.split('\n').filter((l) => l.startsWith(`${name}{`) || l.startsWith(`${name} `));
}

describe('TCP metric families', () => {
  it('are left out when the tracer does not measure TCP', () => {
    const acc = new ExportAccumulator({ labels: ['syscall'], maxSeries: 10 });
    acc.update(snap(1, null));
    expect(buildFamilies(acc).map((f) => f.name).filter((n) => /connect|tcp/.test(n))).toEqual([]);
  });

  it('are there, with no samples, when TCP is measured and nothing connected', () => {
    const acc = new ExportAccumulator({ labels: ['syscall'], maxSeries: 10 });
    acc.update(snap(1, []));
    const families = buildFamilies(acc).filter((f) => /connect|tcp/.test(f.name));
    expect(families.map((f) => [f.name, f.type, f.points.length])).toEqual([
      ['syscall_prof_connect_duration_seconds', 'histogram', 0],
      ['syscall_prof_connections_established_total', 'counter', 0],
      ['syscall_prof_connections_total', 'counter', 0],
      ['syscall_prof_tcp_retransmits_total', 'counter', 0],
    ]);
  });

  it('export handshake buckets, connections by peer, direction and outcome, and retransmits', () => {
    const acc = new ExportAccumulator({ labels: ['syscall'], maxSeries: 10 });
    acc.update(snap(1, [peer({ handshakeTimes: [10_000, 10_000, 300_000], closed: 2, resets: 1, failed: 4, retransmits: 5 }), peer({ tgid: 11, comm: 'server', direction: 'accept', port: 80, established: 7, closed: 6 })]));
    const text = renderPrometheus(buildFamilies(acc));
    expect(samples(text, 'syscall_prof_connections_total')).toEqual([
      'syscall_prof_connections_total{peer="ipv4:5432",direction="connect",outcome="closed"} 2',
      'syscall_prof_connections_total{peer="ipv4:5432",direction="connect",outcome="reset"} 1',
      'syscall_prof_connections_total{peer="ipv4:5432",direction="connect",outcome="failed"} 4',
      'syscall_prof_connections_total{peer="ipv4:80",direction="accept",outcome="closed"} 6',
      'syscall_prof_connections_total{peer="ipv4:80",direction="accept",outcome="reset"} 0',
      'syscall_prof_connections_total{peer="ipv4:80",direction="accept",outcome="failed"} 0',
    ]);
    expect(samples(text, 'syscall_prof_connections_established_total')).toEqual([
      'syscall_prof_connections_established_total{peer="ipv4:5432",direction="connect"} 3',
      'syscall_prof_connections_established_total{peer="ipv4:80",direction="accept"} 7',
    ]);
    expect(samples(text, 'syscall_prof_tcp_retransmits_total')).toContain('syscall_prof_tcp_retransmits_total{peer="ipv4:5432",direction="connect"} 5');
    // connect only; 10 µs lands under the 16.384 µs bound, 300 µs under 524.288 µs
    const buckets = samples(text, 'syscall_prof_connect_duration_seconds_bucket');
    expect(buckets).toHaveLength(BOUNDS_NS.length + 1);
    expect(buckets).toContain('syscall_prof_connect_duration_seconds_bucket{peer="ipv4:5432",le="0.000008192"} 0');
    expect(buckets).toContain('syscall_prof_connect_duration_seconds_bucket{peer="ipv4:5432",le="0.000016384"} 2');
    expect(buckets).toContain('syscall_prof_connect_duration_seconds_bucket{peer="ipv4:5432",le="0.000262144"} 2');
    expect(buckets).toContain('syscall_prof_connect_duration_seconds_bucket{peer="ipv4:5432",le="0.000524288"} 3');
    expect(buckets).toContain('syscall_prof_connect_duration_seconds_bucket{peer="ipv4:5432",le="+Inf"} 3');
    expect(samples(text, 'syscall_prof_connect_duration_seconds_count')).toEqual(['syscall_prof_connect_duration_seconds_count{peer="ipv4:5432"} 3']);
    expect(samples(text, 'syscall_prof_connect_duration_seconds_sum')).toEqual(['syscall_prof_connect_duration_seconds_sum{peer="ipv4:5432"} 0.00032']);
  });

  it('add deltas: counters never go down when a process exits or the loader restarts', () => {
    const acc = new ExportAccumulator({ labels: ['syscall'], maxSeries: 10 });
    acc.update(snap(1, [peer({ handshakeTimes: [1000, 1000], closed: 2 })]));
    acc.update(snap(2, [peer({ handshakeTimes: [1000, 1000, 1000], closed: 3 }), peer({ tgid: 20, handshakeTimes: [1000], closed: 1 })]));
    // the first process gone from the snapshot, the second one went on
    acc.update(snap(3, [peer({ tgid: 20, handshakeTimes: [1000, 1000], closed: 2 })]));
    // a new loader run (time went back): its counts from zero
    acc.update(snap(0.5, [peer({ handshakeTimes: [1000], closed: 1 })]));
    const s = acc.tcp.values();
    expect(s).toHaveLength(1);
    expect(s[0]).toMatchObject({ labels: { peer: 'ipv4:5432', direction: 'connect' }, established: 6, closed: 6 });
    expect(s[0]!.handshakeBuckets.reduce((a, b) => a + b, 0)).toBe(6);
  });

  it('fold peers beyond --max-series into "other"', () => {
    const acc = new ExportAccumulator({ labels: ['syscall'], maxSeries: 2 });
    acc.update(snap(1, [1, 2, 3, 4].map((port) => peer({ port, handshakeTimes: [1000] }))));
    expect(acc.tcp.values().map((s) => [s.labels.peer, s.established])).toEqual([
      ['ipv4:1', 1],
      ['ipv4:2', 1],
      ['other', 2],
    ]);
    expect(acc.tcp.folds).toBe(2);
  });

  it('go out over OTLP as a histogram with the syscall bounds and cumulative sums', () => {
    const acc = new ExportAccumulator({ labels: ['syscall'], maxSeries: 10 });
    acc.update(snap(1, [peer({ handshakeTimes: [10_000], closed: 1 })]));
    const metrics = toResourceMetrics(buildFamilies(acc), { serviceName: 's', hostName: 'h', version: '1' }, 0, 1000).scopeMetrics[0]!.metrics;
    const hist = metrics.find((m) => m.descriptor.name === 'syscall_prof_connect_duration_seconds')!;
    expect(hist.dataPointType).toBe(DataPointType.HISTOGRAM);
    expect((hist.dataPoints[0]!.value as { buckets: { boundaries: number[] } }).buckets.boundaries).toEqual(BOUNDS_SECONDS);
    const conns = metrics.find((m) => m.descriptor.name === 'syscall_prof_connections_total')!;
    expect(conns.dataPoints.map((p) => [p.attributes, p.value])).toContainEqual([{ peer: 'ipv4:5432', direction: 'connect', outcome: 'closed' }, 1]);
  });
});
