import { describe, expect, it } from 'vitest';
import { failedOpenStorm, FAILED_OPEN_MIN } from '../../../../src/core/analysis/rules/failed-open-storm.js';
import type { SyscallEvent } from '../../../../src/core/model/events.js';
import { contextOf, contextWithoutFacts, openat, times } from '../events.js';

const DIRS = ['/opt/app/lib', '/usr/local/lib', '/lib/tls', '/lib/x86_64', '/usr/lib/x86_64'];
// each library looked for in the first `misses` directories, then found in the last one
function search(libs: number, misses: number): SyscallEvent[] {
  return times(libs, (l) => [
    ...DIRS.slice(0, misses).map((d) => openat(`${d}/libdep${l}.so`, -2, 0, { durationNs: 3_000 })),
    openat(`/usr/lib/libdep${l}.so`, 3, 0, { durationNs: 5_000 }),
  ]);
}

describe('failedOpenStorm', () => {
  it('fires for ENOENT opens along search paths; saving: their whole time', async () => {
    const [f, ...rest] = failedOpenStorm(await contextOf(search(5, 5), 1e9));
    expect(rest).toEqual([]);
    expect(f).toMatchObject({ rule: 'failed-open-storm', syscall: 'openat' });
    expect(f!.savingNs).toBe(25 * 3_000);
    expect(f!.metrics).toEqual({ failedOpens: 25, opens: 30, failedPaths: 25, failedNs: 75_000, wallShare: 75_000 / 1e9 });
    expect(f!.subject.searched[0]).toEqual({ name: 'libdep0.so', dirs: 6, failures: 5, found: true });
    expect(f!.subject.searched).toHaveLength(3);
  });

  it.each<[string, SyscallEvent[], number]>([
    ['19 failures', [...search(3, 5), ...search(1, 4).slice(0, 4)], 0],
    ['20 failures', search(4, 5), 1],
    ['the same missing file retried in one place', times(FAILED_OPEN_MIN * 2, () => openat('/run/app.pid', -2)), 0],
    ['other errors (EACCES)', times(50, (i) => openat(`/d${i % 5}/secret`, -13)), 0],
    ['no failures', times(50, (i) => openat(`/d/f${i}`, 3)), 0],
  ])('%s', async (_name, events, n) => {
    expect(failedOpenStorm(await contextOf(events, 1e9))).toHaveLength(n);
  });

  it('stays quiet without per-call facts', async () => {
    expect(failedOpenStorm(await contextWithoutFacts(search(10, 5), 1e9))).toEqual([]);
  });
});
