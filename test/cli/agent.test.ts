// `agent` bad input through the built CLI: one line, a non-zero exit, nothing attached.
import { createServer, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBuiltCli } from '../helpers/cli.js';
import { canTrace } from '../helpers/kernel.js';

let busy: Server;
let busyPort = 0;

beforeAll(async () => {
  busy = createServer();
  await new Promise<void>((r) => busy.listen(0, '127.0.0.1', () => r()));
  busyPort = (busy.address() as { port: number }).port;
});
afterAll(() => new Promise<void>((r) => busy.close(() => r())));

describe('agent bad input', () => {
  it.each([
    [['agent'], /^syscall-prof: agent needs somewhere to send metrics: --prometheus HOST:PORT and\/or --otlp URL\n$/],
    [['agent', '--prometheus', 'nowhere'], /^syscall-prof: option '--prometheus <addr>' argument 'nowhere' is invalid\. expected HOST:PORT/],
    [['agent', '--prometheus', '127.0.0.1:70000'], /port "70000" is not a number from 0 to 65535/],
    [['agent', '--prometheus', ':9464', '--labels', 'syscall,pid'], /unknown label "pid"/],
    [['agent', '--otlp', 'localhost:4318'], /--otlp <url>' argument 'localhost:4318' is invalid/],
    [['agent', '--prometheus', ':9464', '--pid', '1', '--cgroup', '/sys/fs/cgroup'], /give only one of --pid, --cgroup and --all/],
    [['agent', '--prometheus', ':9464', '--max-series', '0'], /--max-series <n>' argument '0' is invalid/],
    [['agent', '--prometheus', ':9464', '--anomaly-kinds', 'p99,slow'], /--anomaly-kinds <list>' argument 'p99,slow' is invalid\. expected kinds from p99,errors,errno,rate/],
    [['agent', '--prometheus', ':9464', '--anomaly-factor', '1'], /--anomaly-factor <x>' argument '1' is invalid\. expected a factor above 1/],
    [['agent', '--prometheus', ':9464', '--on-anomaly-capture', 'a.spb', '--sample', '4'], /--on-anomaly-capture records calls in event mode, which times every call: drop --sample/],
    [['agent', '--prometheus', ':9464', '--anomaly-capture-min-duration', '1ms'], /the --anomaly-capture-\* options need --on-anomaly-capture FILE\.spb/],
    [['agent', '--prometheus', ':9464', '--anomaly-log', '/nonexistent-dir/x.log'], /cannot open --anomaly-log \/nonexistent-dir\/x\.log/],
  ])('%o exits 2 with one line', async (args, message) => {
    const r = await runBuiltCli(args);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });

  it.skipIf(!canTrace)('refuses a port in use before tracing anything (exit 2, one line)', async () => {
    const r = await runBuiltCli(['agent', '--prometheus', `127.0.0.1:${busyPort}`]);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toBe(`syscall-prof: --prometheus 127.0.0.1:${busyPort}: address already in use (is another agent or exporter running?)\n`);
  });

  it.skipIf(!canTrace)('refuses an address that is not on this machine', async () => {
    const r = await runBuiltCli(['agent', '--prometheus', '192.0.2.7:9464']);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toBe('syscall-prof: --prometheus 192.0.2.7:9464: no such address on this machine\n');
  });

  it('shows EXAMPLES in its help', async () => {
    const r = await runBuiltCli(['agent', '--help']);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain('EXAMPLES');
    expect(r.stdout).toContain('--max-series <n>');
    expect(r.stdout).toContain('--on-anomaly-capture <file.spb>');
    expect(r.stdout).toContain('Anomalies');
  });
});
