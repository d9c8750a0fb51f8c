// Parsing /proc/stat and /proc/pressure, and the shares between two readings.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadBetween, parsePressure, parseProcStatCpu, readLoadSample, type LoadSample } from '../../../src/core/system/pressure.js';

function fakeProc(stat: string, cpu: string | null): string {
  const dir = mkdtempSync(join(tmpdir(), 'syscall-prof-proc-'));
  writeFileSync(join(dir, 'stat'), stat);
  if (cpu !== null) {
    mkdirSync(join(dir, 'pressure'));
    writeFileSync(join(dir, 'pressure', 'cpu'), cpu);
  }
  return dir;
}

describe('pressure', () => {
  it('reads the cpu line: busy is all but idle and iowait, guest left out', () => {
    expect(parseProcStatCpu('cpu  100 0 50 800 50 0 0 0 30 0\ncpu0 1 2 3 4\n')).toEqual({ busy: 150, total: 1000 });
    expect(parseProcStatCpu('intr 1 2\n')).toBeNull();
    expect(parseProcStatCpu(null)).toBeNull();
  });

  it('reads the totals of some and full', () => {
    expect(parsePressure('some avg10=4.55 avg60=10.06 avg300=9.49 total=4996251340\nfull avg10=0.00 avg60=0.00 avg300=0.00 total=12\n')).toEqual({ some: 4996251340, full: 12 });
    expect(parsePressure(null)).toEqual({ some: null, full: null });
  });

  it('gives shares of the window between two readings', () => {
    const sample = (monoNs: number, busy: number, total: number, some: number): LoadSample => ({
      monoNs,
      cpu: { busy, total },
      pressure: { cpu: { some, full: null }, io: { some: null, full: null }, memory: { some: 0, full: 0 } },
    });
    // 2 s, 300 of 400 jiffies busy, 0.5 s of CPU stall
    const load = loadBetween(sample(1e9, 100, 1000, 1_000_000), sample(3e9, 400, 1400, 1_500_000));
    expect(load.windowNs).toBe(2e9);
    expect(load.cpuBusy).toBeCloseTo(0.75);
    expect(load.cpuPressure).toEqual({ some: 0.25, full: null });
    expect(load.ioPressure).toEqual({ some: null, full: null });
    expect(load.memoryPressure).toEqual({ some: 0, full: 0 });
  });

  it('reads a proc tree, with nulls for what it lacks', () => {
    const s = readLoadSample(fakeProc('cpu  1 2 3 4 5 6 7 8\n', 'some avg10=0 avg60=0 avg300=0 total=77\n'));
    expect(s.cpu).toEqual({ busy: 27, total: 36 });
    expect(s.pressure.cpu.some).toBe(77);
    expect(s.pressure.io).toEqual({ some: null, full: null });
  });

  it('reads this machine', () => {
    const s = readLoadSample();
    expect(s.cpu!.total).toBeGreaterThan(0);
  });
});
