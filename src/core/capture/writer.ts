// Choosing a capture writer by format.
import type { CaptureMeta } from '../model/events.js';
import { AtomicFile } from './atomic-file.js';
import { CsvWriter } from './csv-writer.js';
import type { CaptureFormat } from './format.js';
import { JsonlWriter } from './jsonl-writer.js';
import { ParquetCaptureWriter } from './parquet-writer.js';
import { SpbWriter } from './spb-writer.js';
import type { CaptureWriter } from './writer-types.js';

// A writer for a capture into `file` (see AtomicFile: create it before tracing so a
// bad path fails early), or a path to create it at now.
export function createCaptureWriter(file: AtomicFile | string, format: CaptureFormat, meta: CaptureMeta): CaptureWriter {
  const out = typeof file === 'string' ? new AtomicFile(file) : file;
  try {
    switch (format) {
      case 'csv':
        return new CsvWriter(out, meta);
      case 'jsonl':
        return new JsonlWriter(out, meta);
      case 'spb':
        return new SpbWriter(out);
      case 'parquet':
        return new ParquetCaptureWriter(out, meta);
    }
  } catch (err) {
    out.abort();
    throw err;
  }
}
