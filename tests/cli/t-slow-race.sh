#!/bin/bash
# The audit's race: one loop of `git commit` of an unrelated file with the
# git program, one loop of `refctl set`, at once. Every exit-0 refctl
# change is in HEAD, no external commit touches advocates/, and HEAD, the
# index and the files agree on advocates/ afterwards.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/fault-lib.sh"

fault_repo

test_case "git commit beside refctl set, ${REFCTL_RACE_ROUNDS:-300} rounds"
race "${REFCTL_RACE_ROUNDS:-300}"
check_eq "no external commit touches advocates/" 0 "$race_touching"
check_eq "every exit-0 value is in HEAD" 0 "$race_lost"
check_eq "every refctl set exited 0" 0 "$race_failed"
check_true "git commits ran alongside" test "$race_ext_ok" -gt 10
check_true "advocates/ agrees in HEAD, index and work tree" \
	sh -c 'git diff --quiet -- advocates && git diff --cached --quiet -- advocates'

finish
