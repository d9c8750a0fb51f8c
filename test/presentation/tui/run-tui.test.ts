// The view on a terminal: one that reports no size is drawn at 80x24.
import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { LiveFeed } from '../../../src/presentation/tui/live-feed.js';
import { runTui } from '../../../src/presentation/tui/run-tui.js';
import { profileOf, statsOf } from '../../helpers/profile.js';

// a terminal as node shows one: isTTY, a size (0x0 for a pseudo-terminal nobody sized), what was written
class FakeTerminal extends EventEmitter {
  readonly isTTY = true;
  columns = 0;
  rows = 0;
  written = '';
  write(s: string): boolean {
    this.written += s;
    return true;
  }
}

// a keyboard that types nothing
class SilentKeys extends EventEmitter {
  readonly isTTY = true;
  setEncoding(): void {}
  setRawMode(): void {}
  resume(): void {}
  pause(): void {}
  ref(): void {}
  unref(): void {}
  read(): null {
    return null;
  }
}

describe('runTui', () => {
  it('draws on a terminal that reports no size as on 80x24, also after a resize to no size', async () => {
    const terminal = new FakeTerminal();
    const feed = new LiveFeed();
    const session = runTui(feed, {
      intervalMs: 1000,
      color: false,
      stdout: terminal as unknown as NodeJS.WriteStream,
      stdin: new SilentKeys() as unknown as NodeJS.ReadStream,
    });
    const repeat = (ns: number, n: number): number[] => Array.from({ length: n }, () => ns);
    feed.pushSnapshot(
      profileOf({ durationNs: 1e9, final: false, stopReason: null, target: { kind: 'all', follow: false }, syscalls: [statsOf('fsync', 74, repeat(100_000, 10))] }),
    );
    await new Promise((r) => setTimeout(r, 50));
    expect([terminal.columns, terminal.rows]).toEqual([80, 24]);
    terminal.columns = 0;
    terminal.rows = 0;
    terminal.emit('resize');
    expect([terminal.columns, terminal.rows]).toEqual([80, 24]);
    session.quit();
    await session.done;
    // the table, its lines whole (ink drew them into 80 columns, not 0)
    expect(terminal.written).toContain('SYSCALL');
    expect(terminal.written).toMatch(/fsync\s+10\s+0\s+100 µs/);
  });
});
