// How loaded the machine was while a capture ran: what `sweep` records in each
// level's capture, so a reader sees the real load and not only the intended one.

// The share of a window some or all runnable tasks were stalled on a resource
// (/proc/pressure, PSI); null when the kernel does not report it.
export interface Pressure {
  readonly some: number | null;
  readonly full: number | null;
}

// One capture's load level.
export interface LoadLevel {
  // the level's name ("baseline", "4"); null when unnamed
  readonly label: string | null;
  // the load generator as it was run ("stress-ng --cpu 4"); null: none
  readonly generator: string | null;
  // its workers; 0 for no load
  readonly workers: number;
  // the window the shares below cover, ns
  readonly windowNs: number;
  // share of all CPUs' time not idle or in iowait (/proc/stat); null when unknown
  readonly cpuBusy: number | null;
  readonly cpuPressure: Pressure;
  readonly ioPressure: Pressure;
  readonly memoryPressure: Pressure;
}

// A LoadLevel from untrusted JSON-like data (a capture's trailer), or a string saying what is wrong.
export function parseLoadLevel(value: unknown): LoadLevel | string {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'expected an object';
  const o = value as Record<string, unknown>;
  const share = (v: unknown): v is number | null => v === null || (typeof v === 'number' && v >= 0 && v <= 1.5);
  const text = (v: unknown): v is string | null => v === null || typeof v === 'string';
  const pressure = (key: string): Pressure | string => {
    const p = o[key];
    if (typeof p !== 'object' || p === null) return `${key}: expected {"some": share, "full": share}`;
    const { some, full } = p as Record<string, unknown>;
    if (!share(some) || !share(full)) return `${key}: expected shares between 0 and 1 or null`;
    return { some, full };
  };
  if (!text(o['label'])) return 'label: expected a string or null';
  if (!text(o['generator'])) return 'generator: expected a string or null';
  if (!(Number.isInteger(o['workers']) && (o['workers'] as number) >= 0)) return 'workers: expected a whole number';
  if (!(typeof o['windowNs'] === 'number' && o['windowNs'] >= 0)) return 'windowNs: expected a number of ns';
  if (!share(o['cpuBusy'])) return 'cpuBusy: expected a share between 0 and 1 or null';
  const cpu = pressure('cpuPressure');
  const io = pressure('ioPressure');
  const memory = pressure('memoryPressure');
  for (const p of [cpu, io, memory]) if (typeof p === 'string') return p;
  return {
    label: o['label'],
    generator: o['generator'],
    workers: o['workers'] as number,
    windowNs: o['windowNs'],
    cpuBusy: o['cpuBusy'],
    cpuPressure: cpu as Pressure,
    ioPressure: io as Pressure,
    memoryPressure: memory as Pressure,
  };
}
