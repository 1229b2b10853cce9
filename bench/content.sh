#!/bin/bash
# Benchmark: `refctl content find` for a German healthcare prospect over N
# generated advocates, each given a content library of four items (a quote,
# its German translation cleared for DE and AT, a case study, a video; some
# expired, some awaiting review), beside the bare libyaml parse of the same
# files (bench/yaml-parse-baseline). Prints the median wall time, CPU time
# (user + system) and peak RSS of each, and their ratios.
#
# Usage: bench/content.sh [N...]   (default: 10000)
# Needs a Release build in build-rel/ (or BIN=dir):
#   cmake -S . -B build-rel -DCMAKE_BUILD_TYPE=Release -DREFCTL_TESTS=OFF && cmake --build build-rel
# RUNS=n runs of each (default 5), alternating after one untimed warm-up of each.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${BIN:-build-rel}
runs=${RUNS:-5}
[ $# -gt 0 ] || set -- 10000
. bench/lib.sh

criteria=(--industry healthcare --country DE --product analytics --use-case compliance-reporting --lang de --any-lang)

column() { cut -d' ' -f"$2" "$1" | median; }

# add_content DIR: append a content list to every advocate file of DIR (the
# generator writes none; content is the last key of a canonical file)
add_content() {
	local f id i=0
	for f in "$1"/advocates/*.yaml; do
		id=$(basename "$f" .yaml)
		i=$((i + 1))
		{
			printf 'content:\n'
			printf -- '- id: %s/260301-aaaaaaa1\n  kind: quote\n  lang: en\n  title: Quarterly reports in two days\n' "$id"
			printf '  text: Our quarterly compliance report now takes two days, not three weeks.\n'
			printf '  products: [analytics]\n  use_cases: [compliance-reporting]\n  created: 2026-03-01\n'
			printf '  approved: {by: Customer, date: 2026-03-05}\n  legal: {by: Legal, date: 2026-03-09}\n'
			[ $((i % 7)) = 0 ] && printf '  expires: 2026-10-01\n'
			printf -- '- id: %s/260310-aaaaaaa2\n  kind: quote\n  lang: de\n  title: Quartalsberichte in zwei Tagen\n' "$id"
			printf '  text: Den Compliance-Quartalsbericht erstellen wir jetzt in zwei Tagen.\n'
			printf '  products: [analytics]\n  use_cases: [compliance-reporting]\n  created: 2026-03-10\n'
			[ $((i % 3)) = 0 ] || printf '  approved: {by: Customer, date: 2026-03-12}\n  legal: {by: Legal, date: 2026-03-14, countries: [DE, AT]}\n'
			printf '  translation_of: %s/260301-aaaaaaa1\n' "$id"
			printf -- '- id: %s/260401-aaaaaaa3\n  kind: case-study\n  lang: en\n  title: A case study\n' "$id"
			printf '  url: https://customers.example/%s\n  products: [billing]\n  created: 2026-04-01\n' "$id"
			printf '  approved: {by: Customer, date: 2026-04-05}\n  legal: {by: Legal, date: 2026-04-09, countries: [US]}\n'
			printf -- '- id: %s/260501-aaaaaaa4\n  kind: video\n  lang: de\n  title: Ein Video\n' "$id"
			printf '  url: https://videos.example/%s\n  products: [analytics]\n  created: 2026-05-01\n' "$id"
			printf '  approved: {by: Customer, date: 2026-05-05}\n'
		} >>"$f"
	done
}

for n in "$@"; do
	repo="$tmp/repo-$n"
	"$bin/refctl" init "$repo" >/dev/null
	"$bin/refctl-gen" --today "$REFCTL_TODAY" "$n" "$repo" >/dev/null
	add_content "$repo"
	base=("$bin/yaml-parse-baseline" "$repo")
	find=("$bin/refctl" -C "$repo" content find "${criteria[@]}")
	"${base[@]}" >/dev/null
	"${find[@]}" >/dev/null
	: >"$tmp/base" && : >"$tmp/find"
	for _ in $(seq "$runs"); do
		/usr/bin/time -f '%e %U %S %M' -a -o "$tmp/base" "${base[@]}" >/dev/null
		/usr/bin/time -f '%e %U %S %M' -a -o "$tmp/find" "${find[@]}" >/dev/null
	done
	for f in base find; do
		awk '{printf "%s %.2f %s\n", $1, $2 + $3, $4}' "$tmp/$f" >"$tmp/$f.sum"
	done
	echo "== $n advocates, $((4 * n)) content items ($(du -sh "$repo/advocates" | cut -f1)), median of $runs runs"
	printf '%-26s %9s %9s %12s\n' "" "wall" "cpu" "peak RSS"
	printf '%-26s %7.2f s %7.2f s %8d KiB\n' "yaml-parse-baseline" \
		"$(column "$tmp/base.sum" 1)" "$(column "$tmp/base.sum" 2)" "$(column "$tmp/base.sum" 3)"
	printf '%-26s %7.2f s %7.2f s %8d KiB\n' "refctl content find" \
		"$(column "$tmp/find.sum" 1)" "$(column "$tmp/find.sum" 2)" "$(column "$tmp/find.sum" 3)"
	awk -v a="$(column "$tmp/find.sum" 1)" -v b="$(column "$tmp/base.sum" 1)" \
	    -v c="$(column "$tmp/find.sum" 2)" -v d="$(column "$tmp/base.sum" 2)" \
	    -v r="$(column "$tmp/find.sum" 3)" -v s="$(column "$tmp/base.sum" 3)" \
		'BEGIN {printf "%-26s %7.2f x %7.2f x %8.2f x\n", "ratio find / baseline", a / b, c / d, r / s}'
done
