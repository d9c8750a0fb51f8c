// Synthetic loader frames, encoded with protobufjs from the real .proto.
import { bucketIndex, standardLayout, type HistogramLayout } from '../../src/core/model/histogram-layout.js';
import { frameMessageType } from '../../src/core/wire/wire.js';

// The layouts the BPF side uses today.
export const FINE = standardLayout(3);
export const COARSE = standardLayout(2);

// A header frame object (camelCase fields as in the .proto); overrides replace fields.
export function headerFrame(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    header: {
      version: 1,
      arch: 'x86_64',
      mode: 'command',
      pids: [4242],
      follow: true,
      startMonoNs: 1_000_000_000,
      startRealNs: Date.UTC(2025, 0, 2, 3, 4, 5) * 1e6,
      fine: { subBits: FINE.subBits, buckets: FINE.buckets },
      coarse: { subBits: COARSE.subBits, buckets: COARSE.buckets },
      intervalMs: 1000,
      bpfMapBytes: 4 * 1024 * 1024,
      command: ['/bin/sh', '-c', 'make'],
      costStats: 'sampled',
      ...overrides,
    },
  };
}

// A snapshot frame object; `monoNs` defaults to 2 s after the header's start.
export function snapshotFrame(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return { snapshot: { seq: 1, monoNs: 3_000_000_000, final: false, ...overrides } };
}

// A SyscallStats object whose histogram holds exactly these latencies.
export function statsOf(nr: number, values: readonly number[], opts: { tgid?: number; layout?: HistogramLayout; errors?: number } = {}): Record<string, unknown> {
  const layout = opts.layout ?? (opts.tgid ? COARSE : FINE);
  const buckets = new Map<number, number>();
  for (const v of values) buckets.set(bucketIndex(layout, v), (buckets.get(bucketIndex(layout, v)) ?? 0) + 1);
  return {
    tgid: opts.tgid ?? 0,
    nr,
    count: values.length,
    errors: opts.errors ?? 0,
    totalNs: values.reduce((a, b) => a + b, 0),
    maxNs: values.length === 0 ? 0 : Math.max(...values),
    bucketIndex: [...buckets.keys()],
    bucketCount: [...buckets.values()],
  };
}

// One frame: varint length + Frame message.
export function encodeDelimited(frame: Record<string, unknown>): Buffer {
  const type = frameMessageType();
  const problem = type.verify(frame);
  if (problem !== null) throw new Error(`bad test frame: ${problem}`);
  return Buffer.from(type.encodeDelimited(type.fromObject(frame)).finish());
}

// A whole stream of frames.
export function encodeStream(frames: readonly Record<string, unknown>[]): Buffer {
  return Buffer.concat(frames.map(encodeDelimited));
}
