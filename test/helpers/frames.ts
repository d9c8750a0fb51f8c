// Synthetic loader frames, encoded with the code generated from the real .proto.
import { syscallprof } from '../../src/core/wire/proto.js';
import { bucketIndex, standardLayout, type HistogramLayout } from '../../src/core/model/histogram-layout.js';

// The layouts the BPF side uses today.
export const FINE = standardLayout(3);
export const COARSE = standardLayout(2);

export const { Arch, Mode, CostStats, StopReason } = syscallprof;

// A header frame object (camelCase fields as in the .proto); overrides replace fields.
export function headerFrame(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    header: {
      version: 2,
      arch: Arch.ARCH_X86_64,
      mode: Mode.MODE_COMMAND,
      pids: [4242],
      follow: true,
      startMonoNs: 1_000_000_000,
      startRealNs: Date.UTC(2025, 0, 2, 3, 4, 5) * 1e6,
      fine: { subBits: FINE.subBits, buckets: FINE.buckets },
      coarse: { subBits: COARSE.subBits, buckets: COARSE.buckets },
      intervalMs: 1000,
      bpfMapBytes: 4 * 1024 * 1024,
      command: ['/bin/sh', '-c', 'make'],
      costStats: CostStats.COST_STATS_SAMPLED,
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

// The Frame message of a plain object (enum values as numbers or names). Values
// outside an enum pass (readers must cope with a newer loader's); any other
// field of the wrong type throws.
function frameMessage(frame: Record<string, unknown>): syscallprof.Frame {
  const problem = syscallprof.Frame.verify(frame);
  if (problem !== null && !problem.endsWith(': enum value expected')) throw new Error(`bad test frame: ${problem}`);
  return syscallprof.Frame.fromObject(frame);
}

// One Frame message body, without its length prefix.
export function encodeFrame(frame: Record<string, unknown>): Uint8Array {
  return syscallprof.Frame.encode(frameMessage(frame)).finish();
}

// One frame: varint length + Frame message.
export function encodeDelimited(frame: Record<string, unknown>): Buffer {
  return Buffer.from(syscallprof.Frame.encodeDelimited(frameMessage(frame)).finish());
}

// A whole stream of frames.
export function encodeStream(frames: readonly Record<string, unknown>[]): Buffer {
  return Buffer.concat(frames.map(encodeDelimited));
}
