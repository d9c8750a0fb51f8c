# Sourced by the dd benchmarks (sample.sh, stacks.sh): dd's CPU time, bare or
# under the loader. Needs N, REPS, LOADER, TMP and die() from the script.

# CPU ns (user + system) of dd, the median of REPS runs. The BPF programs run
# in dd's context, so this is what tracing adds; unlike wall time it leaves out
# the time dd waits for a CPU, which on a shared VM is most of the noise.
one_dd() {
	local times=() i t
	for ((i = 0; i < REPS; i++)); do
		t=$( { TIMEFORMAT='%3U %3S'; time dd if=/dev/zero of=/dev/null bs=512 count="$N" status=none; } 2>&1 )
		times+=($(awk -v t="$t" 'BEGIN { split(t, a, " "); printf "%.0f", (a[1] + a[2]) * 1e9 }'))
	done
	printf '%s\n' "${times[@]}" | sort -n | sed -n "$(((REPS + 1) / 2))p"
}

# one dd under the loader started with "$@" (ready once its header frame is out)
under() {
	local out=$TMP/out pid ns i
	: > "$out"
	"$LOADER" "$@" > "$out" 2> "$TMP/err" &
	pid=$!
	for ((i = 0; i < 200; i++)); do
		[ -s "$out" ] && break
		sleep 0.1
	done
	[ -s "$out" ] || { kill -KILL "$pid" 2>/dev/null; die "loader $* did not start: $(head -c 300 "$TMP/err")"; }
	ns=$(one_dd)
	kill -INT "$pid"
	wait "$pid" || die "loader $* failed: $(head -c 300 "$TMP/err")"
	echo "$ns"
}

# ROUNDS rounds of every configuration in CONFIGS (measured by the script's
# measure()), the order rotated from round to round so a drift of the VM's
# speed favours none; one line per round in $TMP/rounds, values in CONFIGS order.
run_rounds() {
	local r k c line
	: > "$TMP/rounds"
	for ((r = 0; r < ROUNDS; r++)); do
		declare -A T=()
		for ((k = 0; k < ${#CONFIGS[@]}; k++)); do
			c=${CONFIGS[$(((k + r) % ${#CONFIGS[@]}))]}
			T[$c]=$(measure "$c")
		done
		line=
		for c in "${CONFIGS[@]}"; do line+="${line:+ }${T[$c]}"; done
		echo "$line" >> "$TMP/rounds"
		unset T
	done
}
