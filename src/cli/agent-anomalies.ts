// The agent's anomaly detection: snapshots into the detector, its changes into
// logfmt records (stderr or --anomaly-log) and the exporters' anomaly metrics,
// and with --on-anomaly-capture the window of recent calls into .spb files.
import { appendFileSync, closeSync, openSync } from 'node:fs';
import { AnomalyDetector } from '../core/analysis/anomaly-detector.js';
import type { AnomalyChange, AnomalyOptions } from '../core/analysis/anomaly.js';
import { writeNumbered } from '../core/capture/numbered-file.js';
import { SpbWindow } from '../core/capture/spb-window.js';
import { UsageError } from '../core/errors.js';
import type { Profile } from '../core/model/profile.js';
import type { Exporters } from '../presentation/export/exporters.js';
import { formatRecord, type Logger } from '../presentation/export/log.js';
import { anomalyRecord } from '../presentation/render/anomaly-text.js';
import { formatBytes } from '../presentation/render/units.js';
import type { AnomalyCapturePlan } from './anomaly-options.js';

// Where anomaly records go: the agent's logger, or appended to --anomaly-log (checked now).
export function anomalyLogger(path: string | null, log: Logger): Logger {
  if (path === null) return log;
  try {
    closeSync(openSync(path, 'a'));
  } catch (err) {
    throw new UsageError(`cannot open --anomaly-log ${path}: ${(err as Error).message}`, { cause: err });
  }
  return {
    log: (level, msg, fields) => {
      try {
        appendFileSync(path, `${formatRecord(new Date(), level, msg, fields)}\n`);
      } catch (err) {
        log.log('error', 'cannot write the anomaly log', { file: path, error: (err as Error).message });
      }
    },
  };
}

// Follows one agent run's snapshots (across loader restarts).
export class AgentAnomalies {
  private readonly detector: AnomalyDetector;
  private readonly window: SpbWindow | null;
  private files = 0;
  private nextN = 1;
  private full = false;

  constructor(
    options: AnomalyOptions,
    private readonly capture: AnomalyCapturePlan | null,
    private readonly records: Logger,
    private readonly log: Logger,
    private readonly exporters: Exporters,
  ) {
    this.detector = new AnomalyDetector(options);
    this.window = capture === null ? null : new SpbWindow({ windowMs: capture.windowMs, maxEvents: capture.maxEvents });
  }

  // The loader's stdout bytes (for the capture window), or undefined when there is no capture.
  get onRawChunk(): ((chunk: Buffer) => void) | undefined {
    const w = this.window;
    return w === null ? undefined : (chunk) => w.push(chunk);
  }

  // A loader run starts (the first, or one after a restart).
  newRun(): void {
    this.window?.newStream();
  }

  // Takes one snapshot.
  update(profile: Profile): void {
    const changes = this.detector.update(profile);
    for (const c of changes) {
      const r = anomalyRecord(c);
      this.records.log(r.level, r.msg, r.fields);
    }
    this.exporters.recordAnomalies(this.detector.active());
    if (this.window !== null) this.captureStarts(changes);
  }

  // One capture per process (or one of every process for a per-syscall series) that an anomaly started in.
  private captureStarts(changes: readonly AnomalyChange[]): void {
    const who = new Map<number | null, string | null>();
    for (const c of changes) if (c.type === 'start') who.set(c.anomaly.series.tgid, c.anomaly.series.comm);
    for (const [pid, comm] of who) {
      if (this.files >= this.capture!.maxFiles) {
        if (!this.full) this.log.log('warn', 'anomaly capture limit reached; no more files', { limit: this.capture!.maxFiles });
        this.full = true;
        return;
      }
      const got = this.window!.capture(pid, comm);
      const whom = pid === null ? {} : { pid, comm };
      if (got === null) {
        this.log.log('info', 'anomaly capture: no calls in the window', { ...whom, min_duration_ns: this.capture!.minDurationNs });
        continue;
      }
      try {
        const wrote = writeNumbered(this.capture!.path, got.bytes, { replace: this.capture!.overwrite, from: this.nextN, last: this.capture!.maxFiles });
        if (wrote === null) {
          this.log.log('warn', 'anomaly capture: every file name is taken', { file: this.capture!.path, limit: this.capture!.maxFiles });
          this.files = this.capture!.maxFiles;
          continue;
        }
        this.files += 1;
        if (!this.capture!.overwrite) this.nextN = wrote.n + 1;
        this.log.log('info', 'anomaly capture', { file: wrote.path, ...whom, calls: got.rows, span_s: Number((got.spanNs / 1e9).toFixed(2)), size: formatBytes(got.bytes.length) });
      } catch (err) {
        this.log.log('error', 'anomaly capture failed', { file: this.capture!.path, error: (err as Error).message });
      }
    }
  }
}
