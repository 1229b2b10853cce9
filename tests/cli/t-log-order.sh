#!/bin/bash
# refctl log lists an advocate's commits in the order git log -- FILE does,
# commits made within the same second included.
. "$(dirname "$0")/lib.sh"

new_repo prog

same_second() { # SUBJECT: change ann and commit, all at one committer date
	printf 'x' >>"$TEST_ROOT/n"
	write_advocate_file "nps: $(wc -c <"$TEST_ROOT/n")"
	git add advocates/ann.yaml
	GIT_AUTHOR_DATE="2026-11-10T12:00:00Z" GIT_COMMITTER_DATE="2026-11-10T12:00:00Z" \
		git commit -qm "$1"
}
write_advocate_file() {
	printf 'id: ann\nname: Ann\ncompany: Co\nstatus: active\n%s\n' "$1" >advocates/ann.yaml
}

test_case "five commits in one second: the order of git log"
mkdir -p advocates
for s in one two three four five; do same_second "$s"; done
run refctl log ann --format tsv
check_rc 0
check_eq "subjects newest first, as git log" "five
four
three
two
one" "$(printf '%s\n' "$out" | tail -n +2 | cut -f4)"
check_eq "ids as git log" "$(git log --format=%h -- advocates/ann.yaml)" \
	"$(printf '%s\n' "$out" | tail -n +2 | cut -f2)"

test_case "a merge of two branches committed in the same second"
git checkout -qb side
same_second "side a"
same_second "side b"
git checkout -q main
printf 'other\n' >other.txt && git add other.txt
GIT_AUTHOR_DATE="2026-11-10T12:00:00Z" GIT_COMMITTER_DATE="2026-11-10T12:00:00Z" git commit -qm "main other"
GIT_AUTHOR_DATE="2026-11-10T12:00:00Z" GIT_COMMITTER_DATE="2026-11-10T12:00:00Z" \
	git merge -q -X theirs -m "merge side" side
run refctl log ann --format json
check_rc 0
check_eq "ids as git log" "$(git log --format=%H -- advocates/ann.yaml)" \
	"$(printf '%s\n' "$out" | jq -r '.[].commit')"
check_true "not empty" test -n "$(printf '%s\n' "$out" | jq -r '.[].commit')"

finish
