# Shared by the benchmarks: a temporary directory removed on exit, an
# isolated HOME and git config with a fixed author, and the statistics.
# Source it after `set -euo pipefail`; it sets $tmp.

tmp=$(mktemp -d "${TMPDIR:-/tmp}/refctl-bench.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
export HOME="$tmp/home" GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL="$tmp/home/.gitconfig"
export REFCTL_TODAY=${REFCTL_TODAY:-2026-11-15} TZ=UTC LC_ALL=C
unset REFCTL_DIR GIT_DIR GIT_WORK_TREE GIT_AUTHOR_DATE GIT_COMMITTER_DATE
mkdir -p "$HOME"
git config --global user.name bench
git config --global user.email bench@example.com
git config --global init.defaultBranch main

# median: of the numbers on standard input, one a line
median() { sort -g | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }

# measure LABEL CMD...: run CMD $runs times; sets $wall (median seconds) and
# $rss (median peak KiB) and prints them
measure() {
	local label=$1
	shift
	: >"$tmp/t"
	for _ in $(seq "$runs"); do
		/usr/bin/time -f '%e %M' -a -o "$tmp/t" "$@" >/dev/null 2>&1 || true
	done
	wall=$(cut -d' ' -f1 "$tmp/t" | median)
	rss=$(cut -d' ' -f2 "$tmp/t" | median)
	printf '%-32s %8.3f s %10d KiB\n' "$label" "$wall" "$rss"
}

# roster_repo BIN N: $repo, the repository named by REPO (of generated,
# committed advocates: left as it was found but for its caches), else one
# made in $tmp with BIN's refctl init and refctl-gen N, committed and
# packed; $n then counts its advocates.
roster_repo() {
	if [ -n "${REPO:-}" ]; then
		repo=$(cd "$REPO" && pwd)
	else
		repo="$tmp/repo"
		"$1/refctl" init "$repo" >/dev/null
		"$1/refctl-gen" "$2" "$repo" >/dev/null
		git -C "$repo" add -A && git -C "$repo" -c gc.auto=0 commit -qm "$2 generated advocates" &&
			git -C "$repo" gc -q
	fi
	n=$(ls "$repo/advocates" | wc -l)
}
