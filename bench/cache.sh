#!/bin/bash
# Benchmark: the parse cache. For match, list, check and report over N
# generated advocates, beside the bare libyaml parse of the same files
# (bench/yaml-parse-baseline), in alternating runs:
#   cold   no cache (.git/refctl-cache removed: a fresh clone), which the
#          run then writes
#   warm   the cache as the last run left it, nothing changed
#   1%     the cache as the last run left it, 1% of the files changed
# then the writes (set nps=, set email=, add --email, request new) with a warm cache beside
# `git add FILE && git commit` of the same change.
#
# Usage: bench/cache.sh [N]   (default 100000)
# Needs a Release build in build-rel/ (or BIN=dir):
#   cmake -S . -B build-rel -DCMAKE_BUILD_TYPE=Release -DREFCTL_TESTS=OFF && cmake --build build-rel
# RUNS=n (default 3). REPO=dir reuses a repository of generated, committed
# advocates (refctl init, refctl-gen N, git add, git commit) instead of
# making one; it is left as it was found but for its cache.
# ONLY=reads or ONLY=writes runs half.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=$(cd "${BIN:-build-rel}" && pwd)
runs=${RUNS:-3}
n=${1:-100000}
. bench/lib.sh

roster_repo "$bin" "$n"
head0=$(git -C "$repo" rev-parse HEAD)
ls "$repo/advocates" | awk 'NR % 100 == 1' >"$tmp/changed"

# one LABEL CMD...: append "wall peak-KiB" of one run to $tmp/t-LABEL
one() {
	local label=$1
	shift
	/usr/bin/time -f '%e %M' -a -o "$tmp/t-$label" "$@" >/dev/null 2>&1 || true
}
col() { cut -d' ' -f"$2" "$tmp/t-$1" | median; }
# touch_one_percent: change every 100th file (a comment line added or removed)
touch_one_percent() {
	while read -r f; do
		if grep -q '^# bench$' "$repo/advocates/$f"; then sed -i '/^# bench$/d' "$repo/advocates/$f"
		else printf '# bench\n' >>"$repo/advocates/$f"; fi
	done <"$tmp/changed"
}

cmds=("match --industry manufacturing --region emea --product analytics --use-case supply-chain-visibility"
	"list --format tsv" "check" "report --format json")
names=(match list check report)

if [ "${ONLY:-reads}" = reads ] || [ -z "${ONLY:-}" ]; then
	echo "== $n advocates ($(du -sh "$repo/advocates" | cut -f1)), median of $runs alternating runs"
	: >"$tmp/t-base"
	for k in "${!cmds[@]}"; do for m in cold warm pct; do : >"$tmp/t-${names[$k]}-$m"; done; done
	"$bin/yaml-parse-baseline" "$repo" >/dev/null
	for _ in $(seq "$runs"); do
		one base "$bin/yaml-parse-baseline" "$repo"
		for k in "${!cmds[@]}"; do
			# shellcheck disable=SC2086
			set -- ${cmds[$k]}
			rm -f "$repo/.git/refctl-cache"
			one "${names[$k]}-cold" "$bin/refctl" -C "$repo" "$@"
			one "${names[$k]}-warm" "$bin/refctl" -C "$repo" "$@"
			touch_one_percent
			one "${names[$k]}-pct" "$bin/refctl" -C "$repo" "$@"
		done
		one base "$bin/yaml-parse-baseline" "$repo"
	done
	git -C "$repo" checkout -q -- advocates
	base=$(col base 1)
	printf '%-10s %8s %10s %8s %6s %10s %6s %10s %6s\n' "" "parse" "cold" "ratio" "" "warm" "ratio" "1%" "ratio"
	for k in "${!cmds[@]}"; do
		c=$(col "${names[$k]}-cold" 1) w=$(col "${names[$k]}-warm" 1) p=$(col "${names[$k]}-pct" 1)
		awk -v l="${names[$k]}" -v b="$base" -v c="$c" -v w="$w" -v p="$p" \
			'BEGIN {printf "%-10s %6.2f s %8.2f s %7.2fx %6s %8.2f s %5.2fx %8.2f s %5.2fx\n", l, b, c, c / b, "", w, w / b, p, p / b}'
	done
	printf 'peak RSS (KiB): baseline %s' "$(col base 2)"
	for k in "${!cmds[@]}"; do
		printf ', %s cold %s warm %s' "${names[$k]}" "$(col "${names[$k]}-cold" 2)" "$(col "${names[$k]}-warm" 2)"
	done
	echo
	printf 'cache: %s bytes for %s advocates, %s KB per 1,000\n' "$(stat -c %s "$repo/.git/refctl-cache")" "$n" \
		"$(($(stat -c %s "$repo/.git/refctl-cache") / n))"
fi

if [ "${ONLY:-writes}" = writes ] || [ -z "${ONLY:-}" ]; then
	cd "$repo"
	git config gc.auto 0
	id=$(ls advocates | sed -n "$((n / 2 + 1))p" | sed 's/\.yaml$//')
	file=advocates/$id.yaml
	email=$(sed -n 's/^email: //p' "$file")
	"$bin/refctl" list >/dev/null # the cache warm
	for l in set set-git sete sete-git add add-git req req-git; do : >"$tmp/t-$l"; done
	for i in $(seq "$runs"); do
		one set "$bin/refctl" set "$id" "nps=$((i % 10))"
		git reset -q --hard "$head0"
		sed -i "s/^nps: .*/nps: $((i % 10))/" "$file"
		one set-git sh -c "git add '$file' && git commit -qm 'refctl: set $id nps'"
		git reset -q --hard "$head0"
		# a new email: looked for in every other advocate (the cache's index)
		one sete "$bin/refctl" set "$id" "email=bench$i@example.com"
		cp "$file" "$tmp/sete.yaml"
		git reset -q --hard "$head0"
		cp "$tmp/sete.yaml" "$file"
		one sete-git sh -c "git add '$file' && git commit -qm 'refctl: set $id email'"
		git reset -q --hard "$head0"
		one add "$bin/refctl" add --name "Bench Person $i" --company "Bench Co" --email "bench$i@example.com"
		cp "advocates/bench-person-$i-bench-co.yaml" "$tmp/new.yaml" 2>/dev/null || true
		git reset -q --hard "$head0"
		cp "$tmp/new.yaml" "advocates/bench-person-$i-bench-co.yaml"
		one add-git sh -c "git add 'advocates/bench-person-$i-bench-co.yaml' && git commit -qm 'refctl: add'"
		git reset -q --hard "$head0"
		one req "$bin/refctl" request new "$id" --prospect Bench --activity reference-call --requester Bench --force -m bench
		cp "$file" "$tmp/req.yaml"
		git reset -q --hard "$head0"
		cp "$tmp/req.yaml" "$file"
		one req-git sh -c "git add '$file' && git commit -qm 'refctl: request'"
		git reset -q --hard "$head0"
	done
	[ -n "$email" ] || email=none
	echo "== writes on $n advocates, warm cache, median of $runs runs (the email checked: $email's peers)"
	for w in set sete add req; do
		awk -v l="$w" -v a="$(col "$w" 1)" -v b="$(col "$w-git" 1)" -v m="$(col "$w" 2)" \
			'BEGIN {printf "%-12s refctl %6.3f s   git add+commit %6.3f s   ratio %5.2fx   peak %d KiB\n", l, a, b, a / b, m}'
	done
fi
