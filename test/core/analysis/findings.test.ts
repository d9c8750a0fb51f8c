import { describe, expect, it } from 'vitest';
import { analyzeCapture } from '../../../src/core/analysis/capture.js';
import { finding, findingContext, runRules, type Finding, type FindingRule } from '../../../src/core/analysis/findings.js';
import { FINDING_RULES, findingsOf, GENERIC_RULES, RULE_IDS } from '../../../src/core/analysis/rules/index.js';
import { aggregateOf, analysisOf, callsOf, sourceOf } from '../../helpers/offline.js';
import { profileOf, statsOf } from '../../helpers/profile.js';
import { openat, times, write } from './events.js';

// A finding with this rule, syscall and saving.
const made = (rule: string, syscall: string | null, savingNs: number): Finding => finding({ durationNs: 1e9 }, { rule, syscall, subject: {}, metrics: {}, savingNs });
// A rule giving these findings.
const ruleOf = (id: string, generic: boolean, run: FindingRule['run']): FindingRule => ({ id, generic, run });

describe('findings', () => {
  it('ranks findings by saving, rule order on ties', async () => {
    const ctx = findingContext(await aggregateOf(callsOf('read', [1])), 1e9);
    const a = ruleOf('a', false, () => [made('a', null, 5), made('a2', null, 50)]);
    const none = ruleOf('none', false, () => []);
    const b = ruleOf('b', false, (c) => c.rows.map((r) => made('b', r.name, 5)));
    expect(runRules(ctx, [a, none, b]).map((f) => `${f.rule} ${f.syscall}`)).toEqual(['a2 null', 'a null', 'b read']);
  });

  it('drops a generic finding about a syscall a specific finding covers', async () => {
    const ctx = findingContext(await aggregateOf([]), 1e9);
    const rules = [ruleOf('sync-dominant', false, () => [made('sync-dominant', 'fsync', 10)]), ruleOf('generic', true, () => [made('dominant-syscall', 'fsync', 0), made('dominant-syscall', 'read', 0), made('failing-syscall', 'openat', 1)])];
    expect(runRules(ctx, rules).map((f) => `${f.rule} ${f.syscall}`)).toEqual(['sync-dominant fsync', 'failing-syscall openat', 'dominant-syscall read']);
  });

  it('drops a generic finding about a syscall a specific finding is also about', async () => {
    const ctx = findingContext(await aggregateOf([]), 1e9);
    const churn = { ...made('memory-churn', 'munmap', 10), alsoAbout: ['mmap', 'brk'] };
    const rules = [ruleOf('memory-churn', false, () => [churn]), ruleOf('multimodal-syscall', true, () => [made('multimodal-syscall', 'brk', 5), made('multimodal-syscall', 'read', 5)])];
    expect(runRules(ctx, rules).map((f) => `${f.rule} ${f.syscall}`)).toEqual(['memory-churn munmap', 'multimodal-syscall read']);
  });

  it.each<[number, number | null, string, number | null]>([
    [100e6, 1e9, 'critical', 0.1],
    [99e6, 1e9, 'warning', 0.099],
    [20e6, 1e9, 'warning', 0.02],
    [19e6, 1e9, 'info', 0.019],
    [0, 1e9, 'info', 0],
    [5, null, 'warning', null],
    [0, null, 'info', null],
    [-5, 1e9, 'info', 0],
    [Number.NaN, 1e9, 'info', 0],
  ])('a saving of %d ns over %s ns is %s (share %s)', (savingNs, durationNs, severity, share) => {
    const f = finding({ durationNs }, { rule: 'x', syscall: null, subject: {}, metrics: {}, savingNs });
    expect(f.severity).toBe(severity);
    if (share === null) expect(f.savingShare).toBeNull();
    else expect(f.savingShare).toBeCloseTo(share, 12);
    expect(f.savingNs).toBeGreaterThanOrEqual(0);
  });

  it('memoizes modes and gives none for an unknown syscall', async () => {
    const ctx = findingContext(await aggregateOf(callsOf('read', [1, 2])), 1e9);
    expect(ctx.modes('read')).toBe(ctx.modes('read'));
    expect(ctx.modes('nope')).toEqual({ modes: [], multimodal: false });
    expect(ctx.syscall('read')!.count).toBe(2);
    expect(ctx.syscall('nope')).toBeUndefined();
  });

  it('finds nothing in an empty capture', async () => {
    expect(runRules(findingContext(await aggregateOf([]), null), FINDING_RULES)).toEqual([]);
    expect(findingsOf(await analysisOf([], { durationNs: null }))).toEqual([]);
  });

  it('finds nothing in a pure-CPU capture (a few cheap calls over a long run)', async () => {
    expect(findingsOf(await analysisOf([...callsOf('getpid', Array<number>(50).fill(300)), ...callsOf('brk', [900, 900])], { durationNs: 5e9 }))).toEqual([]);
  });

  it('gives no sync finding for buffered writes (large writes, no fsync)', async () => {
    const events = [openat('/data/out', 3, 1), ...times(2000, (i) => write(3, i * 65536, 65536, { durationNs: 20_000 }))];
    const rules = findingsOf(await analysisOf(events, { durationNs: 1e9 })).map((f) => f.rule);
    expect(rules).not.toContain('sync-dominant');
    expect(rules).not.toContain('osync-writes');
    expect(rules).not.toContain('small-writes');
  });

  it('ranks a mixed capture by saving, one finding per problem', async () => {
    const events = [
      ...callsOf('fsync', Array<number>(10).fill(20e6), { path: '/db/wal' }),
      openat('/var/log/app.log', 4, 1),
      ...times(500, (i) => write(4, i * 50, 50, { path: '/var/log/app.log', durationNs: 3_000 })),
      ...callsOf('nanosleep', Array<number>(300).fill(60_000)),
    ];
    const found = findingsOf(await analysisOf(events, { durationNs: 1e9 }));
    expect(found.map((f) => f.rule)).toEqual(['sync-dominant', 'small-writes', 'sleep-loop']);
    expect(found.map((f) => f.savingNs)).toEqual([...found.map((f) => f.savingNs)].sort((x, y) => y - x));
  });

  it('runs the aggregate-capable rules on an aggregate-only (Profile) capture', async () => {
    const syscalls = [statsOf('fsync', 74, Array<number>(10).fill(20e6)), statsOf('mmap', 9, Array<number>(300).fill(5_000)), statsOf('nanosleep', 35, Array<number>(300).fill(60_000))];
    const analysis = await analyzeCapture(sourceOf([], { meta: { durationNs: null }, profile: profileOf({ durationNs: 1e9, syscalls }) }));
    expect(analysis.facts).toBeNull();
    expect(findingsOf(analysis).map((f) => f.rule).sort()).toEqual(['memory-churn', 'sleep-loop', 'sync-dominant']);
  });

  it('lists every rule id once, as the rules emit them', () => {
    expect(new Set(RULE_IDS).size).toBe(RULE_IDS.length);
    expect(RULE_IDS).toHaveLength(FINDING_RULES.length);
    expect([...GENERIC_RULES].sort()).toEqual(['dominant-syscall', 'failing-syscall', 'multimodal-syscall']);
  });

  it('gives findings whose rule is the id of the rule that made them', async () => {
    const events = [...callsOf('fsync', Array<number>(10).fill(20e6)), ...callsOf('nanosleep', Array<number>(300).fill(60_000))];
    const ctx = findingContext(await aggregateOf(events), 1e9);
    const made = FINDING_RULES.flatMap((r) => r.run(ctx).map((f) => [r.id, f.rule]));
    expect(made.length).toBeGreaterThan(1);
    for (const [id, rule] of made) expect(rule).toBe(id);
  });
});
