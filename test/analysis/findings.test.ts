import { describe, expect, it } from 'vitest';
import { findingContext, runRules, type FindingRule } from '../../src/analysis/findings.js';
import { FINDING_RULES } from '../../src/analysis/rules/index.js';
import { aggregateOf, callsOf } from '../helpers/offline.js';

describe('findings', () => {
  it('runs rules in order and concatenates their findings', async () => {
    const ctx = findingContext(await aggregateOf(callsOf('read', [1])), 1e9);
    const a: FindingRule = () => [{ rule: 'a', syscall: null, title: 'A', evidence: [], recommendation: [] }];
    const none: FindingRule = () => [];
    const b: FindingRule = (c) => c.rows.map((r) => ({ rule: 'b', syscall: r.name, title: r.name, evidence: [], recommendation: [] }));
    expect(runRules(ctx, [a, none, b]).map((f) => f.title)).toEqual(['A', 'read']);
  });

  it('memoizes modes and gives none for an unknown syscall', async () => {
    const ctx = findingContext(await aggregateOf(callsOf('read', [1, 2])), 1e9);
    expect(ctx.modes('read')).toBe(ctx.modes('read'));
    expect(ctx.modes('nope')).toEqual({ modes: [], multimodal: false });
  });

  it('finds nothing in an empty capture', async () => {
    expect(runRules(findingContext(await aggregateOf([]), null), FINDING_RULES)).toEqual([]);
  });
});
