#!/bin/bash
# Numbers with bounds: money is exact cents up to 10^13, sums cannot
# overflow, weights have a range (a stress audit found each unbounded).
. "$(dirname "$0")/lib.sh"

new_repo prog
refctl add --name "Ann Lee" --company Acme --status active --activity reference-call \
	--consent-until 2027-12-31 >/dev/null
refctl add --name "Bo Chen" --company Beta --status active --activity reference-call \
	--consent-until 2027-12-31 >/dev/null

test_case "a deal value past 10^13 is refused, nothing written"
head=$(git rev-parse HEAD)
run refctl request new ann-lee-acme --prospect Globex --activity reference-call --requester Sam \
	--value 99999999999999999.99
check_eq "exit 2" 2 "$rc"
check_contains "message" "deal value must be an amount from 0 to 10000000000000 with at most two decimals" "$err"
check_eq "no commit" "$head" "$(git rev-parse HEAD)"
check_eq "file unchanged" "" "$(git status --porcelain)"
run refctl request new ann-lee-acme --prospect Globex --activity reference-call --requester Sam --value 1.005
check_eq "three decimals: exit 2" 2 "$rc"

test_case "two wins at the largest value sum exactly"
id1=$(refctl request new ann-lee-acme --prospect Globex --activity reference-call --requester Sam \
	--opportunity OPP-1 --value 10000000000000 --date 2026-10-01)
refctl request approve "$id1" >/dev/null
refctl request complete "$id1" --date 2026-10-05 --outcome won >/dev/null
id2=$(refctl request new bo-chen-beta --prospect Initech --activity reference-call --requester Sam \
	--opportunity OPP-2 --value 10000000000000 --date 2026-10-02)
refctl request approve "$id2" >/dev/null
refctl request complete "$id2" --date 2026-10-06 --outcome won >/dev/null
run refctl report --month 2026-10 --format json
check_eq "exit 0" 0 "$rc"
# 2 x 10^13, computed by hand
check_eq "revenue" "20000000000000" "$(printf '%s' "$out" | jq -r '.outcomes.revenue_influenced')"

test_case "a weight of 1e308 is refused with the line"
new_repo prog2
sed -i 's/^    industry: 3$/    industry: 1e308/' refctl.yaml
git commit -qam "huge weight"
run refctl match --industry retail
check_eq "exit 2" 2 "$rc"
check_contains "message" "refctl.yaml:" "$err"
check_contains "range" "match.weights.industry must be a number from 0 to 1000" "$err"
sed -i 's/^    industry: 1e308$/    industry: 1001/' refctl.yaml
run refctl match --industry retail
check_eq "1001: exit 2" 2 "$rc"
sed -i 's/^    industry: 1001$/    industry: 1000/' refctl.yaml
refctl add --name "Cy" --company Gamma --status active --industry retail --consent-until 2027-12-31 >/dev/null
run refctl match --industry retail --format json
check_eq "1000: exit 0" 0 "$rc"
check_eq "relevance is a number" "1" "$(printf '%s' "$out" | jq -r '.[0].relevance')"

finish
