#!/bin/bash
# A report a VP reads: long lists capped at report.max_rows with "and N more"
# in text, Markdown and HTML while CSV and JSON keep every row; names, not
# slugs, in the tables; consent soonest first; the currency in every amount;
# the HTML opens with the key figures and the charts, then the tables.
. "$(dirname "$0")/lib.sh"

command -v jq >/dev/null || { echo "t-report-vp: jq is missing (.ci/deps installs it)" >&2; exit 1; }

new_repo prog
sed -i 's/^currency: USD$/currency: GBP/' refctl.yaml
# 25 active advocates at risk (nps 3), a01 .. a25, named "Name NN"; their
# consent ends on 2026-12-(31 - NN): a25 first (12-06), a01 last (12-30).
for i in $(seq -w 1 25); do
	cat >"advocates/a$i.yaml" <<EOF
id: a$i
name: Name $i
company: Co $i
status: active
nps: 3
consent:
  until: 2026-12-$(printf '%02d' $((31 - 10#$i)))
EOF
done
cat >advocates/won.yaml <<'EOF'
id: won
name: Winner
company: Big Co
status: active
requests:
  - id: won/1
    opened: 2026-10-02
    activity: reference-call
    status: completed
    closed: 2026-10-12
    outcome: won
    deal_value: 1234.5
EOF
git add -A && git commit -qm fixture

test_case "text: at most report.max_rows (20) rows, then how many more"
run refctl report --month 2026-10
check_rc 0
risk=$(printf '%s\n' "$out" | sed -n '/^At risk/,/^$/p')
check_eq "20 rows of 25, names not ids" "20" "$(printf '%s\n' "$risk" | grep -c '^  Name ')"
check_contains "first" "  Name 01, Co 01  nps 3" "$risk"
check_contains "twentieth" "  Name 20, Co 20  nps 3" "$risk"
check_not_contains "21st" "Name 21" "$risk"
check_contains "and 5 more" "  and 5 more (CSV and JSON list every row)" "$risk"

test_case "consent expiring: the soonest first"
consent=$(printf '%s\n' "$out" | sed -n '/^Consent expiring/,/^$/p')
check_eq "order" "  Name 25, Co 25  2026-12-06
  Name 24, Co 24  2026-12-07
  Name 23, Co 23  2026-12-08" "$(printf '%s\n' "$consent" | sed -n 4,6p)"
check_contains "and 5 more" "  and 5 more (CSV and JSON list every row)" "$consent"

test_case "the currency follows every amount"
check_contains "headline" "  Revenue influenced               1,234.50 GBP     0 GBP  +1,234.50 GBP" "$out"
check_contains "value section" "Value created 1,234.50 GBP (revenue influenced 1,234.50 GBP, referrals won 0 GBP;" "$out"

test_case "report.max_rows from refctl.yaml"
sed -i 's/^  max_rows: 20$/  max_rows: 3/' refctl.yaml
run refctl report --month 2026-10
check_eq "three rows" "3" "$(printf '%s\n' "$out" | sed -n '/^At risk/,/^$/p' | grep -c '^  Name ')"
check_contains "and 22 more" "  and 22 more (CSV and JSON list every row)" "$out"
check_contains "the headlines are never cut" "  Files with request changes only" "$out"
sed -i 's/^  max_rows: 3$/  max_rows: 0/' refctl.yaml
run refctl report --month 2026-10
check_rc 2
check_contains "range" "report.max_rows must be a whole number from 1 to 100000" "$err"
git checkout -q refctl.yaml

test_case "Markdown and HTML cap too, with the name and the id"
run refctl report --month 2026-10 --format markdown
check_contains "md row" "| Name 01, Co 01 | nps 3 | a01 |" "$out"
check_contains "md more" "*and 5 more (CSV and JSON list every row)*" "$out"
check_not_contains "md 21st" "| Name 21, Co 21 | nps 3 |" "$out"
run refctl report --month 2026-10 --format html
check_contains "html row" "<tr><td>Name 01, Co 01</td><td>nps 3</td><td>a01</td></tr>" "$out"
check_contains "html more" '<tr><td class="more" colspan="3">and 5 more (CSV and JSON list every row)</td></tr>' "$out"
check_contains "html amount" '<td class="n">1,234.50 GBP</td>' "$out"

test_case "CSV and JSON keep every row"
run refctl report --month 2026-10 --format json
check_eq "25 at risk" "25" "$(printf '%s' "$out" | jq '.advocates.at_risk | length')"
check_eq "consent soonest first" '["a25","a24"]' "$(printf '%s' "$out" | jq -c '.advocates.consent_expiring[0:2]')"
check_eq "currency" '"GBP"' "$(printf '%s' "$out" | jq -c .currency)"
run refctl report --month 2026-10 --format csv
check_eq "25 at-risk rows" "25" "$(printf '%s\n' "$out" | grep -c '^advocates,at_risk,')"
check_contains "currency row" "report,currency,,GBP" "$out"

test_case "HTML opens with the key figures and the charts, then the tables"
run refctl report --month 2026-10 --format html
pos() { printf '%s' "$out" | grep -bo -- "$1" | head -1 | cut -d: -f1; }
kf=$(pos 'id="key-figures"') ch=$(pos 'id="charts"') svg=$(pos '<svg ') tbl=$(pos '<table>')
check_true "key figures before charts" test "$kf" -lt "$ch"
check_true "charts before the first table" test "$svg" -lt "$tbl"
check_contains "a key figure" '<div class="card"><div class="label">Revenue influenced</div><div class="value">1,234.50 GBP</div><div class="change">+1,234.50 GBP on the previous period</div></div>' "$out"
check_eq "eight key figures" "8" "$(printf '%s' "$out" | grep -o '<div class="card">' | wc -l)"

finish
