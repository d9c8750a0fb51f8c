// The readers on real captures (test/fixtures/capture/README.md says how each was made).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../../src/core/errors.js';
import { fileWith, readCapture, rejection } from './capture-helpers.js';

const fixture = (name: string) => fileURLToPath(new URL(`../../fixtures/capture/${name}`, import.meta.url));

describe('a recorded spb event capture (fsync_write 20)', () => {
  it('has every write and fsync, on the file, with write positions in order', async () => {
    const { events, end } = await readCapture(fixture('fsync_write-20.events.spb'));
    const onFile = events.filter((e) => e.path === '/tmp/fx.dat');
    expect(onFile.filter((e) => e.syscall === 'write').map((e) => [e.ret, e.pos])).toEqual(Array.from({ length: 20 }, (_, i) => [4096, i * 4096]));
    expect(onFile.filter((e) => e.syscall === 'fsync')).toHaveLength(20);
    expect(onFile.map((e) => e.syscall)).toEqual(['openat', ...Array.from({ length: 20 }, () => ['write', 'fsync']).flat(), 'close']);
    expect(new Set(events.map((e) => e.comm))).toEqual(new Set(['fsync_write']));
    expect(events[0]!.syscall).toBe('execve');
    // times only go forward within the thread, and start after the capture did
    expect(events.every((e, i) => i === 0 || e.startNs >= events[i - 1]!.startNs)).toBe(true);
    expect(events[0]!.startNs).toBeGreaterThanOrEqual(0);
    expect(end.meta).toMatchObject({ backend: 'ebpf', arch: 'x86_64', lostEvents: 0 });
    expect(end.meta.durationNs).toBeGreaterThan(events.at(-1)!.startNs);
    expect(end.profile).toBeNull();
  });

  it('fails with the byte offset when cut anywhere inside a frame', async () => {
    const bytes = readFileSync(fixture('fsync_write-20.events.spb'));
    for (const cut of [1, 100, Math.floor(bytes.length / 2), bytes.length - 1]) {
      const err = await rejection(readCapture(fileWith('cut.spb', bytes.subarray(0, cut))));
      expect(err).toBeInstanceOf(InputError);
      expect(err.message).toMatch(/: (truncated frame at byte offset \d+|byte offset \d+: the stream ends)/);
    }
  });
});

describe('a recorded CSV capture (seq_pread 50)', () => {
  it('has the 50 sequential preads of the file, offsets in order', async () => {
    const { events, end } = await readCapture(fixture('seq_pread-50.csv'));
    const preads = events.filter((e) => e.syscall === 'pread64' && e.path === '/tmp/fx-seq.dat');
    expect(preads.map((e) => Number(e.args[3]))).toEqual(Array.from({ length: 50 }, (_, i) => i * 4096));
    expect(preads.every((e) => e.ret === 4096)).toBe(true);
    expect(events.find((e) => e.syscall === 'ftruncate')?.path).toBe('/tmp/fx-seq.dat');
    expect(end.meta).toMatchObject({ backend: 'ebpf', target: 'command: .output/workloads/seq_pread 50 /tmp/fx-seq.dat, with children', lostEvents: 0 });
    expect(end.skipped).toBeNull();
  });
});
