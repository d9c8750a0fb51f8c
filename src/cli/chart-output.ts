// Writing a Markdown document with its SVG charts beside it (report, compare):
// the document's file is created first, so a bad output path fails before any
// chart is written; charts go into `<name>.assets/`; every file lands by rename.
import { mkdirSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { AtomicFile, OutputError, writeFileAtomically } from '../core/capture/atomic-file.js';
import { assetsDirName, type ReportChart } from '../presentation/render/report-charts.js';

// The charts folder of `output`, relative to it.
export function chartsDirOf(output: string): string {
  return assetsDirName(basename(output));
}

// Writes the charts, then the document `render()` makes; on a failure nothing is left half-written.
export function writeWithCharts(output: string, charts: readonly ReportChart[], render: () => string): void {
  const doc = new AtomicFile(output);
  try {
    if (charts.length > 0) makeDir(join(dirname(output), chartsDirOf(output)));
    for (const c of charts) writeFileAtomically(join(dirname(output), c.path), c.svg);
    doc.write(render());
  } catch (err) {
    doc.abort();
    throw err;
  }
  doc.commit();
}

function makeDir(path: string): void {
  try {
    mkdirSync(path, { recursive: true });
  } catch (err) {
    throw new OutputError(`cannot create ${path}: ${(err as Error).message}`, { cause: err });
  }
}
