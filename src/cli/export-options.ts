// The exporter options `agent` and `live` share: --prometheus, --otlp, --labels, --max-series.
import { Option, type Command } from 'commander';
import { DEFAULT_LABELS } from '../presentation/export/labels.js';
import { DEFAULT_MAX_SERIES, DEFAULT_OTLP_INTERVAL_MS, type ExportSettings } from '../presentation/export/settings.js';
import { parseLabels, parseListenAddress, parseOtlpUrl } from './export-parsers.js';
import { intInRange } from './parsers.js';

// The exporter options as commander parses them.
export type ExportFlags = ExportSettings;

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
