// Stacks in words: trace's block, the report's section, the health sentence, the findings' evidence.
import { describe, expect, it } from 'vitest';
import { stackReport, stackSections } from '../../../src/core/analysis/stacks.js';
import type { StackHealth } from '../../../src/core/model/stacks.js';
import { palette } from '../../../src/presentation/render/color.js';
import { findingText } from '../../../src/presentation/render/findings/index.js';
import { stackHealthText, stackLine } from '../../../src/presentation/render/stack-words.js';
import { stacksSection } from '../../../src/presentation/render/stacks-section.js';
import { renderStacksBlock } from '../../../src/presentation/render/stacks-text.js';
import { FSYNC_PATH, WRITE_PATH, stackDef, stackProfile, stackStats } from '../../helpers/stacks.js';

const PROFILE = stackProfile(
  [stackDef(1, 10, FSYNC_PATH), stackDef(2, 10, WRITE_PATH, 'partial', 'stack slice too short')],
  [stackStats(10, 'fsync', 1, [1_000_000, 3_000_000]), stackStats(10, 'write', 2, [2_000_000])],
);
const plain = palette(false);

describe('stackLine', () => {
  it('shows a long stack\'s innermost frames after an ellipsis', () => {
    expect(stackLine(['a', 'b', 'c'])).toBe('a → b → c');
    expect(stackLine(['a', 'b', 'c', 'd'], 2)).toBe('… → c → d');
    expect(stackLine([])).toBe('(no frames)');
  });
});

describe('stackHealthText', () => {
  it('says what happened to the slow calls, with the top reasons', () => {
    const h: StackHealth = { slowCalls: 10, taken: 7, rateLimited: 3, lost: 0, unwoundFull: 5, unwoundPartial: 1, unwoundNone: 1, reasons: [{ reason: 'no unwind info', count: 2 }] };
    expect(stackHealthText(h)).toBe('Stacks: 7 of 10 slow calls had a stack taken; 3 skipped by the rate limit; unwound fully 5, partially 1, not at all 1 (no unwind info 2)');
  });

  it('leaves out what a capture read back from rows cannot tell', () => {
    const h: StackHealth = { slowCalls: null, taken: 4, rateLimited: null, lost: null, unwoundFull: 0, unwoundPartial: 0, unwoundNone: 0, reasons: [] };
    expect(stackHealthText(h)).toBe('Stacks: 4 slow calls with a stack; how far each unwound is not recorded in this capture');
  });
});

describe('renderStacksBlock', () => {
  it('lists each syscall\'s stacks with share, calls and latencies, then the health', () => {
    const text = renderStacksBlock(stackSections(PROFILE), PROFILE.health, plain).join('\n');
    expect(text).toContain('fsync: 2 calls slow, 4.0 ms');
    expect(text).toMatch(/100%\s+2\s+\S+ ms\s+3\.0 ms\s+3\.0 ms\s+main → ledger_run → ledger_durable_commit → fsync/);
    expect(text).toContain('main → ledger_run → ledger_append → write  [partial stack: stack slice too short]');
    expect(text).toContain('Stacks: 3 of 3 slow calls had a stack taken');
  });

  it('says so when no stack was taken', () => {
    const empty = stackProfile([], []);
    expect(renderStacksBlock([], empty.health, plain)).toEqual([
      'Where the slow calls come from (user stacks of slow calls; share of the syscall\'s slow time with a stack)',
      'No stack was taken: no call was slow enough.',
      'Stacks: 0 of 0 slow calls had a stack taken; 0 skipped by the rate limit',
    ]);
  });
});

describe('stacksSection', () => {
  it('has a table per syscall, its flame graph link and the health', () => {
    const lines = stacksSection(stackReport(PROFILE)!, new Map([['fsync', 'r.md.assets/flame-fsync.svg']]));
    expect(lines).toContain('| 100% | 2 | 1.0 ms | 3.0 ms | 3.0 ms | `main → ledger_run → ledger_durable_commit → fsync` |');
    expect(lines).toContain('![fsync: flame graph of the slow-call time by stack](r.md.assets/flame-fsync.svg)');
    expect(lines.filter((l) => l.startsWith('!['))).toHaveLength(1);
    expect(lines.at(-1)).toMatch(/^_Stacks: 3 of 3 slow calls/);
  });

  it('says so when no stack was taken', () => {
    expect(stacksSection(stackReport(stackProfile([], []))!)[0]).toBe('No stack was taken: no call was slow enough.');
  });
});

describe('findings', () => {
  it('quote the top stack of their syscall as the last evidence line', () => {
    const text = findingText({
      // another tool's rule: its words are its id alone, then the stack
      rule: 'another-tool',
      severity: 'info',
      syscall: 'fsync',
      subject: {},
      metrics: {},
      savingNs: 0,
      savingShare: null,
      topStack: stackSections(PROFILE)[0]!.stacks[0]!,
    } as never);
    expect(text.evidence).toHaveLength(1);
    expect(text.evidence.at(-1)).toMatch(/^Top stack of its slow calls \(100% of their time, 2 calls, p50 .* max 3\.0 ms\): main → ledger_run → ledger_durable_commit → fsync$/);
  });
});
