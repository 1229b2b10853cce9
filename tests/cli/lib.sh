# Shared helper for the end-to-end tests (in the spirit of git's t/test-lib.sh).
#
# Each test script sources this file, then calls `test_case "what"`, runs
# commands with `run CMD...` (which captures $out, $err and $rc) and states
# what it expects with the check_* functions. `finish` prints the summary
# line "N passed, N failed" and sets the exit status.
#
# Isolation: a temporary directory per script (removed on exit), its own
# HOME and git config, a fixed author, TZ=UTC, LC_ALL=C, NO_COLOR, and
# REFCTL_TODAY pinned to 2026-11-15 unless a test sets it.

set -u

: "${REFCTL:?REFCTL must name the refctl binary}"
REFCTL_SRC=${REFCTL_SRC:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}

TEST_ROOT=$(mktemp -d "${TMPDIR:-/tmp}/refctl-test.XXXXXX")
trap 'cd /; rm -rf "$TEST_ROOT"' EXIT

export HOME="$TEST_ROOT/home"
mkdir -p "$HOME"
export XDG_CONFIG_HOME="$HOME/.config"
export GIT_CONFIG_NOSYSTEM=1
export GIT_CONFIG_GLOBAL="$HOME/.gitconfig"
export TZ=UTC LC_ALL=C NO_COLOR=1
unset REFCTL_DIR VISUAL EDITOR GIT_DIR GIT_WORK_TREE GIT_INDEX_FILE \
	GIT_AUTHOR_NAME GIT_AUTHOR_EMAIL GIT_AUTHOR_DATE \
	GIT_COMMITTER_NAME GIT_COMMITTER_EMAIL GIT_COMMITTER_DATE REFCTL_LOCK_TIMEOUT
export REFCTL_TODAY=2026-11-15
git config --global user.name "Test User"
git config --global user.email "test@example.com"
git config --global init.defaultBranch main
git config --global advice.detachedHead false

tests_passed=0
tests_failed=0
current_case=""

refctl() { "$REFCTL" "$@"; }

test_case() {
	current_case="$1"
}

# run CMD...: capture stdout in $out, stderr in $err, exit status in $rc.
run() {
	"$@" >"$TEST_ROOT/.out" 2>"$TEST_ROOT/.err" </dev/null
	rc=$?
	out=$(cat "$TEST_ROOT/.out")
	err=$(cat "$TEST_ROOT/.err")
}

# run_in FILE CMD...: like run, with FILE as standard input.
run_in() {
	local input=$1
	shift
	"$@" >"$TEST_ROOT/.out" 2>"$TEST_ROOT/.err" <"$input"
	rc=$?
	out=$(cat "$TEST_ROOT/.out")
	err=$(cat "$TEST_ROOT/.err")
}

pass() {
	tests_passed=$((tests_passed + 1))
}

fail_check() {
	tests_failed=$((tests_failed + 1))
	printf 'not ok: %s: %s\n' "$current_case" "$1" >&2
	shift
	for line in "$@"; do
		printf '    %s\n' "$line" >&2
	done
}

check_eq() { # DESC EXPECTED ACTUAL
	if [ "$2" = "$3" ]; then pass; else
		fail_check "$1" "expected:" "$(printf '%s' "$2" | sed 's/^/  | /')" \
			"actual:" "$(printf '%s' "$3" | sed 's/^/  | /')"
	fi
}

check_rc() { # EXPECTED [DESC]
	if [ "$rc" = "$1" ]; then pass; else
		fail_check "${2:-exit status}" "expected exit $1, got $rc" "stdout: $out" "stderr: $err"
	fi
}

check_contains() { # DESC NEEDLE HAYSTACK
	case "$3" in
	*"$2"*) pass ;;
	*) fail_check "$1" "expected to contain: $2" "actual: $3" ;;
	esac
}

check_not_contains() { # DESC NEEDLE HAYSTACK
	case "$3" in
	*"$2"*) fail_check "$1" "expected not to contain: $2" "actual: $3" ;;
	*) pass ;;
	esac
}

check_match() { # DESC ERE TEXT
	if printf '%s\n' "$3" | grep -Eq -- "$2"; then pass; else
		fail_check "$1" "expected to match: $2" "actual: $3"
	fi
}

check_file() { # DESC FILE EXPECTED-CONTENT
	if [ -f "$2" ] && [ "$(cat "$2")" = "$3" ]; then pass; else
		fail_check "$1" "file $2 differs" "expected:" "$3" "actual:" "$(cat "$2" 2>&1)"
	fi
}

check_true() { # DESC CMD...
	local desc=$1
	shift
	if "$@"; then pass; else fail_check "$desc" "command failed: $*"; fi
}

# commit_count: number of commits on HEAD in the current repository.
commit_count() {
	git rev-list --count HEAD 2>/dev/null || echo 0
}

# new_repo NAME: a fresh refctl repository in $TEST_ROOT/NAME; cd into it.
new_repo() {
	cd "$TEST_ROOT" || exit 1
	"$REFCTL" init "$1" >/dev/null || { echo "refctl init failed" >&2; exit 1; }
	cd "$TEST_ROOT/$1" || exit 1
}

# write_advocate ID [EXTRA-YAML]: a valid active advocate file, committed.
write_advocate() {
	local id=$1 extra=${2:-}
	mkdir -p advocates
	{
		printf 'id: %s\nname: Person %s\ncompany: Company %s\nstatus: active\n' "$id" "$id" "$id"
		[ -n "$extra" ] && printf '%s\n' "$extra"
	} >"advocates/$id.yaml"
	git add "advocates/$id.yaml" && git commit -qm "add $id"
}

finish() {
	printf '%s: %d passed, %d failed\n' "$(basename "$0" .sh)" "$tests_passed" "$tests_failed"
	[ "$tests_failed" -eq 0 ]
}
