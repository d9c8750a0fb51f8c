// The frame reader and session on a real capture from the loader (test/fixtures/loader/).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CorruptFrameError, TruncatedFrameError } from '../../../src/core/wire/frame-errors.js';
import { FrameReader } from '../../../src/core/wire/frame-reader.js';
import { FrameSession } from '../../../src/core/wire/session.js';
import { decodeFrame, type WireFrame } from '../../../src/core/wire/wire.js';
import type { Profile } from '../../../src/core/model/profile.js';

const CAPTURE = readFileSync(new URL('../../fixtures/loader/fsync_write-200.spb', import.meta.url));

// Feeds the chunks through a reader and a session; returns every profile.
function replay(chunks: readonly Uint8Array[]): Profile[] {
  const reader = new FrameReader<WireFrame>(decodeFrame, { source: 'fsync_write-200.spb' });
  const session = new FrameSession('fsync_write-200.spb');
  const out: Profile[] = [];
  for (const chunk of chunks) {
    for (const frame of reader.push(chunk)) {
      const p = session.accept(frame);
      if (p !== null) out.push(p);
    }
  }
  reader.end();
  return out;
}

function fsyncs(p: Profile): number {
  return p.syscalls.find((s) => s.name === 'fsync')?.count ?? 0;
}

describe('a recorded loader capture', () => {
  it('decodes to the workload\'s exact counts, ending in one final snapshot', () => {
    const profiles = replay([CAPTURE]);
    const last = profiles.at(-1)!;
    expect(last.final).toBe(true);
    expect(profiles.filter((p) => p.final)).toHaveLength(1);
    expect(fsyncs(last)).toBe(200);
    expect(last.syscalls.find((s) => s.name === 'write')?.count).toBe(200);
    expect(last.exit).toMatchObject({ kind: 'exited', code: 0 });
    expect(last.processes.map((p) => p.comm)).toEqual(['fsync_write']);
    // cumulative snapshots never go backwards
    const counts = profiles.map(fsyncs);
    expect(counts).toEqual([...counts].sort((a, b) => a - b));
  });

  it('decodes the same workload recorded in wire version 2 (enums) to the same counts', () => {
    const v2 = replay([readFileSync(new URL('../../fixtures/loader/fsync_write-200.v2.spb', import.meta.url))]);
    const last = v2.at(-1)!;
    expect([fsyncs(last), last.syscalls.find((s) => s.name === 'write')?.count]).toEqual([200, 200]);
    expect(last).toMatchObject({ arch: 'x86_64', final: true, stopReason: 'target-exit', target: { kind: 'command' }, cost: { enabled: true } });
    expect(replay([CAPTURE]).at(-1)).toMatchObject({ arch: 'x86_64', stopReason: 'target-exit', target: { kind: 'command' }, cost: { enabled: true } });
  });

  it('gives the same result however the stream is split', () => {
    const whole = fsyncs(replay([CAPTURE]).at(-1)!);
    for (let cut = 1; cut < CAPTURE.length; cut += 7) {
      const parts = [CAPTURE.subarray(0, cut), CAPTURE.subarray(cut)];
      expect(fsyncs(replay(parts).at(-1)!)).toBe(whole);
    }
    // and byte by byte
    expect(fsyncs(replay([...CAPTURE].map((b) => Uint8Array.of(b))).at(-1)!)).toBe(whole);
  });

  it('reports a stream cut short as truncated, with the offset of the cut frame', () => {
    expect(() => replay([CAPTURE.subarray(0, CAPTURE.length - 5)])).toThrow(TruncatedFrameError);
    expect(() => replay([CAPTURE.subarray(0, CAPTURE.length - 5)])).toThrow(/truncated frame at byte offset \d+/);
  });

  it('reports a damaged frame as corrupt, not truncated', () => {
    const bad = Buffer.from(CAPTURE);
    // the first frame's first tag byte becomes field 15 with wire type 7, which does not exist
    const prefixBytes = bad.findIndex((b) => (b & 0x80) === 0) + 1;
    bad[prefixBytes] = 0x7f;
    expect(() => replay([bad])).toThrow(CorruptFrameError);
    expect(() => replay([bad])).toThrow(/corrupt frame at byte offset 0/);
  });
});
