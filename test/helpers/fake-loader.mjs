#!/usr/bin/env node
// A stand-in for syscall-prof-loader in unit tests (the real one needs root and a
// kernel): behaves as $FAKE_SCENARIO says, writing synthetic frames on stdout.
import { writeFileSync, writeSync } from 'node:fs';
import { syscallprof } from '../../src/core/wire/generated/syscall_prof.js';

const { Frame } = syscallprof;
const frame = (o) => Buffer.from(Frame.encodeDelimited(Frame.fromObject(o)).finish());

const args = process.argv.slice(2);
if (process.env.FAKE_ARGV_FILE) writeFileSync(process.env.FAKE_ARGV_FILE, JSON.stringify(args));
const dash = args.indexOf('--');
const command = dash < 0 ? [] : args.slice(dash + 1);
const fdArg = args.indexOf('--child-stdout-fd');
const childStdout = fdArg < 0 ? 2 : Number(args[fdArg + 1]);
const stopOnStdinEof = args.includes('--stop-on-stdin-eof');

const header = frame({
  header: {
    version: 2,
    arch: 'ARCH_X86_64',
    mode: command.length > 0 ? 'MODE_COMMAND' : 'MODE_ALL',
    pids: [],
    follow: args.includes('--follow'),
    startMonoNs: 1e9,
    startRealNs: Date.UTC(2025, 0, 2, 3, 4, 5) * 1e6,
    fine: { subBits: 3, buckets: 336 },
    coarse: { subBits: 2, buckets: 172 },
    intervalMs: 1000,
    command,
    costStats: 'COST_STATS_OFF',
  },
});
// n calls of read(2), each 5 ns (bucket 5 in both layouts)
const snapshot = (seq, extra = {}) =>
  frame({
    snapshot: {
      seq,
      monoNs: 1e9 + seq * 5e8,
      syscalls: [{ nr: 0, count: seq, totalNs: 5 * seq, maxNs: 5, bucketIndex: [5], bucketCount: [seq] }],
      processes: [{ tgid: 4242, nr: 0, count: seq, totalNs: 5 * seq, maxNs: 5, bucketIndex: [5], bucketCount: [seq] }],
      procs: [{ tgid: 4242, comm: 'fake' }],
      ...extra,
    },
  });
const out = (buf) => writeSync(1, buf);
const err = (line) => writeSync(2, `syscall-prof-loader: ${line}\n`);

switch (process.env.FAKE_SCENARIO) {
  case 'ok':
    out(header);
    writeSync(childStdout, 'child output\n');
    out(snapshot(1));
    out(snapshot(2, { final: true, stopReason: 'STOP_REASON_TARGET_EXIT', exit: { pid: 4242, exited: true, code: 3 } }));
    break;
  case 'usage':
    err('no such process: 999999');
    process.exit(2);
    break;
  case 'perm':
    err('loading BPF programs: Operation not permitted');
    process.exit(4);
    break;
  case 'fail':
    out(header);
    err('ring buffer poll: Bad address');
    process.exit(1);
    break;
  case 'truncated':
    out(header);
    out(snapshot(1).subarray(0, 7));
    break;
  case 'no-final':
    out(header);
    out(snapshot(1));
    break;
  case 'killed':
    out(header);
    process.kill(process.pid, 'SIGKILL');
    break;
  case 'corrupt':
    // bad bytes, then hang until stopped
    out(header);
    out(Buffer.from([0x03, 0x0f, 0xff, 0xff]));
    process.on('SIGTERM', () => process.exit(0));
    setTimeout(() => process.exit(0), 30_000);
    break;
  case 'wait-signal':
  case 'deaf-stdin': {
    // snapshots until SIGINT, SIGTERM or (--stop-on-stdin-eof, but not when
    // deaf-stdin) EOF on stdin, then a final one; says on stderr what stopped it
    const stop = (how) => {
      writeSync(2, `stopped by ${how}\n`);
      out(snapshot(2, { final: true, stopReason: 'STOP_REASON_SIGNAL' }));
      process.exit(0);
    };
    process.on('SIGINT', () => stop('SIGINT'));
    process.on('SIGTERM', () => stop('SIGTERM'));
    if (stopOnStdinEof && process.env.FAKE_SCENARIO === 'wait-signal') process.stdin.on('end', () => stop('stdin EOF')).resume();
    out(header);
    out(snapshot(1));
    setTimeout(() => process.exit(1), 30_000);
    break;
  }
  default:
    err(`unknown FAKE_SCENARIO "${process.env.FAKE_SCENARIO}"`);
    process.exit(1);
}
