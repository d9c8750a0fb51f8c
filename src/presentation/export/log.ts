// One-line log records for an unattended agent: `ts=... level=info msg="..." key=value`.
import type { Output } from '../output.js';

// A log level.
export type Level = 'debug' | 'info' | 'warn' | 'error';

// Key/value fields of one record.
export type Fields = Readonly<Record<string, string | number | boolean | null | undefined>>;

// Writes records.
export interface Logger {
  log(level: Level, msg: string, fields?: Fields): void;
}

// A logfmt value: bare when it is simple, quoted (with \\ \" \n escaped) otherwise.
export function logfmtValue(value: string | number | boolean | null): string {
  const text = value === null ? '' : String(value);
  if (text !== '' && /^[A-Za-z0-9_.:/@+-]+$/.test(text)) return text;
  return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n').replace(/\r/g, '\\r')}"`;
}

// One record, without the newline.
export function formatRecord(ts: Date, level: Level, msg: string, fields: Fields = {}): string {
  const parts = [`ts=${ts.toISOString()}`, `level=${level}`, `msg=${logfmtValue(msg)}`];
  for (const [key, value] of Object.entries(fields)) {
    if (value === undefined) continue;
    parts.push(`${key}=${logfmtValue(value)}`);
  }
  return parts.join(' ');
}

// A logger writing records to a stream (stderr), one line each.
export function streamLogger(out: Output, now: () => Date = () => new Date()): Logger {
  return { log: (level, msg, fields) => void out.write(`${formatRecord(now(), level, msg, fields)}\n`) };
}

// A writable that turns another program's stderr lines into records (the loader's diagnostics).
export function lineLogger(logger: Logger, level: Level, source: string): NodeJS.WritableStream {
  let pending = '';
  const sink = {
    write(chunk: string | Uint8Array): boolean {
      pending += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
      let nl: number;
      while ((nl = pending.indexOf('\n')) >= 0) {
        const line = pending.slice(0, nl).trimEnd();
        pending = pending.slice(nl + 1);
        if (line !== '') logger.log(level, line, { source });
      }
      return true;
    },
  };
  return sink as unknown as NodeJS.WritableStream;
}
