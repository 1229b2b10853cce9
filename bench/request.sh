#!/bin/bash
# Time one `refctl request new` on a repository of COUNT generated advocates
# (committed), beside `git add FILE && git commit` of the same change on the
# same repository. Prints the median wall time and peak memory of RUNS runs
# of each, and their ratio.
#
# usage: bench/request.sh [COUNT] [RUNS]     (defaults: 10000 and 9)
# REFCTL and REFCTL_GEN name the binaries (default: build/refctl, build/refctl-gen).
set -euo pipefail

count=${1:-10000}
runs=${2:-9}
src=$(cd "$(dirname "$0")/.." && pwd)
refctl=$(realpath "${REFCTL:-$src/build/refctl}")
gen=$(realpath "${REFCTL_GEN:-$src/build/refctl-gen}")
for bin in "$refctl" "$gen"; do
	[ -x "$bin" ] || { echo "bench: $bin is not built (cmake --build build)" >&2; exit 2; }
done

. "$src/bench/lib.sh"

repo=$tmp/repo
"$refctl" init "$repo" >/dev/null
"$gen" --seed 1 "$count" "$repo" >/dev/null
cd "$repo"
# no automatic gc starting in the background of a timed run; packed, as a
# repository that has lived a while is
git config gc.auto 0
git add advocates && git commit -qm "generated roster"
git gc -q
base=$(git rev-parse HEAD)
# the middle advocate; --force so the availability rules (still evaluated) never refuse
id=$(ls advocates | sed -n "$((count / 2 + 1))p" | sed 's/\.yaml$//')
file=advocates/$id.yaml
echo "repository: $count advocates, $(du -sh .git | cut -f1) in .git; request for $id"

# One timed run: "MILLISECONDS KILOBYTES". /usr/bin/time gives the peak
# memory; its own %e has 10 ms steps, so the wall time is taken around it.
timed() {
	local start end
	start=$(date +%s%N)
	/usr/bin/time -f '%M' -o "$tmp/time" "$@" >/dev/null
	end=$(date +%s%N)
	echo "$(((end - start) / 1000000)).$(((end - start) / 100000 % 10)) $(tail -n 1 "$tmp/time")"
}

# The same change for git: the file refctl writes.
"$refctl" request new "$id" --prospect Bench --activity reference-call --requester Bench --force -m bench \
	>/dev/null 2>&1
cp "$file" "$tmp/changed.yaml"
git reset -q --hard "$base"

: >"$tmp/refctl.times"
: >"$tmp/git.times"
for i in $(seq 1 "$runs"); do
	timed "$refctl" request new "$id" --prospect Bench --activity reference-call --requester Bench \
		--force -m bench >>"$tmp/refctl.times" 2>/dev/null
	[ "$(git rev-list --count "$base..HEAD")" = 1 ] || { echo "bench: refctl did not commit" >&2; exit 1; }
	git reset -q --hard "$base"

	cp "$tmp/changed.yaml" "$file"
	timed sh -c "git add '$file' && git commit -q -m 'refctl: request $id/1 for Bench (reference-call)'" \
		>>"$tmp/git.times"
	git reset -q --hard "$base"
done

# column FILE N: the median of column N of FILE
column() { cut -d' ' -f"$2" "$1" | median; }
rt=$(column "$tmp/refctl.times" 1)
rm_=$(column "$tmp/refctl.times" 2)
gt=$(column "$tmp/git.times" 1)
gm=$(column "$tmp/git.times" 2)
printf '%-32s %10s %12s\n' "median of $runs runs" "wall (ms)" "peak (KiB)"
printf '%-32s %10s %12s\n' "refctl request new" "$rt" "$rm_"
printf '%-32s %10s %12s\n' "git add FILE && git commit" "$gt" "$gm"
awk -v a="$rt" -v b="$gt" -v c="$rm_" -v d="$gm" \
	'BEGIN { printf "ratio refctl / git: time %.2f, memory %.2f\n", (b > 0 ? a / b : 0), (d > 0 ? c / d : 0) }'
