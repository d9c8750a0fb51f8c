// Shared bits of the capture tests: temporary files, metadata, events, reading back.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CaptureFormat } from '../../../src/core/capture/format.js';
import { openCapture, type OpenOptions } from '../../../src/core/backends/open-recording.js';
import type { CaptureEnd } from '../../../src/core/capture/reader-types.js';
import { createCaptureWriter } from '../../../src/core/capture/writer.js';
import type { CaptureTrailer } from '../../../src/core/capture/writer-types.js';
import { batchesOf, type CaptureMeta, type SyscallEvent } from '../../../src/core/model/events.js';
import { syscallNumber } from '../../../src/core/model/syscall-names.js';

// A fresh temporary directory.
export function scratchDir(): string {
  return mkdtempSync(join(tmpdir(), 'syscall-prof-capture-'));
}

// A file with this content in a fresh directory.
export function fileWith(name: string, content: string | Uint8Array): string {
  const path = join(scratchDir(), name);
  writeFileSync(path, content);
  return path;
}

// Metadata of a small capture.
export const META: CaptureMeta = {
  backend: 'ebpf',
  arch: 'x86_64',
  target: 'command: ./db --port 5432, with children',
  startRealNs: '1735787045123456789',
  durationNs: null,
  lostEvents: 0,
  filters: { syscalls: ['read', 'write'], minDurationNs: 100_000, failedOnly: false },
};

// An event with defaults for what a test does not care about.
export function event(overrides: Partial<SyscallEvent> & { syscall?: string } = {}): SyscallEvent {
  const syscall = overrides.syscall ?? 'read';
  return {
    startNs: 1000,
    durationNs: 2500,
    pid: 4242,
    tid: 4243,
    comm: 'db',
    syscall,
    nr: syscallNumber('x86_64', syscall),
    ret: 4096,
    args: [3n, 0x7ffd_1234_5678n, 4096n, 0n, 0n, 0n],
    pos: 8192,
    path: '/var/lib/db/data',
    ...overrides,
  };
}

// Writes events to a capture of a format; returns its path.
export function writeCapture(format: CaptureFormat, events: readonly SyscallEvent[], meta: CaptureMeta = META, trailer: CaptureTrailer = { durationNs: 2_000_000_000, lostEvents: 3 }): string {
  const path = join(scratchDir(), `capture.${format}`);
  const writer = createCaptureWriter(path, format, meta);
  for (const b of batchesOf(events, 3)) writer.write(b);
  writer.commit(trailer);
  return path;
}

// Every event of a capture, its batch sizes and its end.
export async function readCapture(path: string, options: OpenOptions = {}): Promise<{ events: SyscallEvent[]; sizes: number[]; end: CaptureEnd; meta: CaptureMeta }> {
  const source = openCapture(path, { progress: null, ...options });
  const events: SyscallEvent[] = [];
  const sizes: number[] = [];
  for await (const b of source.batches) {
    events.push(...b.rows());
    sizes.push(b.length);
  }
  return { events, sizes, end: source.final(), meta: source.meta };
}

// The error a promise rejects with (fails the test if it resolves).
export async function rejection(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected a rejection');
}
