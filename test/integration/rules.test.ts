// The finding rules on real captures: each rule's workload from test/workloads/
// traced with the real CLI, loader and kernel (`trace --output`), then
// `report --json`: the rule fires, about the right syscall, with the numbers the
// workload's arguments make (the finding's data: subject and metrics), a positive
// saving, and no other specific rule fires.
// Then the seed spec's end-to-end strategy, and `diff` on two real captures.
// Latencies vary on a busy VM: timing checks are orders of magnitude and shares,
// counts are exact.
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Finding } from '../../src/core/analysis/findings.js';
import { GENERIC_RULES, RULE_IDS } from '../../src/core/analysis/rules/index.js';
import type { FindingText } from '../../src/presentation/render/findings/index.js';
import { canTrace, cli, scratch, workload } from '../helpers/kernel.js';

if (!canTrace) throw new Error('integration tests need root (eBPF): run them with sudo');

// The parts of `report --json` these tests read.
interface Row {
  readonly name: string;
  readonly count: number;
  readonly errors: number;
  readonly totalNs: number;
  readonly p50Ns: number | null;
}
interface Mode {
  readonly count: number;
  readonly peakNs: number;
}
interface FileIo {
  readonly path: string;
  readonly reads: { readonly ops: number; readonly pattern: string; readonly comparedOps: number; readonly sequentialOps: number; readonly nonSequentialNs: number };
}
// A finding as `report --json` writes it: its data (read loosely: which fields a rule has is its own) and its words.
type JsonFinding = Finding<string, { readonly [field: string]: any }, { readonly [metric: string]: number }> & { readonly text: FindingText };
interface Report {
  readonly meta: { readonly backend: string; readonly durationNs: number; readonly lostEvents: number };
  readonly summary: { readonly calls: number };
  readonly verdict: { readonly kind: string; readonly capacityNs: number };
  readonly rows: readonly Row[];
  readonly categories: readonly { readonly category: string; readonly bottleneck: boolean }[];
  readonly findings: readonly JsonFinding[];
  readonly distributions: readonly { readonly syscall: string; readonly modes: { readonly modes: readonly Mode[]; readonly multimodal: boolean } }[];
  readonly ioPatterns: { readonly files: readonly FileIo[] };
  readonly hotFiles: readonly { readonly path: string; readonly writes: number; readonly syncs: number }[];
}

// One traced run of a workload.
interface Captured {
  readonly dir: string;
  readonly csv: string;
  // the workload's own stdout
  readonly stdout: string;
  readonly report: Report;
}

async function run(args: string[]): Promise<{ stdout: string; stderr: string }> {
  const r = await execa(process.execPath, [cli, ...args], { reject: false });
  if (r.exitCode !== 0) throw new Error(`syscall-prof ${args.join(' ')} exited ${r.exitCode}: ${r.stderr}`);
  return { stdout: r.stdout, stderr: r.stderr };
}

// A workload and its arguments (dir: a fresh scratch directory for its files).
interface Run {
  readonly name: string;
  readonly args: (dir: string) => string[];
  // the capture's format: csv, or spb for what only spb carries (io_uring requests)
  readonly format?: 'spb';
}

// Each run is traced once and shared by the tests that read it. Traces run one
// at a time; a capture's report is made while the next one is traced.
const runs = new Map<string, Promise<Captured>>();
const dirs: string[] = [];
let tracing: Promise<unknown> = Promise.resolve();

afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

// Traces a run and reports on it.
function traced(w: Run): Promise<Captured> {
  const key = `${w.name} ${w.args('DIR').join(' ')} ${w.format ?? 'csv'}`;
  let p = runs.get(key);
  if (p === undefined) {
    const dir = scratch();
    dirs.push(dir);
    const csv = join(dir, `x.${w.format ?? 'csv'}`);
    const trace = tracing.then(() => run(['trace', '--output', csv, '--', workload(w.name), ...w.args(dir)]));
    tracing = trace.catch(() => undefined);
    p = trace.then(async (t) => {
      expect(t.stderr).toMatch(/; 0 records lost/);
      const report = JSON.parse((await run(['report', '--input', csv, '--json'])).stdout) as Report;
      expect(report.meta).toMatchObject({ backend: 'ebpf', lostEvents: 0 });
      return { dir, csv, stdout: t.stdout, report };
    });
    runs.set(key, p);
  }
  return p;
}

function row(c: Captured, name: string): Row {
  const r = c.report.rows.find((x) => x.name === name);
  if (r === undefined) throw new Error(`no ${name} row in the report of ${c.csv}`);
  return r;
}

function modes(c: Captured, syscall: string): readonly Mode[] {
  return c.report.distributions.find((d) => d.syscall === syscall)!.modes.modes;
}

// The rule ids of the specific (non-generic) findings.
function specific(r: Report): string[] {
  return [...new Set(r.findings.filter((f) => !GENERIC_RULES.has(f.rule)).map((f) => f.rule))].sort();
}

// Rows of the capture file as objects by column name (our paths need no quoting).
function csvRows(file: string): Record<string, string>[] {
  const lines = readFileSync(file, 'utf8').split('\n').filter((l) => l !== '' && !l.startsWith('#'));
  const header = lines[0]!.split(',');
  return lines.slice(1).map((l) => Object.fromEntries(l.split(',').map((v, i) => [header[i]!, v])));
}

// A regex source matching a path literally.
const lit = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
// The work directory a rule workload makes under dir: dir/name-XXXXXX.
const workdir = (dir: string, name: string): string => `${lit(dir)}/${name}-\\w{6}`;

// A rule, the workload that shows its pattern and what its finding must say.
interface RuleCase {
  readonly rule: (typeof RULE_IDS)[number];
  readonly run: Run;
  // the syscall the finding names; several when any of them may lead (the one with the most time)
  // (null: the finding is about no one syscall)
  readonly syscall: string | null | readonly string[];
  readonly check: (f: JsonFinding, c: Captured) => void;
  // the saving may be 0 on this workload (its check computes what it must be)
  readonly savingMayBeZero?: boolean;
}

// 100 x (write 4 KiB, fsync)
const FSYNC_WRITE: Run = { name: 'fsync_write', args: (dir) => ['100', join(dir, 'wal')] };
// 2000 preads of 4 KiB of an 8,192,000-byte file: at random offsets (fixed seed), in order
const RAND_PREAD: Run = { name: 'rand_pread', args: (dir) => ['2000', join(dir, 'table.dat')] };
const SEQ_PREAD: Run = { name: 'seq_pread', args: (dir) => ['2000', join(dir, 'table.dat')] };
// 300 million rounds of arithmetic, no syscalls
const CPU: Run = { name: 'cpu', args: () => ['300', '-'] };
// 100 writes of 4 KiB as FSYNC_WRITE makes, without the fsyncs
const BUFFERED_WRITE: Run = { name: 'buffered_write', args: (dir) => ['100', join(dir, 'wal')] };

const RULE_CASES: readonly RuleCase[] = [
  {
    // 300 connections to a loopback server, one 16-byte request each; both ends non-blocking, waiting in poll
    rule: 'connection-churn',
    run: { name: 'conn_churn', args: () => ['300'] },
    syscall: 'connect',
    check(f) {
      const groups = f.subject.groups as readonly { direction: string; connections: number; requestsPerConnection: number; maxConcurrent: number; avoidable: number; costNs: number; nsPerConnection: number; connectP50Ns: number | null; savingNs: number }[];
      const out = groups.find((g) => g.direction === 'outbound')!;
      const inbound = groups.find((g) => g.direction === 'inbound')!;
      // one request per connection, one connection at a time on the client
      expect(out).toMatchObject({ connections: 300, requestsPerConnection: 1, maxConcurrent: 1, avoidable: 299 });
      expect(inbound).toMatchObject({ connections: 300, requestsPerConnection: 1 });
      expect(inbound.maxConcurrent).toBeLessThanOrEqual(2);
      // the non-blocking connects completed (getsockopt(SO_ERROR) after poll): a latency for each
      expect(out.connectP50Ns).toBeGreaterThan(0);
      expect(f.metrics.connections).toBe(600);
      // saving: the measured open+close cost per connection x the connections a pool would avoid, never more than the cost
      for (const g of groups) expect(g.savingNs).toBeCloseTo(g.nsPerConnection * g.avoidable, 0);
      expect(f.savingNs).toBeCloseTo(out.savingNs + inbound.savingNs, 0);
      expect(f.savingNs).toBeLessThanOrEqual(f.metrics.costNs);
      expect(f.text.recommendation[0]).toMatch(/keep-alive/);
    },
  },
  {
    // 30 requests each written as a 20-byte header and a 30-byte body with Nagle on, the server answering the whole request
    rule: 'nagle-stall',
    run: { name: 'nagle_stall', args: () => ['30'] },
    syscall: 'recvfrom',
    check(f) {
      const [g, ...rest] = f.subject.groups as readonly { direction: string; splitRequests: number; stalls: number; stallReadNs: number; wholeRequests: number }[];
      expect(rest).toEqual([]);
      expect(g).toMatchObject({ direction: 'outbound', splitRequests: 30, wholeRequests: 0 });
      // the first requests may go out while the server's kernel still ACKs at once (quick-ACK mode)
      expect(g!.stalls).toBeGreaterThanOrEqual(20);
      // each a delayed ACK: 40 ms and a little more, well below the 200 ms ceiling
      expect(f.metrics.nsPerStall).toBeGreaterThanOrEqual(38e6);
      expect(f.metrics.nsPerStall).toBeLessThan(100e6);
      // no request was written whole: the whole wait is claimed, and it is the reads' own time
      expect(f.savingNs).toBeCloseTo(g!.stallReadNs, 0);
    },
  },
  {
    // 5 connections, each answered 200 ms after its request
    rule: 'slow-first-byte',
    run: { name: 'first_byte', args: () => ['5', '200'] },
    syscall: 'recvfrom',
    savingMayBeZero: true,
    check(f) {
      const [g] = f.subject.groups as readonly { connections: number; firstResponseP50Ns: number; firstResponseP99Ns: number; connectP50Ns: number; serverNs: number }[];
      expect(g!.connections).toBe(5);
      // the server's delay, plus the wake-up and loopback trip (tolerance 25 ms on a busy 2-CPU machine)
      expect(g!.firstResponseP50Ns).toBeGreaterThanOrEqual(200e6);
      expect(g!.firstResponseP50Ns).toBeLessThan(225e6);
      expect(g!.firstResponseP99Ns).toBeLessThan(225e6);
      expect(g!.connectP50Ns).toBeLessThan(20e6);
      expect(f.savingNs).toBe(0);
    },
  },
  {
    // 20 connects to a bound port nobody listens on
    rule: 'connection-errors',
    run: { name: 'conn_refused', args: () => ['20'] },
    syscall: 'connect',
    savingMayBeZero: true,
    check(f) {
      expect(f.metrics).toMatchObject({ connections: 20, failed: 20, refused: 20, reset: 0, timedOut: 0, failedShare: 1 });
      expect(f.subject.groups[0]).toMatchObject({ direction: 'outbound', endpoint: expect.stringMatching(/^127\.0\.0\.1:\d+$/), refused: 20 });
    },
  },
  {
    // 6 clients connect at once to a listener with a backlog of 1 that does not accept for 200 ms
    rule: 'listen-overflow',
    run: { name: 'listen_overflow', args: () => ['6', '1'] },
    syscall: 'accept4',
    savingMayBeZero: true,
    check(f) {
      // 2 queued and accepted, 4 handshakes dropped (this namespace's counters: at least the workload's)
      expect(f.metrics['accepts']).toBe(2);
      expect(f.metrics['overflows']).toBeGreaterThanOrEqual(4);
      expect(f.metrics['drops']).toBeGreaterThanOrEqual(4);
      expect(f.savingNs).toBe(0);
    },
  },
  {
    // 2000 requests of 22 bytes over a socketpair, each answered with 11 bytes before the next
    rule: 'request-response',
    run: { name: 'request_reply', args: () => ['2000'] },
    syscall: 'write',
    check(f) {
      // both ends are request/response sockets: 2 x 2000 exchanges
      expect(f.metrics).toMatchObject({ requests: 4000, calls: 8000, callsPerRequest: 2, failedReads: 0, pipelineDepth: 16 });
      expect(f.subject).toMatchObject({ sockets: 2, processes: 2 });
      expect(f.savingNs).toBeCloseTo(f.metrics.totalNs * (15 / 16), 0);
    },
  },
  {
    // /bin/true started 20 times, one after the other
    rule: 'process-startup',
    run: { name: 'spawn_loop', args: () => ['20'] },
    syscall: 'execve',
    check(f) {
      // the workload's own start and the 20 of true
      expect(f.metrics).toMatchObject({ starts: 21, repeatedStarts: 19, failedExecs: 0 });
      expect(f.subject.programs[0]).toMatchObject({ comm: 'true', starts: 20 });
      expect(f.metrics.librariesPerStart).toBeGreaterThanOrEqual(1);
    },
  },
  {
    rule: 'sync-dominant',
    run: FSYNC_WRITE,
    syscall: 'fsync',
    check(f, c) {
      expect(f.subject.syscalls).toEqual(['fsync']);
      expect(f.metrics).toMatchObject({ calls: 100, totalNs: row(c, 'fsync').totalNs, writes: 100, batch: 8 });
      expect(f.metrics.share).toBeGreaterThan(0.3);
      expect(f.text.evidence[3]).toMatch(/^Batching 8 syncs into one would save about .+ \(7 of every 8 syncs\)$/);
      expect(f.savingNs).toBeCloseTo((row(c, 'fsync').totalNs * 7) / 8, 0);
      expect(c.report.hotFiles[0]).toMatchObject({ path: join(c.dir, 'wal'), writes: 100, syncs: 100 });
    },
  },
  {
    // 50 writes of 4 KiB to an O_SYNC file
    rule: 'osync-writes',
    run: { name: 'osync_write', args: (dir) => ['50', dir] },
    syscall: 'write',
    check(f, c) {
      expect(f.metrics).toMatchObject({ writes: 50, batch: 8 });
      expect(f.subject.files).toHaveLength(1);
      expect(f.subject.files[0]).toMatchObject({ path: expect.stringMatching(new RegExp(`^${workdir(c.dir, 'osync_write')}/journal$`)), writes: 50 });
      expect(f.text.title).toBe('50 synchronous writes (O_SYNC/O_DSYNC)');
      // the workload's only writes: the saving is 7/8 of them
      expect(row(c, 'write').count).toBe(50);
      expect(f.savingNs).toBeCloseTo((row(c, 'write').totalNs * 7) / 8, 0);
    },
  },
  {
    // 500 writes of 16 bytes
    rule: 'small-writes',
    run: { name: 'small_writes', args: (dir) => ['500', dir] },
    syscall: 'write',
    check(f, c) {
      expect(f.subject).toMatchObject({ path: expect.stringMatching(new RegExp(`^${workdir(c.dir, 'small_writes')}/app\\.log$`)), fd: expect.any(Number), pid: expect.any(Number) });
      expect(f.metrics).toMatchObject({ smallCalls: 500, calls: 500, smallShare: 1, smallBelowBytes: 4096, avgBytes: 16 });
      // 500 x 16 B = 8,000 B: one 64 KiB buffer
      expect(f.metrics).toMatchObject({ smallBytes: 8000, bufferBytes: 65536, bufferedCalls: 1 });
      expect(f.text.evidence[2]).toBe('Buffered in 64.0 KiB chunks the same 7.8 KiB would take 1 call instead of 500');
      expect(row(c, 'write').count).toBe(500);
      expect(f.savingNs).toBeCloseTo((row(c, 'write').totalNs * 499) / 500, 0);
    },
  },
  {
    // 500 reads of 64 bytes and one of 0 at the end of the file
    rule: 'small-reads',
    run: { name: 'small_reads', args: (dir) => ['500', dir] },
    syscall: 'read',
    check(f, c) {
      expect(f.subject).toMatchObject({ path: expect.stringMatching(new RegExp(`^${workdir(c.dir, 'small_reads')}/records\\.dat$`)), fd: expect.any(Number) });
      // 32,000 bytes over 501 reads
      expect(f.metrics).toMatchObject({ smallCalls: 501, calls: 501, smallBytes: 32_000, bufferedCalls: 1 });
      expect(f.metrics.avgBytes).toBeCloseTo(32_000 / 501, 9);
      expect(f.text.evidence[2]).toBe('Read in 64.0 KiB blocks the same 31.3 KiB would take 1 call instead of 501');
      expect(f.savingNs).toBeGreaterThan(0);
      expect(f.savingNs).toBeLessThan(row(c, 'read').totalNs);
    },
  },
  {
    rule: 'random-reads',
    run: RAND_PREAD,
    syscall: 'pread64',
    savingMayBeZero: true,
    check(f, c) {
      expect(f.subject.path).toBe(join(c.dir, 'table.dat'));
      // the seed's 2000 offsets: one of them happens to follow its predecessor
      expect(f.metrics).toMatchObject({ randomReads: 1998, comparedReads: 1999, avgBytes: 4096 });
      // reads reach into the last 4 KiB block of the 8,192,000-byte file
      expect(f.metrics.extentBytes).toBeLessThanOrEqual(8_192_000);
      expect(f.metrics.extentBytes).toBeGreaterThan(8_192_000 - 2 * 4096);
      expect(f.text.evidence[1]).toBe('Reads reached 7.8 MiB into the file, 4.0 KiB per read on average');
      // the saving as the rule defines it, from this capture's own figures: the random reads' time beyond what
      // as many reads at the fast mode's peak take. The file is sparse and cached, so which of first touches and
      // re-reads the fast mode is varies from run to run, and with it whether anything is left (it can be 0)
      const reads = c.report.ioPatterns.files.find((x) => x.path === join(c.dir, 'table.dat'))!.reads;
      const peak = c.report.distributions.find((d) => d.syscall === 'pread64')!.modes.modes[0]!.peakNs;
      expect(f.savingNs).toBeCloseTo(Math.max(0, reads.nonSequentialNs - (reads.comparedOps - reads.sequentialOps) * peak), 0);
      expect(f.savingNs).toBeLessThan(row(c, 'pread64').totalNs);
    },
  },
  {
    // 500 blocks of 4 KiB, every 4th evicted from the page cache, read in order
    rule: 'bimodal-reads',
    run: { name: 'bimodal_read', args: (dir) => ['500', '4', dir] },
    syscall: 'pread64',
    check(f, c) {
      // every 4th block, 125, evicted; a file system that keeps them (tmpfs) cannot show the pattern
      expect(c.stdout, `is ${c.dir} on tmpfs?`).toMatch(/^125 of 500 blocks were out of the page cache$/m);
      const table = new RegExp(`^${workdir(c.dir, 'bimodal_read')}/table\\.dat$`);
      const reads = csvRows(c.csv).filter((r) => r.syscall === 'pread64' && table.test(r.path ?? ''));
      expect(reads).toHaveLength(500);
      const evicted = reads.filter((r) => (Number(BigInt(r.arg3!)) / 4096) % 4 === 3);
      expect(evicted).toHaveLength(125);
      const [fast, ...slow] = modes(c, 'pread64');
      const slowCount = slow.reduce((n, x) => n + x.count, 0);
      // each evicted block's read waits for the disk: an order of magnitude slower than a hit
      expect(evicted.map((r) => Number(r.duration_ns)).filter((ns) => ns < 10 * fast!.peakNs)).toEqual([]);
      // the slow cluster: those 125 reads, and the odd page-cache hit slowed by an interrupt
      // or preemption on a busy machine (a few % of the 375 at most)
      expect(slowCount).toBeGreaterThanOrEqual(125);
      expect(slowCount - 125).toBeLessThanOrEqual(0.05 * 375);
      expect(slow[slow.length - 1]!.peakNs).toBeGreaterThanOrEqual(10 * fast!.peakNs);
      expect(f.metrics).toMatchObject({ calls: row(c, 'pread64').count, slowCalls: slowCount, fastPeakNs: fast!.peakNs, slowPeakNs: slow[slow.length - 1]!.peakNs });
      expect(f.subject.labels[0]).toBe('cache');
      expect(f.subject.labels.slice(1).every((l: string) => l === 'disk')).toBe(true);
      expect(f.text.title).toMatch(/^pread64\(\) latency is bimodal: \d+(\.\d)?% of reads are \d+x slower$/);
      expect(f.savingNs).toBeGreaterThan(0);
    },
  },
  {
    // 20 libraries, each looked for in lib0..lib7 and found in lib7: 7 x 20 ENOENT
    rule: 'failed-open-storm',
    run: { name: 'enoent_search', args: (dir) => ['20', dir] },
    syscall: 'openat',
    check(f, c) {
      expect(f.metrics).toMatchObject({ failedOpens: 140, failedPaths: 140, failedNs: f.savingNs });
      // names on equal failures in name order
      expect(f.subject.searched).toEqual(['lib0.so', 'lib1.so', 'lib10.so'].map((name) => ({ name, dirs: 8, failures: 7, found: true })));
      expect(f.text.title).toBe('140 opens failed with ENOENT searching for files');
      expect(row(c, 'openat').errors).toBe(140);
      expect(f.savingNs).toBeGreaterThan(0);
      expect(f.savingNs).toBeLessThan(row(c, 'openat').totalNs);
      // the generic finding about the same failures gives way
      expect(c.report.findings.filter((x) => x.rule === 'failing-syscall' && x.syscall === 'openat')).toEqual([]);
    },
  },
  {
    // 100 x (stat app.conf, stat app.db, access app.lock -> ENOENT)
    rule: 'stat-storm',
    run: { name: 'stat_storm', args: (dir) => ['100', dir] },
    syscall: 'newfstatat',
    check(f, c) {
      const { lookups, paths, repeated } = f.metrics;
      // the workload's 300 of 3 paths (and the dynamic loader's few): 297 ask again at least
      expect(lookups! - repeated!).toBe(paths);
      expect(repeated).toBeGreaterThanOrEqual(297);
      const w = workdir(c.dir, 'stat_storm');
      expect(f.subject.paths).toEqual([
        { path: expect.stringMatching(new RegExp(`^${w}/app\\.conf$`)), lookups: 100, failures: 0 },
        { path: expect.stringMatching(new RegExp(`^${w}/app\\.db$`)), lookups: 100, failures: 0 },
        { path: expect.stringMatching(new RegExp(`^${w}/app\\.lock$`)), lookups: 100, failures: 100 },
      ]);
      expect(f.text.evidence[3]).toMatch(/\/app\.lock: 100 times \(100 failed\)$/);
      expect(f.savingNs).toBeGreaterThan(0);
    },
  },
  {
    // settings.conf created once, then opened, read and closed 100 times
    rule: 'reopen-same-file',
    run: { name: 'reopen', args: (dir) => ['100', dir] },
    syscall: 'openat',
    check(f, c) {
      const path = `${workdir(c.dir, 'reopen')}/settings\\.conf`;
      expect(f.subject.path).toMatch(new RegExp(`^${path}$`));
      expect(f.metrics).toMatchObject({ opens: 101, closes: 101 });
      expect(f.text.title).toMatch(new RegExp(`^${path} opened 101 times$`));
      expect(f.savingNs).toBeGreaterThan(0);
      expect(f.savingNs).toBeLessThan(row(c, 'openat').totalNs + row(c, 'close').totalNs);
    },
  },
  {
    // 500 x (epoll_wait, poll) with a zero timeout on an idle eventfd, then one of each with the event
    rule: 'busy-poll',
    run: { name: 'busy_poll', args: () => ['500'] },
    syscall: 'epoll_wait',
    check(f, c) {
      expect(f.subject.spinning).toEqual([
        { syscall: 'epoll_wait', emptyPolls: 500 },
        { syscall: 'poll', emptyPolls: 500 },
      ]);
      expect(f.metrics).toMatchObject({ emptyPolls: 1000, polls: 1002 });
      // one thread spins once, over both syscalls
      expect(f.metrics.threads).toBe(1);
      expect(f.metrics.spinNs).toBe(f.savingNs);
      expect(f.text.title).toBe('Busy polling: 1,000 polls (500 epoll_wait, 500 poll) returned nothing with a zero timeout');
      expect(f.savingNs).toBeGreaterThan(0);
      expect(f.savingNs).toBeLessThan(c.report.meta.durationNs);
    },
  },
  {
    // 4 threads x 200 rounds of one mutex held for 200 us of CPU work
    rule: 'futex-contention',
    run: { name: 'futex_contention', args: () => ['200', '200'] },
    syscall: 'futex',
    check(f, c) {
      const { longWaits, threads, joins } = f.metrics;
      expect(longWaits).toBeGreaterThanOrEqual(20);
      // the 4 workers; the main thread joining them is not counted
      expect(threads).toBeGreaterThanOrEqual(2);
      expect(threads).toBeLessThanOrEqual(4);
      expect(f.subject.word).toMatchObject({ address: expect.stringMatching(/^0x[0-9a-f]+$/), pid: expect.any(Number), threads: 4 });
      // its first join waits for a worker that still runs
      expect(joins).toBeGreaterThanOrEqual(1);
      expect(joins).toBeLessThanOrEqual(4);
      expect(f.text.evidence[3]).toMatch(/^[1-4] thread joins? \(.+\) left out: waiting for a thread to finish is not contention$/);
      // 800 acquisitions of 200 us: the lock is held for at least 160 ms, the others wait meanwhile
      expect(f.savingNs).toBeGreaterThan(0);
      expect(f.savingNs).toBeLessThanOrEqual(c.report.meta.durationNs);
      expect(c.report.meta.durationNs).toBeGreaterThan(160e6);
    },
  },
  {
    // 300 sleeps of 50 us (glibc's nanosleep is the clock_nanosleep syscall)
    rule: 'sleep-loop',
    run: { name: 'sleep_loop', args: () => ['300'] },
    syscall: 'clock_nanosleep',
    check(f, c) {
      expect(f.metrics.calls).toBe(300);
      expect(f.text.title).toBe('Sleep loop: 300 short clock_nanosleep() calls');
      const sleep = row(c, 'clock_nanosleep');
      expect(sleep.p50Ns).toBeGreaterThanOrEqual(50_000);
      // the saving is the CPU time of the wake-ups, not the time asleep: the on-CPU part
      // of the sleeps when the capture has it, else a kernel round trip per wake-up
      const sleeps = csvRows(c.csv).filter((r) => r.syscall === 'clock_nanosleep');
      expect(sleeps).toHaveLength(300);
      if (sleeps.every((r) => (r.off_cpu_ns ?? '') !== '')) {
        const onCpu = sleeps.reduce((n, r) => n + Number(r.duration_ns) - Number(r.off_cpu_ns), 0);
        expect(f.savingNs).toBeCloseTo(onCpu, 0);
        expect(f.metrics.onCpuNs).toBeCloseTo(onCpu, 0);
      } else {
        expect(f.metrics.onCpuNs).toBeNull();
        expect(f.metrics.roundTripNs).toBeGreaterThan(0);
      }
      expect(f.savingNs).toBeGreaterThan(0);
      expect(f.savingNs).toBeLessThan(sleep.totalNs / 2);
    },
  },
  {
    // 200 x (mmap 64 KiB, munmap it, malloc 256 KiB and free it: brk up and down)
    rule: 'memory-churn',
    run: { name: 'mmap_churn', args: () => ['200'] },
    // 200 munmap or 400 brk: whichever took more time leads, the others are alsoAbout
    syscall: ['munmap', 'brk'],
    check(f, c) {
      expect(new Set([f.syscall, ...(f.alsoAbout ?? [])])).toEqual(new Set(['mmap', 'munmap', 'brk']));
      const rows = csvRows(c.csv);
      const own = (name: string): number => rows.filter((r) => r.syscall === name && r.arg1 === '0x10000').length;
      expect([own('mmap'), own('munmap')]).toEqual([200, 200]);
      expect(f.subject.parts).toEqual(['mmap', 'munmap', 'brk'].map((syscall) => ({ syscall, calls: row(c, syscall).count })));
      const [mmaps, munmaps, brks] = (f.subject.parts as { calls: number }[]).map((p) => p.calls);
      // and the dynamic loader's few
      expect(row(c, 'brk').count - 400).toBeGreaterThanOrEqual(0);
      expect(row(c, 'brk').count - 400).toBeLessThan(10);
      const churn = ['mmap', 'munmap', 'brk'].reduce((n, s) => n + row(c, s).totalNs, 0);
      const calls = mmaps! + munmaps! + brks!;
      // the dynamic loader's mmaps and brk while the process started are start-up, not churn
      expect(calls - f.metrics.calls).toBeGreaterThan(0);
      expect(calls - f.metrics.calls).toBeLessThan(20);
      expect(f.metrics.totalNs).toBeLessThan(churn);
      expect(f.savingNs).toBeCloseTo(f.metrics.totalNs * (1 - 2 / f.metrics.calls), 0);
    },
  },
  {
    // 30 requests answered after 2 ms each, the client waiting in a blocking recv
    rule: 'blocking-network',
    run: { name: 'blocking_net', args: () => ['30', '2000'] },
    syscall: 'recvfrom',
    check(f, c) {
      const calls = f.metrics.blockingCalls!;
      const rows = csvRows(c.csv);
      expect(rows.filter((r) => r.syscall === 'recvfrom')).toHaveLength(60);
      expect(rows.filter((r) => r.syscall === 'sendto')).toHaveLength(60);
      // the client (main thread) sends and waits for the answer 30 times: each answer
      // comes 2 ms or more after its request was sent
      const client = rows
        .filter((r) => r.tid === r.pid && (r.syscall === 'sendto' || r.syscall === 'recvfrom'))
        .sort((a, b) => (BigInt(a.timestamp_ns!) < BigInt(b.timestamp_ns!) ? -1 : 1));
      expect(client.map((r) => r.syscall)).toEqual(Array.from({ length: 30 }, () => ['sendto', 'recvfrom']).flat());
      const end = (r: Record<string, string>): bigint => BigInt(r.timestamp_ns!) + BigInt(r.duration_ns!);
      for (let i = 0; i < 60; i += 2) expect(end(client[i + 1]!) - BigInt(client[i]!.timestamp_ns!)).toBeGreaterThanOrEqual(2_000_000n);
      // the calls of a millisecond or more: the client's recvs (less what a preemption between
      // send and recv took) and, on a busy machine, the odd server recv waiting for a request
      const slow = rows.filter((r) => ['connect', 'sendto', 'recvfrom'].includes(r.syscall!) && Number(r.duration_ns) >= 1e6);
      expect(calls).toBe(slow.length);
      expect(slow.filter((r) => r.tid === r.pid).length).toBeGreaterThanOrEqual(20);
      // saving: the blocked time less 1/k of it, k the sockets blocked on (2 at least)
      const blockedNs = slow.reduce((n, r) => n + Number(r.duration_ns), 0);
      const k = Math.max(2, new Set(slow.map((r) => `${r.pid}:${r.arg0}`)).size);
      expect(f.savingNs).toBeCloseTo(blockedNs * (1 - 1 / k), 0);
    },
  },
  // io_uring (spb captures carry the requests): uring_io with known numbers of requests
  {
    // an fsync after every 2 O_DIRECT writes (not punted), reads 8 at a time: only the fsyncs stand out
    rule: 'io-uring-fsync-per-write',
    run: { name: 'uring_io', args: (dir) => ['-w', '40', '-f', '20', '-r', '400', '-d', '8', '-D', dir], format: 'spb' },
    syscall: null,
    check(f) {
      expect(f.metrics).toMatchObject({ fsyncs: 20, writes: 40, batch: 8 });
      expect(f.savingNs).toBeCloseTo(f.metrics.fsyncNs! * (7 / 8), 0);
    },
  },
  {
    // 64 buffered writes (punted on this kernel's ext4) and 400 reads, 8 at a time
    rule: 'io-uring-punts',
    run: { name: 'uring_io', args: (dir) => ['-w', '64', '-r', '400', '-d', '8', dir], format: 'spb' },
    syscall: null,
    check(f, c) {
      // requests: those of the punted opcodes (the reads completed inline)
      expect(f.metrics).toMatchObject({ punted: 64, requests: 64 });
      expect(f.subject.ops).toEqual([{ op: 'write', punted: 64, count: 64 }]);
      // the one file written, by its path (the capture's opens)
      expect(f.subject.fds).toHaveLength(1);
      expect(f.subject.fds[0]).toMatchObject({ fd: 3, punted: 64 });
      expect(f.subject.fds[0].path).toMatch(new RegExp(`^${workdir(c.dir, 'uring_io')}/data$`));
    },
  },
  {
    // 300 O_DIRECT reads, each submitted and waited for alone
    rule: 'io-uring-depth-one',
    run: { name: 'uring_io', args: (dir) => ['-r', '300', '-d', '1', '-D', dir], format: 'spb' },
    syscall: 'io_uring_enter',
    check(f) {
      expect(f.metrics.requests).toBe(300);
      // one io_uring_enter per request (the odd extra one: liburing's own)
      expect(f.metrics.enters).toBeGreaterThanOrEqual(300);
      expect(f.metrics.enters).toBeLessThan(310);
      expect(f.metrics.waits).toBeGreaterThan(0);
    },
  },
  {
    // 400 O_DIRECT reads, 2 per io_uring_enter
    rule: 'io-uring-small-submissions',
    run: { name: 'uring_io', args: (dir) => ['-r', '400', '-d', '2', '-D', dir], format: 'spb' },
    syscall: 'io_uring_enter',
    check(f) {
      expect(f.metrics.requests).toBe(400);
      expect(f.metrics.enters).toBeGreaterThanOrEqual(200);
      expect(f.metrics.enters).toBeLessThan(210);
      expect(f.metrics.batch).toBe(16);
    },
  },
  {
    // 40 no-ops submitted without reaping: the CQ ring (16 entries) overflows
    rule: 'io-uring-cq-overflow',
    run: { name: 'uring_io', args: (dir) => ['-o', '40', dir], format: 'spb' },
    syscall: null,
    savingMayBeZero: true,
    check(f) {
      expect(f.metrics.overflows).toBe(24);
      expect(f.subject.processes).toEqual([expect.objectContaining({ comm: 'uring_io', overflows: 24 })]);
    },
  },
];

// Every run, in the order the tests read them: traced back to back from the start.
beforeAll(() => {
  for (const w of [...RULE_CASES.map((c) => c.run), CPU, BUFFERED_WRITE, SEQ_PREAD]) traced(w).catch(() => undefined);
});

describe('each rule on its workload', () => {
  it('covers every specific rule', () => {
    expect(RULE_CASES.map((c) => c.rule).sort()).toEqual(RULE_IDS.filter((r) => !GENERIC_RULES.has(r)).sort());
  });

  it.each(RULE_CASES.map((c) => [c.rule, c] as const))('%s', async (_rule, rc) => {
    const c = await traced(rc.run);
    const r = c.report;
    expect(specific(r), JSON.stringify(r.findings.map((f) => [f.rule, f.text.title]))).toEqual([rc.rule]);
    const found = r.findings.filter((f) => f.rule === rc.rule);
    expect(found).toHaveLength(1);
    const f = found[0]!;
    if (typeof rc.syscall === 'string' || rc.syscall === null) expect(f.syscall).toBe(rc.syscall);
    else expect(rc.syscall).toContain(f.syscall);
    if (rc.savingMayBeZero === true) expect(f.savingNs).toBeGreaterThanOrEqual(0);
    else expect(f.savingNs).toBeGreaterThan(0);
    // a share of the threads' time (their measured lifetimes)
    expect(f.savingShare).toBeCloseTo(f.savingNs / r.verdict.capacityNs, 9);
    expect(f.text.recommendation.length).toBeGreaterThan(0);
    expect(f.text.title).not.toBe('');
    rc.check(f, c);
  });
});

describe('the seed spec end to end', () => {
  it('a pure CPU workload: a few syscalls, no findings at all', async () => {
    const c = await traced(CPU);
    // the dynamic loader's calls and the exit
    expect(c.report.summary.calls).toBeLessThan(60);
    expect(c.report.findings).toEqual([]);
    expect(c.report.verdict.kind).toBe('cpu-bound');
  });

  it('write + fsync: fsync dominates, group commit recommended', async () => {
    const c = await traced(FSYNC_WRITE);
    expect(c.report.rows[0]).toMatchObject({ name: 'fsync', count: 100 });
    expect(c.report.categories.find((x) => x.bottleneck)?.category).toBe('sync');
    const f = c.report.findings.find((x) => x.rule === 'sync-dominant')!;
    expect(f.syscall).toBe('fsync');
    expect(f.text.recommendation[0]).toMatch(/^Group commit/);
  });

  it('buffered writes: fast writes, no sync finding', async () => {
    const c = await traced(BUFFERED_WRITE);
    const write = row(c, 'write');
    expect(write.count).toBe(100);
    // a write into the page cache takes microseconds, not the disk's fraction of a millisecond
    expect(write.p50Ns).toBeLessThan(100_000);
    expect(c.report.rows.find((x) => x.name === 'fsync' || x.name === 'fdatasync')).toBeUndefined();
    // nothing about syncing (4 KiB writes are not small writes either)
    const sync = c.report.findings.filter((f) => ['sync-dominant', 'osync-writes', 'small-writes'].includes(f.rule) || ['fsync', 'fdatasync'].includes(f.syscall ?? ''));
    expect(sync).toEqual([]);
  });

  it.each([
    ['rand_pread', 'random', ['random-reads'], RAND_PREAD],
    ['seq_pread', 'sequential', [], SEQ_PREAD],
  ] as const)('%s: the data file reads as %s; random-reads fires only for the random one', async (_name, pattern, rules, w) => {
    const c = await traced(w);
    const file = c.report.ioPatterns.files.find((x) => x.path === join(c.dir, 'table.dat'));
    expect(file?.reads).toMatchObject({ ops: 2000, pattern });
    expect(c.report.findings.filter((f) => f.rule === 'random-reads').map((f) => f.rule)).toEqual(rules);
  });
});

describe('diff of two real captures', () => {
  interface DiffJson {
    readonly syscalls: readonly { readonly name: string; readonly status: string; readonly count: { readonly before: number | null; readonly after: number | null } }[];
    readonly newFindings: readonly { readonly rule: string; readonly syscall: string | null }[];
    readonly goneFindings: readonly { readonly rule: string; readonly syscall: string | null }[];
    readonly verdict: { readonly before: string | null; readonly after: string | null; readonly changed: boolean };
  }
  const diff = async (before: Captured, after: Captured): Promise<DiffJson> => JSON.parse((await run(['diff', '--json', before.csv, after.csv])).stdout) as DiffJson;

  it('buffered writes -> write + fsync: fsync is new, sync-dominant a new finding; and back', async () => {
    // the same 100 writes of 4 KiB on both sides
    const buffered = await traced(BUFFERED_WRITE);
    const synced = await traced(FSYNC_WRITE);
    const [d, back] = await Promise.all([diff(buffered, synced), diff(synced, buffered)]);
    expect(d.syscalls.find((s) => s.name === 'write')).toMatchObject({ status: 'both', count: { before: 100, after: 100 } });
    expect(d.syscalls.find((s) => s.name === 'fsync')).toMatchObject({ status: 'new', count: { before: null, after: 100 } });
    expect(d.newFindings).toContainEqual(expect.objectContaining({ rule: 'sync-dominant', syscall: 'fsync' }));
    expect(d.goneFindings.filter((f) => f.rule === 'sync-dominant')).toEqual([]);
    expect(d.verdict.after).toBe('io-bound');

    expect(back.syscalls.find((s) => s.name === 'fsync')).toMatchObject({ status: 'gone' });
    expect(back.goneFindings).toContainEqual(expect.objectContaining({ rule: 'sync-dominant', syscall: 'fsync' }));
    expect(back.newFindings.filter((f) => f.rule === 'sync-dominant')).toEqual([]);
  });
});
