#!/bin/bash
# Nothing acknowledged is lost, nothing refused is half written: git's
# lock protocol against a git commit running alongside, exit status that
# tells the truth on a full disk or a read-only object store, a write
# killed half way explained and repaired, a detached HEAD, and quick
# versions of the fault, kill and race tests (the exhaustive ones are
# t-slow-fault.sh, t-slow-kill.sh and t-slow-race.sh).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/fault-lib.sh"

fault_repo
write_advocate bob

# stopped PIDVAR CMD...: start refctl CMD under the fault library with
# F_ACTION=stop; wait until it has stopped (or ended). Sets $pid.
stopped() {
	F_ACTION=stop F_EXEC=1 faulty "$@" >"$TEST_ROOT/bg.out" 2>"$TEST_ROOT/bg.err" &
	pid=$!
	for _ in $(seq 1 500); do
		state=$(awk '{print $3}' /proc/$pid/stat 2>/dev/null)
		{ [ "$state" = T ] || [ -z "$state" ]; } && return 0
		sleep 0.01
	done
	return 1
}
resume() {
	kill -CONT "$pid"
	wait "$pid"
	bg_rc=$?
	bg_err=$(cat "$TEST_ROOT/bg.err")
}
external_touches_advocates() {
	git log --format=%H --grep='^ext' | while read -r c; do
		git diff-tree --no-commit-id --name-only -r "$c" | grep '^advocates/'
	done
}

test_case "finding 1: a git commit in the middle of a refctl write does not revert it"
# refctl stopped just before it first opens index.lock: on the old write
# path that was after moving HEAD and before the index, where a git
# commit built its tree from the stale index and put the old file back
echo one >other.txt && git add other.txt && git commit -qm "ext 0"
F_OPS=open,rename F_PATH=index.lock F_AT=1 stopped set ann nps=7
echo two >other.txt && git add other.txt
git commit -qm "ext 1" 2>/dev/null
ext=$?
resume
check_eq "refctl: exit" 0 "$bg_rc"
check_eq "the git commit went in" 0 "$ext"
check_eq "no external commit touches advocates/" "" "$(external_touches_advocates)"
check_contains "refctl's change is in HEAD" "nps: 7" "$(git show HEAD:advocates/ann.yaml)"
check_true "HEAD, index and file agree" consistent

test_case "finding 1: while refctl holds index.lock, a git commit fails cleanly and changes nothing"
echo three >other.txt && git add other.txt
F_OPS=open F_PATH=index.refctl F_AT=1 stopped set ann nps=8
run git add advocates/bob.yaml
check_rc 128 "git add refused"
run git commit -qm "ext 2"
check_rc 128 "git commit refused"
check_contains "git names the lock" "index.lock': File exists" "$err"
resume
check_eq "refctl: exit" 0 "$bg_rc"
check_contains "refctl's change is in HEAD" "nps: 8" "$(git show HEAD:advocates/ann.yaml)"
run git commit -qm "ext 3"
check_rc 0 "the git commit, once refctl is done"
check_eq "the user's staged file is kept and committed" "other.txt" "$(git show --format= --name-only HEAD)"
check_eq "no external commit touches advocates/" "" "$(external_touches_advocates)"
check_true "HEAD, index and file agree" consistent

test_case "finding 1: refctl waits for a git commit holding index.lock, says so, then commits"
cat >"$TEST_ROOT/slow-editor" <<'EOS'
#!/bin/sh
# git commit PATH holds index.lock while the editor runs
touch "$1.started"; sleep 1; echo "ext 4" >"$1"
EOS
chmod +x "$TEST_ROOT/slow-editor"
echo four >other.txt
GIT_EDITOR=$TEST_ROOT/slow-editor git commit -q other.txt &
gpid=$!
for _ in $(seq 1 300); do [ -e "$gitdir/COMMIT_EDITMSG.started" ] && break; sleep 0.01; done
run refctl set ann nps=9
wait $gpid
check_eq "git commit" 0 "$?"
check_rc 0
check_contains "says it waits, naming the lock" \
	"warning: git's lock file '$gitdir/index.lock' exists: waiting up to 5 s for the git process holding it" "$err"
check_eq "refctl's commit is on top of git's" "ext 4" "$(git log -1 --format=%s HEAD^)"
check_contains "the change is in HEAD" "nps: 9" "$(git show HEAD:advocates/ann.yaml)"
check_eq "no external commit touches advocates/" "" "$(external_touches_advocates)"
check_true "HEAD, index and file agree" consistent
rm -f "$gitdir/COMMIT_EDITMSG.started"

test_case "a lock held past the timeout: exit 3 naming it, nothing written"
echo "DIRC held by git" >"$gitdir/index.lock"
path=advocates/ann.yaml
before
REFCTL_LOCK_TIMEOUT=0.3 run refctl set ann nps=1
check_rc 3
check_contains "names the lock" "error: git's lock file '$gitdir/index.lock' exists" "$err"
rm "$gitdir/index.lock"
check_true "nothing changed" is_old

test_case "HEAD moved without index.lock while refctl wrote: committed on the new HEAD"
F_OPS=open F_PATH=refs/heads/main.lock F_AT=1 stopped set ann nps=2
moved=$(git commit-tree -p HEAD -m "ext moved by update-ref" "HEAD^{tree}")
git update-ref refs/heads/main "$moved"
resume
check_eq "refctl: exit" 0 "$bg_rc"
check_eq "on top of the moved HEAD" "$moved" "$(git rev-parse HEAD^)"
check_contains "the change is in HEAD" "nps: 2" "$(git show HEAD:advocates/ann.yaml)"
check_true "HEAD, index and file agree" consistent

test_case "HEAD moved to a commit changing the same file: refused, the file put back"
path=advocates/ann.yaml
before
F_OPS=open F_PATH=refs/heads/main.lock F_AT=1 stopped set ann nps=3
blob=$(sed 's/^nps: .*/nps: 10/' advocates/ann.yaml | git hash-object -w --stdin)
tree=$(git ls-tree HEAD advocates/ | sed "s/[0-9a-f]\{40\}\tadvocates\/ann.yaml/$blob\tadvocates\/ann.yaml/" |
	sed 's|\tadvocates/|\t|' | git mktree)
root=$(git ls-tree HEAD | sed "s/tree [0-9a-f]\{40\}\tadvocates$/tree $tree\tadvocates/" | git mktree)
moved=$(git commit-tree -p HEAD -m "ext sets nps 10" "$root")
git update-ref refs/heads/main "$moved"
resume
check_eq "refctl: exit" 3 "$bg_rc"
check_contains "says why" "advocates/ann.yaml changed in HEAD while refctl was writing it; nothing was written" "$bg_err"
check_eq "HEAD is the other commit" "$moved" "$(git rev-parse HEAD)"
check_true "the file is as it was" cmp -s advocates/ann.yaml "$TEST_ROOT/.file.before"
git reset -q --hard
b_head=$(git rev-parse HEAD)

test_case "finding 2: disk full while writing the index: exit 3 and nothing changed"
path=advocates/ann.yaml
before
F_OPS=write F_PATH=index F_ERRNO=ENOSPC F_AT=1 run faulty request new ann --prospect Full \
	--activity quote --requester Rep --force -m test
check_rc 3
check_contains "says why" "No space left on device" "$err"
check_eq "prints no id" "" "$out"
check_true "HEAD, index and file exactly as before" is_old
echo five >other.txt && git add other.txt && git commit -qm "ext 5"
check_eq "the next git commit changes only its file" "other.txt" "$(git show --format= --name-only HEAD)"

test_case "finding 2: the index cannot be put in place after the commit: success, with the repair named"
path=advocates/ann.yaml
# the last rename of refctl's new index is putting it in place of the index
last=$(F_OPS=rename F_PATH=index.refctl count_calls request new ann --prospect Counted \
	--activity quote --requester Rep --force -m test)
before
F_OPS=rename F_PATH=index.refctl F_ERRNO=EIO F_AT=$last run faulty request new ann --prospect Late \
	--activity quote --requester Rep --force -m test
check_rc 0
check_match "prints the id" '^ann/261115-[0-9a-hjkmnp-tv-z]{8}$' "$out"
check_contains "warns, naming the repair" "the commit is made, but the index still has the files as they were: run 'refctl fsck --repair'" "$err"
check_contains "the request is in HEAD" "prospect: Late" "$(git show HEAD:advocates/ann.yaml)"
run refctl fsck --repair
check_rc 0
check_true "then HEAD, index and file agree" consistent
echo six >other.txt && git add other.txt && git commit -qm "ext 6"
check_contains "the next git commit keeps the request" "prospect: Late" "$(git show HEAD:advocates/ann.yaml)"

test_case "finding 3: a read-only object store: exit 3, the file untouched, and the next write works"
path=advocates/ann.yaml
before
F_OPS=create F_PATH=/objects/ F_ERRNO=EACCES F_AT=1 F_PERSIST=1 run faulty set ann nps=4
check_rc 3
check_contains "says why" "Permission denied" "$err"
check_true "HEAD, index and file exactly as before" is_old
run refctl set ann nps=4
check_rc 0 "the next write is not refused"
check_true "HEAD, index and file agree" consistent

test_case "finding 3: a write killed half way is explained by the next command and repaired"
path=advocates/ann.yaml
before
# killed just before moving the ref: the file is written, HEAD is not
F_OPS=open F_PATH=refs/heads/main.lock F_AT=1 F_ACTION=kill run faulty set ann nps=5
check_rc 137 "killed"
run refctl show ann
check_contains "the next command explains" \
	"warning: advocates/ann.yaml differs from HEAD and the index after an interrupted write; run 'refctl fsck --repair'" "$err"
check_contains "and names the lock left" "git's lock file '$gitdir/index.lock' was left by refctl process" "$err"
run refctl set ann nps=6
check_rc 3 "the file is refused until repaired"
check_contains "says what to run" "advocates/ann.yaml was left half written by an interrupted write; run 'refctl fsck --repair'" "$err"
run refctl fsck
check_rc 1
check_contains "fsck finds it" "advocates/ann.yaml differs from HEAD and the index after an interrupted write" "$out"
run refctl fsck --repair
check_rc 0
check_contains "repaired" "advocates/ann.yaml differs from HEAD and the index after an interrupted write: restored to HEAD; the work-tree version is kept as blob" "$out"
check_true "the old state" is_old_content
run refctl set ann nps=6
check_rc 0 "writes work again"
check_eq "no warning" "" "$err"

test_case "finding 12: a commit on a detached HEAD warns once, as git would, and commits"
git checkout -q --detach
before_head=$(git rev-parse HEAD)

printf 'id: det-one\nname: Det One\ncompany: Co\nstatus: active\n---\nid: det-two\nname: Det Two\ncompany: Co\nstatus: active\n' >"$TEST_ROOT/two.yaml"
run_in "$TEST_ROOT/two.yaml" refctl add --file -
check_rc 0
check_eq "one warning" "warning: committing on a detached HEAD" "$err"
check_eq "HEAD moved on from the detached commit" "$before_head" "$(git rev-parse HEAD^)"
check_eq "still detached" "HEAD" "$(git rev-parse --abbrev-ref HEAD)"
check_eq "main untouched" "$before_head" "$(git rev-parse main)"
check_true "HEAD, index and file agree" consistent
git checkout -q main

test_case "fsck: clean, then a modified file and a stray lock; --repair touches only refctl's paths"
run refctl fsck
check_rc 0
check_eq "nothing to say" "" "$out"
check_match "counts the paths" '^[0-9]+ paths checked: 0 problems$' "$err"
echo "nps: 3" >>advocates/bob.yaml
echo "draft" >notes.txt
echo "changed" >other.txt
printf 'refctl 4194999\n' >"$gitdir/index.lock"
echo "half" >advocates/.bob.yaml.tmpAbC123
run refctl fsck
check_rc 1
check_eq "what it finds" "git's lock file '$gitdir/index.lock' was left by refctl process 4194999
refctl's temporary file advocates/.bob.yaml.tmpAbC123 was left behind
advocates/bob.yaml differs from HEAD and the index" "$out"
check_contains "summary" "3 problems (run 'refctl fsck --repair')" "$err"
kept=$(git hash-object advocates/bob.yaml)
run refctl fsck --repair
check_rc 0
check_eq "what it did" "git's lock file '$gitdir/index.lock' was left by refctl process 4194999: removed
refctl's temporary file advocates/.bob.yaml.tmpAbC123 was left behind: removed
advocates/bob.yaml differs from HEAD and the index: restored to HEAD; the work-tree version is kept as blob ${kept:0:12} ('git show ${kept:0:12}')" "$out"
check_eq "the kept version" "nps: 3" "$(git show "$kept" | tail -n 1)"
check_eq "other paths untouched" " M other.txt
?? notes.txt" "$(git status --porcelain)"
run refctl fsck
check_rc 0
rm notes.txt && git checkout -q other.txt

test_case "quick: a failure at every 6th call of set and request new"
outcomes=()
tries=0
fault_sweep set 6 EIO ENOSPC EACCES
fault_sweep request-new 6 ENOSPC EACCES EIO
print_outcomes "quick faults"
check_eq "nothing but the old or the new state" 0 "${outcomes[other]:-0}"

test_case "quick: kill -9 before every 6th call of set"
outcomes=()
tries=0
kill_sweep set 6
print_kill_outcomes "quick kills"
check_eq "nothing unexplained, nothing else" "0 0" "${outcomes[unexplained]:-0} ${outcomes[other]:-0}"

test_case "quick: git commit beside refctl set"
race 40
check_eq "no external commit touches advocates/" 0 "$race_touching"
check_eq "every exit-0 value is in HEAD" 0 "$race_lost"
check_true "advocates/ agrees in HEAD, index and work tree" \
	sh -c 'git diff --quiet -- advocates && git diff --cached --quiet -- advocates'

finish
