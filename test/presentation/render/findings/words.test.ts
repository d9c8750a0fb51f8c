// The words of every rule's finding: the rules run on the cases their own tests
// use (test/core/analysis/rules/), and the wording they had when rules wrote it.
import { describe, expect, it } from 'vitest';
import { aggregateProfile } from '../../../../src/core/analysis/aggregate-profile.js';
import { O_DSYNC } from '../../../../src/core/analysis/facts/fd-flags.js';
import { finding, findingContext, type Finding } from '../../../../src/core/analysis/findings.js';
import { bimodalReads } from '../../../../src/core/analysis/rules/bimodal-reads.js';
import { busyPoll } from '../../../../src/core/analysis/rules/busy-poll.js';
import { dominantSyscall } from '../../../../src/core/analysis/rules/dominant-syscall.js';
import { failedOpenStorm } from '../../../../src/core/analysis/rules/failed-open-storm.js';
import { failingSyscalls } from '../../../../src/core/analysis/rules/failing-syscall.js';
import { futexContention } from '../../../../src/core/analysis/rules/futex-contention.js';
import { FINDING_RULES, RULE_IDS } from '../../../../src/core/analysis/rules/index.js';
import { memoryChurn } from '../../../../src/core/analysis/rules/memory-churn.js';
import { multimodalSyscalls } from '../../../../src/core/analysis/rules/multimodal-syscall.js';
import { osyncWrites } from '../../../../src/core/analysis/rules/osync-writes.js';
import { reopenSameFile } from '../../../../src/core/analysis/rules/reopen-same-file.js';
import { sleepLoop } from '../../../../src/core/analysis/rules/sleep-loop.js';
import { smallWrites } from '../../../../src/core/analysis/rules/small-writes.js';
import { statStorm } from '../../../../src/core/analysis/rules/stat-storm.js';
import { syncDominant } from '../../../../src/core/analysis/rules/sync-dominant.js';
import type { SyscallEvent } from '../../../../src/core/model/events.js';
import { FINDING_WORDS, findingText } from '../../../../src/presentation/render/findings/index.js';
import { aggregateOf, callsOf, eventOf, logNormal } from '../../../helpers/offline.js';
import { profileOf, statsOf } from '../../../helpers/profile.js';
import { call, contextOf, openat, spaced, times, write } from '../../../core/analysis/events.js';

const CACHED_AND_DISK = [...logNormal(9_500, 20_000, 0.4, 1), ...logNormal(500, 3_000_000, 0.3, 2)];
const FSYNCS = Array.from({ length: 2341 }, (_, i) => (i % 100 === 0 ? 127_000_000 : 15_000_000));
const sleeps = (n: number, ns = 60_000, extra: Partial<SyscallEvent> = {}): SyscallEvent[] => callsOf('nanosleep', Array<number>(n).fill(ns), extra);
const getpids = callsOf('getpid', Array<number>(20).fill(300));
const waits = (n: number, threads: number, ns = 200_000): SyscallEvent[] => times(n, (i) => call('futex', [0x5000, 128, 2, 0], 0, { durationNs: ns, tid: 100 + (i % threads) }));
const DIRS = ['/opt/app/lib', '/usr/local/lib', '/lib/tls', '/lib/x86_64', '/usr/lib/x86_64'];
const search = (libs: number, misses: number): SyscallEvent[] =>
  times(libs, (l) => [...DIRS.slice(0, misses).map((d) => openat(`${d}/libdep${l}.so`, -2, 0, { durationNs: 3_000 })), openat(`/usr/lib/libdep${l}.so`, 3, 0, { durationNs: 5_000 })]);
const churn = (pairs: number): SyscallEvent[] =>
  times(pairs, () => [call('mmap', [0, 1 << 20, 3, 0x22, -1, 0], 0x7f0000000000, { durationNs: 5_000 }), call('munmap', [0x7f0000000000, 1 << 20], 0, { durationNs: 5_000 })]);
const dominant = async (events: SyscallEvent[], durationNs: number | null) => dominantSyscall(findingContext(await aggregateOf(events), durationNs));

describe('findingText', () => {
  it('has words for every rule in the registry', () => {
    expect(Object.keys(FINDING_WORDS).sort()).toEqual([...RULE_IDS].sort());
    expect(FINDING_RULES.map((r) => r.id)).toEqual(RULE_IDS);
  });

  it('sync-dominant: the evidence and group commit, fdatasync advice when fsync is there', async () => {
    const [f] = syncDominant(await contextOf([...callsOf('fsync', Array<number>(10).fill(10_000_000), { path: '/db/wal' }), ...callsOf('write', Array<number>(10).fill(10_000), { path: '/db/wal', ret: 100 })], 1e9));
    const t = findingText(f!);
    expect(t.title).toBe('fsync() dominates: 99.9% of non-waiting syscall time');
    expect(t.evidence).toEqual([
      '10 fsync calls took 100 ms: 99.9% of non-waiting syscall time (10% of thread time)',
      '10.0 ms per call on average',
      '1.0 writes per sync (10 writes)',
      'Batching 8 syncs into one would save about 87.5 ms (7 of every 8 syncs)',
    ]);
    expect(t.recommendation.join(' ')).toMatch(/fdatasync/);
    const [d] = syncDominant(await contextOf(callsOf('fdatasync', Array<number>(5).fill(10_000_000)), 1e9));
    expect(findingText(d!).recommendation.join(' ')).not.toMatch(/instead of fsync/);
  });

  it('osync-writes', async () => {
    const events = [openat('/db/wal', 3, O_DSYNC | 1), ...times(20, (i) => write(3, i * 512, 512, { path: '/db/wal', durationNs: 1_000_000 }))];
    const t = findingText(osyncWrites(await contextOf(events, 1e9))[0]!);
    expect(t.title).toBe('20 synchronous writes (O_SYNC/O_DSYNC)');
    expect(t.evidence[1]).toBe('/db/wal: 20 writes, 20.0 ms');
    expect(t.recommendation[0]).toMatch(/\(8 writes per sync saves 7 of every 8 waits\)$/);
  });

  it('small-writes', async () => {
    const [f] = smallWrites(await contextOf(times(200, (i) => write(3, i * 100, 100, { path: '/var/log/app.log', durationNs: 2_000 })), 1e9));
    const t = findingText(f!);
    expect(t.title).toBe('200 small writes to /var/log/app.log');
    expect(t.evidence[0]).toBe('200 of 200 writes to fd 3 (/var/log/app.log) of pid 100 were under 4.0 KiB (100%), 100 B on average');
    expect(t.evidence[2]).toBe('Buffered in 64.0 KiB chunks the same 19.5 KiB would take 1 call instead of 200');
    // three fds of one pattern: one finding that counts the others
    const many = [3, 4, 5].flatMap((fd) => times(200 + fd, (i) => write(fd, i * 100, 100, { path: '/var/log/app.log', durationNs: 2_000 })));
    const [g] = smallWrites(await contextOf(many, 1e9));
    const u = findingText(g!);
    expect(u.title).toBe('612 small writes to /var/log/app.log and 2 other fds');
    expect(u.evidence[0]).toBe('612 of 612 writes to fd 5 (/var/log/app.log) of pid 100 and 2 other fds were under 4.0 KiB (100%), 100 B on average');
  });

  it('bimodal-reads, with modes in words and estimated ones said so', async () => {
    const [f] = bimodalReads(await contextOf(callsOf('read', CACHED_AND_DISK, { path: '/data/file' }), 10e9));
    expect(findingText(f!).evidence[0]).toBe('10,000 calls: 95% under 100 µs (cache), 5% at 1-10 ms (disk)');
    const profile = profileOf({ syscalls: [statsOf('read', 0, CACHED_AND_DISK)] });
    const [e] = bimodalReads(findingContext(aggregateProfile(profile), 10e9));
    expect(findingText(e!).evidence[1]).toMatch(/estimated from histograms/);
  });

  it('failed-open-storm', async () => {
    const t = findingText(failedOpenStorm(await contextOf(search(5, 5), 1e9))[0]!);
    expect(t.title).toBe('25 opens failed with ENOENT searching for files');
    expect(t.evidence[0]).toBe('25 of 30 opens failed with ENOENT (No such file or directory), over 25 paths, taking 75.0 µs (0% of thread time)');
    expect(t.evidence[1]).toBe('libdep0.so: looked for in 6 directories, 5 failed, then found');
  });

  it('stat-storm', async () => {
    const lookups = times(200, (i) => call('newfstatat', [-100, 0, 0, 0], 0, { path: `/srv/app/file${i % 10}`, durationNs: 1_000 + (i % 2) * 1_000 }));
    const t = findingText(statStorm(await contextOf(lookups, 1e9))[0]!);
    expect(t.title).toBe('200 stat/access lookups of 10 paths');
    expect(t.evidence[1]).toBe('/srv/app/file0: 20 times');
  });

  it('reopen-same-file', async () => {
    const cycles = times(30, () => [openat('/etc/app.conf', 3, 0, { durationNs: 4_000 }), call('close', [3], 0, { path: '/etc/app.conf', durationNs: 1_000 })]);
    const t = findingText(reopenSameFile(await contextOf(cycles, 1e9))[0]!);
    expect(t.title).toBe('/etc/app.conf opened 30 times');
    expect(t.evidence[0]).toBe('30 successful opens and 30 closes of /etc/app.conf; 29 of the opens were by a process that had opened it before');
    const two = [...cycles, ...times(25, () => [openat('/etc/b.conf', 4, 0, { durationNs: 4_000 }), call('close', [4], 0, { path: '/etc/b.conf', durationNs: 1_000 })])];
    const u = findingText(reopenSameFile(await contextOf(two, 1e9))[0]!);
    expect(u.title).toBe('/etc/app.conf and 1 other file opened 55 times');
  });

  it('busy-poll: one poll syscall, or several named with their counts', async () => {
    const one = findingText(busyPoll(await contextOf(spaced(times(200, () => call('epoll_wait', [4, 0, 64, 0], 0, { durationNs: 1_000 })), 10_000), 1e9))[0]!);
    expect(one.title).toBe('Busy polling: 200 epoll_wait() calls returned nothing with a zero timeout');
    expect(one.evidence[0]).toBe('200 of 200 poll calls (100%) had a zero timeout and returned no events');
    const loop = spaced(times(150, () => [call('epoll_wait', [4, 0, 64, 0], 0, { durationNs: 1_000 }), call('poll', [0, 1, 0], 0, { durationNs: 1_000 })]), 5_000);
    const two = findingText(busyPoll(await contextOf(loop, 1e9))[0]!);
    expect(two.title).toBe('Busy polling: 300 polls (150 epoll_wait, 150 poll) returned nothing with a zero timeout');
    expect(two.evidence[1]).toMatch(/ over 1\.5 ms of spinning in 1 thread; /);
  });

  it('futex-contention: the word, and the joins left out', async () => {
    const t = findingText(futexContention(await contextOf([...waits(60, 3), call('futex', [0x5000, 1 | 128, 1], 1)], 100e6))[0]!);
    expect(t.evidence[2]).toBe('Most waiting on futex word 0x5000 of pid 100: 60 long waits by 3 threads, 12.0 ms');
    const join = call('futex', [0x7000, 9, 150, 0, 0, -1], 0, { durationNs: 50e6, tid: 100 });
    const j = findingText(futexContention(await contextOf([...waits(60, 3), join, call('exit', [0], 0, { tid: 150 })], 100e6))[0]!);
    expect(j.title).toBe('Lock contention: 60 long futex waits across 3 threads');
    expect(j.evidence[3]).toBe('1 thread join (50.0 ms) left out: waiting for a thread to finish is not contention');
  });

  it.each<[string, SyscallEvent[], string]>([
    ['only sleeps: no round trip measured', sleeps(200), 'Each wake-up costs at least a kernel round trip, which no other syscall here measured'],
    ['waiting calls are no round trip', [...sleeps(200), ...callsOf('futex', Array<number>(50).fill(100))], 'Each wake-up costs at least a kernel round trip, which no other syscall here measured'],
    ['a few cold calls', [...sleeps(200), ...callsOf('close', [900]), ...callsOf('brk', [1_500, 1_500])], 'Each wake-up costs at least a kernel round trip, 900 ns here'],
    ['the settled figure first', [...sleeps(200), ...callsOf('close', [200]), ...getpids], 'Each wake-up costs at least a kernel round trip, 300 ns here'],
    ['with off-CPU times', sleeps(200, 60_000, { offCpuNs: 55_000 }), '1.0 ms of that on the CPU: 5.0 µs per wake-up'],
  ])('sleep-loop: %s', async (_name, events, evidence) => {
    const t = findingText(sleepLoop(await contextOf(events, 1e9))[0]!);
    expect(t.title).toBe('Sleep loop: 200 short nanosleep() calls');
    expect(t.evidence[1]).toBe(evidence);
  });

  it('memory-churn, with the mmap kinds only when per-call facts tell them', async () => {
    const t = findingText(memoryChurn(await contextOf(churn(100), 1e9))[0]!);
    expect(t.title).toBe('Memory churn: 200 mmap/munmap/brk calls');
    expect(t.evidence).toEqual(['100 mmap, 100 munmap (200 per second)', 'They took 1.0 ms (0.1% of thread time), 5.0 µs per call', '100 anonymous and 0 file-backed mmaps']);
    const bare = memoryChurn(findingContext(await aggregateOf(churn(100)), 1e9))[0]!;
    expect(findingText(bare).evidence).toHaveLength(2);
  });

  it('dominant-syscall: rate, average, tail and the advice of its category', async () => {
    const [f] = await dominant([...callsOf('fsync', FSYNCS), ...callsOf('read', Array(1000).fill(5_000_000)), ...callsOf('epoll_wait', [500e9])], 60e9);
    expect(findingText(f!)).toEqual({
      title: 'fsync() dominates latency (88% of non-waiting time)',
      evidence: ['Called 2,341 times (39 per second)', 'Each call takes 16.1 ms on average, 37.8 s in all', 'p99: 127 ms, 8x the median (15.0 ms): tail latency spikes'],
      recommendation: ['Batch writes before fsync (group commit)', 'Use fdatasync where file metadata need not be durable', 'Review whether every fsync is necessary'],
      why: 'Time spent in one syscall is where shortening or avoiding calls pays off most.',
    });
  });

  it.each<[string, SyscallEvent[], number | null, string[]]>([
    ['exactly 30%', [...callsOf('read', [30]), ...callsOf('write', [25]), ...callsOf('openat', [25]), ...callsOf('close', [10, 10])], null, ['read() dominates latency (30% of non-waiting time)']],
    ['at 5% of thread time', callsOf('getpid', Array(50).fill(300)), 300_000, ['getpid() dominates latency (100% of non-waiting time)']],
    [
      'tail spikes (p99 >= 5x median)',
      callsOf('fsync', Array.from({ length: 100 }, (_, i) => (i >= 98 ? 100_000_000 : 1_000_000))),
      1e9,
      ['fsync() dominates latency (100% of non-waiting time)', 'Called 100 times (100 per second)', 'Each call takes 3.0 ms on average, 298 ms in all', 'p99: 100 ms, 100x the median (1.0 ms): tail latency spikes'],
    ],
    ['a lone execve', [...callsOf('execve', [900_000]), ...callsOf('read', [300_000, 300_000])], 2e6, ['read() dominates latency (40% of non-waiting time)']],
    ['ten execves', callsOf('execve', Array(10).fill(900_000)), 20e6, ['execve() dominates latency (100% of non-waiting time)']],
    ['unknown duration: no rate', callsOf('fsync', [1000]), null, ['fsync() dominates latency (100% of non-waiting time)', 'Called once']],
    ['zero duration: no rate', callsOf('fsync', [1000]), 0, ['fsync() dominates latency (100% of non-waiting time)', 'Called once']],
  ])('dominant-syscall: %s', async (_name, events, duration, expected) => {
    const t = findingText((await dominant(events, duration))[0]!);
    expect([t.title, ...t.evidence].slice(0, expected.length)).toEqual(expected);
  });

  it('multimodal-syscall: disk-read advice for reads, a general one otherwise', async () => {
    const [f] = multimodalSyscalls(findingContext(await aggregateOf(callsOf('read', CACHED_AND_DISK)), 10e9));
    const t = findingText(f!);
    expect(t).toEqual({
      title: 'read() shows a bimodal distribution',
      evidence: ['95% under 100 µs (cache)', '5% at 1-10 ms (disk)'],
      why: expect.stringContaining('slow path'),
      recommendation: ['The slow cluster is likely reads from disk: the working set may exceed RAM', 'Consider memory-mapped I/O or a larger cache for hot data', 'Prefetch predictable access patterns'],
    });
    const tri = callsOf('write', [...logNormal(6_000, 2_000, 0.3, 7), ...logNormal(3_000, 200_000, 0.3, 8), ...logNormal(1_000, 20_000_000, 0.3, 9)]);
    const w = findingText(multimodalSyscalls(findingContext(await aggregateOf(tri), 10e9))[0]!);
    expect(w.title).toBe('write() shows a trimodal distribution');
    expect(w.recommendation).toEqual(['Find what the slow calls have in common (file, size, thread) before tuning the average']);
  });

  it('failing-syscall: errnos described, advice for the first', async () => {
    const events = [...callsOf('newfstatat', Array(300).fill(600), { ret: -2 }), ...callsOf('newfstatat', Array(12).fill(600), { ret: -13 }), eventOf({ syscall: 'newfstatat' })];
    const t = findingText(failingSyscalls(findingContext(await aggregateOf(events), 1e9))[0]!);
    expect(t).toEqual({
      title: 'newfstatat() fails 99.7% of the time (312 of 313 calls)',
      evidence: ['300 ENOENT (No such file or directory)', '12 EACCES (Permission denied)'],
      recommendation: ['Lookups of missing files: check search paths (PATH, LD_LIBRARY_PATH, config probing) and cache misses'],
      why: expect.stringContaining('failed call'),
    });
    const eio = findingText(failingSyscalls(findingContext(await aggregateOf(callsOf('d', Array(13).fill(1), { ret: -5 })), 1e9))[0]!);
    expect(eio.title).toBe('d() fails 100% of the time (13 of 13 calls)');
    expect(eio.recommendation).toEqual([]);
  });

  it('says what little there is of a finding with empty lists (empty data)', () => {
    const none = { errors: 0, calls: 0, errorShare: 0 };
    const failing = finding({ durationNs: null }, { rule: 'failing-syscall', syscall: 'x', subject: { errnos: [] }, metrics: none, savingNs: 0 });
    expect(findingText(failing)).toMatchObject({ title: 'x() fails 0% of the time (0 of 0 calls)', evidence: [], recommendation: [] });
    const stat = finding({ durationNs: null }, { rule: 'stat-storm', syscall: 'stat', subject: { paths: [] }, metrics: { lookups: 0, paths: 0, repeated: 0, repeatedShare: 0, totalNs: 0, wallShare: null }, savingNs: 0 });
    const t = findingText(stat);
    expect(t.evidence).toEqual(['0 of 0 lookups (0%) asked again about a path already looked up; all lookups took 0 ns']);
    expect(JSON.stringify(t)).not.toMatch(/undefined|NaN/);
  });

  it('names a finding of a rule it has no words for by its id', () => {
    const f: Finding = finding({ durationNs: null }, { rule: 'other-tool', syscall: 'read', subject: {}, metrics: {}, savingNs: 0 });
    expect(findingText(f)).toEqual({ title: 'other-tool: read()', evidence: [], why: '', recommendation: [] });
  });
});
