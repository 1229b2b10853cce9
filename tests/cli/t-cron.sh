#!/bin/bash
# The README's cron line, run exactly as printed under cron's bare
# environment, with refctl installed into a prefix; -o patterns of the
# report's period; human periods; git's ownership check.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/report-fixture.sh"

make_fixture prog
repo=$TEST_ROOT/prog
prefix=$TEST_ROOT/prefix
www=$TEST_ROOT/www
mkdir -p "$www"

test_case "cmake --install puts refctl in PREFIX/bin"
run cmake --install "$(dirname "$REFCTL")" --prefix "$prefix"
check_rc 0
check_true "installed" test -x "$prefix/bin/refctl"

# The crontab of the README: its PATH line and the one report line.
crontab=$(sed -n '/^PATH=.*\/usr\/local\/bin/p; /^0 6 1 \* \* refctl /p' "$REFCTL_SRC/README.md")
cron_path=$(printf '%s\n' "$crontab" | sed -n 's/^PATH=//p')
cron_cmd=$(printf '%s\n' "$crontab" | sed -n 's/^0 6 1 \* \* //p')
test_case "the README has one cron line and its PATH"
check_eq "the line" "refctl -C /srv/refs report --month last -o '/srv/www/refs/\\%Y-\\%m.html'" "$cron_cmd"
check_eq "its PATH" "/usr/local/bin:/usr/bin:/bin" "$cron_path"
# as cron does: \% becomes %; then the paths of this test
cmd=$(printf '%s' "$cron_cmd" | sed -e 's/\\%/%/g' -e "s|/srv/www/refs|$www|g" -e "s|/srv/refs|$repo|g")
path=${cron_path/\/usr\/local\/bin/$prefix/bin}

test_case "the cron line under env -i, no git identity, no terminal: last month into its own file"
# REFCTL_TODAY: the first of November, so last month is the fixture's October
run env -i HOME="$TEST_ROOT/cronhome" PATH="$path" REFCTL_TODAY=2026-11-01 /bin/sh -c "$cmd"
check_rc 0
check_eq "nothing on stdout" "" "$out"
check_eq "the one file, named after the month reported" "2026-10.html" "$(ls "$www")"
check_contains "October's report" "report for October 2026" "$(cat "$www/2026-10.html")"
check_contains "HTML" "<!DOCTYPE html>" "$(cat "$www/2026-10.html")"

test_case "the cron line under env -i on today's real date"
rm -f "$www"/*
run env -i HOME="$TEST_ROOT/cronhome" PATH="$path" /bin/sh -c "$cmd"
check_rc 0
check_eq "the previous month's file" "$(date -u -d "$(date -u +%Y-%m-01) -1 day" +%Y-%m).html" "$(ls "$www")"
cd "$repo" || exit 1

test_case "-o patterns: %Y %m %d %q %% of the period's first day, not today's"
run refctl report --quarter last -o "$TEST_ROOT/q/%Y-Q%q.md"
check_rc 3 "no such directory yet"
mkdir -p "$TEST_ROOT/q"
run refctl report --quarter last -o "$TEST_ROOT/q/%Y-Q%q.md"
check_rc 0
check_eq "Q3 of 2026 (today is 2026-11-15)" "2026-Q3.md" "$(ls "$TEST_ROOT/q")"
check_contains "markdown of the quarter" "report for 2026-Q3" "$(cat "$TEST_ROOT/q/2026-Q3.md")"
run refctl report --from 2026-10-03 --to 2026-10-17 --format json -o "$TEST_ROOT/q/%Y%m%d 100%%.json"
check_rc 0
check_true "day and a literal %" test -f "$TEST_ROOT/q/20261003 100%.json"
run refctl report --month 2026-10 -o "$TEST_ROOT/plain.txt"
check_rc 0
check_true "no % at all: the name as given" test -f "$TEST_ROOT/plain.txt"

test_case "-o refuses an unknown % sequence, writes nothing"
for pat in "%Y-%b.html" "%H.txt" "report-%"; do
	run refctl report --month last -o "$TEST_ROOT/bad/$pat"
	check_rc 2 "exit 2 for $pat"
done
run refctl report --month last -o "$TEST_ROOT/bad/%Y-%b.html"
check_eq "message" "error: -o: unknown '%b' in '$TEST_ROOT/bad/%Y-%b.html' (known: %Y, %m, %d, %q of the period's first day, %% for %)" "$(printf '%s\n' "$err" | head -n 1)"
check_true "nothing written" test ! -e "$TEST_ROOT/bad"

test_case "human periods: last and this, and dates relative to today"
run refctl report --month last --format json
check_eq "last month of 2026-11-15" '"2026-10-01" "2026-10-31"' "$(printf '%s\n' "$out" | jq -r '.period | "\"\(.from)\" \"\(.to)\""')"
run refctl report --quarter this --format json
check_eq "this quarter" '"2026-10-01" "2026-12-31"' "$(printf '%s\n' "$out" | jq -r '.period | "\"\(.from)\" \"\(.to)\""')"
run refctl report --year last --format json
check_eq "last year" '"2025-01-01" "2025-12-31"' "$(printf '%s\n' "$out" | jq -r '.period | "\"\(.from)\" \"\(.to)\""')"
run refctl report --from 2w --to yesterday --format json
check_eq "two weeks ago to yesterday" '"2026-11-01" "2026-11-14"' "$(printf '%s\n' "$out" | jq -r '.period | "\"\(.from)\" \"\(.to)\""')"
run refctl report --from 2026-02-30 --to today
check_rc 2
check_contains "impossible date" "error: --from: " "$err"

test_case "a repository owned by another user: refctl names safe.directory, exit 3"
if [ "$(id -u)" != 0 ]; then
	echo "t-cron: ownership case skipped: it needs root to chown a copy"
else
	cp -a "$repo" "$TEST_ROOT/theirs"
	chown -R nobody "$TEST_ROOT/theirs"
	cd "$TEST_ROOT/theirs" || exit 1
	run git log -1
	check_contains "git itself refuses it" "dubious ownership" "$err"
	run refctl report --month last
	check_rc 3
	check_eq "message" "error: git refuses the repository at '$TEST_ROOT/theirs': it is not owned by the current user (dubious ownership); to trust it: git config --global --add safe.directory $TEST_ROOT/theirs" "$(printf '%s\n' "$err" | tail -n 1)"
	check_eq "no report" "" "$out"
	git config --global --add safe.directory "$TEST_ROOT/theirs"
	run refctl report --month last
	check_rc 0
	check_contains "the advice works" "report for October 2026" "$out"
fi

finish
