// Faults a hostile or unlucky user finds (issue 18's red-team list), through
// the built CLI: each is one clear line and the right exit, never a stack trace.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { beforeAll, describe, expect, it } from 'vitest';
import { BIN, runBuiltCli } from '../helpers/cli.js';
import { csvCapture, sampleEvents } from '../helpers/offline.js';

let dir: string;
let csv: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'syscall-prof-faults-'));
  csv = join(dir, 'f.csv');
  writeFileSync(csv, csvCapture(sampleEvents(), { durationNs: 1e9 }));
});

// runs the CLI with stdout redirected to a file or device by the shell
async function withStdout(args: readonly string[], target: string): Promise<{ exitCode: number; stderr: string }> {
  const quoted = [process.execPath, BIN, ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  const r = await execa('sh', ['-c', `${quoted} > ${target}`], { reject: false, env: { NO_COLOR: '1' } });
  return { exitCode: r.exitCode ?? -1, stderr: String(r.stderr) };
}

describe('a full or closed stdout', () => {
  it.each([
    ['analyze', ['analyze', '--input']],
    ['report', ['report', '--input']],
    ['histogram', ['histogram', '--syscall', 'read', '--input']],
  ])('%s > /dev/full: one line, exit 74', async (_name, args) => {
    const r = await withStdout([...args, csv], '/dev/full');
    expect(r.exitCode).toBe(74);
    expect(r.stderr).toBe('syscall-prof: cannot write the output: no space left on the device');
  });

  it('diff > /dev/full: one line, exit 74', async () => {
    const r = await withStdout(['diff', csv, csv], '/dev/full');
    expect(r.exitCode).toBe(74);
    expect(r.stderr.split('\n')).toHaveLength(1);
  });

  it('| head: a reader that stops early is no error', async () => {
    const quoted = `'${process.execPath}' '${BIN}' analyze --json --input '${csv}' | head -c 10 > /dev/null; echo "\${PIPESTATUS[0]}"`;
    const out = execFileSync('bash', ['-c', quoted], { encoding: 'utf8' });
    expect(out.trim()).toBe('0');
  });
});

describe('inputs that are not regular files', () => {
  it('a FIFO: one line at once, no hang waiting for a writer', async () => {
    const fifo = join(dir, 'fifo');
    execFileSync('mkfifo', [fifo]);
    const r = await runBuiltCli(['analyze', '--input', fifo]);
    expect(r.exitCode).toBe(65);
    expect(r.stderr).toBe(`syscall-prof: ${fifo}: is a pipe (FIFO or <(...)): the input must be a regular file (save it first: cmd > capture.csv)\n`);
  });

  it('process substitution <(cat f.csv): one line, not ESPIPE', async () => {
    const out = execFileSync('bash', ['-c', `'${process.execPath}' '${BIN}' analyze --input <(cat '${csv}') 2>&1; echo "rc=$?"`], { encoding: 'utf8' });
    expect(out).toMatch(/^syscall-prof: \/dev\/fd\/\d+: is a pipe \(FIFO or <\(\.\.\.\)\): .*\nrc=65\n$/);
  });

  it('a directory', async () => {
    const r = await runBuiltCli(['report', '--input', dir]);
    expect(r.exitCode).toBe(65);
    expect(r.stderr).toContain(`${dir}: is a directory`);
  });
});

describe('what a reader cannot trust is said, not used', () => {
  it('a CSV whose last trailer line is cut: that figure unknown and said, never 1,000x off', async () => {
    const text = csvCapture(sampleEvents(), { durationNs: 1_234_567_890 });
    // the trailer ends "# duration_ns: 1234567890\n# lost_events: 0\n": cut after "# duration_ns: 123"
    const cutAt = text.indexOf('# duration_ns: ') + '# duration_ns: 123'.length;
    const path = join(dir, 'cut.csv');
    writeFileSync(path, text.slice(0, cutAt));
    const r = await runBuiltCli(['analyze', '--json', '--input', path]);
    expect(r.exitCode).toBe(0);
    expect(r.stderr).toMatch(new RegExp(`^syscall-prof: ${path}: line \\d+: the trailer is cut \\("# duration_ns: 123" has no end of line\\): duration_ns unknown\\n$`));
    const j = JSON.parse(r.stdout) as { capture: { durationNs: number | null } };
    // not 123 ns: unknown in the trailer, so the span of the calls stands in
    expect(j.capture.durationNs).toBeNull();
  });

  it('a strace log with a few garbage lines: read, and the lines named', async () => {
    const lines = Array.from({ length: 150 }, (_, i) => `100 ${(1700000000 + i / 1000).toFixed(6)} read(3</etc/hosts>, "x", 1) = 1 <0.000010>`);
    lines.splice(10, 0, 'a stray message from the program');
    const path = join(dir, 'app.log');
    writeFileSync(path, `${lines.join('\n')}\n`);
    const r = await runBuiltCli(['analyze', '--input', path]);
    expect(r.exitCode).toBe(0);
    expect(r.stderr).toBe(`syscall-prof: ${path}: skipped 1 of 151 lines that are not strace output (line 11: not a strace line: "a stray message from the program")\n`);
  });
});
