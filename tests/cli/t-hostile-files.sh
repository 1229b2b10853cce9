#!/bin/bash
# Hostile files: refctl opens only regular files, never blocks on a FIFO,
# never follows a symbolic link, and never writes outside the repository.
. "$(dirname "$0")/lib.sh"

# Every command runs under a timeout: a FIFO opened for reading blocks
# until a writer comes, so a refctl that opens one would hang here.
T() { timeout 20 "$REFCTL" "$@"; }

new_repo prog
write_advocate ann "activities: [quote]
consent:
  until: 2027-12-31
requests:
- id: ann/1
  opened: 2026-10-05
  status: requested
  activity: quote
  requester: Rita"
mkfifo advocates/p.yaml

test_case "a FIFO in advocates/: check reports it and does not hang"
run T check
check_rc 1
check_eq "one error, for the FIFO" "advocates/p.yaml: error: not a regular file (a FIFO)" "$out"
check_eq "summary" "2 files checked: 1 error, 0 warnings" "$err"

test_case "a FIFO in advocates/: list, match and report skip it with a warning"
run T list --fields id
check_rc 0
check_eq "the others are listed" "id
ann" "$out"
check_eq "warning" "warning: skipped advocates/p.yaml: not a regular file (a FIFO) (run 'refctl check')" "$err"
run T match --format ids
check_rc 0
check_eq "match" "ann" "$out"
check_eq "match warning" "warning: skipped advocates/p.yaml: not a regular file (a FIFO) (run 'refctl check')" "$err"
run T report --month 2026-10 --format csv
check_rc 0
check_contains "report counts ann's request" "requests,opened,,1" "$out"
check_contains "left out, said" "report,left_out,,1" "$out"
check_eq "report warning" "warning: left out advocates/p.yaml: not a regular file (a FIFO)" "$err"

test_case "a FIFO in advocates/: show is a clear error"
run T show p
check_rc 2
check_eq "error" "error: advocates/p.yaml: not a regular file (a FIFO)" "$err"
check_eq "no output" "" "$out"

test_case "a FIFO in advocates/: writes elsewhere go on, fmt reports it"
run T add --name Bob --company Initech --email bob@example.com
check_rc 0
check_eq "added" "bob-initech" "$out"
run T fmt --check p
check_rc 1
check_eq "fmt lists it" "advocates/p.yaml" "$out"
check_eq "fmt" "error: advocates/p.yaml: not a regular file (a FIFO)" "$err"
rm advocates/p.yaml

test_case "a socket and a link to a device are not opened either"
if command -v python3 >/dev/null; then
	python3 -c 'import socket,sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])' advocates/s.yaml
	run T check
	check_rc 1
	check_eq "socket" "advocates/s.yaml: error: not a regular file (a socket)" "$out"
	rm advocates/s.yaml
fi
ln -s /dev/zero advocates/z.yaml
run T check
check_rc 1
check_eq "link" "advocates/z.yaml: error: is a symbolic link; refctl does not follow links" "$out"
run T show z
check_rc 2
check_eq "show" "error: advocates/z.yaml: is a symbolic link; refctl does not follow links" "$err"
rm advocates/z.yaml

test_case "a committed link to an advocate file: reported, never written through"
cat >"$TEST_ROOT/target.yaml" <<'YAML'
id: lnk
name: Linda
company: Elsewhere
status: active
YAML
ln -s ../../target.yaml advocates/lnk.yaml
git add advocates/lnk.yaml && git commit -qm "add a link"
commits=$(commit_count)
run T check
check_rc 1
check_eq "check" "advocates/lnk.yaml: error: is a symbolic link; refctl does not follow links" "$out"
run T list --fields id
check_rc 0
check_eq "list skips it" "id
ann
bob-initech" "$out"
check_eq "list warns" "warning: skipped advocates/lnk.yaml: is a symbolic link; refctl does not follow links (run 'refctl check')" "$err"
run T show lnk
check_rc 2
check_eq "show" "error: advocates/lnk.yaml: is a symbolic link; refctl does not follow links" "$err"
for args in "set lnk nps=5" "set --no-commit lnk nps=5" "unset lnk status" \
	"request new lnk --prospect P --activity quote --requester R --no-commit" \
	"reward lnk --points 5 --reason thanks"; do
	# shellcheck disable=SC2086
	run T $args
	check_rc 2 "$args: exit status"
	check_eq "$args: says what it is, not 'uncommitted changes'" \
		"error: advocates/lnk.yaml: is a symbolic link; refctl does not follow links" "$err"
done
check_true "still a link" test -L advocates/lnk.yaml
check_eq "target untouched" "id: lnk
name: Linda
company: Elsewhere
status: active" "$(cat "$TEST_ROOT/target.yaml")"
check_eq "no commit" "$commits" "$(commit_count)"
git rm -q advocates/lnk.yaml && git commit -qm "remove the link"

test_case "a committed link advocates -> a folder outside: every command refuses it"
new_repo linked
mkdir "$TEST_ROOT/outside"
rmdir advocates 2>/dev/null
ln -s ../outside advocates
git add advocates && git commit -qm "advocates elsewhere"
printf 'id: x\nname: X\ncompany: Co\nstatus: active\nactivities: [quote]\n' >"$TEST_ROOT/outside/x.yaml"
commits=$(commit_count)
msg="error: advocates: is a symbolic link; refctl does not follow links (advocates/ must be a folder of the repository)"
for args in "add --name Bob --company Co" "add --name Bob --company Co --no-commit" \
	"set --no-commit x nps=5" "set x nps=5" \
	"request new x --prospect P --activity quote --requester R --no-commit" \
	"list" "check" "show x" "match" "report" "fmt"; do
	# shellcheck disable=SC2086
	run T $args
	check_rc 3 "$args: exit status"
	check_eq "$args: error" "$msg" "$err"
	check_eq "$args: no output" "" "$out"
done
check_eq "nothing written outside" "x.yaml" "$(ls "$TEST_ROOT/outside")"
check_eq "x untouched" "id: x
name: X
company: Co
status: active
activities: [quote]" "$(cat "$TEST_ROOT/outside/x.yaml")"
check_eq "no commit" "$commits" "$(commit_count)"
check_eq "work tree clean" "" "$(git status --porcelain)"

test_case "a refctl root reached through a link inside the repository is refused"
# outer is a git repository holding a link prog -> a refctl root in another one
mkdir -p "$TEST_ROOT/elsewhere" "$TEST_ROOT/outer"
(cd "$TEST_ROOT/elsewhere" && git init -q && refctl init prog >/dev/null)
(cd "$TEST_ROOT/outer" && git init -q && ln -s ../elsewhere/prog prog && git add prog &&
	git commit -qm "link to the program")
real=$(cd "$TEST_ROOT/elsewhere/prog" && pwd -P)
outer=$(cd "$TEST_ROOT/outer" && pwd -P)
before=$(git -C "$TEST_ROOT/elsewhere" rev-list --count HEAD)
msg="error: '$outer/prog' is a symbolic link inside the git work tree '$outer'; refctl does not follow links (use '$real' if that is the repository meant)"
cd "$outer/prog" || exit 1
run T list
check_rc 3
check_eq "from inside the link" "$msg" "$err"
run T add --name Bob --company Co
check_rc 3
check_eq "add" "$msg" "$err"
cd "$outer" || exit 1
run T -C prog add --name Bob --company Co --no-commit
check_rc 3
check_eq "-C through the link" "$msg" "$err"
REFCTL_DIR=prog run T add --name Bob --company Co --no-commit
check_rc 3
check_eq "REFCTL_DIR through the link" "$msg" "$err"
mkdir "$TEST_ROOT/elsewhere/new"
ln -s ../elsewhere/new new
run T init new
check_rc 3
check_eq "init through a link" "error: '$outer/new' is a symbolic link inside the git work tree '$outer'; refctl does not follow links (use '$(cd "$TEST_ROOT/elsewhere/new" && pwd -P)' if that is the repository meant)" "$err"
check_eq "init wrote nothing there" "" "$(ls -A "$TEST_ROOT/elsewhere/new")"
check_eq "nothing written there" "" "$(ls "$real/advocates" 2>/dev/null)"
check_eq "no commit there" "$before" "$(git -C "$TEST_ROOT/elsewhere" rev-list --count HEAD)"

test_case "a work tree reached through a link outside it is fine"
cd "$TEST_ROOT" || exit 1
ln -s elsewhere via
run T -C via/prog add --name Bob --company Co
check_rc 0
check_eq "added" "bob-co" "$out"
check_true "in the real place" test -f "$real/advocates/bob-co.yaml"
cd via/prog || exit 1
run T list --fields id
check_rc 0
check_eq "list" "id
bob-co" "$out"

finish
