// Component tests of the live screen (ink-testing-library; createElement, as
// the test globs take .ts files).
import { render } from 'ink-testing-library';
import { createElement } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import type { Profile, ProcessStats } from '../../../src/core/model/profile.js';
import { LiveApp } from '../../../src/presentation/tui/components/LiveApp.js';
import { LiveScreen, type LiveScreenProps } from '../../../src/presentation/tui/components/LiveScreen.js';
import { LiveFeed } from '../../../src/presentation/tui/live-feed.js';
import { EventBatch } from '../../../src/core/model/events.js';
import { INITIAL_STATE, type UiState } from '../../../src/presentation/tui/state.js';
import { profileOf, statsOf } from '../../helpers/profile.js';

const repeat = (ns: number, n: number): number[] => Array.from({ length: n }, () => ns);

function snap(seconds: number, overrides: Partial<Profile> = {}): Profile {
  return profileOf({ durationNs: seconds * 1e9, final: false, stopReason: null, target: { kind: 'all', follow: false }, ...overrides });
}

const one = snap(1, { syscalls: [statsOf('fsync', 74, [...repeat(100_000, 9), 3_000_000])] });
const several = snap(1, {
  syscalls: [statsOf('read', 0, repeat(1000, 100)), statsOf('fsync', 74, repeat(100_000, 10)), statsOf('openat', 257, repeat(3000, 20), { errors: 20 })],
  processes: [{ tgid: 42, comm: 'db', syscalls: [statsOf('fsync', 74, repeat(100_000, 10))] }],
});

function frameOf(...profiles: Profile[]): LiveFeed {
  const feed = new LiveFeed();
  for (const p of profiles) feed.pushSnapshot(p);
  return feed;
}

let unmount: (() => void) | null = null;
afterEach(() => {
  unmount?.();
  unmount = null;
});

function screen(feed: LiveFeed, state: Partial<UiState> = {}, size: Partial<LiveScreenProps> = {}): string {
  const r = render(
    createElement(LiveScreen, { frame: feed.frame, history: feed.history, state: { ...INITIAL_STATE, ...state }, width: 100, height: 30, intervalMs: 1000, color: false, ...size }),
  );
  unmount = r.unmount;
  return r.lastFrame() ?? '';
}

describe('LiveScreen', () => {
  it('says it is waiting before the first snapshot', () => {
    expect(screen(new LiveFeed())).toContain('waiting for the first snapshot');
  });

  it('shows an interval with no calls', () => {
    const out = screen(frameOf(snap(1)));
    expect(out).toContain('0 syscalls/s');
    expect(out).toContain('no syscalls in this interval');
  });

  it('shows one row with its figures and the header', () => {
    const out = screen(frameOf(one));
    expect(out).toContain('Target: whole system');
    expect(out).toContain('up 1s');
    expect(out).toContain('10 syscalls/s');
    expect(out).toContain('lost 0');
    expect(out).toMatch(/fsync\s+10\s+0\s+390 µs\s+\S+ µs\s+3\.0 ms\s+3\.0 ms\s+100\.0/);
  });

  it('lists only the rows that fit and says how many more there are', () => {
    const many = snap(1, { syscalls: Array.from({ length: 300 }, (_, i) => statsOf(`sys${i}`, i, repeat(1000 + i, 1 + i))) });
    const out = screen(frameOf(many), {}, { height: 24 });
    const lines = out.split('\n');
    expect(lines.length).toBeLessThanOrEqual(23);
    expect(out).toContain('sys299');
    expect(out).toContain('282 more below');
  });

  it('fits 80 columns', () => {
    const out = screen(frameOf(several), {}, { width: 80, height: 24 });
    for (const line of out.split('\n')) expect(line.length).toBeLessThanOrEqual(80);
    expect(out).toContain('openat');
    expect(out).toContain('%TIME');
  });

  it.each([
    ['process', '42 db'],
    ['category', 'Disk sync'],
    ['syscall', 'openat'],
  ] as const)('shows the %s view', (view, text) => {
    expect(screen(frameOf(several), { view })).toContain(text);
  });

  it.each(['thread', 'file'] as const)('says the %s view needs --events', (view) => {
    expect(screen(frameOf(several), { view })).toContain('needs per-call records: restart with --events');
  });

  it('shows threads and files in event mode', () => {
    const feed = new LiveFeed(true);
    const batch = new EventBatch(4);
    batch.push({ startNs: 0, durationNs: 5000, pid: 7, tid: 8, comm: 'worker', syscall: 'write', nr: 1, ret: 10, args: [], pos: null, path: '/var/log/app.log' });
    feed.pushEvents(batch);
    feed.pushSnapshot(several);
    expect(screen(feed, { view: 'thread' })).toContain('8 worker (pid 7)');
    expect(screen(feed, { view: 'file' })).toContain('/var/log/app.log');
  });

  it('sorts by the chosen column and marks it', () => {
    const byCalls = screen(frameOf(several), { sort: 'calls' });
    expect(byCalls).toContain('▼CALLS/s');
    expect(byCalls.indexOf('read')).toBeLessThan(byCalls.indexOf('openat'));
    const byErrors = screen(frameOf(several), { sort: 'errors' });
    expect(byErrors.indexOf('openat')).toBeLessThan(byErrors.indexOf('read '));
  });

  it('filters rows by name', () => {
    const out = screen(frameOf(several), { filter: 'open' });
    expect(out).toContain('openat');
    expect(out).not.toContain('fsync');
    expect(out).toContain('filter "open": 1 rows');
  });

  it('shows the histogram panel with log2 bars and findings', () => {
    const out = screen(frameOf(one), { panel: 'histogram', detailKey: 'fsync' });
    expect(out).toContain('Latency of fsync');
    expect(out).toMatch(/65\.5-131 µs\s+█+\s+9\s+90\.0%/);
    expect(out).toMatch(/2\.1-4\.19 ms\s+[█▏▎▍▌▋▊▉]+\s+1\s+10\.0%/);
    // the empty buckets between the two modes are one line
    expect(out).toMatch(/⋮ {2}no calls in 131 µs-2\.1 ms/);
    expect(out).toContain('Findings (this interval)');
    // 10 fsyncs, 3.9 ms in a 1 s interval: too little time to matter
    expect(out).toMatch(/Findings \(this interval\)\s+none/);
  });

  it('shows the findings about the selected syscall in the histogram panel', () => {
    const heavy = snap(1, { syscalls: [statsOf('fsync', 74, repeat(40_000_000, 10)), statsOf('write', 1, repeat(5_000, 10))] });
    const out = screen(frameOf(heavy), { panel: 'histogram', detailKey: 'fsync' });
    expect(out).toContain('fsync() dominates');
    expect(out).toContain('Group commit');
  });

  it('shows each finding whole in the histogram panel: title, evidence, why and every recommendation, wrapped', () => {
    const heavy = snap(1, { syscalls: [statsOf('fsync', 74, repeat(40_000_000, 10)), statsOf('write', 1, repeat(5_000, 10))] });
    const out = screen(frameOf(heavy), { panel: 'histogram', detailKey: 'fsync' }, { width: 80, height: 60 });
    const text = out.replace(/\s+/g, ' ');
    expect(text).toContain('· 10 fsync calls took 400 ms');
    expect(text).toContain('Why: Each sync waits for the storage device to make data durable, and the caller can do nothing else meanwhile.');
    expect(text).toContain('→ Group commit: collect several writes (or transactions) and make them durable with one fsync');
    expect(text).toContain('→ Move syncing off the request path');
    expect(text).toContain('→ Use fdatasync instead of fsync when file metadata (mtime) need not be durable');
    for (const line of out.split('\n')) expect(line.length).toBeLessThanOrEqual(80);
    expect(out).not.toMatch(/lines \d+-\d+ of/);
  });

  it('pages the findings of a short terminal, scrolled by the state', () => {
    const heavy = snap(1, { syscalls: [statsOf('fsync', 74, repeat(40_000_000, 10)), statsOf('write', 1, repeat(5_000, 10))] });
    const top = screen(frameOf(heavy), { panel: 'histogram', detailKey: 'fsync' }, { width: 80, height: 16 });
    expect(top.split('\n').length).toBeLessThanOrEqual(16);
    expect(top).toContain('fsync() dominates');
    const [, first, last, total] = /lines (\d+)-(\d+) of (\d+) \(/.exec(top) ?? [];
    expect(Number(first)).toBe(1);
    expect(Number(total)).toBeGreaterThan(Number(last));
    unmount?.();
    const end = screen(frameOf(heavy), { panel: 'histogram', detailKey: 'fsync', findingsScroll: 1000 }, { width: 80, height: 16 });
    // scrolled past the end: the last page, ending with the last recommendation
    expect(end).toContain(`of ${total} (`);
    expect(end).toMatch(new RegExp(`lines \\d+-${total} of ${total}`));
    expect(end.replace(/\s+/g, ' ')).toContain('need not be durable');
    expect(end).not.toContain('fsync() dominates');
    expect(end.split('\n').length).toBeLessThanOrEqual(16);
  });

  it('keeps the histogram panel within an 80x24 terminal, header included, merging buckets when it must', () => {
    // latencies on every power of two from 256 ns to 4 s, and findings: more than 24 lines if nothing gave way
    const spread = Array.from({ length: 25 }, (_, i) => 2 ** (8 + i) + 1);
    const busy = snap(1, { syscalls: [statsOf('fsync', 74, [...spread, ...repeat(40_000_000, 20)]), statsOf('write', 1, repeat(5_000, 10))] });
    const out = screen(frameOf(busy), { panel: 'histogram', detailKey: 'fsync' }, { width: 80, height: 24 });
    const lines = out.split('\n');
    expect(lines.length).toBeLessThanOrEqual(24);
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(80);
    expect(lines[0]).toContain('Target: whole system');
    expect(out).toContain('Latency of fsync');
    expect(out).toContain('fsync() dominates');
    // the whole range is still there, from the first bucket to the last
    expect(out).toMatch(/256 ns/);
    expect(out).toMatch(/\d s\s+█/);
  });

  it('shows the sparkline column at 80 columns', () => {
    const feed = frameOf(several, snap(2, { syscalls: several.syscalls.map((s) => statsOf(s.name, s.nr, repeat(1000, s.count * 3))) }));
    const out = screen(feed, {}, { width: 80, height: 24 });
    expect(out).toContain('RECENT');
    for (const line of out.split('\n')) expect(line.length).toBeLessThanOrEqual(80);
  });

  it("shows a process's own findings in its histogram panel", () => {
    const heavy = snap(1, {
      syscalls: [statsOf('fsync', 74, repeat(40_000_000, 10)), statsOf('read', 0, repeat(1000, 10))],
      processes: [
        { tgid: 42, comm: 'db', syscalls: [statsOf('fsync', 74, repeat(40_000_000, 10))] },
        { tgid: 43, comm: 'cat', syscalls: [statsOf('read', 0, repeat(1000, 10))] },
      ],
    });
    const db = screen(frameOf(heavy), { view: 'process', panel: 'histogram', detailKey: 'pid 42' });
    expect(db).toContain('Latency of 42 db');
    expect(db).toContain('fsync() dominates');
    const cat = screen(frameOf(heavy), { view: 'process', panel: 'histogram', detailKey: 'pid 43' });
    expect(cat).not.toContain('fsync() dominates');
  });

  it('says that threads and files have no findings of their own', () => {
    const feed = new LiveFeed(true);
    const batch = new EventBatch(4);
    batch.push({ startNs: 0, durationNs: 5000, pid: 7, tid: 8, comm: 'worker', syscall: 'write', nr: 1, ret: 10, args: [], pos: null, path: '/var/log/app.log' });
    feed.pushEvents(batch);
    feed.pushSnapshot(several);
    const out = screen(feed, { view: 'file', panel: 'histogram', detailKey: '/var/log/app.log' });
    expect(out).toContain('Latency of /var/log/app.log');
    expect(out).toContain('findings are per syscall, category and process');
  });

  it('names the container of a --cgroup target in the header', () => {
    const cgroup = { path: '/system.slice/docker-' + 'ab'.repeat(32) + '.scope', containerId: 'ab'.repeat(32), service: null };
    const feed = new LiveFeed(false, cgroup);
    feed.pushSnapshot(snap(1, { target: { kind: 'cgroup', path: '/sys/fs/cgroup' + cgroup.path, follow: false } }));
    expect(screen(feed).split('\n')[0]).toMatch(/^container abababababab {2}Cgroup: /);
  });

  it('shows the help screen from the key bindings', () => {
    const out = screen(frameOf(one), { panel: 'help' });
    expect(out).toContain('Keys');
    expect(out).toContain('q Ctrl-C');
    expect(out).toContain('filter rows by name');
  });

  it('shows exited processes dimmed and labelled', () => {
    const withProc = (procs: ProcessStats[], t: number): Profile => snap(t, { processes: procs });
    const feed = frameOf(withProc([{ tgid: 5, comm: 'job', syscalls: [statsOf('read', 0, [1000])] }], 1), withProc([], 2));
    expect(screen(feed, { view: 'process' })).toContain('5 job (exited)');
  });
});

describe('LiveScreen waits', () => {
  // a whole system at rest: a shell in wait4, threads in futex, an event loop in epoll_wait; and a little work
  const idle = snap(1, {
    syscalls: [
      statsOf('wait4', 61, [900_000_000]),
      statsOf('futex', 202, repeat(10_000_000, 40)),
      statsOf('epoll_wait', 232, repeat(5_000_000, 20)),
      statsOf('fsync', 74, repeat(1_000_000, 6)),
      statsOf('write', 1, repeat(10_000, 200)),
    ],
    processes: [
      { tgid: 10, comm: 'sh', syscalls: [statsOf('wait4', 61, [900_000_000])] },
      { tgid: 20, comm: 'db', syscalls: [statsOf('fsync', 74, repeat(1_000_000, 6)), statsOf('write', 1, repeat(10_000, 200))] },
    ],
  });
  const lineOf = (out: string, re: RegExp): number => out.split('\n').findIndex((l) => re.test(l));

  it('puts the work on top, by working %TIME, and the waits in their own section below', () => {
    const out = screen(frameOf(idle));
    const title = lineOf(out, /^-- waiting calls, not in %TIME \(w counts them\) -+$/);
    expect(title).toBeGreaterThan(0);
    expect(lineOf(out, /^fsync\s/)).toBeLessThan(lineOf(out, /^write\s/));
    expect(lineOf(out, /^write\s/)).toBeLessThan(title);
    for (const w of ['wait4', 'futex', 'epoll_wait']) expect(lineOf(out, new RegExp(`^${w}\\s`))).toBeGreaterThan(title);
    // fsync 6 ms and write 2 ms of 8 ms of work
    expect(out).toMatch(/^fsync\s.*\s75\.0/m);
    expect(out).toMatch(/^wait4\s.*\swait/m);
    expect(out).toContain('w: waits apart');
  });

  it('ranks the waits with the rest, over all time, when they are counted in', () => {
    const out = screen(frameOf(idle), { includeWaits: true });
    expect(out).not.toContain('-- waiting');
    expect(lineOf(out, /^wait4\s/)).toBeLessThan(lineOf(out, /^futex\s/));
    expect(lineOf(out, /^epoll_wait\s/)).toBeLessThan(lineOf(out, /^fsync\s/));
    expect(out).toMatch(/^wait4\s.*\s63\.9/m);
    expect(out).toContain('w: waits in %TIME');
  });

  it('sets a process that only waited apart in the process view', () => {
    const out = screen(frameOf(idle), { view: 'process' });
    expect(lineOf(out, /^20 db\s.*100\.0/)).toBeLessThan(lineOf(out, /^-- waiting/));
    expect(lineOf(out, /^-- waiting/)).toBeLessThan(lineOf(out, /^10 sh\s.*wait/));
  });

  it('keeps the table and its title line within 80x24', () => {
    const many = snap(1, {
      syscalls: [
        ...Array.from({ length: 30 }, (_, i) => statsOf(`sys${i}`, 400 + i, repeat(1000 + i, 1 + i))),
        statsOf('wait4', 61, [900_000_000]),
        statsOf('futex', 202, repeat(10_000_000, 40)),
      ],
    });
    // the first waiting row selected: the page scrolls to it, the title above it
    const out = screen(frameOf(many), { selected: 30 }, { width: 80, height: 24 });
    const lines = out.split('\n');
    expect(lines.length).toBeLessThanOrEqual(23);
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(80);
    expect(lineOf(out, /^-- waiting/)).toBe(lineOf(out, /^wait4\s/) - 1);
    expect(out).toContain('1 more below');
  });
});

describe('LiveApp keys', () => {
  const wait = (ms = 30): Promise<void> => new Promise((r) => setTimeout(r, ms));

  it('filters, opens a histogram, goes back, switches view and pauses', async () => {
    const feed = frameOf(several);
    const r = render(createElement(LiveApp, { feed, intervalMs: 1000, color: false }));
    unmount = r.unmount;
    await wait();
    for (const k of ['/', 'f', 's', '\r']) {
      r.stdin.write(k);
      await wait();
    }
    expect(r.lastFrame()).toContain('filter "fs": 1 rows');
    r.stdin.write('\r');
    await wait();
    expect(r.lastFrame()).toContain('Latency of fsync');
    r.stdin.write('\u001b');
    await wait(80);
    expect(r.lastFrame()).not.toContain('Latency of fsync');
    expect(r.lastFrame()).toContain('filter "fs"');
    // Esc in the table clears the filter
    r.stdin.write('\u001b');
    await wait(80);
    expect(r.lastFrame()).not.toContain('filter "fs"');
    r.stdin.write('2');
    await wait();
    expect(r.lastFrame()).toContain('PID COMMAND');
    r.stdin.write('p');
    await wait();
    feed.pushSnapshot(snap(2, { syscalls: [statsOf('read', 0, repeat(1000, 100))] }));
    await wait();
    // paused: still the first interval on screen
    expect(r.lastFrame()).toContain('PAUSED');
    expect(r.lastFrame()).toContain('42 db');
    expect(r.lastFrame()).toContain('up 1s');
    r.stdin.write('p');
    await wait();
    expect(r.lastFrame()).toContain('up 2s');
  });

  it('toggles counting waits in %TIME with w', async () => {
    const feed = frameOf(snap(1, { syscalls: [statsOf('wait4', 61, [900_000_000]), statsOf('fsync', 74, repeat(1_000_000, 6))] }));
    const r = render(createElement(LiveApp, { feed, intervalMs: 1000, color: false }));
    unmount = r.unmount;
    await wait();
    const first = (): string => (r.lastFrame() ?? '').split('\n').find((l) => /^(wait4|fsync)\s/.test(l)) ?? '';
    expect(first()).toMatch(/^fsync\s/);
    expect(r.lastFrame()).toContain('w: waits apart');
    r.stdin.write('w');
    await wait();
    expect(first()).toMatch(/^wait4\s/);
    expect(r.lastFrame()).toContain('w: waits in %TIME');
    r.stdin.write('?');
    await wait();
    expect(r.lastFrame()).toMatch(/^w\s+waiting calls/m);
    r.stdin.write('w');
    await wait();
    // the key closed the help, the setting stays
    expect(r.lastFrame()).toContain('w: waits in %TIME');
    r.stdin.write('w');
    await wait();
    expect(first()).toMatch(/^fsync\s/);
  });

  it('takes keys that arrive together (fast typing, a paste, Esc then a key) one by one', async () => {
    const feed = frameOf(several);
    const r = render(createElement(LiveApp, { feed, intervalMs: 1000, color: false }));
    unmount = r.unmount;
    await wait();
    r.stdin.write('/fs\r');
    await wait();
    expect(r.lastFrame()).toContain('filter "fs": 1 rows');
    r.stdin.write('\r');
    await wait();
    expect(r.lastFrame()).toContain('Latency of fsync');
    // Esc and 2 in one read: back to the table, then the process view
    r.stdin.write('\u001b2');
    await wait(80);
    expect(r.lastFrame()).not.toContain('Latency of fsync');
    expect(r.lastFrame()).toContain('PID COMMAND');
  });
});
