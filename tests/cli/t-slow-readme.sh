#!/bin/bash
# The README's Quick start, run exactly as it is printed, in a copy of the
# source tree: the first command installs what is missing (nothing, here),
# builds and ranks the example program; its output must be the README's.
. "$(dirname "$0")/lib.sh"

src="$REFCTL_SRC"
copy="$TEST_ROOT/src"
mkdir -p "$copy"
(cd "$src" && git ls-files -z | xargs -0 tar cf - 2>/dev/null) | (cd "$copy" && tar xf -)

# The first sh block after "## Quick start", and the first plain block
# after it (the output it shows).
cmd=$(awk '/^## Quick start/ {q = 1} q && /^```sh$/ {s = 1; next} s && /^```$/ {exit} s {print}' "$src/README.md")
want=$(awk '/^## Quick start/ {q = 1} !q {next}
	/^```sh$/ && !done1 {insh = 1; next} insh && /^```$/ {insh = 0; done1 = 1; next}
	done1 && !inout && /^```$/ {inout = 1; next} inout && /^```$/ {exit} inout {print}' "$src/README.md")

test_case "the Quick start's first command, as printed"
check_contains "it builds and runs refctl" "build/refctl -C examples/program match" "$cmd"
cd "$copy" || exit 1
REFCTL_TODAY=2026-11-23 run bash -c "$cmd"
check_eq "exit 0" 0 "$rc"
check_eq "the output the README shows" "$want" "$(printf '%s\n' "$out" | sed -n '/^rank /,$p')"

test_case "the Quick start's second command is what CI runs"
second=$(awk '/^## Quick start/ {q = 1} q && /^```sh$/ {n++; if (n == 2) {s = 1; next}} s && /^```$/ {exit} s {print}' "$src/README.md")
check_eq "the test suite" "bash tests/run" "$second"
check_contains ".ci/run runs it" "bash tests/run" "$(cat "$src/.ci/run")"

finish
