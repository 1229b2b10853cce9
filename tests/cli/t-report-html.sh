#!/bin/bash
# refctl report --format html in a real browser: headless Chromium loads the
# fixture's report, takes a screenshot, dumps the DOM it built and prints the
# page to PDF. Skipped (and passing) when Chromium is not installed:
# `REFCTL_HTML_CHECK=1 bash .ci/deps` installs it (Debian package chromium).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/report-fixture.sh"

browser=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$browser" ]; then
	echo "t-report-html: skipped: chromium is not installed (REFCTL_HTML_CHECK=1 bash .ci/deps installs it)"
	finish
	exit 0
fi

make_fixture prog
refctl report -o "$TEST_ROOT/report.html" 2>/dev/null

# chrome ARGS...: headless, no network, a throw-away profile.
chrome() {
	timeout 120 "$browser" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
		--disable-background-networking --disable-component-update --disable-sync \
		--user-data-dir="$(mktemp -d "$TEST_ROOT/profile.XXXXXX")" "$@" 2>>"$TEST_ROOT/chrome.log"
}

test_case "the page renders: a screenshot of the whole report"
chrome --screenshot="$TEST_ROOT/report.png" --window-size=1200,2400 "file://$TEST_ROOT/report.html" >/dev/null
check_true "screenshot written" test -s "$TEST_ROOT/report.png"
check_eq "a PNG" "89504e470d0a1a0a" "$(head -c 8 "$TEST_ROOT/report.png" | od -An -tx1 | tr -d ' \n')"
# IHDR: width and height, big-endian, at bytes 16..23
check_eq "1200 x 2400" "000004b000000960" "$(dd if="$TEST_ROOT/report.png" bs=1 skip=16 count=8 2>/dev/null | od -An -tx1 | tr -d ' \n')"
# a blank page of this size compresses to a few KiB; tables and charts do not
check_true "not blank" test "$(stat -c %s "$TEST_ROOT/report.png")" -gt 50000

test_case "the DOM Chromium built holds the three charts and the tables"
dom=$(chrome --dump-dom "file://$TEST_ROOT/report.html")
check_eq "three svg elements" "3" "$(printf '%s' "$dom" | grep -o '<svg' | wc -l)"
check_eq "12 month bars and 4 activity bars and 7 gap bars" "23" "$(printf '%s' "$dom" | grep -o '<rect class="bar' | wc -l)"
check_eq "two gaps in red (no active advocate)" "2" "$(printf '%s' "$dom" | grep -o '<rect class="bar gap"' | wc -l)"
check_contains "title" "<h1>Customer reference program: report for October 2026</h1>" "$dom"
check_contains "headline row" "<td>Requests opened</td><td class=\"n\">11</td>" "$dom"
check_eq "no script" "" "$(printf '%s' "$dom" | grep -o '<script')"

test_case "the page prints"
chrome --no-pdf-header-footer --print-to-pdf="$TEST_ROOT/report.pdf" "file://$TEST_ROOT/report.html" >/dev/null
check_eq "a PDF" "%PDF" "$(head -c 4 "$TEST_ROOT/report.pdf")"
check_true "with content" test "$(stat -c %s "$TEST_ROOT/report.pdf")" -gt 20000

# inside HTML: the report with the measuring script of svg-text-inside.js,
# as Chromium laid it out; prints what the script found.
inside() {
	sed "s|</body>|<script src=\"file://$REFCTL_SRC/tests/cli/svg-text-inside.js\"></script></body>|" "$1" >"$1.m.html"
	chrome --window-size=1200,2400 --allow-file-access-from-files --dump-dom "file://$1.m.html" |
		sed -n '/<pre id="svg-text-inside">/,/<\/pre>/p' | sed 's/<[^>]*>//g'
}

test_case "no label of any chart crosses its SVG's edge: the fixture"
found=$(inside "$TEST_ROOT/report.html")
check_match "every text measured" '^measured [1-9][0-9]+ texts in 3 charts$' "$(printf '%s\n' "$found" | head -1)"
check_eq "none clipped" "" "$(printf '%s\n' "$found" | grep CLIPPED)"

test_case "no label crosses the edge: long and wide labels, large counts"
new_repo wide
long="WWWWWWWWWW Manufacturing and Industrial Equipment Worldwide"
for i in 1 2 3; do
	{
		printf 'id: w%s\nname: W %s\ncompany: C\nstatus: active\nindustry: "%s %s"\nproducts: ["Ünïcödé Mégaplatform %s"]\nrequests:\n' "$i" "$i" "$long" "$i" "$i"
		for k in $(seq 1 $((i * 40))); do
			printf '  - id: w%s/%s\n    opened: 2026-10-%02d\n    activity: %s\n    status: requested\n' \
				"$i" "$k" $(( (k % 28) + 1 )) "$( [ "$i" = 3 ] && echo advisory-board || echo site-visit)"
		done
	} >"advocates/w$i.yaml"
done
git add -A && git commit -qm wide
refctl report --month 2026-10 -o "$TEST_ROOT/wide.html" 2>/dev/null
found=$(inside "$TEST_ROOT/wide.html")
check_match "measured" '^measured [1-9][0-9]+ texts in 3 charts$' "$(printf '%s\n' "$found" | head -1)"
check_eq "none clipped" "" "$(printf '%s\n' "$found" | grep CLIPPED)"

test_case "the example program: no label crosses the edge, and its screenshot"
cd "$TEST_ROOT" && rm -rf example && cp -r "$REFCTL_SRC/examples/program" example && cd example
git init -q && git add -A && git commit -qm "the example program"
refctl report --month 2026-10 -o "$TEST_ROOT/example.html" 2>/dev/null
found=$(inside "$TEST_ROOT/example.html")
check_match "measured" '^measured [1-9][0-9]+ texts in 3 charts$' "$(printf '%s\n' "$found" | head -1)"
check_eq "none clipped" "" "$(printf '%s\n' "$found" | grep CLIPPED)"
# the key figures and the charts, as a reader first sees them
chrome --screenshot="$TEST_ROOT/example.png" --window-size=1100,1500 "file://$TEST_ROOT/example.html" >/dev/null
check_eq "a PNG" "89504e470d0a1a0a" "$(head -c 8 "$TEST_ROOT/example.png" | od -An -tx1 | tr -d ' \n')"
check_true "not blank" test "$(stat -c %s "$TEST_ROOT/example.png")" -gt 50000
check_true "the README shows it" grep -q '](docs/example-report.png)' "$REFCTL_SRC/README.md"
check_true "and docs/ keeps it" test -s "$REFCTL_SRC/docs/example-report.png"

# REFCTL_KEEP_SCREENSHOT=DIR keeps both screenshots: the fixture's as
# DIR/report.png, the example program's as DIR/example-report.png (the one
# docs/ holds: REFCTL_KEEP_SCREENSHOT=docs).
if [ -n "${REFCTL_KEEP_SCREENSHOT:-}" ]; then
	cp "$TEST_ROOT/report.png" "$REFCTL_KEEP_SCREENSHOT/report.png"
	cp "$TEST_ROOT/example.png" "$REFCTL_KEEP_SCREENSHOT/example-report.png"
fi
finish
