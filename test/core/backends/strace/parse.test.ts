import { describe, expect, it } from 'vitest';
import { StraceParser } from '../../../../src/core/backends/strace/parse.js';
import { fixturePath, readLog } from './read-fixture.js';
import { readFileSync } from 'node:fs';

// Expected numbers per recorded log (see test/fixtures/strace/README.md), checked
// by hand against grep: calls = lines - signals - `+++` lines - `<unfinished ...>` lines.
const CASES = [
  // file, calls, failed (ret < 0), signals, process ends, `= ?` calls, untimed, in flight, first process's end
  { file: 'threads.log', calls: 65, failed: 1, signals: 0, ends: 3, noReturn: 3, untimed: 0, inFlight: 0, exit: { pid: 32665, kind: 'exited', code: 0 } },
  { file: 'signals.log', calls: 181, failed: 26, signals: 1, ends: 2, noReturn: 2, untimed: 0, inFlight: 0, exit: { pid: 32674, kind: 'exited', code: 0 } },
  { file: 'killed.log', calls: 49, failed: 1, signals: 0, ends: 1, noReturn: 1, untimed: 0, inFlight: 0, exit: { pid: 32680, kind: 'killed', signal: 9 } },
  { file: 'errors.log', calls: 149, failed: 26, signals: 0, ends: 1, noReturn: 1, untimed: 0, inFlight: 0, exit: { pid: 32685, kind: 'exited', code: 2 } },
  { file: 'strings.log', calls: 50, failed: 1, signals: 0, ends: 1, noReturn: 1, untimed: 0, inFlight: 0, exit: { pid: 32764, kind: 'exited', code: 0 } },
  { file: 'socket.log', calls: 545, failed: 52, signals: 0, ends: 1, noReturn: 1, untimed: 0, inFlight: 0, exit: { pid: 532, kind: 'exited', code: 0 } },
  { file: 'restart.log', calls: 377, failed: 40, signals: 1, ends: 1, noReturn: 1, untimed: 0, inFlight: 0, exit: { pid: 1227, kind: 'exited', code: 3 } },
  { file: 'plain.log', calls: 192, failed: 28, signals: 1, ends: 2, noReturn: 2, untimed: 190, inFlight: 0, exit: { pid: 404, kind: 'exited', code: 0 } },
] as const;

// Runs the parser over a fixture's lines directly (facts() are not part of the CaptureSource).
function parseFile(file: string, batchRows = 8192): StraceParser {
  const p = new StraceParser({ batchRows });
  readFileSync(fixturePath(file), 'utf8')
    .split('\n')
    .forEach((line, i) => p.push(line, i + 1));
  p.finish();
  return p;
}

describe('strace parser over recorded logs', () => {
  it.each(CASES)('$file: $calls calls, $failed failed', async (c) => {
    const { events, source } = await readLog(fixturePath(c.file));
    expect(events).toHaveLength(c.calls);
    expect(events.filter((e) => e.ret < 0)).toHaveLength(c.failed);
    const problems = source.problems();
    expect(problems.badLines).toBe(0);
    expect(problems.unmatchedResumes).toBe(0);
    expect(problems.noReturn).toBe(c.noReturn);
    expect(problems.untimed).toBe(c.untimed);
    const facts = parseFile(c.file).facts();
    expect(facts.calls).toBe(c.calls);
    expect(facts.signals).toBe(c.signals);
    expect(facts.processExits).toBe(c.ends);
    expect(facts.inFlight).toHaveLength(c.inFlight);
    expect(facts.exit).toEqual(c.exit);
    // every known name has its x86_64 number
    expect(events.filter((e) => e.nr === null).map((e) => e.syscall)).toEqual([]);
  });

  it('gives the same events whatever the batch size', async () => {
    const big = await readLog(fixturePath('threads.log'));
    const small = await readLog(fixturePath('threads.log'), 7);
    expect(small.events).toEqual(big.events);
  });

  it('joins unfinished/resumed pairs across threads: start from the first line, time from -T, pid = thread group', async () => {
    const { events } = await readLog(fixturePath('threads.log'));
    const reads = events.filter((e) => e.syscall === 'read' && e.path?.startsWith('pipe:'));
    // 32666 read(3<pipe:[161951]>, <unfinished ...> at .802379, resumed "x", 8) = 1 <0.050442>
    expect(reads.map((e) => [e.tid, e.pid, e.ret, e.path, e.args[0], e.args[2]])).toEqual([
      [32666, 32665, 1, 'pipe:[161951]', 3n, 8n],
      [32667, 32665, 1, 'pipe:[161952]', 5n, 8n],
    ]);
    // first line at 1795588454.798742; the unfinished read at .802379; resumed `= 1 <0.050459>`
    expect(reads[0]!.startNs).toBe(3_637_000);
    expect(reads[0]!.durationNs).toBe(50_459_000);
    // the write the main thread left unfinished while a reader woke
    const write = events.find((e) => e.syscall === 'write' && e.path === 'pipe:[161952]')!;
    expect([write.tid, write.ret, write.args[0]]).toEqual([32665, 1, 6n]);
  });

  it('reads errno names, restart codes and `= ?`', async () => {
    const errors = (await readLog(fixturePath('errors.log'))).events;
    const statx = errors.filter((e) => e.syscall === 'statx' && e.path === '/nonexistent-dir-sp');
    expect(statx.map((e) => e.ret)).toEqual([-2, -2]);
    const restart = (await readLog(fixturePath('restart.log'))).events;
    const read = restart.find((e) => e.syscall === 'read' && e.path?.startsWith('pipe:'))!;
    expect([read.ret, read.durationNs]).toEqual([-512, 49_889_000]);
    const exit = restart.at(-1)!;
    expect([exit.syscall, exit.ret, exit.durationNs, exit.args[0]]).toEqual(['exit_group', 0, 0, 3n]);
    const signals = (await readLog(fixturePath('signals.log'))).events;
    // <... rt_sigsuspend resumed>) = ? ERESTARTNOHAND (To be restarted if no handler) <0.210937>
    const suspend = signals.find((e) => e.syscall === 'rt_sigsuspend')!;
    expect([suspend.ret, suspend.durationNs]).toEqual([-514, 210_937_000]);
  });

  it('splits quoted strings with commas, parentheses, escapes and truncation; keeps -y paths', async () => {
    const { events } = await readLog(fixturePath('strings.log'));
    // write(1</dev/null<char 1:3>>, "a, b (c) \"q\" \\ tab\tend\na much lo"..., 91) = 91
    const w = events.find((e) => e.syscall === 'write')!;
    expect([w.path, w.args[0], w.args[1], w.args[2], w.ret]).toEqual(['/dev/null', 1n, 0n, 91n, 91]);
  });

  it('reads -yy socket annotations, returned fds included', async () => {
    const { events } = await readLog(fixturePath('socket.log'));
    const accept = events.find((e) => e.syscall === 'accept4')!;
    expect([accept.ret, accept.path, accept.args[0], accept.args[3]]).toEqual([5, 'TCP:[127.0.0.1:55051->127.0.0.1:34844]', 3n, 0x80000n]);
    const send = events.find((e) => e.syscall === 'sendto')!;
    expect([send.path, send.ret, send.args[2]]).toEqual(['TCP:[127.0.0.1:34844->127.0.0.1:55051]', 9, 9n]);
    const connect = events.find((e) => e.syscall === 'connect')!;
    expect([connect.path, connect.ret]).toEqual(['TCP:[163904]', 0]);
  });

  it('fills paths from the fd table when the log has no -y', async () => {
    const { events, source } = await readLog(fixturePath('plain.log'));
    // openat(AT_FDCWD, "/etc/hostname", O_RDONLY) = 3, then read(3, ...)
    const reads = events.filter((e) => e.syscall === 'read' && e.path === '/etc/hostname');
    expect(reads.length).toBeGreaterThan(0);
    expect(events.every((e) => e.durationNs === 0)).toBe(true);
    expect(source.final().meta.target).toContain('no durations: logged without -T');
    expect(source.final().meta.startRealNs).toBe('0');
  });
});
