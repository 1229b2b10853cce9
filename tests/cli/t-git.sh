#!/bin/bash
# Git behaviour of every writing command: exact commits, refusals, the lock.
. "$(dirname "$0")/lib.sh"

new_repo prog
write_advocate ann
write_advocate bob

test_case "the user's other staged and modified files stay as they were"
echo "draft" >notes.txt
git add notes.txt
echo "status: retired" >>advocates/bob.yaml # unstaged edit of another advocate
run refctl set ann nps=5
check_rc 0
check_eq "commit holds only ann" "advocates/ann.yaml" "$(git show --format= --name-only HEAD)"
check_eq "status" " M advocates/bob.yaml
A  notes.txt" "$(git status --porcelain)"
git reset -q notes.txt && rm notes.txt && git checkout -q advocates/bob.yaml

test_case "a staged change to the file, or an untracked file, is not committed over"
sed -i 's/^name: .*/name: Staged Name/' advocates/ann.yaml
git add advocates/ann.yaml
run refctl set ann nps=4
check_rc 3
check_contains "staged" "advocates/ann.yaml has uncommitted changes" "$err"
check_eq "still staged" "M  advocates/ann.yaml" "$(git status --porcelain)"
git reset -q --hard
refctl add --no-commit --id cyd --name Cyd --company Co >/dev/null
run refctl set cyd nps=4
check_rc 3
check_contains "untracked" "advocates/cyd.yaml has uncommitted changes" "$err"
rm advocates/cyd.yaml
rm advocates/bob.yaml
run refctl set bob nps=4
check_rc 1
check_contains "deleted in the work tree: no such advocate" "no advocate 'bob'" "$err"
git checkout -q advocates/bob.yaml

test_case "refused while a merge is in progress, nothing written"
git checkout -q -b side
refctl set ann nps=1 >/dev/null
git checkout -q main
refctl set ann nps=2 >/dev/null
git merge -q side >/dev/null 2>&1
before=$(git rev-parse HEAD)
run refctl add --name New --company Person
check_rc 3
check_contains "says why" "a merge is in progress" "$err"
check_true "no file" test ! -e advocates/new-person.yaml
check_eq "HEAD unchanged" "$before" "$(git rev-parse HEAD)"
git merge --abort

test_case "refused during a cherry-pick"
git cherry-pick side >/dev/null 2>&1
run refctl set bob nps=3
check_rc 3
check_contains "says why" "a cherry-pick is in progress" "$err"
git cherry-pick --abort

test_case "refused during a rebase"
git checkout -q side
git rebase main >/dev/null 2>&1
run refctl set bob nps=3
check_rc 3
check_contains "says why" "a rebase is in progress" "$err"
git rebase --abort
git checkout -q main

test_case "without an author, a clear error before anything is written"
before=$(git rev-parse HEAD)
HOME="$TEST_ROOT/nohome" GIT_CONFIG_GLOBAL="$TEST_ROOT/nohome/.gitconfig" run refctl set ann nps=4
check_rc 3
check_contains "names the settings" "set git config user.name and user.email" "$err"
check_contains "file untouched" "nps: 2" "$(cat advocates/ann.yaml)"
check_eq "HEAD unchanged" "$before" "$(git rev-parse HEAD)"

test_case "16 concurrent refctl add all succeed, none lost"
before=$(commit_count)
for i in $(seq 1 16); do
	refctl add --name "Person $i" --company "Parallel" --email "p$i@parallel.example" \
		>"$TEST_ROOT/add.$i.out" 2>"$TEST_ROOT/add.$i.err" &
done
wait
ok=0
for i in $(seq 1 16); do
	[ -s "$TEST_ROOT/add.$i.out" ] && ok=$((ok + 1))
done
check_eq "all 16 printed an id" "16" "$ok"
check_eq "16 commits" "$((before + 16))" "$(commit_count)"
check_eq "16 files" "16" "$(ls advocates/person-*-parallel.yaml | wc -l)"
check_eq "tree clean" "" "$(git status --porcelain)"
run refctl check
check_rc 0
check_eq "every file in HEAD" "16" "$(git ls-tree --name-only HEAD advocates/ | grep -c parallel)"

test_case "16 concurrent adds of the same name get distinct ids"
for i in $(seq 1 16); do
	refctl add --name "Same Name" --company "Twin Co" >"$TEST_ROOT/twin.$i.out" 2>&1 &
done
wait
check_eq "16 distinct ids" "16" "$(cat "$TEST_ROOT"/twin.*.out | sort -u | grep -c '^same-name-twin-co')"

test_case "a held lock makes a writer wait, then fail with a clear error"
gitdir=$(git rev-parse --git-dir)
exec 9>"$gitdir/refctl.lock"
flock 9
REFCTL_LOCK_TIMEOUT=0.3 run refctl set ann nps=6
check_rc 3
check_contains "names the lock" "could not take the lock '$(cd "$gitdir" && pwd)/refctl.lock'" "$err"
flock -u 9
exec 9>&-

test_case "a stale lock left by a killed process is taken over with a warning"
echo 99999999 >"$gitdir/refctl.lock"
run refctl set ann nps=7
check_rc 0
check_contains "warning" "warning: took over a stale lock" "$err"
check_contains "names the process" "left by process 99999999" "$err"
run refctl set ann nps=8
check_eq "released normally afterwards: no warning" "" "$err"

test_case "every writing command passes the stale-lock warning on, once"
for args in "unset ann nps" "reward ann --points 5 --reason thanks" "add --name Zed --company Co" \
	"request new ann --prospect Globex --activity quote --requester Sam --force -m asked"; do
	echo 99999999 >"$gitdir/refctl.lock"
	run refctl $args
	check_rc 0
	check_eq "$args: one warning" "1" "$(printf '%s\n' "$err" | grep -c '^warning: took over a stale lock')"
done

test_case "a refctl root in a subfolder of a bigger repository"
cd "$TEST_ROOT"
mkdir mono && cd mono && git init -q && echo "x" >app.c && git add app.c && git commit -qm app
refctl init refs >/dev/null
cd refs
run refctl add --name Zed --company Sub
check_rc 0
check_eq "path in the outer repo" "refs/advocates/zed-sub.yaml" "$(git show --format= --name-only HEAD)"
run refctl log zed-sub
check_contains "log follows" "refctl: add zed-sub" "$out"

finish
