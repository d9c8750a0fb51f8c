// Wall-clock timestamps in ns since the Unix epoch (19 digits: beyond a double's
// 2^53) built and split as whole seconds plus a 9-digit fraction, so nothing is rounded.

const NS_PER_S = 1e9;

// A wall-clock instant as seconds and nanoseconds (0 <= ns < 1e9).
export interface WallTime {
  readonly sec: number;
  readonly ns: number;
}

// Splits a decimal ns-since-epoch string; null when it is not 1..19 digits.
export function parseWallNs(text: string): WallTime | null {
  if (!/^\d{1,19}$/.test(text)) return null;
  const cut = Math.max(0, text.length - 9);
  return { sec: cut === 0 ? 0 : Number(text.slice(0, cut)), ns: Number(text.slice(cut)) };
}

// The decimal ns-since-epoch string of a wall time (no leading zeros).
export function formatWallNs(t: WallTime): string {
  return t.sec === 0 ? String(t.ns) : `${t.sec}${String(t.ns).padStart(9, '0')}`;
}

// Formats capture-relative ns as wall-clock ns strings, from the capture's start.
export class WallClock {
  private readonly sec: number;
  private readonly ns: number;

  constructor(start: WallTime) {
    this.sec = start.sec;
    this.ns = start.ns;
  }

  // start + offsetNs (an integer number of ns; may be negative), as a decimal string.
  format(offsetNs: number): string {
    let ns = this.ns + Math.round(offsetNs);
    let sec = this.sec;
    if (ns >= NS_PER_S || ns < 0) {
      const carry = Math.floor(ns / NS_PER_S);
      sec += carry;
      ns -= carry * NS_PER_S;
    }
    return sec === 0 ? String(ns) : `${sec}${String(ns).padStart(9, '0')}`;
  }

  // (sec, ns) - start, in ns: exact while the difference is below 2^53 (104 days).
  offsetOf(sec: number, ns: number): number {
    return (sec - this.sec) * NS_PER_S + (ns - this.ns);
  }
}
