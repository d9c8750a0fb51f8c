// What the exporters are asked for (the CLI's --prometheus, --otlp, --labels, --max-series), and the defaults.
import type { ListenAddress } from './address.js';
import type { LabelName } from './labels.js';

// Default cap on exported syscall label sets.
export const DEFAULT_MAX_SERIES = 500;

// Default OTLP push interval, ms.
export const DEFAULT_OTLP_INTERVAL_MS = 10_000;

// Which exporters run and how; absent fields take the defaults.
export interface ExportSettings {
  readonly prometheus?: ListenAddress;
  // the OTLP/HTTP metrics URL, complete
  readonly otlp?: string;
  readonly otlpInterval?: number;
  readonly labels?: LabelName[];
  readonly maxSeries?: number;
}

// Whether any exporter was asked for.
export function wantsExport(settings: ExportSettings): boolean {
  return settings.prometheus !== undefined || settings.otlp !== undefined;
}
