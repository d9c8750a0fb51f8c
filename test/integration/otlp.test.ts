// The agent pushing OTLP/HTTP to an in-test receiver: the pushed metrics decode
// and match what /metrics says; an endpoint that is down does not stop profiling.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, rmdirSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { canTrace, cli, scratch, workload } from '../helpers/kernel.js';
import { LoaderWatch, stillLoaded } from '../helpers/loader-programs.js';
import { freePort } from '../helpers/net.js';

if (!canTrace) throw new Error('integration tests need root (eBPF): run them with sudo');

interface KeyValue {
  key: string;
  value: { stringValue?: string };
}
interface JsonPoint {
  attributes: KeyValue[];
  count?: number | string;
  sum?: number;
  bucketCounts?: (number | string)[];
  explicitBounds?: number[];
  asDouble?: number;
  asInt?: number | string;
}
interface JsonMetric {
  name: string;
  unit?: string;
  histogram?: { dataPoints: JsonPoint[]; aggregationTemporality: number };
  sum?: { dataPoints: JsonPoint[]; isMonotonic: boolean; aggregationTemporality: number };
  gauge?: { dataPoints: JsonPoint[] };
}
interface JsonExport {
  resourceMetrics: { resource: { attributes: KeyValue[] }; scopeMetrics: { metrics: JsonMetric[] }[] }[];
}

const cg = `/sys/fs/cgroup/unified/syscall-prof-otlp-${process.pid}`;
mkdirSync(cg, { recursive: true });
const children: ChildProcess[] = [];
const servers: Server[] = [];

afterEach(async () => {
  for (const c of children.splice(0)) if (c.exitCode === null) c.kill('SIGKILL');
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});
afterAll(() => {
  try {
    rmdirSync(cg);
  } catch {
    // still busy
  }
});

// An OTLP/HTTP receiver that keeps every JSON export it gets on /v1/metrics.
async function receiver(port: number): Promise<JsonExport[]> {
  const got: JsonExport[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      if (req.method !== 'POST' || req.url !== '/v1/metrics') {
        res.writeHead(404).end();
        return;
      }
      got.push(JSON.parse(body) as JsonExport);
      res.writeHead(200, { 'Content-Type': 'application/json' }).end('{}');
    });
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(port, '127.0.0.1', () => r()));
  return got;
}

// the agent, with a watch on the BPF programs of its loader (other people's loaders may run on the machine too)
function startAgent(args: string[]): { child: ChildProcess; stderr: () => string; exit: Promise<number | null>; programs: LoaderWatch } {
  const child = spawn(process.execPath, [cli, 'agent', '--cgroup', cg, '--interval', '200', ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
  children.push(child);
  let err = '';
  child.stderr!.on('data', (c: Buffer) => (err += c.toString()));
  const programs = new LoaderWatch(() => child.pid ?? null);
  const exit = new Promise<number | null>((r) =>
    child.once('exit', (code) => {
      programs.stop();
      r(code);
    }),
  );
  return { child, stderr: () => err, exit, programs };
}

// after the agent exited: its loader had programs, and none of them is left
async function expectDetached(agent: { programs: LoaderWatch }): Promise<void> {
  expect(agent.programs.ids.size).toBeGreaterThan(0);
  expect(await stillLoaded(agent.programs.ids)).toEqual([]);
}

async function until(what: string, cond: () => boolean | Promise<boolean>, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function fsyncPoint(e: JsonExport): JsonPoint | undefined {
  const m = e.resourceMetrics[0]?.scopeMetrics[0]?.metrics.find((x) => x.name === 'syscall_prof_syscall_duration_seconds');
  return m?.histogram?.dataPoints.find((p) => p.attributes.some((a) => a.key === 'syscall' && a.value.stringValue === 'fsync'));
}

async function runFsyncs(n: number): Promise<void> {
  const dir = scratch();
  await execa('/bin/sh', ['-c', `echo $$ > ${cg}/cgroup.procs && exec ${workload('fsync_write')} ${n} ${join(dir, 'f')}`]);
}

describe('OTLP push', () => {
  it('pushes cumulative histograms that match /metrics exactly', async () => {
    const otlpPort = await freePort();
    const got = await receiver(otlpPort);
    const promPort = await freePort();
    const agent = startAgent(['--otlp', `http://127.0.0.1:${otlpPort}`, '--otlp-interval', '300', '--prometheus', `127.0.0.1:${promPort}`]);
    await until('the agent to trace', () => agent.stderr().includes('msg=tracing'));
    await runFsyncs(300);
    await until('a push with every fsync', () => got.some((e) => Number(fsyncPoint(e)?.count ?? 0) === 300));
    const last = got.filter((e) => fsyncPoint(e) !== undefined).at(-1)!;
    const resource = Object.fromEntries(last.resourceMetrics[0]!.resource.attributes.map((a) => [a.key, a.value.stringValue]));
    expect(resource['service.name']).toBe('syscall-prof');
    const metrics = last.resourceMetrics[0]!.scopeMetrics[0]!.metrics;
    const hist = metrics.find((m) => m.name === 'syscall_prof_syscall_duration_seconds')!;
    expect(hist.unit).toBe('s');
    // AGGREGATION_TEMPORALITY_CUMULATIVE = 2 in the OTLP protocol
    expect(hist.histogram!.aggregationTemporality).toBe(2);
    const point = fsyncPoint(last)!;
    const counts = point.bucketCounts!.map(Number);
    expect(counts.reduce((a, b) => a + b, 0)).toBe(300);
    expect(point.explicitBounds).toHaveLength(counts.length - 1);
    const calls = metrics.find((m) => m.name === 'syscall_prof_syscalls_total')!;
    expect(calls.sum!.isMonotonic).toBe(true);

    // the same numbers as the Prometheus exposition: per-bucket counts and the sum
    const text = await (await fetch(`http://127.0.0.1:${promPort}/metrics`)).text();
    const cum = text
      .split('\n')
      .filter((l) => l.startsWith('syscall_prof_syscall_duration_seconds_bucket{syscall="fsync"'))
      .map((l) => Number(l.split(' ').at(-1)));
    expect(cum.map((c, i) => c - (i === 0 ? 0 : cum[i - 1]!))).toEqual(counts);
    const sum = Number(text.split('\n').find((l) => l.startsWith('syscall_prof_syscall_duration_seconds_sum{syscall="fsync"'))!.split(' ')[1]);
    expect(point.sum).toBeCloseTo(sum, 12);

    agent.child.kill('SIGTERM');
    expect(await agent.exit).toBe(0);
    await expectDetached(agent);
  });

  it('keeps profiling while the endpoint is down, counts failures, logs each state change once', async () => {
    const otlpPort = await freePort();
    const promPort = await freePort();
    const agent = startAgent(['--otlp', `http://127.0.0.1:${otlpPort}`, '--otlp-interval', '200', '--prometheus', `127.0.0.1:${promPort}`]);
    await until('the agent to trace', () => agent.stderr().includes('msg=tracing'));
    await runFsyncs(100);
    const metrics = async (): Promise<string> => (await fetch(`http://127.0.0.1:${promPort}/metrics`)).text();
    const failures = async (): Promise<number> => Number(/syscall_prof_export_failures_total\{exporter="otlp"\} (\d+)/.exec(await metrics())?.[1] ?? 0);
    await until('two failed pushes', async () => (await failures()) >= 2);
    // profiling went on: every fsync is counted (by the next snapshot: pushes may have failed before the run ended)
    await until('every fsync counted', async () => /syscall_prof_syscalls_total\{syscall="fsync",category="sync"\} 100\n/.test(await metrics()));
    expect(agent.child.exitCode).toBeNull();
    // the endpoint comes up: the next push (after backoff) gets through
    const got = await receiver(otlpPort);
    await until('a push after recovery', () => got.length > 0, 30_000);
    await until('the recovery record', () => agent.stderr().includes('msg="otlp export recovered"'));
    expect(agent.stderr().match(/otlp export failing/g)).toHaveLength(1);
    agent.child.kill('SIGTERM');
    expect(await agent.exit).toBe(0);
    await expectDetached(agent);
  }, 60_000);
});
