#!/bin/bash
# kill -9 at any instant of `refctl request new`: the advocate file is the
# old or the new version, never torn; a lock left by the killed process is
# taken over with a warning (and its temporary files removed), and so is a
# git lock file it left mid-commit. A file left half written is explained
# and refused by later writes until `refctl fsck --repair` puts it right.
. "$(dirname "$0")/lib.sh"

rounds=${REFCTL_KILL_ROUNDS:-40}

new_repo prog
export REFCTL_LOCK_TIMEOUT=20
write_advocate ann "activities: [quote]
limits:
  per_quarter: 1000
  rest_days: 0"
write_advocate bob "activities: [quote]
limits:
  per_quarter: 1000
  rest_days: 0"
# canonical already, so a new version is the old one with lines added
refctl fmt >/dev/null
gitdir=$(cd "$(git rev-parse --git-dir)" && pwd)
lock=$gitdir/refctl.lock

nreq() { grep -c '^- id: ' "$@" 2>/dev/null || true; }

# What the round left: old, written (not committed), committed, or bad.
classify() { # OLD-HEAD OLD-COUNT
	local old_head=$1 n=$2 now
	now=$(nreq advocates/ann.yaml)
	if [ "$(git rev-parse HEAD)" != "$old_head" ]; then
		# committed: exactly one commit, of the file as it is now, one request more
		if [ "$(git rev-list --count "$old_head..HEAD")" = 1 ] &&
			[ "$(git show HEAD:advocates/ann.yaml)" = "$(cat advocates/ann.yaml)" ] &&
			[ "$now" = $((n + 1)) ]; then
			echo committed
		else
			echo bad
		fi
	elif git diff --quiet -- advocates/ann.yaml; then
		echo old
	elif [ "$now" = $((n + 1)) ] && [ "$(git diff --numstat -- advocates/ann.yaml | cut -f2)" = 0 ]; then
		echo written # only lines added: the old file and one more request
	else
		echo bad
	fi
}

declare -A seen
stale_rounds=0
round() { # SPIN: 1 to kill as soon as the lock is held, 0 after a random delay
	local spin=$1 old_head n pid state was_stale follow
	old_head=$(git rev-parse HEAD)
	n=$(nreq advocates/ann.yaml)
	# the binary itself, not the shell function: $! must be its pid
	"$REFCTL" request new ann --prospect "Round $r" --activity quote --requester Rep >/dev/null 2>&1 &
	pid=$!
	if [ "$spin" = 1 ]; then
		while [ ! -s "$lock" ] && kill -0 "$pid" 2>/dev/null; do :; done
	else
		sleep "0.0$((RANDOM % 10))$((RANDOM % 10))"
	fi
	kill -9 "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null

	# every advocate file parses and validates: nothing torn
	run refctl check
	check_rc 0 "round $r: check after the kill"
	state=$(classify "$old_head" "$n")
	seen[$state]=$((${seen[$state]:-0} + 1))
	check_true "round $r: ann.yaml is the old or the new version ($state)" test "$state" != bad
	if [ "$state" = bad ]; then
		{ git status --porcelain; git log --oneline -3; git diff; } | sed 's/^/    /' >&2
	fi

	# the next writer: takes over a lock the killed process held
	was_stale=0
	[ -s "$lock" ] && [ "$(head -n 1 "$lock")" = "$pid" ] && was_stale=1
	run refctl request new bob --prospect "After $r" --activity quote --requester Rep
	follow=$rc
	if [ $was_stale = 1 ]; then
		stale_rounds=$((stale_rounds + 1))
		check_contains "round $r: stale lock warning" \
			"warning: took over a stale lock '$lock' left by process $pid, which ended without releasing it" "$err"
	else
		check_not_contains "round $r: no warning without a stale lock" "stale lock" "$err"
	fi
	check_eq "round $r: no temporary files left" "" "$(ls -A advocates | grep -v '\.yaml$')"
	# git lock files the killed refctl left are its own: removed, not in the way
	check_eq "round $r: next writer exit" "0" "$follow"
	case $err in *"removed git's lock file"*) seen[gitlock]=$((${seen[gitlock]:-0} + 1)) ;; esac
	if [ "$state" = written ] || [ -n "$(git status --porcelain advocates/ann.yaml)" ]; then
		# written, not committed (or committed, index not updated): later
		# writes refuse, saying what to run
		run refctl request new ann --prospect Refused --activity quote --requester Rep
		check_rc 3 "round $r: half-written file refused"
		check_contains "round $r: says why" \
			"advocates/ann.yaml was left half written by an interrupted write; run 'refctl fsck --repair'" "$err"
		run refctl fsck --repair
		check_rc 0 "round $r: fsck --repair"
		check_eq "round $r: repaired" "" "$(git status --porcelain advocates/ann.yaml)"
	fi
}

test_case "kill -9 after random delays"
for r in $(seq 1 "$rounds"); do
	round 0
done

test_case "kill -9 while the lock is held"
caught=$stale_rounds
for r in $(seq $((rounds + 1)) $((rounds + 20))); do
	round 1
	[ $stale_rounds -gt $((caught + 2)) ] && break
done
check_true "a killed lock holder was seen and its lock taken over" test $stale_rounds -gt $caught

test_case "afterwards: a clean repository, and writes work"
run refctl request new ann --prospect Final --activity quote --requester Rep
check_rc 0
check_eq "tree clean" "" "$(git status --porcelain)"
run refctl check
check_rc 0
check_true "git objects intact" git fsck --no-dangling --no-progress
echo "# rounds: ${seen[old]:-0} old, ${seen[written]:-0} written, ${seen[committed]:-0} committed;" \
	"$stale_rounds stale locks taken over; ${seen[gitlock]:-0} git lock files left and removed" >&2

finish
