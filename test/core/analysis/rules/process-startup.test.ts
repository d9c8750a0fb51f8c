import { describe, expect, it } from 'vitest';
import { processStartup, STARTUP_MIN_STARTS } from '../../../../src/core/analysis/rules/process-startup.js';
import type { SyscallEvent } from '../../../../src/core/model/events.js';
import { call, contextOf, contextWithoutFacts, openat, times } from '../events.js';

// process pid starting `comm`: execve (spanning 1 ms), the library cache, then its own first call
const start = (pid: number, comm: string): SyscallEvent[] => {
  const at = pid * 10e6;
  return [
    call('execve', [0, 0, 0], 0, { pid, tid: pid, comm, startNs: at, durationNs: 800_000 }),
    openat('/etc/ld.so.cache', 3, 0, { pid, tid: pid, comm, startNs: at + 900_000, durationNs: 100_000 }),
    call('write', [1, 0, 5], 5, { pid, tid: pid, comm, startNs: at + 2e6 }),
  ];
};

describe('processStartup', () => {
  it('says the start-up phase once; saving: the starts after each program\'s first', async () => {
    const events = [...times(STARTUP_MIN_STARTS, (i) => start(100 + i, 'cc1')), ...start(200, 'as')];
    const [f, ...rest] = processStartup(await contextOf(events, 10e9));
    expect(rest).toEqual([]);
    expect(f).toMatchObject({ rule: 'process-startup', syscall: 'execve', metrics: { starts: STARTUP_MIN_STARTS + 1, totalNs: (STARTUP_MIN_STARTS + 1) * 1e6, avgNs: 1e6, repeatedStarts: STARTUP_MIN_STARTS - 1 } });
    expect(f!.subject.programs[0]).toEqual({ comm: 'cc1', starts: STARTUP_MIN_STARTS, avgNs: 1e6, libraries: 0 });
    expect(f!.savingNs).toBe((STARTUP_MIN_STARTS - 1) * 1e6);
  });

  it.each<[string, SyscallEvent[], number | null, number]>([
    ['two short starts in a long run', [...start(100, 'app'), ...start(101, 'sh')], 10e9, 0],
    // one start is a fixed cost of running the program, whatever its share
    ['one start', start(100, 'app'), 2e6, 0],
    // 2 ms of a 40 ms run is 5%: worth saying, with nothing to save (two programs once each)
    ['two starts that are a real share', [...start(100, 'app'), ...start(101, 'sh')], 40e6, 1],
    ['no exec at all', [call('write', [1, 0, 5], 5)], 1e9, 0],
  ])('%s', async (_name, events, durationNs, n) => {
    const found = processStartup(await contextOf(events, durationNs));
    expect(found).toHaveLength(n);
    if (n === 1) expect(found[0]!.savingNs).toBe(0);
  });

  it('stays quiet without per-call facts', async () => {
    expect(processStartup(await contextWithoutFacts(times(20, (i) => start(100 + i, 'cc1')), 1e9))).toEqual([]);
  });
});
