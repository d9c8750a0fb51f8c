// The io_uring part of a snapshot: checked, then converted into the model.
import { LatencyHistogram } from '../model/histogram.js';
import { byTime, sortErrnos, sumOps } from '../model/io-uring-sum.js';
import { ioUringOff, ioUringOpName, type IoUringOpStats, type IoUringProcess, type IoUringProfile, type IoUringPuntFd, type IoUringRing } from '../model/io-uring.js';
import { MAX_ERRNO } from '../model/errno.js';
import type { HistogramLayout } from '../model/histogram-layout.js';
import type { ErrnoCount } from '../model/profile.js';
import type { syscallprof } from './proto.js';
import type { WireHeader, WireSnapshot } from './wire.js';

// Opcodes above this are not io_uring opcodes (the BPF side keeps 64).
const MAX_OPCODE = 255;

// the fine layout (io_uring stats are per process, but few: they get the finer one);
// not validate.ts's toLayout: validate imports this file
function uringLayout(h: WireHeader): HistogramLayout {
  return { subBits: h.fine!.subBits, buckets: h.fine!.buckets };
}

// What is wrong with a snapshot's io_uring fields under this header, or null.
export function ioUringProblem(s: WireSnapshot, h: WireHeader): string | null {
  const any = s.ioUringOps.length + s.ioUringErrnos.length + s.ioUringProcs.length + s.ioUringInFlight.length + s.ioUringPuntFds.length + s.ioUringRings.length;
  if (any > 0 && !h.ioUring) return 'io_uring stats in a stream whose header did not announce them';
  const layout = uringLayout(h);
  const seen = new Set<number>();
  for (const o of s.ioUringOps) {
    const what = `io_uring process ${o.tgid} opcode ${o.opcode}`;
    if (o.tgid === 0) return `io_uring opcode ${o.opcode} stats have tgid 0`;
    if (o.opcode > MAX_OPCODE) return `${what}: opcode above ${MAX_OPCODE}`;
    const key = o.tgid * (MAX_OPCODE + 1) + o.opcode;
    if (seen.has(key)) return `${what} appears twice`;
    seen.add(key);
    if (o.bucketIndex.length !== o.bucketCount.length) return `${what}: ${o.bucketIndex.length} bucket indexes but ${o.bucketCount.length} counts`;
    for (let i = 0; i < o.bucketIndex.length; i++) {
      if (o.bucketIndex[i]! >= layout.buckets) return `${what}: bucket index ${o.bucketIndex[i]} is outside 0..${layout.buckets - 1}`;
      if (i > 0 && o.bucketIndex[i]! <= o.bucketIndex[i - 1]!) return `${what}: bucket indexes out of order`;
    }
    if (o.errors > o.count || o.punted > o.count) return `${what}: more errors or punts than requests`;
  }
  for (const e of s.ioUringErrnos) {
    if (e.err === 0 || e.err > MAX_ERRNO) return `io_uring errno ${e.err} of opcode ${e.opcode} is outside 1..${MAX_ERRNO}`;
  }
  for (const p of s.ioUringProcs) if (p.tgid === 0) return 'io_uring process with tgid 0';
  for (const r of s.ioUringRings) {
    if (r.tgid === 0) return `io_uring ring ${r.ring} has tgid 0`;
    if (r.requests === 0 || r.maxDepth > r.requests || r.depthSum > r.requests * r.maxDepth) return `io_uring ring ${r.ring} of process ${r.tgid}: depth beyond its requests`;
  }
  for (const f of s.ioUringPuntFds) if (f.punted === 0 && f.totalNs > 0) return `io_uring punts on fd ${f.fd} of process ${f.tgid}: time without a request`;
  return null;
}

// The model's io_uring part of a validated snapshot.
export function toIoUring(h: WireHeader, s: WireSnapshot): IoUringProfile {
  if (!h.ioUring) return ioUringOff(h.ioUringOffReason === '' ? null : h.ioUringOffReason);
  const layout = uringLayout(h);
  const errnos = new Map<string, ErrnoCount[]>();
  for (const e of s.ioUringErrnos) {
    const k = `${e.tgid}/${e.opcode}`;
    errnos.set(k, [...(errnos.get(k) ?? []), { errno: e.err, count: e.count }]);
  }
  const perProc = new Map<number, IoUringOpStats[]>();
  for (const o of s.ioUringOps) {
    const list = perProc.get(o.tgid) ?? [];
    list.push(toOp(o, layout, errnos.get(`${o.tgid}/${o.opcode}`) ?? []));
    perProc.set(o.tgid, list);
  }
  const procs = new Map(s.ioUringProcs.map((p) => [p.tgid, p]));
  const puntFds = new Map<number, IoUringPuntFd[]>();
  for (const f of s.ioUringPuntFds) puntFds.set(f.tgid, [...(puntFds.get(f.tgid) ?? []), { fd: f.fd, punted: f.punted, totalNs: f.totalNs }]);
  const rings = new Map<number, IoUringRing[]>();
  for (const r of s.ioUringRings) {
    const ring = { ring: r.ring, requests: r.requests, submits: r.submits, maxDepth: r.maxDepth, avgDepth: r.depthSum / r.requests };
    rings.set(r.tgid, [...(rings.get(r.tgid) ?? []), ring]);
  }
  const tgids = [...new Set([...perProc.keys(), ...procs.keys(), ...puntFds.keys()])].sort((a, b) => a - b);
  const processes: IoUringProcess[] = tgids.map((tgid) => {
    const p = procs.get(tgid);
    return {
      tgid,
      comm: sanitize(p?.comm ?? ''),
      ops: (perProc.get(tgid) ?? []).sort(byTime),
      waits: p?.waits ?? 0,
      overflows: p?.overflows ?? 0,
      puntFds: (puntFds.get(tgid) ?? []).sort((a, b) => b.totalNs - a.totalNs || a.fd - b.fd),
      rings: (rings.get(tgid) ?? []).sort((a, b) => b.requests - a.requests || a.ring - b.ring),
    };
  });
  return {
    traced: true,
    offReason: null,
    ops: sumOps(processes.flatMap((p) => p.ops)),
    processes,
    inFlight: s.ioUringInFlight
      .map((f) => ({ tgid: f.tgid, op: ioUringOpName(f.opcode), opcode: f.opcode, ageNs: f.ageNs, punted: f.punted, fd: f.fd }))
      .sort((a, b) => b.ageNs - a.ageNs),
    drops: s.health?.ioUringDrops ?? 0,
  };
}

function toOp(o: syscallprof.IoUringOpStats, layout: HistogramLayout, errnos: ErrnoCount[]): IoUringOpStats {
  return {
    op: ioUringOpName(o.opcode),
    opcode: o.opcode,
    count: o.count,
    errors: o.errors,
    totalNs: o.totalNs,
    maxNs: o.maxNs,
    histogram: LatencyHistogram.fromColumns(layout, o.bucketIndex, o.bucketCount),
    punted: o.punted,
    bytes: o.bytes,
    errnos: sortErrnos(errnos),
  };
}

// comm is set by the traced program itself: keep terminal control characters out
function sanitize(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, '?');
}
