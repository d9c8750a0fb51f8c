// Listen queue pressure while a capture ran: the kernel's TcpExt counters
// ListenOverflows (a connection completed its handshake but the accept queue
// was full) and ListenDrops (SYNs or handshakes dropped at a listener, the
// overflows included), as deltas over the capture. Counted per network
// namespace (the tracer's), not per process.
export interface ListenPressure {
  readonly overflows: number;
  readonly drops: number;
}

// A ListenPressure from untrusted JSON-like data, or a string saying what is wrong.
export function parseListenPressure(value: unknown): ListenPressure | string {
  if (typeof value !== 'object' || value === null) return 'expected {"overflows": N, "drops": N}';
  const o = value as Record<string, unknown>;
  for (const k of ['overflows', 'drops']) if (!(Number.isSafeInteger(o[k]) && (o[k] as number) >= 0)) return `${k}: expected a whole number`;
  return { overflows: o['overflows'] as number, drops: o['drops'] as number };
}
