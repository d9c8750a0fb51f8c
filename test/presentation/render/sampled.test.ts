// Sampled captures (--sample N) in the text report and the JSON: times marked
// estimated with a footnote, counts and errors exact and unmarked.
import { describe, expect, it } from 'vitest';
import type { SyscallStats } from '../../../src/core/model/profile.js';
import { jsonReport } from '../../../src/presentation/render/json.js';
import { palette } from '../../../src/presentation/render/color.js';
import { renderReport } from '../../../src/presentation/render/report.js';
import { profileOf, statsOf } from '../../helpers/profile.js';

const PLAIN = palette(false);
const PERIOD = 16;

// What the converter makes of a syscall the kernel counted `count` times and
// timed at these latencies: times scaled by the period, the histogram as timed.
function sampledStats(name: string, nr: number, count: number, timed: readonly number[], errors = 0): SyscallStats {
  const s = statsOf(name, nr, timed, { errors });
  return { ...s, count, totalNs: s.totalNs * PERIOD, timedCalls: timed.length };
}

const TIMED = Array.from({ length: 400 }, (_, i) => 1000 + 10 * i);
const SAMPLED = profileOf({
  samplePeriod: PERIOD,
  syscalls: [sampledStats('read', 0, 6400, TIMED, 3), sampledStats('rseq', 334, 1, [])],
});

// the table row of a syscall, split into cells
function row(text: string, name: string): string[] {
  const line = text.split('\n').find((l) => l.startsWith(`${name} `));
  if (line === undefined) throw new Error(`no row ${name}`);
  return line.trim().split(/\s{2,}/);
}

describe('a sampled text report', () => {
  const text = renderReport(SAMPLED, { top: null, palette: PLAIN });

  it('marks every time of a sampled row "~", never the count or the errors', () => {
    const [name, count, errors, ...times] = row(text, 'read');
    expect([name, count, errors]).toEqual(['read', '6,400', '3']);
    expect(times).toHaveLength(5);
    for (const t of times) expect(t.startsWith('~')).toBe(true);
  });

  it('says in the header and a footnote what was sampled and the bound with the sampling error', () => {
    expect(text).toMatch(/Sampled: +1 call in 16 timed \(400\); every call counted/);
    const note = text.split('\n').find((l) => l.startsWith('~ sampled'))!;
    expect(note).toContain('1 call in 16 timed (400 of 6,401)');
    expect(note).toContain('counts and errors are exact');
    const pct = Number(/p50\/p99 within ([\d.]+)%/.exec(note)![1]);
    // above the bucket error alone: the sampling band is in it
    expect(pct).toBeGreaterThan(12.5);
    expect(text).not.toContain('p50/p99 are estimated from histograms, within 12.5%');
  });

  it('shows no time for a syscall counted but never timed', () => {
    const cells = row(text, 'rseq');
    expect(cells.slice(0, 3)).toEqual(['rseq', '1', '0']);
    expect(cells.slice(4)).toEqual(['-', '-', '-', '-']);
  });

  it('keeps an unsampled report unmarked', () => {
    const plain = renderReport(profileOf({ syscalls: [statsOf('read', 0, TIMED)] }), { top: null, palette: PLAIN });
    expect(plain).not.toContain('~');
    expect(plain).not.toContain('Sampled');
  });

  it('says "No syscalls traced." for an empty sampled capture', () => {
    const empty = renderReport(profileOf({ samplePeriod: PERIOD }), { top: null, palette: PLAIN });
    expect(empty).toContain('No syscalls traced.');
    expect(empty).not.toContain('~ sampled');
  });
});

describe('a sampled JSON report', () => {
  const json = jsonReport(SAMPLED, null) as {
    sampled: unknown;
    totals: { calls: number; errors: number };
    syscalls: { name: string; count: number; errors: number; totalNs: number; avgNs: number | null; timedCalls?: number; percentileError?: number | null }[];
    percentileError: { syscalls: number | null };
  };

  it('carries the period, timedCalls and the bound per syscall; counts exact', () => {
    expect(json.sampled).toEqual({ period: PERIOD });
    expect(json.totals).toMatchObject({ calls: 6401, errors: 3 });
    const read = json.syscalls.find((s) => s.name === 'read')!;
    expect(read).toMatchObject({ count: 6400, errors: 3, timedCalls: 400 });
    // the estimated total is timed x 16, the mean that of the timed calls
    const timedSum = TIMED.reduce((a, b) => a + b, 0);
    expect(read.totalNs).toBe(timedSum * PERIOD);
    expect(read.avgNs).toBe(Math.round((timedSum * PERIOD) / 6400));
    expect(read.percentileError!).toBeGreaterThan(0.125);
    expect(json.percentileError.syscalls).toBe(read.percentileError);
    const rseq = json.syscalls.find((s) => s.name === 'rseq')!;
    expect(rseq).toMatchObject({ count: 1, timedCalls: 0, avgNs: null, percentileError: null });
  });

  it('is null, and rows carry no timedCalls, when every call was timed', () => {
    const plain = jsonReport(profileOf({ syscalls: [statsOf('read', 0, TIMED)] }), null) as { sampled: unknown; syscalls: object[] };
    expect(plain.sampled).toBeNull();
    expect(plain.syscalls[0]).not.toHaveProperty('timedCalls');
  });
});
