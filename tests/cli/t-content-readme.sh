#!/bin/bash
# The README's content example, run as it is printed in a new program: its
# output must be the README's (the random part of each id aside). And the
# example program's library answers the German healthcare prospect.
. "$(dirname "$0")/lib.sh"

readme=$REFCTL_SRC/README.md
cmd=$(awk '/^<!-- content example: run by/ {q = 1; next} q && /^```sh$/ {s = 1; next} s && /^```$/ {exit} s {print}' "$readme")
want=$(awk '/^<!-- content example: run by/ {q = 1; next} q && /^prints \(on 2026-11-15\):$/ {p = 1; next}
	p && /^```$/ && !o {o = 1; next} o && /^```$/ {exit} o {print}' "$readme")
mask() { sed -E 's#/261115-[0-9a-hjkmnp-tv-z]{8}#/261115-XXXXXXXX#g'; }

test_case "the README's example, as printed"
check_contains "it adds a quote" "refctl content add hanna-schmidt-klinikum-nord" "$cmd"
check_true "it shows an output" test -n "$want"
new_repo refs
PATH=$(dirname "$REFCTL"):$PATH run bash -c "exec 2>&1; $cmd"
check_eq "the output the README shows" "$(printf '%s\n' "$want" | mask)" "$(printf '%s\n' "$out$err" | mask)"
q=$(refctl content list --lang en --format tsv | sed -n 2p | cut -f1)
de=$(refctl content list --lang de --format tsv | sed -n 2p | cut -f1)
check_match "the quote's id" '^hanna-schmidt-klinikum-nord/261115-' "$q"
check_true "a translation of it" test "$(refctl content show "$de" --format json | jq -r .translation_of)" = "$q"
check_eq "one commit per command, after the add" 6 "$(git log --format=%s | grep -c '^refctl: content ')"

test_case "the example program: the German translation first, for a German healthcare prospect"
cd "$TEST_ROOT" && cp -r "$REFCTL_SRC/examples/program" example && cd example && git init -q && git add -A && git commit -qm program
line=$(awk '/^The bundled example program has such a library/ {q = 1} q && /^```sh$/ {s = 1; next} s && /^```$/ {exit} s {print}' "$readme")
check_contains "the README's command" "content find --industry healthcare --country DE --lang de" "$line"
REFCTL_TODAY=2026-11-23 run bash -c "${line/refctl -C examples\/program/$REFCTL}"
check_rc 0
# possible: use_case 4 + industry 3 + country 1 = 8; Bram's German quote: use
# case and industry (NL, not DE) 7/8 = 88%; the French translation awaits
# legal review, Marta's quote expired
check_eq "ranked" "rank  id                                             kind   lang  title                                 relevance  note
   1  bram-visser-zeeland-zorggroep/260502-d8vx4n6p  quote  de    Bram Visser über den Quartalsbericht        88%" "$out"
run refctl content list --format tsv
check_eq "awaiting legal review" "bram-visser-zeeland-zorggroep/261102-w7h3k9xb no legal review" "$(printf '%s\n' "$out" | awk -F'\t' '$10 == "no legal review" {print $1, $10}')"
check_eq "expired" "marta-navarro-universidad-de-levante/250512-q3z7x5nh" "$(printf '%s\n' "$out" | awk -F'\t' '$10 ~ /^expired/ {print $1}')"
check_eq "translations of Bram's quote: de, en, fr" "de en fr" "$(printf '%s\n' "$out" | awk -F'\t' '$1 ~ /^bram/ && $3 == "quote" && $4 != "nl" {print $4}' | tr '\n' ' ' | sed 's/ $//')"
check_eq "a case study and a video" "case-study video" "$(printf '%s\n' "$out" | awk -F'\t' '$3 == "case-study" || $3 == "video" {print $3}' | sort | tr '\n' ' ' | sed 's/ $//')"

finish
