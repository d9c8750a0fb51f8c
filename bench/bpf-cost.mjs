// Prints the BPF run time per call of each program in an spb stream (the
// loader run with --cost-stats full): the kernel's own accounting, which the
// VM's wall-clock noise does not reach. Usage: node bench/bpf-cost.mjs FILE.spb
import { readFileSync } from 'node:fs';
import { FrameReader } from '../.output/dist/core/wire/frame-reader.js';
import { FrameSession } from '../.output/dist/core/wire/session.js';
import { decodeFrame } from '../.output/dist/core/wire/wire.js';

const path = process.argv[2];
const reader = new FrameReader(decodeFrame, { source: path });
const session = new FrameSession(path);
let last = null;
for (const f of reader.push(readFileSync(path))) last = session.accept(f) ?? last;
if (last === null) throw new Error(`${path}: no snapshot`);
let runNs = 0;
let runs = 0;
for (const p of last.cost.programs) {
  if (!/enter|exit/.test(p.name) || p.name === 'sp_exit' || p.name.includes('task')) continue;
  runNs += p.runTimeNs;
  runs += p.runCount;
}
// a syscall runs one enter and one exit program
console.log((runs > 0 ? (2 * runNs) / runs : 0).toFixed(1));
