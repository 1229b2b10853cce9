#!/bin/bash
# refctl check's memory stays flat: it keeps the file names and unique
# values, never the records or the problems, and writes as it goes. At
# 20,000 generated advocates (about 11,000 warnings) holding them all took
# 24 MB (34 MB for --format json) of peak memory; streaming takes about 11.
# The bound is between the two. (Not under the sanitizers: slow tests are
# not run there.)
. "$(dirname "$0")/lib.sh"

limit_kib=18000

cd "$TEST_ROOT" && "$REFCTL" init many >/dev/null && cd many
"$REFCTL_GEN" 20000 . >/dev/null
git add -A && git -c gc.auto=0 commit -qm "20,000 generated advocates"

# peak COMMAND...: run it, output to $TEST_ROOT/out and err; sets $kib and $rc
peak() {
	/usr/bin/time -f %M -o "$TEST_ROOT/kib" "$@" >"$TEST_ROOT/out" 2>"$TEST_ROOT/err"
	rc=$?
	kib=$(tail -n 1 "$TEST_ROOT/kib")
}

test_case "text: peak memory below what holding every record and problem took"
REFCTL_NO_CACHE=1 peak "$REFCTL" check
check_eq "no errors in generated data" "0" "$rc"
check_match "every file checked" '^20000 files checked: 0 errors, [0-9]+ warnings$' "$(cat "$TEST_ROOT/err")"
check_true "no cache: $kib KiB < $limit_kib KiB" test "$kib" -lt "$limit_kib"
nwarn=$(sed 's/.* \([0-9]*\) warnings$/\1/' "$TEST_ROOT/err")
check_true "thousands of warnings ($nwarn)" test "$nwarn" -gt 5000
check_eq "one line a warning" "$nwarn" "$(wc -l <"$TEST_ROOT/out")"
cp "$TEST_ROOT/out" "$TEST_ROOT/text"
rm -f .git/refctl-cache
peak "$REFCTL" check
check_true "writing the cache: $kib KiB < $limit_kib KiB" test "$kib" -lt "$limit_kib"
check_eq "the same lines" "$(cat "$TEST_ROOT/text")" "$(cat "$TEST_ROOT/out")"

test_case "json: megabytes of problems wait in a temporary file, not in memory"
REFCTL_NO_CACHE=1 peak "$REFCTL" check --format json
check_eq "exit" "0" "$rc"
check_true "$kib KiB < $limit_kib KiB" test "$kib" -lt "$limit_kib"
check_true "over a megabyte of JSON" test "$(wc -c <"$TEST_ROOT/out")" -gt 1048576
check_eq "the counts" "20000 0 $nwarn $nwarn" \
	"$(jq -r '"\(.files) \(.errors) \(.warnings) \(.problems | length)"' "$TEST_ROOT/out")"
check_eq "the text's problems, in its order" "$(cat "$TEST_ROOT/text")" "$(jq -r '.problems[] |
	"\(.file):\(.line):\(.column): \(.severity): \(.message)"' "$TEST_ROOT/out")"

test_case "a full disk stops the walk: an error, not silence"
( REFCTL_NO_CACHE=1 "$REFCTL" check >/dev/full 2>"$TEST_ROOT/full.err"; echo $? >"$TEST_ROOT/full.rc" )
check_eq "exit 3" "3" "$(cat "$TEST_ROOT/full.rc")"
check_eq "said once, no summary" "error: cannot write output" "$(cat "$TEST_ROOT/full.err")"

finish
