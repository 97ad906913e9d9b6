#!/bin/sh
# sweep_10k.sh - the sweep benchmark of the README: 10,000 runs of
# scenarios/lost-synack.lua on every core, three times, wall time each.
# Run by hand from the top folder after `make build`:
#   sh tests/bench/sweep_10k.sh [JOBS]
# For comparison, the same runs one process each would take about
# 10,000 times what one `synsim run ... --outputs summary` takes.
set -e
bin=${SYNSIM:-./build/synsim}
jobs=${1:-$(nproc)}
out=$(mktemp -d)
for i in 1 2 3; do
	rm -rf "$out/s"
	/usr/bin/time -f "%e s wall, %U s user, %S s sys, %M KB peak (parent)" \
		"$bin" sweep scenarios/lost-synack.lua --reps 10000 -j "$jobs" \
		--out "$out/s" >/dev/null
done
rm -rf "$out"
