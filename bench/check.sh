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
tmp=$(mktemp -d "${TMPDIR:-/tmp}/refctl-bench.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
export HOME="$tmp/home" GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL="$tmp/home/.gitconfig"
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
	printf '%-28s %8.3f s %10d KiB\n' "$label" "$wall" "$rss"
}

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
