#!/bin/bash
# Terminal and line injection: control characters from files (C0, DEL, C1,
# bidirectional overrides) are shown escaped in every text output and
# message; machine formats keep the bytes (JSON escapes them its own way).
. "$(dirname "$0")/lib.sh"

ESC=$'\033' BEL=$'\a'
# no byte of C0 (but newline and tab), DEL or C1 in UTF-8 (\xc2\x80-\x9f),
# and no bidirectional override or isolate (\xe2\x80\xaa-\xae, \xe2\x81\xa6-\xa9)
raw_controls() {
	LC_ALL=C grep -c $'[\x01-\x08\x0b-\x1f\x7f]\|\xc2[\x80-\x9f]\|\xe2\x80[\xaa-\xae]\|\xe2\x81[\xa6-\xa9]'
}

new_repo prog
write_advocate ann "activities: [quote]"
cat >advocates/evil.yaml <<'YAML'
id: evil
name: "Ev\e[31mil\a"
company: "Co\u202eX"
status: active
industry: "fin\x7fance"
region: "\x9b2J"
activities: [quote]
requests:
- id: evil/1
  opened: 2026-10-05
  status: requested
  activity: quote
  requester: "R\e]0;pwned\a"
"a\nadvocates/ann.yaml:1:1: error: forged": 1
YAML
git add advocates/evil.yaml && git commit -qm "add evil"

test_case "list: control characters in names are shown escaped"
run refctl list
check_rc 0
check_eq "table" 'id    name              company      status  industry     region
ann   Person ann        Company ann  active
evil  Ev\x1b[31mil\x07  Co\u202eX    active  fin\x7fance  \u009b2J' "$out"
check_eq "no raw control character" 0 "$(printf '%s\n' "$out" | raw_controls)"

test_case "list: machine formats keep the bytes as stored"
run refctl list --format tsv --fields id,name
check_rc 0
check_eq "tsv" "id	name
ann	Person ann
evil	Ev${ESC}[31mil${BEL}" "$out"
run refctl list --format json --fields id,name,company
check_rc 0
check_contains "json escapes C0 its own way" '"name": "Ev\u001B[31mil\u0007"' "$out"
check_contains "json keeps the override as text" $'"company": "Co\xe2\x80\xaeX"' "$out"

test_case "check: a key holding a newline cannot fake another line"
run refctl check
check_rc 0
check_eq "one line, the newline escaped" \
	"advocates/evil.yaml:14:1: warning: unknown key 'a\\nadvocates/ann.yaml:1:1: error: forged'" "$out"
check_eq "summary" "2 files checked: 0 errors, 1 warning" "$err"

test_case "match: names escaped in the table and in --explain"
run refctl match --activity quote --industry finance --min-relevance 0
check_rc 0
check_eq "table" 'rank  id    name              company      relevance  load  matched
   1  ann   Person ann        Company ann         0%     0
   2  evil  Ev\x1b[31mil\x07  Co\u202eX           0%     1' "$out"
run refctl match --activity quote --explain --limit 1 --exclude-company "Company ann"
check_rc 0
check_contains "explain" '1. evil (Ev\x1b[31mil\x07, Co\u202eX)' "$out"
check_eq "no raw control character" 0 "$(printf '%s\n' "$out" | raw_controls)"

test_case "report: text, Markdown and HTML show escapes"
sed -i 's/^program: .*/program: "Acme\\e]0;owned\\a refs"/' refctl.yaml
git commit -qam "a hostile program name"
run refctl report --month 2026-10
check_rc 0
check_eq "title" 'Acme\x1b]0;owned\x07 refs: report for October 2026' "$(printf '%s\n' "$out" | head -1)"
check_contains "requester" '  R\x1b]0;pwned\x07         1' "$out"
check_contains "top advocates" '  1  Ev\x1b[31mil\x07, Co\u202eX         1' "$out"
check_contains "region (C1)" '  \u009b2j         1' "$out"
check_eq "no raw control character" 0 "$(printf '%s\n' "$out" | raw_controls)"
run refctl report --month 2026-10 --format markdown
check_rc 0
check_contains "markdown" '| 1 | Ev\\x1b\[31mil\\x07, Co\\u202eX | 1 | evil |' "$out"
check_eq "markdown: no raw control character" 0 "$(printf '%s\n' "$out" | raw_controls)"
run refctl report --month 2026-10 --format html
check_rc 0
check_contains "html" '<td>R\x1b]0;pwned\x07</td>' "$out"
check_contains "html title" '<h1>Acme\x1b]0;owned\x07 refs: report for October 2026</h1>' "$out"
check_eq "html: no raw control character" 0 "$(printf '%s\n' "$out" | raw_controls)"
run refctl report --month 2026-10 --format json
check_contains "json stays JSON" '"program": "Acme\u001B]0;owned\u0007 refs"' "$out"

test_case "request list: escaped"
run refctl request list --advocate evil
check_rc 0
check_contains "requester" 'evil/1  2026-10-05  requested  quote               R\x1b]0;pwned\x07' "$out"

test_case "messages: errors and warnings show escapes"
run refctl set evil "status=x${ESC}[2J"
check_rc 2
check_eq "error from a value" "error: status must be one of nominated, active, paused or retired, not 'x\\x1b[2J'" "$err"
run refctl show "e${ESC}[0m"
check_rc 1
check_eq "error from an argument" "error: no advocate 'e\\x1b[0m' (not a valid id)" "$err"
run refctl "--${ESC}[31m"
check_rc 2
check_eq "usage error" "error: unknown option '--\\x1b[31m'" "$(printf '%s\n' "$err" | head -1)"
check_not_contains "usage error: no escape character" "$ESC" "$err"
printf 'id: bad\nname: Bad\ncompany: Co\nstatus: "\\e[5mon\\nfire"\n' >advocates/bad.yaml
run refctl list --fields id
check_rc 0
check_eq "warning about a file" "warning: skipped advocates/bad.yaml:4:9: status must be one of nominated, active, paused or retired, not '\\x1b[5mon\\nfire' (run 'refctl check')" "$err"
run refctl check
check_contains "check" "advocates/bad.yaml:4:9: error: status must be one of nominated, active, paused or retired, not '\\x1b[5mon\\nfire'" "$out"
check_eq "check: one line per problem" 2 "$(printf '%s\n' "$out" | wc -l)"
rm advocates/bad.yaml

finish
