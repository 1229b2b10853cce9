#!/bin/bash
# refctl fsck and the parse cache: an entry a read would trust (its file's
# stat data holds) that disagrees with a parse of the file is a problem;
# --repair removes the cache, and the next read rebuilds it. (fsck's checks
# of HEAD, the index and the work tree are in t-write-safety.sh.)
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/cache-lib.sh"

new_repo prog
write_advocate ann "email: ann@example.com"
write_advocate bob "email: bob@example.com"

# forge_bob: bob's file changed and committed, and its cache entry given
# the file's new stat data, with the cache written long after: a read
# trusts the old tree for the new file.
forge_bob() {
	"$REFCTL" list >/dev/null
	sed -i 's/^company: .*/company: Forged Ltd/' advocates/bob.yaml
	git commit -qam "bob's company"
	python3 "$CACHE_TOOL" .git/refctl-cache stat bob.yaml advocates/bob.yaml
	python3 "$CACHE_TOOL" .git/refctl-cache started "$(($(date +%s) + 100))"
}

test_case "a cache that agrees with every file is no problem"
"$REFCTL" list >/dev/null
run refctl fsck
check_rc 0
check_eq "nothing to say" "" "$out"
check_eq "summary" "4 paths checked: 0 problems" "$err"

test_case "an entry that disagrees with its file: found, the cache left as it is"
forge_bob
check_not_contains "a read trusts the entry (what fsck is for)" "Forged Ltd" "$(refctl list --format tsv)"
cp .git/refctl-cache "$TEST_ROOT/forged"
run refctl fsck
check_rc 1
check_eq "the problem" \
	"the parse cache (.git/refctl-cache) disagrees with advocates/bob.yaml: the cached typed view differs from the file's" "$out"
check_eq "summary" "4 paths checked: 1 problem (run 'refctl fsck --repair')" "$err"
check_true "without --repair the cache is untouched" cmp -s .git/refctl-cache "$TEST_ROOT/forged"

test_case "--no-cache: fsck leaves the cache out"
run refctl --no-cache fsck
check_rc 0
check_eq "nothing to say" "" "$out"

test_case "--repair removes the cache; the next read parses the file and writes it afresh"
run refctl fsck --repair
check_rc 0
check_eq "what it did" "the parse cache (.git/refctl-cache) disagrees with advocates/bob.yaml: the cached typed view differs from the file's: the cache removed, to be rebuilt by the next read" "$out"
check_eq "summary" "4 paths checked: 1 problem, 1 repaired" "$err"
check_true "the cache is gone" test ! -e .git/refctl-cache
check_contains "the file is read" "Forged Ltd" "$(refctl list --format tsv)"
check_eq "rebuilt whole" "entries 2" "$(python3 "$CACHE_TOOL" .git/refctl-cache info)"
run refctl fsck
check_rc 0
check_eq "the rebuilt cache agrees" "" "$out"
check_eq "no work-tree change" "" "$(git status --porcelain)"

test_case "an entry whose stat data no longer holds is not trusted, so no problem"
"$REFCTL" list >/dev/null
sed -i 's/^company: .*/company: Honest Ltd/' advocates/bob.yaml
git commit -qam "bob's company again"
run refctl fsck
check_rc 0
check_eq "nothing to say" "" "$out"
check_contains "a read parses the file" "Honest Ltd" "$(refctl list --format tsv)"

test_case "a damaged cache is no cache: no problem, nothing said"
"$REFCTL" list >/dev/null
truncate -s 100 .git/refctl-cache
run refctl fsck
check_rc 0
check_eq "nothing to say" "" "$out"
check_eq "summary" "4 paths checked: 0 problems" "$err"
check_eq "fsck only looks: the damaged cache is left for the next read to replace" "100" "$(stat -c %s .git/refctl-cache)"

test_case "a file's problem and the cache's, found together and repaired together"
forge_bob
echo "nps: 3" >>advocates/ann.yaml
run refctl fsck
check_rc 1
check_eq "both" "advocates/ann.yaml differs from HEAD and the index
the parse cache (.git/refctl-cache) disagrees with advocates/bob.yaml: the cached typed view differs from the file's" "$out"
run refctl fsck --repair
check_rc 0
check_contains "ann restored" "advocates/ann.yaml differs from HEAD and the index: restored to HEAD" "$out"
check_contains "cache removed" "advocates/bob.yaml: the cached typed view differs from the file's: the cache removed" "$out"
check_eq "summary" "4 paths checked: 2 problems, 2 repaired" "$err"
run refctl fsck
check_rc 0

finish
