// The real-program corpus, connections: nginx under wrk and Redis under
// redis-benchmark, each with and without keep-alive. A client that opens a
// connection per request makes the server accept and close one per request:
// the report must find that churn and recommend keep-alive (or a pool), and
// must not when the same load reuses its connections. Then wrk traced as the
// client: the time to first byte the connections model measures must agree
// with the latency wrk reports for the same requests.
import { execFileSync } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { cli, canTrace, scratch } from '../helpers/kernel.js';
import { expectInvariants } from './harness/invariants.js';
import { run } from './harness/process.js';
import { startNginx, startRedis, type Service } from './harness/services.js';
import { traceCgroupWhile, traceCommand, type ReportFinding } from './harness/trace.js';

if (!canTrace) throw new Error('the corpus needs root (eBPF): run it with sudo');

let service: Service | null = null;
afterEach(async () => {
  await service?.stop();
  service = null;
});

// The parts of a connection-churn finding these tests read.
interface ChurnGroup {
  readonly comm: string;
  readonly direction: string;
  readonly connections: number;
  readonly requestsPerConnection: number;
}
type Churn = ReportFinding & { readonly subject: { readonly groups: readonly ChurnGroup[] }; readonly metrics: { readonly costNs: number }; readonly text: { readonly recommendation: readonly string[] } };

function churnOf(findings: readonly ReportFinding[]): Churn | undefined {
  return findings.find((f) => f.rule === 'connection-churn') as Churn | undefined;
}

// "123.45us", "1.20ms", "2.00s" (wrk's units) in ns.
function wrkDuration(text: string): number {
  const m = /^([\d.]+)(us|ms|s)$/.exec(text);
  if (m === null) throw new Error(`not a wrk duration: ${text}`);
  return Number(m[1]) * { us: 1e3, ms: 1e6, s: 1e9 }[m[2] as 'us' | 'ms' | 's'];
}

describe('nginx + wrk', () => {
  const load = (port: number, close: boolean): string[] => ['wrk', '-t', '2', '-c', '10', '-d', '3s', ...(close ? ['-H', 'Connection: close'] : []), `http://127.0.0.1:${port}/index.html`];

  it.each([
    ['with "Connection: close": churn found, keep-alive recommended', true],
    ['with keep-alive: no churn', false],
  ] as const)('%s', async (_name, close) => {
    const dir = scratch();
    service = await startNginx(dir);
    const t = await traceCgroupWhile(dir, service.cgroup, async () => {
      await run(load(service!.port, close), 60_000);
    });
    expectInvariants(t.report);
    const churn = churnOf(t.report.findings);
    if (!close) {
      expect(churn).toBeUndefined();
      return;
    }
    expect(churn).toBeDefined();
    // nginx accepted each request's connection and closed it after one response
    const g = churn!.subject.groups.find((x) => x.comm === 'nginx' && x.direction === 'inbound')!;
    expect(g.connections).toBeGreaterThan(1000);
    expect(g.requestsPerConnection).toBeGreaterThan(0.8);
    expect(g.requestsPerConnection).toBeLessThanOrEqual(1);
    expect(churn!.savingNs).toBeGreaterThan(0);
    expect(churn!.savingNs).toBeLessThanOrEqual(churn!.metrics.costNs);
    expect(churn!.text.recommendation.join(' ')).toMatch(/keep-alive|keep connections alive/i);
  });

  // wrk measures each request from writing it to reading its response; on a
  // connection per request that is the connection's first response, which the
  // model measures from the end of the write to the end of the first read.
  // Tolerance: 35% of wrk's median plus 100 us (wrk adds its HTTP parsing and
  // timer granularity; both run under the same tracing overhead).
  it('wrk traced as the client: one request per connection, first-response median as wrk reports it', async () => {
    const dir = scratch();
    service = await startNginx(dir);
    const t = await traceCommand(dir, ['wrk', '--latency', '-t', '1', '-c', '4', '-d', '3s', '-H', 'Connection: close', `http://127.0.0.1:${service.port}/index.html`]);
    expectInvariants(t.report);
    const churn = churnOf(t.report.findings);
    expect(churn?.subject.groups.some((g) => g.comm === 'wrk' && g.direction === 'outbound')).toBe(true);
    const m = /^\s+50%\s+(\S+)$/m.exec(t.traceOutput);
    expect(m, t.traceOutput).not.toBeNull();
    const wrkP50 = wrkDuration(m![1]!);
    const json = JSON.parse(execFileSync(process.execPath, [cli, 'analyze', '--input', t.capture, '--connections', '--json'], { encoding: 'utf8' })) as {
      connections: { groups: { comm: string; direction: string; connections: number; requests: number; connect: { p50Ns: number } | null; firstResponse: { p50Ns: number } | null }[] };
    };
    const g = json.connections.groups.find((x) => x.comm === 'wrk' && x.direction === 'outbound')!;
    expect(g.connections).toBeGreaterThan(500);
    expect(g.connect).not.toBeNull();
    const ours = g.firstResponse!.p50Ns;
    console.log(`wrk p50 ${wrkP50} ns, first response p50 ${ours} ns, connect p50 ${g.connect!.p50Ns} ns over ${g.connections} connections`);
    expect(Math.abs(ours - wrkP50)).toBeLessThanOrEqual(0.35 * wrkP50 + 100_000);
  });
});

describe('Redis + redis-benchmark', () => {
  it.each([
    ['-k 0 (a connection per request): churn found', '0'],
    ['-k 1 (keep-alive): no churn', '1'],
  ] as const)('%s', async (_name, keepAlive) => {
    const dir = scratch();
    service = await startRedis(dir);
    const t = await traceCgroupWhile(dir, service.cgroup, async () => {
      await run(['redis-benchmark', '-h', '127.0.0.1', '-p', String(service!.port), '-n', '5000', '-c', '10', '-t', 'get', '-k', keepAlive, '-q'], 60_000);
    });
    expectInvariants(t.report);
    const churn = churnOf(t.report.findings);
    if (keepAlive === '1') {
      expect(churn).toBeUndefined();
      return;
    }
    const g = churn!.subject.groups.find((x) => x.comm === 'redis-server' && x.direction === 'inbound')!;
    // one GET per connection: 5000 requests, about as many connections
    expect(g.connections).toBeGreaterThan(4000);
    expect(g.requestsPerConnection).toBeLessThanOrEqual(1);
    expect(churn!.savingNs).toBeGreaterThan(0);
  });
});
