// Screen lines cut by the columns their characters take, and painted as ink's Text paints.
import chalk from 'chalk';
import { Box, Text } from 'ink';
import { render } from 'ink-testing-library';
import { createElement } from 'react';
import stringWidth from 'string-width';
import { afterEach, describe, expect, it } from 'vitest';
import { Line, useLine } from '../../../src/presentation/tui/components/Line.js';
import { LiveScreen } from '../../../src/presentation/tui/components/LiveScreen.js';
import { LiveFeed } from '../../../src/presentation/tui/live-feed.js';
import { cutParts, displayWidth, type LinePart } from '../../../src/presentation/tui/model/screen-line.js';
import { INITIAL_STATE } from '../../../src/presentation/tui/state.js';
import { profileOf, statsOf } from '../../helpers/profile.js';

const plain = (text: string): LinePart => ({ text, tone: 'plain' });

describe('displayWidth', () => {
  it.each([
    ['', 0],
    ['read 1,234', 10],
    ['▁▂▃▄▅▆▇█ …▼▲ 3 µs', 17],
    ['数据库', 6],
    ['é', 1],
  ])('%j takes %d columns', (text, width) => {
    expect(displayWidth(text)).toBe(width);
    expect(displayWidth(text)).toBe(stringWidth(text));
  });
});

describe('cutParts', () => {
  it.each([
    // fits: unchanged, empty parts dropped
    [[plain('abc'), plain(''), plain('de')], 5, ['abc', 'de'], 5],
    // cut in the second part, which ends in "…"
    [[plain('abc'), plain('defgh')], 5, ['abc', 'd…'], 5],
    // cut right after the first part: the "…" takes the last column
    [[plain('abcd'), plain('ef')], 4, ['abc…'], 4],
    // wide characters: cut where the next one no longer fits
    [[plain('数据库x')], 6, ['数据…'], 5],
    [[plain('ab')], 1, ['…'], 1],
    [[plain('ab')], 0, [], 0],
    // control characters (a file's name can hold any): shown, never sent to the terminal
    [[plain('a\u001b[2Jb\u0007')], 10, ['a?[2Jb?'], 7],
  ])('%j in %d columns', (parts, width, texts, columns) => {
    const cut = cutParts(parts, width);
    expect(cut.parts.map((p) => p.text)).toEqual(texts);
    expect(cut.width).toBe(columns);
    expect(cut.width).toBe(displayWidth(texts.join('')));
  });

  it('keeps each part its tone', () => {
    const cut = cutParts([{ text: 'ab', tone: 'bad' }, { text: 'cdef', tone: 'dim' }], 4);
    expect(cut.parts).toEqual([
      { text: 'ab', tone: 'bad' },
      { text: 'c…', tone: 'dim' },
    ]);
  });
});

describe('Line', () => {
  const level = chalk.level;
  afterEach(() => {
    chalk.level = level;
  });

  it('shows parts painted as <Text> with the same tones and inverse shows them', () => {
    chalk.level = 1;
    const parts: LinePart[] = [
      { text: 'read', tone: 'bad' },
      { text: '  12', tone: 'dim' },
      { text: '  ok', tone: 'ok' },
      { text: ' end', tone: 'plain' },
    ];
    function Both() {
      const line = useLine();
      return createElement(
        Box,
        { flexDirection: 'column' },
        createElement(Line, line(parts, 80, true, true)),
        createElement(
          Text,
          { inverse: true },
          createElement(Text, { color: 'red' }, 'read'),
          createElement(Text, { dimColor: true }, '  12'),
          createElement(Text, { color: 'green' }, '  ok'),
          ' end',
        ),
        // without colours: the selection still shows
        createElement(Line, line(parts, 80, false, true)),
        createElement(Text, { inverse: true }, 'read  12  ok end'),
      );
    }
    const r = render(createElement(Both));
    const [painted, text, plainPainted, plainText] = (r.lastFrame() ?? '').split('\n');
    r.unmount();
    expect(painted).toContain('\u001b[31m');
    expect(painted).toBe(text);
    expect(plainPainted).toContain('\u001b[7m');
    expect(plainPainted).toBe(plainText);
  });

  it('never draws wider than the terminal ink draws on', () => {
    function Wide() {
      const line = useLine();
      return createElement(Line, line([plain('x'.repeat(150))], 150, false));
    }
    // ink-testing-library's terminal has 100 columns
    const r = render(createElement(Wide));
    const out = r.lastFrame() ?? '';
    r.unmount();
    expect(out).toBe(`${'x'.repeat(99)}…`);
  });
});

describe('LiveScreen with wide characters', () => {
  it('keeps every line within the width when labels take two columns a character', () => {
    const feed = new LiveFeed();
    const repeat = (ns: number, n: number): number[] => Array.from({ length: n }, () => ns);
    feed.pushSnapshot(
      profileOf({
        durationNs: 1e9,
        final: false,
        stopReason: null,
        target: { kind: 'all', follow: false },
        syscalls: [statsOf('read', 0, repeat(1000, 100))],
        processes: [{ tgid: 42, comm: '数据库数据库数据库数据库数据库', syscalls: [statsOf('read', 0, repeat(1000, 100))] }],
      }),
    );
    const r = render(createElement(LiveScreen, { frame: feed.frame, history: feed.history, state: { ...INITIAL_STATE, view: 'process' }, width: 60, height: 20, intervalMs: 1000, color: false }));
    const out = r.lastFrame() ?? '';
    r.unmount();
    expect(out).toContain('42 数据库');
    for (const line of out.split('\n')) expect(stringWidth(line)).toBeLessThanOrEqual(60);
  });
});
