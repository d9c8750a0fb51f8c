// Human units for durations, counts and sizes.

const TIME_UNITS = [
  { scale: 1, unit: 'ns' },
  { scale: 1e3, unit: 'µs' },
  { scale: 1e6, unit: 'ms' },
  { scale: 1e9, unit: 's' },
] as const;

// "850 ns", "29.3 µs", "127 ms", "12.4 s", "1,234 s"; "-" for null.
export function formatDuration(ns: number | null): string {
  if (ns === null || !Number.isFinite(ns)) return '-';
  const abs = Math.abs(ns);
  for (let i = 0; i < TIME_UNITS.length; i++) {
    const { scale, unit } = TIME_UNITS[i]!;
    const value = ns / scale;
    // one decimal below 100, none from 100 (also when 99.96 rounds up to 100.0)
    const digits = i === 0 || Math.abs(value) >= 99.95 ? 0 : 1;
    const rounded = Number(value.toFixed(digits));
    // move up a unit when the rounded value reaches 1000 (999.96 µs -> 1.0 ms)
    if (i < TIME_UNITS.length - 1 && Math.abs(rounded) >= 1000 && abs >= scale) continue;
    return `${digits === 0 ? formatCount(rounded) : rounded.toFixed(digits)} ${unit}`;
  }
  return '-';
}

// An integer with thousands separators: 1247891 -> "1,247,891".
export function formatCount(n: number): string {
  const sign = n < 0 ? '-' : '';
  const digits = Math.round(Math.abs(n)).toString();
  return sign + digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

// A rate: "1,234", "39", "0.5" (one decimal below 10).
export function formatRate(perSecond: number): string {
  return perSecond >= 10 ? formatCount(perSecond) : String(Number(perSecond.toFixed(1)));
}

// Bytes in binary units: "512 B", "4.2 MiB".
export function formatBytes(bytes: number): string {
  // whole bytes below 1 KiB (an average of 341.33 bytes is "341 B")
  if (Math.round(bytes) < 1024) return `${Math.round(bytes)} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes / 1024;
  let i = 0;
  while (value >= 1024 && i < units.length - 1) {
    value /= 1024;
    i += 1;
  }
  return `${value.toFixed(1)} ${units[i]}`;
}

// "1 call", "3 calls", "1,200 calls".
export function formatCalls(n: number): string {
  return `${formatCount(n)} call${n === 1 ? '' : 's'}`;
}

// A ratio as a percentage: 0.125 -> "12.5%".
export function formatPercent(ratio: number): string {
  return `${Number((ratio * 100).toFixed(1))}%`;
}
