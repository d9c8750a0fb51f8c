#!/usr/bin/env bash
# make bench: what tracing io_uring costs. fio reads a cached 16 MiB file
# through io_uring (4 KiB random reads, depth 1: the CPU-bound case, where any
# added cost shows), bare and under the loader (--all); the added ns per
# request from fio's own IOPS, and our io_uring programs' run time per request
# from the kernel's BPF statistics. Then dd (plain read/write syscalls, no
# io_uring) under the loader: the io_uring programs never run for it.
set -euo pipefail
cd "$(dirname "$0")/.."

SECS=${BENCH_URING_SECS:-3}
LOADER=.output/loader/syscall-prof-loader
TMP=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$TMP"' EXIT

die() { echo "bench: $*" >&2; exit 1; }
[ "$(id -u)" = 0 ] || die "needs root (eBPF): sudo make bench"
[ -x "$LOADER" ] || die "$LOADER is not built: make build"
command -v fio >/dev/null || die "fio is not installed: make deps"

# fio's read IOPS over SECS seconds
fio_iops() {
	fio --name=r --ioengine=io_uring --rw=randread --bs=4k --size=16M --filename="$TMP/f" \
		--iodepth=1 --runtime="$SECS" --time_based --output-format=json --output="$TMP/fio.json" >/dev/null
	node -e 'const j = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")); console.log(j.jobs[0].read.iops.toFixed(0))' "$TMP/fio.json"
}

# start the loader with "$@" in the background; wait until its programs are attached
start_loader() {
	BASE_ID=$(max_prog_id)
	"$LOADER" --all "$@" > /dev/null 2> "$TMP/err" &
	LOADER_PID=$!
	for ((i = 0; i < 200; i++)); do
		[ "$(prog_stats sp_uring_submit)" != none ] && return 0
		sleep 0.1
	done
	die "the loader did not start: $(head -c 300 "$TMP/err")"
}

stop_loader() {
	kill -INT "$LOADER_PID"
	wait "$LOADER_PID" || true
}

# the highest BPF program id now: our loader's programs come after it (other
# loaders on the machine have programs of the same names)
max_prog_id() {
	bpftool -j prog show 2>/dev/null | node -e 'let s = ""; process.stdin.on("data", (c) => (s += c)).on("end", () => console.log(Math.max(0, ...JSON.parse(s || "[]").map((p) => p.id))))'
}

# "runs ns" of one of our loader's programs (run time only with kernel.bpf_stats_enabled),
# "0 0" when it is not loaded, "none" before the loader has loaded its programs
prog_stats() {
	bpftool -j prog show 2>/dev/null | node -e '
		let s = "";
		process.stdin.on("data", (c) => (s += c)).on("end", () => {
			const mine = JSON.parse(s || "[]").filter((p) => p.id > Number(process.argv[2]) && p.name?.startsWith("sp_"));
			if (!mine.some((p) => p.name === "sp_uring_submit")) return console.log("none");
			const p = mine.find((x) => x.name === process.argv[1]) ?? {};
			console.log(`${p.run_cnt ?? 0} ${p.run_time_ns ?? 0}`);
		});' "$1" "$BASE_ID"
}

fio_iops > /dev/null # lay out the file, warm the cache
bare=$(fio_iops)
start_loader --cost-stats off
traced=$(fio_iops)
stop_loader

# our io_uring programs' run time per request under the loader with "$@" (BPF statistics)
uring_ns_per_request() {
	local total_ns=0 requests=0 runs ns
	start_loader --cost-stats full "$@"
	fio_iops > /dev/null
	for p in sp_uring_submit sp_uring_punt sp_uring_complete sp_uring_complete_old sp_uring_wait sp_uring_overflow; do
		read -r runs ns < <(prog_stats "$p")
		[ "$p" = sp_uring_complete ] && requests=$runs
		total_ns=$((total_ns + ns))
	done
	stop_loader
	awk -v n="$total_ns" -v r="$requests" 'BEGIN { printf "%.0f", (r > 0 ? n / r : 0) }'
}

per_request=$(uring_ns_per_request)
# event mode: a ring buffer record per request as well
per_request_events=$(uring_ns_per_request --events)

start_loader --cost-stats full
dd if=/dev/zero of=/dev/null bs=512 count=200000 status=none
dd_runs=0
for p in sp_uring_submit sp_uring_punt sp_uring_complete sp_uring_wait sp_uring_overflow; do
	read -r runs _ < <(prog_stats "$p")
	dd_runs=$((dd_runs + runs))
done
read -r enter_runs _ < <(prog_stats sp_sys_enter)
stop_loader

echo "io_uring (fio, io_uring engine, 4 KiB random reads of a cached file, depth 1, ${SECS} s):"
awk -v b="$bare" -v t="$traced" -v n="$per_request" -v ne="$per_request_events" -v d="$dd_runs" -v e="$enter_runs" 'BEGIN {
	printf "  %-44s %10d IOPS\n", "bare", b
	printf "  %-44s %10d IOPS\n", "under syscall-prof --all", t
	printf "  %-44s %10.0f ns\n", "added per request (from fio IOPS)", (1e9 / t - 1e9 / b)
	printf "  %-44s %10.0f ns\n", "our io_uring programs per request (BPF stats)", n
	printf "  %-44s %10.0f ns\n", "the same with --events (a record per request)", ne
	printf "  %-44s %10d\n", "io_uring program runs during dd (syscalls)", d
	printf "  %-44s %10d\n", "sys_enter runs during dd", e
}'
