#!/usr/bin/env bash
# make bench-soak: the agent under continuous process churn, watching that its
# memory stays flat. Runs `syscall-prof agent --all` with per-process labels
# while test/workloads/churn forks short-lived children (~400/s) for
# SOAK_SECONDS (default 600), samples every SAMPLE_SECONDS (default 30):
#   agent RSS, loader RSS, memlock bytes of the loader's BPF maps, entries in its
#   hash maps (proc_stats, comms, proc_times, ...), and from /metrics the
#   exported series, the processes tracked and the per-process drops.
# Per-call events too (SOAK_EVENTS=1, the default): the churn runs under
# `syscall-prof trace --output churn.spb`, event mode, whose controller and
# loader RSS must stay flat as well (no buffer growing with the calls written).
# Prints every sample, then first/last/max, then PASS or FAIL per quantity:
# flat means the last sample is at most 20% (and 16 MiB for RSS) above the
# sample taken after warm-up (the second one). The counts that follow the
# whole machine's activity (--all: other processes come and go too), hash
# entries and tracked processes, are compared by the mean of the later half
# of the samples after warm-up against the earlier half (a leak grows, churn
# only fluctuates). No per-process drop after warm-up.
set -euo pipefail
cd "$(dirname "$0")/.."

SECONDS_TOTAL=${SOAK_SECONDS:-600}
STEP=${SAMPLE_SECONDS:-30}
PORT=${SOAK_PORT:-19479}
LABELS=${SOAK_LABELS:-syscall,category,comm,cgroup}
EVENTS=${SOAK_EVENTS:-1}
CHURN=.output/workloads/churn
TMP=$(mktemp -d)
AGENT=
CHURN_PID=
cleanup() {
	[ -n "$CHURN_PID" ] && kill -INT "$CHURN_PID" 2>/dev/null && wait "$CHURN_PID" 2>/dev/null || true
	[ -n "$AGENT" ] && kill -TERM "$AGENT" 2>/dev/null && wait "$AGENT" 2>/dev/null || true
	rm -rf "$TMP"
}
trap cleanup EXIT

die() { echo "soak: $*" >&2; exit 1; }
[ "$(id -u)" = 0 ] || die "needs root (eBPF): sudo make bench-soak"
[ -x "$CHURN" ] || die "$CHURN is not built: make workloads"
[ -x .output/loader/syscall-prof-loader ] || die "the loader is not built: make build"
command -v bpftool >/dev/null || die "bpftool is missing"

node bin/syscall-prof.js agent --all --prometheus "127.0.0.1:$PORT" --labels "$LABELS" 2>"$TMP/agent.log" &
AGENT=$!
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$PORT/metrics" >/dev/null && break; sleep 0.2; done
curl -sf "http://127.0.0.1:$PORT/metrics" >/dev/null || { cat "$TMP/agent.log" >&2; die "the agent did not start"; }
if [ "$EVENTS" = 1 ]; then
	# the same churn, every call of it captured (the agent sees it too: --all)
	node bin/syscall-prof.js trace --output "$TMP/churn.spb" -- "$CHURN" 0 "$TMP/churn.out" >/dev/null 2>"$TMP/trace.log" &
else
	"$CHURN" 0 "$TMP/churn.out" &
fi
CHURN_PID=$!
if [ "$EVENTS" = 1 ]; then
	for _ in $(seq 50); do pgrep -P "$CHURN_PID" -f syscall-prof-loader >/dev/null && break; sleep 0.2; done
fi

rss_kib() { awk '/^VmRSS:/ { print $2 }' "/proc/$1/status" 2>/dev/null || echo 0; }

# memlock bytes of the loader's maps, and entries of its hash maps
bpf_maps() {
	local loader=$1 ids
	ids=$(grep -h '^map_id:' /proc/"$loader"/fdinfo/* 2>/dev/null | awk '{ print $2 }' | sort -un | tr '\n' ' ')
	bpftool -j map show | python3 -c '
import json, subprocess, sys
ids = {int(i) for i in sys.argv[1].split()}
mem = entries = 0
for m in json.load(sys.stdin):
    if m["id"] not in ids:
        continue
    mem += m.get("bytes_memlock", 0)
    if "hash" in m["type"]:
        out = subprocess.run(["bpftool", "-j", "map", "dump", "id", str(m["id"])], capture_output=True, text=True).stdout
        entries += len(json.loads(out or "[]"))
print(mem, entries)' "$ids"
}

metric() { awk -v n="$1" '$1 == n { print $2 }' "$TMP/metrics"; }

printf '%6s %10s %10s %12s %9s %8s %9s %9s %8s %10s %10s %8s\n' t_s agent_kib loader_kib bpf_bytes bpf_ent series tracked drops procs_s \
	trace_kib tload_kib spb_mib
START=$(date +%s)
FORKS0=$(awk '/^processes/ { print $2 }' /proc/stat)
: >"$TMP/samples"
while :; do
	now=$(($(date +%s) - START))
	kill -0 "$AGENT" 2>/dev/null || { cat "$TMP/agent.log" >&2; die "the agent died"; }
	loader=$(pgrep -P "$AGENT" -f syscall-prof-loader | head -1 || true)
	[ -n "$loader" ] || die "no loader under the agent"
	curl -sf "http://127.0.0.1:$PORT/metrics" >"$TMP/metrics" || die "scrape failed"
	read -r mem ent < <(bpf_maps "$loader")
	forks=$(($(awk '/^processes/ { print $2 }' /proc/stat) - FORKS0))
	tloader=0
	if [ "$EVENTS" = 1 ]; then
		kill -0 "$CHURN_PID" 2>/dev/null || { cat "$TMP/trace.log" >&2; die "the event capture died"; }
		tloader=$(pgrep -P "$CHURN_PID" -f syscall-prof-loader | head -1 || true)
		[ -n "$tloader" ] || die "no loader under the event capture"
	fi
	row=$(printf '%6d %10d %10d %12d %9d %8s %9s %9s %8d %10d %10d %8d' "$now" "$(rss_kib "$AGENT")" "$(rss_kib "$loader")" "$mem" "$ent" \
		"$(metric syscall_prof_series)" "$(metric syscall_prof_traced_processes)" "$(metric syscall_prof_process_drops_total)" \
		$((now > 0 ? forks / now : 0)) "$([ "$EVENTS" = 1 ] && rss_kib "$CHURN_PID" || echo 0)" "$([ "$EVENTS" = 1 ] && rss_kib "$tloader" || echo 0)" \
		$(($(du -sk "$TMP" | awk '{ print $1 }') / 1024)))
	echo "$row" | tee -a "$TMP/samples"
	[ "$now" -ge "$SECONDS_TOTAL" ] && break
	sleep "$STEP"
done

echo
echo "$(awk '/msg=/ { n++ } END { print n + 0 }' "$TMP/agent.log") log records; last: $(tail -1 "$TMP/agent.log")"
python3 - "$TMP/samples" <<'PY'
import sys
rows = [list(map(float, l.split())) for l in open(sys.argv[1]) if l.strip()]
names = ["agent RSS KiB", "loader RSS KiB", "BPF map bytes", "BPF hash entries", "series", "tracked procs"]
cols = [1, 2, 3, 4, 5, 6]
if rows and rows[0][9] > 0:
    names += ["capture RSS KiB", "capture loader KiB"]
    cols += [9, 10]
ok = True
base_row = rows[1] if len(rows) > 2 else rows[0]
# what follows the machine's activity: means of the two halves after warm-up
by_halves = {"BPF hash entries", "tracked procs"}
steady = rows[1:] if len(rows) > 2 else rows
half = len(steady) // 2
for name, c in zip(names, cols):
    vals = [r[c] for r in rows]
    base, last, top = base_row[c], vals[-1], max(vals)
    slack = 16384 if "RSS" in name else 0
    if name in by_halves and half > 0:
        early = sum(r[c] for r in steady[:half]) / half
        late = sum(r[c] for r in steady[half:]) / (len(steady) - half)
        flat = late <= early * 1.2 + 64
    else:
        flat = last <= base * 1.2 + slack + 64
    ok &= flat
    print(f"{name:18s} first {vals[0]:>12.0f}  last {last:>12.0f}  max {top:>12.0f}  {'PASS' if flat else 'FAIL'}")
# the per-process table never full after warm-up: no call loses its process
drops = [r[7] for r in rows]
ok &= drops[-1] == base_row[7]
print(f"{'process drops':18s} first {drops[0]:>12.0f}  last {drops[-1]:>12.0f}  after warm-up {drops[-1] - base_row[7]:>5.0f}  {'PASS' if drops[-1] == base_row[7] else 'FAIL'}")
print("soak:", "PASS" if ok else "FAIL")
sys.exit(0 if ok else 1)
PY
