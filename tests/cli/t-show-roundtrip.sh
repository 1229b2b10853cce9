#!/bin/bash
# refctl show prints exactly the canonical file, so its output saved, edited
# and fed back to add --file or edit is accepted as it is.
. "$(dirname "$0")/lib.sh"

new_repo prog
write_advocate ann "nps: 7
rewards:
- {date: 2026-01-10, points: 10, reason: quote}
- {date: 2026-02-10, points: 5, reason: social post}"
run refctl fmt
check_rc 0

test_case "show prints the committed file byte for byte, balance and all"
refctl show ann >"$TEST_ROOT/shown.yaml" 2>"$TEST_ROOT/shown.err"
git show HEAD:advocates/ann.yaml >"$TEST_ROOT/committed.yaml"
check_true "identical bytes" cmp "$TEST_ROOT/committed.yaml" "$TEST_ROOT/shown.yaml"
check_eq "nothing on stderr when stdout is not a terminal" "" "$(cat "$TEST_ROOT/shown.err")"
check_not_contains "no comment" "#" "$(cat "$TEST_ROOT/shown.yaml")"
run refctl show ann --format yaml
check_eq "--format yaml is the default" "$(cat "$TEST_ROOT/committed.yaml")" "$out"

test_case "the text form and JSON carry the balance"
run refctl show ann --format text
check_rc 0
# ann is in no program, the repository knows none, and she offers no activity
check_eq "file, the options, then the balance" "$(cat "$TEST_ROOT/committed.yaml")
# in programs: none
# not yet in programs: none
# activities not yet offered: reference-call, case-study, quote, video, speaking, press, analyst, advisory-board, beta, referral, site-visit, social, community
# reward balance: 15 points" "$out"
run refctl show ann --format json
check_contains "JSON key" '"balance": 15' "$out"

test_case "at a terminal the balance follows on stderr"
# script(1) runs show on a pseudo-terminal; stdout and stderr both reach it
run script -qec "$REFCTL show ann" /dev/null
check_rc 0
check_contains "balance on the terminal" "# reward balance: 15 points" "$out"

test_case "show's output, with a field changed, goes back in through add --file"
sed -e 's/^id: ann$/id: ann2/' -e 's/^nps: 7$/nps: 8/' "$TEST_ROOT/shown.yaml" >"$TEST_ROOT/ann2.yaml"
run refctl add --file "$TEST_ROOT/ann2.yaml"
check_rc 0
check_eq "stored as given" "$(cat "$TEST_ROOT/ann2.yaml")" "$(git show HEAD:advocates/ann2.yaml)"

test_case "show's output, with a field changed, goes back in through edit"
sed 's/^nps: 7$/nps: 9/' "$TEST_ROOT/shown.yaml" >"$TEST_ROOT/edited.yaml"
EDITOR="cp '$TEST_ROOT/edited.yaml'" run refctl edit ann
check_rc 0
check_eq "stored as given" "$(cat "$TEST_ROOT/edited.yaml")" "$(git show HEAD:advocates/ann.yaml)"
run refctl show ann
check_eq "and shown as stored" "$(cat "$TEST_ROOT/edited.yaml")" "$out"

finish
