// The connections model on real captures: conn_churn (100 connections over
// loopback, one 16-byte request and 16-byte answer each, non-blocking on both
// ends) traced by the real loader into each capture format, then
// `analyze --connections --json`: the same exact counts from CSV, JSON lines and spb.
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { canTrace, cli, scratch, workload } from '../helpers/kernel.js';

if (!canTrace) throw new Error('integration tests need root (eBPF): run them with sudo');

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

interface Group {
  readonly comm: string;
  readonly direction: string;
  readonly endpoint: string | null;
  readonly connections: number;
  readonly processes: number;
  readonly outcomes: Record<string, number>;
  readonly connect: { readonly count: number } | null;
  readonly nonBlockingConnects: number;
  readonly firstResponse: { readonly count: number } | null;
  readonly firstByteIn: { readonly count: number } | null;
  readonly bytesIn: number;
  readonly bytesOut: number;
  readonly requests: number;
  readonly maxConcurrent: number;
}

describe.each(['csv', 'jsonl', 'spb', 'parquet'])('connections from a %s capture', (format) => {
  it('counts every connection of both ends exactly', () => {
    const dir = scratch();
    dirs.push(dir);
    const capture = join(dir, `churn.${format}`);
    execFileSync(process.execPath, [cli, 'trace', '--output', capture, '--', workload('conn_churn'), '100'], { stdio: 'ignore' });
    const out = JSON.parse(execFileSync(process.execPath, [cli, 'analyze', '--input', capture, '--connections', '--json'], { encoding: 'utf8' })) as {
      format: string;
      connections: { groups: Group[]; connections: number; unknownOrigin: number };
    };
    expect(out.format).toBe('syscall-prof/connections');
    expect(out.connections.connections).toBe(200);
    expect(out.connections.unknownOrigin).toBe(0);
    const client = out.connections.groups.find((g) => g.direction === 'outbound')!;
    const server = out.connections.groups.find((g) => g.direction === 'inbound')!;
    expect(out.connections.groups).toHaveLength(2);
    // the client: 100 non-blocking connects completed (poll, getsockopt(SO_ERROR)), a 16-byte request and answer each, closed by it
    expect(client).toMatchObject({ comm: 'conn_churn', connections: 100, processes: 1, nonBlockingConnects: 100, bytesIn: 1600, bytesOut: 1600, requests: 100, maxConcurrent: 1 });
    expect(client.endpoint).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(client.connect?.count).toBe(100);
    expect(client.firstResponse?.count).toBe(100);
    expect(client.outcomes).toMatchObject({ closed: 100, open: 0, reset: 0, refused: 0 });
    // the server: bound to port 0 (the kernel chose), accepted 100, read a request and answered on each
    expect(server).toMatchObject({ comm: 'conn_churn', endpoint: '127.0.0.1:0', connections: 100, bytesIn: 1600, bytesOut: 1600, requests: 100, connect: null });
    expect(server.firstByteIn?.count).toBe(100);
    expect(server.outcomes.closed + server.outcomes['peer-closed']).toBe(100);
  });
});
