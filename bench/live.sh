#!/usr/bin/env bash
# make bench: what `live` costs its controller (node) at a 1 s interval while
# the machine runs about 1 M syscalls/s across 200 processes (live_load).
# node's utime+stime is read from /proc/PID/stat over MEASURE seconds, after
# WARMUP seconds (V8 compiles the per-snapshot code in the first ones); printed
# as CPU per snapshot and as the share of one core at one snapshot a second,
# beside the loader's CPU and the profiler's BPF cost from the snapshots.
# Where the load saturates the CPUs, node and the loader get only a fair share
# and fall behind: fewer snapshots than seconds; the share measured over the
# window is then capped by the scheduler, and the per-snapshot figure is the one
# to read. Target: node <= 2% of one core.
set -euo pipefail
cd "$(dirname "$0")/.."

PROCS=${BENCH_LIVE_PROCS:-200}
RATE=${BENCH_LIVE_RATE:-5000}
WARMUP=${BENCH_LIVE_WARMUP:-15}
MEASURE=${BENCH_LIVE_SECONDS:-20}
LOAD=.output/workloads/live_load
TMP=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$TMP"' EXIT

die() { echo "bench: $*" >&2; exit 1; }
[ "$(id -u)" = 0 ] || die "needs root (eBPF): sudo make bench"
[ -x "$LOAD" ] || die "$LOAD is not built: make workloads"

TICKS=$(getconf CLK_TCK)
# utime + stime of a process, in clock ticks
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }

node bin/syscall-prof.js live --json --interval 1s --duration $((WARMUP + MEASURE + 12)) >"$TMP/live.ndjson" 2>"$TMP/live.err" &
NODE_PID=$!
# the loader is node's child once it is up (loading the BPF programs takes a
# second or two on a busy machine); the warm-up counts from then
LOADER_PID=
for _ in $(seq 100); do
	LOADER_PID=$(cat /proc/$NODE_PID/task/*/children 2>/dev/null | tr ' ' '\n' | grep -v '^$' | head -n1 || true)
	[ -n "$LOADER_PID" ] && break
	sleep 0.1
done
[ -n "$LOADER_PID" ] || die "the loader did not start: $(cat "$TMP/live.err")"
# the load starts once live runs: 200 busy processes on 2 CPUs would otherwise
# starve node's own start-up for longer than the load lasts
"$LOAD" "$PROCS" "$RATE" $((WARMUP + MEASURE + 4)) &
LOAD_PID=$!
sleep "$WARMUP"
n0=$(cpu_ticks $NODE_PID); l0=$(cpu_ticks "$LOADER_PID"); t0=$(date +%s%N); k0=$(wc -l <"$TMP/live.ndjson")
sleep "$MEASURE"
n1=$(cpu_ticks $NODE_PID); l1=$(cpu_ticks "$LOADER_PID"); t1=$(date +%s%N); k1=$(wc -l <"$TMP/live.ndjson")
kill -INT $NODE_PID
wait $NODE_PID || die "live failed: $(cat "$TMP/live.err")"
kill $LOAD_PID 2>/dev/null || true

WARMUP=$WARMUP node - "$TMP/live.ndjson" "$n0" "$n1" "$l0" "$l1" "$t0" "$t1" "$TICKS" "$k0" "$k1" <<'JS'
const [file, n0, n1, l0, l1, t0, t1, ticks, k0, k1] = process.argv.slice(2);
const snaps = require('fs').readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
// the snapshots written while node's CPU was measured (the load running)
const steady = snaps.slice(Number(k0), Number(k1)).filter((s) => !s.final);
const avg = (f) => steady.reduce((n, s) => n + f(s), 0) / Math.max(1, steady.length);
const wall = (Number(t1) - Number(t0)) / 1e9;
const share = (a, b) => ((Number(b) - Number(a)) / Number(ticks) / wall) * 100;
const cpuMs = ((Number(n1) - Number(n0)) / Number(ticks)) * 1000;
const inWindow = Math.max(1, Number(k1) - Number(k0));
const perSnap = cpuMs / inWindow;
console.log(`live, 1 s interval, ${Math.round(avg((s) => s.callsPerSec)).toLocaleString('en')} syscalls/s; ${inWindow} snapshots printed in ${wall.toFixed(1)} s after ${process.env.WARMUP} s of warm-up`);
if (inWindow < wall * 0.9) console.log(`  (fewer snapshots than seconds: the load saturates the CPUs, node and the loader get a fair share and fall behind)`);
console.log(`  node (controller):  ${perSnap.toFixed(1)} ms of CPU per snapshot = ${(perSnap / 10).toFixed(2)}% of one core at one snapshot a second (target <= 2%); ${share(n0, n1).toFixed(2)}% over the window`);
console.log(`  loader:             ${share(l0, l1).toFixed(2)}% of one core`);
console.log(`  BPF programs:       ${(avg((s) => s.profilerCpuShare ?? 0) * 100).toFixed(1)}% of one CPU (kernel run-time stats in the snapshots)`);
JS

# the same work without the load's contention: the loader's snapshots of the
# same load recorded to a file, then replayed through what live --json does
# with each, warm (bench/live-replay.mjs)
LOADER=.output/loader/syscall-prof-loader
"$LOADER" --all --evict-exited --interval 1000 --duration 14 >"$TMP/snaps.spb" 2>"$TMP/rec.err" &
REC_PID=$!
sleep 2
"$LOAD" "$PROCS" "$RATE" 10
wait $REC_PID || die "recording the snapshots failed: $(cat "$TMP/rec.err")"
echo "  $(node bench/live-replay.mjs "$TMP/snaps.spb" 30)"
