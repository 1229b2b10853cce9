#!/bin/bash
# refctl check on request data written by hand: ids, statuses, dates that
# contradict the status, duplicates; and writing commands on such files.
. "$(dirname "$0")/lib.sh"

new_repo prog

cat >advocates/dup.yaml <<'EOF'
id: dup
name: Dup
company: Co
status: active
activities: [quote]
limits: {rest_days: 0}
requests:
- id: dup/1
  opened: 2026-11-01
  activity: quote
  status: requested
- id: dup/1
  opened: 2026-11-02
  activity: quote
  status: requested
EOF
cat >advocates/ids.yaml <<'EOF'
id: ids
name: Ids
company: Co
status: active
requests:
- id: dup/3
  opened: 2026-11-01
  activity: quote
  status: requested
- id: ids/0
  opened: 2026-11-01
  activity: quote
  status: requested
EOF
cat >advocates/dates.yaml <<'EOF'
id: dates
name: Dates
company: Co
status: active
requests:
- id: dates/1
  opened: 2026-11-10
  activity: quote
  status: completed
  closed: 2026-11-01
- id: dates/2
  opened: 2026-11-10
  activity: quote
  status: scheduled
  scheduled: 2026-11-05
- id: dates/3
  opened: 2026-11-10
  activity: quote
  status: requested
  closed: 2026-11-12
- id: dates/4
  opened: 2026-11-10
  activity: quote
  status: declined
- id: dates/5
  opened: 2026-11-10
  activity: quote
  status: approved
  approved_by: Dana
  outcome: won
EOF
cat >advocates/stat.yaml <<'EOF'
id: stat
name: Stat
company: Co
status: active
requests:
- id: stat/1
  opened: 2026-11-10
  activity: quote
  status: pending
- id: stat/2
  activity: quote
  status: requested
EOF
cat >advocates/warn.yaml <<'EOF'
id: warn
name: Warn
company: Co
status: active
requests:
- id: warn/1
  opened: 2026-11-10
  activity: quote
  status: approved
  approved_by: Dana
  scheduled: 2026-11-20
rewards:
- date: 2026-11-11
  points: 10
  request: warn/9
EOF
git add advocates && git commit -qm "requests from a pull request"

test_case "check names every problem of the request data, with line and column"
run refctl check
check_rc 1
check_eq "problems" "advocates/dates.yaml:10:11: error: requests[1]: closed before opened
advocates/dates.yaml:15:14: error: requests[2]: scheduled before opened
advocates/dates.yaml:20:11: error: requests[3] is requested but has a closed date
advocates/dates.yaml:24:11: error: requests[4] is declined but has no closed date
advocates/dates.yaml:30:12: error: requests[5] has an outcome but is approved, not completed
advocates/dup.yaml:12:7: error: duplicate request id 'dup/1' (also on line 8)
advocates/ids.yaml:6:7: error: requests[1].id must be ids/YYMMDD-XXXXXXXX or ids/N, not 'dup/3'
advocates/ids.yaml:10:7: error: requests[2].id must be ids/YYMMDD-XXXXXXXX or ids/N, not 'ids/0'
advocates/stat.yaml:9:11: error: requests[1].status must be one of requested, approved, scheduled, completed, declined or cancelled, not 'pending'
advocates/stat.yaml:10:3: error: missing required field 'requests[2].opened'
advocates/warn.yaml:11:14: warning: requests[1] is approved but has a scheduled date
advocates/warn.yaml:15:12: warning: rewards[1] names request 'warn/9', which is not in this file" "$out"
check_eq "summary" "5 files checked: 10 errors, 2 warnings" "$err"

test_case "check --format json for CI"
run refctl check --format json
check_rc 1
check_contains "counts" '"errors": 10' "$out"
check_contains "field" '"field": "requests[2]"' "$out"

test_case "request commands refuse a file with bad request data, naming the problem"
before=$(git rev-parse HEAD)
run refctl request new dup --prospect Globex --activity quote --requester "Sam Rep"
check_rc 2
check_eq "message" "error: advocates/dup.yaml:12:7: duplicate request id 'dup/1' (also on line 8)" "$err"
run refctl request approve dates/5
check_rc 2
check_eq "message" "error: advocates/dates.yaml:10:11: requests[1]: closed before opened" "$err"
check_eq "no commit" "$before" "$(git rev-parse HEAD)"

test_case "once fixed by hand, the request moves on and check is clean for that file"
sed -i '12s|dup/1|dup/2|' advocates/dup.yaml && git commit -qam "fix duplicate id"
run refctl request approve dup/2 --by Dana
check_rc 0
check_eq "approved" "dup/2 approved by Dana" "$out"
run refctl request new dup --prospect Globex --activity quote --requester "Sam Rep"
check_rc 0
check_match "a new id, dated today" '^dup/261115-[0-9a-hjkmnp-tv-z]{8}$' "$out"
run refctl check
check_not_contains "dup is clean" "dup.yaml" "$out"

test_case "warnings alone do not fail check, and do not stop writes"
rm advocates/dates.yaml advocates/ids.yaml advocates/stat.yaml
git commit -qam "drop the broken files"
run refctl check
check_rc 0
check_eq "summary" "2 files checked: 0 errors, 2 warnings" "$err"
run refctl request complete warn/1
check_rc 0
check_contains "points" "warn: 10 points awarded, balance 20" "$out"

finish
