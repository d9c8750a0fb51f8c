// Where the slow calls come from, through the real CLI on real binaries: the
// stack_paths workload fsyncs from ledger_durable_commit and writes from
// ledger_append, built with frame pointers (unwound in the kernel) and
// without (unwound by the loader from a copied stack slice); both builds must
// attribute each syscall to its own path, in trace's JSON, in a CSV capture
// read back (analyze --folded) and in the report (section and flame graph).
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { canTrace, cli, programsLeftAfter, scratch, workload } from '../helpers/kernel.js';

if (!canTrace) throw new Error('integration tests need root (eBPF): run them with sudo');

afterEach(async () => {
  expect(await programsLeftAfter()).toEqual([]);
});

// stack_paths' defaults: 50 commits of 20 records each
const COMMITS = 50;
const RECORDS = 20;

interface StackJson {
  readonly frames: string[];
  readonly calls: number;
  readonly share: number;
}
interface Stacks {
  readonly health: { slowCalls: number; taken: number; rateLimited: number; lost: number };
  readonly syscalls: { syscall: string; calls: number; stacks: StackJson[] }[];
}

function run(args: readonly string[]): string {
  return execFileSync(process.execPath, [cli, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 120_000 });
}

function stacksOf(build: string): Stacks {
  // every call is slow (1 ns) and no rate limit: every call's stack is taken
  const out = JSON.parse(run(['trace', '--json', '--stacks', '--stacks-min', '1ns', '--stacks-rate', '100000', '--', workload(build)])) as { stacks: Stacks };
  return out.stacks;
}

const has = (s: StackJson, name: string): boolean => s.frames.includes(name);

describe.each(['stack_paths_fp', 'stack_paths_nofp'])('%s', (build) => {
  it('trace --stacks attributes fsync to ledger_durable_commit and write to ledger_append', () => {
    const stacks = stacksOf(build);
    const h = stacks.health;
    // every slow call is accounted for: a stack taken, skipped by the rate limit, or lost in a full buffer
    expect(h.taken + h.rateLimited + h.lost).toBe(h.slowCalls);
    const fsync = stacks.syscalls.find((s) => s.syscall === 'fsync')!;
    const write = stacks.syscalls.find((s) => s.syscall === 'write')!;
    expect(fsync.calls).toBeGreaterThan(0);
    expect(write.calls).toBeGreaterThan(0);
    for (const s of fsync.stacks) {
      expect(s.frames.slice(-4)).toEqual(['ledger_run', 'ledger_commit_batch', 'ledger_durable_commit', 'fsync']);
      expect(has(s, 'main')).toBe(true);
    }
    for (const s of write.stacks) {
      expect(has(s, 'ledger_append') && has(s, 'ledger_write_record') && has(s, 'main')).toBe(true);
      expect(has(s, 'ledger_durable_commit')).toBe(false);
    }
    // one path each: the whole of each syscall's slow time
    expect(fsync.stacks).toHaveLength(1);
    expect(write.stacks).toHaveLength(1);
    expect(fsync.stacks[0]!.share).toBe(1);
    if (h.lost === 0) {
      expect(fsync.calls).toBe(COMMITS);
      expect(write.calls).toBe(COMMITS * RECORDS);
    }
  });

  it('a CSV capture keeps each call\'s stack; analyze --folded and report read it back', () => {
    const dir = scratch();
    const csv = join(dir, 'cap.csv');
    run(['trace', '--stacks', '--stacks-min', '1ns', '--stacks-rate', '100000', '--output', csv, '--', workload(build)]);
    const rows = readFileSync(csv, 'utf8').split('\n').slice(1).filter((l) => l !== '');
    const fsyncRows = rows.filter((l) => l.split(',')[4] === 'fsync');
    expect(fsyncRows).toHaveLength(COMMITS);
    const withStack = fsyncRows.filter((l) => !l.endsWith(','));
    expect(withStack.length).toBeGreaterThan(0);
    for (const l of withStack) expect(l).toMatch(/,_start;__libc_start_main;.*;main;ledger_run;ledger_commit_batch;ledger_durable_commit;fsync$/);

    const folded = run(['analyze', '--input', csv, '--folded', '--folded-value', 'calls']).split('\n').filter((l) => l !== '');
    const fsyncLines = folded.filter((l) => l.includes(';sys_fsync '));
    expect(fsyncLines).toHaveLength(1);
    expect(fsyncLines[0]).toMatch(/;main;ledger_run;ledger_commit_batch;ledger_durable_commit;fsync;sys_fsync \d+$/);
    expect(Number(fsyncLines[0]!.split(' ').at(-1))).toBe(withStack.length);
    const writeLines = folded.filter((l) => l.includes(';sys_write '));
    expect(writeLines).toHaveLength(1);
    expect(writeLines[0]).toMatch(/;ledger_append;ledger_write_record;[^;]+;sys_write \d+$/);

    const report = join(dir, 'report.md');
    run(['report', '--input', csv, '--output', report]);
    const md = readFileSync(report, 'utf8');
    expect(md).toContain('## Where the Slow Calls Come From');
    expect(md).toMatch(/\| 100% \| [\d,]+ \| .* \| `_start → .*main → ledger_run → ledger_commit_batch → ledger_durable_commit → fsync` \|/);
    expect(md).toContain('![fsync: flame graph of the slow-call time by stack](report.md.assets/flame-fsync.svg)');
    const flame = join(dir, 'report.md.assets', 'flame-fsync.svg');
    expect(existsSync(flame)).toBe(true);
    expect(readFileSync(flame, 'utf8')).toContain('<title>ledger_durable_commit (100.0%)</title>');
    // the sync-dominant finding quotes the fsync path
    expect(md).toMatch(/- Top stack of its slow calls \(100% of their time, .*ledger_durable_commit → fsync/);
  });
});
