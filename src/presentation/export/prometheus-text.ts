// The Prometheus text exposition format (version 0.0.4) of metric families.
import { BOUNDS_SECONDS, cumulative } from './bounds.js';
import { escapeHelp, escapeLabelValue } from './labels.js';
import type { MetricFamily } from './metrics.js';

// Content-Type of the text format.
export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

// The `le` label value of each finite bound, then "+Inf".
export const LE_VALUES: readonly string[] = [...BOUNDS_SECONDS.map(formatNumber), '+Inf'];

// The exposition of every family: HELP, TYPE, then its samples.
export function renderPrometheus(families: readonly MetricFamily[]): string {
  const lines: string[] = [];
  for (const f of families) {
    lines.push(`# HELP ${f.name} ${escapeHelp(f.help)}`);
    lines.push(`# TYPE ${f.name} ${f.type}`);
    if (f.type === 'histogram') {
      for (const p of f.points) {
        const cum = cumulative(p.buckets);
        cum.forEach((c, i) => lines.push(`${f.name}_bucket${labelText(p.labels, LE_VALUES[i])} ${c}`));
        lines.push(`${f.name}_sum${labelText(p.labels)} ${formatNumber(p.sum)}`);
        lines.push(`${f.name}_count${labelText(p.labels)} ${p.count}`);
      }
    } else {
      for (const p of f.points) lines.push(`${f.name}${labelText(p.labels)} ${formatNumber(p.value)}`);
    }
  }
  return lines.length === 0 ? '' : `${lines.join('\n')}\n`;
}

// A sample value: integers as integers, others in the shortest form that round-trips.
export function formatNumber(n: number): string {
  if (Number.isNaN(n)) return 'NaN';
  if (n === Infinity) return '+Inf';
  if (n === -Infinity) return '-Inf';
  return String(n);
}

function labelText(labels: Readonly<Record<string, string>>, le?: string): string {
  const parts = Object.entries(labels).map(([k, v]) => `${k}="${escapeLabelValue(v)}"`);
  if (le !== undefined) parts.push(`le="${le}"`);
  return parts.length === 0 ? '' : `{${parts.join(',')}}`;
}
