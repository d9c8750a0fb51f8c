// The view on a terminal: one that reports no size is drawn at 80x24.
import { EventEmitter } from 'node:events';
import { stripVTControlCharacters } from 'node:util';
import stringWidth from 'string-width';
import { describe, expect, it, vi } from 'vitest';
import { LiveFeed } from '../../../src/presentation/tui/live-feed.js';
import { runTui } from '../../../src/presentation/tui/run-tui.js';
import { profileOf, statsOf } from '../../helpers/profile.js';

// a terminal wins over CI, as src/cli/terminal-env.ts has it before ink loads
// (ink reads CI once, at import: with it set, ink draws only the last frame)
vi.hoisted(() => {
  delete process.env['CI'];
  delete process.env['CONTINUOUS_INTEGRATION'];
});

// a terminal as node shows one: isTTY, a size (0x0 for a pseudo-terminal nobody sized), what was written
class FakeTerminal extends EventEmitter {
  readonly isTTY = true;
  columns = 0;
  rows = 0;
  written = '';
  // each write, in order
  readonly writes: string[] = [];
  write(s: string): boolean {
    this.written += s;
    this.writes.push(s);
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

const repeat = (ns: number, n: number): number[] => Array.from({ length: n }, () => ns);
const tick = (ms = 50): Promise<void> => new Promise((r) => setTimeout(r, ms));

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
    feed.pushSnapshot(
      profileOf({ durationNs: 1e9, final: false, stopReason: null, target: { kind: 'all', follow: false }, syscalls: [statsOf('fsync', 74, repeat(100_000, 10))] }),
    );
    await tick();
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

describe('runTui on a resize', () => {
  it('draws nothing wider than the terminal once it is narrower', async () => {
    const terminal = new FakeTerminal();
    terminal.columns = 120;
    terminal.rows = 30;
    const feed = new LiveFeed();
    const session = runTui(feed, { intervalMs: 1000, color: true, stdout: terminal as unknown as NodeJS.WriteStream, stdin: new SilentKeys() as unknown as NodeJS.ReadStream });
    const snap = (s: number) =>
      profileOf({
        durationNs: s * 1e9,
        final: false,
        stopReason: null,
        target: { kind: 'all', follow: false },
        syscalls: Array.from({ length: 12 }, (_, i) => statsOf(`syscall_number_${i}`, i, repeat(1000 + i, 1 + s * (i + 1)))),
      });
    for (let s = 1; s <= 3; s++) {
      feed.pushSnapshot(snap(s));
      await tick(120);
    }
    expect(terminal.written).toContain('syscall_number_11');
    const before = terminal.writes.length;
    terminal.columns = 60;
    terminal.emit('resize');
    await tick(120);
    feed.pushSnapshot(snap(4));
    await tick(120);
    session.quit();
    await session.done;
    const after = terminal.writes.slice(before).join('');
    // the names cut to the narrower name column
    expect(after).toMatch(/syscall_num…\s+12\s/);
    for (const line of stripVTControlCharacters(after).split('\n')) expect(stringWidth(line)).toBeLessThanOrEqual(60);
  });
});
