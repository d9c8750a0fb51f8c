// The pprof export of the slow calls' stacks, decoded back with pprof-format:
// sample types, one sample per (process, syscall, stack) with its values,
// locations innermost first under the syscall leaf, functions and mappings.
import { gunzipSync } from 'node:zlib';
import { Profile } from 'pprof-format';
import { describe, expect, it } from 'vitest';
import { stacksPprof } from '../../../src/presentation/export/pprof.js';
import { FSYNC_PATH, LIBC, BINARY, WRITE_PATH, stackDef, stackProfile, stackStats } from '../../helpers/stacks.js';

describe('stacksPprof', () => {
  it('encodes each stack as a sample with its slow calls and their time', () => {
    const stacks = stackProfile(
      [stackDef(1, 10, FSYNC_PATH), stackDef(2, 11, WRITE_PATH)],
      [stackStats(10, 'fsync', 1, [1_000_000, 3_000_000]), stackStats(11, 'write', 2, [2_000_000])],
    );
    const p = Profile.decode(gunzipSync(stacksPprof(stacks, { startRealNs: '1735787045123456789', durationNs: 2e9 })));
    const str = (i: unknown): string => p.stringTable.strings[Number(i)]!;
    expect(p.sampleType.map((t) => `${str(t.type)}/${str(t.unit)}`)).toEqual(['slow_calls/count', 'slow_time/nanoseconds']);
    expect(str(p.defaultSampleType)).toBe('slow_time');
    expect(String(p.timeNanos)).toBe('1735787045123456789');
    expect(Number(p.durationNanos)).toBe(2e9);
    const fn = new Map(p.function.map((f) => [Number(f.id), str(f.name)]));
    const loc = new Map(p.location.map((l) => [Number(l.id), l]));
    const names = (ids: readonly unknown[]): string[] => ids.map((id) => fn.get(Number(loc.get(Number(id))!.line[0]!.functionId))!);
    const samples = p.sample.map((s) => ({
      stack: names(s.locationId),
      values: s.value.map(Number),
      labels: Object.fromEntries(s.label.map((l) => [str(l.key), Number(l.num) !== 0 ? Number(l.num) : str(l.str)])),
    }));
    expect(samples).toEqual([
      { stack: ['sys_fsync', 'fsync', 'ledger_durable_commit', 'ledger_run', 'main'], values: [2, 4_000_000], labels: { syscall: 'fsync', pid: 10 } },
      { stack: ['sys_write', 'write', 'ledger_append', 'ledger_run', 'main'], values: [1, 2_000_000], labels: { syscall: 'write', pid: 11 } },
    ]);
    // one location per address: main and ledger_run are shared by both stacks
    expect(p.location).toHaveLength(8);
    expect(p.mapping.map((m) => str(m.filename)).sort()).toEqual([BINARY, LIBC].sort());
    const fsyncLoc = p.location.find((l) => fn.get(Number(l.line[0]!.functionId)) === 'fsync')!;
    expect(Number(fsyncLoc.address)).toBe(0x7f00001000);
  });

  it('is a valid profile with no samples when no stack was taken', () => {
    const p = Profile.decode(gunzipSync(stacksPprof(stackProfile([], []))));
    expect(p.sample).toEqual([]);
    expect(p.sampleType).toHaveLength(2);
  });
});
