// The agent's TCP counters on a real server: nginx in its own cgroup under
// wrk, the agent tracing that cgroup (aggregate mode: no per-call events) and
// serving /metrics. nginx accepts every connection wrk opens (counted at its
// accept4) and each one ends by a FIN or a reset: the accepted connections
// that ended, syscall_prof_connections_total{direction="accept"} summed over
// outcomes, grow by about wrk's request count with "Connection: close" and by
// about wrk's connection count (-c 10) with keep-alive.
import { spawn, type ChildProcess } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { cli, canTrace, scratch } from '../helpers/kernel.js';
import { freePort, run, waitUntil } from './harness/process.js';
import { startNginx, type Service } from './harness/services.js';

if (!canTrace) throw new Error('the corpus needs root (eBPF): run it with sudo');

const CONNECTIONS = 10;

let service: Service | null = null;
let agent: ChildProcess | null = null;
afterEach(async () => {
  if (agent !== null && agent.exitCode === null) {
    const gone = new Promise((r) => agent!.once('exit', r));
    agent.kill('SIGTERM');
    await gone;
  }
  agent = null;
  await service?.stop();
  service = null;
});

async function scrape(port: number): Promise<string | null> {
  try {
    const r = await fetch(`http://127.0.0.1:${port}/metrics`);
    return r.ok ? await r.text() : null;
  } catch {
    return null;
  }
}

// the sum of a counter's samples whose labels include every given one (null: the family is not there)
function sumOf(text: string, name: string, labels: Record<string, string>): number | null {
  if (!text.includes(`# TYPE ${name} `)) return null;
  let sum = 0;
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`)) continue;
    if (!Object.entries(labels).every(([k, v]) => line.includes(`${k}="${v}"`))) continue;
    sum += Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return sum;
}

// the accepted connections that ended, and those established, from one scrape
async function accepted(port: number): Promise<{ ended: number; established: number } | null> {
  const text = await scrape(port);
  if (text === null) return null;
  const ended = sumOf(text, 'syscall_prof_connections_total', { direction: 'accept' });
  const established = sumOf(text, 'syscall_prof_connections_established_total', { direction: 'accept' });
  return ended === null || established === null ? null : { ended, established };
}

// wrk's "N requests in 3.00s"
function wrkRequests(out: string): number {
  const m = /(\d+) requests in/.exec(out);
  if (m === null) throw new Error(`no request count in wrk's output:\n${out}`);
  return Number(m[1]);
}

describe('agent TCP counters: nginx + wrk', () => {
  it.each([
    ['"Connection: close": about one accepted connection per request', true],
    ['keep-alive: about one accepted connection per wrk connection', false],
  ] as const)('%s', async (_name, close) => {
    const dir = scratch();
    service = await startNginx(dir);
    const metricsPort = await freePort();
    agent = spawn(process.execPath, [cli, 'agent', '--cgroup', service.cgroup.path, '--prometheus', `127.0.0.1:${metricsPort}`, '-i', '250ms'], { stdio: 'ignore' });
    // the first snapshot with TCP figures: the families are there
    let before: { ended: number; established: number } | null = null;
    await waitUntil(async () => (before = await accepted(metricsPort)) !== null, 30_000, 'the agent serving TCP counters');
    const out = await run(['wrk', '-t', '2', '-c', String(CONNECTIONS), '-d', '3s', ...(close ? ['-H', 'Connection: close'] : []), `http://127.0.0.1:${service.port}/index.html`], 60_000);
    const requests = wrkRequests(out);
    // wrk has closed its connections when it exits; the counters follow within a few snapshots
    let after = before!;
    const expected = close ? requests : CONNECTIONS;
    await waitUntil(
      async () => {
        after = (await accepted(metricsPort)) ?? after;
        return after.ended - before!.ended >= expected;
      },
      5_000,
      'the counters to catch up',
    ).catch(() => undefined);
    const ended = after.ended - before!.ended;
    const established = after.established - before!.established;
    if (close) {
      // tolerance: wrk counts the requests it completed; the (at most 10)
      // connections open when its 3 s end were accepted but not counted, and
      // a connection whose request failed is reconnected: + 10 and 1% either way
      expect(requests).toBeGreaterThan(1000);
      expect(ended).toBeGreaterThanOrEqual(Math.floor(requests * 0.99));
      expect(ended).toBeLessThanOrEqual(Math.ceil(requests * 1.01) + CONNECTIONS);
      expect(established).toBe(ended);
    } else {
      // wrk opens its 10 connections once, more only to replace a failed one (+ 2 allowed)
      expect(ended).toBeGreaterThanOrEqual(CONNECTIONS);
      expect(ended).toBeLessThanOrEqual(CONNECTIONS + 2);
      expect(established).toBe(ended);
    }
  });
});
