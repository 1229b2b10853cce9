#!/usr/bin/env bash
# Help and bad usage, for every command of the table and every request verb:
# -h and --help print the usage to stdout and exit 0, inside a refctl
# repository and outside any; an unknown option or a missing value gives one
# "error: ..." line and the usage on stderr, exit 2, nothing on stdout.
. "$(dirname "$0")/lib.sh"

new_repo prog
write_advocate ann
inside=$TEST_ROOT/prog
outside=$TEST_ROOT/nowhere
mkdir -p "$outside"
# no parent of the test directory may pass for a repository
export GIT_CEILING_DIRECTORIES=$TEST_ROOT

verbs="new approve schedule decline cancel complete outcome list show"

test_case "refctl help lists every command of the table"
run refctl help
check_rc 0
commands=$(printf '%s\n' "$out" | sed -n '/^Commands:$/,/^$/s/^  \([a-z][a-z-]*\) .*/\1/p')
ncommands=$(printf '%s\n' "$commands" | grep -c .)
check_true "at least the 15 commands of today (found $ncommands)" test "$ncommands" -ge 15
for c in add check edit fmt help init list log match report request reward set show unset; do
	check_match "lists $c" "^$c\$" "$commands"
done

test_case "outside a repository is outside"
cd "$outside" || exit 1
run refctl list
check_rc 2
check_match "says so" "^error: not a refctl repository" "$err"

# check_help WHERE ARGS... FLAG: print the usage of "refctl ARGS...".
check_help() {
	local where=$1 synopsis
	shift
	synopsis="usage: refctl ${*:1:$#-1}"
	run refctl "$@"
	check_rc 0 "refctl $* $where: exit 0"
	case "$out" in
	"$synopsis "* | "$synopsis"$'\n'* | "$synopsis") pass ;;
	*) fail_check "refctl $* $where: stdout starts with '$synopsis'" "stdout: $(printf '%s\n' "$out" | head -3)" ;;
	esac
	check_eq "refctl $* $where: nothing on stderr" "" "$err"
}

for where in inside outside; do
	cd "${!where}" || exit 1
	test_case "-h and --help of every command, $where a repository"
	for c in $commands; do
		check_help "$where" "$c" -h
		check_help "$where" "$c" --help
	done
	test_case "-h and --help of every request verb, $where a repository"
	for v in $verbs; do
		check_help "$where" request "$v" -h
		check_help "$where" request "$v" --help
	done
	test_case "refctl help COMMAND is the summary and the usage of refctl COMMAND -h, $where a repository"
	for c in $commands; do
		summary=$(refctl help | sed -n "s/^  $c  *//p")
		run refctl "$c" -h
		usage=$out
		run refctl help "$c"
		check_rc 0 "help $c: exit 0"
		check_eq "help $c" "refctl $c: $summary

$usage" "$out"
		check_eq "help $c: nothing on stderr" "" "$err"
	done
done

test_case "the regression: refctl list -h and --help, inside and outside a repository"
# These crashed with a segmentation fault on a NULL store.
for dir in "$inside" "$outside"; do
	cd "$dir" || exit 1
	for flag in -h --help; do
		run refctl list "$flag"
		check_rc 0 "list $flag in $dir"
		check_match "list $flag in $dir: usage" "^usage: refctl list " "$(printf '%s\n' "$out" | head -1)"
		check_contains "list $flag in $dir: the options" "    --format FMT" "$out"
		check_eq "list $flag in $dir: nothing on stderr" "" "$err"
	done
done

# check_unknown_option CMD...: `CMD... --no-such-option` inside the repository.
check_unknown_option() {
	local usage
	run refctl "$@" -h
	usage=$out
	run refctl "$@" --no-such-option
	check_rc 2 "$* --no-such-option: exit 2"
	check_eq "$* --no-such-option: nothing on stdout" "" "$out"
	check_eq "$* --no-such-option: one error line, then the usage" \
		"error: unknown option '--no-such-option'
$usage" "$err"
}

cd "$inside" || exit 1
test_case "an unknown option: one error line and the usage on stderr, exit 2"
for c in $commands; do
	check_unknown_option "$c"
done
for v in $verbs; do
	check_unknown_option request "$v"
done

test_case "a missing value: one error line and the usage on stderr, exit 2"
commits=$(commit_count)
for args in "list --format" "check --format" "check -f" "log --format" "match --limit" "report --top" \
	"report -o" "fmt -m" "edit ann --message" "show --format" "reward ann --points" "request list --status"; do
	# shellcheck disable=SC2086
	set -- $args
	name=${*: -1}
	run refctl "$@"
	check_rc 2 "$args: exit 2"
	check_eq "$args: nothing on stdout" "" "$out"
	check_eq "$args: the error" "error: option '$name' needs a value" "$(printf '%s\n' "$err" | head -1)"
	check_eq "$args: then the usage" "usage: refctl $1" "$(printf '%s\n' "$err" | sed -n 2p | cut -d' ' -f1-3)"
done
check_eq "nothing was committed" "$commits" "$(commit_count)"
check_eq "nothing was written" "" "$(git status --porcelain)"

test_case "bad values: the same voice"
run refctl match --limit -1
check_rc 2
check_eq "range" "error: option '--limit' expects an integer of 0 or more, not '-1'" "$(printf '%s\n' "$err" | head -1)"
run refctl report --top 1001
check_rc 2
check_eq "range" "error: option '--top' expects an integer from 0 to 1000, not '1001'" "$(printf '%s\n' "$err" | head -1)"
run refctl list --stamp
check_rc 2
check_eq "an option of another command" "error: unknown option '--stamp'" "$(printf '%s\n' "$err" | head -1)"
run refctl fmt --check=yes
check_rc 2
check_eq "a flag takes no value" "error: option '--check' takes no value" "$(printf '%s\n' "$err" | head -1)"
run refctl report --f text
check_rc 2
check_eq "ambiguous abbreviation" "error: ambiguous option '--f' (could be --from, --for, --format)" \
	"$(printf '%s\n' "$err" | head -1)"
run refctl report --month 2026-13
check_rc 2
check_eq "a callback's message" "error: invalid month '2026-13' (expected YYYY-MM, last or this)" "$(printf '%s\n' "$err" | head -1)"
check_contains "then the usage" "usage: refctl report" "$err"

test_case "abbreviations, --opt=value and -mTEXT"
run refctl log --form=tsv ann
check_rc 0
check_eq "--form=tsv is --format tsv" "date	commit	author	summary" "$(printf '%s\n' "$out" | head -1)"
run refctl log -ftsv ann
check_rc 0
check_eq "-ftsv is --format tsv" "date	commit	author	summary" "$(printf '%s\n' "$out" | head -1)"
run refctl check -f json
check_rc 0
check_eq "-f json" "1" "$(printf '%s' "$out" | jq .files)"

test_case "outside a repository, a command that is not asked for help says so"
cd "$outside" || exit 1
run refctl match --no-such-option
check_rc 2
check_eq "the repository error, once" \
	"error: not a refctl repository: no refctl.yaml in this directory or any parent (run 'refctl init' or use -C DIR)" "$err"
check_eq "nothing on stdout" "" "$out"
run refctl match --prospect -h
check_rc 2
check_match "-h as a value is not help" "^error: not a refctl repository" "$err"

test_case "the top level: refctl -h, --help and help are one usage"
cd "$outside" || exit 1
run refctl help
help=$out
check_match "starts with the usage" "^usage: refctl \[-C DIR\] \[--no-cache\] \[--raw-csv\] \[--version\] \[--help\] COMMAND \[ARGS\]$" \
	"$(printf '%s\n' "$help" | head -1)"
check_contains "lists the global options" "    -C DIR " "$help"
for args in -h --help "help" "-C $inside help"; do
	# shellcheck disable=SC2086
	run refctl $args
	check_rc 0 "refctl $args: exit 0"
	check_eq "refctl $args: the usage" "$help" "$out"
	check_eq "refctl $args: nothing on stderr" "" "$err"
done

test_case "the top level: no command, unknown options, missing values"
run refctl
check_rc 2
check_eq "no command: nothing on stdout" "" "$out"
check_eq "no command: the usage on stderr" "$help" "$err"
run refctl --no-such-option list
check_rc 2
check_eq "unknown option: nothing on stdout" "" "$out"
check_eq "unknown option: one error line, then the usage" "error: unknown option '--no-such-option'
$help" "$err"
run refctl -x
check_rc 2
check_eq "unknown short option" "error: unknown option '-x'" "$(printf '%s\n' "$err" | head -1)"
run refctl -C
check_rc 2
check_eq "-C without a directory" "error: option '-C' needs a value
$help" "$err"
run refctl -C "$TEST_ROOT/missing" list
check_rc 2
check_eq "-C to a missing directory" "error: cannot change to '$TEST_ROOT/missing': No such file or directory" "$err"
run refctl --version=1
check_rc 2
check_eq "--version takes no value" "error: option '--version' takes no value" "$(printf '%s\n' "$err" | head -1)"
run refctl nosuch
check_rc 2
check_eq "unknown command" "error: 'nosuch' is not a refctl command (see 'refctl help')" "$err"
run refctl help nosuch
check_rc 2
check_eq "help of an unknown command" "error: 'nosuch' is not a refctl command (see 'refctl help')" "$err"
run refctl -C "$inside" -- list --format tsv --fields id
check_rc 0
check_eq "-- ends the global options" "id
ann" "$out"

finish
