import { describe, expect, it } from 'vitest';
import { colorWanted, palette } from '../../../src/presentation/render/color.js';
import { renderReport } from '../../../src/presentation/render/report.js';
import { profileOf, statsOf } from '../../helpers/profile.js';

const PLAIN = palette(false);

const BUSY = profileOf({
  syscalls: [
    statsOf('read', 0, [1000, 2000, 30_000, 2_100_000], { errors: 0 }),
    statsOf('fsync', 74, [20_800_000, 127_000_000]),
    statsOf('openat', 257, [51_000, 52_000, 53_000], { errors: 1 }),
    statsOf('getpid', 39, Array.from({ length: 1234 }, () => 300)),
  ],
  processes: [
    { tgid: 4242, comm: 'sh', syscalls: [] },
    { tgid: 4243, comm: 'make', syscalls: [] },
  ],
  inFlight: [{ tgid: 4243, tid: 4250, syscall: 'epoll_wait', nr: 232, ageNs: 1_500_000_000 }],
  health: { missedStarts: 3, processDrops: 0, untrackedThreads: 0, lostEvents: 0, badSyscallNr: 2, inFlightTruncated: 0, timeDrops: 0 },
  cost: {
    enabled: true,
    programs: [
      { name: 'sys_enter', runTimeNs: 60_000, runCount: 1000 },
      { name: 'sys_exit', runTimeNs: 40_000, runCount: 1000 },
    ],
    windowNs: 100_000_000,
    memoryBytes: 14.4 * 1024 * 1024,
  },
  exit: { pid: 4242, kind: 'exited', code: 0 },
});

describe('renderReport', () => {
  it('renders header and table with human units', () => {
    expect(renderReport(BUSY, { top: null, palette: PLAIN })).toBe(
      `Syscall Profiling Report
════════════════════════════════════════════════════
Command:        /bin/sh -c 'make all' (PID 4242), with children
Backend:        ebpf
Started:        2025-01-02T03:04:05.000Z
Duration:       2.0 s
Total syscalls: 1,243 (1 error), 622/s
Processes:      2
Exit status:    exited with code 0
Stopped:        target exited
Profiler cost:  50 ns per run of 2 programs, 0.1% of one CPU; maps 14.4 MiB

Warnings:
  ! 3 calls had started before tracing began and were not timed
  ! 2 calls had syscall numbers the profiler cannot index (e.g. x32 ABI) and were ignored

In flight when tracing stopped:
  epoll_wait in PID 4243 (make) TID 4250, running for 1.5 s

Syscall Summary:
────────────────────────────────────────────────────
Syscall  Count  Errors   Total      Avg      p50      p99      Max
fsync        2       0  148 ms  73.9 ms  21.0 ms   127 ms   127 ms
read         4       0  2.1 ms   533 µs   2.0 µs   2.1 ms   2.1 ms
getpid   1,234       0  370 µs   300 ns   300 ns   300 ns   300 ns
openat       3       1  156 µs  52.0 µs  51.9 µs  53.0 µs  53.0 µs
p50/p99 are estimated from histograms, within 12.5% of the true value.
`,
    );
  });

  it('cuts the table at --top and says how many were left out', () => {
    const text = renderReport(BUSY, { top: 2, palette: PLAIN });
    expect(text).toContain('fsync');
    expect(text).toContain('read');
    expect(text).not.toContain('getpid');
    expect(text).toContain('... and 2 more syscalls (see --top)');
  });

  it('says "No syscalls traced." for an empty capture, with zero duration', () => {
    const text = renderReport(profileOf({ durationNs: 0, stopReason: 'signal', target: { kind: 'all', follow: false } }), {
      top: null,
      palette: PLAIN,
    });
    expect(text).toBe(`Syscall Profiling Report
════════════════════════════════════════════════════
Target:         whole system
Backend:        ebpf
Started:        2025-01-02T03:04:05.000Z
Duration:       0 ns
Total syscalls: 0
Stopped:        interrupted

Syscall Summary:
────────────────────────────────────────────────────
No syscalls traced.
`);
  });

  it('treats syscalls with zero calls as no data', () => {
    expect(renderReport(profileOf({ syscalls: [statsOf('read', 0, [])] }), { top: null, palette: PLAIN })).toContain('No syscalls traced.');
  });

  it('describes pid targets with their comm, and killed commands', () => {
    const pids = renderReport(
      profileOf({ target: { kind: 'pids', pids: [7, 8], follow: false }, processes: [{ tgid: 7, comm: 'db', syscalls: [] }] }),
      { top: null, palette: PLAIN },
    );
    expect(pids).toContain('Processes:      db (PID 7), PID 8\n');
    const killed = renderReport(profileOf({ exit: { pid: 9, kind: 'killed', signal: 9 } }), { top: null, palette: PLAIN });
    expect(killed).toContain('Exit status:    killed by SIGKILL (signal 9)\n');
  });

  it('uses colours only when asked', () => {
    const coloured = renderReport(BUSY, { top: null, palette: palette(true) });
    expect(coloured).toContain('\u001b[1mSyscall Profiling Report\u001b[22m');
    expect(coloured).toMatch(/\u001b\[31m +1\u001b\[39m/);
    expect(renderReport(BUSY, { top: null, palette: PLAIN })).not.toContain('\u001b[');
  });
});

describe('colorWanted', () => {
  it.each([
    [true, {}, true],
    [false, {}, false],
    [undefined, {}, false],
    [true, { NO_COLOR: '1' }, false],
    [true, { NO_COLOR: '' }, true],
  ])('tty %s env %o -> %s', (tty, env, wanted) => {
    expect(colorWanted(tty, env)).toBe(wanted);
  });
});
