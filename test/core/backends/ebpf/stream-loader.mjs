#!/usr/bin/env node
// A stand-in for syscall-prof-loader in event-mode tests: writes the bytes of
// $STREAM_FILE to stdout (a frame stream the test built), records its argv in
// $STREAM_ARGV_FILE, prints $STREAM_STDERR on stderr and exits with $STREAM_EXIT.
import { readFileSync, writeFileSync, writeSync } from 'node:fs';

if (process.env.STREAM_ARGV_FILE) writeFileSync(process.env.STREAM_ARGV_FILE, JSON.stringify(process.argv.slice(2)));
const bytes = readFileSync(process.env.STREAM_FILE);
// in pieces, so the reader sees frames split across chunks
for (let off = 0; off < bytes.length; off += 4093) writeSync(1, bytes.subarray(off, Math.min(bytes.length, off + 4093)));
if (process.env.STREAM_STDERR) writeSync(2, `syscall-prof-loader: ${process.env.STREAM_STDERR}\n`);
process.exit(Number(process.env.STREAM_EXIT ?? '0'));
