#!/usr/bin/env bash
# make bench-services: what tracing costs real servers. PostgreSQL under
# pgbench (TPC-B-like, scale 10, -c 4 -j 2) and Redis under redis-benchmark
# (SET then GET, 50 connections, no pipelining), each from its Debian package
# on 127.0.0.1 in a cgroup of its own (bench/services-lib.sh), the load
# generators outside it. Each tracer watches only the server's cgroup:
#   floor     no tracer: the loader's empty programs (syscall-prof-loader
#             --empty) on the same raw_syscalls tracepoints, which every
#             tracer built on them pays at least: the best reachable
#   agent     syscall-prof agent --cgroup CG --prometheus 127.0.0.1:PORT
#   agent-s16 the same with --sample 16 (counts exact, 1 call in 16 timed)
#   live      syscall-prof live --batch --cgroup CG (what live does without a terminal)
#   syscount  libbpf-tools syscount -L -c CG
#   bpftrace  a per-syscall latency histogram (hist()) with a cgroup predicate
# For each server and tracer, BENCH_PAIRS paired runs of BENCH_SECONDS: the
# load with no tracer (A) and with the tracer started and warmed up (B), in
# the order AB, BA, AB... (shifted from tracer to tracer), the tracers
# interleaved. Printed per (load, tracer): the median over the pairs of
# traced/baseline throughput, with its range; and the profiler's CPU as a share
# of the server's own CPU (its cgroup's cpu.stat): the tracer's processes
# (their cgroup's CPU: the loader, node and the loader, syscount, bpftrace)
# over the traced runs, plus the run time of its BPF programs (bpftool's
# run_time_ns; for the floor, sp_empty_enter and sp_empty_exit) from one
# more traced run per (server, tracer) with kernel.bpf_stats_enabled=1. That
# run is apart because the statistics add two clock reads to every program
# run, which would weigh on the throughput of the pairs.
# The Markdown table goes to stdout and to bench/results/services-DATE.md.
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/services-lib.sh

PAIRS=${BENCH_PAIRS:-5}
SECS=${BENCH_SECONDS:-8}
WARMUP=${BENCH_WARMUP:-3}
SCALE=${BENCH_PG_SCALE:-10}
SERVICES=${BENCH_SERVICES:-postgres redis}
TRACERS=${BENCH_TRACERS:-floor agent agent-s16 live syscount bpftrace}
SYSCOUNT=${SYSCOUNT:-/usr/sbin/syscount}
RESULTS=${BENCH_RESULTS:-bench/results}
CLI=(node bin/syscall-prof.js)
LOADER=.output/loader/syscall-prof-loader

die() { echo "bench-services: $*" >&2; exit 1; }
for v in BENCH_PAIRS=$PAIRS BENCH_SECONDS=$SECS BENCH_WARMUP=$WARMUP BENCH_PG_SCALE=$SCALE; do
	[[ ${v#*=} =~ ^[1-9][0-9]*$ ]] || die "$v: not a positive whole number"
done
for s in $SERVICES; do [[ $s =~ ^(postgres|redis)$ ]] || die "BENCH_SERVICES: '$s' is not postgres or redis"; done
for t in $TRACERS; do
	[[ $t =~ ^(floor|agent|agent-s16|live|syscount|bpftrace)$ ]] ||
		die "BENCH_TRACERS: '$t' is not floor, agent, agent-s16, live, syscount or bpftrace"
done
[ "$(id -u)" = 0 ] || die "needs root (eBPF, cgroups): sudo make bench-services"
[ -x "$LOADER" ] || die "the loader is not built: make build"
for c in bpftool bpftrace redis-server redis-benchmark setpriv timeout curl python3; do
	command -v "$c" > /dev/null || die "$c is missing: make bench-services installs it"
done
[ -n "$PG_BIN" ] || die "PostgreSQL is missing: make bench-services installs it"
# syscount and bpftrace attach to tracefs tracepoints
mountpoint -q /sys/kernel/tracing || mount -t tracefs nodev /sys/kernel/tracing

TMP=$(mktemp -d)
# the postgres user reaches its data directory inside
chmod 755 "$TMP"
STATS_WAS=$(sysctl -n kernel.bpf_stats_enabled)
STATS_SET=
# BPF run-time statistics on for the cost runs (and back as they were after)
stats() {
	if [ "$1" = on ]; then
		STATS_SET=1
		sysctl -qw kernel.bpf_stats_enabled=1
	elif [ -n "$STATS_SET" ]; then
		sysctl -qw kernel.bpf_stats_enabled="$STATS_WAS"
		STATS_SET=
	fi
}
cleanup() {
	bench_cleanup_cgroups
	stats off
	rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
START=$(date +%s)
LOADAVG=$(cut -d' ' -f1-3 < /proc/loadavg | tr ' ' '/')

# the server's lifetime: every run, its tracer's start and the preparation, with room
SVC_LIFE=$(((PAIRS * 2 + 1) * (SECS + WARMUP + 70) * 4 + 600))
TRACER_LIFE=$((SECS + WARMUP + 180))

declare -A FAILED=()
RECORDS=$TMP/records
: > "$RECORDS"

# --- the tracers ---

# the bpftrace program: a latency histogram per syscall, for the server's cgroup only
bpftrace_program() {
	cat <<EOF
tracepoint:raw_syscalls:sys_enter /cgroup == cgroupid("$1")/ { @start[tid] = nsecs; }
tracepoint:raw_syscalls:sys_exit /cgroup == cgroupid("$1") && @start[tid]/ {
	@usecs[args->id] = hist((nsecs - @start[tid]) / 1000);
	delete(@start[tid]);
}
EOF
}

# whether tracer $1 (its output in $TMP/tracer.out) is ready to measure
tracer_ready() {
	case $1 in
	# (the page read whole first: grep -q would close the pipe under curl, a failure with pipefail)
	agent | agent-s16) grep -q '^syscall_prof_snapshots_total [1-9]' <<< "$(curl -sf "http://127.0.0.1:$TRACER_PORT/metrics" 2> /dev/null)" ;;
	# (the loader writes its header frame once attached)
	floor | live) [ -s "$TMP/tracer.out" ] ;;
	syscount) grep -q Tracing "$TMP/tracer.out" ;;
	bpftrace) grep -q Attaching "$TMP/tracer.out" ;;
	esac
}

# the ids of the BPF programs the tracer's processes hold
tracer_progs() {
	local p
	for p in $(cgroup_pids tracer); do
		grep -h '^prog_id:' /proc/"$p"/fdinfo/* 2> /dev/null || true
	done | awk '{ print $2 }' | sort -un | tr '\n' ' '
}

# the kernel's run time (ns) and run count of the programs in TRACER_PROGS, summed
# ("0 0" without statistics)
bpf_stats() {
	bpftool prog show 2> /dev/null | awk -v ids=" $TRACER_PROGS" '
		/^[0-9]+:/ { keep = index(ids, " " substr($1, 1, length($1) - 1) " ") > 0 }
		keep { for (i = 1; i < NF; i++) { if ($i == "run_time_ns") t += $(i + 1); if ($i == "run_cnt") n += $(i + 1) } }
		END { printf "%.0f %.0f\n", t, n }'
}

# starts tracer $1 on cgroup $2 in cgroup "tracer", waits until it is ready, warms up;
# fails with the reason in WHY
start_tracer() {
	local t=$1 cg=$2 i sample=()
	[ "$t" != agent-s16 ] || sample=(--sample 16)
	: > "$TMP/tracer.out"
	TRACER_PORT=$(free_port)
	bpftrace_program "$cg" > "$TMP/hist.bt"
	# (the case runs in the background as a whole: nothing set inside it is seen here)
	case $t in
	floor) in_cgroup tracer "$TRACER_LIFE" INT "$LOADER" --empty ;;
	agent | agent-s16)
		in_cgroup tracer "$TRACER_LIFE" INT "${CLI[@]}" agent --cgroup "$cg" --prometheus "127.0.0.1:$TRACER_PORT" "${sample[@]}" ;;
	live) in_cgroup tracer "$TRACER_LIFE" INT "${CLI[@]}" live --batch --cgroup "$cg" ;;
	syscount) in_cgroup tracer "$TRACER_LIFE" INT stdbuf -oL "$SYSCOUNT" -L -c "$cg" ;;
	bpftrace) in_cgroup tracer "$TRACER_LIFE" INT bpftrace "$TMP/hist.bt" ;;
	esac > "$TMP/tracer.out" 2> "$TMP/tracer.err" &
	TRACER_JOB=$!
	for ((i = 0; i < 600; i++)); do
		tracer_ready "$t" && break
		kill -0 "$TRACER_JOB" 2> /dev/null || break
		sleep 0.1
	done
	if ! tracer_ready "$t"; then
		if kill -0 "$TRACER_JOB" 2> /dev/null; then WHY="not ready after 60 s"; else WHY="exited"; fi
		WHY="$WHY: $(grep -v -i 'RLIMIT_MEMLOCK\|^\s*$' "$TMP/tracer.err" | tail -1 | cut -c1-200)"
		stop_tracer
		return 1
	fi
	TRACER_PROGS=$(tracer_progs)
	sleep "$WARMUP"
}

# stops the tracer: SIGINT to its top process (the one whose parent, timeout,
# is outside the cgroup; node passes it on to the loader), then whatever is
# left after 15 s is killed
stop_tracer() {
	local p i pids
	pids=" $(cgroup_pids tracer | tr '\n' ' ') "
	for p in $pids; do
		[[ $pids == *" $(awk '/^PPid:/ { print $2 }' /proc/"$p"/status 2> /dev/null) "* ]] ||
			kill -INT "$p" 2> /dev/null || true
	done
	for ((i = 0; i < 150; i++)); do [ -n "$(cgroup_pids tracer)" ] || break; sleep 0.1; done
	kill_cgroup tracer
	wait "$TRACER_JOB" 2> /dev/null || true
}

# --- the loads (the clients run outside the server's cgroup) ---

# prints "NAME value" per figure of one run of the load on service $1
load() {
	case $1 in
	postgres)
		"$PG_BIN/pgbench" -U postgres -h 127.0.0.1 -p "$PG_PORT" -c 4 -j 2 -T "$SECS" postgres > "$TMP/load.out" 2>&1 ||
			{ tail -3 "$TMP/load.out" >&2; return 1; }
		awk '/^tps = / { print "TPS", $3; exit }' "$TMP/load.out" ;;
	redis)
		redis-benchmark -h 127.0.0.1 -p "$REDIS_PORT" -c 50 -P 1 -r 100000 -n "$REDIS_N" -t set,get --csv > "$TMP/load.out" 2>&1 ||
			{ tail -3 "$TMP/load.out" >&2; return 1; }
		awk -F'"' '$2 == "SET" || $2 == "GET" { printf "%s %s ", $2, $4 } END { print "" }' "$TMP/load.out" ;;
	esac
}

# one run: service $1, tracer $2 (baseline: none), pair $3, kind baseline/traced/cost; appends a record:
# service tracer pair kind wall_us service_cpu_us tracer_cpu_us bpf_ns bpf_runs NAME value [NAME value]
one_run() {
	local svc=$1 t=$2 pair=$3 kind=$4 w0 w1 s0 s1 r0=0 r1=0 b0=0 b1=0 n0=0 n1=0 figures
	if [ "$kind" != baseline ]; then
		[ "$kind" != cost ] || stats on
		# a tracer that does not start twice in a row is left out from then on
		if ! start_tracer "$t" "$(bench_cgroup "$svc")"; then
			echo "  $svc $t: did not start ($WHY), once more" >&2
			if ! start_tracer "$t" "$(bench_cgroup "$svc")"; then
				stats off
				FAILED[$t]="did not start twice, left out ($svc, pair $pair): $WHY"
				echo "  $svc $t: ${FAILED[$t]}" >&2
				return 0
			fi
		fi
		r0=$(cgroup_usec tracer)
		read -r b0 n0 < <(bpf_stats)
	fi
	s0=$(cgroup_usec "$svc")
	w0=$(date +%s%N)
	figures=$(load "$svc") || die "the $svc load failed (run $svc $t $pair $kind)"
	w1=$(date +%s%N)
	s1=$(cgroup_usec "$svc")
	if [ "$kind" != baseline ]; then
		r1=$(cgroup_usec tracer)
		read -r b1 n1 < <(bpf_stats)
		stop_tracer
		stats off
	fi
	echo "$svc $t $pair $kind $(((w1 - w0) / 1000)) $((s1 - s0)) $((r1 - r0)) $((b1 - b0)) $((n1 - n0)) $figures" >> "$RECORDS"
	printf '  %4d s  %-8s %-8s pair %d %-8s %s\n' $(($(date +%s) - START)) "$svc" "$t" "$pair" "$kind" "$figures" >&2
}

# --- the servers ---

prepare() {
	mkdir -p "$TMP/$1"
	case $1 in
	postgres)
		start_postgres "$TMP/postgres" "$SVC_LIFE" || die "PostgreSQL did not start"
		"$PG_BIN/pgbench" -U postgres -h 127.0.0.1 -p "$PG_PORT" -i -s "$SCALE" -q postgres > "$TMP/init.out" 2>&1 ||
			{ cat "$TMP/init.out" >&2; die "pgbench -i failed"; }
		# warm the caches (not measured)
		"$PG_BIN/pgbench" -U postgres -h 127.0.0.1 -p "$PG_PORT" -c 4 -j 2 -T 5 postgres > /dev/null 2>&1 ;;
	redis)
		start_redis "$TMP/redis" "$SVC_LIFE" || die "Redis did not start"
		# requests per test for SECS/2 seconds each at the untraced rate (this run also warms up)
		REDIS_N=100000
		local rps
		rps=$(load redis | awk '{ print ($2 + $4) / 2 }')
		REDIS_N=$(awk -v r="$rps" -v s="$SECS" 'BEGIN { n = r * s / 2; print (n < 10000 ? 10000 : int(n)) }') ;;
	esac
}

finish() {
	case $1 in
	postgres) stop_postgres "$TMP/postgres" ;;
	redis) stop_redis ;;
	esac
}

read -r -a TR <<< "$TRACERS"
SYSCOUNT_DESC="libbpf-tools syscount -L ($SYSCOUNT, libbpf-tools $(dpkg-query -W -f='${Version}' libbpf-tools 2> /dev/null || echo '?'))"
[ -x "$SYSCOUNT" ] || FAILED[syscount]="not installed ($SYSCOUNT; Debian 12: apt install libbpf-tools)"
echo "bench-services: $SERVICES; tracers $TRACERS; $PAIRS pairs of ${SECS} s runs (warm-up ${WARMUP} s), $(nproc) CPUs, $(uname -r)" >&2
for svc in $SERVICES; do
	echo "$svc: preparing" >&2
	prepare "$svc"
	for ((p = 1; p <= PAIRS; p++)); do
		for ((k = 0; k < ${#TR[@]}; k++)); do
			# the tracers in an order rotated from pair to pair; AB or BA alternating per tracer
			j=$(((k + p) % ${#TR[@]}))
			t=${TR[$j]}
			[ -z "${FAILED[$t]:-}" ] || continue
			if (((p + j) % 2)); then
				one_run "$svc" "$t" "$p" traced
				if [ -z "${FAILED[$t]:-}" ]; then one_run "$svc" "$t" "$p" baseline; fi
			else
				one_run "$svc" "$t" "$p" baseline
				one_run "$svc" "$t" "$p" traced
			fi
		done
	done
	for t in "${TR[@]}"; do
		if [ -z "${FAILED[$t]:-}" ]; then one_run "$svc" "$t" 0 cost; fi
	done
	finish "$svc"
done

for t in "${!FAILED[@]}"; do echo "failed $t ${FAILED[$t]}"; done >> "$RECORDS"
DATE=$(date -u +%Y-%m-%d)
# the command that repeats this run (the settings given, besides pairs and seconds)
SETTINGS="BENCH_PAIRS=$PAIRS BENCH_SECONDS=$SECS"
for v in BENCH_WARMUP BENCH_PG_SCALE BENCH_SERVICES BENCH_TRACERS; do
	[ -z "${!v:-}" ] || SETTINGS+=" $v=\"${!v}\""
done
mkdir -p "$RESULTS"
OUTFILE=$RESULTS/services-$(date -u +%Y%m%d-%H%M).md
{
	echo "## Real services, $DATE"
	echo
	echo "Machine: $(nproc) CPUs ($(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)), Linux $(uname -r)," \
		"load average at the start $LOADAVG. PostgreSQL $("$PG_BIN/postgres" -V | awk '{ print $3 }')," \
		"Redis $(redis-server -v | sed -n 's/.*v=\([^ ]*\).*/\1/p'), bpftrace $(bpftrace --version | awk '{ print $2 }')," \
		"$SYSCOUNT_DESC. Command: \`$SETTINGS sudo make bench-services\`" \
		"(took $(( ($(date +%s) - START + 30) / 60 )) min)."
	if [ "$STATS_WAS" != 0 ]; then
		echo
		echo "kernel.bpf_stats_enabled was already on (=$STATS_WAS) before this run: every BPF program" \
			"paid for its run-time statistics in the pairs too (two clock reads per program run)."
	fi
	echo
	node bench/services-report.mjs "$RECORDS" "$SCALE"
} > "$TMP/report.md"
# written whole, then renamed into place
cp "$TMP/report.md" "$OUTFILE.tmp" && mv "$OUTFILE.tmp" "$OUTFILE"
cat "$OUTFILE"
echo "bench-services: written to $OUTFILE" >&2
