#!/bin/bash
# bench.sh - the benchmark suite behind `make bench` (run by hand, never
# by CTest): whole runs of tests/bench/storm.lua and flood.lua, a sweep's
# runs per second, and the scheduler's hold model. Each row gives wall
# time, peak resident memory (getrusage through /usr/bin/time), scheduler
# events per second (of wall time), bytes per connection (peak memory /
# connections) and the size of summary.json; under it, the command that
# reproduces it.  CPU time (user + system) is printed beside the wall
# time: on a loaded machine it is the steadier of the two.
#
# Usage: tests/bench/bench.sh [BUILD_DIR]
#   STORM="1000 10000"  the storm sizes (default 1e3 1e4 1e5 1e6)
#   FLOOD=100000        SYNs of the flood runs (default 1e6; 0 skips)
#   LOSS=0.01           the storm's loss (default 1 %)
#
# The machine may be shared: the load average is printed first, and the
# big points run one at a time.
set -u
build=${1:-build}
bin=$build/synsim
storm_sizes=${STORM:-"1000 10000 100000 1000000"}
flood_syns=${FLOOD:-1000000}
loss=${LOSS:-0.01}
tmp=$(mktemp -d /tmp/synsim-bench.XXXXXX)
trap 'rm -rf "$tmp"' EXIT

if [ ! -x "$bin" ]; then
	echo "bench: $bin not found (make build first)" >&2
	exit 2
fi
if [ ! -x /usr/bin/time ]; then
	echo "bench: /usr/bin/time is missing: apt-get install time" >&2
	exit 2
fi

echo "synsim benchmarks, $(nproc) cores, load average:$(uptime | sed 's/.*load average://')"
printf '%-28s %8s %8s %9s %12s %8s %10s\n' "run" "wall s" "cpu s" "peak MiB" "events/s" "B/conn" "summary B"

# run NAME CONNS ARGS...: one whole run, a row and its command.
run() {
	local name=$1 conns=$2
	shift 2
	local out=$tmp/out
	rm -rf "$out"
	if ! /usr/bin/time -f '%e %U %S %M' -o "$tmp/time" \
		"$bin" run "$@" --quiet --out "$out" >"$tmp/log" 2>&1; then
		echo "$name: the run failed:" >&2
		cat "$tmp/log" >&2
		return 1
	fi
	local wall user sys kb events size
	read -r wall user sys kb <"$tmp/time"
	events=$(sed -n 's/^  "events": \([0-9]*\),$/\1/p' "$out/summary.json")
	size=$(stat -c %s "$out/summary.json")
	awk -v n="$name" -v w="$wall" -v u="$user" -v y="$sys" -v kb="$kb" \
	    -v e="$events" -v c="$conns" -v s="$size" 'BEGIN {
		eps = (w > 0) ? sprintf("%.0f", e / w) : "-"
		bpc = (c > 0) ? sprintf("%d", kb * 1024 / c) : "-"
		printf "%-28s %8.2f %8.2f %9.1f %12s %8s %10d\n", n, w, u + y, kb / 1024, eps, bpc, s
	}'
	echo "    $bin run $* --quiet --out DIR"
}

for k in $storm_sizes; do
	run "storm K=$k loss=$loss" "$k" tests/bench/storm.lua \
		-D conns="$k" -D loss="$loss" -D count=false --outputs summary
done

if [ "$flood_syns" -gt 0 ]; then
	for c in 0 1; do
		run "flood $flood_syns SYNs cookies=$c" "$flood_syns" \
			tests/bench/flood.lua -D syns="$flood_syns" -D cookies="$c" \
			--outputs summary
	done
fi

# ---- SWEEP -----------------------------------------------------------------
# Runs per second of a parameter sweep: 10,000 runs of the lost SYN-ACK
# (README, Parameter sweeps) on every core, each from a clean world in a
# worker process, no process started per run.
start=$(date +%s.%N)
if "$bin" sweep scenarios/lost-synack.lua --reps 10000 -j "$(nproc)" \
	--out "$tmp/sweep" >"$tmp/log" 2>&1; then
	end=$(date +%s.%N)
	awk -v a="$start" -v b="$end" 'BEGIN {
		printf "%-28s %8.2f %8s %9s   %.0f runs/s\n", "sweep 10000 runs", b - a, "-", "-", 10000 / (b - a) }'
else
	echo "sweep: failed:"; cat "$tmp/log"
fi
echo "    $bin sweep scenarios/lost-synack.lua --reps 10000 -j $(nproc) --out DIR"
# ---- end SWEEP -------------------------------------------------------------

echo
echo "scheduler hold model (pop the earliest event, schedule it again):"
"$build/bench_sched" | sed 's/^/  /'
echo "    $build/bench_sched"
