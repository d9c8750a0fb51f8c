// `trace --output` end to end through the built CLI, with
// test/core/backends/ebpf/stream-loader.mjs standing in for the loader (it plays back
// a frame stream built here). Tracing needs root, so these run as root only.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { syscallprof } from '../../src/core/wire/proto.js';
import { describe, expect, it } from 'vitest';
import { CSV_HEADER } from '../../src/core/capture/csv-schema.js';
import { runBuiltCli } from '../helpers/cli.js';
import { encodeStream } from '../helpers/frames.js';
import { scratchDir } from '../core/capture/capture-helpers.js';
import { eventHeader, eventsFrame, eventStream } from '../core/capture/event-frames.js';
import { stopChannelArgs } from '../../src/core/backends/ebpf/args.js';

const LOADER = fileURLToPath(new URL('../core/backends/ebpf/stream-loader.mjs', import.meta.url));
const AF_INET = [2, 0, 0x15, 0x38, 127, 0, 0, 1];

// a small program's calls: open a file and read it, connect to 127.0.0.1:5432 and write
const STREAM = eventStream(
  [
    eventsFrame(
      [
        { at: 1000, dur: 5000, nr: 257, ret: 3, args: [0xffffff9c, 0x7ffd0000, 0], path: '/etc/app,"main".conf' },
        { at: 7000, dur: 800, nr: 0, ret: 120, args: [3, 0x7ffd1000, 4096], pos: 0 },
        { at: 9000, nr: 41, ret: 4, args: [2, 1, 0] },
        { at: 9500, nr: 42, ret: -115, args: [4, 0x7ffd2000, 16], sockaddr: Uint8Array.from(AF_INET) },
      ],
      [{ kind: 3, at: 0, pid: 4242, comm: 'app' }],
    ),
    eventsFrame([{ at: 20000, dur: 300, nr: 1, ret: -32, args: [4, 0x7ffd3000, 10] }]),
  ],
  { monoNs: 1_000_050_000, health: { lostEvents: 0 } },
);

// runs `trace ARGS` with the stream loader playing `stream`
async function trace(args: string[], stream: Buffer = STREAM, env: Record<string, string> = {}) {
  const dir = scratchDir();
  writeFileSync(join(dir, 'stream.spb'), stream);
  const r = await runBuiltCli(['trace', ...args], {
    SYSCALL_PROF_LOADER: LOADER,
    STREAM_FILE: join(dir, 'stream.spb'),
    STREAM_ARGV_FILE: join(dir, 'argv.json'),
    ...env,
  });
  const argv = existsSync(join(dir, 'argv.json')) ? (JSON.parse(readFileSync(join(dir, 'argv.json'), 'utf8')) as string[]) : null;
  return { ...r, argv };
}

describe.skipIf(process.geteuid?.() !== 0)('trace --output (as root, stream loader)', () => {
  it('writes a CSV capture with fd paths and prints a summary on stderr', async () => {
    const dir = scratchDir();
    const out = join(dir, 'trace.csv');
    const r = await trace(['--output', out, '--syscalls', 'read,write,openat,socket,connect', '--', './app', '--port', '1']);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.argv).toEqual([...stopChannelArgs(), '--child-stdin-fd', '4', '--child-stderr-fd', '5', '--follow', '--events', '--syscalls', '0,1,41,42,257', '--child-stdout-fd', '3', '--', './app', '--port', '1']);
    expect(r.stderr).toMatch(new RegExp(`^wrote 5 rows to ${out} \\(csv, \\d+(\\.\\d)? (B|KiB)\\); 0 records lost\\n$`));
    // the CSV and its metadata beside it, nothing else
    expect(readdirSync(dir).sort()).toEqual(['trace.csv', 'trace.csv.meta.json']);
    const lines = readFileSync(out, 'utf8').split('\n');
    expect(lines).toEqual([
      CSV_HEADER,
      '1735787045000001000,4242,4242,app,openat,5000,3,,0xffffff9c,0x7ffd0000,0x0,0x0,0x0,0x0,,,,"/etc/app,""main"".conf",',
      '1735787045000007000,4242,4242,app,read,800,120,,0x3,0x7ffd1000,0x1000,0x0,0x0,0x0,0,,,"/etc/app,""main"".conf",',
      '1735787045000009000,4242,4242,app,socket,1000,4,,0x2,0x1,0x0,0x0,0x0,0x0,,,,,',
      '1735787045000009500,4242,4242,app,connect,1000,-115,EINPROGRESS,0x4,0x7ffd2000,0x10,0x0,0x0,0x0,,,,socket:tcp 127.0.0.1:5432,',
      '1735787045000020000,4242,4242,app,write,300,-32,EPIPE,0x4,0x7ffd3000,0xa,0x0,0x0,0x0,,,,socket:tcp 127.0.0.1:5432,',
      '',
    ]);
    expect(JSON.parse(readFileSync(`${out}.meta.json`, 'utf8'))).toMatchObject({
      backend: 'ebpf',
      arch: 'x86_64',
      target: 'command: /bin/sh -c make, with children',
      start_real_ns: '1735787045000000000',
      filters: { syscalls: null, min_duration_ns: 0, failed_only: false },
      rows: 5,
      duration_ns: 50000,
      lost_events: 0,
    });
  });

  it('says how to keep lost records, never silently', async () => {
    const out = join(scratchDir(), 'lossy.jsonl');
    const r = await trace(['--output', out, '--', './app'], eventStream([eventsFrame([{ at: 1, nr: 0 }])], { health: { lostEvents: 12345 } }));
    expect(r.exitCode).toBe(0);
    expect(r.stderr.split('\n')).toEqual([
      expect.stringMatching(/^wrote 1 row to .*lossy\.jsonl \(jsonl, .*\); 12,345 records lost$/),
      "warning: 12,345 calls were not recorded: the kernel's ring buffer was full. To keep them, raise the ring buffer with --ringbuf-mb 64 (now 16), or record fewer calls with --syscalls, --min-duration or --failed",
      '',
    ]);
    expect(readFileSync(out, 'utf8')).toContain('"lost_events":12345');
  });

  it('copies the loader\'s frames byte for byte into an spb capture', async () => {
    const out = join(scratchDir(), 'run.spb');
    const r = await trace(['--output', out, '--ringbuf-mb', '64', '--min-duration', '1.5us', '--failed', '--', './app']);
    expect(r.exitCode).toBe(0);
    expect(r.argv).toEqual([...stopChannelArgs(), '--child-stdin-fd', '4', '--child-stderr-fd', '5', '--follow', '--events', '--min-duration', '1500', '--failed', '--ringbuf-mb', '64', '--child-stdout-fd', '3', '--', './app']);
    // the loader's bytes as they came, then our note: the listen queues' counters while it ran
    const bytes = readFileSync(out);
    expect(bytes.subarray(0, STREAM.length).equals(STREAM)).toBe(true);
    const note = syscallprof.Frame.decodeDelimited(bytes.subarray(STREAM.length)).note!;
    expect(JSON.parse(note.listenJson)).toEqual({ overflows: expect.any(Number), drops: expect.any(Number) });
    expect(r.stderr).toMatch(/^wrote 5 rows to .*run\.spb \(spb, /);
  });

  it('prints the profile as JSON on stdout with --json', async () => {
    const out = join(scratchDir(), 'x.csv');
    const r = await trace(['--json', '--output', out, '--', './app']);
    expect(r.exitCode).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ backend: 'ebpf' });
  });

  it('leaves an existing capture untouched and no temporary file when the loader fails', async () => {
    const dir = scratchDir();
    const out = join(dir, 'trace.csv');
    writeFileSync(out, 'previous capture\n');
    const partial = Buffer.concat([encodeStream([eventHeader()]), eventsFrame([{ at: 1, nr: 0 }])]);
    const r = await trace(['--output', out, '--', './app'], partial, { STREAM_EXIT: '1', STREAM_STDERR: 'ring buffer poll: Bad address' });
    expect(r.exitCode).toBe(70);
    // the loader's own line, forwarded, then ours
    expect(r.stderr).toBe('syscall-prof-loader: ring buffer poll: Bad address\nsyscall-prof: the eBPF loader failed (exit 1): ring buffer poll: Bad address\n');
    expect(readFileSync(out, 'utf8')).toBe('previous capture\n');
    expect(readdirSync(dir)).toEqual(['trace.csv']);
  });

  it('fails before tracing when the output cannot be created', async () => {
    const out = join(scratchDir(), 'missing-dir', 'x.csv');
    const r = await trace(['--output', out, '--', './app']);
    expect(r.exitCode).toBe(74);
    expect(r.stderr).toBe(`syscall-prof: cannot create ${out}: no such directory\n`);
    expect(r.argv).toBeNull();
  });

  it('notes an --output that went to the command after --', async () => {
    const r = await trace(['--', './app', '--output', 'x.csv'], encodeStream([eventHeader({ events: false }), { snapshot: { seq: 1, monoNs: 2e9, final: true } }]));
    expect(r.stderr.split('\n')[0]).toBe('syscall-prof: note: "--output" after "--" is an argument of the traced command; put syscall-prof options before "--"');
    expect(r.argv).toEqual([...stopChannelArgs(), '--child-stdin-fd', '4', '--child-stderr-fd', '5', '--follow', '--child-stdout-fd', '3', '--', './app', '--output', 'x.csv']);
  });
});

describe('trace capture options on the command line', () => {
  it.each<[string[], string | RegExp]>([
    [['trace', '--failed', '--', 'true'], 'syscall-prof: --failed needs --output FILE (it applies to the captured calls)\n'],
    [['trace', '--output', 'x.csv', '--syscalls', 'read,nope', '--', 'true'], 'syscall-prof: unknown syscall "nope" for x86_64\n'],
    [['trace', '--output', 'x.csv', '--min-duration', '100', '--', 'true'], /--min-duration <time>' argument '100' is invalid\. expected a duration with a unit/],
    [['trace', '--output', 'x.csv', '--ringbuf-mb', '48', '--', 'true'], /--ringbuf-mb <n>' argument '48' is invalid\. expected a power of two from 1 to 1024/],
    [['trace', '--output', 'x.xml', '--format', 'xml', '--', 'true'], /Allowed choices are csv, jsonl, spb/],
  ])('%j exits 2 with one line', async (args, message) => {
    const r = await runBuiltCli(args);
    expect(r.exitCode).toBe(2);
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    if (typeof message === 'string') expect(r.stderr).toBe(message);
    else expect(r.stderr).toMatch(message);
  });

  it('documents capture files with examples', async () => {
    const r = await runBuiltCli(['trace', '--help']);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain('-o, --output <file>');
    expect(r.stdout).toContain('record every call to this file');
    expect(r.stdout).toContain('CAPTURE FILES');
    expect(r.stdout).toContain('sudo syscall-prof trace --syscalls read,write,fsync --min-duration 100us --output slow.csv -- ./db');
    expect(r.stdout).toContain('Options go before "--"');
  });
});
