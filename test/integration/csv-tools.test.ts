// A real CSV capture opens in the data tools people reach for, with no
// options: Python's csv module and DuckDB's read_csv (issue 18), paths with
// commas, quotes and newlines included.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runBuiltCli } from '../helpers/cli.js';
import { canTrace, programsLeftAfter, scratch } from '../helpers/kernel.js';

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
