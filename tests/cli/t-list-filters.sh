#!/bin/bash
# list's filters: every one, with expectations checked by hand against the
# four advocates below. The same flag repeated is OR, different flags AND.
. "$(dirname "$0")/lib.sh"

new_repo prog
# today is 2026-11-15 (lib.sh)
refctl add --id ann --name "Ann" --company A --status active --account-owner "Dana Reyes" --country DE \
	--segment enterprise --health green --language de --language en --tag champion --program cab \
	--nps 9 --consent-until 2026-12-01 >/dev/null
refctl add --id bo --name "Bo" --company B --status active --account-owner "Sam Ortiz" --country FR \
	--segment smb --health red --language fr --tag detractor --nps 4 --consent-until 2027-06-30 >/dev/null
refctl add --id cy --name "Cy" --company C --status paused --account-owner "dana reyes" --country DE \
	--segment mid-market --health yellow --language en --program cab --program beta --nps 7 >/dev/null
refctl add --id di --name "Di" --company D --status nominated --segment smb >/dev/null

ids() { refctl list "$@" --format tsv --fields id | tail -n +2 | tr '\n' ' ' | sed 's/ $//'; }

test_case "each filter alone"
check_eq "--account-owner (vocabulary: any case)" "ann cy" "$(ids --account-owner "DANA REYES")"
check_eq "--country (any case)" "ann cy" "$(ids --country de)"
check_eq "--segment" "bo di" "$(ids --segment smb)"
check_eq "--health" "bo" "$(ids --health red)"
check_eq "--language" "ann cy" "$(ids --language en)"
check_eq "--tag" "ann" "$(ids --tag champion)"
check_eq "--program" "ann cy" "$(ids --program cab)"
check_eq "--nps-below 7 (an advocate without nps passes no nps filter)" "bo" "$(ids --nps-below 7)"
check_eq "--nps-at-least 7" "ann cy" "$(ids --nps-at-least 7)"
check_eq "--consent-expiring 30 (2026-11-15 to 2026-12-15)" "ann" "$(ids --consent-expiring 30)"
check_eq "--consent-expiring 365" "ann bo" "$(ids --consent-expiring 365)"

test_case "the same flag twice is OR, different flags AND"
check_eq "segment smb or enterprise" "ann bo di" "$(ids --segment smb --segment enterprise)"
check_eq "... and active" "ann bo" "$(ids --segment smb --segment enterprise --status active)"
check_eq "language fr or de, and nps at least 5" "ann" "$(ids --language fr --language de --nps-at-least 5)"
check_eq "program beta and health yellow" "cy" "$(ids --program beta --health yellow)"
run refctl list --program beta --health green --format tsv --fields id
check_eq "none: exit 1" 1 "$rc"
check_eq "none: the header only" "id" "$out"

test_case "bad filter values: exit 2"
run refctl list --health blue
check_eq "health" 2 "$rc"
check_eq "health message" "error: --health must be green, yellow or red, not 'blue'" "$(printf '%s\n' "$err" | head -1)"
run refctl list --nps-below 12
check_eq "nps range" 2 "$rc"
run refctl list --consent-expiring soon
check_eq "days" 2 "$rc"

finish
