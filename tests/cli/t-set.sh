#!/bin/bash
# refctl set / unset: scriptable edits, one commit each, minimal diffs.
. "$(dirname "$0")/lib.sh"

new_repo prog
refctl add --name "Ann Lee" --company Initech --status active --product analytics \
	--product billing --email ann@initech.example --nps 8 >/dev/null

test_case "set scalar, dotted and list fields in one commit"
run refctl set ann-lee-initech limits.per_quarter=2 consent.until=2027-03-31 products=analytics,crm nps=9
check_rc 0
check_eq "quiet" "" "$out"
check_eq "subject" "refctl: set ann-lee-initech limits.per_quarter=2 consent.until=2027-03-31 products=analytics,crm nps=9" \
	"$(git log -1 --format=%s)"
check_file "file" advocates/ann-lee-initech.yaml "id: ann-lee-initech
name: Ann Lee
company: Initech
status: active
email: ann@initech.example
nps: 9
products:
- analytics
- crm
consent:
  until: 2027-03-31
limits:
  per_quarter: 2"

test_case "a change to one field changes only that field's lines in git diff"
run refctl set ann-lee-initech nps=7
check_rc 0
check_eq "diff" "-nps: 9
+nps: 7" "$(git diff HEAD~1 HEAD -U0 | grep '^[-+][^-+]')"

test_case "-m adds a commit body"
run refctl set -m "Per QBR with Ann" ann-lee-initech health=yellow
check_eq "body" "Per QBR with Ann" "$(git log -1 --format=%b)"

test_case "setting the same value commits nothing"
before=$(commit_count)
run refctl set ann-lee-initech nps=7
check_rc 0
check_contains "says so" "nothing changed" "$err"
check_eq "no commit" "$before" "$(commit_count)"

test_case "invalid values, unknown fields, the id: refused, nothing written"
before=$(commit_count)
snapshot=$(cat advocates/ann-lee-initech.yaml)
run refctl set ann-lee-initech nps=eleven
check_rc 2
check_eq "message" "error: nps must be an integer from 0 to 10" "$err"
run refctl set ann-lee-initech favourite=blue
check_rc 2
check_contains "unknown" "unknown field 'favourite'" "$err"
run refctl set ann-lee-initech id=other
check_rc 2
check_contains "id" "the id cannot be changed" "$err"
run refctl set ann-lee-initech nps
check_rc 2
check_contains "syntax" "expected FIELD=VALUE, FIELD+=VALUE or FIELD-=VALUE, not 'nps'" "$err"
run refctl set ann-lee-initech consent.until=soon
check_rc 2
check_contains "date" "consent.until must be a date YYYY-MM-DD, not 'soon'" "$err"
run refctl set nobody nps=3
check_rc 1
check_contains "no such advocate" "no advocate 'nobody'" "$err"
check_eq "file untouched" "$snapshot" "$(cat advocates/ann-lee-initech.yaml)"
check_eq "no commit" "$before" "$(commit_count)"

test_case "set refuses a duplicate email"
refctl add --name Bo --company Co --email bo@co.example >/dev/null
run refctl set ann-lee-initech email=BO@co.example
check_rc 2
check_contains "names owner" "already used by advocate 'bo-co'" "$err"

test_case "unset removes fields; emptied maps disappear"
run refctl unset ann-lee-initech limits.per_quarter health
check_rc 0
check_eq "subject" "refctl: unset ann-lee-initech limits.per_quarter health" "$(git log -1 --format=%s)"
check_not_contains "limits gone" "limits:" "$(cat advocates/ann-lee-initech.yaml)"
check_not_contains "health gone" "health:" "$(cat advocates/ann-lee-initech.yaml)"
run refctl unset ann-lee-initech name
check_rc 2
check_contains "required" "'name' is required and cannot be unset" "$err"

test_case "a file with a comment is not rewritten"
sed -i 's/^nps: 7$/nps: 7 # from the last survey/' advocates/ann-lee-initech.yaml
git commit -qam "hand edit with a comment"
before=$(commit_count)
run refctl set ann-lee-initech nps=8
check_rc 2
check_match "names file and line" '^error: advocates/ann-lee-initech.yaml:[0-9]+: comment would be lost; move it into notes:$' "$err"
check_contains "file untouched" "# from the last survey" "$(cat advocates/ann-lee-initech.yaml)"
check_eq "no commit" "$before" "$(commit_count)"

test_case "--no-commit"
sed -i 's/ # from the last survey//' advocates/ann-lee-initech.yaml
git commit -qam "drop comment"
before=$(commit_count)
run refctl set --no-commit ann-lee-initech nps=10
check_rc 0
check_eq "no commit" "$before" "$(commit_count)"
check_eq "modified" " M advocates/ann-lee-initech.yaml" "$(git status --porcelain)"

test_case "a file with uncommitted changes is not committed over"
run refctl set ann-lee-initech nps=6
check_rc 3
check_contains "says so" "advocates/ann-lee-initech.yaml has uncommitted changes" "$err"
check_contains "kept the user's change" "nps: 10" "$(cat advocates/ann-lee-initech.yaml)"
git checkout -q advocates/ann-lee-initech.yaml

finish
