#!/bin/bash
# Typo suggestions, in git's manner: commands, request verbs, field names.
. "$(dirname "$0")/lib.sh"
cd "$TEST_ROOT" || exit 1

test_case "a mistyped command: exit 2, the most similar command"
run refctl lsit
check_eq "exit 2" 2 "$rc"
check_eq "message" "error: 'lsit' is not a refctl command (see 'refctl help')

The most similar command is
	list" "$err"
check_eq "nothing on stdout" "" "$out"
run refctl re
check_eq "several" "error: 're' is not a refctl command (see 'refctl help')

The most similar commands are
	referral
	report
	request
	reward" "$err"
run refctl xyzzyplugh
check_eq "nothing similar" "error: 'xyzzyplugh' is not a refctl command (see 'refctl help')" "$err"
run refctl help shwo
check_eq "help: exit 2" 2 "$rc"
check_contains "help suggests" "	show" "$err"

new_repo prog
refctl add --name "Ann Lee" --company Acme >/dev/null

test_case "a mistyped request verb"
run refctl request aprove ann-lee-acme/1
check_eq "exit 2" 2 "$rc"
check_eq "message" "error: 'aprove' is not a request verb; the most similar is approve" "$(printf '%s\n' "$err" | head -1)"

test_case "a mistyped verb of referral and content: the most similar, or the verbs"
run refctl referral wom ann-lee-acme/1
check_rc 2
check_eq "referral" "error: 'wom' is not a referral verb; the most similar is won" "$(printf '%s\n' "$err" | head -1)"
run refctl content frob
check_rc 2
check_eq "two as near: both" "error: 'frob' is not a content verb; the most similar is find or show" "$(printf '%s\n' "$err" | head -1)"
run refctl referral xyzzy
check_rc 2
check_eq "none near: the verbs" "error: 'xyzzy' is not a referral verb (new, qualify, won, lost, cancel)" "$(printf '%s\n' "$err" | head -1)"

test_case "a mistyped field"
run refctl set ann-lee-acme nsp=9
check_eq "exit 2" 2 "$rc"
check_eq "message" "error: unknown field 'nsp' (did you mean nps?)" "$err"
run refctl unset ann-lee-acme langauges
check_eq "unset: exit 2" 2 "$rc"
check_eq "unset message" "error: unknown field 'langauges' (did you mean languages?)" "$err"
run refctl set ann-lee-acme zzzzzzzzzzzz=1
check_eq "nothing similar" "error: unknown field 'zzzzzzzzzzzz' (see 'refctl help set')" "$err"

finish
