#!/bin/bash
# refctl referral: referrals as their own record in the advocate's file, with
# ids no two clones both draw, no approval step, reward points from
# refctl.yaml; referred_by links a referred customer, validated by check;
# the report counts referral records beside activity: referral requests.
. "$(dirname "$0")/lib.sh"

new_repo prog
write_advocate ann "activities: [referral]"
write_advocate bob
commits=$(commit_count)

test_case "new: prints an id dated by the referral, writes the record, one commit"
run refctl referral new ann --prospect Globex --contact "Hank Scorpio" --opportunity OPP-7 --value 80000 --date 2026-11-02
check_rc 0
check_match "id" '^ann/261102-[0-9a-hjkmnp-tv-z]{8}$' "$out"
id=$out
check_eq "file" "id: ann
name: Person ann
company: Company ann
status: active
activities:
- referral
referrals:
- id: $id
  opened: 2026-11-02
  prospect: Globex
  contact: Hank Scorpio
  opportunity: OPP-7
  status: open
  value: 80000" "$(cat advocates/ann.yaml)"
check_eq "one commit" $((commits + 1)) "$(commit_count)"
check_eq "subject" "refctl: referral $id of Globex" "$(git log -1 --format=%s)"
check_eq "clean" "" "$(git status --porcelain)"

test_case "no approval step: qualify, then won, with the default points"
run refctl referral qualify "$id" --date 2026-11-05
check_rc 0
check_eq "qualified" "$id qualified: value 80000" "$out"
check_contains "qualified day" "  qualified: 2026-11-05" "$(cat advocates/ann.yaml)"
check_not_contains "no points for qualifying by default" "rewards:" "$(cat advocates/ann.yaml)"
run refctl referral won "$id" --value 120000 --date 2026-11-10
check_rc 0
check_eq "won" "$id won: value 120000
ann: 25 points awarded, balance 25" "$out"
check_contains "record" "  status: won
  qualified: 2026-11-05
  closed: 2026-11-10
  value: 120000
rewards:
- id: $id
  date: 2026-11-10
  points: 25
  reason: referral of Globex won
  referral: $id" "$(cat advocates/ann.yaml)"
check_eq "subject" "refctl: referral $id won 120000" "$(git log -1 --format=%s)"
check_eq "body" "Awarded 25 points for the referral." "$(git log -1 --format=%b)"
check_eq "three commits" $((commits + 3)) "$(commit_count)"

test_case "a closed referral cannot move again"
run refctl referral lost "$id"
check_rc 1
check_eq "refused" "error: cannot mark $id as lost: it is won (only an open or qualified referral can be lost)" "$err"

test_case "won straight from open; ids differ between referrals"
run refctl referral new ann --prospect Initech
id2=$out
check_rc 0
check_true "a new id" test "$id" != "$id2"
run refctl referral won "$id2"
check_rc 0
check_contains "closed today" "  closed: 2026-11-15" "$(cat advocates/ann.yaml)"

test_case "lost and cancel take a reason and award nothing"
run refctl referral new bob --prospect Umbrella
id3=$out
run refctl referral lost "$id3" --reason "went with a competitor"
check_rc 0
check_eq "lost" "$id3 lost" "$out"
check_contains "reason" "  reason: went with a competitor" "$(cat advocates/bob.yaml)"
check_not_contains "no reward" "rewards:" "$(cat advocates/bob.yaml)"
run refctl referral new bob --prospect Soylent
id4=$out
run refctl referral cancel "$id4"
check_rc 0
check_eq "cancelled" "$id4 cancelled" "$out"

test_case "points from refctl.yaml: rewards.referrals.qualified and .won"
sed -i 's/^    qualified: 0$/    qualified: 5/; s/^    won: 25$/    won: 40/' refctl.yaml
git commit -qam "referral points"
run refctl referral new bob --prospect Hooli
id5=$out
run refctl referral qualify "$id5"
check_eq "qualified with points" "$id5 qualified
bob: 5 points awarded, balance 5" "$out"
run refctl referral won "$id5" --value 1000.50
check_eq "won with points" "$id5 won: value 1000.50
bob: 40 points awarded, balance 45" "$out"

test_case "bad input: exit 2, nothing written"
before=$(commit_count)
run refctl referral new ann
check_rc 2
check_contains "prospect" "error: a referral needs a prospect" "$err"
run refctl referral new ann --prospect X --value 12,5
check_rc 2
check_contains "value" "error: value must be an amount from 0 to 10000000000000 with at most two decimals" "$err"
run refctl referral new nobody --prospect X
check_rc 1
run refctl referral won ann
check_rc 2
check_contains "id" "error: 'ann' is not a referral id (expected ADVOCATE/YYMMDD-XXXXXXXX" "$err"
run refctl referral won ann/261115-zzzzzzzz
check_rc 1
check_eq "not found" "error: no referral 'ann/261115-zzzzzzzz' in advocates/ann.yaml" "$err"
run refctl referral new ann --prospect X --date 2026-11-30
check_rc 2
check_eq "a day to come" "error: a referral cannot be opened on 2026-11-30: that is after today (2026-11-15)" "$err"
run refctl referral approve "$id2"
check_rc 2
check_contains "no approve verb" "error: 'approve' is not a referral verb (new, qualify, won, lost, cancel)" "$err"
check_eq "nothing committed" "$before" "$(commit_count)"
check_eq "nothing written" "" "$(git status --porcelain)"

test_case "referrals are changed with refctl referral, not set"
run refctl set ann referrals=x
check_rc 2
check_eq "says which command" "error: 'referrals' is changed with 'refctl referral'" "$err"

test_case "--no-commit writes the file only"
before=$(commit_count)
run refctl referral new ann --prospect Vandelay --no-commit
check_rc 0
check_eq "no commit" "$before" "$(commit_count)"
check_contains "written" "prospect: Vandelay" "$(cat advocates/ann.yaml)"
git commit -qam "vandelay"

test_case "help lists the verbs"
run refctl referral -h
check_rc 0
check_contains "synopsis" "usage: refctl referral new ADVOCATE --prospect P [--contact NAME] [--opportunity O]" "$out"
check_contains "verbs" "    qualify   sales qualified an open referral" "$out"
run refctl help referral
check_rc 0

test_case "referred_by links a referred customer; check validates the link"
write_advocate cara "referred_by: ann"
run refctl check
check_rc 0
run refctl set cara referred_by=bob
check_rc 0
run refctl set cara referred_by=nobody
check_rc 0
run refctl check
check_rc 1
check_contains "dangling link" "advocates/cara.yaml:5: error: referred_by names 'nobody', which is not an advocate (no advocates/nobody.yaml)" "$out$err"
run refctl set cara referred_by=cara
check_rc 2
check_contains "itself" "referred_by names the advocate itself" "$err"
run refctl set cara "referred_by=Ann Lee"
check_rc 2
check_contains "an id" "referred_by must be an advocate's id, not 'Ann Lee'" "$err"
refctl set cara referred_by=ann >/dev/null

test_case "the report counts referral records and activity: referral requests alike"
# November 2026 (REFCTL_TODAY is 2026-11-15):
#   records opened in November: id, id2 (ann), id3, id4, id5 (bob), Vandelay (ann) = 6
#   won in November: id (120000, OPP-7), id2 (no value), id5 (1000.50) = 3, value 121000.50
#   plus one legacy request: activity referral, opened and won in November, 5000 = 7, 4, 126000.50
cat >>advocates/bob.yaml <<'EOF'
requests:
- id: bob/1
  opened: 2026-11-03
  requester: Rep
  prospect: Stark
  activity: referral
  status: completed
  closed: 2026-11-12
  outcome: won
  deal_value: 5000
EOF
git commit -qam legacy
run refctl report --month 2026-11 --format json
check_rc 0
check_eq "referral figures" '{"count":7,"won":4,"value":126000.5}' "$(printf '%s' "$out" | jq -c .referrals)"

test_case "an opportunity in two referrals is counted once, at its largest value"
refctl set bob name="Person bob" >/dev/null
run refctl referral new bob --prospect Stark --opportunity OPP-7 --value 90000
run refctl referral won "$out"
run refctl report --month 2026-11 --format json
check_eq "OPP-7 once, at 120000" '{"count":8,"won":5,"value":126000.5}' "$(printf '%s' "$out" | jq -c .referrals)"

test_case "referrals added to the same advocate on two branches: both, no conflict"
new_repo branches
write_advocate ann
git checkout -q -b a
run refctl referral new ann --prospect Globex --date 2026-11-02
ra=$out
run refctl referral won "$ra" --value 100 --date 2026-11-03
git checkout -q main
git checkout -q -b b
run refctl referral new ann --prospect Initech --date 2026-11-01
rb=$out
git checkout -q a
run git merge --no-edit b
check_rc 0
check_eq "no markers" "0" "$(grep -c '^<<<<<<<' advocates/ann.yaml)"
check_eq "both referrals, in opening-date order" "- id: $rb
- id: $ra" "$(sed -n '/^referrals:/,/^rewards:/p' advocates/ann.yaml | grep '^- id:')"
run refctl check
check_rc 0
check_eq "the won one's reward came along" "1" "$(grep -c "^  referral: $ra" advocates/ann.yaml)"

test_case "a referral is named by a unique prefix of its id, as requests are"
write_advocate cyd
run refctl referral new cyd --prospect Cyberdyne
id5=$out
run refctl referral new cyd --prospect Tyrell
id6=$out
run refctl referral qualify "cyd/261115-"
check_rc 2 "ambiguous"
check_eq "says so, naming them" "error: referral 'cyd/261115-' is ambiguous: it could be $id5, $id6" "$err"
k=12
while [ "${id5:0:$k}" = "${id6:0:$k}" ]; do k=$((k + 1)); done
run refctl referral qualify "${id5:0:$((k + 1))}"
check_rc 0
check_eq "the whole id in the answer" "$id5 qualified" "$out"
check_eq "and in the commit" "refctl: referral $id5 qualified" "$(git log -1 --format=%s)"
run refctl referral qualify "cyd/999999-"
check_rc 1 "no such referral"
check_eq "names the file" "error: no referral 'cyd/999999-' in advocates/cyd.yaml" "$err"

finish
