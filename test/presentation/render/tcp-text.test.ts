// The "TCP connections" block and its JSON, from hand-built kernel figures.
import { describe, expect, it } from 'vitest';
import { tcpRows } from '../../../src/core/analysis/tcp-rows.js';
import { palette } from '../../../src/presentation/render/color.js';
import { jsonReport } from '../../../src/presentation/render/json.js';
import { renderReport } from '../../../src/presentation/render/report.js';
import { renderTcpBlock, tcpSection } from '../../../src/presentation/render/tcp-text.js';
import { profileOf, tcpPeerOf } from '../../helpers/profile.js';

const plain = palette(false);

const peer = tcpPeerOf;

describe('tcpRows', () => {
  it('gives handshake percentiles for connects, none for accepts, open = established - ended, most connections first', () => {
    const rows = tcpRows({
      tcp: [
        peer({ handshakeTimes: [10_000, 10_000, 10_000, 2_000_000], closed: 2, resets: 1, lifeNs: 3000 }),
        peer({ tgid: 11, comm: 'server', direction: 'accept', port: 80, established: 9, closed: 9 }),
        peer({ tgid: 12, port: 9, failed: 0 }),
      ],
    });
    expect(rows.map((r) => [r.comm, r.direction, r.port])).toEqual([
      ['server', 'accept', 80],
      ['client', 'connect', 5432],
    ]);
    const c = rows[1]!;
    expect(c).toMatchObject({ established: 4, closed: 2, resets: 1, open: 1, handshakeMaxNs: 2_000_000, avgLifeNs: 1000 });
    // within the coarse layout's error
    expect(c.handshakeP50Ns! / 10_000).toBeGreaterThan(0.75);
    expect(c.handshakeP50Ns! / 10_000).toBeLessThan(1.25);
    expect(c.handshakeP99Ns).toBe(2_000_000);
    expect(rows[0]).toMatchObject({ handshakeP50Ns: null, handshakeP99Ns: null, open: 0 });
  });

  it('is empty when TCP was not measured or nothing connected', () => {
    expect(tcpRows({ tcp: null })).toEqual([]);
    expect(tcpRows({})).toEqual([]);
    expect(tcpRows({ tcp: [] })).toEqual([]);
  });
});

describe('renderTcpBlock', () => {
  it('renders nothing for no rows, and the report has no TCP block then', () => {
    expect(renderTcpBlock([], plain)).toEqual([]);
    expect(renderReport(profileOf({ tcp: [] }), { top: null, palette: plain })).not.toMatch(/TCP connections/);
  });

  it('shows one line per process and peer under the syscall table', () => {
    const profile = profileOf({ tcp: [peer({ handshakeTimes: [50_000], failed: 3, retransmits: 2 }), peer({ tgid: 11, comm: 'server', direction: 'accept', port: 80, established: 1 })] });
    const text = renderReport(profile, { top: null, palette: plain });
    const lines = text.split('\n');
    const at = lines.findIndex((l) => l.startsWith('TCP connections'));
    expect(at).toBeGreaterThan(0);
    expect(lines[at + 1]).toMatch(/^PROCESS\s+PEER\s+CONNS\s+FAILED\s+HANDSHAKE P50\s+P99\s+CLOSED\s+RESETS\s+OPEN\s+RETRANS$/);
    expect(lines.slice(at + 2, at + 4).map((l) => l.split(/\s{2,}/))).toEqual([
      ['client (10)', 'to ipv4:5432', '1', '3', expect.stringMatching(/µs$/), expect.stringMatching(/µs$/), '0', '0', '1', '2'],
      ['server (11)', 'on ipv4:80', '1', '0', '-', '-', '0', '0', '1', '0'],
    ]);
  });

  it('puts the rows in --json as "tcp", null when not measured', () => {
    expect(jsonReport(profileOf(), null)['tcp']).toBeNull();
    const rows = jsonReport(profileOf({ tcp: [peer({ handshakeTimes: [12_345] })] }), null)['tcp'] as Record<string, unknown>[];
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ comm: 'client', direction: 'connect', port: 5432, established: 1, handshakeMaxNs: 12_345 });
    expect(Number.isInteger(rows[0]!['handshakeP50Ns'])).toBe(true);
  });
});

describe('tcpSection (the report)', () => {
  it('says the kernel saw none for no rows', () => {
    expect(tcpSection([])).toEqual(['The traced processes made and accepted no TCP connections (the kernel saw none).']);
  });

  it('is a markdown table with one row per process and peer', () => {
    const lines = tcpSection(tcpRows({ tcp: [peer({ handshakeTimes: [50_000], closed: 1 })] }));
    expect(lines[0]).toBe('| Process | Peer | Connections | Failed | Handshake p50 | p99 | Closed | Resets | Open | Retransmits |');
    expect(lines[2]).toMatch(/^\| client \(10\) \| to ipv4:5432 \| 1 \| 0 \| [\d.]+ µs \| [\d.]+ µs \| 1 \| 0 \| 0 \| 0 \|$/);
  });
});
