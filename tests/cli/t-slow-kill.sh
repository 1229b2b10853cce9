#!/bin/bash
# kill -9 at every step: each write is killed just before each of its
# file-changing calls in turn (refctl's and libgit2's). What is left is the
# old state or the new one in HEAD, the index and the file together, or a
# half-done write that the next command explains and `refctl fsck
# --repair` turns into one of them; the next write always works.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/fault-lib.sh"

fault_repo

for kind in add set request-new request-complete; do
	test_case "$kind: killed before each call"
	kill_sweep "$kind" 1
done
print_kill_outcomes "kill -9 before every call"
check_eq "nothing unexplained, nothing else" "0 0" "${outcomes[unexplained]:-0} ${outcomes[other]:-0}"

test_case "afterwards: writes work, and git agrees"
run refctl set ann "name=Ann Final"
check_rc 0
check_true "consistent" consistent
check_true "git objects intact" git fsck --no-dangling --no-progress
run refctl check
check_rc 0

finish
