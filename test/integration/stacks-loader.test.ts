// --stacks on the real kernel: the loader's stacks of slow calls, from the
// stack_paths workload (with and without frame pointers) and Debian's sqlite3.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { FrameReader } from '../../src/core/wire/frame-reader.js';
import { syscallprof } from '../../src/core/wire/generated/syscall_prof.js';
import { hostArch, syscallNumber } from '../../src/core/model/syscall-names.js';
import { canTrace, loader, root, scratch, workload } from '../helpers/kernel.js';

if (!canTrace) throw new Error('integration tests need root (eBPF): run them with sudo');

type Frame = syscallprof.Frame;
type StackDef = syscallprof.IStackDef;

const ARCH = hostArch();
const nr = (name: string): number => {
  const n = syscallNumber(ARCH, name);
  if (n === null) throw new Error(`no ${name} on ${ARCH}`);
  return n;
};

// The loader's frames for a run (exit status 0 expected).
async function run(args: string[]): Promise<Frame[]> {
  const r = await execa(loader, args, { encoding: 'buffer', reject: false });
  expect(r.exitCode, Buffer.from(r.stderr).toString()).toBe(0);
  const reader = new FrameReader((b: Uint8Array) => syscallprof.Frame.decode(b), { source: 'loader stdout' });
  return reader.push(r.stdout).map((f) => f.frame);
}

// What a run says about stacks: every StackDef (checked to come before its first use) and the final snapshot.
function stacksOf(frames: Frame[]): { defs: Map<number, StackDef>; final: syscallprof.ISnapshot; eventIds: [number, number][] } {
  const defs = new Map<number, StackDef>();
  const eventIds: [number, number][] = [];
  let final: syscallprof.ISnapshot | null = null;
  for (const f of frames) {
    for (const d of f.snapshot?.stackDefs ?? f.events?.stackDefs ?? []) {
      expect(defs.has(d.id!), `stack ${d.id} sent twice`).toBe(false);
      defs.set(d.id!, d);
    }
    for (const s of f.snapshot?.stacks ?? []) expect(defs.has(s.stackId!), `stack ${s.stackId} used before its def`).toBe(true);
    const ids = f.events?.stackId ?? [];
    ids.forEach((id, i) => {
      if (id === 0) return;
      expect(defs.has(id), `row stack ${id} before its def`).toBe(true);
      eventIds.push([f.events!.nr![i]!, id]);
    });
    if (f.snapshot?.final) final = f.snapshot;
  }
  expect(final).not.toBeNull();
  return { defs, final: final!, eventIds };
}

const names = (d: StackDef | undefined): string[] => (d?.frames ?? []).map((f) => f.symbol ?? '');

// The stacks of syscall n by tgid, heaviest first, with their defs.
function stacksFor(s: ReturnType<typeof stacksOf>, tgid: number, n: number): { count: number; def: StackDef }[] {
  return (s.final.stacks ?? [])
    .filter((x) => x.tgid === tgid && x.nr === n)
    .map((x) => ({ count: Number(x.count), def: s.defs.get(x.stackId!)! }))
    .sort((a, b) => b.count - a.count);
}

// Health adds up: every slow call was taken, rate-limited or lost; every taken one unwound somehow.
function checkHealth(final: syscallprof.ISnapshot): syscallprof.IStackHealth {
  const h = final.stackHealth!;
  const [slow, taken, limited, lost] = [h.slowCalls, h.taken, h.rateLimited, h.lost].map(Number);
  expect(taken! + limited!).toBeLessThanOrEqual(slow!);
  expect(taken! + limited! + lost!).toBe(slow);
  expect(Number(h.unwoundFull) + Number(h.unwoundPartial) + Number(h.unwoundNone)).toBe(taken);
  return h;
}

describe.each(['stack_paths_fp', 'stack_paths_nofp'])('%s', (build) => {
  const COMMITS = 60;
  const RECORDS = 10;

  it('attributes the fsyncs to ledger_durable_commit and the writes to ledger_append', async () => {
    const frames = await run(['--stacks', '--stacks-min', '1', '--stacks-rate', '100000', '--', workload(build), String(COMMITS), String(RECORDS), scratch()]);
    const header = frames[0]!.header!;
    expect(header.stacks).toBe(true);
    expect(Number(header.stacksMinNs)).toBe(1);
    const s = stacksOf(frames);
    const h = checkHealth(s.final);
    const tgid = header.pids![0]!;
    const perProc = new Map((s.final.processes ?? []).filter((p) => p.tgid === tgid).map((p) => [p.nr, Number(p.count)]));
    const check = (call: string, fn: string, not: string, calls: number): void => {
      const list = stacksFor(s, tgid, nr(call));
      const sum = list.reduce((a, x) => a + x.count, 0);
      expect(sum).toBeLessThanOrEqual(perProc.get(nr(call))!);
      expect(perProc.get(nr(call))).toBe(calls);
      // with nothing lost, every call has its stack
      if (Number(h.lost) === 0) expect(sum).toBe(calls);
      const top = list[0]!.def;
      const frames = names(top);
      const why = JSON.stringify({ reason: top.incompleteReason, frames, health: h });
      expect(top.completeness, why).toBe(syscallprof.StackCompleteness.STACK_COMPLETENESS_FULL);
      expect(frames, why).toContain(fn);
      expect(frames).not.toContain(not);
      // innermost first: the syscall's wrapper, then its callers out to main
      expect(frames.indexOf(fn)).toBeLessThan(frames.indexOf('ledger_commit_batch'));
      expect(frames.indexOf('ledger_commit_batch')).toBeLessThan(frames.indexOf('ledger_run'));
      expect(frames.indexOf('ledger_run')).toBeLessThan(frames.indexOf('main'));
      expect(top.frames![0]!.module).toMatch(/libc\.so/);
    };
    check('fsync', 'ledger_durable_commit', 'ledger_append', COMMITS);
    check('write', 'ledger_append', 'ledger_durable_commit', COMMITS * RECORDS);
    expect(names(stacksFor(s, tgid, nr('write'))[0]!.def)).toContain('ledger_write_record');
  });

  it('gives each event row of a slow fsync its stack', async () => {
    const frames = await run(['--events', '--stacks', '--stacks-min', '1000', '--stacks-rate', '100000', '--', workload(build), '60', '2', scratch()]);
    const s = stacksOf(frames);
    checkHealth(s.final);
    const fsyncRows = s.eventIds.filter(([n]) => n === nr('fsync'));
    // each of the 60 fsyncs on disk takes well over 1 us
    expect(fsyncRows.length).toBe(60);
    for (const [, id] of fsyncRows) expect(names(s.defs.get(id))).toContain('ledger_durable_commit');
  });
});

describe('sqlite3 (Debian, no frame pointers)', () => {
  it('reaches past libc into libsqlite3 from the commits fsync/fdatasync', async () => {
    const dir = scratch();
    const sql = join(dir, 'commits.sql');
    writeFileSync(sql, ['create table t(x);', ...Array.from({ length: 20 }, (_, i) => `insert into t values(${i});`)].join('\n'));
    const sqlite = execFileSync('sh', ['-c', 'command -v sqlite3'], { encoding: 'utf8' }).trim();
    const frames = await run(['--stacks', '--stacks-min', '1000', '--', sqlite, join(dir, 't.db'), `.read ${sql}`]);
    const s = stacksOf(frames);
    checkHealth(s.final);
    const tgid = frames[0]!.header!.pids![0]!;
    const syncs = [...stacksFor(s, tgid, nr('fdatasync')), ...stacksFor(s, tgid, nr('fsync'))];
    expect(syncs.length).toBeGreaterThan(0);
    const top = syncs[0]!.def;
    expect(top.unwind).toBe(syscallprof.StackUnwind.STACK_UNWIND_DWARF);
    expect(top.frames![0]!.module).toMatch(/libc\.so/);
    const inSqlite = top.frames!.filter((f) => /libsqlite3\.so/.test(f.module ?? ''));
    expect(inSqlite.length).toBeGreaterThan(0);
    expect(inSqlite.map((f) => f.symbol)).toEqual(expect.arrayContaining([expect.stringMatching(/^sqlite3_(step|exec)$/)]));
    // frames with no name say why and where
    for (const f of top.frames!) if (!f.symbol) expect(f.unresolved).not.toBe('');
  });
});

describe('unwind-test (loader/test/unwind_test.c)', () => {
  it('unwinds and names its own recorded stack, and survives random input', async () => {
    const r = await execa(join(root, '.output/loader/unwind-test'), { reject: false });
    expect(r.stdout).not.toMatch(/^FAIL/m);
    expect(r.stdout).toMatch(/^ok a recorded slice unwinds fully from \.eh_frame$/m);
    expect(r.stdout).toMatch(/^ok random registers and stack bytes/m);
    expect(r.exitCode).toBe(0);
  });
});

describe('options', () => {
  it('sends no stacks without --stacks', async () => {
    const frames = await run(['--', workload('stack_paths_nofp'), '2', '2', scratch()]);
    expect(frames[0]!.header!.stacks).toBe(false);
    expect(frames.map((f) => f.body)).toEqual(expect.arrayContaining(['header', 'snapshot']));
    const final = frames.at(-1)!.snapshot!;
    expect(final.stacks).toEqual([]);
    expect(final.stackHealth).toBeNull();
  });

  it.each([
    [['--stacks-min', '5', '--', '/bin/true'], /need --stacks/],
    [['--stacks', '--stack-bytes', '40000', '--', '/bin/true'], /--stack-bytes: 40000 is out of range/],
    [['--stacks', '--stacks-rate', '0', '--', '/bin/true'], /--stacks-rate: 0 is out of range/],
  ])('refuses %j with exit 2 and one line', async (args, message) => {
    const r = await execa(loader, args, { reject: false });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });
});
