#!/usr/bin/env bash
# The man pages the build generates from the option tables and the schema
# table: one per command, refctl(1) and refctl-schema(5); each lints clean
# with mandoc, and each command's page says what 'refctl help COMMAND' says.
. "$(dirname "$0")/lib.sh"

man_dir=$(dirname "$REFCTL")/man
commands="add check content edit export fmt fsck help import init list log match report request reward schema set show unset"

if ! command -v mandoc >/dev/null; then
	echo "t-man: mandoc is missing (Debian: apt-get install mandoc)" >&2
	exit 1
fi

# The page as plain text, wide enough that no line wraps.
page_text() {
	mandoc -T ascii -O width=250 "$1" | sed 's/.\x08//g'
}

test_case "the build made every page"
for p in refctl.1 $(printf 'refctl-%s.1 ' $commands) refctl-schema.5; do
	check_true "$p exists" test -s "$man_dir/$p"
done

test_case "every page lints clean with mandoc"
for p in "$man_dir"/*.[15]; do
	# -W style: warnings and style messages too; only the cross references
	# to pages not installed on this machine are expected
	lint=$(mandoc -T lint -W style "$p" 2>&1 | grep -v 'STYLE: referenced manual not found: Xr refctl')
	check_eq "mandoc -T lint $(basename "$p")" "" "$lint"
done

test_case "a lint error would be seen"
printf '.Dd\n.Dt X 1\n.Sh NAME\nx\n' >"$TEST_ROOT/bad.1"
lint=$(mandoc -T lint -W style "$TEST_ROOT/bad.1" 2>&1)
check_contains "the broken page is reported" "WARNING" "$lint"

# The option lines of a usage: "FLAGS<TAB>HELP", a help that the usage puts
# on the next line joined.
option_lines() {
	awk '
		pending != "" { h = $0; sub(/^ +/, "", h); print pending "\t" h; pending = ""; next }
		/^    -/ {
			line = substr($0, 5)
			if (match(line, /  +/)) print substr(line, 1, RSTART - 1) "\t" substr(line, RSTART + RLENGTH)
			else pending = line
		}'
}

test_case "each page has the options and help lines of 'refctl help COMMAND'"
for c in $commands; do
	run refctl help "$c"
	check_rc 0 "refctl help $c"
	opts=$(printf '%s\n' "$out" | option_lines)
	text=$(page_text "$man_dir/refctl-$c.1")
	check_contains "refctl-$c(1) names the command" "refctl-$c - " "$text"
	n=0
	while IFS=$'\t' read -r flags help; do
		n=$((n + 1))
		check_match "refctl-$c(1) lists $flags" "^ +$(printf '%s' "$flags" | sed 's/[][\.|*^$+?(){}]/\\&/g')(  |\$)" "$text"
		check_contains "refctl-$c(1) says what $flags does" "$help" "$text"
	done <<<"$opts"
	check_true "refctl help $c lists options (found $n)" test "$n" -ge 1
	# the command's own list, not its verbs' subsections
	items=$(awk -v v=".Ss $c " 'index($0, v) == 1 { exit } /^\.It Fl/ { n++ } END { print n + 0 }' "$man_dir/refctl-$c.1")
	check_eq "refctl-$c(1) has as many options as refctl help $c" "$n" "$items"
done

test_case "request's page has each verb's synopsis, options and help lines"
text=$(page_text "$man_dir/refctl-request.1")
for v in new approve schedule decline cancel complete outcome list show; do
	check_match "a subsection for $v" "^   request $v\$" "$text"
	run refctl request "$v" -h
	check_rc 0 "refctl request $v -h"
	opts=$(printf '%s\n' "$out" | option_lines | grep -v '^-h, --help')
	while IFS=$'\t' read -r flags help; do
		[ -n "$flags" ] || continue
		check_match "request $v: $flags" "^ +$(printf '%s' "$flags" | sed 's/[][\.|*^$+?(){}]/\\&/g')(  |\$)" "$text"
		check_contains "request $v: what $flags does" "$help" "$text"
	done <<<"$opts"
done
check_contains "the verb's prose" "Awards the activity's reward points" "$text"

test_case "a command's page has its synopsis and its prose"
text=$(page_text "$man_dir/refctl-set.1")
check_contains "set's synopsis" "refctl set [--no-commit] [-m TEXT] ID FIELD=VALUE..." "$text"
check_contains "set's prose" "List fields take comma-separated values" "$text"
text=$(page_text "$man_dir/refctl-request.1")
check_contains "request's verbs" "schedule" "$text"
check_contains "request's verb summary" "give an approved request its day" "$text"

test_case "refctl(1) lists every command with its summary"
text=$(page_text "$man_dir/refctl.1")
check_contains "the list command" "list advocates" "$text"
check_contains "the global option -C" "-C DIR" "$text"
for c in $commands; do
	check_contains "refctl(1) refers to refctl-$c(1)" "refctl-$c(1)" "$text"
done

test_case "refctl-schema(5) lists the fields of the schema"
text=$(page_text "$man_dir/refctl-schema.5")
check_contains "the name field" "the advocate's full name" "$text"
check_contains "the consent.until field" "consent.until" "$text"

test_case "the pages carry the date they were built with, not a missing one"
run env REFCTL_MAN_DATE="March 3, 2027" "$REFCTL" help --man list
check_contains "the date" ".Dd March 3, 2027" "$out"
run env -u REFCTL_MAN_DATE "$REFCTL" help --man list
check_match "today's date by default" '^\.Dd [A-Z][a-z]+ [1-9][0-9]?, 20[0-9][0-9]$' "$(printf '%s\n' "$out" | head -1)"

finish
