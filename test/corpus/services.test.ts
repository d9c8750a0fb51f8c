// The real-program corpus, servers: PostgreSQL under pgbench, Redis under
// redis-benchmark, nginx under wrk. Each server runs from its Debian package in
// its own cgroup on 127.0.0.1, is traced with `trace --cgroup` while the load
// generator (outside the cgroup) runs for a bounded time, and its report is
// checked against what a performance engineer would say of that program.
import { afterEach, describe, expect, it } from 'vitest';
import { canTrace, scratch } from '../helpers/kernel.js';
import { bottlenecks, expectInvariants, first, subjects } from './harness/invariants.js';
import { run } from './harness/process.js';
import { postgresBin, startNginx, startPostgres, startRedis, type Service } from './harness/services.js';
import { traceCgroupWhile } from './harness/trace.js';

if (!canTrace) throw new Error('the corpus needs root (eBPF): run it with sudo');

let service: Service | null = null;
afterEach(async () => {
  await service?.stop();
  service = null;
});

describe('PostgreSQL + pgbench', () => {
  // pgbench's TPC-B-like transactions commit one at a time with
  // synchronous_commit on: every commit waits for its WAL record to be flushed
  // (fdatasync of the WAL segment). On a VM disk that flush is the cost of a
  // transaction; the backends otherwise wait for their client (recv, epoll),
  // which is not a cost of the server.
  it('names the WAL flush (fdatasync) first, and never the backends waiting for their clients', async () => {
    const dir = scratch();
    service = await startPostgres(dir);
    const bin = postgresBin();
    const pg = ['-h', '127.0.0.1', '-p', String(service.port), '-U', 'postgres'];
    await run([`${bin}/pgbench`, '-i', '-s', '2', '-q', ...pg, 'postgres'], 120_000, { user: 'postgres' });
    const t = await traceCgroupWhile(dir, service.cgroup, async () => {
      await run([`${bin}/pgbench`, '-c', '4', '-j', '2', '-T', '5', ...pg, 'postgres'], 60_000, { user: 'postgres' });
    });
    expectInvariants(t.report);
    const f = first(t.report);
    expect(f?.rule).toBe('sync-dominant');
    expect(['fdatasync', 'fsync']).toContain(f?.syscall);
    expect(bottlenecks(t.report)).toEqual(['sync']);
    // on 2 vCPUs shared with pgbench's own threads, a backend is either in the
    // WAL flush or, once woken, waiting for a CPU: I/O- or CPU-bound (or mixed),
    // never idle, lock-bound or unknown
    expect(['io-bound', 'mixed', 'cpu-bound']).toContain(t.report.verdict.kind);
    // one finding at most about small writes, whatever the number of connections
    expect(t.report.findings.filter((x) => x.rule === 'small-writes').length).toBeLessThanOrEqual(1);
  });
});

describe('Redis + redis-benchmark', () => {
  // Without pipelining every request is one read and one write on its
  // connection, between epoll_waits: the event loop is idle between requests,
  // and what a request costs in the kernel is those two calls. The advice an
  // engineer gives is pipelining (redis-benchmark -P, MULTI, client-side
  // batching), not buffering writes, and an accept4 EAGAIN at the end of an
  // accept loop is normal.
  it('advises pipelining for request/response traffic and says nothing about epoll_wait or accept EAGAIN', async () => {
    const dir = scratch();
    service = await startRedis(dir);
    const t = await traceCgroupWhile(dir, service.cgroup, async () => {
      await run(['redis-benchmark', '-h', '127.0.0.1', '-p', String(service!.port), '-n', '100000', '-c', '20', '-t', 'set,get', '-q'], 60_000);
    });
    expectInvariants(t.report);
    const f = first(t.report);
    expect(f?.rule).toBe('request-response');
    expect(t.report.findings.map((x) => x.rule)).not.toContain('small-writes');
    expect(t.report.findings.filter((x) => x.rule === 'failing-syscall' && subjects(x).includes('accept4'))).toEqual([]);
    expect(t.report.verdict.kind).not.toBe('unknown');
  });
});

describe('nginx + wrk', () => {
  // A static 4 KiB page over keep-alive connections: each request is a recv
  // and a writev (or sendfile) on the socket; the worker waits in epoll_wait
  // between them. No waiting call is a cost, no accept EAGAIN is a failure,
  // and no finding tells nginx to buffer its writes.
  it('keeps epoll_wait and accept EAGAIN out of the findings', async () => {
    const dir = scratch();
    service = await startNginx(dir);
    const t = await traceCgroupWhile(dir, service.cgroup, async () => {
      await run(['wrk', '-t', '2', '-c', '20', '-d', '4s', `http://127.0.0.1:${service!.port}/index.html`], 60_000);
    });
    expectInvariants(t.report);
    expect(t.report.findings.map((x) => x.rule)).not.toContain('small-writes');
    expect(t.report.findings.filter((x) => x.rule === 'failing-syscall' && subjects(x).includes('accept4'))).toEqual([]);
    expect(t.report.verdict.kind).not.toBe('unknown');
  });
});
