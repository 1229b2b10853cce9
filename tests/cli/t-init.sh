#!/bin/bash
# refctl init, root discovery, -C, REFCTL_DIR, help and version.
. "$(dirname "$0")/lib.sh"

cd "$TEST_ROOT"

test_case "init makes a git repository, refctl.yaml and advocates/, and commits"
run refctl init prog
check_rc 0
check_eq "message" "initialised refctl repository in $TEST_ROOT/prog" "$out"
check_true "refctl.yaml exists" test -f prog/refctl.yaml
check_true "advocates/ exists" test -d prog/advocates
check_eq "one commit" "1" "$(git -C prog rev-list --count HEAD)"
check_eq "commit subject" "refctl: init" "$(git -C prog log -1 --format=%s)"
check_eq "commit has exactly refctl.yaml and .gitattributes" ".gitattributes
refctl.yaml" "$(git -C prog show --format= --name-only HEAD)"
check_file "advocate files go to refctl's merge driver" prog/.gitattributes "advocates/*.yaml merge=refctl"
check_eq "the driver's command, in the repository's own config" \
	"'$REFCTL' merge-file --marker-size=%L -L %X -L %S -L %Y %O %A %B %P" \
	"$(git -C prog config --local merge.refctl.driver)"
check_eq "git sees the attribute" "advocates/x.yaml: merge: refctl" "$(git -C prog check-attr merge advocates/x.yaml)"
check_eq "author from git config" "Test User <test@example.com>" "$(git -C prog log -1 --format='%an <%ae>')"
check_eq "work tree clean" "" "$(git -C prog status --porcelain)"
check_contains "every default written out" "per_quarter: 4" "$(cat prog/refctl.yaml)"

test_case "init twice is refused"
run refctl init prog
check_rc 2
check_contains "names refctl.yaml" "already a refctl repository" "$err"

test_case "init in a subfolder of an existing repository does not git init again"
mkdir big && git -C big init -q && echo hi >big/README && git -C big add README && git -C big commit -qm base
run refctl init big/refs
check_rc 0
check_true "no nested .git" test ! -e big/refs/.git
check_eq "commit on the outer repository" "refs/.gitattributes
refs/refctl.yaml" "$(git -C big show --format= --name-only HEAD)"
check_eq "the attribute holds for the root's advocates" "refs/advocates/x.yaml: merge: refctl" \
	"$(git -C big check-attr merge refs/advocates/x.yaml)"
check_true "the driver is in the outer repository's config" git -C big config --local merge.refctl.driver
check_eq "two commits" "2" "$(git -C big rev-list --count HEAD)"

test_case "commands find the root from a subdirectory"
mkdir -p prog/advocates/deep
cd prog/advocates/deep
run refctl add --name "Ann Lee" --company Initech --status active
check_rc 0
check_eq "id printed" "ann-lee-initech" "$out"
cd "$TEST_ROOT"
check_true "file at the root" test -f prog/advocates/ann-lee-initech.yaml

test_case "-C DIR selects the repository"
run refctl -C prog list --format tsv --fields id
check_rc 0
check_eq "listed" "$(printf 'id\nann-lee-initech')" "$out"

test_case "REFCTL_DIR selects the repository"
REFCTL_DIR="$TEST_ROOT/prog" run refctl list --fields id --format tsv
check_rc 0
check_contains "listed" "ann-lee-initech" "$out"

test_case "-C wins over REFCTL_DIR"
REFCTL_DIR="$TEST_ROOT/big/refs" run refctl -C prog list --fields id --format tsv
check_contains "listed from -C" "ann-lee-initech" "$out"

test_case "outside any root: one line naming refctl.yaml, exit 2"
mkdir -p nowhere && cd nowhere
run refctl list
check_rc 2
check_contains "says what was looked for" "no refctl.yaml" "$err"
check_eq "one line" "1" "$(printf '%s\n' "$err" | wc -l)"
cd "$TEST_ROOT"

test_case "bad REFCTL_DIR"
REFCTL_DIR="$TEST_ROOT/nowhere" run refctl list
check_rc 2
check_contains "names REFCTL_DIR" "REFCTL_DIR" "$err"

test_case "init without an author writes nothing"
HOME="$TEST_ROOT/empty-home" GIT_CONFIG_GLOBAL="$TEST_ROOT/empty-home/.gitconfig" run refctl init noauthor
check_rc 3
check_contains "names user.name" "user.name" "$err"
check_true "no refctl.yaml" test ! -e noauthor/refctl.yaml
check_true "no .git" test ! -e noauthor/.git

test_case "author from GIT_AUTHOR_NAME/EMAIL when git config has none"
HOME="$TEST_ROOT/empty-home" GIT_CONFIG_GLOBAL="$TEST_ROOT/empty-home/.gitconfig" \
	GIT_AUTHOR_NAME="Env Person" GIT_AUTHOR_EMAIL="env@example.com" run refctl init envauthor
check_rc 0
check_eq "author" "Env Person <env@example.com>" "$(git -C envauthor log -1 --format='%an <%ae>')"

test_case "init --no-commit writes the files and leaves committing to the user"
run refctl init --no-commit nocommit
check_rc 0
check_true "refctl.yaml" test -f nocommit/refctl.yaml
check_true ".gitattributes" test -f nocommit/.gitattributes
check_eq "no commit" "" "$(git -C nocommit log --oneline 2>/dev/null)"

test_case "help, -h and --version"
run refctl --version
check_rc 0
check_match "version" '^refctl [0-9]+\.[0-9]+\.[0-9]+$' "$out"
run refctl help
check_rc 0
for c in add check edit fmt init list log match merge-file report request reward set setup show unset; do
	check_contains "help lists $c" "  $c " "$out"
done
run refctl help add
check_rc 0
check_contains "usage" "usage: refctl add" "$out"
run refctl add -h
check_rc 0
check_contains "usage on stdout" "usage: refctl add" "$out"
run refctl -C prog list --bogus
check_rc 2
check_contains "usage on stderr" "usage: refctl list" "$err"
run refctl nosuch
check_rc 2
check_contains "unknown command" "'nosuch' is not a refctl command" "$err"
run refctl
check_rc 2

test_case "a closed stdout is an error, not silence"
cd prog
( "$REFCTL" list --format tsv >/dev/full 2>"$TEST_ROOT/full.err"; echo $? >"$TEST_ROOT/full.rc" )
check_eq "exit 3 on a full disk" "3" "$(cat "$TEST_ROOT/full.rc")"
check_contains "says so" "cannot write output" "$(cat "$TEST_ROOT/full.err")"

test_case "REFCTL_TODAY must be a date"
REFCTL_TODAY=2026-13-01 run refctl list
check_rc 2
check_contains "names it" "REFCTL_TODAY" "$err"

finish
