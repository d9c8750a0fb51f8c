import { describe, expect, it } from 'vitest';
import { findingContext } from '../../../../src/core/analysis/findings.js';
import { failingSyscalls } from '../../../../src/core/analysis/rules/failing-syscall.js';
import type { SyscallEvent } from '../../../../src/core/model/events.js';
import { aggregateOf, callsOf, eventOf } from '../../../helpers/offline.js';

async function run(events: SyscallEvent[]) {
  return failingSyscalls(findingContext(await aggregateOf(events), 1e9));
}

describe('failingSyscalls', () => {
  it('reports a syscall that mostly fails, with its errnos and advice for the first', async () => {
    expect(await run([...callsOf('newfstatat', Array(300).fill(600), { ret: -2 }), ...callsOf('newfstatat', Array(12).fill(600), { ret: -13 }), eventOf({ syscall: 'newfstatat' })])).toEqual([
      {
        rule: 'failing-syscall',
        syscall: 'newfstatat',
        subject: {
          errnos: [
            { errno: 'ENOENT', count: 300 },
            { errno: 'EACCES', count: 12 },
          ],
        },
        metrics: { errors: 312, calls: 313, errorShare: 312 / 313 },
        // the 312 failed calls at the average cost (312 * 600 + 1000) / 313 ns
        savingNs: (312 * (312 * 600 + 1000)) / 313,
        savingShare: (312 * (312 * 600 + 1000)) / 313 / 1e9,
        severity: 'info',
      },
    ]);
  });

  // expected: [syscall, errors, calls] of each finding
  it.each<[string, SyscallEvent[], [string, number, number][]]>([
    ['empty', [], []],
    ['no errors', callsOf('read', [1, 2, 3]), []],
    ['fewer than 10 errors', callsOf('openat', Array(9).fill(1), { ret: -2 }), []],
    ['under 10% failing', [...callsOf('read', Array(10).fill(1), { ret: -11 }), ...callsOf('read', Array(91).fill(1))], []],
    [
      'at most 3, most errors first',
      ['a', 'b', 'c', 'd'].flatMap((n, i) => callsOf(n, Array(10 + i).fill(1), { ret: -5 })),
      [
        ['d', 13, 13],
        ['c', 12, 12],
        ['b', 11, 11],
      ],
    ],
    // a non-blocking server: accept4 and read until EAGAIN, between epoll_waits
    ['EAGAIN ending an event loop\'s accepts and reads', [...callsOf('epoll_wait', Array(20).fill(5000)), ...callsOf('accept4', Array(20).fill(900), { ret: -11 }), ...callsOf('accept4', Array(20).fill(900), { ret: 7 }), ...callsOf('read', Array(30).fill(500), { ret: -11 })], []],
    ['other errors of an event loop still count', [...callsOf('epoll_wait', Array(20).fill(5000)), ...callsOf('accept4', Array(20).fill(900), { ret: -11 }), ...callsOf('accept4', Array(12).fill(900), { ret: -24 })], [['accept4', 12, 12]]],
    ['EAGAIN without readiness waits is a finding', callsOf('accept4', Array(20).fill(900), { ret: -11 }), [['accept4', 20, 20]]],
    // a non-blocking connect: EINPROGRESS, then the connection completes (refused ones still count)
    ['EINPROGRESS from non-blocking connects', callsOf('connect', Array(20).fill(3000), { ret: -115 }), []],
    ['refused connects still count', [...callsOf('connect', Array(20).fill(3000), { ret: -115 }), ...callsOf('connect', Array(12).fill(3000), { ret: -111 })], [['connect', 12, 12]]],
    ['a waiting call interrupted or timing out is how waits work', [...callsOf('pselect6', Array(30).fill(1e6), { ret: -514 }), ...callsOf('futex', Array(30).fill(1e6), { ret: -110 })], []],
  ])('%s', async (_name, events, expected) => {
    expect((await run(events)).map((f) => [f.syscall, f.metrics.errors, f.metrics.calls])).toEqual(expected);
  });
});
