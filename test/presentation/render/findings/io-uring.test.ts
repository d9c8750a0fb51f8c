// The words of the io_uring rules, from their findings on hand-built profiles.
import { describe, expect, it } from 'vitest';
import { aggregateProfile } from '../../../../src/core/analysis/aggregate-profile.js';
import { findingContext } from '../../../../src/core/analysis/findings.js';
import { FINDING_RULES } from '../../../../src/core/analysis/rules/index.js';
import { runRules } from '../../../../src/core/analysis/findings.js';
import type { IoUringProfile } from '../../../../src/core/model/io-uring.js';
import { findingText } from '../../../../src/presentation/render/findings/index.js';
import { uringOp, uringProfile } from '../../../helpers/io-uring.js';
import { profileOf, statsOf } from '../../../helpers/profile.js';

const n = (count: number, ns: number): number[] => Array.from({ length: count }, () => ns);

function texts(u: IoUringProfile, enters: number) {
  const syscalls = [statsOf('getpid', 39, n(100, 2000)), statsOf('io_uring_enter', 426, n(enters, 5000))];
  const ctx = findingContext(aggregateProfile(profileOf({ syscalls })), 1e9, null, null, null, u);
  return new Map(runRules(ctx, FINDING_RULES).map((f) => [f.rule, findingText(f)]));
}

describe('io_uring findings in words', () => {
  const u = uringProfile([uringOp('write', n(60, 30_000), { punted: 60, bytes: 60 * 4096 }), uringOp('fsync', n(30, 400_000), { punted: 30 }), uringOp('read', n(300, 3000))], {
    process: { overflows: 5, puntFds: [{ fd: 3, punted: 60, totalNs: 1_800_000 }] },
  });
  const t = texts(u, 390);

  it('says which requests were punted, on which fds, and what to do', () => {
    const p = t.get('io-uring-punts')!;
    expect(p.title).toBe('60 io_uring requests punted to io-wq worker threads');
    expect(p.evidence).toEqual(['60 of 60 write requests (100%) could not complete without blocking and went to a worker thread; they took 1.8 ms (0.2% of thread time)', 'fd 3 (pid 4242): 60 punted requests, 1.8 ms']);
    expect(p.recommendation.join(' ')).toContain('O_DIRECT');
  });

  it('names synchronous use, fsync per write and overflows with their numbers', () => {
    expect(t.get('io-uring-depth-one')!.evidence[0]).toBe('390 requests through 390 io_uring_enter calls (1.0 per call), 0 waits for completions');
    expect(t.get('io-uring-fsync-per-write')!.title).toBe('An io_uring fsync per write: 30 fsyncs for 60 writes');
    expect(t.get('io-uring-fsync-per-write')!.recommendation[0]).toContain('IOSQE_IO_LINK');
    expect(t.get('io-uring-cq-overflow')!.title).toBe('5 io_uring completions overflowed the CQ ring');
    expect(t.get('io-uring-cq-overflow')!.recommendation.join(' ')).toContain('IORING_SETUP_CQSIZE');
    expect(t.has('io-uring-small-submissions')).toBe(false);
  });

  it('says how few requests go per io_uring_enter', () => {
    const s = texts(uringProfile([uringOp('read', n(400, 3000))]), 200).get('io-uring-small-submissions')!;
    expect(s.title).toBe('Many small io_uring submissions: 2.0 requests per io_uring_enter');
    expect(s.recommendation.join(' ')).toContain('SQPOLL');
  });
});
