#!/usr/bin/env bash
# make bench, part 4: the backends side by side on one calibrated workload:
# COUNT reads of 512 bytes from /dev/zero, each timed by the program itself
# with clock_gettime. For each backend: the slowdown of the read loop (bare =
# 1.0) and the median read latency the backend reports next to the median the
# program measured under it.
set -euo pipefail
cd "$(dirname "$0")/.."

N=${CALIB_COUNT:-200000}
CALIB=.output/workloads/calib_read
CLI="node bin/syscall-prof.js"
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
[ "$(id -u)" = 0 ] || { echo "bench: needs root (eBPF): sudo make bench" >&2; exit 1; }

"$CALIB" "$N" "$TMP/bare"
read -r bare_med bare_total < "$TMP/bare"
printf '\nbench: %d reads of 512 B from /dev/zero under each backend\n' "$N"
printf '%-10s %10s %16s %18s\n' backend slowdown "reported p50" "self-measured p50"
printf '%-10s %9.1fx %16s %15d ns\n' bare 1 "-" "$bare_med"
for b in ebpf perf bpftrace strace; do
	$CLI trace --backend "$b" --json -- "$CALIB" "$N" "$TMP/$b" > "$TMP/$b.json" 2> "$TMP/$b.err" || {
		echo "$b: failed: $(tail -1 "$TMP/$b.err")"; continue; }
	read -r med total < "$TMP/$b"
	p50=$(node -e 'const j = JSON.parse(require("fs").readFileSync(process.argv[1]));
		const r = j.syscalls.find((s) => s.name === "read"); console.log(r ? r.p50Ns : "?")' "$TMP/$b.json")
	awk -v b="$b" -v t="$total" -v bt="$bare_total" -v p="$p50" -v m="$med" \
		'BEGIN { printf "%-10s %9.1fx %13d ns %15d ns\n", b, t / bt, p, m }'
done
