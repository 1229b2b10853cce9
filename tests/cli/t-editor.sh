#!/bin/bash
# refctl edit runs $VISUAL/$EDITOR as git does: sh -c '$EDITOR "$@"' $EDITOR FILE.
. "$(dirname "$0")/lib.sh"

new_repo prog
write_advocate ann "nps: 7"

test_case "an EDITOR with quoted shell words runs as the shell reads it"
EDITOR='sed -i "s/^nps: .*/nps: 9/"' run refctl edit ann
check_rc 0
check_eq "nps changed" "nps: 9" "$(git show HEAD:advocates/ann.yaml | grep '^nps:')"
check_eq "one commit" "refctl: edit ann" "$(git log -1 --format=%s)"

test_case "VISUAL wins over EDITOR"
VISUAL='sed -i "s/^nps: .*/nps: 4/"' EDITOR=false run refctl edit ann
check_rc 0
check_eq "nps changed" "nps: 4" "$(git show HEAD:advocates/ann.yaml | grep '^nps:')"

test_case "a temporary directory with spaces and quotes in its name"
dir="$TEST_ROOT/it's a \"tmp\" \$dir"
mkdir -p "$dir"
# the editor records the file name it was given, then edits it
cat >"$TEST_ROOT/ed.sh" <<'SH'
#!/bin/sh
printf '%s\n' "$1" >"$EDLOG"
sed -i 's/^nps: .*/nps: 2/' "$1"
SH
chmod +x "$TEST_ROOT/ed.sh"
EDLOG="$TEST_ROOT/edlog" TMPDIR="$dir" EDITOR="'$TEST_ROOT/ed.sh'" run refctl edit ann
check_rc 0
check_eq "nps changed" "nps: 2" "$(git show HEAD:advocates/ann.yaml | grep '^nps:')"
check_match "the editor got the file whole, as one parameter" "^$TEST_ROOT/it's a \"tmp\" \\\$dir/refctl-ann-.{6}\\.yaml\$" "$(cat "$TEST_ROOT/edlog")"
check_eq "the copy is removed" "" "$(ls -A "$dir")"

test_case "an editor that fails changes nothing"
before=$(git rev-parse HEAD)
EDITOR='sh -c "exit 3"' run refctl edit ann
check_rc 2
check_eq "message" "error: the editor exited with status 3; nothing changed" "$err"
check_eq "no commit" "$before" "$(git rev-parse HEAD)"

finish
