import { describe, expect, it } from 'vitest';
import { DEFAULT_ANOMALY_OPTIONS } from '../../../src/core/analysis/anomaly.js';
import { batchText } from '../../../src/presentation/tui/batch-text.js';
import { LiveFeed } from '../../../src/presentation/tui/live-feed.js';
import { anomalyLine, anomalyRowKeys } from '../../../src/presentation/tui/model/anomaly-marks.js';
import type { LiveFrame } from '../../../src/presentation/tui/model/interval.js';
import { seededRandom } from '../../helpers/random.js';
import { lognormal, SnapshotStream } from '../../core/analysis/anomaly-stream.js';

const options = { view: 'syscall', sort: 'share', filter: '', top: 20, width: 100, intervalMs: 1000 } as const;

// The frame after 40 intervals of fsync (db, pid 42) and read (web, pid 7), fsync 10x slower from interval 31.
function frameAfterStep(detect: boolean): LiveFrame {
  const rand = seededRandom(4);
  const feed = new LiveFeed(false, null, detect ? DEFAULT_ANOMALY_OPTIONS : null);
  const stream = new SnapshotStream();
  let frame: LiveFrame | null = null;
  for (let i = 1; i <= 40; i++) {
    frame = feed.pushSnapshot(
      stream.next({
        '42/db/fsync': { latencies: lognormal(rand, 100, 200_000, 0.2).map((v) => (i > 30 ? v * 10 : v)) },
        '7/web/read': { latencies: lognormal(rand, 100, 3_000, 0.2) },
      }),
    );
  }
  return frame!;
}

describe('anomalies in the live view', () => {
  it('marks the rows of the anomalous syscall, process and category, and says what', () => {
    const frame = frameAfterStep(true);
    expect(frame.anomalies?.active.map((a) => a.id)).toEqual(['fsync/42/p99']);
    expect([...anomalyRowKeys(frame, 'syscall')]).toEqual(['fsync']);
    expect([...anomalyRowKeys(frame, 'process')]).toEqual(['pid 42']);
    expect(anomalyRowKeys(frame, 'thread').size).toBe(0);
    expect(anomalyLine(frame)).toMatch(/^! anomaly: fsync \(db 42\): p99 \d+(\.\d)? ms, \d+(\.\d)?x its baseline \d+ µs, for \d+ s$/);
    const text = batchText(frame, null, options);
    expect(text).toMatch(/^! anomaly: fsync \(db 42\)/m);
    expect(text).toMatch(/^! fsync\s+100\s/m);
    expect(text).toMatch(/^read\s+100\s/m);
    expect(batchText(frame, null, { ...options, view: 'process' })).toMatch(/^! 42 db\s/m);
  });

  it('shows nothing with detection off', () => {
    const frame = frameAfterStep(false);
    expect(frame.anomalies).toBeUndefined();
    expect(anomalyLine(frame)).toBeNull();
    expect(batchText(frame, null, options)).not.toContain('!');
  });
});
