#!/bin/bash
# The report's memory does not grow with the roster changed in its period:
# 20,000 advocates, every file changed in one commit inside the period (its
# history cache cold, then warm), the repository packed as a clone is. The
# bound is between what refctl needed when it kept the change lists, both
# folder trees parsed and the commit's summary whole (46.9 MB peak RSS here;
# 103 MB at 100,000) and what it needs now (40.3 MB; 62 MB at 100,000), of
# which about 11 MB is the program and the pack's index, and up to 16 MB
# libgit2's delta bases.
. "$(dirname "$0")/lib.sh"

BOUND_KIB=43500

# peak_kib CMD...: run CMD (output discarded), print its peak RSS in KiB;
# exits non-zero with CMD
peak_kib() {
	python3 - "$@" <<'PY'
import os, sys
pid = os.fork()
if pid == 0:
    fd = os.open(os.devnull, os.O_WRONLY)
    os.dup2(fd, 1)
    os.execvp(sys.argv[1], sys.argv[1:])
_, status, ru = os.wait4(pid, 0)
print(ru.ru_maxrss)
sys.exit(0 if os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0 else 1)
PY
}

new_repo wide
git config gc.auto 0
"$REFCTL_GEN" --max-requests 2 20000 . >/dev/null
git add -A
GIT_AUTHOR_DATE=2026-07-31T12:00:00Z GIT_COMMITTER_DATE=2026-07-31T12:00:00Z git commit -qm "generated advocates"
# every file changed: its last_contact (moved to the end) is the new date
find advocates -name '*.yaml' -print0 |
	xargs -0 sed -i -e '/^last_contact:/d' -e '$a last_contact: 2026-10-15'
git add -A
GIT_AUTHOR_DATE=2026-10-15T12:00:00Z GIT_COMMITTER_DATE=2026-10-15T12:00:00Z git commit -qm "every advocate contacted"
# packed, as a clone is: the files' versions are deltas of each other
git repack -q -a -d -f
check_eq "the commit changed every file" "20000" \
	"$(git diff --name-only HEAD~1 HEAD -- advocates | wc -l)"

test_case "report: the whole roster changed, cold, stays under the bound"
rm -f .git/refctl/history-cache
kib=$(REFCTL_NO_CACHE=1 peak_kib "$REFCTL" report --month 2026-10 --format json) && rc=0 || rc=$?
check_rc 0 "report ran"
echo "peak, cold: $kib KiB (bound $BOUND_KIB)"
check_true "peak $kib KiB under $BOUND_KIB KiB" test "$kib" -lt "$BOUND_KIB"
REFCTL_NO_CACHE=1 "$REFCTL" report --month 2026-10 --format json >"$TEST_ROOT/cold.json"
check_eq "20,000 advocates in the change lists" "20000" \
	"$(python3 -c 'import json,sys; print(sum(len(v) for v in json.load(open(sys.argv[1]))["changes"].values()))' "$TEST_ROOT/cold.json")"

test_case "report: filling the history cache, then reading it, stays under the bound"
kib=$(peak_kib "$REFCTL" report --month 2026-10 --format json) && rc=0 || rc=$?
check_rc 0 "report ran"
echo "peak, filling the cache: $kib KiB"
check_true "peak $kib KiB under $BOUND_KIB KiB (filling)" test "$kib" -lt "$BOUND_KIB"
check_true "the cache was written" test -s .git/refctl/history-cache
kib=$(peak_kib "$REFCTL" report --month 2026-10 --format json) && rc=0 || rc=$?
echo "peak, warm: $kib KiB"
check_true "peak $kib KiB under $BOUND_KIB KiB (warm)" test "$kib" -lt "$BOUND_KIB"
"$REFCTL" report --month 2026-10 --format json >"$TEST_ROOT/warm.json"
check_eq "warm: the same report" "$(cat "$TEST_ROOT/cold.json")" "$(cat "$TEST_ROOT/warm.json")"

finish
