#!/bin/bash
# Benchmark: `refctl report` over N generated advocates, beside the bare
# libyaml parse of the same files (bench/yaml-parse-baseline).
# Usage: bench/report.sh [N...]   (default 10000 100000); needs a Release build in build-rel/
#   cmake -S . -B build-rel -DCMAKE_BUILD_TYPE=Release -DREFCTL_TESTS=OFF && cmake --build build-rel
# RUNS=N sets the number of runs (median; default 3). COMMIT=1 also commits the
# generated files with a commit date inside the reported month, so the report
# diffs that commit for its roster changes (N additions).
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${BIN:-build-rel}
runs=${RUNS:-3}
[ $# -gt 0 ] || set -- 10000 100000
. bench/lib.sh

ratios() { # LABEL
	awk -v a="$wall" -v b="$base_wall" -v m="$rss" -v n="$base_rss" -v l="$1" \
		'BEGIN {printf "  %s / baseline: time %.2f, memory %.2f\n", l, a / b, m / n}'
}

for n in "$@"; do
	repo="$tmp/repo-$n"
	"$bin/refctl" init "$repo" >/dev/null
	"$bin/refctl-gen" "$n" "$repo" >/dev/null
	if [ "${COMMIT:-0}" = 1 ]; then
		git -C "$repo" add advocates
		GIT_AUTHOR_DATE=2026-10-15T12:00:00Z GIT_COMMITTER_DATE=2026-10-15T12:00:00Z \
			git -C "$repo" commit -qm "generated advocates"
	fi
	echo "== $n advocates ($(du -sh "$repo/advocates" | cut -f1)), October 2026, median of $runs runs"
	measure "yaml-parse-baseline" "$bin/yaml-parse-baseline" "$repo"
	base_wall=$wall base_rss=$rss
	measure "refctl report (text)" "$bin/refctl" -C "$repo" report
	ratios "text"
	measure "refctl report --format json" "$bin/refctl" -C "$repo" report --format json
	ratios "json"
	measure "refctl report --format html" "$bin/refctl" -C "$repo" report --format html
	ratios "html"
done
