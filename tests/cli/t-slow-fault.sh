#!/bin/bash
# Every write fails at every counted call in turn (open, write, fsync,
# rename, in refctl and in libgit2), with EIO, ENOSPC and EACCES: exit 0
# means the change is in HEAD, the index and the file; any other exit means
# all three exactly as before. Then a full disk: every write from the N-th
# on fails.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/fault-lib.sh"

fault_repo

for kind in add set request-new request-complete; do
	test_case "$kind: one call fails, for every call"
	fault_sweep "$kind" 1 EIO ENOSPC EACCES
done
print_outcomes "one failing call"
check_eq "no write left anything but the old or the new state" 0 "${outcomes[other]:-0}"

test_case "a full disk from the N-th write on, for every N"
outcomes=()
tries=0
F_PERSIST=1 F_OPS=write fault_sweep request-new 1 ENOSPC
print_outcomes "disk full from the N-th write"
check_eq "no write left anything but the old or the new state" 0 "${outcomes[other]:-0}"

test_case "afterwards: clean, and git agrees"
check_true "consistent" consistent
check_true "git objects intact" git fsck --no-dangling --no-progress
run refctl check
check_rc 0

finish
