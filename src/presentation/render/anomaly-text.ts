// The words of anomalies: logfmt fields for the agent's records, one sentence for the live view.
import type { Anomaly, AnomalyChange } from '../../core/analysis/anomaly.js';
import { errnoNameOf } from '../../core/model/errno.js';
import { formatDuration, formatPercent, formatRate } from './units.js';

// Logfmt-friendly fields of one value.
type Fields = Record<string, string | number | null>;

// A duration as one bare logfmt token: "210us", "2.1ms".
export function compactDuration(ns: number): string {
  return formatDuration(ns).replace(' ', '').replace('µ', 'u');
}

// How many times the baseline the observation is (rates below it give a factor below 1).
export function anomalyFactor(a: Pick<Anomaly, 'kind' | 'baseline' | 'observed'>): number | null {
  if (a.kind === 'errno' || a.baseline <= 0) return null;
  return a.observed / a.baseline;
}

function errnoText(errno: number | null): string {
  return errno === null ? '' : (errnoNameOf(errno) ?? `errno ${errno}`);
}

// The values of an anomaly by kind, named as in the records: baseline_p99=210us observed_p99=2.1ms factor=10.0.
function valueFields(a: Anomaly, observed: number): Fields {
  const factor = anomalyFactor({ ...a, observed });
  const f: Fields = factor === null ? {} : { factor: Number(factor.toFixed(factor < 10 ? 2 : 1)) };
  switch (a.kind) {
    case 'p99':
      return { baseline_p99: compactDuration(a.baseline), observed_p99: compactDuration(observed), ...f };
    case 'errors':
      return { baseline_error_share: Number(a.baseline.toFixed(4)), observed_error_share: Number(observed.toFixed(4)), ...f };
    case 'rate':
      return { baseline_rate: Number(a.baseline.toPrecision(3)), observed_rate: Number(observed.toPrecision(3)), ...f };
    case 'errno':
      return { errno: errnoText(a.errno), observed_errors: observed };
  }
}

// The message and fields of the record an anomaly's start or end makes.
export function anomalyRecord(change: AnomalyChange): { readonly level: 'warn' | 'info'; readonly msg: string; readonly fields: Fields } {
  const a = change.anomaly;
  const who: Fields = { kind: a.kind, syscall: a.series.syscall, ...(a.series.tgid === null ? {} : { pid: a.series.tgid, comm: a.series.comm }) };
  if (change.type === 'start') {
    return { level: 'warn', msg: 'anomaly', fields: { ...who, ...valueFields(a, a.observed), since: new Date(a.sinceMs).toISOString() } };
  }
  const peak = valueFields(a, a.peak);
  const peakFields: Fields = {};
  for (const [k, v] of Object.entries(peak)) if (k.startsWith('observed_')) peakFields[k.replace('observed_', 'peak_')] = v;
  return {
    level: 'info',
    msg: 'anomaly ended',
    fields: { ...who, reason: change.reason, ...peakFields, lasted_s: Number(((change.atMs - a.sinceMs) / 1000).toFixed(1)), since: new Date(a.sinceMs).toISOString() },
  };
}

// One line for the live view: "fsync p99 2.1 ms, 10x its baseline 210 µs, for 12 s".
export function anomalySentence(a: Anomaly, nowMs: number): string {
  const who = a.series.tgid === null ? a.series.syscall : `${a.series.syscall} (${a.series.comm ?? ''} ${a.series.tgid})`;
  const lasted = `for ${Math.max(0, Math.round((nowMs - a.sinceMs) / 1000))} s`;
  const factor = anomalyFactor(a);
  const times = factor === null ? '' : `${factor >= 10 ? factor.toFixed(0) : factor.toFixed(1)}x `;
  switch (a.kind) {
    case 'p99':
      return `${who}: p99 ${formatDuration(a.observed)}, ${times}its baseline ${formatDuration(a.baseline)}, ${lasted}`;
    case 'errors':
      return `${who}: ${formatPercent(a.observed)} of calls fail, ${times}its baseline ${formatPercent(a.baseline)}, ${lasted}`;
    case 'rate': {
      const how = factor !== null && factor < 1 ? `1/${Math.round(1 / factor)} of ` : times;
      return `${who}: ${formatRate(a.observed)} calls/s, ${how}its baseline ${formatRate(a.baseline)}/s, ${lasted}`;
    }
    case 'errno':
      return `${who}: fails with ${errnoText(a.errno)}, new, ${lasted}`;
  }
}
