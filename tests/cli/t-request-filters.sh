#!/bin/bash
# request list's filters: --outcome, --activity, --prospect, --requester,
# each repeatable (OR), together AND; expectations checked by hand.
. "$(dirname "$0")/lib.sh"

new_repo prog
refctl add --id ann --name Ann --company A --status active --activity reference-call --activity quote \
	--consent-until 2027-12-31 --rest-days 0 --per-quarter 100 >/dev/null
r1=$(refctl request new ann --prospect Globex --activity reference-call --requester "Sam Rep" --date 2026-11-01)
r2=$(refctl request new ann --prospect Initech --activity quote --requester "Lee Ng" --date 2026-11-02)
r3=$(refctl request new ann --prospect globex --activity quote --requester "sam rep" --date 2026-11-03)
for r in "$r1" "$r2" "$r3"; do refctl request approve "$r" >/dev/null; done
refctl request complete "$r1" --outcome won --date 2026-11-05 >/dev/null
refctl request complete "$r2" --outcome lost --date 2026-11-06 >/dev/null

ids() { refctl request list "$@" --format tsv | tail -n +2 | cut -f1 | tr '\n' ' ' | sed 's/ $//'; }

test_case "each filter, and repeated (OR)"
check_eq "--outcome won" "$r1" "$(ids --outcome won)"
check_eq "--outcome won --outcome lost" "$r1 $r2" "$(ids --outcome won --outcome lost)"
check_eq "--activity quote" "$r2 $r3" "$(ids --activity quote)"
check_eq "--prospect (any case)" "$r1 $r3" "$(ids --prospect GLOBEX)"
check_eq "--requester twice" "$r1 $r2 $r3" "$(ids --requester "sam rep" --requester "lee ng")"
check_eq "--requester (any case)" "$r1 $r3" "$(ids --requester "SAM REP")"

test_case "different filters AND"
check_eq "globex and quote" "$r3" "$(ids --prospect globex --activity quote)"
check_eq "sam and won" "$r1" "$(ids --requester "sam rep" --outcome won)"
run refctl request list --prospect initech --outcome won
check_eq "none: exit 1" 1 "$rc"

test_case "bad values: exit 2"
run refctl request list --outcome maybe
check_eq "outcome" 2 "$rc"
check_contains "outcome message" "--outcome must be won, lost or open, not 'maybe'" "$err"
run refctl request list --activity golf
check_eq "activity" 2 "$rc"
check_contains "activity message" "unknown activity 'golf'" "$err"

finish
