#!/bin/bash
# refctl report: every metric on a fixture whose figures were worked out by
# hand, period selection and edges, the opportunity de-duplication, nulls,
# an empty repository, the trend, roster changes from git, every format,
# determinism, -o, and that no email or phone ever appears.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/report-fixture.sh"

command -v jq >/dev/null || { echo "t-report: jq is missing (.ci/deps installs it)" >&2; exit 1; }

make_fixture prog

# ---------------------------------------------------------------------------
# The figures, by hand. REFCTL_TODAY is 2026-11-15, so the default period is
# P = October 2026 [2026-10-01, 2026-10-31]; the previous one is
# S = September 2026 [2026-09-01, 2026-09-30].
#
# Requests (opened, closed, status, outcome, value, opportunity):
#   ann/1  10-01  10-05  completed won  100000 OPP-1  reference-call  Sam Seller
#   ann/2  10-31  -      requested                    case-study      Rita Rep
#   ann/3  09-30  10-10  completed lost        OPP-3  reference-call  Sam Seller
#   ann/4  11-01  -      requested                    quote           Rita Rep
#   bob/1  10-02  10-06  completed won  250000 OPP-1  reference-call  Sam Seller
#   bob/2  10-03  10-04  declined  (product analytics) reference-call Rita Rep
#   cy/1   10-05  10-13  completed won  180000 OPP-1  reference-call  Sam Seller
#   cy/2   10-06  10-20  completed won   40000 OPP-9  referral        Rita Rep
#   cy/3   10-07  10-08  cancelled                    video           Sam Seller
#   dee/1  09-10  09-12  completed won    5000 OPP-5  reference-call  Sam Seller
#   dee/2  08-20  -      scheduled                    reference-call  Rita Rep
#   eve/1  10-15  10-20  completed won   30000 (none) reference-call  (no requester)
#          (industry manufacturing and product iot of its own)
#   eve/2  10-16  10-30  completed won 20000.5 (none) reference-call  Rita Rep
#   eve/3  10-17  10-18  completed won  (none) OPP-7  reference-call  Rita Rep
#   eve/4  10-20  -      approved                     reference-call  Sam Seller
#
# requests.opened in P: ann/1 (first day), ann/2 (last day), bob/1, bob/2,
#   cy/1-3, eve/1-4 = 11; ann/3 (09-30) and ann/4 (11-01) are one day outside.
# by activity: reference-call 8 (ann/1, bob/1, bob/2, cy/1, eve/1-4),
#   case-study 1, referral 1, video 1.
# by region of the advocate: ann EMEA 2 + bob emea 2 = emea 4, eve APAC 4,
#   cy NA 3.  By industry: ann "Financial Services" 2 + bob "banking" (an
#   alias of financial services in refctl.yaml) 2 = 4, eve retail 4, cy healthcare 3.
# by requester: Sam Seller 5 (ann/1, bob/1, cy/1, cy/3, eve/4), Rita Rep 5
#   (ann/2, bob/2, cy/2, eve/2, eve/3), (none) 1 (eve/1).
# closed in P: completed 8 (ann/1, ann/3, bob/1, cy/1, cy/2, eve/1-3),
#   declined 1 (bob/2), cancelled 1 (cy/3).
# fulfilment_rate = 8 / (8 + 1) = 0.888888888888889 (88.9%).
# median_days_to_complete over the 8 completed in P: ann/1 4, ann/3 10,
#   bob/1 4, cy/1 8, cy/2 14, eve/1 5, eve/2 14, eve/3 1 -> sorted
#   1 4 4 5 8 10 14 14 -> (5 + 8) / 2 = 6.5.
# open_at_end (opened <= 10-31, not closed by then): ann/2, dee/2, eve/4 = 3.
# outcomes (completed in P, not referral): won 6 (ann/1, bob/1, cy/1, eve/1-3),
#   lost 1 (ann/3); win_rate = 6/7 = 0.857142857142857 (85.7%).
# revenue_influenced: OPP-1 was used by three references (100000, 250000,
#   180000) and counts once at its largest value, 250000; eve/1 30000 and
#   eve/2 20000.5 have no opportunity and count alone; eve/3 has no value:
#   250000 + 30000 + 20000.5 = 300000.5 (adding all three OPP-1 values would
#   give 580000.5, the double counting the report must not do).
#   cy/2 (referral, 40000) is left out of outcomes.
# referrals: opened in P with activity referral: cy/2 = 1; closed in P won: 1,
#   value 40000.
# value created: the won requests and referrals closed in P, each opportunity
#   once: 300000.5 (revenue) + 40000 (cy/2, OPP-9) = 340000.5; no advocate has
#   an account_value, so the ratio is null. Per advocate (an opportunity
#   counts for every advocate who influenced it): bob 250000 (OPP-1), cy
#   180000 (OPP-1) + 40000 (referral) = 220000, ann 100000 (OPP-1), eve
#   30000 + 20000.5 + 0 (OPP-7) = 50000.5. September: dee/1 5000.
# advocates: total 7 files parse (broken.yaml does not: 1 left out); active 5
#   (ann, bob, cy, eve, gus; dee paused, fay retired); new (since in P) 1 (bob,
#   2026-10-15); used 4 (ann, bob, cy, eve); utilisation 4/5 = 0.8.
# top: eve 4, cy 3, ann 2, bob 2 (ties by id).
# overused: engagements (not declined/cancelled) opened from the start of the
#   quarter of 10-31 (2026-10-01) to 10-31: cy 2 (cy/1, cy/2; cy/3 cancelled)
#   >= its own limit 2; eve 4 (eve/1-4) >= the default 4; ann 2, bob 1: no.
# at_risk (active only): bob nps 5 <= 6; cy health red and last contact
#   2026-03-01, 244 days before 10-31 (> 180); eve's last contact 2026-05-04 is
#   exactly 180 days before: not more than 180, not at risk; dee (nps 3) is
#   paused: not counted.
# consent_expiring: until in (10-31, 10-31 + 60 = 12-30]: bob 12-30 (last day
#   counts); eve 10-31 (= to, excluded) and cy 2027-01-01 (one day late) are not.
# coverage by industry (the request's own, else the advocate's):
#   financial-services 4 requests, 2 active advocates (ann, bob), 1 declined
#   (bob/2) -> 2.00; healthcare 3 / 1 (cy; dee is paused) -> 3.00; retail 3
#   (eve/2-4) / 1 (eve; fay retired) -> 3.00; manufacturing 1 (eve/1) / 0 ->
#   no advocate, listed first. Ties (3.00) by requests, then name.
# coverage by product (the request's own, else the advocate's first):
#   payments 3 (ann/1, ann/2 from ann's first product, bob/1) / 3 (ann, bob,
#   gus) -> 1.00; analytics 4 (bob/2 own, cy/1-3) / 1 (cy) -> 4.00, 1
#   declined; iot 1 (eve/1 own) / 0 -> no advocate. eve has no product, so
#   eve/2-4 count under none.
# programs: no advocate is in one, so all 7 are "(none)": 11 requests,
#   fulfilment 8/9, revenue 300000.5, at risk 2 (bob, cy), as the program's.
# rewards in P: awarded ann 10 + cy 25 = 35; redeemed ann 5.
# roster changes in P (commit dates, see report-fixture.sh): added bob (Pat
#   Admin, 10-01 00:00:00), retired fay (Quinn Ops), edited ann (2 commits:
#   Quinn Ops, Pat Admin) and gus (2 commits: Quinn Ops on the side branch and
#   Test User through refctl set at 10-31 23:59:59; the merge commit is not
#   counted), removed zed-old (Pat Admin); cy's edit at 11-01 00:00:00 is after P.
#
# The previous period S = September 2026:
#   opened: ann/3 (09-30), dee/1 = 2; closed: dee/1 completed = 1, 0, 0;
#   fulfilment 1/1 = 1 (100.0%); median 2 (dee/1, 09-10 to 09-12);
#   open_at_end at 09-30: ann/3 (closed 10-10) and dee/2 = 2;
#   won 1 (dee/1), lost 0, win rate 1, revenue 5000; referrals 0;
#   new 1 (eve, since 2026-09-05); used 2 (ann, dee); utilisation 2/5 = 0.4;
#   overused 0 (Q3 to 09-30: ann 1, dee 2 of 4); at risk 2 (bob nps 5, cy
#   health red); consent expiring in (09-30, 11-29]: eve (10-31) = 1;
#   rewards awarded 50 (ann, 09-15), redeemed 0; changes: added eve, edited
#   dee (09-30 23:59:59) -> 1, 0, 1, 0.
# Changes in the headlines: 11-2 = +9, 8-1 = +7, 88.9%-100% = -11.1 pts,
#   6.5-2 = +4.5, 85.7%-100% = -14.3 pts, 300000.5-5000 = +295,000.50,
#   80%-40% = +40 pts, 35-50 = -15.
# ---------------------------------------------------------------------------

expected_text=$(cat <<'EOF'
Customer reference program: report for October 2026
Period 2026-10-01 to 2026-10-31, compared with 2026-09-01 to 2026-09-30.
Warning: 1 advocate file is left out of this report: it does not parse (run 'refctl check').

Headlines
---------
  metric                              this period   previous           change
  Requests opened                              11          2               +9
  Requests completed                            8          1               +7
  Requests declined                             1          0               +1
  Requests cancelled                            1          0               +1
  Fulfilment rate                           88.9%     100.0%        -11.1 pts
  Median days to complete                     6.5          2             +4.5
  Open at end of period                         3          2               +1
  Deals won                                     6          1               +5
  Deals lost                                    1          0               +1
  Win rate                                  85.7%     100.0%        -14.3 pts
  Revenue influenced               300,000.50 USD  5,000 USD  +295,000.50 USD
  Referrals opened                              1          0               +1
  Referrals won                                 1          0               +1
  Referral value won                   40,000 USD      0 USD      +40,000 USD
  Value created                    340,000.50 USD  5,000 USD  +335,000.50 USD
  Value to own spend                          n/a        n/a              n/a
  New advocates (since in period)               1          1                0
  Advocates used                                4          2               +2
  Utilisation                               80.0%      40.0%          +40 pts
  Overused advocates                            2          0               +2
  At-risk advocates                             2          2                0
  Consent expiring                              1          1                0
  Points awarded                               35         50              -15
  Points redeemed                               5          0               +5
  Advocate files added                          1          1                0
  Advocates retired                             1          0               +1
  Advocate records edited                       2          1               +1
  Advocate files removed                        1          0               +1
  Files with request changes only               0          0                0

Requests opened by activity
---------------------------
  activity        requests
  reference-call         8
  case-study             1
  referral               1
  video                  1

Requests opened by region of the advocate
-----------------------------------------
  region  requests
  apac           4
  emea           4
  na             3

Requests opened by industry of the advocate
-------------------------------------------
  industry            requests
  financial-services         4
  retail                     4
  healthcare                 3

Requests opened by requester
----------------------------
  requester   requests
  Rita Rep           5
  Sam Seller         5
  (none)             1

Advocates
---------
  Total 7, active 5, new 1 (their since date is in the period), used 4 (utilisation 80.0%).

Top 5 advocates by requests opened
----------------------------------
  #  advocate          requests
  1  Eve Gold, Stark          4
  2  Cy Diaz, Initech         3
  3  Ann Lee, Acme            2
  4  Bob Ray, Globex          2

Overused: engagements from 2026-10-01 to 2026-10-31 at or above the quarter limit
---------------------------------------------------------------------------------
  advocate          engagements  limit
  Cy Diaz, Initech            2      2
  Eve Gold, Stark             4      4

At risk: nps 6 or less, health red, or no contact for over 180 days
-------------------------------------------------------------------
  advocate          why
  Bob Ray, Globex   nps 5
  Cy Diaz, Initech  health red, last contact 2026-03-01

Consent expiring after 2026-10-31, by 2026-12-30 (soonest first)
----------------------------------------------------------------
  advocate         consent until
  Bob Ray, Globex  2026-12-30

Value
-----
  Value created 340,000.50 USD (revenue influenced 300,000.50 USD, referrals won 40,000 USD; each
  opportunity counted once). No advocate has an account value, so there is no ratio to their own
  spend.

Top 5 advocates by value created
--------------------------------
  #  advocate          value created   referrals  own spend  ratio
  1  Bob Ray, Globex     250,000 USD       0 USD        n/a    n/a
  2  Cy Diaz, Initech    220,000 USD  40,000 USD        n/a    n/a
  3  Ann Lee, Acme       100,000 USD       0 USD        n/a    n/a
  4  Eve Gold, Stark   50,000.50 USD       0 USD        n/a    n/a

Programs side by side (an advocate in two programs counts in both)
------------------------------------------------------------------
  program  advocates  requests  fulfilment  revenue influenced  at risk
  (none)           7        11       88.9%      300,000.50 USD        2

Coverage by industry (most requests per active advocate first)
--------------------------------------------------------------
  industry            requests  advocates  declined  per advocate
  manufacturing              1          0         0   no advocate
  healthcare                 3          1         0          3.00
  retail                     3          1         0          3.00
  financial-services         4          2         1          2.00

Coverage by product (most requests per active advocate first)
-------------------------------------------------------------
  product    requests  advocates  declined  per advocate
  iot               1          0         0   no advocate
  analytics         4          1         1          4.00
  payments          3          3         0          1.00

Roster changes (git history of advocates/; request-only changes apart)
----------------------------------------------------------------------
  change         advocate         commits  by
  file added     Bob Ray, Globex        1  Pat Admin
  retired        Fay Hill, Wayne        1  Quinn Ops
  record edited  Ann Lee, Acme          2  Pat Admin, Quinn Ops
  record edited  Gus Ivy, Hooli         2  Quinn Ops, Test User
  file removed   Zed Old, Gone          1  Pat Admin
EOF
)

test_case "default period: the previous calendar month, as text"
run refctl report
check_rc 0
check_eq "text report" "$expected_text" "$out"
check_eq "one warning for the file that does not parse" \
	"warning: left out advocates/broken.yaml:3:1: did not find expected ',' or ']' while parsing a flow sequence" "$err"
check_eq "no line wider than 100" "" "$(printf '%s\n' "$out" | awk 'length > 100')"

test_case "--month, --from/--to and the default give the same bytes"
refctl report >"$TEST_ROOT/default.txt" 2>/dev/null
refctl report --month 2026-10 >"$TEST_ROOT/month.txt" 2>/dev/null
refctl report --from 2026-10-01 --to 2026-10-31 >"$TEST_ROOT/span.txt" 2>/dev/null
check_true "--month = default" cmp -s "$TEST_ROOT/default.txt" "$TEST_ROOT/month.txt"
check_true "--from/--to = --month" cmp -s "$TEST_ROOT/month.txt" "$TEST_ROOT/span.txt"

test_case "json: every key, field by field"
run refctl report --format json
check_rc 0
json=$out
j() { printf '%s' "$json" | jq -c "$1"; }
check_eq "period" '{"from":"2026-10-01","to":"2026-10-31"}' "$(j .period)"
check_eq "left out" "1" "$(j .left_out)"
check_eq "requests.opened" "11" "$(j .requests.opened)"
check_eq "by_activity, by count then name" \
	'{"reference-call":8,"case-study":1,"referral":1,"video":1}' "$(j .requests.by_activity)"
check_eq "by_region" '{"apac":4,"emea":4,"na":3}' "$(j .requests.by_region)"
check_eq "by_industry (alias banking -> financial services)" \
	'{"financial-services":4,"retail":4,"healthcare":3}' "$(j .requests.by_industry)"
check_eq "by_requester" '{"Rita Rep":5,"Sam Seller":5,"(none)":1}' "$(j .requests.by_requester)"
# by month, the 12 months up to October: dee/2 opened in August, ann/3 and
# dee/1 in September, the 11 of October.
check_eq "by_month" \
	'{"2025-11":0,"2025-12":0,"2026-01":0,"2026-02":0,"2026-03":0,"2026-04":0,"2026-05":0,"2026-06":0,"2026-07":0,"2026-08":1,"2026-09":2,"2026-10":11}' \
	"$(j .requests.by_month)"
check_eq "requests.closed" '{"completed":8,"declined":1,"cancelled":1}' "$(j .requests.closed)"
check_contains "fulfilment_rate 8/9" '"fulfilment_rate": 0.888888888888889,' "$json"
check_eq "median_days_to_complete" "6.5" "$(j .requests.median_days_to_complete)"
check_eq "open_at_end" "3" "$(j .requests.open_at_end)"
check_eq "outcomes.won" "6" "$(j .outcomes.won)"
check_eq "outcomes.lost" "1" "$(j .outcomes.lost)"
check_contains "win_rate 6/7" '"win_rate": 0.857142857142857,' "$json"
check_eq "revenue_influenced: OPP-1 once, at 250000" "300000.5" "$(j .outcomes.revenue_influenced)"
check_eq "referrals" '{"count":1,"won":1,"value":40000}' "$(j .referrals)"
check_eq "value" '{"created":340000.5,"account_value":0,"advocates_with_account_value":0,"ratio":null,"top":[{"id":"bob-ray-globex","name":"Bob Ray","company":"Globex","created":250000,"influenced":250000,"referrals":0,"account_value":null,"ratio":null},{"id":"cy-diaz-initech","name":"Cy Diaz","company":"Initech","created":220000,"influenced":180000,"referrals":40000,"account_value":null,"ratio":null},{"id":"ann-lee-acme","name":"Ann Lee","company":"Acme","created":100000,"influenced":100000,"referrals":0,"account_value":null,"ratio":null},{"id":"eve-gold-stark","name":"Eve Gold","company":"Stark","created":50000.5,"influenced":50000.5,"referrals":0,"account_value":null,"ratio":null}]}' "$(j .value)"
check_eq "advocates counts" '[7,5,1,4,0.8]' \
	"$(j '[.advocates.total, .advocates.active, .advocates.new, .advocates.used, .advocates.utilisation]')"
check_eq "advocates.top" \
	'[{"id":"eve-gold-stark","name":"Eve Gold","company":"Stark","requests":4},{"id":"cy-diaz-initech","name":"Cy Diaz","company":"Initech","requests":3},{"id":"ann-lee-acme","name":"Ann Lee","company":"Acme","requests":2},{"id":"bob-ray-globex","name":"Bob Ray","company":"Globex","requests":2}]' \
	"$(j .advocates.top)"
check_eq "advocates.overused" '["cy-diaz-initech","eve-gold-stark"]' "$(j .advocates.overused)"
check_eq "advocates.at_risk" '["bob-ray-globex","cy-diaz-initech"]' "$(j .advocates.at_risk)"
check_eq "advocates.consent_expiring" '["bob-ray-globex"]' "$(j .advocates.consent_expiring)"
check_eq "coverage.industries" \
	'[{"industry":"manufacturing","requests":1,"advocates":0,"declined":0,"demand_per_advocate":null},{"industry":"healthcare","requests":3,"advocates":1,"declined":0,"demand_per_advocate":3},{"industry":"retail","requests":3,"advocates":1,"declined":0,"demand_per_advocate":3},{"industry":"financial-services","requests":4,"advocates":2,"declined":1,"demand_per_advocate":2}]' \
	"$(j .coverage.industries)"
check_eq "coverage.products" \
	'[{"product":"iot","requests":1,"advocates":0,"declined":0,"demand_per_advocate":null},{"product":"analytics","requests":4,"advocates":1,"declined":1,"demand_per_advocate":4},{"product":"payments","requests":3,"advocates":3,"declined":0,"demand_per_advocate":1}]' \
	"$(j .coverage.products)"
check_eq "rewards" '{"awarded":35,"redeemed":5}' "$(j .rewards)"
check_eq "changes" \
	'{"added":[{"id":"bob-ray-globex","commits":1,"by":["Pat Admin"]}],"retired":[{"id":"fay-hill-wayne","commits":1,"by":["Quinn Ops"]}],"edited":[{"id":"ann-lee-acme","commits":2,"by":["Pat Admin","Quinn Ops"]},{"id":"gus-ivy-hooli","commits":2,"by":["Quinn Ops","Test User"]}],"removed":[{"id":"zed-old","commits":1,"by":["Pat Admin"]}],"requests":[]}' \
	"$(j .changes)"
check_eq "previous period" \
	'{"period":{"from":"2026-09-01","to":"2026-09-30"},"requests":{"opened":2,"closed":{"completed":1,"declined":0,"cancelled":0},"fulfilment_rate":1,"median_days_to_complete":2,"open_at_end":2},"outcomes":{"won":1,"lost":0,"win_rate":1,"revenue_influenced":5000},"referrals":{"count":0,"won":0,"value":0},"value":{"created":5000,"ratio":null},"advocates":{"new":1,"used":2,"utilisation":0.4,"overused":0,"at_risk":2,"consent_expiring":1},"rewards":{"awarded":50,"redeemed":0},"changes":{"added":1,"retired":0,"edited":1,"removed":0,"requests":0}}' \
	"$(j .previous)"
check_eq "top-level keys" \
	'["program","currency","period","left_out","requests","outcomes","referrals","value","advocates","coverage","programs","rewards","changes","previous"]' \
	"$(j 'keys_unsorted')"

test_case "period edges: the first and last day are in, the day either side is not"
# [10-02, 10-30] loses ann/1 (10-01) and ann/2 (10-30): 11 - 2 = 9.
run refctl report --from 2026-10-02 --to 2026-10-30 --format json
check_eq "10-02..10-30" "9" "$(printf '%s' "$out" | jq .requests.opened)"
# single days: 10-01 has ann/1, 10-31 ann/2, 09-30 ann/3, 11-01 ann/4.
for d in 2026-10-01 2026-10-31 2026-09-30 2026-11-01; do
	run refctl report --from $d --to $d --format json
	check_eq "one request opened on $d" "1" "$(printf '%s' "$out" | jq .requests.opened)"
done
# [10-02, 10-30] is not a calendar unit: the previous period is the 29 days before.
run refctl report --from 2026-10-02 --to 2026-10-30 --format json
check_eq "previous of a span: same number of days" '{"from":"2026-09-03","to":"2026-10-01"}' \
	"$(printf '%s' "$out" | jq -c .previous.period)"
# [09-03, 10-01] holds ann/1 (10-01, its last day), ann/3 (09-30) and dee/1 (09-10).
check_eq "previous opened" "3" "$(printf '%s' "$out" | jq .previous.requests.opened)"

test_case "roster changes: commit times at the edges of the period"
# bob added at 10-01 00:00:00 is in October; dee edited at 09-30 23:59:59 is in
# September; gus edited at 10-31 23:59:59 is in October; cy at 11-01 00:00:00 is not.
run refctl report --month 2026-11 --format json
check_eq "November: cy edited (the commit at 11-01 00:00:00)" \
	'{"added":[],"retired":[],"edited":[{"id":"cy-diaz-initech","commits":1,"by":["Quinn Ops"]}],"removed":[],"requests":[]}' \
	"$(printf '%s' "$out" | jq -c .changes)"
check_eq "previous of November is October: 1 added, 1 retired, 2 edited, 1 removed" \
	'{"added":1,"retired":1,"edited":2,"removed":1,"requests":0}' "$(printf '%s' "$out" | jq -c .previous.changes)"
run refctl report --month 2026-09 --format json
check_eq "September: eve added, dee edited" \
	'{"added":[{"id":"eve-gold-stark","commits":1,"by":["Pat Admin"]}],"retired":[],"edited":[{"id":"dee-fox-umbrella","commits":1,"by":["Pat Admin"]}],"removed":[],"requests":[]}' \
	"$(printf '%s' "$out" | jq -c .changes)"
run refctl report --month 2026-08 --format json
check_eq "August: the import added seven files (broken and zed-old too)" \
	'["ann-lee-acme","broken","cy-diaz-initech","dee-fox-umbrella","fay-hill-wayne","gus-ivy-hooli","zed-old"]' \
	"$(printf '%s' "$out" | jq -c '[.changes.added[].id]')"

test_case "--quarter and --year"
# Q4 2026 adds ann/4 (11-01): 12 opened; open at 12-31: ann/2, ann/4, dee/2, eve/4 = 4;
# edited adds cy (11-01): ann, cy, gus = 3. The previous period is Q3 (07-01..09-30):
# opened ann/3, dee/1, dee/2 (08-20) = 3.
run refctl report --quarter 2026-Q4 --format json
check_rc 0
check_eq "period" '{"from":"2026-10-01","to":"2026-12-31"}' "$(printf '%s' "$out" | jq -c .period)"
check_eq "opened, open at end, edited" "[12,4,3]" \
	"$(printf '%s' "$out" | jq -c '[.requests.opened, .requests.open_at_end, (.changes.edited | length)]')"
check_eq "previous is Q3" '{"from":"2026-07-01","to":"2026-09-30"}' "$(printf '%s' "$out" | jq -c .previous.period)"
check_eq "previous opened" "3" "$(printf '%s' "$out" | jq .previous.requests.opened)"
run refctl report --quarter 2026-Q4
check_contains "label" "Customer reference program: report for 2026-Q4" "$out"
# 2026: all 15 requests of the fixture were opened in 2026.
run refctl report --year 2026 --format json
check_eq "year period" '{"from":"2026-01-01","to":"2026-12-31"}' "$(printf '%s' "$out" | jq -c .period)"
check_eq "all 15 requests were opened in 2026" "15" "$(printf '%s' "$out" | jq .requests.opened)"
check_eq "previous is 2025" '{"from":"2025-01-01","to":"2025-12-31"}' "$(printf '%s' "$out" | jq -c .previous.period)"

test_case "the default period follows REFCTL_TODAY across a year"
REFCTL_TODAY=2026-01-01 run refctl report --format json
check_eq "December 2025" '{"from":"2025-12-01","to":"2025-12-31"}' "$(printf '%s' "$out" | jq -c .period)"
check_eq "previous November 2025" '{"from":"2025-11-01","to":"2025-11-30"}' \
	"$(printf '%s' "$out" | jq -c .previous.period)"

test_case "nulls for empty denominators"
# July 2026: nothing opened or closed; 5 active advocates, none used.
run refctl report --month 2026-07 --format json
check_eq "rates and median" "[null,null,null,0]" \
	"$(printf '%s' "$out" | jq -c '[.requests.fulfilment_rate, .requests.median_days_to_complete, .outcomes.win_rate, .advocates.utilisation]')"
run refctl report --month 2026-07
check_match "n/a in text" '^  Fulfilment rate +n/a +n/a +n/a$' "$out"
check_match "median n/a" '^  Median days to complete +n/a +n/a +n/a$' "$out"

test_case "bad periods and options: exit 2, nothing on stdout"
for args in "--month 2026-13" "--month 2026-1" "--quarter 2026-Q5" "--year 26" "--from 2026-10-31 --to 2026-10-01" \
	"--from 2026-10-01" "--to 2026-10-01" "--month 2026-10 --year 2026" "--from 2026-02-30 --to 2026-03-01" \
	"--top -1" "--top x" "--format pdf" "--format table" "extra"; do
	# shellcheck disable=SC2086
	run refctl report $args
	check_rc 2 "exit 2 for: $args"
	check_eq "no output for: $args" "" "$out"
done
run refctl report --month 2026-13
check_contains "names the month" "error: invalid month '2026-13' (expected YYYY-MM, last or this)" "$err"
run refctl report --from 2026-10-31 --to 2026-10-01
check_contains "says which" "error: --from 2026-10-31 is after --to 2026-10-01" "$err"

test_case "formats: markdown"
run refctl report --format markdown
check_rc 0
check_eq "title" "# Customer reference program: report for October 2026" "$(printf '%s\n' "$out" | head -1)"
check_contains "headline table" "$(printf '| metric | this period | previous | change |\n| --- | ---: | ---: | ---: |\n| Requests opened | 11 | 2 | +9 |')" "$out"
check_contains "revenue row" "| Revenue influenced | 300,000.50 USD | 5,000 USD | +295,000.50 USD |" "$out"
check_contains "warning in bold" "**Warning: 1 advocate file is left out of this report: it does not parse (run 'refctl check').**" "$out"
check_contains "coverage gap" "| manufacturing | 1 | 0 | 0 | no advocate |" "$out"
check_contains "breakdown heading and table" "$(printf '## Requests opened by activity\n\n| activity | requests |\n| --- | ---: |\n| reference-call | 8 |')" "$out"

test_case "formats: csv, one row per metric"
run refctl report --format csv
check_rc 0
csv=$(printf '%s' "$out" | tr -d '\r')
check_eq "header" "section,metric,key,value" "$(printf '%s\n' "$csv" | head -1)"
for row in "requests,opened,,11" "requests,by_activity,reference-call,8" "requests,closed,completed,8" \
	"requests,fulfilment_rate,,0.888889" "requests,median_days_to_complete,,6.5" \
	"outcomes,revenue_influenced,,300000.5" "outcomes,win_rate,,0.857143" "referrals,value,,40000" \
	"advocates,utilisation,,0.8" "advocates,top,eve-gold-stark,4" "advocates,overused,cy-diaz-initech,2/2" \
	'advocates,at_risk,cy-diaz-initech,"health red, last contact 2026-03-01"' \
	"advocates,consent_expiring,bob-ray-globex,2026-12-30" "coverage,industry.per_advocate,manufacturing," \
	"coverage,product.requests,analytics,4" "rewards,awarded,,35" "changes,edited,,2" \
	"changes,edited.by,ann-lee-acme,Pat Admin; Quinn Ops" "previous,requests.opened,,2" \
	"previous,outcomes.revenue_influenced,,5000" "report,left_out,,1"; do
	check_eq "row $row" "$row" "$(printf '%s\n' "$csv" | grep -Fx -- "$row")"
done
check_true "CRLF line ends (RFC 4180)" grep -q $'\r$' <<<"$out"
check_eq "every row has four fields" "" "$(printf '%s\n' "$csv" | grep -v '"' | awk -F, 'NF != 4')"

test_case "formats: html is one well-formed self-contained file with three charts"
run refctl report --format html
check_rc 0
printf '%s\n' "$out" >"$TEST_ROOT/r.html"
if command -v xmllint >/dev/null; then
	check_true "well-formed (xmllint)" xmllint --noout "$TEST_ROOT/r.html"
else
	fail_check "xmllint is missing (.ci/deps installs libxml2-utils)"
fi
check_eq "three inline SVG charts" "3" "$(grep -c '<svg xmlns="http://www.w3.org/2000/svg"' "$TEST_ROOT/r.html")"
check_eq "no script, no external resource" "" \
	"$(grep -Eio '<script|<link|<img|<iframe|src=|@import|url\(' "$TEST_ROOT/r.html")"
check_eq "the only URLs are XML namespaces" "" \
	"$(grep -Eo 'https?://[^"]*' "$TEST_ROOT/r.html" | grep -v -e '^http://www.w3.org/2000/svg$' -e '^http://www.w3.org/1999/xhtml$')"
check_contains "print rules" "@media print" "$out"
check_contains "title" "<h1>Customer reference program: report for October 2026</h1>" "$out"
check_contains "warning" '<p class="warning">1 advocate file is left out of this report' "$out"
check_contains "revenue" "<td>Revenue influenced</td><td class=\"n\">300,000.50 USD</td>" "$out"
check_contains "October bar" "<title>2026-10: 11</title>" "$out"
check_contains "gap bar" "industry: manufacturing: no active advocate (1 request)" "$out"

test_case "every format is deterministic"
for f in text markdown html csv json; do
	refctl report --format $f >"$TEST_ROOT/a.$f" 2>/dev/null
	refctl report --format $f >"$TEST_ROOT/b.$f" 2>/dev/null
	check_true "$f twice, same bytes" cmp -s "$TEST_ROOT/a.$f" "$TEST_ROOT/b.$f"
	check_eq "$f has no generation time" "" "$(grep -i 'generated' "$TEST_ROOT/a.$f")"
done

test_case "--stamp adds the generation time"
run refctl report --stamp
check_match "text" '^Generated [0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2} UTC\.$' "$out"
run refctl report --stamp --format json
check_match "json" '"generated": "[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2} UTC"' "$out"

test_case "-o FILE: written atomically, the format from the extension"
mkdir -p "$TEST_ROOT/www"
for ext in json md html csv txt; do
	run refctl report -o "$TEST_ROOT/www/r.$ext"
	check_rc 0 "-o r.$ext"
	check_eq "nothing on stdout for r.$ext" "" "$out"
done
check_true "json" cmp -s "$TEST_ROOT/www/r.json" "$TEST_ROOT/a.json"
check_true "markdown" cmp -s "$TEST_ROOT/www/r.md" "$TEST_ROOT/a.markdown"
check_true "html" cmp -s "$TEST_ROOT/www/r.html" "$TEST_ROOT/a.html"
check_true "csv" cmp -s "$TEST_ROOT/www/r.csv" "$TEST_ROOT/a.csv"
check_true "text" cmp -s "$TEST_ROOT/www/r.txt" "$TEST_ROOT/a.text"
check_eq "no temporary file left" "r.csv r.html r.json r.md r.txt" "$(cd "$TEST_ROOT/www" && ls -A | tr '\n' ' ' | sed 's/ $//')"
check_eq "mode 644" "644" "$(stat -c %a "$TEST_ROOT/www/r.json")"
run refctl report --format text -o "$TEST_ROOT/www/forced.json"
check_true "--format wins over the extension" cmp -s "$TEST_ROOT/www/forced.json" "$TEST_ROOT/a.text"
run refctl report -o "$TEST_ROOT/www/noext"
check_true "no extension: text" cmp -s "$TEST_ROOT/www/noext" "$TEST_ROOT/a.text"
run refctl report -o -
check_eq "-o - is stdout" "$(cat "$TEST_ROOT/a.text")" "$out"
check_true "no file named -" test ! -e ./-
run refctl report -o "$TEST_ROOT/www/r.pdf"
check_rc 2 "unknown extension"
check_contains "says so" "use --format" "$err"
check_true "nothing written" test ! -e "$TEST_ROOT/www/r.pdf"
echo old >"$TEST_ROOT/www/old.json"
run refctl report -o "$TEST_ROOT/www/old.json"
check_true "an existing file is replaced whole" cmp -s "$TEST_ROOT/www/old.json" "$TEST_ROOT/a.json"
run refctl report -o "$TEST_ROOT/no/such/dir/r.json"
check_rc 3 "missing directory"
check_contains "says where" "cannot create a temporary file in '$TEST_ROOT/no/such/dir'" "$err"
( cd "$TEST_ROOT/www" && "$REFCTL" -C "$TEST_ROOT/prog" report -o "$TEST_ROOT/www/rel.json" 2>/dev/null )
check_true "absolute path with -C" cmp -s "$TEST_ROOT/www/rel.json" "$TEST_ROOT/a.json"

test_case "no email or phone in any report"
for f in text markdown html csv json; do
	for secret in ann@acme.example bob@globex.example cy@initech.example dee@umbrella.example \
		eve@stark.example "+44 20 7946 0001" "7946" "+1 555 0100" "555 0199" "+61 2 5550 0000"; do
		check_eq "$f: no '$secret'" "" "$(grep -F -- "$secret" "$TEST_ROOT/a.$f")"
	done
done

test_case "--top N"
run refctl report --top 2 --format json
check_eq "two" '["eve-gold-stark","cy-diaz-initech"]' "$(printf '%s' "$out" | jq -c '[.advocates.top[].id]')"
run refctl report --top 0 --format json
check_eq "none" '[]' "$(printf '%s' "$out" | jq -c .advocates.top)"

test_case "two files that do not parse: two warnings, and the report says 2"
printf 'id: also-broken\nstatus: [\n' >advocates/also-broken.yaml
run refctl report
check_eq "two warnings" "2" "$(printf '%s\n' "$err" | grep -c '^warning: left out advocates/')"
check_contains "names the second" "advocates/also-broken.yaml" "$err"
check_contains "text says 2" "Warning: 2 advocate files are left out of this report: they do not parse (run 'refctl check')." "$out"
run refctl report --format json
check_eq "json says 2" "2" "$(printf '%s' "$out" | jq .left_out)"
rm advocates/also-broken.yaml

test_case "help"
run refctl report -h
check_rc 0
check_contains "usage" "usage: refctl report [--month YYYY-MM | --quarter YYYY-Qn | --year YYYY | --from D --to D]" "$out"
run refctl help
check_contains "listed" "  report " "$out"

# ---------------------------------------------------------------------------
test_case "requests and rewards written by refctl request count in the report"
new_repo flow
at() { GIT_AUTHOR_DATE=$1 GIT_COMMITTER_DATE=$1 "${@:2}" >/dev/null; }
at 2026-10-01T09:00:00Z refctl add --name "Ann Lee" --company Acme --status active --activity reference-call
at 2026-10-05T09:00:00Z refctl request new ann-lee-acme --prospect Initech --activity reference-call \
	--requester "Sam Seller" --opportunity OPP-1 --date 2026-10-05
at 2026-10-06T09:00:00Z refctl request approve ann-lee-acme/ --by Boss
at 2026-10-09T09:00:00Z refctl request complete ann-lee-acme/ --date 2026-10-09 --outcome won --value 1200
run refctl report --format json
check_rc 0
# opened 10-05, completed 10-09 (4 days), won 1200; the completion awarded the
# default 10 points of a reference call; refctl's own commits: one add, and three
# that changed only the requests and rewards (new, approve, complete): request
# changes, not roster edits.
check_eq "figures" '[1,1,4,1,1200,10,1,0,3]' \
	"$(printf '%s' "$out" | jq -c '[.requests.opened, .requests.closed.completed, .requests.median_days_to_complete, .outcomes.won, .outcomes.revenue_influenced, .rewards.awarded, (.changes.added | length), (.changes.edited | length), .changes.requests[0].commits]')"
check_eq "committed by" '["Test User"]' "$(printf '%s' "$out" | jq -c '.changes.requests[0].by')"
run refctl report
check_contains "said apart from edits" "  Advocate records edited                    0         0           0
  Advocate files removed                     0         0           0
  Files with request changes only            1         0          +1" "$out"
check_contains "in the roster table" "  file added     Ann Lee, Acme        1  Test User
  requests only  Ann Lee, Acme        3  Test User" "$out"

# ---------------------------------------------------------------------------
test_case "an empty repository: zeros, nulls and empty lists"
new_repo empty
run refctl report --format json
check_rc 0
check_eq "requests" '{"opened":0,"by_activity":{},"by_region":{},"by_industry":{},"by_requester":{},"closed":{"completed":0,"declined":0,"cancelled":0},"fulfilment_rate":null,"median_days_to_complete":null,"open_at_end":0}' \
	"$(printf '%s' "$out" | jq -c '.requests | del(.by_month)')"
check_eq "outcomes" '{"won":0,"lost":0,"win_rate":null,"revenue_influenced":0}' "$(printf '%s' "$out" | jq -c .outcomes)"
check_eq "advocates" '{"total":0,"active":0,"new":0,"used":0,"utilisation":null,"top":[],"overused":[],"at_risk":[],"consent_expiring":[]}' \
	"$(printf '%s' "$out" | jq -c .advocates)"
check_eq "coverage" '{"industries":[],"products":[]}' "$(printf '%s' "$out" | jq -c .coverage)"
check_eq "changes" '{"added":[],"retired":[],"edited":[],"removed":[],"requests":[]}' "$(printf '%s' "$out" | jq -c .changes)"
check_eq "left out" "0" "$(printf '%s' "$out" | jq .left_out)"
run refctl report
check_rc 0
check_eq "no warning" "" "$err"
check_match "utilisation n/a" '^  Total 0, active 0, new 0 \(their since date is in the period\), used 0 \(utilisation n/a\)\.$' "$out"
check_match "empty tables say so" '^  \(none\)$' "$out"
for f in markdown html csv; do
	run refctl report --format $f
	check_rc 0 "empty $f"
done

test_case "a repository without any commit, and a clone without advocates/"
cd "$TEST_ROOT"
"$REFCTL" init --no-commit bare-start >/dev/null
cd bare-start
run refctl report --format json
check_rc 0
check_eq "no history, no changes" '{"added":[],"retired":[],"edited":[],"removed":[],"requests":[]}' "$(printf '%s' "$out" | jq -c .changes)"
rmdir advocates
run refctl report --format json
check_rc 0
check_eq "no advocates/ folder" "0" "$(printf '%s' "$out" | jq .advocates.total)"

# ---------------------------------------------------------------------------
test_case "long names, ids and requesters stay within 100 columns in text"
new_repo wide
long=$(printf 'x%.0s' $(seq 1 90))
sed -i "s/^program: .*/program: The Very Long Program Name $long/" refctl.yaml
id=a$(printf 'b%.0s' $(seq 1 62))
cat >"advocates/$id.yaml" <<EOF
id: $id
name: Name $long
company: Company $long
status: active
industry: Industry $long
region: Region $long
products: [Product $long]
health: red
requests:
  - id: $id/1
    opened: 2026-10-03
    requester: Requester $long
    activity: reference-call
    status: requested
EOF
git add -A && git commit -qm wide
run refctl report
check_rc 0
check_eq "no line wider than 100" "" "$(printf '%s\n' "$out" | awk 'length > 100')"
check_contains "cut names end with ..." "  1  Name ${long:0:52}...  " "$out"
check_contains "the title keeps the period" ": report for October 2026" "$out"
run refctl report --format json
check_eq "json keeps the whole id" "$id" "$(printf '%s' "$out" | jq -r '.advocates.top[0].id')"

finish
