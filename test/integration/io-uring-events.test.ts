// io_uring per-request records in event mode, end to end: the real CLI and
// loader on the real kernel, the liburing workload (test/workloads/uring_io.c)
// with known requests, and fio's random reads. Each file is read back
// independently of our readers (CSV split by hand, JSON.parse, and the
// protobufjs decoder generated from the proto for spb), then through analyze.
import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import protobuf from 'protobufjs/minimal.js';
import { syscallprof } from '../../src/core/wire/proto.js';
import { runBuiltCli } from '../helpers/cli.js';
import { canTrace, programsLeftAfter, scratch, workload } from '../helpers/kernel.js';

if (!canTrace) throw new Error('integration tests need root (eBPF): run them with sudo');

// one request, as the three formats all say it
interface Rec {
  pid: number;
  tid: number;
  op: string;
  fd: number;
  fixed: boolean;
  path: string | null;
  offset: number | null;
  length: number;
  result: number;
  punted: boolean;
  ring: number;
}

const BS = 4096;
const EBADF = 9;
// IORING_OP_* numbers of what the workload submits
const OPCODES: Record<number, string> = { 3: 'fsync', 22: 'read', 23: 'write' };

// `trace --output` of argv into dir/cap.<format>
async function capture(dir: string, format: 'csv' | 'jsonl' | 'spb', argv: readonly string[]): Promise<{ file: string }> {
  const file = join(dir, `cap.${format}`);
  const r = await runBuiltCli(['trace', '--output', file, '--', ...argv]);
  expect(r.exitCode, r.stderr).toBe(0);
  expect(r.stderr).toContain('0 records lost');
  return { file };
}

// the requests of a capture, read without our readers
function records(file: string): Rec[] {
  if (file.endsWith('.csv')) {
    const side = JSON.parse(readFileSync(`${file}.meta.json`, 'utf8')) as { io_uring?: { file: string; rows: number } };
    expect(side.io_uring?.file).toBe('cap.io_uring.csv');
    const [header, ...lines] = readFileSync(file.replace(/\.csv$/, '.io_uring.csv'), 'utf8').trimEnd().split('\n');
    expect(lines.length).toBe(side.io_uring!.rows);
    const cols = header!.split(',');
    return lines.map((line) => {
      // no field of these captures holds a comma or a quote: a plain split is the RFC 4180 reading
      const f = Object.fromEntries(line.split(',').map((v, i) => [cols[i]!, v]));
      return {
        pid: Number(f['pid']),
        tid: Number(f['tid']),
        op: f['op']!,
        fd: Number(f['fd']),
        fixed: f['fixed_file'] === 'true',
        path: f['path'] === '' ? null : f['path']!,
        offset: f['offset'] === '' ? null : Number(f['offset']),
        length: Number(f['length']),
        result: Number(f['result']),
        punted: f['punted'] === 'true',
        ring: Number(f['ring']),
      };
    });
  }
  if (file.endsWith('.jsonl')) {
    const lines = readFileSync(file, 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    const end = lines.at(-1)!['syscall_prof_end'] as { io_uring_rows?: number };
    const recs = lines.filter((o) => o['kind'] === 'io_uring');
    // left out when there are none
    expect(recs.length).toBe(end.io_uring_rows ?? 0);
    return recs.map((o) => ({
      pid: o['pid'] as number,
      tid: o['tid'] as number,
      op: o['op'] as string,
      fd: o['fd'] as number,
      fixed: o['fixed_file'] as boolean,
      path: o['path'] as string | null,
      offset: o['offset'] as number | null,
      length: o['length'] as number,
      result: o['result'] as number,
      punted: o['punted'] as boolean,
      ring: o['ring'] as number,
    }));
  }
  // spb: the loader's frames, decoded by the generated decoder (not our hand-written one)
  const reader = protobuf.Reader.create(readFileSync(file));
  const out: Rec[] = [];
  while (reader.pos < reader.len) {
    const u = syscallprof.Frame.decodeDelimited(reader).events?.ioUring;
    if (u == null) continue;
    for (let i = 0; i < u.opcode.length; i++) {
      const offset = BigInt(u.offset[i]!.toString());
      out.push({
        pid: u.pid[i]!,
        tid: u.tid[i]!,
        op: OPCODES[u.opcode[i]!] ?? `op-${u.opcode[i]}`,
        fd: u.fd[i]!,
        fixed: u.fixedFile[i]!,
        // paths are the controller's (fd tracking): the wire has none
        path: null,
        offset: offset === 2n ** 64n - 1n ? null : Number(offset),
        length: u.length[i]!,
        result: u.result[i]!,
        punted: u.punted[i]!,
        ring: Number(u.ring[i]!.toString()),
      });
    }
  }
  return out;
}

// analyze --json of a capture: its io_uring part
async function analyzed(file: string): Promise<{
  ops: { op: string; count: number; errors: number; punted: number; bytes: number }[];
  files?: { path: string | null; fd: number; fixedFile: boolean; op: string; count: number; bytes: number; pattern: string; minOffset: number | null; maxEnd: number | null; punted: number }[];
}> {
  const r = await runBuiltCli(['analyze', '--json', '-i', file]);
  expect(r.exitCode, r.stderr).toBe(0);
  return (JSON.parse(r.stdout) as { ioUring: never }).ioUring;
}

const count = (recs: readonly Rec[], op: string): number => recs.filter((r) => r.op === op).length;
const sorted = (xs: readonly (number | null)[]): (number | null)[] => [...xs].sort((a, b) => (a ?? -1) - (b ?? -1));

afterEach(async () => {
  expect(await programsLeftAfter()).toEqual([]);
});

describe.each(['csv', 'jsonl', 'spb'] as const)('per-request records in %s', (format) => {
  it('has one record per request, with the offsets, lengths, results and file the workload used', async () => {
    const dir = scratch();
    try {
      // 12 writes in 3 runs of 4 (an fsync after each), 40 reads, 5 reads of a write-only fd; depth 4
      const { file } = await capture(dir, format, [workload('uring_io'), '-r', '40', '-w', '12', '-f', '3', '-e', '5', '-d', '4', dir]);
      const recs = records(file);
      expect(count(recs, 'read')).toBe(45);
      expect(count(recs, 'write')).toBe(12);
      expect(count(recs, 'fsync')).toBe(3);
      expect(recs.length).toBe(60);
      const pid = recs[0]!.pid;
      // one process, one thread submitting, one ring
      expect(new Set(recs.map((r) => `${r.pid}/${r.tid}/${r.ring}`))).toEqual(new Set([`${pid}/${pid}/${recs[0]!.ring}`]));
      const writes = recs.filter((r) => r.op === 'write');
      expect(sorted(writes.map((r) => r.offset))).toEqual(sorted([0, 1, 2, 3].flatMap((b) => [b, b, b]).map((b) => b * BS)));
      expect(writes.every((r) => r.length === BS && r.result === BS && r.fd === 3 && !r.fixed)).toBe(true);
      const reads = recs.filter((r) => r.op === 'read' && r.result >= 0);
      expect(sorted(reads.map((r) => r.offset))).toEqual(Array.from({ length: 40 }, (_, b) => b * BS));
      expect(reads.every((r) => r.length === BS && r.result === BS && r.fd === 3)).toBe(true);
      // the write-only fd (4): every read of it failed with EBADF
      const failed = recs.filter((r) => r.result < 0);
      expect(failed.map((r) => [r.op, r.fd, r.result])).toEqual(Array.from({ length: 5 }, () => ['read', 4, -EBADF]));
      expect(sorted(failed.map((r) => r.offset))).toEqual([0, 1, 2, 3, 4].map((b) => b * BS));
      const fsyncs = recs.filter((r) => r.op === 'fsync');
      expect(fsyncs.every((r) => r.fd === 3 && r.result === 0 && r.length === 0)).toBe(true);
      // fsync cannot complete inline: always punted
      expect(fsyncs.every((r) => r.punted)).toBe(true);
      if (format !== 'spb') {
        // fd 3 and fd 4 are the workload's file, opened with plain open(2) in the trace
        const paths = new Set(recs.map((r) => r.path));
        expect(paths.size).toBe(1);
        const path = [...paths][0]!;
        expect(path).toMatch(new RegExp(`^${dir}/uring_io-[^/]+/data$`));
      }
      // analyze from the records: the same counts, and the file (fds 3 and 4 are one) with its reads' range
      const u = await analyzed(file);
      expect(u.ops.map((o) => [o.op, o.count, o.errors]).sort()).toEqual([['fsync', 3, 0], ['read', 45, 5], ['write', 12, 0]]);
      expect(u.files!.map((f) => f.op).sort()).toEqual(['fsync', 'read', 'write']);
      const readRow = u.files!.find((f) => f.op === 'read')!;
      expect(readRow).toMatchObject({ count: 45, bytes: 40 * BS, minOffset: 0, maxEnd: 40 * BS });
      expect(readRow.path).toMatch(/\/data$/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('per-request records: filters, punts and fixed files', () => {
  it('keeps only failed requests with --failed, and only slow ones with --min-duration', async () => {
    const dir = scratch();
    try {
      const file = join(dir, 'cap.jsonl');
      const r = await runBuiltCli(['trace', '--failed', '--output', file, '--', workload('uring_io'), '-r', '20', '-w', '5', '-e', '3', dir]);
      expect(r.exitCode, r.stderr).toBe(0);
      expect(records(file).map((x) => [x.op, x.result])).toEqual([['read', -EBADF], ['read', -EBADF], ['read', -EBADF]]);
      // 1 s: longer than any request of this workload
      const slow = await runBuiltCli(['trace', '--min-duration', '1s', '--output', file, '--', workload('uring_io'), '-r', '20', '-w', '5', dir]);
      expect(slow.exitCode, slow.stderr).toBe(0);
      expect(records(file)).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('marks every buffered write the workload forces to io-wq (IOSQE_ASYNC) as punted, and agrees with the kernel aggregates', async () => {
    const dir = scratch();
    try {
      const { file } = await capture(dir, 'spb', [workload('uring_io'), '-w', '30', '-r', '10', '-A', dir]);
      const recs = records(file);
      const writes = recs.filter((r) => r.op === 'write');
      expect(writes.length).toBe(30);
      expect(writes.every((r) => r.punted)).toBe(true);
      // the per-request flags sum to the kernel's per-opcode punt counts
      const u = await analyzed(file);
      for (const o of u.ops) expect([o.op, recs.filter((r) => r.op === o.op && r.punted).length]).toEqual([o.op, o.punted]);
      expect(u.files!.find((f) => f.op === 'write')).toMatchObject({ count: 30, punted: 30, bytes: 30 * BS });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('keeps a registered file as its index (fixed_file), never as the fd of that number', async () => {
    const dir = scratch();
    try {
      const { file } = await capture(dir, 'csv', [workload('uring_io'), '-w', '8', '-f', '2', '-r', '16', '-d', '2', '-F', dir]);
      const recs = records(file);
      expect([count(recs, 'write'), count(recs, 'fsync'), count(recs, 'read')]).toEqual([8, 2, 16]);
      // index 0 is not fd 0 (stdin): no path
      expect(recs.every((r) => r.fixed && r.fd === 0 && r.path === null)).toBe(true);
      expect(sorted(recs.filter((r) => r.op === 'read').map((r) => r.offset))).toEqual(Array.from({ length: 16 }, (_, b) => b * BS));
      const r = await runBuiltCli(['analyze', '-i', file]);
      expect(r.exitCode, r.stderr).toBe(0);
      expect(r.stdout).toContain('fixed file #0');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('per-ring stats', () => {
  interface Ring { ring: number; requests: number; submits: number; maxDepth: number; avgDepth: number }
  async function rings(file: string): Promise<Ring[]> {
    const r = await runBuiltCli(['analyze', '--json', '-i', file]);
    expect(r.exitCode, r.stderr).toBe(0);
    return (JSON.parse(r.stdout) as { ioUring: { processes: { rings: Ring[] }[] } }).ioUring.processes.flatMap((p) => p.rings);
  }

  it('counts requests, submitting io_uring_enter calls and depth per ring, under the id the records carry', async () => {
    const dir = scratch();
    try {
      // cached reads complete inline, after their batch is submitted: depth 1, 2, 3, 4 in each of 10 batches
      const { file } = await capture(dir, 'spb', [workload('uring_io'), '-r', '40', '-d', '4', dir]);
      const id = records(file)[0]!.ring;
      expect(await rings(file)).toEqual([{ ring: id, requests: 40, submits: 10, maxDepth: 4, avgDepth: 2.5 }]);
      // writes and fsyncs too: 3 batches of 4 writes, 3 fsyncs alone, 10 batches of reads, 2 of failing reads
      const { file: second } = await capture(dir, 'spb', [workload('uring_io'), '-r', '40', '-w', '12', '-f', '3', '-e', '5', '-d', '4', dir]);
      const [ring] = await rings(second);
      expect(ring).toMatchObject({ requests: 60, submits: 18, maxDepth: 4 });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('sees a ring used synchronously at depth 1: one request per call', async () => {
    const dir = scratch();
    try {
      const { file } = await capture(dir, 'spb', [workload('uring_io'), '-r', '30', '-w', '10', '-d', '1', dir]);
      expect(await rings(file)).toMatchObject([{ requests: 40, submits: 40, maxDepth: 1, avgDepth: 1 }]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('per-request records of fio', () => {
  it('has one record per read fio issued, at random 4 KiB offsets within the file', async () => {
    const dir = scratch();
    try {
      const out = join(dir, 'fio.json');
      const size = 16 << 20;
      const target = join(dir, 'f');
      const { file } = await capture(dir, 'jsonl', [
        'fio', '--name=r', '--ioengine=io_uring', '--rw=randread', '--bs=4k', `--size=${size}`, `--filename=${target}`,
        '--iodepth=4', '--direct=1', '--runtime=1', '--time_based', '--output-format=json', `--output=${out}`,
      ]);
      const fio = JSON.parse(readFileSync(out, 'utf8')) as { jobs: { read: { total_ios: number } }[] };
      const reads = records(file).filter((r) => r.op === 'read');
      expect(reads.length).toBe(fio.jobs[0]!.read.total_ios);
      expect(reads.every((r) => r.offset !== null && r.offset % BS === 0 && r.offset + r.length <= size && r.length === BS)).toBe(true);
      expect(reads.every((r) => r.path === target)).toBe(true);
      // random: few reads start where the one submitted before ended
      const follows = reads.filter((r, i) => i > 0 && r.offset === reads[i - 1]!.offset! + BS).length;
      expect(follows / reads.length).toBeLessThan(0.05);
      const u = await analyzed(file);
      expect(u.files!.find((f) => f.op === 'read' && f.path === target)).toMatchObject({ count: reads.length, pattern: 'random' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

// fio is a Debian package of the Makefile's deps; without it the test above fails loudly
execFileSync('fio', ['--version']);
