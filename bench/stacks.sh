#!/usr/bin/env bash
# make bench (and bench/stacks.sh alone): what --stacks costs, paired in one run.
# 1. dd if=/dev/zero of=/dev/null bs=512 count=N (2N fast syscalls, none slow):
#    dd's CPU time bare, under the loader and under the loader with --stacks,
#    in rotated order for ROUNDS rounds; the added ns per syscall of each and
#    the ratio --stacks / without (1.00: within noise) are printed.
# 2. the loader's own CPU per stack taken, unwound and named: stack_paths_nofp
#    (fsyncs and writes, no frame pointers) under --stacks --stacks-min 1.
set -euo pipefail
cd "$(dirname "$0")/.."

N=${BENCH_COUNT:-1000000}
ROUNDS=${BENCH_ROUNDS:-6}
REPS=${BENCH_REPS:-3}
LOADER=.output/loader/syscall-prof-loader
WORKLOAD=.output/workloads/stack_paths_nofp
TMP=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$TMP"' EXIT

die() { echo "bench: $*" >&2; exit 1; }
[ "$(id -u)" = 0 ] || die "needs root (eBPF): sudo bench/stacks.sh"
[ -x "$LOADER" ] && [ -x "$WORKLOAD" ] || die "$LOADER or $WORKLOAD is not built: make build"

# one_dd, under, run_rounds
. bench/dd-lib.sh

measure() {
	case $1 in
	bare) one_dd ;;
	loader) under ;;
	stacks) under --stacks ;;
	esac
}

CONFIGS=(bare loader stacks)
echo "bench-stacks: dd bs=512 count=$N (2x$N syscalls), median of $REPS per configuration, $ROUNDS rounds in rotated order, $(nproc) CPUs, $(uname -r), $(date -u +%Y-%m-%dT%H:%MZ)"
run_rounds
awk -v c=$((2 * N)) '
function median(a, n,   i, j, t) {
	for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
	return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
}
{
	n++
	lo[n] = ($2 - $1) / c; st[n] = ($3 - $1) / c; r[n] = lo[n] > 0 ? st[n] / lo[n] : 0
	printf "round %d: bare %.0f ms CPU; added ns/call: loader %.1f, loader --stacks %.1f (ratio %.2f)\n", n, $1 / 1e6, lo[n], st[n], r[n]
}
END {
	ml = median(lo, n); ms = median(st, n); mr = median(r, n)
	printf "\nmedian added ns/call: loader %.1f, loader --stacks %.1f; --stacks / without: %.2f (per-round median)\n", ml, ms, mr
}' "$TMP/rounds"

# the loader's CPU for the stacks of slow calls: every call slow, the rate limit off
COMMITS=${BENCH_STACK_COMMITS:-300}
"$LOADER" --stacks --stacks-min 1 --stacks-rate 100000 -- "$WORKLOAD" "$COMMITS" 10 "$TMP" > "$TMP/stacks.spb" 2> "$TMP/err" &
pid=$!
ticks=0
while kill -0 "$pid" 2>/dev/null; do
	# utime + stime of the loader (fields 14 and 15), until it exits
	t=$(awk '{ print $14 + $15 }' "/proc/$pid/stat" 2>/dev/null || true)
	[ -n "$t" ] && ticks=$t
	sleep 0.05
done
wait "$pid" || die "loader --stacks failed: $(head -c 300 "$TMP/err")"
taken=$(node -e '
const { syscallprof } = await import(process.cwd() + "/src/core/wire/generated/syscall_prof.js");
const buf = (await import("node:fs")).readFileSync(process.argv[1]); let off = 0, h;
while (off < buf.length) { let len = 0, s = 0, b; do { b = buf[off++]; len += (b & 0x7f) * 2 ** s; s += 7; } while (b & 0x80);
  const f = syscallprof.Frame.decode(buf.subarray(off, off + len)); off += len; if (f.snapshot?.stackHealth) h = f.snapshot.stackHealth; }
console.log(Number(h.taken), Number(h.unwoundFull));' --input-type=module "$TMP/stacks.spb")
hz=$(getconf CLK_TCK)
awk -v t="$ticks" -v hz="$hz" -v k="$taken" 'BEGIN { split(k, a, " ");
	printf "loader CPU with --stacks on stack_paths_nofp: %.0f ms for %d stacks (%d unwound fully): %.0f us per stack\n",
		t * 1000 / hz, a[1], a[2], a[1] ? t * 1e6 / hz / a[1] : 0 }'

# 3. PostgreSQL under pgbench (when installed): throughput under the loader
#    (following the postmaster's backends) without and with --stacks, paired
#    rounds in rotated order, and the loader's CPU per second with --stacks
PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
if [ -z "$PGBIN" ] || ! command -v pgbench >/dev/null; then
	echo "pgbench: PostgreSQL is not installed (make deps-corpus): skipped"
	exit 0
fi
PG_ROUNDS=${BENCH_PG_ROUNDS:-3}
PG_SECONDS=${BENCH_PG_SECONDS:-8}
PGDIR=$TMP/pg
PORT=${BENCH_PG_PORT:-5497}
mkdir -p "$PGDIR" && chown postgres "$TMP" "$PGDIR"
pg() { runuser -u postgres -- "$@"; }
pg "$PGBIN/initdb" -D "$PGDIR/data" -A trust > "$TMP/initdb.log" 2>&1 || die "initdb failed: $(tail -3 "$TMP/initdb.log")"
pg "$PGBIN/pg_ctl" -D "$PGDIR/data" -l "$PGDIR/log" -w -o "-k $PGDIR -p $PORT -c listen_addresses=''" start > /dev/null ||
	die "postgres did not start: $(tail -3 "$PGDIR/log")"
trap 'pg "$PGBIN/pg_ctl" -D "$PGDIR/data" -m fast stop >/dev/null 2>&1; kill $(jobs -p) 2>/dev/null || true; rm -rf "$TMP"' EXIT
pg pgbench -h "$PGDIR" -p "$PORT" -i -s 5 postgres > /dev/null 2>&1 || die "pgbench -i failed"
POSTMASTER=$(head -1 "$PGDIR/data/postmaster.pid")

# tps of one pgbench run
one_pgbench() {
	pg pgbench -h "$PGDIR" -p "$PORT" -c 4 -j 2 -T "$PG_SECONDS" postgres 2>/dev/null |
		awk '/^tps/ { print $3; exit }'
}

: > "$TMP/pg_rounds"
# one pgbench run under the loader following the postmaster with "$@": tps, loader CPU ticks, stacks
pg_under() {
	local pid t0 t1 tps
	"$LOADER" --pid "$POSTMASTER" --follow "$@" > "$TMP/pg.spb" 2> "$TMP/err" &
	pid=$!
	for ((i = 0; i < 200; i++)); do [ -s "$TMP/pg.spb" ] && break; sleep 0.1; done
	t0=$(awk '{ print $14 + $15 }' "/proc/$pid/stat")
	tps=$(one_pgbench)
	t1=$(awk '{ print $14 + $15 }' "/proc/$pid/stat")
	kill -INT "$pid"
	wait "$pid" || die "loader $* failed: $(head -c 300 "$TMP/err")"
	echo "$tps $((t1 - t0)) $(node -e '
const { syscallprof } = await import(process.cwd() + "/src/core/wire/generated/syscall_prof.js");
const buf = (await import("node:fs")).readFileSync(process.argv[1]); let off = 0, h = {};
while (off < buf.length) { let len = 0, s = 0, b; do { b = buf[off++]; len += (b & 0x7f) * 2 ** s; s += 7; } while (b & 0x80);
  const f = syscallprof.Frame.decode(buf.subarray(off, off + len)); off += len; if (f.snapshot?.stackHealth) h = f.snapshot.stackHealth; }
console.log(Number(h.taken ?? 0), Number(h.unwoundFull ?? 0), Number(h.slowCalls ?? 0));' --input-type=module "$TMP/pg.spb")"
}
for ((r = 0; r < PG_ROUNDS; r++)); do
	for k in 0 1; do
		if [ $(((k + r) % 2)) = 0 ]; then
			echo "plain $(pg_under)" >> "$TMP/pg_rounds"
		else
			echo "stacks $(pg_under --stacks)" >> "$TMP/pg_rounds"
		fi
	done
done
awk -v s="$PG_SECONDS" -v hz="$(getconf CLK_TCK)" '
$1 == "plain" { nb++; b[nb] = $2 }
$1 == "stacks" { ns++; t[ns] = $2; cpu += $3; taken += $4; full += $5; slow += $6 }
END {
	for (i = 1; i <= nb; i++) { sb += b[i]; st += t[i]; printf "pgbench round %d: %.0f tps under the loader, %.0f with --stacks (%.3f)\n", i, b[i], t[i], t[i] / b[i] }
	printf "pgbench -c 4 -T %d (scale 5): mean %.0f tps under the loader, %.0f with --stacks (ratio %.3f); loader CPU for --stacks runs %.1f ms/s, %.0f stacks/s (%d of %d slow calls taken, %d unwound fully)\n",
		s, sb / nb, st / ns, (st / ns) / (sb / nb), cpu * 1000 / hz / (ns * s), taken / (ns * s), taken, slow, full
}' "$TMP/pg_rounds"
