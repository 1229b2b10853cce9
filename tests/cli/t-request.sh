#!/bin/bash
# refctl request: new (and its refusals), every transition, list and show.
# Today is 2026-11-15 (lib.sh), in the quarter 2026-10-01 to 2026-12-31.
. "$(dirname "$0")/lib.sh"

new_repo prog

# ann: high limits, so only the test decides when she is unavailable.
write_advocate ann "account_owner: Dana Owner
activities:
- reference-call
- case-study
- quote
consent:
  scope:
  - case-study
limits:
  per_quarter: 10
  rest_days: 0"

head_is() { git rev-parse HEAD; }
# check_new_id ID ADVOCATE YYMMDD: a new request id of the advocate, dated that day
check_new_id() { check_match "a new id of $2 dated $3" "^$2/$3-[0-9a-hjkmnp-tv-z]{8}\$" "$1"; }

test_case "new: prints the id, one commit of exactly the advocate's file"
before=$(commit_count)
run refctl request new ann --prospect Globex --activity reference-call --requester "Sam Rep" \
	--opportunity OPP-7 --value 250000 --industry healthcare --region emea --product analytics
check_rc 0
A1=$out
check_new_id "$A1" ann 261115
check_eq "stderr quiet" "" "$err"
check_eq "one commit" "$((before + 1))" "$(commit_count)"
check_eq "subject" "refctl: request ${A1} for Globex (reference-call)" "$(git log -1 --format=%s)"
check_eq "commit body empty" "" "$(git log -1 --format=%b)"
check_eq "only the file" "advocates/ann.yaml" "$(git show --format= --name-only HEAD)"
check_eq "tree clean" "" "$(git status --porcelain)"
check_file "the request, in canonical order" advocates/ann.yaml "id: ann
name: Person ann
company: Company ann
status: active
account_owner: Dana Owner
activities:
- reference-call
- case-study
- quote
consent:
  scope:
  - case-study
limits:
  per_quarter: 10
  rest_days: 0
requests:
- id: ${A1}
  opened: 2026-11-15
  requester: Sam Rep
  prospect: Globex
  opportunity: OPP-7
  industry: healthcare
  region: emea
  product: analytics
  activity: reference-call
  status: requested
  deal_value: 250000"

test_case "new: every request an id of its own, dated the day it opens; --date sets opened; -m is the commit body"
run refctl request new ann --prospect Acme --activity case-study --requester "Kim Rep" --date 2026-11-02 \
	-m "Big logo, worth a case study"
check_rc 0
A2=$out
check_new_id "$A2" ann 261102
check_eq "body" "Big logo, worth a case study" "$(git log -1 --format=%b)"
check_contains "opened as given" "- id: ${A2}
  opened: 2026-11-02
  requester: Kim Rep
  prospect: Acme
  activity: case-study
  status: requested" "$(cat advocates/ann.yaml)"

test_case "new: an ADVOCATE/N request added by hand (an older version) stays valid beside the new ids"
cat >>advocates/ann.yaml <<'EOF'
- id: ann/7
  opened: 2026-11-03
  requester: Lee Rep
  prospect: Umbrella
  activity: quote
  status: requested
EOF
git commit -qam "Merge pull request: hand-made request ann/7"
run refctl request new ann --prospect Hooli --activity quote --requester "Sam Rep"
check_rc 0
A8=$out
check_new_id "$A8" ann 261115

test_case "new: --no-commit writes the file and leaves committing to the user"
before=$(head_is)
run refctl request new ann --prospect Nocommit --activity quote --requester "Sam Rep" --no-commit
check_rc 0
A9=$out
check_new_id "$A9" ann 261115
check_eq "no commit" "$before" "$(head_is)"
check_eq "file modified" " M advocates/ann.yaml" "$(git status --porcelain)"
git checkout -q advocates/ann.yaml

# ---- refusals: the availability rules, as match applies them ----
write_advocate pat "activities: [reference-call]"
sed -i 's/^status: active$/status: paused/' advocates/pat.yaml && git commit -qam "pause pat"
write_advocate cid "activities: [reference-call]
consent:
  until: 2026-11-01"
write_advocate wil "activities: [quote]"
# qua: limit 2 a quarter; 2 engagements this quarter (the declined one does not count)
write_advocate qua "activities: [reference-call]
limits:
  per_quarter: 2
  rest_days: 0
requests:
- {id: qua/1, opened: 2026-10-05, activity: reference-call, status: completed, closed: 2026-10-06}
- {id: qua/2, opened: 2026-10-20, activity: reference-call, status: declined, closed: 2026-10-21, reason: busy}
- {id: qua/3, opened: 2026-11-01, activity: reference-call, status: requested}"
# res: last engagement 2026-11-10, default rest 14 days: resting until 2026-11-24
write_advocate res "activities: [reference-call]
requests:
- {id: res/1, opened: 2026-11-10, activity: reference-call, status: approved, approved_by: Dana}"

refused() { # ADVOCATE EXPECTED-RULE-TEXT
	local before file_before
	before=$(head_is)
	file_before=$(cat "advocates/$1.yaml")
	run refctl request new "$1" --prospect Globex --activity reference-call --requester "Sam Rep"
	check_rc 1 "$1: exit 1"
	check_eq "$1: names the rule" "error: $1 is not available for reference-call: $2 (--force with -m REASON records the request anyway)" "$err"
	check_eq "$1: no output" "" "$out"
	check_eq "$1: no commit" "$before" "$(head_is)"
	check_eq "$1: file unchanged" "$file_before" "$(cat "advocates/$1.yaml")"
}

test_case "new: refused when the advocate is paused"
refused pat "paused"
test_case "new: refused when consent has expired"
refused cid "consent expired 2026-11-01"
test_case "new: refused when the advocate does not offer the activity"
refused wil "not willing: reference-call"
test_case "new: refused at the quarter limit"
refused qua "quarter limit 2/2"
test_case "new: refused while resting after the latest engagement"
refused res "resting until 2026-11-24"

test_case "new: several rules at once are all named"
write_advocate old "activities: [quote]"
sed -i 's/^status: active$/status: retired/' advocates/old.yaml && git commit -qam "retire old"
refused old "retired; not willing: reference-call"

test_case "new: a request opened on a later day is judged as of that day"
# res's engagement on 2026-11-10 is 14 days before 2026-11-24: free again that day
run refctl request new res --prospect Globex --activity reference-call --requester "Sam Rep" --date 2026-11-24
check_rc 0
R2=$out
check_new_id "$R2" res 261124

test_case "new: --force needs a reason"
before=$(head_is)
run refctl request new pat --prospect Globex --activity reference-call --requester "Sam Rep" --force
check_rc 2
check_contains "says so" "error: forcing a request needs a reason" "$err"
check_contains "with the usage, which says how" "[--force -m REASON]" "$err"
check_eq "no commit" "$before" "$(head_is)"

test_case "new: --force -m records forced: true and the reason"
run refctl request new qua --prospect Globex --activity reference-call --requester "Sam Rep" --force \
	-m "Exec sponsor asked for her by name"
check_rc 0
Q4=$out
check_new_id "$Q4" qua 261115
check_eq "warns what was overridden" "warning: forced past the availability rules for qua: quarter limit 2/2" "$err"
check_eq "subject" "refctl: request ${Q4} for Globex (reference-call), forced" "$(git log -1 --format=%s)"
check_eq "body" "Forced past the availability rules: quarter limit 2/2

Exec sponsor asked for her by name" "$(git log -1 --format=%b)"
check_contains "recorded" "- id: ${Q4}
  opened: 2026-11-15
  requester: Sam Rep
  prospect: Globex
  activity: reference-call
  status: requested
  forced: true
  reason: Exec sponsor asked for her by name" "$(cat advocates/qua.yaml)"

test_case "new: --force when nothing needs forcing records nothing special"
run refctl request new ann --prospect Soylent --activity quote --requester "Sam Rep" --force -m "just in case"
check_rc 0
A9=$out
check_new_id "$A9" ann 261115
check_eq "says so" "warning: --force was not needed: ann is available for quote" "$err"
check_not_contains "no forced" "forced" "$(cat advocates/ann.yaml)"
check_eq "plain subject" "refctl: request ${A9} for Soylent (quote)" "$(git log -1 --format=%s)"

test_case "new: bad input is exit 2 and writes nothing"
before=$(head_is)
run refctl request new ann --prospect Globex --activity webinar --requester "Sam Rep"
check_rc 2
check_contains "unknown activity" "error: unknown activity 'webinar' (expected one of reference-call, case-study" "$err"
run refctl request new ann --prospect Globex --activity quote --requester "Sam Rep" --value 1,000
check_rc 2
check_eq "bad value" "error: deal value must be an amount from 0 to 10000000000000 with at most two decimals, such as 250000 or 1250.50, not '1,000'" "$err"
run refctl request new ann --prospect Globex --activity quote --requester "Sam Rep" --date 2026-02-30
check_rc 2
check_contains "bad date" "error: --date: invalid date '2026-02-30' (expected YYYY-MM-DD, today, yesterday, or Nd, Nw, Nm (N up to 12) or Ny ago)" "$err"
run refctl request new ann --activity quote --requester "Sam Rep"
check_rc 2
check_contains "required flags" "error: a request needs a prospect" "$err"
check_contains "usage" "usage: refctl request new ADVOCATE" "$err"
run refctl request new --prospect Globex --activity quote --requester "Sam Rep"
check_rc 2
check_eq "no commit" "$before" "$(head_is)"

test_case "new: an unknown advocate is exit 1"
run refctl request new nobody --prospect Globex --activity quote --requester "Sam Rep"
check_rc 1
check_eq "message" "error: no advocate 'nobody' (no advocates/nobody.yaml)" "$err"

test_case "new: a file with a comment is refused rather than losing the comment"
write_advocate com "# keep me
activities: [quote]"
before=$(head_is)
run refctl request new com --prospect Globex --activity quote --requester "Sam Rep"
check_rc 2
check_contains "names the comment" "comment would be lost" "$err"
check_eq "no commit" "$before" "$(head_is)"

# ---- transitions ----

test_case "approve: the account owner by default"
run refctl request approve ${A1}
check_rc 0
check_eq "output" "${A1} approved by Dana Owner" "$out"
check_eq "subject" "refctl: approve ${A1} by Dana Owner" "$(git log -1 --format=%s)"
check_contains "file" "  status: approved
  approved_by: Dana Owner
  deal_value: 250000" "$(cat advocates/ann.yaml)"

test_case "approve: --by names the approver"
run refctl request approve ${A2} --by "Lee Manager" -m "ok by phone"
check_rc 0
check_eq "output" "${A2} approved by Lee Manager" "$out"
check_eq "body" "ok by phone" "$(git log -1 --format=%b)"

test_case "approve: without an account owner, the git user"
run refctl request approve ${R2}
check_rc 0
check_eq "git user.name" "${R2} approved by Test User" "$out"

test_case "approve: refused unless requested, naming the current status"
before=$(head_is)
run refctl request approve ${A1}
check_rc 1
check_eq "message" "error: cannot approve ${A1}: it is approved (only a requested request can be approved)" "$err"
check_eq "no commit" "$before" "$(head_is)"

test_case "schedule: needs --date, only from approved"
run refctl request schedule ${A1}
check_rc 2
check_contains "needs a date" "error: scheduling ${A1} needs a date" "$err"
check_contains "with the usage" "usage: refctl request schedule ID --date D" "$err"
run refctl request schedule ${A8} --date 2026-11-20
check_rc 1
check_eq "refused" "error: cannot schedule ${A8}: it is requested (only an approved request can be scheduled)" "$err"
run refctl request schedule ${A1} --date 2026-11-01
check_rc 2
check_eq "before opened" "error: cannot schedule ${A1} on 2026-11-01: it was opened on 2026-11-15" "$err"
run refctl request schedule ${A1} --date 2026-11-20
check_rc 0
check_eq "output" "${A1} scheduled for 2026-11-20" "$out"
check_eq "subject" "refctl: schedule ${A1} for 2026-11-20" "$(git log -1 --format=%s)"
check_contains "file" "  status: scheduled
  approved_by: Dana Owner
  scheduled: 2026-11-20" "$(cat advocates/ann.yaml)"

test_case "decline: needs --reason, from requested or approved, sets closed"
run refctl request decline ${A8}
check_rc 2
check_contains "needs a reason" "error: declining ${A8} needs a reason" "$err"
run refctl request decline ${A8} --reason ""
check_rc 2
check_eq "an empty reason is a bad value" "error: declining ${A8} needs a reason" "$err"
run refctl request decline ${A1} --reason "too busy"
check_rc 1
check_eq "refused when scheduled" "error: cannot decline ${A1}: it is scheduled (only a requested or approved request can be declined)" "$err"
run refctl request decline ${A8} --reason "advocate on leave until January"
check_rc 0
check_eq "output" "${A8} declined" "$out"
check_eq "subject" "refctl: decline ${A8}: advocate on leave until January" "$(git log -1 --format=%s)"
check_contains "file" "- id: ${A8}
  opened: 2026-11-15
  requester: Sam Rep
  prospect: Hooli
  activity: quote
  status: declined
  closed: 2026-11-15
  reason: advocate on leave until January" "$(cat advocates/ann.yaml)"
run refctl request approve ${R2} --by x
check_rc 1
run refctl request decline ${R2} --reason "deal went quiet"
check_rc 0
check_eq "from approved" "${R2} declined" "$out"
check_contains "a request opened on a later day closes on that day" "  status: declined
  approved_by: Test User
  closed: 2026-11-24
  reason: deal went quiet" "$(cat advocates/res.yaml)"

test_case "decline: a forced request keeps why it was forced in its notes"
run refctl request decline ${Q4} --reason "she said no"
check_rc 0
check_contains "file" "  forced: true
  reason: she said no
  notes: 'forced: Exec sponsor asked for her by name'" "$(cat advocates/qua.yaml)"

test_case "cancel: from requested, approved and scheduled; not after closing"
run refctl request cancel ann/7 --reason "prospect went elsewhere"
check_rc 0
check_eq "from requested" "ann/7 cancelled" "$out"
check_eq "subject" "refctl: cancel ann/7: prospect went elsewhere" "$(git log -1 --format=%s)"
check_contains "closed" "  status: cancelled
  closed: 2026-11-15
  reason: prospect went elsewhere" "$(cat advocates/ann.yaml)"
run refctl request cancel ann/7 --reason again
check_rc 1
check_eq "refused" "error: cannot cancel ann/7: it is cancelled (only a requested, approved or scheduled request can be cancelled)" "$err"
run refctl request cancel ${A8} --reason again
check_rc 1
check_contains "refused after decline" "it is declined" "$err"
run refctl request new ann --prospect Cyberdyne --activity quote --requester "Sam Rep"
A10=$out
check_new_id "$A10" ann 261115
refctl request approve ${A10} >/dev/null
run refctl request cancel ${A10} --reason "no longer needed"
check_rc 0
check_eq "from approved" "${A10} cancelled" "$out"
run refctl request new ann --prospect Tyrell --activity quote --requester "Sam Rep"
A11=$out
refctl request approve ${A11} >/dev/null
refctl request schedule ${A11} --date 2026-11-25 >/dev/null
run refctl request cancel ${A11} --reason "call moved to next year"
check_rc 0
check_eq "from scheduled" "${A11} cancelled" "$out"
check_contains "keeps the scheduled date" "  scheduled: 2026-11-25
  closed: 2026-11-15" "$(cat advocates/ann.yaml)"

test_case "complete: only from approved or scheduled"
run refctl request complete ${A9}
check_rc 1
check_eq "refused" "error: cannot complete ${A9}: it is requested (only an approved or scheduled request can be completed)" "$err"

test_case "complete: a day after today is refused, nothing written"
head=$(git rev-parse HEAD)
run refctl request complete ${A1} --date 2026-11-23 --outcome won
check_rc 2
check_eq "message" "error: cannot complete ${A1} on 2026-11-23: that is after today (2026-11-15)" "$err"
check_eq "no commit" "$head" "$(git rev-parse HEAD)"
check_eq "nothing written" "" "$(git status --porcelain)"
run refctl request complete ${A1} --date tomorrow
check_rc 2

test_case "complete: sets closed and the outcome, awards the activity's points"
before=$(commit_count)
REFCTL_TODAY=2026-11-20 run refctl request complete ${A1} --date today --outcome won
check_rc 0
# reference-call is worth 10 points by default; ann had none: balance 10
check_eq "output" "${A1} completed: won 250000
ann: 10 points awarded, balance 10" "$out"
check_eq "one commit" "$((before + 1))" "$(commit_count)"
check_eq "subject" "refctl: complete ${A1}: won 250000" "$(git log -1 --format=%s)"
check_eq "body" "Awarded 10 points for the reference-call." "$(git log -1 --format=%b)"
check_contains "request" "- id: ${A1}
  opened: 2026-11-15
  requester: Sam Rep
  prospect: Globex
  opportunity: OPP-7
  industry: healthcare
  region: emea
  product: analytics
  activity: reference-call
  status: completed
  approved_by: Dana Owner
  scheduled: 2026-11-20
  closed: 2026-11-20
  outcome: won
  deal_value: 250000" "$(cat advocates/ann.yaml)"
check_contains "reward, with the request's id" "rewards:
- id: ${A1}
  date: 2026-11-20
  points: 10
  reason: reference-call for Globex
  request: ${A1}" "$(cat advocates/ann.yaml)"

test_case "show prints the balance"
run refctl show ann --format text
check_eq "text form" "# reward balance: 10 points" "$(printf '%s\n' "$out" | tail -n 1)"
run refctl show ann --format json
check_contains "JSON key" '"balance": 10' "$out"

test_case "complete: from approved, with --value, points from refctl.yaml"
# case-study is 50 by default; this program pays 60: balance 10 + 60 = 70
sed -i 's/^    case-study: 50$/    case-study: 60/' refctl.yaml && git commit -qam "case studies pay 60"
run refctl request complete ${A2} --value 1250.50
check_rc 0
check_eq "output" "${A2} completed: value 1250.50
ann: 60 points awarded, balance 70" "$out"
check_eq "subject" "refctl: complete ${A2}: value 1250.50" "$(git log -1 --format=%s)"
check_contains "closed today, value as typed" "  status: completed
  approved_by: Lee Manager
  closed: 2026-11-15
  deal_value: 1250.50" "$(cat advocates/ann.yaml)"

test_case "complete: a closing date before opened is refused"
refctl request approve ${A9} >/dev/null
run refctl request complete ${A9} --date 2026-11-14
check_rc 2
check_eq "message" "error: cannot complete ${A9} on 2026-11-14: it was opened on 2026-11-15" "$err"
run refctl request complete ${A9} --outcome maybe
check_rc 2
check_contains "bad outcome" "error: --outcome must be won, lost or open, not 'maybe'" "$err"

test_case "complete: --outcome open, then outcome records the result later"
run refctl request complete ${A9} --outcome open
check_rc 0
# quote: 10 points; 70 + 10 = 80
check_eq "output" "${A9} completed: open
ann: 10 points awarded, balance 80" "$out"
check_eq "subject" "refctl: complete ${A9}: open" "$(git log -1 --format=%s)"
run refctl request outcome ${A9} --outcome lost --value 40000
check_rc 0
check_eq "output" "${A9} outcome: lost 40000" "$out"
check_eq "subject" "refctl: outcome ${A9}: lost 40000" "$(git log -1 --format=%s)"
check_contains "file" "  outcome: lost
  deal_value: 40000" "$(cat advocates/ann.yaml)"
run refctl show ann --format text
check_eq "no points for an outcome" "# reward balance: 80 points" "$(printf '%s\n' "$out" | tail -n 1)"

test_case "outcome: the same again changes nothing"
before=$(head_is)
run refctl request outcome ${A9} --outcome lost
check_rc 0
check_eq "says so" "${A9}: nothing changed" "$err"
check_eq "no commit" "$before" "$(head_is)"

test_case "outcome: won or lost, only for completed requests"
run refctl request outcome ${A9} --outcome open
check_rc 2
check_eq "open is not a result" "error: the outcome of ${A9} must be won or lost, not 'open'" "$err"
run refctl request outcome ${A9}
check_rc 2
check_contains "required" "error: recording the outcome of ${A9} needs won or lost" "$err"
run refctl request outcome ${A11} --outcome won
check_rc 1
check_eq "refused" "error: cannot record the outcome of ${A11}: it is cancelled, not completed (complete it first)" "$err"

test_case "transitions: unknown requests and malformed ids"
run refctl request approve ann/99
check_rc 1
check_eq "no such request" "error: no request 'ann/99' in advocates/ann.yaml" "$err"
run refctl request approve nobody/1
check_rc 1
check_eq "no such advocate" "error: no advocate 'nobody' (no advocates/nobody.yaml)" "$err"
run refctl request approve ann
check_rc 2
check_contains "a prefix of several ids names them" "error: request 'ann' is ambiguous: it could be " "$err"
check_contains "... each of them" "$A1" "$err"
run refctl request approve Ann/1
check_rc 2
check_contains "malformed" "error: 'Ann/1' is not a request id (expected ADVOCATE/YYMMDD-XXXXXXXX or ADVOCATE/N, such as acme-jane/261115-7kq2m9xd or acme-jane/3)" "$err"
run refctl request approve ${A1} --date 2026-11-20
check_rc 2
check_contains "flag of another verb" "error: unknown option '--date'" "$err"
check_contains "with that verb's usage" "usage: refctl request approve ID [--by NAME]" "$err"
run refctl request frobnicate ${A1}
check_rc 2
check_contains "unknown verb" "error: 'frobnicate' is not a request verb" "$err"

test_case "transitions: --no-commit"
run refctl request new ann --prospect Oscorp --activity quote --requester "Sam Rep"
A12=$out
check_new_id "$A12" ann 261115
before=$(head_is)
run refctl request approve ${A12} --no-commit
check_rc 0
check_eq "no commit" "$before" "$(head_is)"
check_eq "written" " M advocates/ann.yaml" "$(git status --porcelain)"
run refctl request schedule ${A12} --date 2026-11-30
check_rc 3
check_contains "a later commit refuses the uncommitted file" "advocates/ann.yaml has uncommitted changes" "$err"
git commit -qam "approve ${A12} by hand"

# ---- requests made by hand or on another branch ----

test_case "a hand-added request is read and moved along like any other"
cat >>advocates/wil.yaml <<'EOF'
requests:
- id: wil/1
  opened: 2026-10-20
  requester: Pat Rep
  prospect: Massive Dynamic
  activity: quote
  status: approved
  approved_by: Dana Owner
EOF
git commit -qam "Merge branch 'wil-request'"
run refctl request schedule wil/1 --date 2026-11-18
check_rc 0
run refctl request complete wil/1 --outcome won --value 80000
check_rc 0
check_eq "points" "wil/1 completed: won 80000
wil: 10 points awarded, balance 10" "$out"

test_case "two branches adding requests to different advocates never clash"
git checkout -q -b branch-a
run refctl request new ann --prospect BranchA --activity quote --requester "A Rep"
A13=$out
check_new_id "$A13" ann 261115
git checkout -q main
git checkout -q -b branch-b
run refctl request new wil --prospect BranchB --activity quote --requester "B Rep"
W2=$out
check_new_id "$W2" wil 261115
git checkout -q main
git merge -q --no-edit branch-a branch-b >/dev/null
run refctl check
check_rc 0
run refctl request list --requester "a rep" --format tsv
check_eq "merged a" "id	opened	status	activity	prospect	requester	scheduled	closed	outcome	deal_value
${A13}	2026-11-15	requested	quote	BranchA	A Rep				" "$out"
run refctl request show ${W2} --format json
check_contains "merged b" '"prospect": "BranchB"' "$out"

finish
