#!/bin/bash
# History in proportion to what is asked: the report's roster changes walk
# back only to a day before the period's start (the margin for wrong
# clocks) and are cached per commit in .git/refctl/history-cache (the same
# figures with and without it, whatever state the file is in, never reused
# for another commit); refctl log stops at -n and --since.
. "$(dirname "$0")/lib.sh"

at() { # DATE CMD...: run CMD with author and committer dates DATE
	local d=$1
	shift
	GIT_AUTHOR_DATE="$d" GIT_COMMITTER_DATE="$d" "$@"
}
adv() { # ID NAME [EXTRA]: write advocates/ID.yaml
	printf 'id: %s\nname: %s\ncompany: Co\nstatus: active\n%s' "$1" "$2" "${3:+$3
}" >"advocates/$1.yaml"
}
commit_at() { # DATE SUBJECT
	git add -A advocates && at "$1" git commit -qm "$2"
}
cache=.git/refctl/history-cache

new_repo hist
mkdir -p advocates
adv ann "Ann Lee"; adv bob "Bob Ray"; adv cy "Cy Diaz"; adv dee "Dee Fox"
commit_at 2026-08-15T10:00:00Z "add four"
adv bob "Bob Ray" "nps: 9"
commit_at 2026-10-03T10:00:00Z "bob's nps"
adv ann "Ann Lee" "requests:
- id: ann/1
  opened: 2026-10-01
  requester: Sam
  prospect: Initech
  activity: case-study
  status: requested"
commit_at 2026-10-20T10:00:00Z "a request for ann"
git rm -q advocates/cy.yaml
at 2026-11-02T10:00:00Z git commit -qm "cy leaves"
adv eve "Eve Gold"
commit_at 2026-11-03T10:00:00Z "add eve"
printf 'id: dee\nname: Dee Fox\ncompany: Co\nstatus: retired\n' >advocates/dee.yaml
commit_at 2026-11-04T10:00:00Z "dee retires"

# by hand: November: cy removed, eve added, dee retired; October (the
# previous period): bob edited, ann's requests
nov='{"added":[{"id":"eve","commits":1,"by":["Test User"]}],"retired":[{"id":"dee","commits":1,"by":["Test User"]}],"edited":[],"removed":[{"id":"cy","commits":1,"by":["Test User"]}],"requests":[]}'
prev='{"added":0,"retired":0,"edited":1,"removed":0,"requests":1}'

test_case "REFCTL_NO_CACHE=1: the roster changes, and no cache file"
REFCTL_NO_CACHE=1 run refctl report --month 2026-11 --format json
check_rc 0
check_eq "November's changes" "$nov" "$(printf '%s' "$out" | jq -c .changes)"
check_eq "October's" "$prev" "$(printf '%s' "$out" | jq -c .previous.changes)"
nocache=$out
REFCTL_NO_CACHE=1 run refctl report --month 2026-11
nocache_text=$out
check_true "no cache written" test ! -e "$cache"
run refctl --no-cache report --month 2026-11 --format json
check_eq "--no-cache: the same" "$nocache" "$out"
check_true "--no-cache: no cache written either" test ! -e "$cache"

test_case "the first report writes the history cache, with the same figures"
run refctl report --month 2026-11 --format json
check_rc 0
check_eq "the same JSON" "$nocache" "$out"
check_eq "nothing said" "" "$err"
check_true "the cache file" test -s "$cache"
check_true "under .git, never in the work tree" test -z "$(git status --porcelain)"

test_case "a repeated report reads the cache: the same figures, text too"
run refctl report --month 2026-11 --format json
check_eq "the same JSON" "$nocache" "$out"
run refctl report --month 2026-11
check_eq "the same text (names from the cache)" "$nocache_text" "$out"
check_contains "the removed advocate's name" "Cy Diaz, Co" "$out"
run refctl report --month 2026-11 --format json --program nope
check_eq "--program applied to the cached summaries" '{"added":0,"retired":0,"edited":0,"removed":0,"requests":0}' \
	"$(printf '%s' "$out" | jq -c '.changes | map_values(length)')"

test_case "a cached commit costs no blob: the report works with its old blobs gone"
git clone -q --no-local . "$TEST_ROOT/loose"
cd "$TEST_ROOT/loose"
mv .git/objects/pack/*.pack "$TEST_ROOT/all.pack"
rm -f .git/objects/pack/*
git unpack-objects -q <"$TEST_ROOT/all.pack"
run refctl report --month 2026-11 --format json
check_eq "cold: the figures" "$nocache" "$out"
# bob's file before its October edit is in no tree of HEAD
old=$(git rev-parse 'HEAD~5:advocates/bob.yaml')
rm ".git/objects/${old:0:2}/${old:2}"
REFCTL_NO_CACHE=1 run refctl report --month 2026-11 --format json
check_rc 3 "without the cache the missing blob is an error"
run refctl report --month 2026-11 --format json
check_rc 0
check_eq "with it, the same figures as before" "$nocache" "$out"
cd "$TEST_ROOT/hist"

for damage in corrupt truncate version empty garbage; do
	test_case "a $damage cache file is ignored and rebuilt, silently"
	run refctl report --month 2026-11 --format json
	cp "$cache" "$TEST_ROOT/good"
	case $damage in
	corrupt) printf 'X' | dd of="$cache" bs=1 seek=40 conv=notrunc status=none ;;
	truncate) truncate -s 60 "$cache" ;;
	version) printf '\011' | dd of="$cache" bs=1 seek=21 conv=notrunc status=none ;;
	empty) : >"$cache" ;;
	garbage) printf 'not a cache\n' >"$cache" ;;
	esac
	check_true "damaged" test -n "$(cmp "$cache" "$TEST_ROOT/good" 2>&1)"
	run refctl report --month 2026-11 --format json
	check_rc 0
	check_eq "the same figures" "$nocache" "$out"
	check_eq "nothing said" "" "$err"
	check_true "rebuilt as it was" cmp -s "$cache" "$TEST_ROOT/good"
done

test_case "a busy cache lock: the report is right and leaves the file alone"
rm -f "$cache"
exec 9>"$cache.lock"
flock 9
run refctl report --month 2026-11 --format json
check_rc 0
check_eq "the same figures" "$nocache" "$out"
check_true "nothing saved" test ! -e "$cache"
exec 9>&-
run refctl report --month 2026-11 --format json
check_true "saved once the lock is free" test -s "$cache"

test_case "an amended commit is another commit: its old summary is not reused"
adv eve "Eve Gold" "nps: 3"
commit_at 2026-11-05T10:00:00Z "eve's nps"
run refctl report --month 2026-11 --format json
check_eq "eve edited" '["eve"]' "$(printf '%s' "$out" | jq -c '[.changes.edited[].id]')"
printf 'id: eve\nname: Eve Gold\ncompany: Co\nstatus: retired\n' >advocates/eve.yaml
git add advocates/eve.yaml
at 2026-11-05T10:00:00Z git commit -q --amend -m "eve retires"
run refctl report --month 2026-11 --format json
check_eq "after --amend eve is retired, not edited" '[[],["dee","eve"]]' \
	"$(printf '%s' "$out" | jq -c '[[.changes.edited[].id], [.changes.retired[].id]]')"
REFCTL_NO_CACHE=1 run refctl report --month 2026-11 --format json
check_eq "as without the cache" '[[],["dee","eve"]]' \
	"$(printf '%s' "$out" | jq -c '[[.changes.edited[].id], [.changes.retired[].id]]')"

test_case "a rebased commit is another commit too"
git checkout -q -b side HEAD~1
adv fay "Fay Hill"
commit_at 2026-11-06T10:00:00Z "add fay"
run refctl report --month 2026-11 --format json
check_eq "on side: fay added, eve not retired" '[["eve","fay"],["dee"]]' \
	"$(printf '%s' "$out" | jq -c '[[.changes.added[].id], [.changes.retired[].id]]')"
at 2026-11-06T10:00:00Z git -c core.editor=true rebase -q main
run refctl report --month 2026-11 --format json
check_eq "rebased onto main: eve retired as well" '[["eve","fay"],["dee","eve"]]' \
	"$(printf '%s' "$out" | jq -c '[[.changes.added[].id], [.changes.retired[].id]]')"
git checkout -q main

test_case "the walk stops a day before the period: older history is never read"
git clone -q --no-local . "$TEST_ROOT/stop"
cd "$TEST_ROOT/stop"
mv .git/objects/pack/*.pack "$TEST_ROOT/stop.pack"
rm -f .git/objects/pack/*
git unpack-objects -q <"$TEST_ROOT/stop.pack"
# the root: "add four" (08-15) is read (older than the margin: the walk
# stops there), its parent, refctl init's commit, is not
root=$(git rev-list --max-parents=0 HEAD)
rm ".git/objects/${root:0:2}/${root:2}"
REFCTL_NO_CACHE=1 run refctl report --month 2026-11 --format json
check_rc 0
check_eq "November and October as before" "[\"$(printf '%s' "$nocache" | jq -c '[.changes.removed[].id]')\",\"$prev\"]" \
	"[\"$(printf '%s' "$out" | jq -c '[.changes.removed[].id]')\",\"$(printf '%s' "$out" | jq -c .previous.changes)\"]"
REFCTL_NO_CACHE=1 run refctl report --month 2026-09 --format json
check_rc 3 "a period reaching the missing commit is an error, never short"
check_contains "names it" "cannot read commit $root" "$err"
cd "$TEST_ROOT/hist"

# The rule for wrong clocks: a commit counts in the period its own commit
# date falls in; the walk passes through commits dated up to a day before
# the window's start (the comparison month's first day), and stops at the
# first one older than that.
test_case "clock skew within the margin: the commit behind it still counts"
new_repo skew
mkdir -p advocates
adv gus "Gus Ivy"; adv hal "Hal Jo"; adv ivy "Ivy Kim"
commit_at 2026-08-01T10:00:00Z "add three"
adv gus "Gus Ivy" "nps: 1"
commit_at 2026-10-05T10:00:00Z "gus in October"
adv hal "Hal Jo" "nps: 2"
commit_at 2026-09-30T06:00:00Z "hal, a clock 18 hours before October"
adv ivy "Ivy Kim" "nps: 3"
commit_at 2026-11-02T10:00:00Z "ivy in November"
run refctl report --month 2026-11 --format json
check_rc 0
check_eq "November: ivy" '["ivy"]' "$(printf '%s' "$out" | jq -c '[.changes.edited[].id]')"
check_eq "October: one edit (gus, reached through hal; hal is dated September)" 1 \
	"$(printf '%s' "$out" | jq -c .previous.changes.edited)"
run refctl report --month 2026-10 --format json
check_eq "October's edit is gus" '["gus"]' "$(printf '%s' "$out" | jq -c '[.changes.edited[].id]')"
check_eq "hal counts in September, the month of its date" 1 \
	"$(printf '%s' "$out" | jq -c .previous.changes.edited)"

test_case "clock skew beyond the margin: the walk stops there"
new_repo skew2
mkdir -p advocates
adv gus "Gus Ivy"; adv hal "Hal Jo"
commit_at 2026-08-01T10:00:00Z "add two"
adv gus "Gus Ivy" "nps: 1"
commit_at 2026-10-05T10:00:00Z "gus in October"
adv hal "Hal Jo" "nps: 2"
commit_at 2026-09-28T10:00:00Z "hal, a clock three days early"
adv hal "Hal Jo" "nps: 4"
commit_at 2026-11-02T10:00:00Z "hal in November"
run refctl report --month 2026-11 --format json
check_eq "November: hal" '["hal"]' "$(printf '%s' "$out" | jq -c '[.changes.edited[].id]')"
check_eq "October: gus is behind a commit dated beyond the margin, not seen" 0 \
	"$(printf '%s' "$out" | jq -c .previous.changes.edited)"
run refctl report --month 2026-10 --format json
check_eq "a report whose window reaches past hal sees gus" '["gus"]' \
	"$(printf '%s' "$out" | jq -c '[.changes.edited[].id]')"

new_repo logs
mkdir -p advocates
for d in 01 03 05 07 09; do
	adv ann "Ann Lee" "nps: ${d#0}"
	commit_at "2026-11-${d}T12:00:00Z" "ann on 11-$d"
done

test_case "log -n N: the newest N, as git log -n N"
run refctl log -n 2 ann --format tsv
check_rc 0
check_eq "two subjects" "ann on 11-09
ann on 11-07" "$(printf '%s\n' "$out" | tail -n +2 | cut -f4)"
check_eq "as git log -n 2" "$(git log -n 2 --format=%h -- advocates/ann.yaml)" \
	"$(printf '%s\n' "$out" | tail -n +2 | cut -f2)"
run refctl log --max-count 1 ann --format json
check_eq "--max-count 1" '["ann on 11-09"]' "$(printf '%s' "$out" | jq -c '[.[].summary]')"
run refctl log -n 0 ann --format json
check_eq "-n 0: all" 5 "$(printf '%s' "$out" | jq length)"
run refctl log -n -1 ann
check_rc 2 "a negative count is a usage error"

test_case "log --since DATE: commits from that day on, as git log --since"
run refctl log --since 2026-11-05 ann --format tsv
check_rc 0
check_eq "three subjects" "ann on 11-09
ann on 11-07
ann on 11-05" "$(printf '%s\n' "$out" | tail -n +2 | cut -f4)"
check_eq "as git log --since" "$(git log --since=2026-11-05T00:00:00Z --format=%h -- advocates/ann.yaml)" \
	"$(printf '%s\n' "$out" | tail -n +2 | cut -f2)"
run refctl log --since 10d ann --format json
check_eq "a human date (today is 2026-11-15)" '["ann on 11-09","ann on 11-07","ann on 11-05"]' \
	"$(printf '%s' "$out" | jq -c '[.[].summary]')"
run refctl log --since 2026-11-05 -n 1 ann --format json
check_eq "with -n" '["ann on 11-09"]' "$(printf '%s' "$out" | jq -c '[.[].summary]')"
run refctl log --since 2026-12-01 ann --format json
check_rc 0
check_eq "none yet: an empty list" '[]' "$out"
run refctl log --since someday ann
check_rc 2 "a date that is not one is a usage error"
check_contains "names the option" "--since" "$err"

test_case "log --since and a wrong clock within the margin"
adv ann "Ann Lee" "nps: 1"
commit_at 2026-11-04T20:00:00Z "ann, a clock behind"
adv ann "Ann Lee" "nps: 2"
commit_at 2026-11-10T12:00:00Z "ann on 11-10"
run refctl log --since 2026-11-05 ann --format json
check_eq "the commit dated before DATE is left out, the ones behind it are not" \
	'["ann on 11-10","ann on 11-09","ann on 11-07","ann on 11-05"]' "$(printf '%s' "$out" | jq -c '[.[].summary]')"

test_case "log's help and man page name -n and --since"
run refctl log -h
check_contains "-n" "--max-count" "$out"
check_contains "--since" "--since" "$out"

test_case "roster changes in git's tree order, from a linked worktree"
# a-b sorts before a in a tree ('-' before '.yaml'), a-b/ (a folder) after
# both; the walk reads the raw trees in that order
cd "$TEST_ROOT" && "$REFCTL" init order >/dev/null && cd order
mkdir -p advocates
adv a "A One"; adv a-b "A Two"; adv a0 "A Three"
commit_at 2026-10-02T10:00:00Z "three"
mkdir -p advocates/a-b
printf 'not an advocate\n' >advocates/a-b/notes.txt
adv a "A One" "nps: 3"; adv a0 "A Three" "nps: 4"; rm advocates/a-b.yaml
commit_at 2026-10-05T10:00:00Z "a folder, two edits, one gone"
git worktree add -q "$TEST_ROOT/order-wt"
cd "$TEST_ROOT/order-wt"
adv a-c "A Four"
commit_at 2026-10-07T10:00:00Z "from the worktree"
want='{"added":["a","a-b","a-c","a0"],"edited":["a","a0"],"removed":["a-b"]}'
run env REFCTL_NO_CACHE=1 "$REFCTL" report --month 2026-10 --format json
check_rc 0
check_eq "every change, sorted by id" "$want" \
	"$(printf '%s' "$out" | jq -c '.changes | {added: [.added[].id], edited: [.edited[].id], removed: [.removed[].id]}')"
run "$REFCTL" report --month 2026-10 --format json
run "$REFCTL" report --month 2026-10 --format json
check_eq "the same from the history cache" "$want" \
	"$(printf '%s' "$out" | jq -c '.changes | {added: [.added[].id], edited: [.edited[].id], removed: [.removed[].id]}')"
check_true "the worktree's cache is the repository's" test -s "$TEST_ROOT/order/$cache"

finish
