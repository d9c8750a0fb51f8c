// The kernel's TCP figures (bpf/tcp.bpf.h) on real loopback connections, in
// aggregate mode (trace without --output: no per-call events): exact counts of
// what the workloads do, the target filter, and no programs left behind.
import { execFileSync, spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { canTrace, cli, programsLeftAfter, scratch, workload } from '../helpers/kernel.js';

if (!canTrace) throw new Error('integration tests need root (eBPF): run them with sudo');

afterEach(async () => {
  expect(await programsLeftAfter()).toEqual([]);
});

interface Row {
  readonly tgid: number;
  readonly comm: string;
  readonly direction: 'connect' | 'accept';
  readonly family: string;
  readonly port: number;
  readonly established: number;
  readonly handshakes: number;
  readonly failed: number;
  readonly closed: number;
  readonly resets: number;
  readonly open: number;
  readonly retransmits: number;
  readonly handshakeP50Ns: number | null;
  readonly handshakeMaxNs: number | null;
}

function traceJson(args: string[]): { tcp: Row[] | null; exit: { pid: number } | null } {
  return JSON.parse(execFileSync(process.execPath, [cli, 'trace', '--json', ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })) as {
    tcp: Row[] | null;
    exit: { pid: number } | null;
  };
}

describe('TCP connections from the kernel', () => {
  it('counts conn_churn exactly: 100 handshakes timed, 100 accepted, all closed, none reset', () => {
    const out = traceJson(['--', workload('conn_churn'), '100']);
    expect(out.tcp).not.toBeNull();
    const connect = out.tcp!.filter((r) => r.direction === 'connect');
    const accept = out.tcp!.filter((r) => r.direction === 'accept');
    expect(connect).toHaveLength(1);
    expect(accept).toHaveLength(1);
    const c = connect[0]!;
    const a = accept[0]!;
    // one process, both ends; the client's peer port is the server's listening port
    expect(c.tgid).toBe(out.exit!.pid);
    expect(a.tgid).toBe(c.tgid);
    expect(c.port).toBe(a.port);
    expect(c.family).toBe('ipv4');
    expect(c).toMatchObject({ established: 100, handshakes: 100, failed: 0, closed: 100, resets: 0, open: 0 });
    expect(a).toMatchObject({ established: 100, handshakes: 0, failed: 0, closed: 100, resets: 0, open: 0 });
    // a loopback handshake is a few µs: well under 1 ms
    expect(c.handshakeP50Ns).toBeGreaterThan(0);
    expect(c.handshakeP50Ns!).toBeLessThan(1_000_000);
  });

  it('counts refused connects as failed handshakes (a RST to the SYN: SYN_SENT -> CLOSE), none established', () => {
    const out = traceJson(['--', workload('conn_refused'), '20']);
    expect(out.tcp).toHaveLength(1);
    expect(out.tcp![0]).toMatchObject({ direction: 'connect', established: 0, handshakes: 0, failed: 20, closed: 0, resets: 0, handshakeP50Ns: null });
  });

  it("leaves out the connections of processes it does not trace", async () => {
    // an untraced conn_churn at the same time: none of its 300 connections may show up
    const other = spawn(workload('conn_churn'), ['300'], { stdio: 'ignore' });
    const exited = new Promise((resolve) => other.once('exit', resolve));
    try {
      const out = traceJson(['--', workload('conn_churn'), '50']);
      expect(out.tcp!.every((r) => r.tgid === out.exit!.pid)).toBe(true);
      expect(out.tcp!.map((r) => [r.direction, r.established]).sort()).toEqual([
        ['accept', 50],
        ['connect', 50],
      ]);
    } finally {
      await exited;
    }
  });

  it('counts aborted connections as resets on both ends (SO_LINGER 0: the closer aborts, the peer gets the RST)', () => {
    const out = traceJson(['--', workload('conn_reset'), '20']);
    expect(out.tcp!.map((r) => [r.direction, r.established, r.handshakes, r.closed, r.resets, r.failed]).sort()).toEqual([
      ['accept', 20, 0, 0, 20, 0],
      ['connect', 20, 20, 0, 20, 0],
    ]);
  });

  it('puts them in the report of an spb capture beside the syscall-based Connections section', () => {
    const dir = scratch();
    try {
      const capture = join(dir, 'churn.spb');
      execFileSync(process.execPath, [cli, 'trace', '--output', capture, '--', workload('conn_churn'), '40'], { stdio: 'ignore' });
      const report = JSON.parse(execFileSync(process.execPath, [cli, 'report', '--input', capture, '--json'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })) as {
        tcp: Row[] | null;
        connections: { connections: number } | null;
        meta: Record<string, unknown>;
      };
      expect(report.connections?.connections).toBe(80);
      expect(report.tcp!.map((r) => [r.direction, r.established, r.closed]).sort()).toEqual([
        ['accept', 40, 40],
        ['connect', 40, 40],
      ]);
      expect(report.meta['tcp']).toBeUndefined();
      const markdown = execFileSync(process.execPath, [cli, 'report', '--input', capture], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
      expect(markdown.indexOf('### TCP from the kernel')).toBeGreaterThan(markdown.indexOf('## Connections'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('TCP retransmits', () => {
  // a private network namespace whose loopback drops a fifth of the data
  // segments (nftables, Debian's nftables package): the only TCP there is the
  // workload's, so the namespace's own RetransSegs counter is the truth
  const NS = `sp-retrans-${process.pid}`;
  const ip = (...args: string[]): string => execFileSync('ip', args, { encoding: 'utf8' });
  const inNs = (...args: string[]): string => ip('netns', 'exec', NS, ...args);
  const retransSegs = (): number => {
    const lines = inNs('cat', '/proc/net/snmp').split('\n').filter((l) => l.startsWith('Tcp:'));
    const names = lines[0]!.split(/\s+/);
    return Number(lines[1]!.split(/\s+/)[names.indexOf('RetransSegs')]);
  };

  it('counts every segment the kernel retransmits on the traced connections, and none without loss', () => {
    ip('netns', 'add', NS);
    try {
      inNs('ip', 'link', 'set', 'lo', 'up');
      // without loss: no retransmits
      const clean = traceJson(['--', 'ip', 'netns', 'exec', NS, workload('blocking_net'), '20', '0']);
      expect(clean.tcp!.reduce((n, r) => n + r.retransmits, 0)).toBe(0);
      inNs('nft', 'add', 'table', 'inet', 'sp');
      inNs('nft', 'add chain inet sp in { type filter hook input priority 0; }');
      // segments carrying data only (longer than the 52 bytes of IP + TCP headers with timestamps):
      // each is retransmitted while its peer waits for it, inside the trace. A dropped FIN or pure
      // ACK can make the kernel retransmit after the process exited, outside it (1 short, once)
      inNs('nft', 'add rule inet sp in ip length > 52 tcp flags & (syn | fin | rst) == 0 numgen random mod 10 < 2 drop');
      const before = retransSegs();
      const lossy = traceJson(['--', 'ip', 'netns', 'exec', NS, workload('blocking_net'), '30', '0']);
      const ours = lossy.tcp!.reduce((n, r) => n + r.retransmits, 0);
      // 30 request/response exchanges, each segment dropped with p = 0.2
      expect(ours).toBeGreaterThan(0);
      expect(ours).toBe(retransSegs() - before);
      expect(lossy.tcp!.every((r) => r.comm === 'blocking_net' && r.established === 1)).toBe(true);
    } finally {
      ip('netns', 'del', NS);
    }
  }, 60_000);
});

describe('listen queue overflows', () => {
  // listen_overflow: 6 clients connect at once to a listener that does not accept for 200 ms
  const reportOf = (backlog: string): { findings: { rule: string; metrics: Record<string, number> }[] } => {
    const out = join(scratch(), 'lo.spb');
    execFileSync(process.execPath, [cli, 'trace', '--output', out, '--', workload('listen_overflow'), '6', backlog], { stdio: 'ignore' });
    return JSON.parse(execFileSync(process.execPath, [cli, 'report', '--json', '--input', out], { encoding: 'utf8' })) as { findings: { rule: string; metrics: Record<string, number> }[] };
  };

  it('finds the dropped handshakes of a backlog of 1 (2 queued, 4 dropped), and none with a backlog of 128', () => {
    const small = reportOf('1').findings.find((f) => f.rule === 'listen-overflow');
    expect(small).toBeDefined();
    // the namespace's counters: at least this workload's 4 (another process's overflow at the same moment would add)
    expect(small!.metrics['overflows']).toBeGreaterThanOrEqual(4);
    expect(small!.metrics['drops']).toBeGreaterThanOrEqual(4);
    expect(small!.metrics['accepts']).toBe(2);
    expect(reportOf('128').findings.map((f) => f.rule)).not.toContain('listen-overflow');
  });
});
