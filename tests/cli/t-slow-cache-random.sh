#!/bin/bash
# The parse cache against random changes: after each change (by refctl, by
# hand in the ways editors and scripts write, by git checkout, merge,
# rebase and stash), every read command's output with the cache is its
# output with REFCTL_NO_CACHE=1. SEED=n replays a run; STEPS=n (default 60).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/cache-lib.sh"

seed=${SEED:-$(date +%s)}
steps=${STEPS:-60}
RANDOM=$seed
echo "t-slow-cache-random: SEED=$seed STEPS=$steps"

new_repo prog
cp "$REFCTL_SRC"/examples/program/advocates/*.yaml advocates/
cp "$REFCTL_SRC"/examples/program/refctl.yaml .
git add -A && git commit -qm "the example program"
git branch side

pick() { # a random advocate file
	local files=(advocates/*.yaml)
	printf '%s' "${files[RANDOM % ${#files[@]}]}"
}
stem() { local f=${1#advocates/}; printf '%s' "${f%.yaml}"; }

# same_size FILE: change one digit of nps (or add nps) keeping the size
same_size() {
	if grep -q '^nps: [0-9]$' "$1"; then
		sed -i "s/^nps: [0-9]$/nps: $((RANDOM % 10))/" "$1"
	else
		sed -i "s/^status: active$/status: paused/; t; s/^status: paused$/status: active/" "$1"
	fi
}

for step in $(seq "$steps"); do
	op=$((RANDOM % 13))
	f=$(pick)
	"$REFCTL" list >/dev/null 2>&1 # the cache as it is before the change
	case $op in
	0) what="refctl set nps"; "$REFCTL" set "$(stem "$f")" "nps=$((RANDOM % 11))" >/dev/null 2>&1 ;;
	1) what="refctl set status"; "$REFCTL" set "$(stem "$f")" status=paused >/dev/null 2>&1 ;;
	2) what="an editor's write"
	   sed "s/^company: \(.*\)/company: \1 $RANDOM/" "$f" >"$f.swp" && mv "$f.swp" "$f" ;;
	3) what="same size, in place, then touched back to the old mtime"
	   m=$(stat -c %y "$f"); same_size "$f"; touch -d "$m" "$f" ;;
	4) what="same size, twice in the same second (racy)"
	   same_size "$f"; "$REFCTL" list >/dev/null 2>&1; same_size "$f" ;;
	5) what="racy with the cache's stat data forged to the file's"
	   same_size "$f"; python3 "$CACHE_TOOL" .git/refctl-cache stat "${f#advocates/}" "$f" 2>/dev/null ;;
	6) what="a file removed, or one added"
	   if [ $((RANDOM % 2)) = 0 ]; then rm -f "$f"; else
		   n=new-$RANDOM; sed "s/^id: .*/id: $n/; /^email:/d; /^crm_id:/d" "$f" >"advocates/$n.yaml"; fi ;;
	7) what="git checkout of the other branch"
	   git add -A && git commit -qm "step $step" >/dev/null 2>&1
	   b=$(git rev-parse --abbrev-ref HEAD); [ "$b" = side ] && b=main || b=side
	   git checkout -q "$b" 2>/dev/null ;;
	8) what="git merge"
	   git add -A && git commit -qm "step $step" >/dev/null 2>&1
	   b=$(git rev-parse --abbrev-ref HEAD); [ "$b" = side ] && b=main || b=side
	   git merge -q --no-edit "$b" >/dev/null 2>&1 || { git merge --abort 2>/dev/null; git reset -q --hard; } ;;
	9) what="git rebase"
	   git add -A && git commit -qm "step $step" >/dev/null 2>&1
	   b=$(git rev-parse --abbrev-ref HEAD); [ "$b" = side ] && b=main || b=side
	   git rebase -q "$b" >/dev/null 2>&1 || git rebase --abort 2>/dev/null ;;
	10) what="git stash, then reads, then git stash pop"
	   same_size "$f"
	   if git stash -q 2>/dev/null; then
		   check_eq "step $step (seed $seed): stashed" "$(REFCTL_NO_CACHE=1 reads)" "$(reads)"
		   git stash pop -q 2>/dev/null || git checkout -q -- . ;
	   fi ;;
	11) what="git checkout -- FILE after a change"
	   same_size "$f"; "$REFCTL" list >/dev/null 2>&1; git checkout -q -- "$f" 2>/dev/null ;;
	12) what="a file made invalid, or valid again"
	   if grep -q '^nps: 99$' "$f"; then sed -i 's/^nps: 99$/nps: 9/' "$f"; else echo "nps: 99" >>"$f"; fi ;;
	esac
	want=$(REFCTL_NO_CACHE=1 reads)
	got=$(reads)
	check_eq "step $step (seed $seed): $what on $f" "$want" "$got"
	[ "$tests_failed" -eq 0 ] || break
done
run refctl check --cache
check_not_contains "the cache agrees with every file it is trusted for" "parse cache" "$out$err"

finish
