// The exporter options `agent` and `live` share: --prometheus, --otlp, --labels, --max-series.
import { Option, type Command } from 'commander';
import { intInRange } from '../../cli/parsers.js';
import { parseListenAddress, type ListenAddress } from './address.js';
import { DEFAULT_LABELS, parseLabels, type LabelName } from './labels.js';
import { parseOtlpUrl } from './otlp-url.js';

// Default cap on exported syscall label sets.
export const DEFAULT_MAX_SERIES = 500;

// Default OTLP push interval, ms.
export const DEFAULT_OTLP_INTERVAL_MS = 10_000;

// The exporter options as commander parses them.
export interface ExportFlags {
  readonly prometheus?: ListenAddress;
  readonly otlp?: string;
  readonly otlpInterval?: number;
  readonly labels?: LabelName[];
  readonly maxSeries?: number;
}

// Adds the exporter options to a command.
export function addExportOptions(cmd: Command): Command {
  return cmd
    .addOption(new Option('--prometheus <addr>', 'serve /metrics for Prometheus on HOST:PORT (:PORT or PORT: 127.0.0.1)').argParser(parseListenAddress))
    .addOption(new Option('--otlp <url>', 'push metrics to this OTLP/HTTP endpoint (e.g. http://127.0.0.1:4318)').argParser(parseOtlpUrl))
    .addOption(new Option('--otlp-interval <ms>', `OTLP push interval in ms (default ${DEFAULT_OTLP_INTERVAL_MS})`).argParser(intInRange(100, 3_600_000)))
    .addOption(
      new Option('--labels <list>', `labels of the syscall series: syscall,category,comm,cgroup,container,service (default ${DEFAULT_LABELS.join(',')})`).argParser(
        parseLabels,
      ),
    )
    .addOption(
      new Option('--max-series <n>', `at most N label sets; more are folded into "other" (default ${DEFAULT_MAX_SERIES})`).argParser(intInRange(1, 1_000_000)),
    );
}

// Whether any exporter was asked for.
export function wantsExport(flags: ExportFlags): boolean {
  return flags.prometheus !== undefined || flags.otlp !== undefined;
}
