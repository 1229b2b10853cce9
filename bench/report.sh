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
tmp=$(mktemp -d "${TMPDIR:-/tmp}/refctl-bench.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
export HOME="$tmp/home" GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL="$tmp/home/.gitconfig"
export REFCTL_TODAY=2026-11-15 TZ=UTC LC_ALL=C
mkdir -p "$HOME"
git config --global user.name bench && git config --global user.email bench@example.com

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }

# measure LABEL CMD...: median wall seconds and peak RSS (KiB) over $runs runs
measure() {
	local label=$1
	shift
	: >"$tmp/t"
	for _ in $(seq "$runs"); do
		/usr/bin/time -f '%e %M' -a -o "$tmp/t" "$@" >/dev/null 2>&1 || true
	done
	wall=$(cut -d' ' -f1 "$tmp/t" | median)
	rss=$(cut -d' ' -f2 "$tmp/t" | median)
	printf '%-32s %8.3f s %10d KiB\n' "$label" "$wall" "$rss"
}

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
