// Compact latency limits and spans for bucket labels and mode descriptions.

const UNITS = [
  { scale: 1e9, unit: 's' },
  { scale: 1e6, unit: 'ms' },
  { scale: 1e3, unit: 'µs' },
  { scale: 1, unit: 'ns' },
] as const;

// A limit as a number (at most 3 significant digits, no trailing zeros) and a unit: ["1.5", "ms"].
export function edgeParts(ns: number): [string, string] {
  const { scale, unit } = UNITS.find((u) => Math.abs(ns) >= u.scale) ?? UNITS[UNITS.length - 1]!;
  return [String(Number((ns / scale).toPrecision(3))), unit];
}

// "10 µs", "1.5 ms", "0 ns".
export function formatEdge(ns: number): string {
  return edgeParts(ns).join(' ');
}

// "10-50 µs", "500 µs-1 ms".
export function formatSpan(lowNs: number, highNs: number): string {
  const [lo, loUnit] = edgeParts(lowNs);
  const [hi, hiUnit] = edgeParts(highNs);
  return loUnit === hiUnit ? `${lo}-${hi} ${hiUnit}` : `${lo} ${loUnit}-${hi} ${hiUnit}`;
}

// A bucket's label: "< 10 µs", "10-50 µs", "> 10 ms" (the last holds its lower limit too).
export function bucketLabel(lowNs: number | null, highNs: number | null): string {
  if (lowNs === null && highNs === null) return 'all';
  if (lowNs === null) return `< ${formatEdge(highNs!)}`;
  if (highNs === null) return `> ${formatEdge(lowNs)}`;
  return formatSpan(lowNs, highNs);
}
