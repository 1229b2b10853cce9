#!/bin/bash
# refctl fmt, refctl log and refctl edit.
. "$(dirname "$0")/lib.sh"

new_repo prog

test_case "fmt --check lists files that are not canonical, exit 1"
cat >advocates/ann.yaml <<'YAML'
status: active
name: Ann
id: ann
company: Initech
country: NO
products: [analytics, billing]
custom_b: 2
custom_a: "yes"
YAML
write_advocate bob
git add advocates/ann.yaml && git commit -qm "hand-written ann"
run refctl fmt --check
check_rc 1
check_eq "lists ann only" "advocates/ann.yaml" "$out"

test_case "fmt rewrites to the canonical form, unknown keys kept in order, one commit"
before=$(commit_count)
run refctl fmt
check_rc 0
check_eq "lists what it rewrote" "advocates/ann.yaml" "$out"
check_file "canonical" advocates/ann.yaml 'id: ann
name: Ann
company: Initech
status: active
country: "NO"
products:
- analytics
- billing
custom_b: 2
custom_a: "yes"'
check_eq "one commit" "$((before + 1))" "$(commit_count)"
check_eq "subject" "refctl: fmt advocates/ann.yaml" "$(git log -1 --format=%s)"
run refctl fmt --check
check_rc 0
check_eq "now clean" "" "$out"

test_case "reading a canonical file and writing it back is byte-identical"
cp advocates/ann.yaml "$TEST_ROOT/ann.before"
run refctl fmt ann
check_rc 0
check_eq "nothing to do" "" "$out"
check_true "identical bytes" cmp -s "$TEST_ROOT/ann.before" advocates/ann.yaml

test_case "fmt formats every file it can and reports, one line each, every one it cannot"
printf 'id: cy\nname: Cy\n# loyal since 2019\ncompany: Co\nstatus: active\n' >advocates/cy.yaml
sed -i 's/^name: Bob.*/name: Person bob/' advocates/bob.yaml
printf 'status: active\nid: dee\nname: Dee\ncompany: Co\n' >advocates/dee.yaml
printf 'id: eve\nname: [Eve\n' >advocates/eve.yaml
printf 'status: active\nid: fay\nname: Fay\ncompany: Co\n' >advocates/fay.yaml
git add -A && git commit -qm "cy, dee, eve and fay by hand"
run refctl fmt --check
check_rc 1
check_eq "check lists every file not canonical (a comment or a syntax error is not)" "advocates/cy.yaml
advocates/dee.yaml
advocates/eve.yaml
advocates/fay.yaml" "$out"
check_eq "and says why for those fmt cannot rewrite" "error: advocates/cy.yaml:3: comment would be lost; move it into notes:
error: advocates/eve.yaml:3:1: did not find expected ',' or ']' while parsing a flow sequence" "$err"
before=$(commit_count)
run refctl fmt
check_rc 1
check_eq "lists what it rewrote, past the files it cannot" "advocates/dee.yaml
advocates/fay.yaml" "$out"
check_eq "one line for each file it cannot" "error: advocates/cy.yaml:3: comment would be lost; move it into notes:
error: advocates/eve.yaml:3:1: did not find expected ',' or ']' while parsing a flow sequence" "$err"
check_eq "one commit" "$((before + 1))" "$(commit_count)"
check_eq "of the two" "refctl: fmt 2 files" "$(git log -1 --format=%s)"
check_file "dee rewritten" advocates/dee.yaml 'id: dee
name: Dee
company: Co
status: active'
check_contains "cy untouched" "# loyal since 2019" "$(cat advocates/cy.yaml)"
run git status --porcelain
check_eq "nothing left uncommitted" "" "$out"
run refctl fmt cy nobody
check_rc 1
check_eq "named ids: each reported" "error: advocates/cy.yaml:3: comment would be lost; move it into notes:
error: no advocate 'nobody' (no advocates/nobody.yaml)" "$err"

test_case "log: the history of one file, newest first"
cd "$TEST_ROOT" && new_repo hist
GIT_AUTHOR_DATE="2026-01-05T10:00:00Z" GIT_COMMITTER_DATE="2026-01-05T10:00:00Z" \
	refctl add --id eve --name Eve --company Co >/dev/null
GIT_AUTHOR_DATE="2026-01-06T10:00:00Z" GIT_COMMITTER_DATE="2026-01-06T10:00:00Z" \
	refctl add --id fred --name Fred --company Co >/dev/null
GIT_AUTHOR_DATE="2026-02-01T10:00:00Z" GIT_COMMITTER_DATE="2026-02-01T10:00:00Z" \
	git -c user.name="Other Person" commit -q --allow-empty -m "unrelated"
GIT_AUTHOR_DATE="2026-03-01T09:30:00Z" GIT_COMMITTER_DATE="2026-03-01T09:30:00Z" \
	refctl set eve nps=9 >/dev/null
run refctl log eve
check_rc 0
c1=$(git log --format=%h -n1 -- advocates/eve.yaml)
c0=$(git log --format=%h --reverse -- advocates/eve.yaml | head -1)
check_eq "table" "date        commit   author     summary
2026-03-01  $c1  Test User  refctl: set eve nps=9
2026-01-05  $c0  Test User  refctl: add eve" "$out"
run refctl log --format json eve
check_contains "json date" '"date": "2026-03-01T09:30:00+00:00"' "$out"
check_contains "json summary" '"summary": "refctl: add eve"' "$out"
run refctl log nobody
check_rc 1
check_contains "no history" "no advocate 'nobody'" "$err"

test_case "log: the table and JSON see a commit on the day of its own time zone"
# 23:30 two hours west of Greenwich is already 01:30 UTC on the 2nd;
# 00:15 at +05:30 is still 18:45 UTC on the 2nd
refctl set --no-commit eve nps=8 >/dev/null
GIT_AUTHOR_DATE="2026-03-01T23:30:00-02:00" git commit -qam "late in the west"
refctl set --no-commit eve nps=7 >/dev/null
GIT_AUTHOR_DATE="2026-03-03T00:15:00+05:30" git commit -qam "early in the east"
run refctl log eve
check_rc 0
check_eq "table dates" "2026-03-03
2026-03-01
2026-03-01" "$(printf '%s\n' "$out" | sed -n '2,4p' | cut -c1-10)"
run refctl log --format json eve
check_contains "json east" '"date": "2026-03-03T00:15:00+05:30"' "$out"
check_contains "json west" '"date": "2026-03-01T23:30:00-02:00"' "$out"

test_case "edit: the edited copy replaces the file once valid, one commit"
cat >"$TEST_ROOT/ed-good" <<'SH'
#!/bin/sh
sed -i 's/^status: .*/status: paused/' "$1"
SH
chmod +x "$TEST_ROOT/ed-good"
before=$(commit_count)
EDITOR="$TEST_ROOT/ed-good" run refctl edit eve
check_rc 0
check_contains "changed" "status: paused" "$(cat advocates/eve.yaml)"
check_eq "one commit" "$((before + 1))" "$(commit_count)"
check_eq "subject" "refctl: edit eve" "$(git log -1 --format=%s)"

test_case "edit: VISUAL wins over EDITOR; no change, no commit"
before=$(commit_count)
VISUAL=true EDITOR="$TEST_ROOT/ed-good" run refctl edit eve
check_rc 0
check_contains "says so" "eve: no changes" "$err"
check_eq "no commit" "$before" "$(commit_count)"

test_case "edit: an invalid edit is refused and nothing is written (no terminal to re-open)"
cat >"$TEST_ROOT/ed-bad" <<'SH'
#!/bin/sh
sed -i 's/^status: .*/status: dormant/' "$1"
SH
chmod +x "$TEST_ROOT/ed-bad"
snapshot=$(cat advocates/eve.yaml)
EDITOR="$TEST_ROOT/ed-bad" run refctl edit eve
check_rc 2
check_contains "names the field" "status must be one of nominated, active, paused or retired, not 'dormant'" "$err"
check_eq "file untouched" "$snapshot" "$(cat advocates/eve.yaml)"
check_eq "no commit" "$before" "$(commit_count)"

test_case "edit: a comment added in the editor is refused"
cat >"$TEST_ROOT/ed-comment" <<'SH'
#!/bin/sh
printf '# note to self\n' >>"$1"
SH
chmod +x "$TEST_ROOT/ed-comment"
EDITOR="$TEST_ROOT/ed-comment" run refctl edit eve
check_rc 2
check_contains "comment" "comment would be lost; move it into notes:" "$err"

test_case "edit: an editor that fails changes nothing"
EDITOR=false run refctl edit eve
check_rc 2
check_contains "says so" "the editor exited with status 1" "$err"
check_eq "no commit" "$before" "$(commit_count)"

test_case "edit: the re-open prompt loops until the file is valid (as crontab -e)"
if command -v script >/dev/null 2>&1; then
	cat >"$TEST_ROOT/ed-twice" <<SH
#!/bin/sh
n=\$(cat "$TEST_ROOT/ed-count" 2>/dev/null || echo 0)
n=\$((n + 1)); echo \$n >"$TEST_ROOT/ed-count"
if [ \$n -eq 1 ]; then sed -i 's/^status: .*/status: dormant/' "\$1"; else sed -i 's/^status: .*/status: retired/' "\$1"; fi
SH
	chmod +x "$TEST_ROOT/ed-twice"
	printf 'y\n' | EDITOR="$TEST_ROOT/ed-twice" script -qec "$REFCTL edit eve" /dev/null >"$TEST_ROOT/tty.out" 2>&1
	check_eq "editor opened twice" "2" "$(cat "$TEST_ROOT/ed-count")"
	check_contains "second edit kept" "status: retired" "$(cat advocates/eve.yaml)"
	check_contains "asked" "re-open the editor? [Y/n]" "$(cat "$TEST_ROOT/tty.out")"
else
	echo "skipped: re-open prompt (no 'script' command)"
fi

finish
