#!/bin/bash
# The parse cache (.git/refctl-cache): reads with it are reads without it,
# whatever changed the files and however the cache file was damaged.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/cache-lib.sh"

new_repo prog
cp "$REFCTL_SRC"/examples/program/advocates/*.yaml advocates/
cp "$REFCTL_SRC"/examples/program/refctl.yaml .
git add -A && git commit -qm "the example program"
ann=advocates/sophie-whitaker-pennine-logistics-ltd.yaml
ann_id=sophie-whitaker-pennine-logistics-ltd

test_case "a read writes the cache in the git directory, never the work tree"
run refctl list
check_rc 0
check_true "the cache exists" test -s .git/refctl-cache
check_eq "the work tree is clean" "" "$(git status --porcelain --ignored)"
check_eq "an entry per advocate" "entries 45" "$(python3 "$CACHE_TOOL" .git/refctl-cache info)"

test_case "a valid file is cached as its typed view, in name order; its tree is read from the file when asked"
rm -f .git/refctl-cache
run refctl match --industry logistics
check_eq "every entry a view, none a tree, in name order" "views 45 trees 0 in name order yes" \
	"$(python3 "$CACHE_TOOL" .git/refctl-cache layout)"
run refctl list --format json
check_rc 0
check_contains "JSON, which needs the tree, reads it from the file" '"id": "sophie-whitaker-pennine-logistics-ltd"' "$out"
check_eq "JSON from the cache is JSON without it" "$(REFCTL_NO_CACHE=1 "$REFCTL" list --format json)" "$out"
printf 'id: zed-invalid\nname: Z\ncompany: Z\nstatus: active\n' >advocates/zed-invalid.yaml
printf 'nps: 12\n' >>advocates/zed-invalid.yaml
rm -f .git/refctl-cache
"$REFCTL" list >/dev/null 2>&1
check_eq "a file that loads but is not valid keeps its tree, for check's diagnostics" \
	"views 45 trees 1 in name order yes" "$(python3 "$CACHE_TOOL" .git/refctl-cache layout)"
rm advocates/zed-invalid.yaml
"$REFCTL" list >/dev/null 2>&1

test_case "warm reads are the reads without the cache"
check_reads_agree "nothing changed"

test_case "--no-cache and REFCTL_NO_CACHE=1 leave the cache alone"
rm -f .git/refctl-cache
run refctl --no-cache list
check_rc 0
check_true "no cache written with --no-cache" test ! -e .git/refctl-cache
REFCTL_NO_CACHE=1 "$REFCTL" match --industry logistics >/dev/null
check_true "no cache written with REFCTL_NO_CACHE=1" test ! -e .git/refctl-cache
REFCTL_NO_CACHE=0 "$REFCTL" list >/dev/null
check_true "REFCTL_NO_CACHE=0 is the cache" test -s .git/refctl-cache

test_case "an edit by refctl"
run refctl set "$ann_id" "company=Pennine Haulage Ltd"
check_rc 0
check_reads_agree "after set"
check_contains "the new value is read" "Pennine Haulage Ltd" "$(refctl list --format tsv)"

test_case "an editor's write: a new file renamed over the old"
sed 's/^company: .*/company: Pennine Carriers Ltd/' "$ann" >"$ann.tmp" && mv "$ann.tmp" "$ann"
check_reads_agree "after an editor's write"
check_contains "the new value is read" "Pennine Carriers Ltd" "$(refctl list --format tsv)"

test_case "a same-size edit in place, touched back to the same mtime"
"$REFCTL" list >/dev/null
mtime=$(stat -c %y "$ann")
sed -i 's/^company: Pennine Carriers Ltd/company: Pennine Carriers Plc/' "$ann"
touch -d "$mtime" "$ann"
check_eq "same mtime" "$mtime" "$(stat -c %y "$ann")"
check_reads_agree "after a same-size edit with the same mtime"
check_contains "the new value is read" "Pennine Carriers Plc" "$(refctl list --format tsv)"

test_case "racy: stat data the same, contents not, within the cache's second"
# A file system that keeps whole seconds gives a same-size edit in the
# second the cache was written the very stat data it had. Make that case
# exactly: edit, then give the cached entry the file's new stat data.
"$REFCTL" list >/dev/null
sed -i 's/^company: Pennine Carriers Plc/company: Pennine Carriers Inc/' "$ann"
python3 "$CACHE_TOOL" .git/refctl-cache stat "${ann#advocates/}" "$ann"
python3 "$CACHE_TOOL" .git/refctl-cache started "$(date +%s)"
check_contains "the contents decide: the new value" "Pennine Carriers Inc" "$(refctl list --format tsv)"
check_reads_agree "after a racy edit"

test_case "check --cache: a cache that disagrees with a file it would be trusted for"
"$REFCTL" list >/dev/null
sed -i 's/^company: Pennine Carriers Inc/company: Pennine Carriers LLC/' "$ann"
python3 "$CACHE_TOOL" .git/refctl-cache stat "${ann#advocates/}" "$ann"
# not racy: the cache says it was written long after the file
python3 "$CACHE_TOOL" .git/refctl-cache started "$(($(date +%s) + 100))"
check_contains "the stat data is trusted (what the racy rule is for)" "Pennine Carriers Inc" \
	"$(refctl list --format tsv)"
run refctl check --cache
check_rc 1
check_contains "the disagreement is an error" \
	"$ann: error: the parse cache disagreed with the file: the cached typed view differs from the file's (the cache is removed, to be rebuilt)" "$err$out"
check_contains "then the file is read" "Pennine Carriers LLC" "$(refctl list --format tsv)"
run refctl check --cache
check_rc 0
check_not_contains "the rebuilt cache agrees" "parse cache" "$out$err"
git checkout -q -- advocates/

test_case "a damaged cache file is no cache, and is rebuilt without a word"
want=$(REFCTL_NO_CACHE=1 reads)
for damage in truncate garbage version endian empty directory; do
	"$REFCTL" list >/dev/null
	case $damage in
	truncate) truncate -s 5000 .git/refctl-cache ;;
	garbage) printf 'xxxxxxxxxxxxxxxxxxxxxxxx' | dd of=.git/refctl-cache bs=1 seek=3000 conv=notrunc 2>/dev/null ;;
	version) python3 "$CACHE_TOOL" .git/refctl-cache version 999 ;;
	endian) python3 "$CACHE_TOOL" .git/refctl-cache endian ;;
	empty) : >.git/refctl-cache ;;
	directory) rm -f .git/refctl-cache && mkdir .git/refctl-cache ;;
	esac
	run refctl list
	check_rc 0 "$damage: list"
	check_eq "$damage: nothing said" "" "$err"
	check_eq "$damage: reads agree" "$want" "$(reads)"
	if [ "$damage" = directory ]; then
		rmdir .git/refctl-cache
		"$REFCTL" list >/dev/null
	fi
	check_eq "$damage: rebuilt whole" "entries 45" "$(python3 "$CACHE_TOOL" .git/refctl-cache info)"
	run refctl check --cache
	check_rc 0 "$damage: check --cache"
done

test_case "a writer killed while writing the cache leaves a temporary file: the next writer removes it"
head -c 5000 .git/refctl-cache >.git/refctl-cache.tmp-999999
rm -f .git/refctl-cache
run refctl list
check_rc 0
check_true "the cache is written" test -s .git/refctl-cache
check_true "the dead writer's temporary file is gone" test ! -e .git/refctl-cache.tmp-999999

test_case "check's diagnostics are the same from the cache"
cat >advocates/zed.yaml <<'YAML'
id: zed
name: Zed
company: Zed Co
status: active
favourite_colour: teal
nps: 12
email: anna.schmidt@example.com
YAML
REFCTL_NO_CACHE=1 "$REFCTL" check >"$TEST_ROOT/want" 2>&1
"$REFCTL" check >/dev/null 2>&1
"$REFCTL" check >"$TEST_ROOT/got" 2>&1
check_eq "warm check" "$(cat "$TEST_ROOT/want")" "$(cat "$TEST_ROOT/got")"
check_contains "an unknown key at its line and column" "advocates/zed.yaml:5:1: warning: unknown key 'favourite_colour'" \
	"$(cat "$TEST_ROOT/got")"
check_contains "a range error at its line and column" "advocates/zed.yaml:6:6: error: nps" "$(cat "$TEST_ROOT/got")"
rm advocates/zed.yaml

test_case "files that do not load are never cached, and say so every time"
printf 'id: [unclosed\n' >advocates/broken.yaml
printf '<<<<<<< ours\nid: x\n=======\nid: y\n>>>>>>> theirs\n' >advocates/marked.yaml
check_reads_agree "broken files"
check_eq "neither is in the cache" "entries 45" "$(python3 "$CACHE_TOOL" .git/refctl-cache info)"
rm advocates/broken.yaml advocates/marked.yaml

test_case "files added and removed"
cp "$ann" advocates/copy-of-sophie.yaml
sed -i 's/^id: .*/id: copy-of-sophie/; /^email:/d' advocates/copy-of-sophie.yaml
check_reads_agree "a file added"
check_eq "its entry is added" "entries 46" "$(python3 "$CACHE_TOOL" .git/refctl-cache info)"
rm advocates/copy-of-sophie.yaml
check_reads_agree "a file removed"
check_eq "its entry is gone" "entries 45" "$(python3 "$CACHE_TOOL" .git/refctl-cache info)"

test_case "git checkout, merge, rebase and stash"
git checkout -q -b other
"$REFCTL" set "$ann_id" segment=smb >/dev/null
"$REFCTL" set kevin-nguyen-pacific-crest-energy nps=3 >/dev/null
check_reads_agree "on the branch"
git checkout -q main
check_reads_agree "git checkout back"
base=$(git rev-parse HEAD)
"$REFCTL" set lukas-becker-rheintal-maschinenbau-gmbh nps=4 >/dev/null
git merge -q --no-edit other
check_reads_agree "git merge"
git checkout -q -b topic "$base"
"$REFCTL" set matteo-ricci-officine-ricambi-srl nps=2 >/dev/null
git rebase -q main
check_reads_agree "git rebase"
sed -i 's/^nps: .*/nps: 9/' advocates/matteo-ricci-officine-ricambi-srl.yaml
"$REFCTL" list >/dev/null
git stash -q
check_reads_agree "git stash"
git stash pop -q
check_reads_agree "git stash pop"
git checkout -q -- advocates/

test_case "uniqueness of a write, from the cache"
"$REFCTL" list >/dev/null
email=$(sed -n 's/^email: //p' "$ann")
run refctl add --name "New Person" --company "New Co" --email "$email"
check_rc 2
check_contains "the email is taken" "email $email is already used by advocate '$ann_id'" "$err"
# a change the cache has not seen: the file is read again
sed -i "s/^email: .*/email: moved@example.com/" "$ann"
git commit -qam "sophie moved"
run refctl add --name "Other Person" --company "Other Co" --email "MOVED@example.com"
check_rc 2
check_contains "the new email is taken" "email MOVED@example.com is already used by advocate '$ann_id'" "$err"
run refctl add --name "New Person" --company "New Co" --email "$email"
check_rc 0 "the old email is free"

test_case "a busy cache lock: the reader does not write the cache, and says nothing"
"$REFCTL" list >/dev/null
before=$(stat -c %Y.%y .git/refctl-cache)
sleep 1
sed -i 's/^nps: .*/nps: 7/' "$ann"
exec 9>.git/refctl-cache.lock
flock -n 9
run refctl list --format tsv
check_rc 0
check_eq "nothing said" "" "$err"
check_eq "the cache was not written" "$before" "$(stat -c %Y.%y .git/refctl-cache)"
exec 9>&-
check_reads_agree "after the lock is free"
check_true "then it is written" test "$before" != "$(stat -c %Y.%y .git/refctl-cache)"

test_case "list writes tsv, csv and ids in chunks: the header once, every row"
cd "$TEST_ROOT" && "$REFCTL" init many >/dev/null && cd many
"$REFCTL_GEN" --max-requests 1 5000 . >/dev/null
sleep 2 # files older than the cache's second: not racy, trusted by their stat data
ls advocates | sed 's/\.yaml$//' >"$TEST_ROOT/ids"
"$REFCTL" list --format tsv >"$TEST_ROOT/tsv"
check_eq "tsv: 5,000 rows and a header" "5001" "$(wc -l <"$TEST_ROOT/tsv")"
check_eq "tsv: one header" "1" "$(grep -c '^id	name	' "$TEST_ROOT/tsv")"
check_eq "tsv: the ids in order" "$(sort "$TEST_ROOT/ids")" "$(tail -n +2 "$TEST_ROOT/tsv" | cut -f1)"
"$REFCTL" list --format csv >"$TEST_ROOT/csv"
check_eq "csv: 5,000 rows and a header" "5001" "$(wc -l <"$TEST_ROOT/csv")"
check_eq "csv: one header" "1" "$(grep -c '^id,name,' "$TEST_ROOT/csv")"
check_eq "ids: every one, in order" "$(sort "$TEST_ROOT/ids")" "$(refctl list --format ids)"
check_eq "tsv: the same without the cache" "$(cat "$TEST_ROOT/tsv")" "$(REFCTL_NO_CACHE=1 refctl list --format tsv)"

test_case "a large cache is rewritten once a twentieth of its entries changed, not for each file"
before=$(stat -c %Y.%y .git/refctl-cache)
first=$(ls advocates | head -1)
sleep 1
sed -i 's/^status: .*/status: retired/' "advocates/$first"
check_reads_agree "one file of 5,000 changed"
check_eq "the cache is not rewritten for it" "$before" "$(stat -c %Y.%y .git/refctl-cache)"
check_contains "its change is read" "${first%.yaml}	" "$(refctl list --format tsv --status retired)"
ls advocates | head -260 | while read -r f; do sed -i 's/^status: .*/status: paused/' "advocates/$f"; done
"$REFCTL" list --format tsv >/dev/null
check_true "260 changed: it is" test "$before" != "$(stat -c %Y.%y .git/refctl-cache)"
check_eq "the same without the cache" "$(REFCTL_NO_CACHE=1 refctl list --format tsv)" "$(refctl list --format tsv)"
run refctl check --cache
check_not_contains "and it agrees with the files" "parse cache" "$out$err"
sed -i 's/^status: .*/status: active/' "advocates/$(ls advocates | sed -n 1000p)"
check_eq "stat data taken ahead, on another core, or by the walk itself (REFCTL_JOBS=1): the same" \
	"$(REFCTL_JOBS=1 refctl list --format tsv)" "$(refctl list --format tsv)"
check_eq "and the same as without the cache" "$(REFCTL_NO_CACHE=1 refctl list --format tsv)" "$(refctl list --format tsv)"


test_case "linked work trees keep a cache each, and do not rebuild each other's"
cd "$TEST_ROOT/prog" || exit 1
git stash -q -u 2>/dev/null
rm -f .git/refctl-cache
git worktree add -q "$TEST_ROOT/linked"
"$REFCTL" list >/dev/null
main_cache=$(stat -c '%i %Y.%y' .git/refctl-cache)
(cd "$TEST_ROOT/linked" && "$REFCTL" list >/dev/null)
check_true "the linked work tree's cache is in its own git directory" test -s .git/worktrees/linked/refctl-cache
"$REFCTL" list >/dev/null
check_eq "the main work tree's cache was not rewritten" "$main_cache" "$(stat -c '%i %Y.%y' .git/refctl-cache)"
(cd "$TEST_ROOT/linked" && check_eq "reads in the linked work tree are reads without the cache" \
	"$(REFCTL_NO_CACHE=1 "$REFCTL" list --format tsv)" "$("$REFCTL" list --format tsv)")
git worktree remove --force "$TEST_ROOT/linked"
finish
