#!/bin/bash
# Many `refctl request new` at once: every one succeeds or is refused by a
# limit rule, ids are unique, one commit each, nothing lost, check clean.
. "$(dirname "$0")/lib.sh"

new_repo prog
# every writer waits for the lock; under a sanitizer each takes longer
export REFCTL_LOCK_TIMEOUT=60

# ann takes 100 a quarter with no rest: all 16 must get in
write_advocate ann "activities: [reference-call]
limits:
  per_quarter: 100
  rest_days: 0"
# lim takes 5 a quarter with no rest: exactly 5 of 16 get in
write_advocate lim "activities: [reference-call]
limits:
  per_quarter: 5
  rest_days: 0"
for i in $(seq -w 1 16); do
	write_advocate "adv-$i" "activities: [reference-call]"
done

start=$(commit_count)

test_case "16 at once against one advocate: all succeed, 16 different ids"
for i in $(seq 1 16); do
	refctl request new ann --prospect "Prospect $i" --activity reference-call --requester "Rep $i" \
		>"$TEST_ROOT/ann.$i.out" 2>"$TEST_ROOT/ann.$i.err" &
done
wait
check_eq "every one printed an id" "16" "$(cat "$TEST_ROOT"/ann.*.out | wc -l)"
check_eq "16 different ids" "16" "$(sort -u "$TEST_ROOT"/ann.*.out | wc -l)"
check_eq "each a new id of ann, dated today" "16" \
	"$(grep -chE '^ann/261115-[0-9a-hjkmnp-tv-z]{8}$' "$TEST_ROOT"/ann.*.out | awk '{ n += $1 } END { print n }')"
check_eq "no errors" "" "$(cat "$TEST_ROOT"/ann.*.err)"
check_eq "16 requests in the file" "16" "$(grep -c '^- id: ann/' advocates/ann.yaml)"
# each prospect once: nothing lost, nothing written twice
check_eq "every prospect once" "$(seq 1 16 | sed 's/^/Prospect /' | sort)" \
	"$(grep '^  prospect:' advocates/ann.yaml | sed 's/^  prospect: //' | sort)"
# each printed id is the request holding that writer's prospect
ok=0
for i in $(seq 1 16); do
	id=$(cat "$TEST_ROOT/ann.$i.out")
	run refctl request show "$id" --format json
	case "$out" in *"\"prospect\": \"Prospect $i\""*) ok=$((ok + 1)) ;; esac
done
check_eq "each writer's id holds its own request" "16" "$ok"

test_case "16 at once against 16 advocates: each gets an id of its own"
for i in $(seq -w 1 16); do
	refctl request new "adv-$i" --prospect "Prospect $i" --activity reference-call --requester "Rep" \
		>"$TEST_ROOT/adv.$i.out" 2>"$TEST_ROOT/adv.$i.err" &
done
wait
check_eq "ids" "$(seq -w 1 16 | sed 's|.*|adv-&/261115-|')" "$(cut -c1-14 "$TEST_ROOT"/adv.*.out)"
check_eq "no errors" "" "$(cat "$TEST_ROOT"/adv.*.err)"

test_case "16 at once against a limit of 5: 5 get in, 11 are refused by the quarter limit"
for i in $(seq 1 16); do
	refctl request new lim --prospect "Prospect $i" --activity reference-call --requester "Rep" \
		>"$TEST_ROOT/lim.$i.out" 2>"$TEST_ROOT/lim.$i.err" &
done
wait
check_eq "5 different ids" "5" "$(cat "$TEST_ROOT"/lim.*.out | grep -E '^lim/261115-[0-9a-hjkmnp-tv-z]{8}$' | sort -u | wc -l)"
check_eq "11 refusals, each by the limit" "11" \
	"$(grep -lx 'error: lim is not available for reference-call: quarter limit 5/5 (--force with -m REASON records the request anyway)' \
		"$TEST_ROOT"/lim.*.err | wc -l)"
check_eq "5 requests in the file" "5" "$(grep -c '^- id: lim/' advocates/lim.yaml)"

test_case "one commit per request, of exactly its file"
# 16 + 16 + 5 = 37 commits
check_eq "37 commits" "$((start + 37))" "$(commit_count)"
bad=0
for c in $(git rev-list -n 37 HEAD); do
	files=$(git show --format= --name-only "$c")
	subject=$(git log -1 --format=%s "$c")
	id=${subject#refctl: request }
	id=${id%% *}
	[ "$files" = "advocates/${id%/*}.yaml" ] || bad=$((bad + 1))
done
check_eq "each commit holds the one file its subject names" "0" "$bad"
check_eq "37 distinct subjects" "37" "$(git log -n 37 --format=%s | sort -u | wc -l)"
check_eq "tree clean" "" "$(git status --porcelain)"
check_true "no temporary files left" test -z "$(ls -A advocates | grep -v '\.yaml$')"

test_case "a stale lock: taken over with a warning, its temporary files removed"
gitdir=$(cd "$(git rev-parse --git-dir)" && pwd)
echo 4194999 >"$gitdir/refctl.lock"
echo "half a file" >advocates/.ann.yaml.tmpAbC123
echo "half a file" >.refctl.yaml.tmpXyZ789
run refctl request new ann --prospect "After a crash" --activity reference-call --requester Rep
check_rc 0
check_match "id" '^ann/261115-[0-9a-hjkmnp-tv-z]{8}$' "$out"
check_eq "warning" "warning: took over a stale lock '$gitdir/refctl.lock' left by process 4194999, which ended without releasing it; removed 2 temporary files it left" "$err"
check_true "temporary file gone" test ! -e advocates/.ann.yaml.tmpAbC123
check_true "temporary file gone" test ! -e .refctl.yaml.tmpXyZ789

test_case "git's own lock file held: refctl waits for it, saying so, then fails naming it, nothing written"
echo 4194999 >"$gitdir/refctl.lock"
touch "$gitdir/refs/heads/main.lock"
before=$(git rev-parse HEAD)
REFCTL_LOCK_TIMEOUT=0.3 run refctl request new ann --prospect "Blocked" --activity reference-call --requester Rep
check_rc 3
check_eq "the stale lock, the wait, then the git lock named" "warning: took over a stale lock '$gitdir/refctl.lock' left by process 4194999, which ended without releasing it
warning: git's lock file '$gitdir/refs/heads/main.lock' exists: waiting up to 0.3 s for the git process holding it
error: git's lock file '$gitdir/refs/heads/main.lock' exists: another git process is running, or one was killed while committing; if no git process is running, remove the file and try again" "$err"
check_eq "no commit" "$before" "$(git rev-parse HEAD)"
check_eq "nothing written" "" "$(git status --porcelain)"
rm "$gitdir/refs/heads/main.lock"
touch "$gitdir/index.lock"
REFCTL_LOCK_TIMEOUT=0.3 run refctl reward adv-02 --points 5 --reason "Survey"
check_rc 3
check_contains "the index lock" "error: git's lock file '$gitdir/index.lock' exists" "$err"
check_eq "nothing written" "" "$(git status --porcelain)"
rm "$gitdir/index.lock"
run refctl request new ann --prospect "Unblocked" --activity reference-call --requester Rep
check_rc 0
check_eq "no warning once released normally" "" "$err"

test_case "check is clean afterwards"
run refctl check
check_rc 0
check_eq "summary" "18 files checked: 0 errors, 0 warnings" "$err"

finish
