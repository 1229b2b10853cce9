#!/bin/bash
# History in a shallow clone, and history that cannot be read: refctl log
# and the report's roster changes say how far history goes (a warning, and
# fields in log's JSON), and a commit missing from a full clone is an
# error, exit 3, never an empty history.
. "$(dirname "$0")/lib.sh"

new_repo origin
for d in 01 02 03 04; do
	export GIT_AUTHOR_DATE="2026-11-${d}T10:00:00Z" GIT_COMMITTER_DATE="2026-11-${d}T10:00:00Z"
	if [ $d = 01 ]; then refctl add --id ann --name Ann --company Co --status active >/dev/null
	else refctl set ann "nps=${d#0}" >/dev/null; fi
done
unset GIT_AUTHOR_DATE GIT_COMMITTER_DATE
cd "$TEST_ROOT"
git clone -q --depth 2 "file://$TEST_ROOT/origin" shallow
cd shallow

test_case "finding 7: log in a shallow clone lists what is there and says where history starts"
run refctl log ann
check_rc 0
check_eq "two commits listed" 2 "$(printf '%s\n' "$out" | grep -c 'refctl: set ann')"
check_eq "the warning" "warning: this is a shallow clone: its history starts at 2026-11-03 (commit $(git rev-parse --short=7 HEAD^)), so the log leaves out anything older; 'git fetch --unshallow' fetches the rest" "$err"

test_case "finding 7: log's JSON says the history is shallow and from when"
run refctl log --format json ann
check_rc 0
check_eq "shallow on every entry" "true true" "$(printf '%s' "$out" | jq -r '[.[].shallow] | map(tostring) | join(" ")')"
check_eq "history_since" "2026-11-03T10:00:00+00:00" "$(printf '%s' "$out" | jq -r '.[0].history_since')"

test_case "finding 7: the report's roster changes say the clone is shallow"
run refctl report --month 2026-11 --format json
check_rc 0
check_contains "warning" "warning: this is a shallow clone: its history starts at 2026-11-03" "$err"
check_contains "and what it leaves out" "so the roster changes leave out anything older" "$err"

test_case "a full clone: no warning, no shallow field"
cd "$TEST_ROOT/origin"
run refctl log --format json ann
check_rc 0
check_eq "four commits" 4 "$(printf '%s' "$out" | jq 'length')"
check_eq "no shallow field" "null" "$(printf '%s' "$out" | jq -r '.[0].shallow')"
check_eq "no warning" "" "$err"

test_case "a commit missing from a full clone: an error, exit 3"
cd "$TEST_ROOT"
git clone -q --no-local origin broken
cd broken
# loose objects, then one commit in the middle of history deleted
mv .git/objects/pack/*.pack "$TEST_ROOT/all.pack"
rm -f .git/objects/pack/*
git unpack-objects -q <"$TEST_ROOT/all.pack"
missing=$(git rev-parse HEAD~2)
child=$(git rev-parse HEAD~1)
rm ".git/objects/${missing:0:2}/${missing:2}"
run refctl log ann
check_rc 3
# log walks a full history with libgit2's revwalk (git log's order), which
# names the commit it cannot read in its own words
check_contains "names the commit" "error: git: history: " "$err"
check_contains "the missing commit" "$missing" "$err"
run refctl report --month 2026-11
check_rc 3
check_contains "the report too" "cannot read commit ${missing:0:12}" "$err"

finish
