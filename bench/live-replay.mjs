// make bench helper: the controller's work per snapshot, without the load.
// Replays a recorded loader stream (an .spb file: length-delimited frames)
// through what `live --json` does with each snapshot (decode, validate,
// convert, interval frame, NDJSON) ROUNDS times and prints CPU ms per snapshot.
// Usage: node bench/live-replay.mjs FILE.spb [ROUNDS]
import { readFileSync } from 'node:fs';
import { FrameReader } from '../.output/dist/core/wire/frame-reader.js';
import { FrameSession } from '../.output/dist/core/wire/session.js';
import { decodeFrame } from '../.output/dist/core/wire/wire.js';
import { LiveFeed } from '../.output/dist/presentation/tui/live-feed.js';
import { batchJson } from '../.output/dist/presentation/tui/batch-json.js';

const [file, roundsText = '20'] = process.argv.slice(2);
if (file === undefined) {
  console.error('usage: node bench/live-replay.mjs FILE.spb [ROUNDS]');
  process.exit(2);
}
const bytes = readFileSync(file);
const rounds = Number(roundsText);
let snapshots = 0;
let out = 0;
let entries = 0;
const once = () => {
  const reader = new FrameReader(decodeFrame, { source: file });
  const session = new FrameSession(file);
  const feed = new LiveFeed();
  // in chunks, like a pipe
  for (let i = 0; i < bytes.length; i += 65536) {
    for (const f of reader.push(bytes.subarray(i, i + 65536))) {
      const p = session.accept(f);
      if (p === null) continue;
      snapshots += 1;
      entries += p.processes.reduce((n, pr) => n + pr.syscalls.length, 0);
      out += batchJson(feed.pushSnapshot(p), 20).length;
    }
  }
  reader.end();
};
once();
const warm = snapshots;
const e0 = entries;
// CPU time of each round; the median, as the machine is shared
const times = [];
for (let r = 0; r < rounds; r++) {
  const t0 = process.cpuUsage();
  once();
  const t = process.cpuUsage(t0);
  times.push((t.user + t.system) / 1000 / warm);
}
times.sort((a, b) => a - b);
const median = times[Math.floor(times.length / 2)];
console.log(
  `live --json replay: ${warm} snapshots of ${(bytes.length / warm / 1024).toFixed(1)} KiB, ${Math.round(e0 / warm)} (process, syscall) entries each: ` +
    `${median.toFixed(2)} ms of CPU per snapshot (median of ${rounds} rounds; ${out > 0 ? 'output ok' : 'no output'})`,
);
