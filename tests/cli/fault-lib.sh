# Shared by the write-safety tests (t-fault.sh, t-slow-fault.sh,
# t-slow-kill.sh): a repository to write in, the four writes under test,
# and the classification of what a write left. Source after lib.sh.
#
# The fault library (tests/fault/fault.c) is preloaded into refctl only;
# REFCTL_FAULT_LIB names it.

: "${REFCTL_FAULT_LIB:?REFCTL_FAULT_LIB must name the fault-injection library}"
# under a sanitizer the preloaded library comes before its runtime
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0"

# faulty CMD...: run refctl under the fault library with the REFCTL_FAULT_*
# variables the caller exported for it (F_AT, F_OPS, F_ERRNO, F_ACTION ...).
# With F_EXEC=1 the shell running it becomes refctl (for a job's $!).
faulty() {
	${F_EXEC:+exec} env LD_PRELOAD="$REFCTL_FAULT_LIB" REFCTL_FAULT_AT="${F_AT:-0}" \
		REFCTL_FAULT_OPS="${F_OPS:-}" REFCTL_FAULT_ERRNO="${F_ERRNO:-EIO}" \
		REFCTL_FAULT_ACTION="${F_ACTION:-fail}" REFCTL_FAULT_PERSIST="${F_PERSIST:-0}" REFCTL_FAULT_TIMES="${F_TIMES:-1}" \
		REFCTL_FAULT_PATH="${F_PATH:-}" REFCTL_FAULT_LOG="${F_LOG:-}" "$REFCTL" "$@"
}

# count_calls CMD...: how many counted calls CMD makes (it runs for real).
count_calls() {
	local log=$TEST_ROOT/.count
	rm -f "$log"
	F_AT=0 F_LOG=$log faulty "$@" >/dev/null 2>&1
	sed -n 's/^calls=\([0-9]*\).*/\1/p' "$log"
}

fault_repo() {
	new_repo prog
	export REFCTL_LOCK_TIMEOUT=5
	write_advocate ann "activities: [quote]
limits:
  per_quarter: 1000
  rest_days: 0"
	refctl fmt >/dev/null
	gitdir=$(cd "$(git rev-parse --git-dir)" && pwd)
	seq_no=0
}

# The writes under test, each a change every time it runs. write_cmd KIND
# sets $cmd (an array) and $path, the file it changes; complete first makes
# (for real, without faults) a request to complete.
write_cmd() {
	seq_no=$((seq_no + 1))
	case $1 in
	add)
		cmd=(add --name "New $seq_no" --company Co)
		path=advocates/new-$seq_no-co.yaml ;;
	set)
		cmd=(set ann "name=Ann $seq_no")
		path=advocates/ann.yaml ;;
	request-new)
		cmd=(request new ann --prospect "Prospect $seq_no" --activity quote --requester Rep --force -m test)
		path=advocates/ann.yaml ;;
	request-complete)
		local id
		id=$(refctl request new ann --prospect "Prospect $seq_no" --activity quote --requester Rep --force -m test) &&
			refctl request approve "$id" --by Lead >/dev/null || { echo "setup of complete failed" >&2; exit 1; }
		cmd=(request complete "$id" --date 2026-11-15 --outcome won --value 1000)
		path=advocates/ann.yaml ;;
	esac
}

# before: remember HEAD, the index (bytes) and the file.
before() {
	b_head=$(git rev-parse HEAD)
	cp "$gitdir/index" "$TEST_ROOT/.index.before"
	if [ -e "$path" ]; then cp "$path" "$TEST_ROOT/.file.before"; b_file=1; else b_file=0; fi
}

# Anything a write may leave behind: git's lock, refctl's temporaries.
leftovers() {
	{
		ls -A "$gitdir" | grep -E '^index\.lock$|^index\.refctl|^refctl-mark$|\.lock\.lock$'
		[ -e "$gitdir/refs/heads/main.lock" ] && echo refs/heads/main.lock
		ls -A advocates . | grep '\.tmp'
	} 2>/dev/null
}

# HEAD, the index and the work tree agree, with nothing staged or loose.
consistent() {
	git diff --cached --quiet && git diff --quiet &&
		[ -z "$(git --no-optional-locks status --porcelain)" ] && [ -z "$(leftovers)" ]
}

# old: exactly as before, byte for byte (the index compared first, before
# a git command could refresh it).
is_old() {
	cmp -s "$gitdir/index" "$TEST_ROOT/.index.before" || return 1
	[ "$(git rev-parse HEAD)" = "$b_head" ] || return 1
	if [ $b_file = 1 ]; then cmp -s "$path" "$TEST_ROOT/.file.before" || return 1
	else [ ! -e "$path" ] || return 1; fi
	consistent
}

# old, but the index rewritten (by a repair): the same HEAD and file.
is_old_content() {
	[ "$(git rev-parse HEAD)" = "$b_head" ] || return 1
	if [ $b_file = 1 ]; then cmp -s "$path" "$TEST_ROOT/.file.before" || return 1
	else [ ! -e "$path" ] || return 1; fi
	consistent
}

# new: one commit more, of exactly the file, which HEAD, index and work tree hold.
is_new() {
	[ "$(git rev-parse HEAD^ 2>/dev/null)" = "$b_head" ] || return 1
	[ "$(git show --format= --name-only HEAD)" = "$path" ] || return 1
	git show "HEAD:$path" | cmp -s - "$path" || return 1
	consistent
}

show_state() {
	{
		echo "exit $rc; stderr: $err"
		git --no-optional-locks status --porcelain; git log --oneline -3; leftovers
	} | sed 's/^/    | /' >&2
}

declare -A outcomes

says_repair() {
	case $err in *"run 'refctl fsck --repair'"*) return 0 ;; esac
	return 1
}

# classify: what the write left, after exit $rc. Exit 0 must mean the
# change is in HEAD, the index and the file (or, when the index could not
# be written after the commit, a warning naming the repair, which then
# gives that); any other exit must mean all three exactly as before.
classify() {
	if [ "$rc" = 0 ]; then
		if is_new; then
			echo new
		elif says_repair && refctl fsck --repair >/dev/null 2>&1 && is_new; then
			echo new-after-repair
		else
			echo other
		fi
	elif is_old; then
		echo old
	elif [ "${F_PERSIST:-0}" = 1 ] && says_repair && refctl fsck --repair >/dev/null 2>&1 && is_old_content; then
		# every call failing from N on: even putting the file back failed,
		# which refctl said, and the repair puts right
		echo old-after-repair
	else
		echo other
	fi
}

# fault_sweep KIND STEP ERRNO...: the write KIND with a failure at every
# STEP-th counted call, with the errnos in turn (each of them at every
# call with REFCTL_FAULT_EVERY_ERRNO=1); outcomes counted in $outcomes.
fault_sweep() {
	local kind=$1 step=$2 n o e k=0
	local -a errnos
	shift 2
	write_cmd "$kind"
	n=$(count_calls "${cmd[@]}")
	check_true "$kind: the fault library counts its calls ($n)" test "${n:-0}" -gt 10
	for ((at = 1; at <= n + 1; at += step)); do
		if [ "${REFCTL_FAULT_EVERY_ERRNO:-0}" = 1 ]; then
			errnos=("$@")
		else
			errnos=("${@:$((k++ % $# + 1)):1}")
		fi
		for e in "${errnos[@]}"; do
			write_cmd "$kind"
			before
			F_AT=$at F_ERRNO=$e run faulty "${cmd[@]}"
			o=$(classify)
			outcomes[$o]=$((${outcomes[$o]:-0} + 1))
			tries=$((${tries:-0} + 1))
			if [ "$o" = other ]; then
				fail_check "$kind, call $at fails with $e: neither the old state nor the new"
				show_state
				git reset -q --hard "$b_head" && refctl fsck --repair >/dev/null 2>&1
			else
				pass
			fi
		done
	done
}

print_outcomes() { # WHAT
	local k line="# $1: ${tries:-0} writes:"
	for k in old new new-after-repair old-after-repair other; do
		line="$line ${outcomes[$k]:-0} $k,"
	done
	echo "${line%,}" >&2
}

# kill_sweep KIND STEP: the write KIND killed (SIGKILL) just before every
# STEP-th counted call. What is left must be the old state, the new one,
# or a half-done write that the next command (a reader) explains and
# `refctl fsck --repair` turns into the old or the new state.
kill_sweep() {
	local kind=$1 step=$2 n o reader
	write_cmd "$kind"
	n=$(F_OPS=open,write,fsync,rename,unlink count_calls "${cmd[@]}")
	check_true "$kind: the fault library counts its calls ($n)" test "${n:-0}" -gt 10
	for ((at = 1; at <= n + 1; at += step)); do
		write_cmd "$kind"
		before
		F_AT=$at F_ACTION=kill F_OPS=open,write,fsync,rename,unlink run faulty "${cmd[@]}"
		tries=$((${tries:-0} + 1))
		if [ "$rc" != 137 ] && [ $at -le $n ]; then
			o=not-killed
		elif [ "$rc" = 0 ] && is_new; then
			o=new # past the last call: not killed
		elif is_old; then
			o=old
		elif is_new; then
			o=new
		else
			# the next command, one that only reads, says what is half done
			local file_half=0
			{ git diff --quiet -- "$path" && git diff --cached --quiet -- "$path" &&
				{ [ -e "$path" ] || ! git cat-file -e "HEAD:$path" 2>/dev/null; } &&
				{ [ ! -e "$path" ] || git ls-files --error-unmatch "$path" >/dev/null 2>&1; }; } || file_half=1
			run refctl show ann
			reader=$err
			if ! says_repair; then
				o=unexplained
			elif [ $file_half = 1 ] && ! case $err in *"$path"*"after an interrupted write"*) true ;; *) false ;; esac; then
				o=unexplained # the file itself must be named
			else
				run refctl fsck --repair
				if [ "$rc" != 0 ]; then o=other
				elif is_old_content; then o=half-then-old
				elif is_new; then o=half-then-new
				else o=other; fi
			fi
		fi
		outcomes[$o]=$((${outcomes[$o]:-0} + 1))
		case $o in
		other | unexplained)
			fail_check "$kind, killed before call $at: $o"
			[ -n "${reader:-}" ] && echo "    reader said: $reader" >&2
			show_state
			rm -f "$gitdir/index.lock" "$gitdir/refs/heads/main.lock"
			git reset -q --hard "$b_head"; refctl fsck --repair >/dev/null 2>&1 ;;
		*) pass ;;
		esac
		reader=
	done
}

print_kill_outcomes() { # WHAT
	local k line="# $1: ${tries:-0} writes killed:"
	for k in old new half-then-old half-then-new not-killed unexplained other; do
		line="$line ${outcomes[$k]:-0} $k,"
	done
	echo "${line%,}" >&2
}

# race ROUNDS: one loop committing an unrelated file with the git program
# (`git commit FILE`), one loop of `refctl set` on four advocates, at the
# same time. Every refctl change that exited 0 must be in HEAD, and no
# external commit may touch advocates/. Counts go to $race_* and are
# printed. (`git commit` of the index as it is has a race of git's own,
# against refctl as against another git command: it can write back an
# index it read before refctl's commit. t-write-safety.sh's interleaving
# tests show that state is named and repaired.)
race() {
	local rounds=$1 i k v stop=$TEST_ROOT/race.stop
	for k in 1 2 3 4; do
		[ -e advocates/o$k.yaml ] || write_advocate "o$k"
	done
	rm -f "$stop" "$TEST_ROOT"/race.ext.*
	(
		j=0
		while [ ! -e "$stop" ]; do
			j=$((j + 1))
			echo "$j" >ext.txt
			if git add ext.txt 2>/dev/null && git commit -qm "race-ext $j" ext.txt 2>/dev/null; then
				echo ok >>"$TEST_ROOT/race.ext.ok"
			else
				echo failed >>"$TEST_ROOT/race.ext.failed"
			fi
		done
	) &
	local gpid=$!
	declare -gA race_last=()
	race_ok=0 race_failed=0
	for ((i = 1; i <= rounds; i++)); do
		k=$((i % 4 + 1))
		v=$((i % 11))
		if "$REFCTL" set "o$k" "nps=$v" >/dev/null 2>"$TEST_ROOT/race.err"; then
			race_ok=$((race_ok + 1))
			race_last[o$k]=$v
		else
			race_failed=$((race_failed + 1))
			sed 's/^/    refctl: /' "$TEST_ROOT/race.err" >&2
		fi
	done
	touch "$stop"
	wait $gpid
	race_ext_ok=$(cat "$TEST_ROOT/race.ext.ok" 2>/dev/null | wc -l)
	race_ext_failed=$(cat "$TEST_ROOT/race.ext.failed" 2>/dev/null | wc -l)
	race_touching=0
	for c in $(git log --format=%H --grep="^race-ext "); do
		git diff-tree --no-commit-id --name-only -r "$c" | grep -q '^advocates/' &&
			race_touching=$((race_touching + 1))
	done
	race_lost=0
	for k in "${!race_last[@]}"; do
		git show "HEAD:advocates/$k.yaml" | grep -qx "nps: ${race_last[$k]}" || race_lost=$((race_lost + 1))
	done
	echo "# race: $rounds refctl set ($race_ok exit 0, $race_failed failed) beside" \
		"$race_ext_ok git commits ($race_ext_failed refused by git's locks):" \
		"$race_touching external commits touching advocates/, $race_lost exit-0 values not in HEAD" >&2
}
