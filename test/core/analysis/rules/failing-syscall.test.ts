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
  ])('%s', async (_name, events, expected) => {
    expect((await run(events)).map((f) => [f.syscall, f.metrics.errors, f.metrics.calls])).toEqual(expected);
  });
});
