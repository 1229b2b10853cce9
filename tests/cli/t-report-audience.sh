#!/bin/bash
# Reports per audience and per program: refctl.yaml's audiences (title, the
# program name they know, sections and headline figures in order) in every
# format, --program and --region, the programs side by side, and refctl show
# listing the programs an advocate is in and the options it has not taken up.
. "$(dirname "$0")/lib.sh"

command -v jq >/dev/null || { echo "t-report-audience: jq is missing (.ci/deps installs it)" >&2; exit 1; }

new_repo prog
cat >>refctl.yaml <<'EOF'
audiences:
  executives:
    title: executive summary
    program: Customer Advocacy
    sections: [key_figures, value, programs]
    headlines: [value.created, outcomes.revenue_influenced, advocates.at_risk]
  sales:
    title: pipeline report
    program: Sales References
    sections: [headlines, requests, advocates]
    headlines: [requests.opened, outcomes.win_rate]
EOF
req() { # ID OPENED CLOSED STATUS [OUTCOME VALUE OPPORTUNITY]
	printf '  - id: %s\n    opened: %s\n    activity: reference-call\n    status: %s\n    closed: %s\n' "$1" "$2" "$4" "$3"
	[ -n "${5:-}" ] && printf '    outcome: %s\n    deal_value: %s\n    opportunity: %s\n' "$5" "$6" "$7"
}
write_advocate ann "region: emea
programs: [emea-references]
activities: [reference-call, case-study]
requests:
$(req ann/1 2026-10-02 2026-10-10 completed won 1000 OPP-1)"
write_advocate bob "region: na
nps: 4
programs: [na-references]
requests:
$(req bob/1 2026-10-03 2026-10-04 declined)
    reason: busy
$(req bob/2 2026-10-05 2026-10-20 completed won 3000 OPP-2)"
write_advocate cy "region: EMEA
programs: [emea-references, NA References]
requests:
$(req cy/1 2026-10-06 2026-10-15 completed won 2000 OPP-1)"
write_advocate dee "region: apac"
git commit -qam audiences

# ---------------------------------------------------------------------------
# By hand, October 2026 (REFCTL_TODAY 2026-11-15):
#   emea-references: ann, cy = 2 advocates; requests ann/1, cy/1 = 2; completed
#     2, declined 0: 100.0%; revenue OPP-1 once at max(1000, 2000) = 2000; at risk 0.
#   na-references ("NA References" is the same program): bob, cy = 2; requests
#     bob/1, bob/2, cy/1 = 3; completed 2 (bob/2, cy/1), declined 1 (bob/1):
#     66.7%; revenue OPP-2 3000 + OPP-1 2000 = 5000; at risk 1 (bob, nps 4).
#   (none): dee = 1; no request: fulfilment n/a; 0; 0.
#   Sorted by advocates, then name: emea-references, na-references, (none).
#   Requests opened: ann/1, bob/1, bob/2, cy/1 = 4; won 3, lost 0: win rate 100%.
#   The program: revenue OPP-1 2000 + OPP-2 3000 = 5000 (OPP-1 once across
#   the two programs); value created 5000; at risk 1 (September: bob too, 1).
# ---------------------------------------------------------------------------

test_case "the full report compares the programs side by side"
run refctl report --month 2026-10
check_rc 0
check_contains "table" "Programs side by side (an advocate in two programs counts in both)
------------------------------------------------------------------
  program          advocates  requests  fulfilment  revenue influenced  at risk
  emea-references          2         2      100.0%           2,000 USD        0
  na-references            2         3       66.7%           5,000 USD        1
  (none)                   1         0         n/a               0 USD        0" "$out"
check_contains "the program counts OPP-1 once" "  Revenue influenced" "$out"
run refctl report --month 2026-10 --format json
check_eq "json" '[["emea-references",2,2,1,2000,0],["na-references",2,3,0.667,5000,1],["(none)",1,0,null,0,0]]' \
	"$(printf '%s' "$out" | jq -c '[.programs[] | [.program, .advocates, .requests, (if .fulfilment_rate then (.fulfilment_rate * 1000 | round) / 1000 else null end), .revenue_influenced, .at_risk]]')"
check_eq "program revenue" "5000" "$(printf '%s' "$out" | jq .outcomes.revenue_influenced)"

test_case "--program: one program's advocates and requests"
run refctl report --month 2026-10 --program emea-references --format json
check_rc 0
check_eq "figures" '[2,2,2,2000,0,"program emea-references"]' \
	"$(printf '%s' "$out" | jq -c '[.advocates.total, .requests.opened, .outcomes.won, .outcomes.revenue_influenced, (.advocates.at_risk | length), .filter]')"
run refctl report --month 2026-10 --program "NA references"
check_contains "title" "Customer reference program: report for October 2026 (program na-references)" "$out"
check_contains "bob and cy" "  Requests opened                            3" "$out"

test_case "--region: one region's advocates (aliases and case as vocabulary)"
run refctl report --month 2026-10 --region NA --format json
check_eq "bob" '[1,2,1,1,3000,1]' \
	"$(printf '%s' "$out" | jq -c '[.advocates.total, .requests.opened, .requests.closed.declined, .outcomes.won, .outcomes.revenue_influenced, (.advocates.at_risk | length)]')"
run refctl report --month 2026-10 --region emea --program na-references --format json
check_eq "both filters: cy" '[1,1,2000]' "$(printf '%s' "$out" | jq -c '[.advocates.total, .requests.opened, .outcomes.revenue_influenced]')"
run refctl report --month 2026-10 --region mars --format json
check_eq "nobody" '[0,0]' "$(printf '%s' "$out" | jq -c '[.advocates.total, .requests.opened]')"

test_case "--for executives: its title, program name, sections and headlines, in text"
run refctl report --month 2026-10 --for executives
check_rc 0
check_eq "head" "Customer Advocacy: executive summary for October 2026" "$(printf '%s\n' "$out" | head -1)"
check_contains "key figures, in its order" "Key figures
-----------
  figure              this period  previous      change
  Value created         5,000 USD     0 USD  +5,000 USD
  Revenue influenced    5,000 USD     0 USD  +5,000 USD
  At-risk advocates             1         1           0" "$out"
check_contains "value" "Top 5 advocates by value created" "$out"
check_contains "programs" "Programs side by side" "$out"
check_not_contains "no headline table" "Headlines" "$out"
check_not_contains "no requests" "Requests opened by activity" "$out"
check_not_contains "no roster" "Roster changes" "$out"

test_case "--for sales: the headline table holds its figures only"
run refctl report --month 2026-10 --for sales
check_eq "head" "Sales References: pipeline report for October 2026" "$(printf '%s\n' "$out" | head -1)"
check_contains "headlines" "Headlines
---------
  metric           this period  previous  change
  Requests opened            4         0      +4
  Win rate              100.0%       n/a     n/a

Requests opened by activity" "$out"
check_contains "advocates" "Top 5 advocates by requests opened" "$out"
check_not_contains "no value" "Top 5 advocates by value created" "$out"

test_case "--for in JSON, CSV, Markdown and HTML"
run refctl report --month 2026-10 --for executives --format json
check_rc 0
check_eq "keys" '["program","audience","title","currency","period","left_out","value","programs","headlines"]' \
	"$(printf '%s' "$out" | jq -c keys_unsorted)"
check_eq "headlines" '[["value.created",5000,0],["outcomes.revenue_influenced",5000,0],["advocates.at_risk",1,1]]' \
	"$(printf '%s' "$out" | jq -c '[.headlines[] | [.metric, .value, .previous]]')"
check_eq "names" '["Customer Advocacy","executives","executive summary"]' "$(printf '%s' "$out" | jq -c '[.program, .audience, .title]')"
run refctl report --month 2026-10 --for executives --format csv
check_contains "csv headline" "headlines,value.created,this,5000" "$out"
check_contains "csv programs" "programs,revenue_influenced,na-references,5000" "$out"
check_not_contains "csv: no requests" "requests,opened" "$out"
check_not_contains "csv: no outcomes" "outcomes," "$out"
run refctl report --month 2026-10 --for executives --format markdown
check_contains "md title" "# Customer Advocacy: executive summary for October 2026" "$out"
check_contains "md programs" "| na-references | 2 | 3 | 66.7% | 5,000 USD | 1 |" "$out"
run refctl report --month 2026-10 --for executives --format html
check_eq "three cards" "3" "$(printf '%s' "$out" | grep -o '<div class="card">' | wc -l)"
check_contains "html value" 'id="value"' "$out"
check_contains "html programs" 'id="programs"' "$out"
check_not_contains "html: no charts" '<svg ' "$out"
check_not_contains "html: no requests" 'id="requests"' "$out"
run refctl report --month 2026-10 --for sales --format html
check_contains "sales: its headline table" "<td>Win rate</td>" "$out"
check_not_contains "sales: no revenue row" "<td>Revenue influenced</td>" "$out"

test_case "bad audiences: exit 2, naming refctl.yaml's line"
run refctl report --for nobody
check_rc 2
check_contains "unknown" "error: no audience 'nobody' in refctl.yaml (audiences: executives, sales)" "$err"
sed -i 's/headlines: \[requests.opened, outcomes.win_rate\]/headlines: [requests.opened, outcomes.wins]/' refctl.yaml
run refctl report --for sales
check_rc 2
line=$(grep -n 'outcomes.wins' refctl.yaml | cut -d: -f1)
# "    headlines: [requests.opened, " is 33 characters
check_contains "bad headline" "error: refctl.yaml:$line:34: audiences.sales.headlines: 'outcomes.wins' is not a headline figure" "$err"
git checkout -q refctl.yaml
sed -i 's/sections: \[headlines, requests, advocates\]/sections: [headlines, pipeline]/' refctl.yaml
run refctl report
check_rc 2
line=$(grep -n 'pipeline\]' refctl.yaml | cut -d: -f1)
# "    sections: [headlines, " is 26 characters
check_contains "bad section" "error: refctl.yaml:$line:27: audiences.sales.sections: 'pipeline' is not a section (key_figures, charts, headlines, requests, advocates, value, programs, coverage, roster or content)" "$err"
git checkout -q refctl.yaml
sed -i 's/sections: \[headlines, requests, advocates\]/sections: [headlines, requests, headlines]/' refctl.yaml
run refctl report --for sales
check_rc 2
check_contains "twice" "audiences.sales.sections: 'headlines' is listed twice" "$err"
git checkout -q refctl.yaml

test_case "show lists the programs an advocate is in, and the options it has not taken up"
run refctl show ann --format text
check_rc 0
check_contains "options" "# in programs: emea-references
# not yet in programs: na-references
# activities not yet offered: quote, video, speaking, press, analyst, advisory-board, beta, referral, site-visit, social, community" "$out"
run refctl show dee --format json
check_eq "dee: in none, the two the repository knows" '["emea-references","na-references"]' \
	"$(printf '%s' "$out" | jq -c .programs_not_in)"
sed -i 's/^  programs: \[\]$/  programs: [emea-references, na-references, customer-advisory-board]/' refctl.yaml
run refctl show cy --format text
check_contains "from vocabulary.programs" "# not yet in programs: customer-advisory-board" "$out"
run refctl show cy
check_not_contains "yaml stays the file" "# not yet" "$out"

finish
