#!/bin/bash
# No module of lib/ uses one above it. The layers are the table of
# docs/architecture.md ("Module layers"), the one place they are written;
# this reads it and checks every #include "..." of lib/ and include/refctl/,
# and every symbol an object of the built library takes from another.
. "$(dirname "$0")/lib.sh"

# Upward includes being removed elsewhere, as FILE:INCLUDED. Each is let
# through while it lasts; once it is gone this test fails until its line
# goes too, so none outlives its fix.
pending=""

# layer_table DOC: "FILE MODULE LAYER" for every file the table names.
layer_table() {
	awk '
		/^## / { sec = ($0 == "## Module layers"); next }
		sec && /^\| *[0-9]+ *\|/ {
			split($0, col, "|")
			layer = col[2]; gsub(/ /, "", layer)
			mod = col[3]; gsub(/ /, "", mod)
			rest = col[4]
			while (match(rest, /`[^`]+`/)) {
				print substr(rest, RSTART + 1, RLENGTH - 2), mod, layer
				rest = substr(rest, RSTART + RLENGTH)
			}
		}' "$1"
}

# unlisted SRC TABLE: the files of lib/ and include/refctl/ in no row, and
# the rows' files that do not exist.
unlisted() {
	local f
	for f in "$1"/lib/*.c "$1"/lib/*.h "$1"/include/refctl/*.h; do
		[ -e "$f" ] || continue
		awk -v b="${f##*/}" '$1 == b { found = 1 } END { exit !found }' "$2" ||
			echo "${f#"$1"/} is in no layer"
	done
	while read -r f _; do
		[ -e "$1/lib/$f" ] || [ -e "$1/include/refctl/$f" ] ||
			echo "$f is in the table but in neither lib/ nor include/refctl/"
	done <"$2"
}

# upward_includes SRC TABLE: every #include "..." of a module on the same
# layer or above, or of a header in no layer, as FILE:LINE: what.
upward_includes() {
	(cd "$1" && grep -Hn '^[[:space:]]*#[[:space:]]*include[[:space:]]*"' lib/*.c lib/*.h include/refctl/*.h 2>/dev/null) |
		awk -v table="$2" '
			BEGIN { while ((getline l < table) > 0) { split(l, f, " "); mod[f[1]] = f[2]; lay[f[1]] = f[3] } }
			{
				split($0, p, ":"); file = p[1]; line = p[2]
				inc = $0; sub(/^[^"]*"/, "", inc); sub(/".*/, "", inc)
				base = file; sub(/.*\//, "", base)
				ib = inc; sub(/.*\//, "", ib)
				if (!(base in mod)) next
				if (!(ib in mod))
					printf "%s:%s: includes %s, which is in no layer\n", file, line, inc
				else if (mod[ib] != mod[base] && lay[ib] + 0 >= lay[base] + 0)
					printf "%s:%s: %s (layer %d) includes %s of %s (layer %d)\n",
						file, line, mod[base], lay[base], inc, mod[ib], lay[ib]
			}'
}

# upward_symbols LIBRARY TABLE: every symbol an object of the archive takes
# from the object of a module on the same layer or above.
upward_symbols() {
	nm -A "$1" | awk -v table="$2" '
		BEGIN { while ((getline l < table) > 0) { split(l, f, " "); mod[f[1]] = f[2]; lay[f[1]] = f[3] } }
		{
			n = split($0, p, ":"); obj = p[n - 1]; sub(/\.o$/, "", obj)
			k = split(p[n], w, " ")
			if (k == 2 && w[1] == "U")
				uses[obj, w[2]] = 1
			else if (k == 3 && w[2] ~ /^[TDBRCVWG]$/)
				def[w[3]] = obj
		}
		END {
			for (u in uses) {
				split(u, q, SUBSEP); obj = q[1]; sym = q[2]
				if (!(sym in def) || !(obj in mod) || !(def[sym] in mod)) continue
				d = def[sym]
				if (mod[d] != mod[obj] && lay[d] + 0 >= lay[obj] + 0)
					printf "lib/%s: %s (layer %d) uses %s of lib/%s, %s (layer %d)\n",
						obj, mod[obj], lay[obj], sym, d, mod[d], lay[d]
			}
		}' | sort
}

# without_pending: the lines of stdin that are not a pending include.
without_pending() {
	local line p keep
	while IFS= read -r line; do
		keep=1
		for p in $pending; do
			case "$line" in "${p%%:*}:"[0-9]*": "*" includes ${p#*:} of "*) keep=0 ;; esac
		done
		[ $keep = 1 ] && printf '%s\n' "$line"
	done
}

table=$TEST_ROOT/layers
layer_table "$REFCTL_SRC/docs/architecture.md" >"$table"

test_case "the table of layers is there"
check_true "docs/architecture.md has a Module layers table" test -s "$table"
check_eq "alloc is the lowest module, render the highest" "common 1 render 15" \
	"$(sort -k3,3n "$table" | awk 'NR == 1 { printf "%s %s ", $2, $3 } END { printf "%s %s", $2, $3 }')"

test_case "every file of lib/ and include/refctl/ is in one layer"
check_eq "files in no layer, or in the table only" "" "$(unlisted "$REFCTL_SRC" "$table")"
check_eq "files in two rows" "" "$(awk '{ print $1 }' "$table" | sort | uniq -d)"

test_case "no file includes a module on its own layer or above"
found=$(upward_includes "$REFCTL_SRC" "$table")
check_eq "upward includes" "" "$(printf '%s\n' "$found" | without_pending)"
for p in $pending; do
	check_contains "$p is still pending (else remove it from pending)" "${p%%:*}:" "$found"
done

test_case "no object of the library uses a symbol of a module on its own layer or above"
library=$(dirname "$REFCTL")/librefctl.a
check_true "the library is built beside refctl" test -f "$library"
check_eq "upward symbols" "" "$(upward_symbols "$library" "$table")"

test_case "the include check finds an upward include and a header in no layer"
mkdir -p "$TEST_ROOT/tree/lib" "$TEST_ROOT/tree/include/refctl"
printf '#include "refctl/buf.h"\n#include "alloc.h"\n#include "util.h"\n' >"$TEST_ROOT/tree/lib/buf.c"
printf '#include "refctl/report.h"\n#include "report_int.h"\n' >"$TEST_ROOT/tree/lib/report.c"
printf '#include "refctl/yaml.h"\n#include "refctl/nowhere.h"\n' >"$TEST_ROOT/tree/include/refctl/record.h"
check_eq "violations" "include/refctl/record.h:2: includes refctl/nowhere.h, which is in no layer
lib/buf.c:3: buf (layer 3) includes util.h of util (layer 4)
lib/report.c:2: report (layer 14) includes report_int.h of render (layer 15)" \
	"$(upward_includes "$TEST_ROOT/tree" "$table" | sort)"
check_eq "a new file in no row" "lib/stray.c is in no layer" \
	"$(touch "$TEST_ROOT/tree/lib/stray.c" && unlisted "$TEST_ROOT/tree" "$table" | grep -v 'in the table')"

test_case "the symbol check finds a call up and a call to the same layer"
cd "$TEST_ROOT/tree" || exit 1
printf 'int u(void);\nint b(void) { return u(); }\n' >buf.c
printf 'int u(void) { return 1; }\n' >util.c
printf 'int v(void);\nint m(void) { return v(); }\n' >match.c
printf 'int c(void);\nint v(void) { return c(); }\n' >reward.c
printf 'int s(void);\nint c(void) { return s(); }\n' >config.c
printf 'int b(void);\nint s(void) { return b(); }\n' >stray.c
for f in buf util match reward config stray; do cc -c "$f.c" -o "$f.c.o"; done
ar rc lib.a buf.c.o util.c.o match.c.o reward.c.o config.c.o stray.c.o
check_eq "violations (an object in no layer is the other check's)" "lib/buf.c: buf (layer 3) uses u of lib/util.c, util (layer 4)
lib/match.c: match (layer 12) uses v of lib/reward.c, reward (layer 12)" \
	"$(upward_symbols lib.a "$table")"

finish
