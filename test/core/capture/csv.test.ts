import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { describeSkipped } from '../../../src/core/capture/bad-rows.js';
import { CSV_HEADER, CSV_HEADER_V1 } from '../../../src/core/capture/csv-schema.js';
import { InputError } from '../../../src/core/errors.js';
import type { SyscallEvent } from '../../../src/core/model/events.js';
import { event, fileWith, META, readCapture, rejection, writeCapture } from './capture-helpers.js';

const HEAD = `# syscall-prof capture v1\n# backend: ebpf\n# arch: x86_64\n# target: pid 7\n# start_real_ns: 1735787045000000000\n# filters: syscalls=all min_duration_ns=0 failed_only=false\n${CSV_HEADER_V1}\n`;
const ROW = '1735787045000001000,7,7,db,read,2500,4096,,0x3,0x7ffd12345678,0x1000,0x0,0x0,0x0,8192,/data';
const U64_MAX = 2n ** 64n - 1n;

describe('CSV round trip', () => {
  it.each<[string, Partial<SyscallEvent>]>([
    ['a plain read', {}],
    ['comm with a comma', { comm: 'my,app' }],
    ['comm with quotes', { comm: 'say "hi"' }],
    ['comm with a newline and CR', { comm: 'a\nb\rc' }],
    ['empty comm', { comm: '' }],
    ['path with commas, quotes and newlines', { path: '/tmp/a,b "c"\nd\r\n,e' }],
    ['path of only a quote', { path: '"' }],
    ['unknown path', { path: null }],
    ['unicode', { comm: 'prozeß', path: '/tmp/日本語 ✓' }],
    ['a failed call', { syscall: 'openat', ret: -2, path: '/nope' }],
    ['kernel restart errno', { ret: -512 }],
    ['an mmap address', { syscall: 'mmap', ret: 0x7f12_3456_7000, pos: null }],
    ['huge duration', { durationNs: Number.MAX_SAFE_INTEGER }],
    ['zero duration', { durationNs: 0 }],
    ['largest pid', { pid: 2 ** 31 - 1, tid: 2 ** 31 - 1 }],
    ['all-ones and odd 64-bit args', { args: [U64_MAX, 0n, 2n ** 32n, 2n ** 63n, 0xffff_ffffn, 0x1_0000_0001n] }],
    ['huge file position', { pos: 2 ** 50 }],
    ['no file position', { pos: null }],
    ['on and off the CPU', { syscall: 'fsync', offCpuNs: 900_000, runqNs: 12_345 }],
    ['blocked, never runnable-waiting', { offCpuNs: 2000, runqNs: 0 }],
    ['started before the capture', { startNs: -5 }],
    ['far into the capture', { startNs: 86_400e9 + 123 }],
    ['x86_64 name by number only', { syscall: 'syscall_999', nr: 999 }],
  ])('%s', async (_name, overrides) => {
    const e = event(overrides);
    const path = writeCapture('csv', [event(), e, event({ startNs: 5 })]);
    const { events, end } = await readCapture(path);
    expect(events).toEqual([event(), e, event({ startNs: 5 })]);
    expect(end.meta).toEqual({ ...META, durationNs: 2_000_000_000, lostEvents: 3 });
    expect(end.skipped).toBeNull();
  });

  it('writes plain RFC 4180 (header on line 1, then rows) and the metadata in a sidecar', () => {
    const path = writeCapture('csv', [
      event({ startNs: 0 }),
      event({ startNs: 876_543_211, syscall: 'openat', ret: -13, comm: 'a,"b"', path: 'x\ny', pos: null, args: [0xffff_ff9cn, 0n, 0n, 0n, 0n, U64_MAX] }),
    ]);
    expect(readFileSync(path, 'utf8')).toBe(
      [
        CSV_HEADER,
        '1735787045123456789,4242,4243,db,read,2500,4096,,0x3,0x7ffd12345678,0x1000,0x0,0x0,0x0,8192,,,/var/lib/db/data,',
        // the fraction carries into the next second exactly (no floating point)
        '1735787046000000000,4242,4243,"a,""b""",openat,2500,-13,EACCES,0xffffff9c,0x0,0x0,0x0,0x0,0xffffffffffffffff,,,,"x',
        'y",',
        '',
      ].join('\n'),
    );
    expect(JSON.parse(readFileSync(`${path}.meta.json`, 'utf8'))).toEqual({
      format: 'syscall-prof/capture-meta',
      version: 1,
      backend: 'ebpf',
      arch: 'x86_64',
      target: 'command: ./db --port 5432, with children',
      start_real_ns: '1735787045123456789',
      filters: { syscalls: ['read', 'write'], min_duration_ns: 100000, failed_only: false },
      rows: 2,
      duration_ns: 2000000000,
      lost_events: 3,
    });
  });

  it('carries the CPU time and the threads\' lifetimes in the sidecar, and reads them back', async () => {
    const trailer = { durationNs: 2_000_000_000, lostEvents: 0, cpuNs: 150_000_000, threadNs: 910_000_000, threadCount: 3 };
    const path = writeCapture('csv', [event()], META, trailer);
    expect(JSON.parse(readFileSync(`${path}.meta.json`, 'utf8'))).toMatchObject({ rows: 1, duration_ns: 2e9, cpu_ns: 150_000_000, thread_ns: 910_000_000, threads: 3, lost_events: 0 });
    expect((await readCapture(path)).end.meta).toEqual({ ...META, ...trailer });
    // a capture from before the sidecar (metadata and trailer in # lines) still reads
    const old = fileWith('old.csv', `${HEAD}${ROW}\n# rows: 1\n# duration_ns: 5000\n# cpu_ns: 7\n# lost_events: 0\n`);
    const meta = (await readCapture(old)).end.meta;
    expect(meta.cpuNs).toBe(7);
    expect(meta.durationNs).toBe(5000);
    expect(meta.threadNs).toBeUndefined();
    expect(meta.threadCount).toBeUndefined();
  });

  it('reads the CSV without its sidecar: timed from its first row, the rest unknown', async () => {
    const path = writeCapture('csv', [event({ startNs: 0 }), event({ startNs: 1000 })]);
    rmSync(`${path}.meta.json`);
    const { events, end } = await readCapture(path);
    expect(events.map((e) => e.startNs)).toEqual([0, 1000]);
    expect(end.meta).toMatchObject({ backend: 'unknown', durationNs: null, startRealNs: '1735787045123456789' });
  });

  it('says when the sidecar and the CSV disagree, or the sidecar is broken, naming it', async () => {
    const path = writeCapture('csv', [event(), event()]);
    const side = `${path}.meta.json`;
    const good = readFileSync(side, 'utf8');
    writeFileSync(side, good.replace('"rows": 2', '"rows": 3'));
    expect((await rejection(readCapture(path))).message).toBe(`${path}: its sidecar ${side} says 3 rows, the file has 2: rows are missing or were added`);
    writeFileSync(side, good.slice(0, 40));
    expect((await rejection(readCapture(path))).message).toBe(`${side}: not JSON (cut short?): remove it to read the CSV without its metadata`);
    writeFileSync(side, good.replace('"lost_events": 3', '"lost_events": "many"'));
    expect((await rejection(readCapture(path))).message).toBe(`${side}: lost_events: expected a whole number`);
  });

  it.each<[string, number, string]>([
    ['start', 0, '1735787045123456789'],
    ['one ns later', 1, '1735787045123456790'],
    ['carry into the next second', 876_543_211, '1735787046000000000'],
    ['one ns before the start', -1, '1735787045123456788'],
    ['borrow from the second', -123_456_790, '1735787044999999999'],
    ['a day later', 86_400e9, '1735873445123456789'],
  ])('timestamp_ns %s', async (_name, startNs, text) => {
    const path = writeCapture('csv', [event({ startNs })]);
    const line = readFileSync(path, 'utf8').split('\n')[1]!;
    expect(line.split(',')[0]).toBe(text);
    expect((await readCapture(path)).events[0]!.startNs).toBe(startNs);
  });

  it('reads rows and quoted fields split across reads, in batches', async () => {
    const events = Array.from({ length: 50 }, (_, i) => event({ startNs: i, comm: i % 3 === 0 ? 'a,"b"\nc' : 'db', path: i % 4 === 0 ? `/p/${'x'.repeat(i)},"q"` : `/p/${i}` }));
    const path = writeCapture('csv', events);
    for (const chunkBytes of [1, 7, 64, 1000]) {
      const { events: back, sizes } = await readCapture(path, { chunkBytes, batchRows: 16 });
      expect(back).toEqual(events);
      expect(sizes).toEqual([16, 16, 16, 2]);
    }
  });

  it('accepts a last row without a final newline, CRLF lines and blank lines', async () => {
    const path = fileWith('x.csv', `${HEAD.replace(/\n/g, '\r\n')}\r\n${ROW}\r\n\r\n${ROW}`);
    const { events } = await readCapture(path);
    expect(events.map((e) => [e.startNs, e.path])).toEqual([
      [1000, '/data'],
      [1000, '/data'],
    ]);
  });

  it('reads a file without metadata, timed from its first row', async () => {
    const path = fileWith('bare.csv', `${CSV_HEADER_V1}\n${ROW}\n${ROW.replace('1735787045000001000', '1735787045000003000')}\n`);
    const { events, meta } = await readCapture(path);
    expect(meta).toMatchObject({ backend: 'unknown', arch: 'x86_64', startRealNs: '1735787045000001000', durationNs: null });
    expect(events.map((e) => e.startNs)).toEqual([0, 2000]);
  });
});

// a capture with one bad thing in it; `line` is the line the error must name
const BAD: readonly [string, string, number, RegExp][] = [
  ['an empty file', '', 1, /empty file, expected the header line "timestamp_ns,pid,tid,comm,syscall,duration_ns,ret,errno,arg0,arg1,arg2,arg3,arg4,arg5,pos,off_cpu_ns,runq_ns,path,stack"/],
  ['a bad off-CPU time', `${HEAD.replace(CSV_HEADER_V1, CSV_HEADER)}${ROW.replace(',8192,', ',8192,x,0,')}\n`, 8, /field 16 \(off_cpu_ns\): expected a number of ns or nothing, got "x"/],
  ['a row without the off-CPU columns under the new header', `${HEAD.replace(CSV_HEADER_V1, CSV_HEADER)}${ROW}\n`, 8, /expected 19 fields .*, got 16/],
  ['a wrong header', HEAD.replace(',duration_ns,', ',dur_ns,') + `${ROW}\n`, 7, /expected the header line "timestamp_ns,.*,path,stack", got "timestamp_ns,pid,tid,comm,syscall,dur_ns,/],
  ['a missing header', `# syscall-prof capture v1\n${ROW}\n`, 2, /expected the header line "timestamp_ns,.*", got "1735787045000001000,7,7,db,read/],
  ['only metadata', '# syscall-prof capture v1\n# backend: ebpf\n', 3, /expected the header line ".*", got the end of the file/],
  ['missing columns', `${HEAD}${ROW}\n1735787045000001000,7,7,db,read,2500,4096,,0x3\n`, 9, /expected 16 fields \(timestamp_ns,.*,path\), got 9$/],
  ['a truncated last line', `${HEAD}${ROW}\n${ROW.slice(0, 40)}`, 9, /expected 16 fields \(.*\), got 7 \(truncated last line: no final newline\)/],
  ['extra columns', `${HEAD}${ROW},extra\n`, 8, /expected 16 fields, got more/],
  ['a non-numeric duration', `${HEAD}${ROW.replace(',2500,', ',25x0,')}\n`, 8, /field 6 \(duration_ns\): expected a non-negative integer \(ns\), got "25x0"/],
  ['a negative duration', `${HEAD}${ROW.replace(',2500,', ',-1,')}\n`, 8, /field 6 \(duration_ns\): expected a non-negative integer \(ns\), got "-1"/],
  ['a non-numeric pid', `${HEAD}${ROW.replace(',7,7,', ',seven,7,')}\n`, 8, /field 2 \(pid\): expected a process id, got "seven"/],
  ['a non-numeric ret', `${HEAD}${ROW.replace(',4096,', ',ok,')}\n`, 8, /field 7 \(ret\): expected an integer, got "ok"/],
  ['a bad timestamp', `${HEAD}${ROW.replace('1735787045000001000', '2025-01-02T03:04:05')}\n`, 8, /field 1 \(timestamp_ns\): expected ns since the Unix epoch \(1 to 19 digits\), got "2025-01-02T03:04:05"/],
  ['a decimal arg', `${HEAD}${ROW.replace(',0x3,', ',3,')}\n`, 8, /field 9 \(arg0\): expected a hex number 0x0 to 0xffffffffffffffff, got "3"/],
  ['a 17-digit hex arg', `${HEAD}${ROW.replace(',0x3,', ',0x10000000000000000,')}\n`, 8, /field 9 \(arg0\): expected a hex number/],
  ['a bad pos', `${HEAD}${ROW.replace(',8192,', ',far,')}\n`, 8, /field 15 \(pos\): expected an integer or nothing, got "far"/],
  ['an unknown syscall', `${HEAD}${ROW.replace(',read,', ',frobnicate,')}\n`, 8, /field 5 \(syscall\): expected a syscall name of x86_64, got "frobnicate"/],
  ['an unterminated quote', `${HEAD}${ROW.replace(',/data', ',"/data')}\n`, 8, /field 16 \(path\): expected a closing quote before the end of the file/],
  ['a bad start_real_ns', HEAD.replace('1735787045000000000', 'yesterday'), 5, /start_real_ns: expected ns since the Unix epoch \(1 to 19 digits\), got "yesterday"/],
  ['bad filters', HEAD.replace('failed_only=false', 'failed_only=maybe'), 6, /filters: failed_only: expected true or false, got "maybe"/],
  ['a newer version', HEAD.replace('v1', 'v2'), 1, /unsupported capture version 2/],
  ['a trailer that disagrees', `${HEAD}${ROW}\n# rows: 2\n`, 9, /the trailer says 2 rows, the file has 1/],
  ['a bad thread_ns', `${HEAD}${ROW}\n# thread_ns: 1.5e9\n`, 9, /thread_ns: expected a whole number, got "1.5e9"/],
  ['a bad threads', `${HEAD}${ROW}\n# threads: -3\n`, 9, /threads: expected a whole number, got "-3"/],
];

describe('CSV bad input', () => {
  it.each(BAD)('%s', async (_name, content, line, message) => {
    const path = fileWith('bad.csv', content);
    const err = await rejection(readCapture(path));
    expect(err).toBeInstanceOf(InputError);
    expect(err.message.startsWith(`${path}: line ${line}: `)).toBe(true);
    expect(err.message).toMatch(message);
    expect((err as InputError).line).toBe(line);
  });

  it('skips and counts bad rows with skipBad', async () => {
    const bad = [ROW.replace(',2500,', ',x,'), ROW.replace(',read,', ',nope,'), '1,2,3'];
    const path = fileWith('some-bad.csv', `${HEAD}${ROW}\n${bad[0]}\n${ROW}\n${bad[1]}\n${bad[2]}\n${ROW}\n# rows: 6\n`);
    const { events, end } = await readCapture(path, { skipBad: true });
    expect(events).toHaveLength(3);
    expect(end.skipped).toEqual({ count: 3, firstLine: 9, firstReason: 'field 6 (duration_ns): expected a non-negative integer (ns), got "x"' });
    expect(describeSkipped(end.skipped!)).toBe('skipped 3 bad rows (first at line 9: field 6 (duration_ns): expected a non-negative integer (ns), got "x")');
  });

  it('still fails on a bad header with skipBad', async () => {
    const err = await rejection(readCapture(fileWith('h.csv', `${ROW}\n`), { skipBad: true }));
    expect(err.message).toMatch(/line 1: expected the header line/);
  });
});
