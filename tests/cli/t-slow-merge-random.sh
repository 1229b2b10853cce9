#!/bin/bash
# 500 generated merges: a random advocate, random refctl operations on two
# branches, `git merge` with refctl's driver. Each scenario is held to:
#   - a conflict exactly where the same value was changed differently (the
#     test's own record of what each branch did is the oracle), and check
#     names exactly those fields;
#   - every request, reward and content item of both sides present once,
#     every id unique;
#   - the result passing `refctl check` apart from the reported conflicts,
#     and lists of strings merged as sets.
# It also counts how many of the same merges git's own line merge
# (git merge-file) leaves conflicted. REFCTL_MERGE_SCENARIOS and
# REFCTL_MERGE_SEED change the run.
. "$(dirname "$0")/lib.sh"

scenarios=${REFCTL_MERGE_SCENARIOS:-500}
seed=${REFCTL_MERGE_SEED:-20261115}
RANDOM=$seed
TODAY=2026-11-15

new_repo prog
git checkout -q main

editor=$TEST_ROOT/add-content.sh
cat >"$editor" <<'EOF'
#!/bin/sh
# append a content entry (content is the last key of a canonical file)
grep -q '^content:' "$1" || printf 'content:\n' >>"$1"
printf -- '- kind: quote\n  text: %s\n' "$CONTENT_TEXT" >>"$1"
EOF
chmod +x "$editor"

# pick VAR WORD...: one of the words into VAR (no subshell, whose RANDOM
# would be seeded anew: the same seed gives the same run)
pick() {
	local a=("${@:2}")
	printf -v "$1" '%s' "${a[RANDOM % ${#a[@]}]}"
}

# ids FILE LIST: the ids of LIST's items (canonical form: "- id:" under "LIST:")
ids() {
	awk -v list="$2" '/^[a-z_]+:/ { cur = $1; sub(/:.*/, "", cur) } cur == list && /^- id: / { print $3 }' "$1" | sort
}

# tags FILE: the tags, one a line, sorted
tags_of() {
	awk '/^[a-z_]+:/ { cur = $1 } cur == "tags:" && /^- / { sub(/^- /, ""); gsub(/"/, ""); print }' "$1" | sort
}

declare -A BASEV AV BV
declare -a REQS
failures=0
line_conflicts=0
driver_conflicts=0

scenario_fail() {
	failures=$((failures + 1))
	fail_check "scenario $i (seed $seed): $1" "${@:2}" \
		"ours did: $(git log --reverse --format=%s "main..left$i" | paste -sd';')" \
		"theirs did: $(git log --reverse --format=%s "main..right$i" | paste -sd';')" \
		"tags: base ${BASE_TAGS[*]}; ours ${A_TAGS[*]}; theirs ${B_TAGS[*]}"
}

# op SIDE: one random refctl operation on the current branch, recorded in
# the side's values (AV or BV) and its new items
op() {
	local -n V=$1 NEWIDS=$2 TAGS=$3
	local adv=s$i kind r st by reason out
	kind=$((RANDOM % 10))
	case $kind in
	0) r=$((RANDOM % 11)); refctl set "$adv" nps=$r >/dev/null && V[nps]=$r ;;
	1) pick r green yellow red; refctl set "$adv" health=$r >/dev/null && V[health]=$r ;;
	2) pick r CTO VP Director; refctl set "$adv" "title=$r" >/dev/null && V[title]=$r ;;
	3) [ -n "${V[phone]:-}" ] && refctl unset "$adv" phone >/dev/null && V[phone]="" ;;
	4) # a tag added or removed: a set, never a conflict
		pick r a b c d e f g
		if printf '%s\n' "${TAGS[@]}" | grep -qx "$r"; then
			local keep=()
			for t in "${TAGS[@]}"; do [ "$t" = "$r" ] || keep+=("$t"); done
			TAGS=("${keep[@]}")
		else
			TAGS+=("$r")
		fi
		refctl set "$adv" "tags=$(IFS=,; printf '%s' "${TAGS[*]}")" >/dev/null ;;
	5) r=P$RANDOM; out=$(refctl request new "$adv" --prospect "$r" --activity quote --requester Rep) && NEWIDS+=("$out") ;;
	6) refctl reward "$adv" --points $((RANDOM % 50 + 1)) --reason "R$RANDOM" >/dev/null && NEWIDS+=("(reward)") ;;
	7) CONTENT_TEXT="T$RANDOM" VISUAL="$editor" refctl edit "$adv" >/dev/null && NEWIDS+=("(content)") ;;
	*) # a transition of one of the base's requests
		[ ${#REQS[@]} -gt 0 ] || return 0
		r=${REQS[RANDOM % ${#REQS[@]}]}
		st=${V["requests[$r].status"]}
		case $st in
		requested) pick kind approve decline cancel ;;
		approved) pick kind schedule complete decline cancel ;;
		scheduled) pick kind complete cancel ;;
		completed) kind=outcome ;;
		*) return 0 ;;
		esac
		case $kind in
		approve)
			pick by "" Lee
			refctl request approve "$r" ${by:+--by "$by"} >/dev/null || return 0
			V["requests[$r].status"]=approved
			V["requests[$r].approved_by"]=${by:-Dana Owner} ;;
		decline | cancel)
			pick reason busy "on leave"
			refctl request "$kind" "$r" --reason "$reason" >/dev/null || return 0
			V["requests[$r].status"]=$([ "$kind" = cancel ] && echo cancelled || echo declined)
			V["requests[$r].closed"]=$TODAY
			V["requests[$r].reason"]=$reason ;;
		schedule)
			pick r2 2026-11-20 2026-11-25
			refctl request schedule "$r" --date "$r2" >/dev/null || return 0
			V["requests[$r].status"]=scheduled
			V["requests[$r].scheduled"]=$r2 ;;
		complete)
			pick by won lost ""
			refctl request complete "$r" ${by:+--outcome "$by"} >/dev/null || return 0
			V["requests[$r].status"]=completed
			V["requests[$r].closed"]=$TODAY
			[ -n "$by" ] && V["requests[$r].outcome"]=$by ;;
		outcome)
			pick by won lost
			refctl request outcome "$r" --outcome "$by" >/dev/null 2>&1 || return 0
			V["requests[$r].outcome"]=$by ;;
		esac ;;
	esac
	return 0
}

# write_base: a random advocate, committed on main, in canonical form
write_base() {
	local f=advocates/s$i.yaml n st opened k
	BASEV=()
	REQS=()
	BASE_TAGS=()
	{
		printf 'id: s%d\nname: Person %d\ncompany: Company %d\nstatus: active\n' "$i" "$i" "$i"
		if [ $((RANDOM % 2)) = 0 ]; then BASEV[title]=Manager; printf 'title: Manager\n'; fi
		if [ $((RANDOM % 2)) = 0 ]; then BASEV[phone]='+1 555 0101'; printf 'phone: +1 555 0101\n'; fi
		printf 'account_owner: Dana Owner\n'
		BASEV[nps]=$((RANDOM % 11)); printf 'nps: %s\n' "${BASEV[nps]}"
		pick h green yellow red; BASEV[health]=$h; printf 'health: %s\n' "$h"
		printf 'activities:\n- reference-call\n- quote\n'
		for t in a b c d; do [ $((RANDOM % 2)) = 0 ] && BASE_TAGS+=("$t"); done
		if [ ${#BASE_TAGS[@]} -gt 0 ]; then printf 'tags:\n'; printf -- '- %s\n' "${BASE_TAGS[@]}"; fi
		printf 'limits:\n  per_quarter: 100\n  rest_days: 0\n'
		n=$((RANDOM % 4))
		[ $n -gt 0 ] && printf 'requests:\n'
		for k in $(seq 1 $n); do
			local id
			# ids as older versions wrote them, or as refctl draws them
			if [ $((RANDOM % 2)) = 0 ]; then id=s$i/$k; else id=$(printf 's%d/2610%02d-0000000%d' "$i" $((10 + k)) "$k"); fi
			opened=2026-10-$((10 + k))
			pick st requested approved scheduled completed
			REQS+=("$id")
			BASEV["requests[$id].status"]=$st
			printf -- '- id: %s\n  opened: %s\n  requester: Rep\n  prospect: Base%d\n  activity: quote\n  status: %s\n' \
				"$id" "$opened" "$k" "$st"
			case $st in
			approved) BASEV["requests[$id].approved_by"]="Dana Owner"; printf '  approved_by: Dana Owner\n' ;;
			scheduled) BASEV["requests[$id].approved_by"]="Dana Owner"; BASEV["requests[$id].scheduled"]=2026-11-30
				printf '  approved_by: Dana Owner\n  scheduled: 2026-11-30\n' ;;
			completed) BASEV["requests[$id].approved_by"]="Dana Owner"; BASEV["requests[$id].closed"]=2026-10-30
				printf '  approved_by: Dana Owner\n  closed: 2026-10-30\n' ;;
			esac
		done
		# an older file's entries, without ids
		[ $((RANDOM % 2)) = 0 ] && printf 'rewards:\n- date: 2025-06-01\n  points: 5\n  reason: survey\n'
		[ $((RANDOM % 2)) = 0 ] && printf 'content:\n- kind: quote\n  text: Old quote\n'
	} >"$f"
	git add "$f" && git commit -qm "base s$i"
}

for i in $(seq 1 "$scenarios"); do
	git checkout -q main
	write_base
	f=advocates/s$i.yaml
	if [ "$i" -le 3 ] && [ -n "$(refctl fmt --check 2>&1)" ]; then
		scenario_fail "the base is in canonical form" "$(refctl fmt --check 2>&1)"
	fi
	AV=() BV=()
	for k in "${!BASEV[@]}"; do AV[$k]=${BASEV[$k]}; BV[$k]=${BASEV[$k]}; done
	A_NEW=() B_NEW=()
	A_TAGS=("${BASE_TAGS[@]}") B_TAGS=("${BASE_TAGS[@]}")
	# two people: the same change on both sides is then two commits, not one
	# commit both branches share (which git would not merge three-way)
	git checkout -q -b "left$i" main
	git config user.name "Rep Left"
	nops=$((RANDOM % 4)); for k in $(seq 0 $nops); do op AV A_NEW A_TAGS; done
	git checkout -q -b "right$i" main
	git config user.name "Rep Right"
	nops=$((RANDOM % 4)); for k in $(seq 0 $nops); do op BV B_NEW B_TAGS; done
	git config --unset user.name
	git checkout -q "left$i"

	# git's own line merge of the same three files
	git show "main:$f" >"$TEST_ROOT/base.yaml"
	git show "left$i:$f" >"$TEST_ROOT/ours.yaml"
	git show "right$i:$f" >"$TEST_ROOT/theirs.yaml"
	git merge-file -q -p "$TEST_ROOT/ours.yaml" "$TEST_ROOT/base.yaml" "$TEST_ROOT/theirs.yaml" >/dev/null ||
		line_conflicts=$((line_conflicts + 1))

	# the oracle: the fields both branches set, to different values, neither the base's
	expected=$(for k in $(printf '%s\n' "${!AV[@]}" "${!BV[@]}" | sort -u); do
		o=${AV[$k]:-} t=${BV[$k]:-} b=${BASEV[$k]:-}
		[ "$o" != "$t" ] && [ "$o" != "$b" ] && [ "$t" != "$b" ] && printf '%s\n' "$k"
	done | sort)

	git merge -q --no-edit "right$i" >/dev/null 2>"$TEST_ROOT/merge.err"
	mrc=$?
	run refctl check
	got=$(printf '%s\n' "$out" | grep "^$f:" | sed -n 's/^[^:]*:[0-9]*: error: conflict in \([^:]*\): .*/\1/p' | sort)
	errors=$(printf '%s\n' "$out" | grep "^$f:" | grep -v ': error: conflict in ' | grep ': error: ')
	if [ "$mrc" != 0 ]; then
		driver_conflicts=$((driver_conflicts + 1))
		[ -n "$expected" ] || scenario_fail "a conflict where no value was changed differently" "$(cat "$TEST_ROOT/merge.err")" "$out"
	fi
	[ "$got" = "$expected" ] || scenario_fail "check names exactly the fields changed differently" \
		"expected: $expected" "named: $got" "$(cat "$f")"
	[ -z "$errors" ] || scenario_fail "no error besides the conflicts" "$errors"
	if [ "$mrc" != 0 ]; then
		# resolve to theirs, to look at the items
		awk '/^<<<<<<< /{s=1; next} /^=======$/ && s {s=2; next} /^>>>>>>> /{s=0; next} s != 1' "$f" >"$TEST_ROOT/merged.yaml"
	else
		cp "$f" "$TEST_ROOT/merged.yaml"
	fi
	for list in requests rewards content; do
		want=$(cat <(ids "$TEST_ROOT/ours.yaml" $list) <(ids "$TEST_ROOT/theirs.yaml" $list) | sort -u)
		have=$(ids "$TEST_ROOT/merged.yaml" $list)
		[ "$want" = "$have" ] || scenario_fail "every $list item of both sides, once" "want: $want" "have: $have"
		[ -z "$(printf '%s\n' "$have" | uniq -d)" ] || scenario_fail "$list ids unique"
		# and the items without id
		for side in ours theirs; do
			n_side=$(awk -v list="$list" '/^[a-z_]+:/ { cur = $1; sub(/:.*/, "", cur) } cur == list && /^- / && !/^- id: /' "$TEST_ROOT/$side.yaml" | wc -l)
			n_have=$(awk -v list="$list" '/^[a-z_]+:/ { cur = $1; sub(/:.*/, "", cur) } cur == list && /^- / && !/^- id: /' "$TEST_ROOT/merged.yaml" | wc -l)
			[ "$n_have" -ge "$n_side" ] || scenario_fail "$list entries without id of $side kept"
		done
	done
	# the tags: kept unless removed on either side, added on either side
	want=$(for t in $(printf '%s\n' "${A_TAGS[@]}" "${B_TAGS[@]}" | sort -u); do
		inb=0; ina=0; inbb=0
		printf '%s\n' "${BASE_TAGS[@]}" | grep -qx "$t" && inbb=1
		printf '%s\n' "${A_TAGS[@]}" | grep -qx "$t" && ina=1
		printf '%s\n' "${B_TAGS[@]}" | grep -qx "$t" && inb=1
		{ [ $ina = 1 ] && [ $inb = 1 ]; } || { [ $ina = 1 ] && [ $inbb = 0 ]; } || { [ $inb = 1 ] && [ $inbb = 0 ]; } &&
			printf '%s\n' "$t"
	done | sort)
	[ "$want" = "$(tags_of "$TEST_ROOT/merged.yaml")" ] || scenario_fail "tags as a set" "want: $want" "have: $(tags_of "$TEST_ROOT/merged.yaml")"
	if [ "$mrc" != 0 ]; then
		git merge --abort
	fi
done

test_case "$scenarios generated merges hold to the rules"
check_eq "scenarios that broke a rule" 0 "$failures"
check_true "some scenarios conflict, as changing the same value differently must" test "$driver_conflicts" -gt 0
check_true "fewer conflicts than git's line merge" test "$driver_conflicts" -lt "$line_conflicts"
printf 'merges: %d; conflicted under git'"'"'s line merge: %d; under refctl merge-file: %d (seed %s)\n' \
	"$scenarios" "$line_conflicts" "$driver_conflicts" "$seed" >&2

finish
