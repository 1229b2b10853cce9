#!/bin/bash
# Benchmark: `refctl import` of N rows (default 10000) into an empty
# repository, and into an N-advocate repository with 10% of the rows
# changed, beside `refctl check` of that repository. Time and peak memory
# come from /usr/bin/time -v; each figure is the median of RUNS runs (default
# 5) taken in turn (empty, changed, check, ...), so drift hits them alike.
# Also: the same imports with --dry-run (everything but the writing) and a
# re-import that changes nothing.
# Usage: bench/import.sh [N]; needs a Release build in build-rel/
#   cmake -S . -B build-rel -DCMAKE_BUILD_TYPE=Release -DREFCTL_TESTS=OFF && cmake --build build-rel
set -euo pipefail
cd "$(dirname "$0")/.."
bin=$(cd "${BIN:-build-rel}" && pwd)
runs=${RUNS:-5}
n=${1:-10000}
. bench/lib.sh

# The data: N generated advocates, committed; the CSV is their export (every
# field, the key is id). The changed CSV is the export of a copy in which
# every tenth advocate has another status.
repo="$tmp/repo"
"$bin/refctl" init "$repo" >/dev/null
"$bin/refctl-gen" "$n" "$repo" >/dev/null
# packed, as a repository that has lived is (and no gc --auto running behind us)
git -C "$repo" add -A && git -C "$repo" -c gc.auto=0 commit -qm "$n generated advocates" && git -C "$repo" gc -q
base=$(git -C "$repo" rev-parse HEAD)
"$bin/refctl" -C "$repo" export >"$tmp/all.csv"
cp -r "$repo" "$tmp/copy"
ls "$tmp/copy/advocates" | awk 'NR % 10 == 1' | while read -r f; do
	sed -i 's/^status: active$/status: PAUSED/; s/^status: \(nominated\|paused\|retired\)$/status: active/; s/^status: PAUSED$/status: paused/' \
		"$tmp/copy/advocates/$f"
done
"$bin/refctl" -C "$tmp/copy" export >"$tmp/changed.csv"
rm -rf "$tmp/copy"
printf 'what the changed import does: %s\n' "$("$bin/refctl" -C "$repo" import --dry-run "$tmp/changed.csv" | tail -1)"
echo "== $n rows ($(du -h "$tmp/all.csv" | cut -f1) of CSV), $n advocates ($(du -sh "$repo/advocates" | cut -f1)), median of $runs runs"

# timed LABEL CMD...: append "seconds KiB" of one run of CMD to $tmp/LABEL
timed() {
	local label=$1 out
	shift
	out=$(/usr/bin/time -v "$@" 2>&1 >/dev/null) || { printf '%s\n' "$out" >&2; exit 1; }
	printf '%s\n' "$out" | awk '
		/Elapsed \(wall clock\)/ { n = split($NF, t, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + t[i] }
		/Maximum resident set size/ { kib = $NF }
		END { print s, kib }' >>"$tmp/t-$label"
}

labels="empty empty-dry changed changed-dry unchanged check"
for l in $labels; do : >"$tmp/t-$l"; done
for _ in $(seq "$runs"); do
	rm -rf "$tmp/empty" && "$bin/refctl" init "$tmp/empty" >/dev/null
	timed empty-dry "$bin/refctl" -C "$tmp/empty" import --dry-run "$tmp/all.csv"
	timed empty "$bin/refctl" -C "$tmp/empty" import "$tmp/all.csv"
	timed changed-dry "$bin/refctl" -C "$repo" import --dry-run "$tmp/changed.csv"
	timed changed "$bin/refctl" -C "$repo" import "$tmp/changed.csv"
	git -C "$repo" reset -q --hard "$base"
	timed unchanged "$bin/refctl" -C "$repo" import "$tmp/all.csv"
	timed check "$bin/refctl" -C "$repo" check
done

row() { # LABEL DESCRIPTION
	local wall rss
	wall=$(cut -d' ' -f1 "$tmp/t-$1" | median)
	rss=$(cut -d' ' -f2 "$tmp/t-$1" | median)
	printf '%-58s %8.2f s %8.1f MB\n' "$2" "$wall" "$(awk -v k="$rss" 'BEGIN {print k / 1024}')"
}
row empty "import $n rows into an empty repository ($n added)"
row empty-dry "  the same, --dry-run"
row changed "import $n rows, 10% changed, into $n advocates"
row changed-dry "  the same, --dry-run"
row unchanged "import $n rows, none changed (no commit)"
row check "refctl check of the $n advocates"
