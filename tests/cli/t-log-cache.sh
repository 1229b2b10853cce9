#!/bin/bash
# refctl log and its cache (.git/refctl/log-cache): for each commit with one
# parent, the names in advocates/ whose blob it changed, so a repeated log
# reads no folder tree for a commit it has seen. The output is the same
# with the cache cold, warm and without it (REFCTL_NO_CACHE=1, --no-cache),
# and git log's, on a history with merges.
. "$(dirname "$0")/lib.sh"

at() { # DATE CMD...
	local d=$1
	shift
	GIT_AUTHOR_DATE="$d" GIT_COMMITTER_DATE="$d" "$@"
}
adv() { # ID NPS: write advocates/ID.yaml
	printf 'id: %s\nname: %s\ncompany: Co\nstatus: active\nnps: %s\n' "$1" "$1" "$2" >"advocates/$1.yaml"
}
commit_at() { # DATE SUBJECT
	git add -A && at "$1" git commit -qm "$2"
}
cache=.git/refctl/log-cache
ids="ann ann-b bob cy"

new_repo hist
mkdir -p advocates
adv ann 1; adv ann-b 1; adv bob 1; adv cy 1
commit_at 2026-09-01T10:00:00Z "four"
adv ann 2
commit_at 2026-09-02T10:00:00Z "ann 2"
git checkout -qb side
adv ann 3; adv bob 2
commit_at 2026-09-03T10:00:00Z "side: ann 3, bob 2"
adv cy 2
commit_at 2026-09-04T10:00:00Z "side: cy 2"
git checkout -q main
adv ann-b 2
commit_at 2026-09-05T10:00:00Z "main: ann-b 2"
adv bob 3
commit_at 2026-09-06T10:00:00Z "main: bob 3"
# ann as side has it, bob as main has it (TREESAME to one parent each),
# cy as side has it
at 2026-09-07T10:00:00Z git merge -q --no-ff --no-commit side 2>/dev/null || true
adv ann 3; adv bob 3
git add -A && at 2026-09-07T10:00:00Z git commit -qm "merge side"
git checkout -q side
adv ann 4
commit_at 2026-09-08T10:00:00Z "side: ann 4"
git checkout -q main
adv bob 4
commit_at 2026-09-09T10:00:00Z "main: bob 4"
# ann different from both parents
at 2026-09-10T10:00:00Z git merge -q --no-ff --no-commit side 2>/dev/null || true
adv ann 5
git add -A && at 2026-09-10T10:00:00Z git commit -qm "merge side again, ann 5"
git rm -q advocates/cy.yaml
commit_at 2026-09-11T10:00:00Z "cy leaves"
adv cy 9
commit_at 2026-09-12T10:00:00Z "cy back"
mkdir -p advocates/notes && printf 'x\n' >advocates/notes/a.txt
adv ann 6
commit_at 2026-09-13T10:00:00Z "a folder of notes, ann 6"
printf 'y\n' >advocates/notes/a.txt
commit_at 2026-09-14T10:00:00Z "only the notes: advocates/ changed, no file of it"

logs() { # the log of every id, one block each, or the error
	for id in $ids; do
		echo "== $id"
		"$REFCTL" "$@" log "$id" --format tsv 2>&1
	done
}
want=$(for id in $ids; do
	echo "== $id"
	printf 'date\tcommit\tauthor\tsummary\n'
	git log --format="%ad%x09%h%x09%an%x09%s" --date=format:%Y-%m-%d -- "advocates/$id.yaml"
done)

test_case "two merges: what git log -- FILE lists, by hand for ann"
# the first merge took ann from side (TREESAME to it): not listed, and
# only side is followed for ann; the second one made a third version
check_eq "ann's commits" "a folder of notes, ann 6
merge side again, ann 5
side: ann 4
side: ann 3, bob 2
ann 2
four" "$(git log --format=%s -- advocates/ann.yaml)"

test_case "log without the cache is git log's, and writes no cache"
rm -f "$cache"
check_eq "REFCTL_NO_CACHE=1" "$want" "$(REFCTL_NO_CACHE=1 logs)"
check_eq "--no-cache" "$want" "$(logs --no-cache)"
check_true "no cache file" test ! -e "$cache"

test_case "the first log writes the cache, with the same output"
check_eq "cold" "$want" "$(logs)"
check_true "the cache file" test -s "$cache"

test_case "a repeated log reads the cache: the same output"
before=$(stat -c %Y.%s "$cache")
check_eq "warm" "$want" "$(logs)"
check_eq "nothing new: not written again" "$before" "$(stat -c %Y.%s "$cache")"

test_case "a cached commit costs no folder tree: log works with one gone"
c=$(git log -1 --format=%H --grep="^cy leaves")
tree=$(git rev-parse "$c:advocates")
obj=.git/objects/${tree:0:2}/${tree:2}
check_true "a loose object" test -f "$obj"
mv "$obj" "$TEST_ROOT/tree"
check_eq "warm, the tree gone" "$want" "$(logs)"
run env REFCTL_NO_CACHE=1 "$REFCTL" log cy
check_true "without the cache it is needed" test "$rc" -ne 0
mv "$TEST_ROOT/tree" "$obj"

test_case "a damaged cache is read as empty and rebuilt"
printf 'garbage' >"$cache"
check_eq "after damage" "$want" "$(logs)"
check_eq "rebuilt" "$want" "$(logs)"
check_true "a cache again" test "$(head -c 20 "$cache")" = "refctl-history-cache"

test_case "log -n and --since with the cache"
run "$REFCTL" log -n 2 ann --format tsv
check_eq "-n 2" "$(git log -n 2 --format=%h -- advocates/ann.yaml)" "$(printf '%s\n' "$out" | tail -n +2 | cut -f2)"
run "$REFCTL" log --since 2026-09-08 ann --format tsv
check_eq "--since" "$(git log --since=2026-09-08T00:00:00Z --format=%h -- advocates/ann.yaml)" \
	"$(printf '%s\n' "$out" | tail -n +2 | cut -f2)"

finish
