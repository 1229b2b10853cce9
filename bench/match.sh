#!/bin/bash
# Benchmark: `refctl match` with 4 criteria over N generated advocates (each
# with up to 12 requests), beside the bare libyaml parse of the same files
# (bench/yaml-parse-baseline). Prints the median wall time, CPU time (user +
# system) and peak RSS of each, and their ratios.
#
# Usage: bench/match.sh [N...]   (default: 10000 100000)
# Needs a Release build in build-rel/ (or BIN=dir):
#   cmake -S . -B build-rel -DCMAKE_BUILD_TYPE=Release -DREFCTL_TESTS=OFF && cmake --build build-rel
# RUNS=n runs of each (default 5). The runs alternate (baseline, match,
# baseline, ...) after one untimed warm-up of each, so both see the same
# page cache and the same load from whatever else the machine is doing.
# COMPARE=dir also times dir/refctl (another build, say before a change)
# on the same files, in the same rotation.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${BIN:-build-rel}
runs=${RUNS:-5}
[ $# -gt 0 ] || set -- 10000 100000
. bench/lib.sh

criteria=(--industry manufacturing --region emea --product analytics --use-case supply-chain-visibility)

# column FILE N: the median of column N of FILE
column() { cut -d' ' -f"$2" "$1" | median; }

for n in "$@"; do
	repo="$tmp/repo-$n"
	"$bin/refctl" init "$repo" >/dev/null
	"$bin/refctl-gen" --today "$REFCTL_TODAY" "$n" "$repo" >/dev/null
	base=("$bin/yaml-parse-baseline" "$repo")
	match=("$bin/refctl" -C "$repo" match "${criteria[@]}")
	other=("${COMPARE:-$bin}/refctl" -C "$repo" match "${criteria[@]}")
	"${base[@]}" >/dev/null
	"${match[@]}" >/dev/null
	: >"$tmp/base" && : >"$tmp/match" && : >"$tmp/other"
	for _ in $(seq "$runs"); do
		/usr/bin/time -f '%e %U %S %M' -a -o "$tmp/base" "${base[@]}" >/dev/null
		/usr/bin/time -f '%e %U %S %M' -a -o "$tmp/match" "${match[@]}" >/dev/null
		if [ -n "${COMPARE:-}" ]; then
			/usr/bin/time -f '%e %U %S %M' -a -o "$tmp/other" "${other[@]}" >/dev/null
		fi
	done
	for f in base match other; do
		[ -s "$tmp/$f" ] || continue
		awk '{printf "%s %.2f %s\n", $1, $2 + $3, $4}' "$tmp/$f" >"$tmp/$f.sum"
	done
	echo "== $n advocates ($(du -sh "$repo/advocates" | cut -f1)), median of $runs runs"
	printf '%-26s %9s %9s %12s\n' "" "wall" "cpu" "peak RSS"
	printf '%-26s %7.2f s %7.2f s %8d KiB\n' "yaml-parse-baseline" \
		"$(column "$tmp/base.sum" 1)" "$(column "$tmp/base.sum" 2)" "$(column "$tmp/base.sum" 3)"
	printf '%-26s %7.2f s %7.2f s %8d KiB\n' "refctl match (4 criteria)" \
		"$(column "$tmp/match.sum" 1)" "$(column "$tmp/match.sum" 2)" "$(column "$tmp/match.sum" 3)"
	if [ -n "${COMPARE:-}" ]; then
		printf '%-26s %7.2f s %7.2f s %8d KiB\n' "COMPARE=... refctl match" \
			"$(column "$tmp/other.sum" 1)" "$(column "$tmp/other.sum" 2)" "$(column "$tmp/other.sum" 3)"
	fi
	awk -v a="$(column "$tmp/match.sum" 1)" -v b="$(column "$tmp/base.sum" 1)" \
	    -v c="$(column "$tmp/match.sum" 2)" -v d="$(column "$tmp/base.sum" 2)" \
	    -v r="$(column "$tmp/match.sum" 3)" -v s="$(column "$tmp/base.sum" 3)" \
		'BEGIN {printf "%-26s %7.2f x %7.2f x %8.2f x\n", "ratio match / baseline", a / b, c / d, r / s}'
done
