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

# git commit reads HEAD, then the index, and only then takes index.lock
# (git 2.39's prepare_index); it moves HEAD only from the commit it read.
# interleave_sweep FORM: refctl is stopped before each of its renames in
# turn; there a git commit (FORM: "as-is", after git add, or "path", git
# commit FILE) reads the repository and is stopped just before it creates
# index.lock; refctl goes on to the end, then git. refctl's change must be
# in HEAD and git's commit, if made, must not put an advocate back. When
# refctl put the index in place after moving the ref, a git commit that
# read HEAD between the two committed the old index and reverted refctl's
# change. Sets $lost, $reverted, $unexplained (steps) and $stale, $gitok.
git_stopped() { # git ARGS...: stopped before it creates index.lock; sets $gpid
	env LD_PRELOAD="$REFCTL_FAULT_LIB" REFCTL_FAULT_AT=1 REFCTL_FAULT_OPS=create \
		REFCTL_FAULT_PATH=index.lock REFCTL_FAULT_ACTION=stop git "$@" >/dev/null 2>"$TEST_ROOT/git.err" &
	gpid=$!
	for _ in $(seq 1 500); do
		state=$(awk '{print $3}' /proc/$gpid/stat 2>/dev/null)
		{ [ "$state" = T ] || [ -z "$state" ]; } && return 0
		sleep 0.01
	done
	return 1
}
interleave_sweep() {
	local form=$1 n at v c fsck_out fsck_rc set_err set_rc explained
	local stale_msg="advocates/ann.yaml: the index has it as it was before HEAD's commit, written back by a git command that had read the index before that commit"
	# every step's change is new, so each makes as many calls
	n=$(F_OPS=rename count_calls set ann "name=Ann $form counted")
	check_true "$form: refctl renames files ($n)" test "${n:-0}" -ge 3
	lost= reverted= unexplained= gitok=0 stale=0
	for ((at = 1; at <= n; at++)); do
		v="Ann $form $at"
		echo "$form $at" >other.txt
		[ "$form" = as-is ] && git add other.txt
		F_OPS=rename F_AT=$at stopped set ann "name=$v"
		if [ "$form" = as-is ]; then
			git_stopped commit -qm "ext interleaved $form $at"
		else
			git_stopped commit -qm "ext interleaved $form $at" other.txt
		fi
		resume
		kill -CONT "$gpid" 2>/dev/null
		wait "$gpid" && gitok=$((gitok + 1))
		{ [ "$bg_rc" = 0 ] && git show HEAD:advocates/ann.yaml | grep -qx "name: $v"; } || lost="$lost $at"
		c=$(git log -1 --format=%H --grep="^ext interleaved $form $at\$")
		[ -n "$c" ] && git diff-tree --no-commit-id --name-only -r "$c" | grep -q '^advocates/' &&
			reverted="$reverted $at"
		if ! git diff --cached --quiet -- advocates; then
			# git's index written back: named by fsck and the next write, repaired
			stale=$((stale + 1))
			fsck_out=$(refctl fsck 2>&1)
			fsck_rc=$?
			set_err=$(refctl set ann "name=$v again" 2>&1)
			set_rc=$?
			explained=1
			case $fsck_out in *"$stale_msg"*) ;; *) explained=0 ;; esac
			case $set_err in *"$stale_msg; run 'refctl fsck --repair'"*) ;; *) explained=0 ;; esac
			[ "$fsck_rc" = 1 ] && [ "$set_rc" = 3 ] || explained=0
			refctl fsck --repair >/dev/null 2>&1 && git diff --cached --quiet -- advocates || explained=0
			if [ $explained = 0 ]; then
				unexplained="$unexplained $at"
				printf "    fsck (exit %s): %s\n    set (exit %s): %s\n" "$fsck_rc" "$fsck_out" "$set_rc" "$set_err" >&2
			fi
		fi
		case "$lost$reverted$unexplained " in *" $at "*) git reset -q --hard ;; esac # each step on its own
	done
	echo "# interleaved, git commit $form: $n steps, $gitok git commits made, $stale indexes written back stale by git;" \
		"lost at:${lost:- none}; reverted at:${reverted:- none}; unexplained at:${unexplained:- none}" >&2
	check_eq "$form: every refctl change is in HEAD" "" "$lost"
	check_eq "$form: no git commit puts an advocate back" "" "$reverted"
	check_true "$form: advocates/ agrees in HEAD, index and work tree" \
		sh -c 'git diff --quiet -- advocates && git diff --cached --quiet -- advocates'
	git commit -qm "ext after the interleaving" other.txt 2>/dev/null
	check_true "$form: HEAD, index and file agree" consistent
}

test_case "finding 1: git commit FILE that read HEAD and the index at any step of a refctl write"
# git commit FILE writes the index only once HEAD has moved, so nothing
# of it is left when it finds HEAD moved: no state to repair at all
interleave_sweep path
check_eq "no stale index" 0 "$stale"

test_case "finding 1: git add, then git commit that read HEAD and the index at any step of a refctl write"
# A git commit of the index as it is writes back the index it read before
# it moves HEAD, and keeps it when HEAD's compare-and-swap fails, as it
# would beside another git command: the one state refctl cannot prevent,
# so fsck and the next write must name it and fsck --repair repair it.
interleave_sweep as-is
check_eq "every stale index named and repaired" "" "$unexplained"
check_true "git wrote back a stale index at some step (the case is reached)" test "$stale" -gt 0

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

test_case "finding 2: the index cannot be put in place: exit 3, and nothing changed"
path=advocates/ann.yaml
# the last rename of refctl's new index is putting it in place of the
# index, before the ref moves: a failure there is a failed write
last=$(F_OPS=rename F_PATH=index.refctl count_calls request new ann --prospect Counted \
	--activity quote --requester Rep --force -m test)
before
F_OPS=rename F_PATH=index.refctl F_ERRNO=EIO F_AT=$last run faulty request new ann --prospect Late \
	--activity quote --requester Rep --force -m test
check_rc 3
check_eq "prints no id" "" "$out"
check_contains "says why" "error: cannot update git's index '$gitdir/index': Input/output error" "$err"
check_true "HEAD, index and file exactly as before" is_old
echo six >other.txt && git add other.txt && git commit -qm "ext 6"
check_eq "the next git commit changes only its file" "other.txt" "$(git show --format= --name-only HEAD)"

test_case "finding 2: the old index cannot be put back: exit 3, the repair named, and it repairs"
# every create and rename in .git/ fails from the ref's lock on (the
# last-but-one of them), so the index already put in place cannot be
# swapped back after the ref fails to move
calls=$(F_OPS=rename,create F_PATH=.git/ count_calls set bob nps=2)
path=advocates/bob.yaml
before
F_OPS=rename,create F_PATH=.git/ F_ERRNO=EIO F_AT=$((calls - 1)) F_PERSIST=1 run faulty set bob nps=3
check_rc 3
check_contains "names the index and the repair" \
	"warning: cannot put git's index '$gitdir/index' back as it was: Input/output error; run 'refctl fsck --repair'" "$err"
check_eq "HEAD as before" "$b_head" "$(git rev-parse HEAD)"
check_true "the file as before" cmp -s advocates/bob.yaml "$TEST_ROOT/.file.before"
run refctl fsck --repair
check_rc 0
check_true "then the old state" is_old_content

test_case "git gc's prune removes an object's folder mid-write: the write is retried and succeeds"
# libgit2 makes objects/xx/ and then links (else renames) the object into
# it; a prune in between fails both with ENOENT. Seen under git gc --auto.
path=advocates/ann.yaml
before
F_OPS=rename F_PATH=/objects/ F_ERRNO=ENOENT F_AT=1 F_TIMES=2 run faulty set ann "name=Ann pruned"
check_rc 0
check_eq "quiet" "" "$err"
check_true "the new state" is_new
before
F_OPS=rename F_PATH=/objects/ F_ERRNO=ENOENT F_AT=1 F_PERSIST=1 run faulty set ann "name=Ann pruned again"
check_rc 3 "a folder that keeps vanishing: tried a few times, then an error"
check_contains "says why" "No such file or directory" "$err"
check_true "the old state" is_old

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
	"warning: advocates/ann.yaml differs from HEAD (the index has the same change) after an interrupted write; run 'refctl fsck --repair'" "$err"
check_contains "and names the lock left" "git's lock file '$gitdir/index.lock' was left by refctl process" "$err"
run refctl set ann nps=6
check_rc 3 "the file is refused until repaired"
check_contains "says what to run" "advocates/ann.yaml was left half written by an interrupted write; run 'refctl fsck --repair'" "$err"
run refctl fsck
check_rc 1
check_contains "fsck finds it" "advocates/ann.yaml differs from HEAD (the index has the same change) after an interrupted write" "$out"
run refctl fsck --repair
check_rc 0
check_contains "repaired" "advocates/ann.yaml differs from HEAD (the index has the same change) after an interrupted write: restored to HEAD; the work-tree version is kept as blob" "$out"
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
