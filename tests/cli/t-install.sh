#!/usr/bin/env bash
# The README's install command, run exactly as it prints it, installs the
# binary, every man page and both completion scripts in their places.
. "$(dirname "$0")/lib.sh"

build_dir=$(dirname "$REFCTL")
readme=$REFCTL_SRC/README.md

test_case "the README's Install section prints the command"
cmd=$(sed -n '/^## Install$/,/^## /p' "$readme" | grep -m1 '^cmake --install build')
check_eq "the install command" "cmake --install build --prefix ~/.local" "$cmd"

test_case "the command installs everything in its place"
# the README's "build" is the build folder of this run
mkdir -p "$TEST_ROOT/src" && ln -s "$build_dir" "$TEST_ROOT/src/build"
cd "$TEST_ROOT/src" || exit 1
run bash -c "$cmd"
check_rc 0 "$cmd"
prefix=$HOME/.local
check_true "bin/refctl is executable" test -x "$prefix/bin/refctl"
run "$prefix/bin/refctl" --version
check_match "the installed binary runs" '^refctl [0-9]' "$out"
pages="refctl"
# every command of the table, as refctl help lists them
for c in $("$prefix/bin/refctl" help | awk '/^Commands:/ {f = 1; next} f && /^  [a-z]/ {print $1}'); do
	pages="$pages refctl-$c"
done
for p in $pages; do
	check_true "share/man/man1/$p.1" test -s "$prefix/share/man/man1/$p.1"
	check_true "$p.1 is the built page" cmp -s "$build_dir/man/$p.1" "$prefix/share/man/man1/$p.1"
done
check_true "share/man/man5/refctl-schema.5" cmp -s "$build_dir/man/refctl-schema.5" "$prefix/share/man/man5/refctl-schema.5"
check_true "bash completion" cmp -s "$REFCTL_SRC/completion/refctl.bash" \
	"$prefix/share/bash-completion/completions/refctl"
check_true "zsh completion" cmp -s "$REFCTL_SRC/completion/_refctl" "$prefix/share/zsh/site-functions/_refctl"
installed=$(cd "$prefix" && find . -type f | sort | sed 's|^\./||')
expected=$( {
	echo bin/refctl
	for p in $pages; do echo "share/man/man1/$p.1"; done
	echo share/man/man5/refctl-schema.5
	echo share/bash-completion/completions/refctl
	echo share/zsh/site-functions/_refctl
} | sort)
check_eq "nothing else" "$expected" "$installed"

test_case "man finds the installed pages"
if command -v man >/dev/null; then
	run env MANPATH="$prefix/share/man" man -w refctl-list
	check_eq "man -w refctl-list" "$prefix/share/man/man1/refctl-list.1" "$out"
	run env MANPATH="$prefix/share/man" man -w 5 refctl-schema
	check_eq "man -w 5 refctl-schema" "$prefix/share/man/man5/refctl-schema.5" "$out"
fi

test_case "bash-completion finds the installed script"
if [ -r /usr/share/bash-completion/bash_completion ]; then
	run env XDG_DATA_HOME="$prefix/share" PATH="$prefix/bin:$PATH" bash -c \
		'. /usr/share/bash-completion/bash_completion; __load_completion refctl && complete -p refctl'
	check_eq "complete -p refctl" "complete -F _refctl refctl" "$out"
fi

finish
