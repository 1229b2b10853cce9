#!/bin/bash
# refctl request list and show: across advocates, oldest first, filters, formats.
. "$(dirname "$0")/lib.sh"

new_repo prog

# Requests written by hand, some fields out of the canonical order.
cat >advocates/ann.yaml <<'EOF'
id: ann
name: Ann Lee
company: Initech
status: active
requests:
- status: completed
  id: ann/1
  opened: 2026-10-05
  requester: Sam Rep
  prospect: Globex
  activity: reference-call
  approved_by: Dana
  closed: 2026-10-20
  outcome: won
  deal_value: 250000
- id: ann/2
  opened: 2026-11-10
  requester: Kim Rep
  prospect: Acme
  activity: quote
  status: requested
- id: ann/10
  opened: 2026-11-10
  requester: sam rep
  prospect: Hooli
  activity: quote
  status: approved
  approved_by: Dana
EOF
cat >advocates/bob.yaml <<'EOF'
id: bob
name: Bob Roe
company: Umbrella
status: active
requests:
- id: bob/1
  opened: 2026-11-10
  requester: Lee Rep
  prospect: Initech
  activity: case-study
  status: scheduled
  approved_by: Dana
  scheduled: 2026-11-20
- id: bob/2
  opened: 2026-09-30
  requester: Sam Rep
  prospect: Umbrella
  activity: reference-call
  status: declined
  closed: 2026-10-01
  reason: busy
EOF
write_advocate cat
git add advocates && git commit -qm "requests by hand"

ids() { printf '%s\n' "$out" | tail -n +2 | cut -f1 | tr '\n' ' '; }

test_case "list: every request, oldest first (opened, then advocate, then N)"
run refctl request list
check_rc 0
# widths: id 6 (ann/10), opened 10, status 9, activity 14, prospect 8, requester 9,
# scheduled 10, closed 10, outcome 7, deal_value 10 (right-aligned); two spaces between
check_eq "table" "id      opened      status     activity        prospect  requester  scheduled   closed      outcome  deal_value
bob/2   2026-09-30  declined   reference-call  Umbrella  Sam Rep                2026-10-01
ann/1   2026-10-05  completed  reference-call  Globex    Sam Rep                2026-10-20  won          250000
ann/2   2026-11-10  requested  quote           Acme      Kim Rep
ann/10  2026-11-10  approved   quote           Hooli     sam rep
bob/1   2026-11-10  scheduled  case-study      Initech   Lee Rep    2026-11-20" "$out"
check_eq "nothing on stderr" "" "$err"

test_case "list --format tsv and csv"
run refctl request list --format tsv --advocate bob
check_rc 0
check_eq "tsv" "id	opened	status	activity	prospect	requester	scheduled	closed	outcome	deal_value
bob/2	2026-09-30	declined	reference-call	Umbrella	Sam Rep		2026-10-01		
bob/1	2026-11-10	scheduled	case-study	Initech	Lee Rep	2026-11-20			" "$out"
run refctl request list --format csv --status completed
check_rc 0
# RFC 4180: lines end in CR LF
check_eq "csv" "id,opened,status,activity,prospect,requester,scheduled,closed,outcome,deal_value\r
ann/1,2026-10-05,completed,reference-call,Globex,Sam Rep,,2026-10-20,won,250000\r" "$(printf '%s' "$out" | sed 's/\r$/\\r/')"

test_case "list --format json: the request's fields, typed, and its advocate"
run refctl request list --format json --status completed
check_rc 0
check_eq "json" '[
  {
    "id": "ann/1",
    "opened": "2026-10-05",
    "requester": "Sam Rep",
    "prospect": "Globex",
    "activity": "reference-call",
    "status": "completed",
    "approved_by": "Dana",
    "closed": "2026-10-20",
    "outcome": "won",
    "deal_value": 250000,
    "advocate": "ann"
  }
]' "$out"

test_case "list --status, repeatable"
run refctl request list --format tsv --status requested
check_eq "one status" "ann/2 " "$(ids)"
run refctl request list --format tsv --status requested --status scheduled
check_eq "two statuses" "ann/2 bob/1 " "$(ids)"

test_case "list --open: requested, approved or scheduled"
run refctl request list --format tsv --open
check_eq "open" "ann/2 ann/10 bob/1 " "$(ids)"

test_case "list --advocate and --requester (any case)"
run refctl request list --format tsv --advocate ann
check_eq "ann's" "ann/1 ann/2 ann/10 " "$(ids)"
run refctl request list --format tsv --requester "SAM REP"
check_eq "Sam's" "bob/2 ann/1 ann/10 " "$(ids)"

test_case "list --since and --until are inclusive"
run refctl request list --format tsv --since 2026-10-05 --until 2026-11-09
check_eq "window" "ann/1 " "$(ids)"
run refctl request list --format tsv --since 2026-11-10
check_eq "since the day" "ann/2 ann/10 bob/1 " "$(ids)"
run refctl request list --format tsv --until 2026-09-30
check_eq "until the day" "bob/2 " "$(ids)"

test_case "list: none found is exit 1, still valid output"
run refctl request list --advocate cat
check_rc 1
check_eq "empty table" "" "$out"
run refctl request list --advocate cat --format json
check_rc 1
check_eq "empty JSON" "[]" "$out"
run refctl request list --status cancelled --format tsv
check_rc 1
check_eq "header only" "id	opened	status	activity	prospect	requester	scheduled	closed	outcome	deal_value" "$out"

test_case "list: bad usage is exit 2"
run refctl request list --status pending
check_rc 2
check_contains "status" "error: --status must be requested, approved, scheduled, completed, declined or cancelled, not 'pending'" "$err"
run refctl request list --since someday
check_rc 2
check_contains "date" "error: --since: invalid date 'someday' (expected YYYY-MM-DD, today, yesterday, or Nd, Nw, Nm (N up to 12) or Ny ago)" "$err"
run refctl request list --format yaml
check_rc 2
check_contains "format" "unknown format 'yaml'" "$err"
run refctl request list --advocate nobody
check_rc 1
check_eq "unknown advocate" "error: no advocate 'nobody' (no advocates/nobody.yaml)" "$err"

test_case "list: a file that does not load is skipped with a warning"
printf 'id: zed\nname: [unclosed\n' >advocates/zed.yaml
run refctl request list --format tsv --open
check_rc 0
check_eq "the rest listed" "ann/2 ann/10 bob/1 " "$(ids)"
check_contains "warning" "warning: skipped advocates/zed.yaml" "$err"
rm advocates/zed.yaml

test_case "show: one request in canonical order"
run refctl request show ann/1
check_rc 0
check_eq "yaml" "id: ann/1
opened: 2026-10-05
requester: Sam Rep
prospect: Globex
activity: reference-call
status: completed
approved_by: Dana
closed: 2026-10-20
outcome: won
deal_value: 250000" "$out"
run refctl request show --format json bob/1
check_rc 0
check_eq "json" '{
  "id": "bob/1",
  "opened": "2026-11-10",
  "requester": "Lee Rep",
  "prospect": "Initech",
  "activity": "case-study",
  "status": "scheduled",
  "approved_by": "Dana",
  "scheduled": "2026-11-20",
  "advocate": "bob"
}' "$out"

test_case "show: not found and malformed"
run refctl request show ann/3
check_rc 1
check_eq "no such request" "error: no request 'ann/3' in advocates/ann.yaml" "$err"
run refctl request show nobody/1
check_rc 1
run refctl request show ann-1
check_rc 1
check_eq "a prefix of no id" "error: no request id starts with 'ann-1'" "$err"
run refctl request show Ann/1
check_rc 2
check_contains "malformed" "error: 'Ann/1' is not a request id" "$err"
run refctl request show
check_rc 2
check_contains "usage" "usage: refctl request show" "$err"

test_case "list and show leave the files as they were"
check_eq "tree clean" "" "$(git status --porcelain)"

test_case "help"
run refctl help request
check_rc 0
check_contains "summary" "refctl request: ask for, approve, schedule and close reference requests" "$out"
check_contains "every verb" "or: refctl request outcome ID --outcome won|lost [--value N]" "$out"
run refctl request new -h
check_rc 0
check_eq "verb usage on stdout, from its option table" "usage: refctl request new ADVOCATE --prospect P --activity A --requester R
           [--opportunity O] [--value N] [--industry I] [--region R] [--product P]
           [--date D] [--force -m REASON] [--include-at-risk -m REASON] [--no-commit] [-m TEXT]

    --prospect P            the prospect the reference is for (required)
    --activity A            what the advocate is asked to do (required)
    --requester R           who asks, such as the account executive (required)
    --opportunity O         the deal's id in the CRM
    --value N               the expected deal value
    --industry I            the prospect's industry
    --region R              the prospect's region
    --product P             the product the deal is about
    --date D                the day it was opened (default: today)
    --force                 record it even if the advocate is unavailable (-m gives why)
    --include-at-risk       record it even if the advocate is at risk (health red or low nps; -m gives why)
    --no-commit             write the files, leave committing to you
    -m, --message TEXT      the commit message body
    -h, --help              show this help

Refused (exit 1) when the advocate is not available by the rules of
'refctl match' as of --date; --force records it anyway, with forced: true
and the reason -m gives. --include-at-risk lifts only the at-risk rule
(health red, or nps at or below report.at_risk_nps), recorded the same way." "$out"
check_eq "nothing on stderr" "" "$err"
run refctl request
check_rc 2
check_contains "needs a verb" "error: expected a verb: new, approve, schedule" "$err"
check_contains "with the verbs" "   or: refctl request show [--format yaml|json] ID" "$err"

test_case "help: request -h lists the verbs, each with its synopsis, as 'help request' does"
run refctl request -h
check_rc 0
check_eq "nothing on stderr" "" "$err"
for v in "new       ask for an advocate for a prospect" "approve   approve a requested request" \
	"schedule  give an approved request its day" "decline   decline a requested or approved request" \
	"cancel    cancel a request that is not closed" "complete  close an approved or scheduled request as done" \
	"outcome   record the deal's outcome of a completed request" "list      list requests across advocates" \
	"show      show one request"; do
	check_contains "lists ${v%% *}" "    $v" "$out"
done
check_contains "first synopsis" "usage: refctl request new ADVOCATE --prospect P" "$out"
check_contains "last synopsis" "   or: refctl request show [--format yaml|json] ID" "$out"
help_out=$out
run refctl request --help
check_eq "--help the same" "$help_out" "$out"
run refctl help request
check_eq "help request: the summary, then request -h" "refctl request: ask for, approve, schedule and close reference requests

$help_out" "$out"
run refctl help reward
check_rc 0
check_eq "help reward: the summary, then reward -h" "refctl reward: award or redeem an advocate's reward points

usage: refctl reward ADVOCATE --points N --reason TEXT [--no-commit] [-m TEXT]

    --points N              points to award, negative to redeem (required)
    --reason TEXT           why (required)
    --no-commit             write the files, leave committing to you
    -m, --message TEXT      the commit message body
    -h, --help              show this help

Negative points redeem; the balance never goes below zero." "$out"

test_case "help: every verb's -h and --help, inside and outside a repository"
synopsis() {
	case $1 in
	new) echo "usage: refctl request new ADVOCATE --prospect P --activity A --requester R" ;;
	approve) echo "usage: refctl request approve ID [--by NAME] [--no-commit] [-m TEXT]" ;;
	schedule) echo "usage: refctl request schedule ID --date D [--no-commit] [-m TEXT]" ;;
	decline) echo "usage: refctl request decline ID --reason TEXT [--no-commit] [-m TEXT]" ;;
	cancel) echo "usage: refctl request cancel ID --reason TEXT [--no-commit] [-m TEXT]" ;;
	complete) echo "usage: refctl request complete ID [--date D] [--outcome won|lost|open] [--value N]" ;;
	outcome) echo "usage: refctl request outcome ID --outcome won|lost [--value N] [--no-commit] [-m TEXT]" ;;
	list) echo "usage: refctl request list [--status S]... [--open] [--advocate A] [--requester R]" ;;
	show) echo "usage: refctl request show [--format yaml|json] ID" ;;
	esac
}
repo=$PWD
mkdir -p "$TEST_ROOT/nowhere"
for where in "$repo" "$TEST_ROOT/nowhere"; do
	cd "$where"
	for v in new approve schedule decline cancel complete outcome list show; do
		for h in -h --help; do
			run refctl request $v $h
			check_rc 0 "$where: request $v $h: exit status"
			check_eq "$where: request $v $h: first line" "$(synopsis $v)" "$(printf '%s\n' "$out" | head -n 1)"
			check_contains "$where: request $v $h: lists help" "    -h, --help              show this help" "$out"
			check_eq "$where: request $v $h: nothing on stderr" "" "$err"
		done
	done
done
# outside a repository a verb that is not asking for help says so, once
run refctl request list
check_rc 2
check_eq "no repository" "1" "$(printf '%s\n' "$err" | grep -c '^error: ')"
cd "$repo"

test_case "bad usage of a verb: one error line, then that verb's usage, exit 2"
run refctl request list --bogus
check_rc 2
check_eq "first line" "error: unknown option '--bogus'" "$(printf '%s\n' "$err" | head -n 1)"
check_eq "then the usage" "$(synopsis list)" "$(printf '%s\n' "$err" | sed -n 2p)"
check_eq "nothing on stdout" "" "$out"
run refctl request show --format
check_rc 2
check_contains "missing value" "error: option '--format' needs a value" "$err"
run refctl request --bogus
check_rc 2
check_contains "before the verb" "error: unknown option '--bogus'" "$err"
check_contains "with the verbs" "Verbs:" "$err"
run refctl help
check_contains "listed" "  request  ask for" "$out"
check_contains "listed" "  reward   award or redeem" "$out"

finish
