#!/bin/bash
# Team work through branches: refctl's merge driver under the real git
# program (merge, rebase, cherry-pick, revert, pull, a new clone), the
# conflicts check names, the rules a merge can break, and refctl setup.
. "$(dirname "$0")/lib.sh"

ID_RE='[0-9a-hjkmnp-tv-z]{8}'

# keep_theirs FILE: resolve every conflict of FILE to theirs' lines
keep_theirs() {
	awk '/^<<<<<<< /{s=1; next} /^=======$/ && s {s=2; next} /^>>>>>>> /{s=0; next} s != 1' "$1" >"$1.tmp" &&
		mv "$1.tmp" "$1"
}

# ann: high limits, so only a test decides when a rule breaks
new_repo prog
write_advocate ann "account_owner: Dana Owner
nps: 7
health: green
activities:
- reference-call
- quote
tags:
- a
- b
- c
limits:
  per_quarter: 20
  rest_days: 0"

test_case "init registered the driver: attribute committed, command in .git/config"
check_eq "attribute" "advocates/ann.yaml: merge: refctl" "$(git check-attr merge advocates/ann.yaml)"
check_contains "driver" "merge-file --marker-size=%L -L %X -L %S -L %Y %O %A %B %P" "$(git config merge.refctl.driver)"

test_case "requests added to the same advocate on two branches: both, no conflict"
git checkout -q -b a
run refctl request new ann --prospect Globex --activity quote --requester "Sam Rep"
ra=$out
git checkout -q main
git checkout -q -b b
run refctl request new ann --prospect Initech --activity quote --requester "Kim Rep" --date 2026-11-10
rb=$out
check_match "ids differ in their random part" "^ann/261115-$ID_RE$" "$ra"
check_match "dated by opening" "^ann/261110-$ID_RE$" "$rb"
git checkout -q a
run git merge --no-edit b
check_rc 0
check_eq "no markers" "" "$(grep -c '^<<<<<<<' advocates/ann.yaml | grep -v '^0$')"
check_eq "both requests, in opening-date order" "- id: $rb
- id: $ra" "$(grep '^- id:' advocates/ann.yaml)"
run refctl check
check_rc 0
check_eq "check is clean" "" "$out"
check_eq "the merge is committed" "" "$(git status --porcelain)"
check_eq "the file is in canonical form" "" "$(refctl fmt --check 2>&1)"

test_case "three branches each adding a request: all three"
git checkout -q main
for br in x y z; do
	git checkout -q -b "$br" main
	refctl request new ann --prospect "Prospect $br" --activity quote --requester "Rep $br" >/dev/null
done
git checkout -q x
run git merge --no-edit y
check_rc 0
run git merge --no-edit z
check_rc 0
check_eq "three requests" "3" "$(grep -c '^- id: ann/' advocates/ann.yaml)"
check_eq "each prospect once" "Prospect x
Prospect y
Prospect z" "$(sed -n 's/^  prospect: //p' advocates/ann.yaml | sort)"
run refctl check
check_rc 0

test_case "different fields on adjacent lines: no conflict"
git checkout -q main
git checkout -q -b nps main
refctl set ann nps=9 >/dev/null
git checkout -q -b health main
refctl set ann health=red >/dev/null
git checkout -q nps
run git merge --no-edit health
check_rc 0
check_contains "both" "nps: 9
health: red" "$(cat advocates/ann.yaml)"

test_case "the same field changed alike on both sides: one change"
git checkout -q -b alike1 main
refctl set ann nps=3 >/dev/null
git checkout -q -b alike2 main
refctl set ann nps=3 >/dev/null
git checkout -q alike1
run git merge --no-edit alike2
check_rc 0
check_contains "nps" "nps: 3" "$(cat advocates/ann.yaml)"

test_case "the same field changed differently: a conflict of that field alone, named by check"
git checkout -q -b diff1 main
refctl set ann nps=8 >/dev/null
refctl set ann tags=a,b,c,d >/dev/null
git checkout -q -b diff2 main
refctl set ann nps=9 >/dev/null
refctl set ann health=yellow >/dev/null
git checkout -q diff1
run git merge --no-edit diff2
check_rc 1
check_contains "git reports the conflict" "CONFLICT (content): Merge conflict in advocates/ann.yaml" "$out"
check_contains "the driver names the field" "conflict: advocates/ann.yaml: nps" "$out$err"
check_eq "markers around nps only" "<<<<<<< ours
nps: 8
=======
nps: 9
>>>>>>> theirs
health: yellow" "$(sed -n '/^<<<<<<< /,/^health/p' advocates/ann.yaml)"
check_contains "the rest is merged" "- d" "$(cat advocates/ann.yaml)"
run refctl check
check_rc 1
check_eq "one line for the field" "advocates/ann.yaml:6: error: conflict in nps: ours 8, theirs 9" "$out"
keep_theirs advocates/ann.yaml
run refctl check
check_rc 0
git add advocates/ann.yaml && git commit -q --no-edit
check_contains "resolved" "nps: 9" "$(cat advocates/ann.yaml)"

test_case "list additions and removals on both sides: a set, no conflict"
git checkout -q -b l1 main
refctl set ann tags=a,c,x >/dev/null   # b removed, x added
git checkout -q -b l2 main
refctl set ann tags=a,b,c,y >/dev/null # y added
git checkout -q l1
run git merge --no-edit l2
check_rc 0
check_eq "tags" "tags:
- a
- c
- x
- \"y\"" "$(sed -n '/^tags:/,/^[a-z]/p' advocates/ann.yaml | sed '$d')"

test_case "a request approved on one branch and completed on the other: status alone conflicts"
git checkout -q main
run refctl request new ann --prospect Umbrella --activity reference-call --requester "Sam Rep"
req=$out
git checkout -q -b approve main
refctl request approve "$req" -m "on the phone" >/dev/null
git checkout -q -b complete main
refctl request approve "$req" >/dev/null
refctl request complete "$req" --outcome won --value 5000 >/dev/null
git checkout -q approve
run git merge --no-edit complete
check_rc 1
run refctl check
check_rc 1
check_match "check names the status" "^advocates/ann.yaml:[0-9]+: error: conflict in requests\[$req\]\.status: ours approved, theirs completed$" "$out"
check_eq "one conflict" "1" "$(printf '%s\n' "$out" | grep -c conflict)"
check_contains "the completion's reward came in, with the request's id" "rewards:
- id: $req
  date: 2026-11-15
  points: 10
  reason: reference-call for Umbrella
  request: $req" "$(cat advocates/ann.yaml)"
keep_theirs advocates/ann.yaml
run refctl check
check_rc 0
git add advocates/ann.yaml && git commit -q --no-edit
run refctl request show "$req" --format json
check_contains "completed" '"status": "completed"' "$out"

test_case "the same completion on two branches: one request, one reward"
git checkout -q main
run refctl request new ann --prospect Vandelay --activity quote --requester "Sam Rep"
req2=$out
refctl request approve "$req2" >/dev/null
git checkout -q -b c1 main
refctl request complete "$req2" --outcome won >/dev/null
git checkout -q -b c2 main
refctl request complete "$req2" --outcome won >/dev/null
git checkout -q c1
run git merge --no-edit c2
check_rc 0
check_eq "one reward for it" "1" "$(grep -c "^  request: $req2" advocates/ann.yaml)"
run refctl show ann --format text
check_eq "points awarded once" "# reward balance: 10 points" "$(printf '%s\n' "$out" | tail -n 1)"

test_case "a request deleted on one branch and changed on the other: a conflict of that request"
git checkout -q main
git checkout -q -b del main
# delete the request by hand, as an edit would
awk -v id="$req2" '$0 == "- id: " id {skip=1; next} skip && /^- / {skip=0} skip && /^[a-z]/ {skip=0} !skip' \
	advocates/ann.yaml >x.yaml && mv x.yaml advocates/ann.yaml
git commit -qam "drop $req2"
git checkout -q -b chg main
refctl request complete "$req2" --outcome lost >/dev/null
git checkout -q del
run git merge --no-edit chg
check_rc 1
run refctl check
check_rc 1
check_contains "check names the request" "error: conflict in requests[$req2]: ours (none), theirs (a map)" "$out"
git merge --abort

test_case "rebase with the driver: replayed commits merge field by field"
git checkout -q -b rb-base main
git checkout -q -b rb-topic main
refctl request new ann --prospect Rebased --activity quote --requester T >/dev/null
refctl set ann health=yellow >/dev/null
git checkout -q rb-base
refctl request new ann --prospect Upstream --activity quote --requester U >/dev/null
refctl set ann nps=1 >/dev/null
git checkout -q rb-topic
run git rebase rb-base
check_rc 0
check_contains "both prospects" "prospect: Rebased" "$(cat advocates/ann.yaml)"
check_contains "both prospects" "prospect: Upstream" "$(cat advocates/ann.yaml)"
check_contains "both fields" "nps: 1
health: yellow" "$(cat advocates/ann.yaml)"
check_eq "linear history" "" "$(git rev-list --merges rb-base..rb-topic)"
run refctl check
check_rc 0

test_case "cherry-pick with the driver"
git checkout -q -b cp-src main
refctl request new ann --prospect Picked --activity quote --requester P >/dev/null
pick=$(git rev-parse HEAD)
git checkout -q -b cp-dst main
refctl request new ann --prospect Other --activity quote --requester O >/dev/null
run git cherry-pick "$pick"
check_rc 0
check_contains "picked" "prospect: Picked" "$(cat advocates/ann.yaml)"
check_contains "kept" "prospect: Other" "$(cat advocates/ann.yaml)"

test_case "revert with the driver: undoes one request, keeps the later one"
git checkout -q -b rv main
refctl request new ann --prospect Mistake --activity quote --requester M >/dev/null
bad=$(git rev-parse HEAD)
refctl request new ann --prospect Later --activity quote --requester L >/dev/null
run git revert --no-edit "$bad"
check_rc 0
check_not_contains "reverted" "prospect: Mistake" "$(cat advocates/ann.yaml)"
check_contains "kept" "prospect: Later" "$(cat advocates/ann.yaml)"

test_case "a new clone: conflicts until refctl setup, clean after"
git checkout -q main
cd "$TEST_ROOT" || exit 1
git clone -q prog clone1
git clone -q prog clone2
cd clone2 || exit 1
check_eq "the attribute came with the clone" "advocates/ann.yaml: merge: refctl" "$(git check-attr merge advocates/ann.yaml)"
check_eq "the driver did not" "" "$(git config merge.refctl.driver)"
git checkout -q -b one
refctl set ann nps=2 >/dev/null
git checkout -q -b two main
refctl set ann health=red >/dev/null
git checkout -q one
run git merge --no-edit two
check_rc 1
git merge --abort
run refctl setup
check_rc 0
check_contains "says what it set" "set .git/config: merge.refctl.driver = '$REFCTL' merge-file" "$out"
check_contains "the attribute was there" "already in .gitattributes: advocates/*.yaml merge=refctl" "$out"
run git merge --no-edit two
check_rc 0
check_contains "merged" "nps: 2
health: red" "$(cat advocates/ann.yaml)"
before=$(git rev-parse HEAD)
run refctl setup
check_rc 0
check_contains "again: nothing to do" "already set: .git/config" "$out"
check_eq "setup made no commit" "$before" "$(git rev-parse HEAD)"

test_case "two clones open a request for the same advocate in the same second; pull merges both"
cd "$TEST_ROOT/clone1" && refctl setup >/dev/null
(cd "$TEST_ROOT/clone1" && refctl request new ann --prospect SameSecond1 --activity quote --requester A >"$TEST_ROOT/s1") &
(cd "$TEST_ROOT/clone2" && git checkout -q main && refctl request new ann --prospect SameSecond2 --activity quote --requester B >"$TEST_ROOT/s2") &
wait
check_true "two ids" test -s "$TEST_ROOT/s1" -a -s "$TEST_ROOT/s2"
check_eq "the ids differ" "2" "$(sort -u "$TEST_ROOT/s1" "$TEST_ROOT/s2" | wc -l)"
cd "$TEST_ROOT/clone1" || exit 1
git config pull.rebase false
run git pull -q --no-edit "$TEST_ROOT/clone2" main
check_rc 0
check_contains "first" "prospect: SameSecond1" "$(cat advocates/ann.yaml)"
check_contains "second" "prospect: SameSecond2" "$(cat advocates/ann.yaml)"
run refctl check
check_rc 0

test_case "setup in a repository made before the driver: adds the attribute with a commit"
cd "$TEST_ROOT" || exit 1
new_repo old
git rm -q .gitattributes && git commit -qm "as older versions made it"
git config --unset merge.refctl.driver
before=$(commit_count)
run refctl setup
check_rc 0
check_contains "committed" "committed .gitattributes: advocates/*.yaml merge=refctl" "$out"
check_eq "one commit" "$((before + 1))" "$(commit_count)"
check_eq "subject" "refctl: merge advocate files with refctl merge-file" "$(git log -1 --format=%s)"
check_file "attribute" .gitattributes "advocates/*.yaml merge=refctl"
run refctl setup --no-such-flag
check_rc 2

test_case "rules no branch could see: rest days and the quarter limit, warned naming both requests"
cd "$TEST_ROOT" || exit 1
new_repo rules
write_advocate bo "activities: [quote]
limits:
  per_quarter: 2
  rest_days: 14"
git checkout -q -b r1
run refctl request new bo --prospect One --activity quote --requester A
q1=$out
git checkout -q -b r2 main
run refctl request new bo --prospect Two --activity quote --requester B --date 2026-11-16
q2=$out
git checkout -q r1
run git merge --no-edit r2
check_rc 0
run refctl check
check_rc 0
check_contains "rest days, naming both" "warning: requests $q1 and $q2 were opened 1 day apart, within the 14 rest days" "$out"
git checkout -q -b r3 main
refctl request new bo --prospect Three --activity quote --requester C --date 2026-12-20 >/dev/null
q3=$(sed -n 's/^- id: //p' advocates/bo.yaml)
git checkout -q r1
run git merge --no-edit r3
check_rc 0
run refctl check
check_contains "the quarter's limit, naming both" "warning: requests $q2 and $q3 make 3 engagements opened in 2026-Q4, over the limit of 2 a quarter" "$out"
check_eq "stderr summary" "1 file checked: 0 errors, 2 warnings" "$err"

test_case "a forced request breaks no rule silently: no warning for it"
git checkout -q -b f1 main
refctl request new bo --prospect F1 --activity quote --requester A >/dev/null
git checkout -q -b f2 main
refctl request new bo --prospect F2 --activity quote --requester B --date 2026-11-17 >/dev/null
refctl request new bo --prospect F3 --activity quote --requester B --date 2026-11-17 --force -m "exec ask" >/dev/null 2>&1
git checkout -q f1
git merge -q --no-edit f2 >/dev/null
run refctl check
check_not_contains "forced pairs are not warned" "F3" "$out"
check_eq "only the unforced pair" "1" "$(printf '%s\n' "$out" | grep -c 'rest days')"

test_case "a side that is not a valid advocate file: lines are merged, and the driver says why"
cd "$TEST_ROOT/prog" || exit 1
git checkout -q -b cm1 main
sed -i '1i # reviewed by legal' advocates/ann.yaml && git commit -qam "comment"
git checkout -q -b cm2 main
refctl set ann phone=555 >/dev/null
git checkout -q cm1
run git merge --no-edit cm2
check_rc 0
check_contains "why, on stderr" "warning: advocates/ann.yaml: ours has a comment on line 1, which merging fields would lose: merged line by line instead" "$out$err"
check_contains "the comment kept" "# reviewed by legal" "$(cat advocates/ann.yaml)"
check_contains "theirs kept" "phone: \"555\"" "$(cat advocates/ann.yaml)"

test_case "a request named by a unique prefix of its id; an ambiguous one names the candidates"
git checkout -q main
run refctl request new ann --prospect Prefix --activity quote --requester P --date 2027-03-04
pid=$out
run refctl request approve "ann/270304"
check_rc 0
check_eq "full id in the output" "$pid approved by Dana Owner" "$out"
check_eq "and in the subject" "refctl: approve $pid by Dana Owner" "$(git log -1 --format=%s)"
run refctl request show "ann/2611"
check_rc 2
check_match "ambiguous, with the candidates" "^error: request 'ann/2611' is ambiguous: it could be ann/2611" "$err"

test_case "merge-file by hand: bad usage and unreadable files"
run refctl merge-file a b
check_rc 2
check_contains "usage" "usage: refctl merge-file" "$err"
run refctl merge-file /nonexistent/base advocates/ann.yaml advocates/ann.yaml
check_rc 3
check_contains "names the file" "/nonexistent/base" "$err"
printf 'id: ann\n\000\001' >bin.yaml
cp advocates/ann.yaml mine.yaml
run refctl merge-file advocates/ann.yaml mine.yaml bin.yaml advocates/ann.yaml
check_rc 2
check_eq "a binary side is refused" "error: advocates/ann.yaml: a side is binary: not merged, ours is left as it was" "$err"
check_eq "ours untouched" "$(cat advocates/ann.yaml)" "$(cat mine.yaml)"

finish
