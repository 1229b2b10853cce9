#!/bin/bash
# Reading on worker threads (REFCTL_JOBS): every read's output, its
# messages and exit status, and the parse cache it writes, are those of one
# thread, for good files and bad ones, with the cache off, cold and warm.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/cache-lib.sh"
. "$(dirname "$0")/fault-lib.sh"

new_repo jobs
# 300 generated advocates: enough misses for the walk to start its threads
"$REFCTL_GEN" 300 . >/dev/null
git add -A && git commit -qm "300 generated advocates"
# and bad files among them, spread over the id order (uncommitted)
printf 'id: Upper\nname: U\ncompany: C\nstatus: active\n' >advocates/Upper.yaml
printf 'id: bad-nps\nname: Bad Nps\ncompany: Co\nstatus: active\nnps: 42\nfavourite_colour: blue\n' >advocates/bad-nps.yaml
printf 'id: broken-yaml\nname: [unclosed\n' >advocates/broken-yaml.yaml
printf 'id: dup-email\nname: Dup\ncompany: Co\nstatus: active\nemail: aditya.patel@indus-mobile-ltd.example\n' \
	>advocates/dup-email.yaml
: >advocates/empty.yaml
printf 'id: merged\nname: Merged\n<<<<<<< HEAD\ncompany: Ours\n=======\ncompany: Theirs\n>>>>>>> other\nstatus: active\n' \
	>advocates/merged.yaml
mkfifo advocates/mm-fifo.yaml
ln -s aditya-patel-indus-mobile-ltd.yaml advocates/nn-link.yaml
printf 'id: secret\nname: Secret\ncompany: C\nstatus: active\n' >advocates/secret.yaml
chmod 000 advocates/secret.yaml # unreadable, unless the tests run as root
head -c 1100000 /dev/zero | tr '\0' a >advocates/zz-huge.yaml
readable=0 # secret.yaml, read (and so valid, and cached) only by root
[ -r advocates/secret.yaml ] && readable=1

MATCH="match --industry manufacturing --region emea --product analytics --use-case supply-chain-visibility"
# jobs_reads: each read's stdout, stderr and exit status, one after the other
jobs_reads() {
	local c
	for c in "list --format tsv" "list --format json" "$MATCH" "$MATCH --format json" "check" \
		"check --format json" "report" "report --format json" "export --format json" "export --format csv"; do
		printf '== %s\n' "$c"
		# shellcheck disable=SC2086
		"$REFCTL" $c >"$TEST_ROOT/.o" 2>"$TEST_ROOT/.e"
		printf 'rc=%s\n' "$?"
		cat "$TEST_ROOT/.o"
		printf -- '-- stderr\n'
		cat "$TEST_ROOT/.e"
	done
}
# cold_reads: the same, each read with no cache (as after a fresh clone)
cold_reads() {
	local c
	for c in "list --format tsv" "list --format json" "$MATCH" "check" "check --format json" \
		"report --format json" "export --format json"; do
		rm -f .git/refctl-cache
		printf '== %s\n' "$c"
		# shellcheck disable=SC2086
		"$REFCTL" $c 2>&1
		printf 'rc=%s\n' "$?"
	done
}
# jobs_agree DESC READS: READS under REFCTL_JOBS=2, 3 and the default are
# READS under REFCTL_JOBS=1.
jobs_agree() {
	local want got j
	want=$(REFCTL_JOBS=1 "$2")
	for j in 2 3 default; do
		if [ "$j" = default ]; then got=$(unset REFCTL_JOBS; "$2")
		else got=$(REFCTL_JOBS=$j "$2"); fi
		check_eq "$1: REFCTL_JOBS=$j is REFCTL_JOBS=1" "$want" "$got"
	done
}

test_case "the bad files are named as one thread names them, in id order"
export REFCTL_NO_CACHE=1
run env REFCTL_JOBS=2 "$REFCTL" list --format tsv
check_rc 0
check_eq "list's warnings (but secret.yaml's)" "warning: skipped advocates/Upper.yaml:1:5: id 'Upper' must be lowercase letters, digits and '-' (at most 63, not starting with '-') (run 'refctl check')
warning: skipped advocates/bad-nps.yaml:5:6: nps must be an integer from 0 to 10 (run 'refctl check')
warning: skipped advocates/broken-yaml.yaml:3:1: did not find expected ',' or ']' while parsing a flow sequence (run 'refctl check')
warning: skipped advocates/empty.yaml:1:1: file is empty (run 'refctl check')
warning: skipped advocates/merged.yaml:3:1: unresolved git merge conflict (conflict marker '<<<<<<<'); resolve it and remove the markers (run 'refctl check')
warning: skipped advocates/mm-fifo.yaml: not a regular file (a FIFO) (run 'refctl check')
warning: skipped advocates/nn-link.yaml: is a symbolic link; refctl does not follow links (run 'refctl check')
warning: skipped advocates/zz-huge.yaml:1:1: file is larger than 1048576 bytes (run 'refctl check')" \
	"$(printf '%s\n' "$err" | grep -v secret)"
check_eq "list: the 300, dup-email, and a header" "$((300 + 1 + readable + 1))" "$(printf '%s\n' "$out" | wc -l)"
run env REFCTL_JOBS=2 "$REFCTL" check
check_rc 1
check_eq "check's errors (but secret.yaml's)" "advocates/Upper.yaml: error: file name 'Upper.yaml' is not a valid id (lowercase letters, digits and '-')
advocates/Upper.yaml:1:5: error: id 'Upper' must be lowercase letters, digits and '-' (at most 63, not starting with '-')
advocates/bad-nps.yaml:5:6: error: nps must be an integer from 0 to 10
advocates/broken-yaml.yaml:3:1: error: did not find expected ',' or ']' while parsing a flow sequence
advocates/dup-email.yaml:5: error: email aditya.patel@indus-mobile-ltd.example is also used by advocates/aditya-patel-indus-mobile-ltd.yaml
advocates/empty.yaml:1:1: error: file is empty
advocates/merged.yaml:3: error: conflict in company: ours Ours, theirs Theirs
advocates/mm-fifo.yaml: error: not a regular file (a FIFO)
advocates/nn-link.yaml: error: is a symbolic link; refctl does not follow links
advocates/zz-huge.yaml:1:1: error: file is larger than 1048576 bytes" \
	"$(printf '%s\n' "$out" | grep ': error: ' | grep -v secret)"
check_contains "check's warnings: the unknown key" "advocates/bad-nps.yaml:6:1: warning: unknown key 'favourite_colour'" "$out"
check_eq "check's count" "310 files checked: $((10 + 1 - readable)) errors, 183 warnings" "$err"

test_case "without the cache, every read is the same on 1, 2, 3 and the default number of threads"
jobs_agree "REFCTL_NO_CACHE=1" jobs_reads
unset REFCTL_NO_CACHE

test_case "with a cold cache, the same"
jobs_agree "cold" cold_reads

test_case "with a warm cache, and with some files changed since, the same"
rm -f .git/refctl-cache
"$REFCTL" list >/dev/null 2>&1
sleep 1.1 # past the cache's second: entries trusted by their stat data
want=$(REFCTL_NO_CACHE=1 REFCTL_JOBS=1 jobs_reads)
check_eq "warm, REFCTL_JOBS=2" "$want" "$(REFCTL_JOBS=2 jobs_reads)"
# every 10th generated file changed: misses between hits in every window
for f in $(ls advocates | grep -v -e Upper -e bad- -e broken -e dup- -e empty -e merged -e mm- -e nn- -e secret -e zz- |
	awk 'NR % 10 == 0'); do
	sed -i 's/^name: \(.*\)$/name: \1 Changed/' "advocates/$f"
done
want=$(REFCTL_NO_CACHE=1 REFCTL_JOBS=1 jobs_reads)
check_contains "the change is read" "Changed" "$want"
check_eq "10% changed, REFCTL_JOBS=2" "$want" "$(REFCTL_JOBS=2 jobs_reads)"
check_eq "and again, the cache as that left it" "$want" "$(REFCTL_JOBS=2 jobs_reads)"

test_case "the cache written on two threads is the one written on one"
for c in "list --format tsv" "check"; do
	rm -f .git/refctl-cache
	# shellcheck disable=SC2086
	REFCTL_JOBS=1 "$REFCTL" $c >/dev/null 2>&1
	mv .git/refctl-cache "$TEST_ROOT/cache1"
	# shellcheck disable=SC2086
	REFCTL_JOBS=2 "$REFCTL" $c >/dev/null 2>&1
	mv .git/refctl-cache "$TEST_ROOT/cache2"
	check_eq "$c: an entry per file that loads" "entries $((303 + readable))" "$(python3 "$CACHE_TOOL" "$TEST_ROOT/cache2" info)"
	# the header holds the second each walk began: the same for both
	python3 "$CACHE_TOOL" "$TEST_ROOT/cache1" started 0
	python3 "$CACHE_TOOL" "$TEST_ROOT/cache2" started 0
	check_true "$c: the same bytes" cmp "$TEST_ROOT/cache1" "$TEST_ROOT/cache2"
done
cp "$TEST_ROOT/cache2" .git/refctl-cache
run env REFCTL_JOBS=2 "$REFCTL" check --cache
check_not_contains "check --cache finds the cache right" "parse cache disagreed" "$err"

test_case "REFCTL_JOBS=2 reads files on another thread; REFCTL_JOBS=1 does not"
# The fault library, counting only, counts the files opened by threads
# other than the first. Which thread gets to a file first is the
# scheduler's choice: up to three tries for the worker to get one.
others_of() {
	rm -f "$TEST_ROOT/.others"
	REFCTL_JOBS=$1 F_OPS=open F_PATH=/advocates/ F_LOG="$TEST_ROOT/.others" faulty --no-cache list --format tsv \
		>/dev/null 2>&1
	sed -n 's/.* others=\([0-9]*\)$/\1/p' "$TEST_ROOT/.others"
}
check_eq "REFCTL_JOBS=1: none" "0" "$(others_of 1)"
for _ in 1 2 3; do
	others=$(others_of 2)
	[ "${others:-0}" -gt 0 ] && break
done
check_true "REFCTL_JOBS=2: some ($others)" test "${others:-0}" -gt 0
check_true "REFCTL_JOBS=2: not all of the 310 ($others)" test "${others:-310}" -lt 310

test_case "REFCTL_JOBS must be a number of threads"
for v in abc -1 2x " " 1.5; do
	run env REFCTL_JOBS="$v" "$REFCTL" list
	check_rc 2 "REFCTL_JOBS='$v'"
	check_eq "REFCTL_JOBS='$v': the error" "error: REFCTL_JOBS must be a number of threads (0 for one per CPU), not '$v'" "$err"
	check_eq "REFCTL_JOBS='$v': nothing read" "" "$out"
done
for v in 0 "" 1000; do
	run env REFCTL_JOBS="$v" "$REFCTL" --no-cache list --format tsv
	check_rc 0 "REFCTL_JOBS='$v'"
	check_eq "REFCTL_JOBS='$v': every row" "$(REFCTL_JOBS=1 "$REFCTL" --no-cache list --format tsv 2>/dev/null)" "$out"
done

finish
