// Hand-built io_uring parts of profiles, for analysis and renderer tests.
import { LatencyHistogram } from '../../src/core/model/histogram.js';
import { standardLayout } from '../../src/core/model/histogram-layout.js';
import { ioUringOpcode, type IoUringOpStats, type IoUringProcess, type IoUringProfile } from '../../src/core/model/io-uring.js';

// One opcode's requests, which took exactly these nanoseconds.
export function uringOp(op: string, values: readonly number[], extra: Partial<IoUringOpStats> = {}): IoUringOpStats {
  const histogram = new LatencyHistogram(standardLayout(3));
  for (const v of values) histogram.addValue(v);
  return {
    op,
    opcode: ioUringOpcode(op)!,
    count: values.length,
    errors: 0,
    totalNs: values.reduce((a, b) => a + b, 0),
    maxNs: Math.max(0, ...values),
    histogram,
    punted: 0,
    bytes: 0,
    errnos: [],
    ...extra,
  };
}

// A traced io_uring part: these ops, one process (pid 4242, "db") unless given.
export function uringProfile(ops: readonly IoUringOpStats[], overrides: Partial<IoUringProfile> & { process?: Partial<IoUringProcess> } = {}): IoUringProfile {
  const { process, ...rest } = overrides;
  return {
    traced: true,
    offReason: null,
    ops,
    processes: [{ tgid: 4242, comm: 'db', ops, waits: 0, overflows: 0, puntFds: [], ...process }],
    inFlight: [],
    drops: 0,
    ...rest,
  };
}
