#!/usr/bin/env bash
# make bench: the cost of tracing every syscall, measured side by side in one run.
# Workload: dd if=/dev/zero of=/dev/null bs=512 count=N (2N read/write syscalls).
# Prints the wall time of each configuration (median of REPS runs), the added ns
# per syscall against bare, and the ratio of each tracer's added cost to that of
# empty BPF programs on the same two tracepoints.
set -euo pipefail
cd "$(dirname "$0")/.."

N=${BENCH_COUNT:-1000000}
REPS=${BENCH_REPS:-5}
LOADER=.output/loader/syscall-prof-loader
SYSCOUNT=${SYSCOUNT:-/usr/sbin/syscount}
TMP=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$TMP"' EXIT

die() { echo "bench: $*" >&2; exit 1; }
[ "$(id -u)" = 0 ] || die "needs root (eBPF): sudo make bench"
[ -x "$LOADER" ] || die "$LOADER is not built: make build"
# libbpf-tools attach to tracefs tracepoints
mountpoint -q /sys/kernel/tracing || mount -t tracefs nodev /sys/kernel/tracing

# median wall seconds of REPS runs of the workload
run_dd() {
	local times=() i s e
	for ((i = 0; i < REPS; i++)); do
		s=$(date +%s%N)
		dd if=/dev/zero of=/dev/null bs=512 count="$N" status=none
		e=$(date +%s%N)
		times+=($((e - s)))
	done
	printf '%s\n' "${times[@]}" | sort -n | sed -n "$(((REPS + 1) / 2))p"
}

# wait until FILE has content matching PATTERN (or any content), at most 20 s
wait_ready() {
	local file=$1 pattern=${2:-} i
	for ((i = 0; i < 200; i++)); do
		if [ -s "$file" ] && { [ -z "$pattern" ] || grep -q "$pattern" "$file"; }; then return 0; fi
		sleep 0.1
	done
	return 1
}

# run the workload under a tracer started by "$@", stop it with SIGINT
under() {
	local out=$TMP/out pid ns
	: > "$out"
	"$@" > "$out" 2> "$TMP/err" &
	pid=$!
	if ! wait_ready "$out" "$([ "$1" = stdbuf ] && echo Tracing)"; then
		kill -KILL "$pid" 2>/dev/null
		die "$* did not start within 20 s: $(head -c 300 "$TMP/err")"
	fi
	ns=$(run_dd)
	kill -INT "$pid"
	wait "$pid" || die "$* failed: $(head -c 300 "$TMP/err")"
	echo "$ns"
}

declare -A T
echo "bench: dd bs=512 count=$N (2x$N syscalls), median of $REPS runs, $(nproc) CPUs, $(uname -r)"
T[bare]=$(run_dd)
T[empty]=$(under "$LOADER" --empty)
T[ours]=$(under "$LOADER")
T[ours_nocost]=$(under "$LOADER" --cost-stats off)
T[ours_noproc]=$(under "$LOADER" --cost-stats off --no-per-process)
T[ours_fullcost]=$(under "$LOADER" --cost-stats full)
T[ours_nooff]=$(under "$LOADER" --cost-stats off --no-offcpu)
if [ -x "$SYSCOUNT" ]; then
	T[syscount]=$(under stdbuf -oL "$SYSCOUNT" -L)
fi

calls=$((2 * N))
empty_added=$(( (T[empty] - T[bare]) ))
printf '\n%-40s %10s %14s %12s\n' configuration "wall ms" "added ns/call" "vs empty"
row() {
	local key=$1 label=$2 added
	[ -n "${T[$key]:-}" ] || return 0
	added=$(( T[$key] - T[bare] ))
	awk -v l="$label" -v w="${T[$key]}" -v a="$added" -v c="$calls" -v e="$empty_added" 'BEGIN {
		ratio = (e > 0 && a >= 0) ? sprintf("%.2fx", a / e) : "-"
		printf "%-40s %10.1f %14.1f %12s\n", l, w / 1e6, a / c, ratio }'
}
row bare "bare (no tracing)"
row empty "empty BPF on the same tracepoints"
row ours "syscall-prof (default)"
row ours_nocost "syscall-prof --cost-stats off"
row ours_nooff "syscall-prof --no-offcpu, no cost"
row ours_noproc "syscall-prof --no-per-process, no cost"
row ours_fullcost "syscall-prof --cost-stats full"
row syscount "libbpf-tools syscount -L"

# the on/off-CPU split costs nothing per syscall that does not block (dd above);
# it runs on every context switch instead. pingpong pinned to one CPU: each
# round trip is 4 syscalls and 2 context switches, all inside blocking reads.
PP=.output/workloads/pingpong
PN=${BENCH_PINGPONG:-100000}
run_dd() {
	local times=() i s e
	for ((i = 0; i < REPS; i++)); do
		s=$(date +%s%N)
		taskset -c 0 "$PP" "$PN"
		e=$(date +%s%N)
		times+=($((e - s)))
	done
	printf '%s\n' "${times[@]}" | sort -n | sed -n "$(((REPS + 1) / 2))p"
}
if [ -x "$PP" ]; then
	P_bare=$(run_dd)
	P_nooff=$(under "$LOADER" --cost-stats off --no-offcpu)
	P_off=$(under "$LOADER" --cost-stats off)
	echo
	echo "context switches: pingpong $PN round trips on one CPU ($((2 * PN)) switches, $((4 * PN)) syscalls), median of $REPS"
	awk -v b="$P_bare" -v n="$P_nooff" -v o="$P_off" -v sw=$((2 * PN)) 'BEGIN {
		printf "%-40s %10.1f\n", "bare (no tracing)", b / 1e6
		printf "%-40s %10.1f\n", "syscall-prof --no-offcpu, no cost", n / 1e6
		printf "%-40s %10.1f\n", "syscall-prof (on/off-CPU split), no cost", o / 1e6
		printf "on/off-CPU split: %.1f ns per context switch of a traced thread\n", (o - n) / sw }'
fi
