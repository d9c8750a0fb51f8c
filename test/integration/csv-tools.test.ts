// A real capture opens in the data tools people reach for, with no options:
// a CSV in Python's csv module and DuckDB's read_csv, a Parquet capture in
// DuckDB's read_parquet (issue 18), paths with commas, quotes and newlines included.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runBuiltCli } from '../helpers/cli.js';
import { canTrace, programsLeftAfter, scratch, workload } from '../helpers/kernel.js';

if (!canTrace) throw new Error('integration tests need root (eBPF): run them with sudo');

afterEach(async () => {
  expect(await programsLeftAfter()).toEqual([]);
});

let csv: string;
let weird: string;
let rows: number;

beforeAll(async () => {
  const dir = scratch();
  weird = join(dir, 'a,b "quoted"\nnext line');
  csv = join(dir, 'touch.csv');
  const r = await runBuiltCli(['trace', '--output', csv, '--', '/usr/bin/touch', weird]);
  expect(r.exitCode).toBe(0);
  rows = (JSON.parse(readFileSync(`${csv}.meta.json`, 'utf8')) as { rows: number }).rows;
  expect(rows).toBeGreaterThan(10);
});

describe('a CSV capture in data tools', () => {
  it("Python's csv.DictReader reads every row and the odd path exactly", () => {
    const script = [
      'import csv, json, sys',
      'rows = list(csv.DictReader(open(sys.argv[1], newline="")))',
      'print(json.dumps({"n": len(rows), "fields": list(rows[0].keys()), "paths": [r["path"] for r in rows if r["syscall"] == "openat"]}))',
    ].join('\n');
    const out = JSON.parse(execFileSync('python3', ['-c', script, csv], { encoding: 'utf8' })) as { n: number; fields: string[]; paths: string[] };
    expect(out.n).toBe(rows);
    expect(out.fields.slice(0, 5)).toEqual(['timestamp_ns', 'pid', 'tid', 'comm', 'syscall']);
    expect(out.paths).toContain(weird);
  });

  it("DuckDB's read_csv with no options", async () => {
    const db = await DuckDBInstance.create(':memory:');
    const c = await db.connect();
    const n = await c.runAndReadAll(`select count(*)::INTEGER as n from read_csv('${csv.replace(/'/g, "''")}')`);
    expect(n.getRowObjects()[0]!['n']).toBe(rows);
    const odd = await c.runAndReadAll(`select path from read_csv('${csv.replace(/'/g, "''")}') where syscall = 'openat' and path like '%quoted%'`);
    expect(odd.getRowObjects().map((r) => r['path'])).toEqual([weird]);
    const types = await c.runAndReadAll(`select column_name, column_type from (describe select * from read_csv('${csv.replace(/'/g, "''")}')) where column_name in ('timestamp_ns', 'duration_ns')`);
    expect(types.getRowObjects().map((r) => r['column_type'])).toEqual(['BIGINT', 'BIGINT']);
  });
});

describe('a Parquet capture in data tools', () => {
  let parquet: string;
  let n: number;

  beforeAll(async () => {
    parquet = join(scratch(), 'touch.parquet');
    const r = await runBuiltCli(['trace', '--output', parquet, '--', '/usr/bin/touch', weird]);
    expect(r.exitCode).toBe(0);
    n = Number(/wrote ([\d,]+) rows/.exec(r.stderr)![1]!.replace(/,/g, ''));
    expect(n).toBeGreaterThan(10);
  });

  it("DuckDB's read_parquet with no options: every row, typed columns, the odd path, the metadata", async () => {
    const db = await DuckDBInstance.create(':memory:');
    const c = await db.connect();
    const q = parquet.replace(/'/g, "''");
    const count = await c.runAndReadAll(`select count(*)::INTEGER as n from read_parquet('${q}')`);
    expect(count.getRowObjects()[0]!['n']).toBe(n);
    const odd = await c.runAndReadAll(`select path from read_parquet('${q}') where syscall = 'openat' and path like '%quoted%'`);
    expect(odd.getRowObjects().map((r) => r['path'])).toEqual([weird]);
    const types = await c.runAndReadAll(`select column_name, column_type from (describe select * from read_parquet('${q}')) where column_name in ('timestamp', 'pid', 'duration_ns', 'arg0', 'errno')`);
    expect(Object.fromEntries(types.getRowObjects().map((r) => [r['column_name'], r['column_type']]))).toEqual({
      timestamp: 'TIMESTAMP WITH TIME ZONE',
      pid: 'INTEGER',
      duration_ns: 'BIGINT',
      arg0: 'UBIGINT',
      errno: 'VARCHAR',
    });
    // the wall clock is the capture's: within the last hour
    const age = await c.runAndReadAll(`select (epoch_ms(now()) - epoch_ms(min(timestamp)))::BIGINT as ms from read_parquet('${q}')`);
    const ms = Number(age.getRowObjects()[0]!['ms']);
    expect(ms).toBeGreaterThanOrEqual(0);
    expect(ms).toBeLessThan(3_600_000);
    const meta = await c.runAndReadAll(`select decode(value) as v from parquet_kv_metadata('${q}') where decode(key) = 'syscall-prof'`);
    expect((JSON.parse(String(meta.getRowObjects()[0]!['v'])) as { rows: number }).rows).toBe(n);
  });

  it('is several times smaller than the same calls in CSV', async () => {
    const dir = scratch();
    const sizes: Record<string, number> = {};
    for (const format of ['csv', 'parquet']) {
      const out = join(dir, `dd.${format}`);
      const r = await runBuiltCli(['trace', '--output', out, '--', '/bin/dd', 'if=/dev/zero', 'of=/dev/null', 'bs=512', 'count=20000', 'status=none']);
      expect(r.exitCode).toBe(0);
      sizes[format] = statSync(out).size;
    }
    expect(sizes['csv']! / sizes['parquet']!).toBeGreaterThan(5);
  });
});

describe('the io_uring requests file of a CSV capture in data tools', () => {
  it("DuckDB's read_csv with no options: every request, typed columns, the odd path exactly", async () => {
    const dir = join(scratch(), 'u,"v"');
    mkdirSync(dir);
    const file = join(dir, 'uring.csv');
    const r = await runBuiltCli(['trace', '--output', file, '--', workload('uring_io'), '-r', '20', '-w', '6', '-f', '2', dir]);
    expect(r.exitCode, r.stderr).toBe(0);
    const side = JSON.parse(readFileSync(`${file}.meta.json`, 'utf8')) as { io_uring: { file: string; rows: number } };
    expect(side.io_uring).toEqual({ file: 'uring.io_uring.csv', rows: 28 });
    const requests = join(dir, side.io_uring.file).replace(/'/g, "''");
    const db = await DuckDBInstance.create(':memory:');
    const c = await db.connect();
    const ops = await c.runAndReadAll(`select op, count(*)::INTEGER as n, sum(length)::INTEGER as bytes from read_csv('${requests}') group by op order by op`);
    expect(ops.getRowObjects()).toEqual([
      { op: 'fsync', n: 2, bytes: 0 },
      { op: 'read', n: 20, bytes: 20 * 4096 },
      { op: 'write', n: 6, bytes: 6 * 4096 },
    ]);
    const paths = await c.runAndReadAll(`select distinct path from read_csv('${requests}')`);
    expect(paths.getRowObjects().map((x) => String(x['path']))).toEqual([expect.stringMatching(/u,"v"\/uring_io-[^/]+\/data$/)]);
    const types = await c.runAndReadAll(`select column_name, column_type from (describe select * from read_csv('${requests}')) where column_name in ('timestamp_ns', 'offset', 'punted', 'fixed_file')`);
    expect(types.getRowObjects().map((x) => [x['column_name'], x['column_type']])).toEqual([
      ['timestamp_ns', 'BIGINT'],
      ['fixed_file', 'BOOLEAN'],
      ['offset', 'BIGINT'],
      ['punted', 'BOOLEAN'],
    ]);
  });
});
