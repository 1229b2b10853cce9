#!/bin/bash
# Benchmark: `refctl check`'s wall time and peak memory over N generated
# advocates, two builds side by side in alternating runs, each with the
# parse cache cold (.git/refctl-cache removed, which the run then writes)
# and warm (as that run left it). The operating system's page cache is warm
# throughout: every run reads the same files.
#
# Usage: BEFORE=dir AFTER=dir bench/check-memory.sh [N]   (default 300000)
#   BEFORE, AFTER: build folders holding refctl (Release builds:
#   cmake -S . -B build-rel -DCMAKE_BUILD_TYPE=Release -DREFCTL_TESTS=OFF);
#   AFTER defaults to build-rel, BEFORE to AFTER alone.
# RUNS=n (default 3). FORMAT=json measures `check --format json`.
# REPO=dir reuses a repository of generated advocates (refctl init,
# refctl-gen N, git add, git commit); it is left as it was but for its cache.
set -euo pipefail
cd "$(dirname "$0")/.."
after=$(cd "${AFTER:-build-rel}" && pwd)
before=$(cd "${BEFORE:-$after}" && pwd)
runs=${RUNS:-3}
n=${1:-300000}
. bench/lib.sh

roster_repo "$after" "$n"
args=(check)
[ -n "${FORMAT:-}" ] && args+=(--format "$FORMAT")

# one LABEL BIN: append "wall peak-KiB" of one run to $tmp/t-LABEL
one() {
	/usr/bin/time -f '%e %M' -a -o "$tmp/t-$1" "$2/refctl" -C "$repo" "${args[@]}" >/dev/null 2>&1 || true
}
col() { cut -d' ' -f"$2" "$tmp/t-$1" | median; }

for l in before-cold before-warm after-cold after-warm; do : >"$tmp/t-$l"; done
for _ in $(seq "$runs"); do
	for which in before after; do
		[ "$which" = before ] && bin=$before || bin=$after
		rm -f "$repo/.git/refctl-cache"
		one "$which-cold" "$bin"
		one "$which-warm" "$bin"
	done
done
rm -f "$repo/.git/refctl-cache"
echo "== refctl ${args[*]}, $n advocates, median of $runs alternating runs"
printf '%-8s %10s %14s %10s %14s\n' "" "cold wall" "cold peak" "warm wall" "warm peak"
for which in before after; do
	printf '%-8s %8.2f s %10d KiB %8.2f s %10d KiB\n' "$which" "$(col "$which-cold" 1)" "$(col "$which-cold" 2)" \
		"$(col "$which-warm" 1)" "$(col "$which-warm" 2)"
done
for which in before after; do
	printf 'runs %s:' "$which"
	for m in cold warm; do printf ' %s [%s]' "$m" "$(tr '\n' ';' <"$tmp/t-$which-$m")"; done
	echo
done
