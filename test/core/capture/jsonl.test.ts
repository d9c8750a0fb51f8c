import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../../src/core/errors.js';
import type { SyscallEvent } from '../../../src/core/model/events.js';
import { event, fileWith, META, readCapture, rejection, writeCapture } from './capture-helpers.js';

const U64_MAX = 2n ** 64n - 1n;
const HEAD = '{"syscall_prof":1,"meta":{"backend":"ebpf","arch":"x86_64","target":"pid 7","start_real_ns":"1735787045000000000","filters":{"syscalls":null,"min_duration_ns":0,"failed_only":false}}}';
const ROW = '{"timestamp_ns":"1735787045000001000","pid":7,"tid":7,"comm":"db","syscall":"read","duration_ns":2500,"ret":4096,"errno":null,"args":["0x3","0x7ffd12345678","0x1000","0x0","0x0","0x0"],"pos":8192,"path":"/data"}';
const END = (rows: number) => `{"syscall_prof_end":{"rows":${rows},"duration_ns":5000,"lost_events":0}}`;

describe('JSON lines round trip', () => {
  it.each<[string, Partial<SyscallEvent>]>([
    ['a plain read', {}],
    ['awkward text', { comm: 'a,"b"\n\u0001', path: '/tmp/\u2028x "y"\\z' }],
    ['a failed call', { syscall: 'openat', ret: -2, pos: null, path: null }],
    ['64-bit args', { args: [U64_MAX, 0n, 2n ** 32n, 2n ** 63n, 1n, 0xabcdefn] }],
    ['before the start', { startNs: -1 }],
    ['on and off the CPU', { syscall: 'fsync', offCpuNs: 900_000, runqNs: 12_345 }],
  ])('%s', async (_name, overrides) => {
    const path = writeCapture('jsonl', [event(), event(overrides)]);
    const { events, end } = await readCapture(path);
    expect(events).toEqual([event(), event(overrides)]);
    expect(end.meta).toEqual({ ...META, durationNs: 2_000_000_000, lostEvents: 3 });
  });

  it('writes the documented layout', () => {
    const path = writeCapture('jsonl', [event({ ret: -11, args: [3n, U64_MAX, 0n, 0n, 0n, 0n], pos: null })]);
    const lines = readFileSync(path, 'utf8').split('\n');
    expect(lines.map((l) => (l === '' ? null : JSON.parse(l)))).toEqual([
      {
        syscall_prof: 1,
        meta: {
          backend: 'ebpf',
          arch: 'x86_64',
          target: 'command: ./db --port 5432, with children',
          start_real_ns: '1735787045123456789',
          filters: { syscalls: ['read', 'write'], min_duration_ns: 100000, failed_only: false },
        },
      },
      {
        timestamp_ns: '1735787045123457789',
        pid: 4242,
        tid: 4243,
        comm: 'db',
        syscall: 'read',
        duration_ns: 2500,
        ret: -11,
        errno: 'EAGAIN',
        args: ['0x3', '0xffffffffffffffff', '0x0', '0x0', '0x0', '0x0'],
        pos: null,
        off_cpu_ns: null,
        runq_ns: null,
        path: '/var/lib/db/data',
      },
      { syscall_prof_end: { rows: 1, duration_ns: 2000000000, lost_events: 3 } },
      null,
    ]);
  });

  it('carries the CPU time and the threads\' lifetimes in the end line, and reads them back', async () => {
    const trailer = { durationNs: 2_000_000_000, lostEvents: 0, cpuNs: 150_000_000, threadNs: 910_000_000, threadCount: 3 };
    const path = writeCapture('jsonl', [event()], META, trailer);
    const end = JSON.parse(readFileSync(path, 'utf8').trim().split('\n').at(-1)!) as unknown;
    expect(end).toEqual({ syscall_prof_end: { rows: 1, duration_ns: 2000000000, lost_events: 0, cpu_ns: 150000000, thread_ns: 910000000, threads: 3 } });
    expect((await readCapture(path)).end.meta).toEqual({ ...META, ...trailer });
    // a capture from before these fields reads as unknown
    const old = fileWith('old.jsonl', `${HEAD}\n${ROW}\n${END(1)}\n`);
    const meta = (await readCapture(old)).end.meta;
    expect(meta.threadNs).toBeUndefined();
    expect(meta.threadCount).toBeUndefined();
  });
});

const BAD: readonly [string, string, number, RegExp][] = [
  ['an empty file', '', 1, /empty file, expected \{"syscall_prof": 1, "meta": \{\.\.\.\}\}/],
  ['a first line that is not the meta line', `${ROW}\n${END(0)}\n`, 1, /expected \{"syscall_prof": 1, "meta": \{\.\.\.\}\}/],
  ['a newer version', `${HEAD.replace('"syscall_prof":1', '"syscall_prof":2')}\n`, 1, /unsupported capture version 2/],
  ['a line that is not JSON', `${HEAD}\n${ROW}\n{"timestamp_ns": \n${END(2)}\n`, 3, /expected a JSON object, got a line that is not JSON/],
  ['a missing field', `${HEAD}\n${ROW.replace('"pid":7,', '')}\n${END(1)}\n`, 2, /"pid": expected a whole number up to 2147483647, got nothing/],
  ['a non-numeric duration', `${HEAD}\n${ROW.replace('"duration_ns":2500', '"duration_ns":"2500"')}\n${END(1)}\n`, 2, /"duration_ns": expected a whole number .*, got "2500"/],
  ['a negative off-CPU time', `${HEAD}\n${ROW.replace('"path"', '"off_cpu_ns":-5,"path"')}\n${END(1)}\n`, 2, /"off_cpu_ns": expected a whole number of ns or null, got -5/],
  ['a numeric timestamp', `${HEAD}\n${ROW.replace('"1735787045000001000"', '1735787045000001000')}\n${END(1)}\n`, 2, /"timestamp_ns": expected ns since the Unix epoch as a string of digits/],
  ['five args', `${HEAD}\n${ROW.replace(',"0x0"]', ']')}\n${END(1)}\n`, 2, /"args": expected 6 hex strings/],
  ['an unknown syscall', `${HEAD}\n${ROW.replace('"read"', '"frobnicate"')}\n${END(1)}\n`, 2, /"syscall": expected a syscall name of x86_64, got "frobnicate"/],
  ['a truncated last line', `${HEAD}\n${ROW}\n${ROW.slice(0, 50)}`, 3, /truncated last line \(no final newline\)/],
  ['no end line', `${HEAD}\n${ROW}\n`, 3, /expected a last line \{"syscall_prof_end": \{\.\.\.\}\}, got the end of the file/],
  ['an end line that disagrees', `${HEAD}\n${ROW}\n${END(5)}\n`, 3, /the end line says 5 rows, the file has 1/],
];

describe('JSON lines bad input', () => {
  it.each(BAD)('%s', async (_name, content, line, message) => {
    const path = fileWith('bad.jsonl', content);
    const err = await rejection(readCapture(path));
    expect(err).toBeInstanceOf(InputError);
    expect(err.message.startsWith(`${path}: line ${line}: `)).toBe(true);
    expect(err.message).toMatch(message);
  });

  it('skips and counts bad rows with skipBad', async () => {
    const path = fileWith('x.jsonl', `${HEAD}\n${ROW}\n[]\n${ROW.replace('"pid":7', '"pid":-7')}\n${ROW}\n${END(4)}\n`);
    const { events, end } = await readCapture(path, { skipBad: true });
    expect(events).toHaveLength(2);
    expect(end.skipped).toEqual({ count: 2, firstLine: 3, firstReason: 'expected a JSON object' });
  });
});
