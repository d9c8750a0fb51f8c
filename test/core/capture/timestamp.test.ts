import { describe, expect, it } from 'vitest';
import { formatWallNs, parseWallNs, WallClock } from '../../../src/core/capture/timestamp.js';

describe('wall-clock ns', () => {
  it.each<[string, { sec: number; ns: number } | null]>([
    ['1735787045123456789', { sec: 1735787045, ns: 123456789 }],
    ['123456789', { sec: 0, ns: 123456789 }],
    ['1000000000', { sec: 1, ns: 0 }],
    ['9223372036854775807', { sec: 9223372036, ns: 854775807 }],
    ['', null],
    ['12345678901234567890', null],
    ['-5', null],
    ['1.5', null],
  ])('%j', (text, parsed) => {
    expect(parseWallNs(text)).toEqual(parsed);
    if (parsed !== null) expect(formatWallNs(parsed)).toBe(text);
  });

  it('formats offsets exactly where a double would round', () => {
    const clock = new WallClock(parseWallNs('1735787045999999999')!);
    expect(clock.format(1)).toBe('1735787046000000000');
    expect(clock.format(-999_999_999)).toBe('1735787045000000000');
    // as one double this would be 1735787045999999999 + 7 -> ...000000006 (rounded to 256)
    expect(clock.format(7)).toBe('1735787046000000006');
    expect(clock.offsetOf(1735787046, 6)).toBe(7);
    expect(clock.offsetOf(1735787045, 0)).toBe(-999_999_999);
  });
});
