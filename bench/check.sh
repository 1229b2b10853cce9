#!/bin/bash
# Benchmark: `refctl check` over N generated advocates, beside the bare
# libyaml parse of the same files (bench/yaml-parse-baseline).
# Usage: bench/check.sh [N...]   (default 10000); needs a Release build in build-rel/
#   cmake -S . -B build-rel -DCMAKE_BUILD_TYPE=Release -DREFCTL_TESTS=OFF && cmake --build build-rel
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${BIN:-build-rel}
runs=${RUNS:-5}
[ $# -gt 0 ] || set -- 10000
. bench/lib.sh

for n in "$@"; do
	repo="$tmp/repo-$n"
	"$bin/refctl" init "$repo" >/dev/null
	"$bin/refctl-gen" "$n" "$repo" >/dev/null
	echo "== $n advocates ($(du -sh "$repo/advocates" | cut -f1)), median of $runs runs"
	measure "yaml-parse-baseline" "$bin/yaml-parse-baseline" "$repo"
	base=$wall
	measure "refctl check" "$bin/refctl" -C "$repo" check
	awk -v a="$wall" -v b="$base" 'BEGIN {printf "ratio check / baseline: %.2f\n", a / b}'
done
