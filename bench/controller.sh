#!/usr/bin/env bash
# make bench: what the controller (node + the loader) costs per second at a 1 s
# interval under a dd-like load (1-byte reads and writes: about 1 M syscalls/s
# on a free CPU), for the agent and for live (--json, and the ink view in a
# pseudo-terminal), beside the BPF programs' own cost. CPU is utime+stime from
# /proc/PID/stat over MEASURE seconds after WARMUP seconds; BPF cost is the
# kernel's run time of our programs over the same window (bpf_stats_enabled
# on for the window: it adds to the BPF figure, not to the controller's).
# Target (issue 13): node + loader <= 2% of one core; live <= the agent.
set -euo pipefail
cd "$(dirname "$0")/.."

WARMUP=${BENCH_CTL_WARMUP:-8}
MEASURE=${BENCH_CTL_SECONDS:-15}
MODES=${BENCH_CTL_MODES:-agent live-json live-tty}
PORT=${BENCH_CTL_PORT:-19491}
# the ink view's terminal, COLSxROWS
TTY_SIZE=${BENCH_CTL_TTY:-120x40}
TMP=$(mktemp -d)
LOAD_PID=
RUN_PID=
cleanup() {
	[ -n "$LOAD_PID" ] && kill "$LOAD_PID" 2>/dev/null || true
	[ -n "$RUN_PID" ] && kill -INT "${NODE:-$RUN_PID}" 2>/dev/null && wait "$RUN_PID" 2>/dev/null || true
	rm -rf "$TMP"
}
trap cleanup EXIT

die() { echo "bench: $*" >&2; exit 1; }
[ "$(id -u)" = 0 ] || die "needs root (eBPF): sudo make bench"
[ -x .output/loader/syscall-prof-loader ] || die "the loader is not built: make build"
command -v bpftool >/dev/null || die "bpftool is missing"
[[ $TTY_SIZE =~ ^[1-9][0-9]*x[1-9][0-9]*$ ]] || die "BENCH_CTL_TTY: '$TTY_SIZE' is not COLSxROWS (e.g. 120x40)"

TICKS=$(getconf CLK_TCK)
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat" 2>/dev/null || echo 0; }
# run time (ns) of the BPF programs the loader holds
bpf_ns() {
	local ids
	ids=$(grep -h '^prog_id:' /proc/"$1"/fdinfo/* 2>/dev/null | awk '{ print $2 }' | sort -un | tr '\n' ' ')
	bpftool -j prog show | python3 -c '
import json, sys
ids = {int(i) for i in sys.argv[1].split()}
print(sum(p.get("run_time_ns", 0) for p in json.load(sys.stdin) if p["id"] in ids))' "$ids"
}
syscalls_total() { awk '/^ctxt/ { print $2 }' /proc/stat; }

start() {
	case $1 in
	agent) node bin/syscall-prof.js agent --all --prometheus "127.0.0.1:$PORT" >/dev/null 2>"$TMP/err" & ;;
	live-json) node bin/syscall-prof.js live --json --interval 1s >/dev/null 2>"$TMP/err" & ;;
	# the ink view needs a terminal: script gives it one (its output discarded),
	# sized COLSxROWS (a pseudo-terminal starts at 0x0: the view would draw an
	# 80x24 fallback); its input a FIFO held open here, silent (no key presses, no EOF)
	live-tty) script -qfec "stty cols ${TTY_SIZE%x*} rows ${TTY_SIZE#*x}; exec node bin/syscall-prof.js live --interval 1s" \
		/dev/null >/dev/null 2>"$TMP/err" <"$TMP/keys" & ;;
	esac
	RUN_PID=$!
}

# the node process and its loader child, once up
find_pids() {
	local node
	for _ in $(seq 100); do
		if [ "$1" = live-tty ]; then
			node=$(pgrep -f "^node bin/syscall-prof.js live --interval" | head -1 || true)
		else
			node=$RUN_PID
		fi
		LOADER=$( [ -n "$node" ] && pgrep -P "$node" -f syscall-prof-loader | head -1 || true)
		[ -n "$LOADER" ] && { NODE=$node; return; }
		sleep 0.1
	done
	die "$1: the loader did not start: $(cat "$TMP/err")"
}

mkfifo "$TMP/keys"
exec 9<>"$TMP/keys"
dd if=/dev/zero of=/dev/null bs=1 2>/dev/null &
LOAD_PID=$!
printf '%-10s %12s %12s %12s %12s %14s\n' mode node_%core loader_%core ctl_%core bpf_%core load_calls/s
for mode in $MODES; do
	start "$mode"
	find_pids "$mode"
	sleep "$WARMUP"
	old=$(sysctl -n kernel.bpf_stats_enabled)
	sysctl -qw kernel.bpf_stats_enabled=1
	n0=$(cpu_ticks "$NODE"); l0=$(cpu_ticks "$LOADER"); b0=$(bpf_ns "$LOADER"); t0=$(date +%s%N)
	c0=$(awk '{ print $1 }' /proc/$LOAD_PID/io 2>/dev/null || true)
	r0=$(awk '/^syscr/ { r = $2 } /^syscw/ { w = $2 } END { print r + w }' /proc/$LOAD_PID/io)
	sleep "$MEASURE"
	n1=$(cpu_ticks "$NODE"); l1=$(cpu_ticks "$LOADER"); b1=$(bpf_ns "$LOADER"); t1=$(date +%s%N)
	r1=$(awk '/^syscr/ { r = $2 } /^syscw/ { w = $2 } END { print r + w }' /proc/$LOAD_PID/io)
	sysctl -qw kernel.bpf_stats_enabled="$old"
	# live stops on SIGINT (in a terminal too), then script ends
	kill -INT "$NODE" 2>/dev/null || true
	wait "$RUN_PID" 2>/dev/null || true
	RUN_PID=
	python3 - "$mode" "$n0" "$n1" "$l0" "$l1" "$b0" "$b1" "$t0" "$t1" "$TICKS" "$r0" "$r1" <<'PY'
import sys
mode, n0, n1, l0, l1, b0, b1, t0, t1, ticks, r0, r1 = sys.argv[1], *map(float, sys.argv[2:])
wall = (t1 - t0) / 1e9
node = (n1 - n0) / ticks / wall * 100
loader = (l1 - l0) / ticks / wall * 100
bpf = (b1 - b0) / 1e9 / wall * 100
print(f"{mode:10s} {node:12.2f} {loader:12.2f} {node + loader:12.2f} {bpf:12.2f} {(r1 - r0) / wall:14,.0f}")
PY
done
echo "(%core: share of one core over ${MEASURE} s after ${WARMUP} s of warm-up; ctl = node + loader; target ctl <= 2)"
