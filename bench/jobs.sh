#!/bin/bash
# Benchmark: reading on worker threads (REFCTL_JOBS). For match, list,
# check and report over N generated advocates, each run cold (no
# .git/refctl-cache, as after a fresh clone; the run writes it) and without
# the cache (REFCTL_NO_CACHE=1), on one thread (REFCTL_JOBS=1) and on the
# default number (one per online CPU, at most 8), beside the bare libyaml
# parse of the same files on one thread (bench/yaml-parse-baseline), in
# alternating runs. Prints medians of wall and CPU (user + system) time.
#
# Usage: bench/jobs.sh [N]   (default 100000)
# Needs a Release build in build-rel/ (or BIN=dir):
#   cmake -S . -B build-rel -DCMAKE_BUILD_TYPE=Release -DREFCTL_TESTS=OFF && cmake --build build-rel
# RUNS=n (default 3). REPO=dir reuses a repository of generated, committed
# advocates (refctl init, refctl-gen N, git add, git commit) instead of
# making one; it is left as it was found but for its cache.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=$(cd "${BIN:-build-rel}" && pwd)
runs=${RUNS:-3}
n=${1:-100000}
. bench/lib.sh

roster_repo "$bin" "$n"

# one LABEL CMD...: append "wall cpu peak-KiB" of one run to $tmp/t-LABEL
one() {
	local label=$1
	shift
	/usr/bin/time -f '%e %U %S %M' -a -o "$tmp/t-$label.raw" "$@" >/dev/null 2>&1 || true
	tail -n 1 "$tmp/t-$label.raw" | awk '{print $1, $2 + $3, $4}' >>"$tmp/t-$label"
}
col() { cut -d' ' -f"$2" "$tmp/t-$1" | median; }

cmds=("match --industry manufacturing --region emea --product analytics --use-case supply-chain-visibility"
	"list --format tsv" "check" "report --format json")
names=(match list check report)
modes=(cold1 coldN none1 noneN)

echo "== $n advocates ($(du -sh "$repo/advocates" | cut -f1)), median of $runs alternating runs," \
	"default REFCTL_JOBS: $(getconf _NPROCESSORS_ONLN) online CPUs"
: >"$tmp/t-base"
for k in "${!cmds[@]}"; do for m in "${modes[@]}"; do : >"$tmp/t-${names[$k]}-$m"; done; done
"$bin/yaml-parse-baseline" "$repo" >/dev/null
for _ in $(seq "$runs"); do
	one base "$bin/yaml-parse-baseline" "$repo"
	for k in "${!cmds[@]}"; do
		# shellcheck disable=SC2086
		set -- ${cmds[$k]}
		rm -f "$repo/.git/refctl-cache"
		one "${names[$k]}-cold1" env REFCTL_JOBS=1 "$bin/refctl" -C "$repo" "$@"
		rm -f "$repo/.git/refctl-cache"
		one "${names[$k]}-coldN" env -u REFCTL_JOBS "$bin/refctl" -C "$repo" "$@"
		one "${names[$k]}-none1" env REFCTL_JOBS=1 REFCTL_NO_CACHE=1 "$bin/refctl" -C "$repo" "$@"
		one "${names[$k]}-noneN" env -u REFCTL_JOBS REFCTL_NO_CACHE=1 "$bin/refctl" -C "$repo" "$@"
	done
	one base "$bin/yaml-parse-baseline" "$repo"
done
rm -f "$repo/.git/refctl-cache"
base=$(col base 1) basecpu=$(col base 2)
printf 'bare parse: %.2f s wall, %.2f s cpu, %s KiB\n' "$base" "$(col base 2)" "$(col base 3)"
printf '%-8s %-28s %9s %7s %9s %7s %9s\n' "" "" "wall" "ratio" "cpu" "ratio" "peak KiB"
echo "(each ratio against the bare parse's: wall to wall, cpu to cpu)"
for k in "${!cmds[@]}"; do
	for m in "${modes[@]}"; do
		case $m in
		cold1) what="cold, REFCTL_JOBS=1" ;;
		coldN) what="cold, default jobs" ;;
		none1) what="no cache, REFCTL_JOBS=1" ;;
		noneN) what="no cache, default jobs" ;;
		esac
		awk -v l="${names[$k]}" -v m="$what" -v b="$base" -v bc="$basecpu" -v w="$(col "${names[$k]}-$m" 1)" \
			-v c="$(col "${names[$k]}-$m" 2)" -v r="$(col "${names[$k]}-$m" 3)" \
			'BEGIN {printf "%-8s %-28s %7.2f s %6.2fx %7.2f s %6.2fx %9d\n", l, m, w, w / b, c, c / bc, r}'
	done
done
