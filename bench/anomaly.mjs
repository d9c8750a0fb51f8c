// What anomaly detection costs the controller, on synthetic data (node bench/anomaly.mjs, after make):
// the detector's CPU per snapshot for SERIES active (process, syscall) series
// with 30 calls each per interval, and what writing an --on-anomaly-capture
// file costs from a full window (100,000 calls of 50 processes).
import { AnomalyDetector } from '../.output/dist/core/analysis/anomaly-detector.js';
import { SpbWindow } from '../.output/dist/core/capture/spb-window.js';
import { LatencyHistogram } from '../.output/dist/core/model/histogram.js';
import { standardLayout } from '../.output/dist/core/model/histogram-layout.js';
import { syscallprof } from '../.output/dist/core/wire/proto.js';

const PROCS = Number(process.env.BENCH_ANOMALY_PROCS ?? 500);
const SYSCALLS = 20;
const SNAPSHOTS = 40;
const cpuMs = (since) => {
  const u = process.cpuUsage(since);
  return (u.user + u.system) / 1000;
};

// the detector: cumulative per-process histograms (the coarse layout), as snapshots carry them
const layout = standardLayout(2);
const series = Array.from({ length: PROCS * SYSCALLS }, () => ({ h: new LatencyHistogram(layout), count: 0 }));
const det = new AnomalyDetector();
let spent = 0;
for (let t = 1; t <= SNAPSHOTS; t++) {
  const processes = [];
  for (let p = 0; p < PROCS; p++) {
    const syscalls = [];
    for (let s = 0; s < SYSCALLS; s++) {
      const c = series[p * SYSCALLS + s];
      for (let k = 0; k < 30; k++) c.h.addValue(1000 + Math.random() * 100_000);
      c.count += 30;
      const [indexes, counts] = [c.h.buckets().map((b) => b[0]), c.h.buckets().map((b) => b[1])];
      syscalls.push({ name: `sys${s}`, nr: s, count: c.count, errors: 0, totalNs: 0, maxNs: 0, histogram: LatencyHistogram.fromColumns(layout, indexes, counts) });
    }
    processes.push({ tgid: p + 1, comm: `p${p}`, syscalls });
  }
  const profile = { backend: 'ebpf', arch: 'x86_64', target: { kind: 'all', follow: false }, startedAt: new Date(0), durationNs: t * 1e9, final: false, syscalls: [], processes, inFlight: [], health: {}, cost: {}, exit: null, stopReason: null };
  const t0 = process.cpuUsage();
  det.update(profile);
  // after the warm-up: the steady state
  if (t > 10) spent += cpuMs(t0);
}
const perSnapshot = spent / (SNAPSHOTS - 10);
console.log(`detector: ${PROCS * SYSCALLS} series, ${perSnapshot.toFixed(1)} ms CPU per snapshot (${((perSnapshot * 1000) / (PROCS * SYSCALLS)).toFixed(1)} us per series)`);

// the capture window
const header = syscallprof.Frame.encodeDelimited(
  syscallprof.Frame.create({ header: { version: 2, arch: 1, mode: 1, startMonoNs: 1e9, startRealNs: 1.7e18, fine: { subBits: 3, buckets: 336 }, coarse: { subBits: 2, buckets: 172 }, events: true } }),
).finish();
const w = new SpbWindow({ windowMs: 60_000, maxEvents: 100_000 });
w.push(header, 0);
const col = (n, f) => Array.from({ length: n }, (_, i) => f(i));
let at = 1e9;
let pushMs = 0;
for (let b = 0; b < 100; b++) {
  const n = 1000;
  const events = { startNs: col(n, () => (at += 1000)), durationNs: col(n, () => 200_000), pid: col(n, (i) => 100 + (i % 50)), tid: col(n, (i) => 100 + (i % 50)), nr: col(n, () => 0), ret: col(n, () => 1), arg0: col(n, () => 3), arg1: col(n, () => 140_000_000_000), arg2: col(n, () => 4096), arg3: col(n, () => 0), arg4: col(n, () => 0), arg5: col(n, () => 0), pos: col(n, () => -1) };
  const bytes = syscallprof.Frame.encodeDelimited(syscallprof.Frame.create({ events })).finish();
  const t0 = process.cpuUsage();
  w.push(bytes, 1);
  pushMs += cpuMs(t0);
}
console.log(`capture window: ${((pushMs * 1000) / 100_000).toFixed(2)} us per call kept (${w.events} held)`);
for (const pid of [123, null]) {
  const t0 = process.cpuUsage();
  const c = w.capture(pid, 'x', 2);
  console.log(`capture of ${pid === null ? 'every process' : 'one process'}: ${c.rows} calls, ${(c.bytes.length / 1e6).toFixed(1)} MB, ${cpuMs(t0).toFixed(0)} ms CPU`);
}
