// Copying rows between event batches (to merge small batches into larger ones).
import { ARG_COUNT, type EventBatch } from '../model/events.js';

// Appends src rows [from, from + count) to dst (which must have room).
export function appendRows(dst: EventBatch, src: EventBatch, from: number, count: number): void {
  const at = dst.length;
  if (at + count > dst.capacity) throw new RangeError(`${count} rows do not fit ${dst.capacity - at} free`);
  const to = from + count;
  dst.startNs.set(src.startNs.subarray(from, to), at);
  dst.durationNs.set(src.durationNs.subarray(from, to), at);
  dst.pid.set(src.pid.subarray(from, to), at);
  dst.tid.set(src.tid.subarray(from, to), at);
  dst.nr.set(src.nr.subarray(from, to), at);
  dst.ret.set(src.ret.subarray(from, to), at);
  for (let k = 0; k < ARG_COUNT; k++) {
    dst.argLo[k]!.set(src.argLo[k]!.subarray(from, to), at);
    dst.argHi[k]!.set(src.argHi[k]!.subarray(from, to), at);
  }
  dst.pos.set(src.pos.subarray(from, to), at);
  dst.offCpuNs.set(src.offCpuNs.subarray(from, to), at);
  dst.runqNs.set(src.runqNs.subarray(from, to), at);
  dst.stackId.set(src.stackId.subarray(from, to), at);
  // one capture's batches share one table
  dst.stacks ??= src.stacks;
  for (let i = 0; i < count; i++) {
    dst.syscall[at + i] = src.syscall[from + i]!;
    dst.comm[at + i] = src.comm[from + i]!;
    dst.path[at + i] = src.path[from + i] ?? null;
  }
  dst.length = at + count;
}
