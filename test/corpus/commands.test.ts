// The real-program corpus, commands: a parallel C build, Python start-up,
// SQLite with one transaction per insert, tar czf, git status, cp -r. Each is
// traced the spec's way (`trace --output F -- argv`) and its report checked
// against what a performance engineer would say of that program.
import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { canTrace, scratch, workload } from '../helpers/kernel.js';
import { bottlenecks, expectInvariants, first, subjects, WAITING_SYSCALLS } from './harness/invariants.js';
import { run } from './harness/process.js';
import { traceCommand } from './harness/trace.js';

if (!canTrace) throw new Error('the corpus needs root (eBPF): run it with sudo');

// A C project of `n` files, each a few hundred small functions: seconds of compiling.
function cProject(dir: string, n: number): void {
  const objs: string[] = [];
  for (let i = 0; i < n; i++) {
    const fns = Array.from({ length: 300 }, (_, j) => `unsigned f${i}_${j}(unsigned x) { for (unsigned k = 0; k < ${j + 3}; k++) x = x * 2654435761u + k; return x ^ ${j}u; }`);
    writeFileSync(join(dir, `m${i}.c`), `${fns.join('\n')}\n`);
    objs.push(`m${i}.o`);
  }
  writeFileSync(join(dir, 'main.c'), 'int main(void) { return 0; }\n');
  writeFileSync(join(dir, 'Makefile'), `prog: main.o ${objs.join(' ')}\n\tcc -o $@ $^\n%.o: %.c\n\tcc -O2 -c -o $@ $<\n`);
}

describe('a parallel C build (make -j2)', () => {
  // Compilers spend their time in user space: the build is CPU-bound, and
  // make's waits for its jobs (wait4, pselect6 on the job server) and the
  // vfork+exec of each job are how a build works, not its cost.
  it('is CPU-bound, with no category marked the bottleneck and no finding about waiting for children', async () => {
    const dir = scratch();
    cProject(dir, 12);
    const t = await traceCommand(dir, ['make', '-s', '-j2']);
    expectInvariants(t.report);
    expect(t.report.verdict.kind).toBe('cpu-bound');
    expect(bottlenecks(t.report)).toEqual([]);
    const about = t.report.findings.flatMap(subjects);
    for (const s of ['wait4', 'pselect6', 'vfork', 'clone', 'clone3']) expect(about).not.toContain(s);
    expect(t.report.findings.map((f) => f.rule)).not.toContain('reopen-same-file');
  });
});

describe('Python start-up with many imports', () => {
  // Importing searches sys.path: a stat or an open that fails with ENOENT in
  // each directory before the one that has the module. That search is the
  // syscall side of Python's start-up; reads from the interpreter's own pipes
  // (none here) would be waits, never "reads from disk".
  it('finds the import path search (failed opens/stats), not a disk problem', async () => {
    const dir = scratch();
    const mods = 'json, email.parser, http.client, xml.etree.ElementTree, asyncio, decimal, sqlite3, logging.handlers, argparse, csv, unittest, urllib.request';
    // a warm start, as a user's second run: the .pyc files in the page cache (this VM's cache is small and
    // cold reads from the disk would rightly be a disk finding)
    await run(['/usr/bin/python3', '-c', `import ${mods}`], 60_000);
    const t = await traceCommand(dir, ['/usr/bin/python3', '-c', `import ${mods}`]);
    expectInvariants(t.report);
    expect(['cpu-bound', 'mixed']).toContain(t.report.verdict.kind);
    const rules = t.report.findings.map((f) => f.rule);
    expect(rules.some((r) => r === 'failed-open-storm' || r === 'stat-storm' || r === 'process-startup')).toBe(true);
    expect(rules).not.toContain('bimodal-reads');
  });
});

describe('SQLite, one transaction per insert', () => {
  // In autocommit mode every INSERT is a transaction: SQLite writes the
  // rollback journal, syncs it, writes the database, syncs it, and deletes the
  // journal. The syncs are the cost; the fix is batching inserts into one
  // transaction (or WAL mode with synchronous=NORMAL).
  it('is I/O-bound on disk syncs, with the sync finding first', async () => {
    const dir = scratch();
    const sql = ['CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT);', ...Array.from({ length: 300 }, (_, i) => `INSERT INTO t(v) VALUES ('row ${i}');`)].join('\n');
    writeFileSync(join(dir, 'load.sql'), sql);
    const t = await traceCommand(dir, ['sqlite3', join(dir, 'db.sqlite'), `.read ${join(dir, 'load.sql')}`]);
    expectInvariants(t.report);
    expect(t.report.verdict.kind).toBe('io-bound');
    expect(bottlenecks(t.report)).toEqual(['sync']);
    const f = first(t.report);
    expect(f?.rule).toBe('sync-dominant');
    expect(['fsync', 'fdatasync']).toContain(f?.syscall);
  });
});

describe('tar czf of a source tree', () => {
  // gzip compression runs in user space and dwarfs reading cached files; tar
  // blocked writing into the pipe to gzip is waiting for gzip, not work.
  it('is CPU-bound, with no category marked the bottleneck', async () => {
    const dir = scratch();
    const tree = ['-C', '/usr/lib/python3.11', 'email', 'json', 'asyncio', 'unittest', 'xml', 'http'];
    // the tree in the page cache first (a cold tree read from the disk would rightly show disk reads)
    // (tar cf /dev/null would read nothing: GNU tar skips the contents when the archive is /dev/null)
    await run(['sh', '-c', `tar cf - ${tree.join(' ')} | wc -c`], 60_000);
    const t = await traceCommand(dir, ['tar', 'czf', join(dir, 'out.tgz'), ...tree]);
    expectInvariants(t.report);
    expect(t.report.verdict.kind).toBe('cpu-bound');
    expect(bottlenecks(t.report)).toEqual([]);
  });
});

describe('git status on a checkout of a few thousand files', () => {
  // git status lstat()s every tracked file against the index and reads
  // directories for untracked ones: metadata calls, all served from cache.
  it('makes no finding about a waiting call and keeps its savings bounded', async () => {
    const dir = scratch();
    const repo = join(dir, 'repo');
    mkdirSync(repo);
    cpSync('/usr/lib/python3.11', join(repo, 'lib'), { recursive: true, filter: (src) => !src.includes('__pycache__') && !src.includes('site-packages') });
    const git = (args: string[]): Promise<string> => run(['git', '-c', 'user.name=t', '-c', 'user.email=t@t', '-C', repo, ...args], 120_000);
    await git(['init', '-q']);
    await git(['add', '-A']);
    await git(['commit', '-q', '-m', 'tree']);
    const t = await traceCommand(dir, ['git', '-C', repo, 'status', '--porcelain']);
    expectInvariants(t.report);
    const meta = t.report.categories.find((c) => c.category === 'metadata');
    expect(meta?.totalNs ?? 0).toBeGreaterThan(0);
    for (const f of t.report.findings) for (const s of subjects(f)) expect(WAITING_SYSCALLS.has(s)).toBe(false);
  });
});

describe('cp -r of many small files', () => {
  // Copying a tree of small files is one open, a few metadata calls, a read or
  // copy_file_range, and a close per file: per-file syscalls on cached data.
  it('keeps its findings bounded and about working calls', async () => {
    const dir = scratch();
    mkdirSync(join(dir, 'copy'));
    const t = await traceCommand(dir, ['cp', '-r', '/usr/lib/python3.11/email', '/usr/lib/python3.11/json', '/usr/lib/python3.11/asyncio', join(dir, 'copy')], {});
    expectInvariants(t.report);
    expect(t.report.verdict.kind).not.toBe('unknown');
  });
});

describe('a pure-CPU program run the spec\'s way (--command "cpu 300")', () => {
  // 300 million rounds of arithmetic and no syscalls but its start and exit:
  // nothing to say about syscalls. Run from a string without shell syntax, it
  // runs without a /bin/sh wrapper waiting for it.
  it('is CPU-bound, with no category marked the bottleneck and no finding', async () => {
    const dir = scratch();
    const t = await traceCommand(dir, [], { command: `${workload('cpu')} 300 -` });
    expectInvariants(t.report);
    expect(t.report.verdict.kind).toBe('cpu-bound');
    expect(t.report.verdict.threads).toBe(1);
    expect(bottlenecks(t.report)).toEqual([]);
    expect(t.report.findings).toEqual([]);
  });
});
