#!/bin/bash
# refctl value and the report's value section: the won deals an advocate
# influenced and the referrals they won, each opportunity once (an
# opportunity in both a request and a referral counts once), against the
# customer's own account_value, with null (not zero) for an empty
# denominator. Every figure is worked out by hand below.
. "$(dirname "$0")/lib.sh"

command -v jq >/dev/null || { echo "t-value: jq is missing (.ci/deps installs it)" >&2; exit 1; }

new_repo prog
sed -i 's/^currency: USD$/currency: EUR/' refctl.yaml
git commit -qam "euros"
req() { # ID CLOSED OUTCOME VALUE OPPORTUNITY [ACTIVITY]
	printf '  - id: %s\n    opened: 2025-10-01\n    requester: Rep\n    prospect: P\n' "$1"
	[ -n "$5" ] && printf '    opportunity: %s\n' "$5"
	printf '    activity: %s\n    status: completed\n    closed: %s\n    outcome: %s\n    deal_value: %s\n' \
		"${6:-reference-call}" "$2" "$3" "$4"
}
write_advocate ann "account_value: 10000
requests:
$(req ann/1 2026-03-10 won 50000 OPP-1)
$(req ann/2 2026-04-01 won 30000 OPP-1)
$(req ann/3 2026-05-01 lost 99999 OPP-3)
$(req ann/4 2025-10-31 won 7000 OPP-4)
referrals:
  - id: ann/260510-aaaaaaaa
    opened: 2026-05-10
    prospect: Globex
    opportunity: OPP-1
    status: won
    closed: 2026-06-01
    value: 20000
  - id: ann/260601-bbbbbbbb
    opened: 2026-06-01
    prospect: Initech
    opportunity: OPP-8
    status: won
    closed: 2026-07-01
    value: 15000
  - id: ann/260901-cccccccc
    opened: 2026-09-01
    prospect: Hooli
    status: open
    value: 99"
write_advocate bob "account_value: 0
requests:
$(req bob/1 2026-09-01 won 40000 OPP-1)"
write_advocate cy "requests:
$(req cy/1 2026-02-01 won 12000 '' referral)"
write_advocate dee "account_value: 5000"

# ---------------------------------------------------------------------------
# By hand. Today is 2026-11-15: the default period is the 12 months up to the
# end of the previous month, 2025-11-01 to 2026-10-31.
#   ann: won requests in the period ann/1 50000 and ann/2 30000, both OPP-1:
#        influenced 50000 (once, the larger); ann/3 is lost, ann/4 closed
#        2025-10-31, before the period. Won referrals: OPP-1 20000 and OPP-8
#        15000: referrals 35000; the open one (99) does not count. Created:
#        OPP-1 (in requests and a referral) once at 50000, + OPP-8 15000 =
#        65000; ratio 65000 / 10000 = 6.5.
#   bob: bob/1 40000 (OPP-1): influenced and created 40000; account_value 0:
#        the ratio is null, not zero.
#   cy:  cy/1 is an activity: referral request, 12000, no opportunity:
#        referrals and created 12000; no account_value: ratio null.
#   dee: nothing won: created 0, listed only with --all; ratio 0 / 5000 = 0.
# The program, each opportunity once across advocates: influenced OPP-1
#   max(50000, 30000, 40000) = 50000; referrals OPP-1 20000 + OPP-8 15000 +
#   cy 12000 = 47000; created OPP-1 50000 + OPP-8 15000 + 12000 = 77000.
#   Advocates with an account_value above 0: ann and dee, 15000 a year; what
#   they created: 65000 + 0 = 65000; ratio 65000 / 15000 = 4.333...
# ---------------------------------------------------------------------------

test_case "value: every advocate who created value, highest first, and the program"
run refctl value
check_rc 0
check_eq "table" "rank  id   name        company      influenced  referrals  created  account_value  ratio
   1  ann  Person ann  Company ann       50000      35000    65000          10000   6.5x
   2  bob  Person bob  Company bob       40000          0    40000              0
   3  cy   Person cy   Company cy            0      12000    12000

program (EUR, each opportunity once): influenced 50000, referrals 47000, created 77000; 2 advocates with an account value spend 15000 a year, ratio 4.3x" "$out"

test_case "value --format json: nulls for empty denominators"
run refctl value --format json
check_rc 0
check_eq "period and currency" '{"from":"2025-11-01","to":"2026-10-31"} "EUR"' \
	"$(printf '%s' "$out" | jq -c '.period, .currency' | tr '\n' ' ' | sed 's/ $//')"
check_eq "program" '{"influenced":50000,"referrals":47000,"created":77000,"account_value":15000,"advocates_with_account_value":2}' \
	"$(printf '%s' "$out" | jq -c '.program | del(.ratio)')"
check_eq "program ratio" "4333" "$(printf '%s' "$out" | jq '.program.ratio * 1000 | round')"
check_eq "ann" '{"id":"ann","name":"Person ann","company":"Company ann","influenced":50000,"referrals":35000,"created":65000,"deals":2,"account_value":10000,"ratio":6.5}' \
	"$(printf '%s' "$out" | jq -c '.advocates[0]')"
check_eq "bob: account_value 0, ratio null" '[0,null]' "$(printf '%s' "$out" | jq -c '[.advocates[1].account_value, .advocates[1].ratio]')"
check_eq "cy: no account_value, ratio null" '[null,null]' "$(printf '%s' "$out" | jq -c '[.advocates[2].account_value, .advocates[2].ratio]')"

test_case "value --all lists those who created none; value ADVOCATE one"
run refctl value --all --format tsv
check_rc 0
check_eq "tsv" "rank	id	name	company	influenced	referrals	created	account_value	ratio
1	ann	Person ann	Company ann	50000	35000	65000	10000	6.5000
2	bob	Person bob	Company bob	40000	0	40000	0	
3	cy	Person cy	Company cy	0	12000	12000		
4	dee	Person dee	Company dee	0	0	0	5000	0.0000" "$out"
run refctl value dee --format csv
check_rc 0
check_eq "one advocate, even without value" "rank,id,name,company,influenced,referrals,created,account_value,ratio
1,dee,Person dee,Company dee,0,0,0,5000,0.0000" "$(printf '%s' "$out" | tr -d '\r')"

test_case "value: period flags"
# March 2026: ann/1 only: 50000 influenced, created; ratio 5.
run refctl value --month 2026-03 --format json
check_eq "March" '[{"id":"ann","created":50000,"ratio":5}]' "$(printf '%s' "$out" | jq -c '[.advocates[] | {id, created, ratio}]')"
# 2025-Q4 holds ann/4 (2025-10-31) only.
run refctl value --quarter 2025-Q4 --format json
check_eq "2025-Q4" '[{"id":"ann","created":7000}]' "$(printf '%s' "$out" | jq -c '[.advocates[] | {id, created}]')"
# Nothing in 2024: exit 1, the program's figures still printed.
run refctl value --year 2024
check_rc 1
check_eq "empty" "program (EUR, each opportunity once): influenced 0, referrals 0, created 0; 2 advocates with an account value spend 15000 a year, ratio 0.0x" "$out"
run refctl value --year this --format json
check_eq "this year: 2026" '{"from":"2026-01-01","to":"2026-12-31"}' "$(printf '%s' "$out" | jq -c .period)"
run refctl value --from 2026-06-01 --to 2026-06-30 --format json
check_eq "June: ann's OPP-1 referral" '[{"id":"ann","influenced":0,"referrals":20000,"created":20000}]' \
	"$(printf '%s' "$out" | jq -c '[.advocates[] | {id, influenced, referrals, created}]')"

test_case "value: bad usage"
run refctl value --month 2026-13
check_rc 2
run refctl value --month 2026-01 --year 2026
check_rc 2
check_contains "one period" "error: give one period" "$err"
run refctl value --from 2026-01-01
check_rc 2
run refctl value nobody
check_rc 1
run refctl value --format yaml
check_rc 2

test_case "the report's value section: top advocates by value created, the ratio"
run refctl report --year 2026
check_rc 0
# 2025, the previous period: ann/4 (OPP-4, 7000) closed 2025-10-31; ann and
# dee spend 15000: 7000 / 15000 = 0.47 -> 0.5x; the change 4.33 - 0.47 = +3.9x.
check_contains "headlines" "  Referral value won                47,000 EUR      0 EUR  +47,000 EUR
  Value created                     77,000 EUR  7,000 EUR  +70,000 EUR
  Value to own spend                      4.3x       0.5x        +3.9x" "$out"
check_contains "section" "Value
-----
  Value created 77,000 EUR (revenue influenced 50,000 EUR, referrals won 47,000 EUR; each
  opportunity counted once). Advocates with an account value: 2, spending 15,000 EUR a year; the
  value they created is 4.3x their spend.

Top 5 advocates by value created
--------------------------------
  #  advocate                 value created   referrals   own spend  ratio
  1  Person ann, Company ann     65,000 EUR  35,000 EUR  10,000 EUR   6.5x
  2  Person bob, Company bob     40,000 EUR       0 EUR       0 EUR    n/a
  3  Person cy, Company cy       12,000 EUR  12,000 EUR         n/a    n/a" "$out"
run refctl report --year 2026 --format json
check_eq "json" '{"created":77000,"account_value":15000,"advocates_with_account_value":2}' \
	"$(printf '%s' "$out" | jq -c '.value | {created, account_value, advocates_with_account_value}')"
check_eq "json ratio" "4333" "$(printf '%s' "$out" | jq '.value.ratio * 1000 | round')"
check_eq "json top" '[["ann",65000,6.5],["bob",40000,null],["cy",12000,null]]' \
	"$(printf '%s' "$out" | jq -c '[.value.top[] | [.id, .created, .ratio]]')"
run refctl report --year 2026 --format csv
check_contains "csv" "value,created,,77000" "$out"
check_contains "csv top" "value,top.created,ann,65000" "$out"
run refctl report --month 2026-08 --format json
check_eq "a month without value: created 0, ratio 0 (the denominator is not empty)" '[0,0,[]]' \
	"$(printf '%s' "$out" | jq -c '[.value.created, .value.ratio, .value.top]')"

test_case "the ratio is null, not zero, when no advocate has an account value"
refctl unset ann account_value >/dev/null && refctl unset dee account_value >/dev/null
run refctl report --year 2026 --format json
check_eq "null" '[0,0,null]' "$(printf '%s' "$out" | jq -c '[.value.account_value, .value.advocates_with_account_value, .value.ratio]')"
run refctl value --format json
check_eq "null in value too" "null" "$(printf '%s' "$out" | jq -c '.program.ratio')"

finish
