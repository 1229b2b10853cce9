#!/bin/bash
# Benchmark: history. A 10,000-advocate repository with 20,000 commits (one
# advocate changed per commit, as request transitions are, dated evenly
# from 2026-01-08 to 2026-11-14) and a 100,000-advocate repository whose
# whole roster changed in one commit inside the period, both generated
# with git fast-import. Measured in alternating runs, medians:
#   - refctl report --month 2026-10 (its window: September and October,
#     about 3,900 commits) cold (REFCTL_NO_CACHE=1) and warm (the history
#     cache filled), beside git log --raw of the same window and folder,
#     and beside the report on the same tree with one commit;
#   - refctl log ID beside git log --oneline -- advocates/ID.yaml, without
#     the log cache, cold (removed before each run) and warm;
#   - report peak memory with the whole roster of 100,000 changed.
# Usage: bench/history.sh   (needs a Release build in build-rel/, python3)
# RUNS=N (default 5); GEN_ONLY=1 only generates; BEFORE=DIR also times
# the refctl of a Release build in DIR (an earlier commit) on the same data; DATA=DIR keeps the generated repositories in DIR
# between runs (reused when there; default a temporary folder, removed).
set -euo pipefail
cd "$(dirname "$0")/.."
bin=$(cd "${BIN:-build-rel}" && pwd)
runs=${RUNS:-5}
. bench/lib.sh
data=${DATA:-$tmp/data}
mkdir -p "$data"

# gen-stream N COMMITS FIRST_DAY LAST_DAY: a fast-import stream on stdin's
# generated advocates folder ($1): one commit adding every file, dated the
# day before FIRST_DAY, then COMMITS commits each changing one advocate (its
# last_contact, or the prospect of its last request), dated evenly between
# FIRST_DAY and LAST_DAY; COMMITS 0: one more commit changing every file,
# dated LAST_DAY.
gen_stream() {
	python3 - "$@" <<'EOF'
import os, random, sys, datetime
src, commits, first, last = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
out = sys.stdout.buffer
day = lambda s: int(datetime.datetime.strptime(s, "%Y-%m-%d").replace(tzinfo=datetime.timezone.utc).timestamp())
t0, t1 = day(first), day(last) + 86399
names = sorted(n for n in os.listdir(src) if n.endswith(".yaml"))
files = {}
for n in names:
    with open(os.path.join(src, n), "rb") as f:
        files[n] = f.read()
mark = [0]
def blob(data):
    mark[0] += 1
    out.write(b"blob\nmark :%d\ndata %d\n" % (mark[0], len(data)))
    out.write(data)
    out.write(b"\n")
    return mark[0]
def commit(when, msg, changes, first_commit=False):
    marks = [(n, blob(d)) for n, d in changes]
    m = msg.encode()
    out.write(b"commit refs/heads/main\n")
    out.write(b"committer bench <bench@example.com> %d +0000\n" % when)
    out.write(b"data %d\n%s\n" % (len(m), m))
    if first_commit:
        out.write(b"from refs/heads/main^0\n")
    for n, k in marks:
        out.write(b"M 100644 :%d advocates/%s\n" % (k, n.encode()))
    out.write(b"\n")
def change(data, when, i):
    lines = data.split(b"\n")
    stamp = datetime.datetime.fromtimestamp(when, datetime.timezone.utc).strftime("%Y-%m-%d").encode()
    if i % 2:
        for j in range(len(lines) - 1, -1, -1):
            if lines[j].startswith(b"  prospect: "):
                lines[j] = b"  prospect: Prospect %d" % i
                return b"\n".join(lines)
    for j, l in enumerate(lines):
        if l.startswith(b"last_contact: "):
            lines[j] = b"last_contact: " + stamp
            return b"\n".join(lines)
    return data + b"last_contact: " + stamp + b"\n"
commit(t0 - 86400, "generated advocates", sorted(files.items()), True)
rnd = random.Random(1)
if commits == 0:
    commit(t1 - 43200, "every advocate contacted",
           [(n, change(files[n], t1, 0)) for n in names])
for i in range(commits):
    when = t0 + (t1 - t0) * i // commits
    n = names[rnd.randrange(len(names))]
    files[n] = change(files[n], when, i)
    commit(when, "refctl: request %d of %s" % (i, n[:-5]), [(n, files[n])])
EOF
}

# make-repo DIR N COMMITS FIRST LAST [MAX_REQUESTS]
make_repo() {
	local dir=$1 n=$2
	[ -e "$dir/.done" ] && return 0
	rm -rf "$dir" "$dir.gen"
	GIT_AUTHOR_DATE=2026-01-01T00:00:00Z GIT_COMMITTER_DATE=2026-01-01T00:00:00Z \
		"$bin/refctl" init "$dir" >/dev/null
	"$bin/refctl-gen" --max-requests "${6:-12}" "$n" "$dir.gen" >/dev/null
	gen_stream "$dir.gen/advocates" "$3" "$4" "$5" | git -C "$dir" fast-import --quiet --force
	rm -rf "$dir.gen"
	# fast-import's pack is not a clone's: it deltas each tree against the
	# one before, so the newest trees sit at the end of long chains (its
	# manual says to repack after it); repack as git gc --aggressive would
	git -C "$dir" repack -q -a -d -f
	git -C "$dir" reset -q --hard main
	touch "$dir/.done"
}

hist=$data/hist-10000
echo "generating (or reusing) $hist: 10,000 advocates, 20,000 commits"
make_repo "$hist" 10000 20000 2026-01-08 2026-11-14
# the same tree, one commit
one=$data/one-10000
if [ ! -e "$one/.done" ]; then
	rm -rf "$one"
	c=$(GIT_COMMITTER_DATE=2026-11-15T00:00:00Z git -C "$hist" commit-tree -m "one commit" "main^{tree}")
	git -C "$hist" branch -f one-commit "$c"
	git clone -q --single-branch -b one-commit "file://$hist" "$one"
	touch "$one/.done"
fi
wide=$data/wide-100000
echo "generating (or reusing) $wide: 100,000 advocates, all changed in October 2026"
make_repo "$wide" 100000 0 2026-08-01 2026-10-15 2

[ "${GEN_ONLY:-0}" = 1 ] && exit 0
inwin=$(git -C "$hist" rev-list --count --since=2026-09-01T00:00:00Z --until=2026-11-01T00:00:00Z main)
inmonth=$(git -C "$hist" rev-list --count --since=2026-10-01T00:00:00Z --until=2026-11-01T00:00:00Z main)
echo "window of the report for 2026-10: $inwin commits ($inmonth in October)"
id=$(git -C "$hist" log -1 --format=%s main | sed 's/.* of //')

ratio() { awk -v a="$1" -v b="$2" 'BEGIN {if (b > 0) printf "%.2f", a / b; else printf "-"}'; }
# alt LABEL_A LABEL_B -- CMD_A -- CMD_B: $runs alternating single runs of
# each; medians of wall time, CPU time (user + system) and peak RSS into
# $wa $ca $ra and $wb $cb $rb
alt() {
	local la=$1 lb=$2 a=() b=() i
	shift 3
	while [ "$1" != -- ]; do a+=("$1"); shift; done
	shift
	b=("$@")
	: >"$tmp/ta"; : >"$tmp/tb"
	for i in $(seq "$runs"); do
		/usr/bin/time -f '%e %U %S %M' -a -o "$tmp/ta" "${a[@]}" >/dev/null 2>&1 || true
		/usr/bin/time -f '%e %U %S %M' -a -o "$tmp/tb" "${b[@]}" >/dev/null 2>&1 || true
	done
	wa=$(cut -d' ' -f1 "$tmp/ta" | median); ca=$(awk '{print $2 + $3}' "$tmp/ta" | median)
	ra=$(cut -d' ' -f4 "$tmp/ta" | median)
	wb=$(cut -d' ' -f1 "$tmp/tb" | median); cb=$(awk '{print $2 + $3}' "$tmp/tb" | median)
	rb=$(cut -d' ' -f4 "$tmp/tb" | median)
	printf '%-50s %7.2f s wall %7.2f s cpu %8d KiB\n' "$la" "$wa" "$ca" "$ra"
	printf '%-50s %7.2f s wall %7.2f s cpu %8d KiB\n' "$lb" "$wb" "$cb" "$rb"
	printf '  ratio: wall %s, cpu %s, memory %s\n' "$(ratio "$wa" "$wb")" "$(ratio "$ca" "$cb")" "$(ratio "$ra" "$rb")"
}

r="$bin/refctl"
echo "== median of $runs alternating runs"
alt "report --month 2026-10, cold (REFCTL_NO_CACHE=1)" "git log --raw, the same window" -- \
	env REFCTL_NO_CACHE=1 "$r" -C "$hist" report --month 2026-10 --format json -- \
	git -C "$hist" log --raw --since=2026-09-01T00:00:00Z --until=2026-11-01T00:00:00Z -- advocates/
rm -f "$hist/.git/refctl/history-cache"
"$r" -C "$hist" report --month 2026-10 --format json >/dev/null
echo "history cache: $(stat -c %s "$hist/.git/refctl/history-cache") bytes"
alt "report --month 2026-10, history cache warm" "report, the same tree, one commit" -- \
	"$r" -C "$hist" report --month 2026-10 --format json -- \
	"$r" -C "$one" report --month 2026-10 --format json
alt "refctl log $id, no cache (REFCTL_NO_CACHE=1)" "git log --oneline -- advocates/$id.yaml" -- \
	env REFCTL_NO_CACHE=1 "$r" -C "$hist" log "$id" -- \
	git -C "$hist" log --oneline -- "advocates/$id.yaml"
alt "refctl log $id, cold (the log cache removed)" "git log --oneline -- advocates/$id.yaml" -- \
	sh -c 'rm -f "$1/.git/refctl/log-cache" && exec "$2" -C "$1" log "$3"' - "$hist" "$r" "$id" -- \
	git -C "$hist" log --oneline -- "advocates/$id.yaml"
"$r" -C "$hist" log "$id" >/dev/null
echo "log cache: $(stat -c %s "$hist/.git/refctl/log-cache") bytes"
alt "refctl log $id, warm (log cache filled)" "git log --oneline -- advocates/$id.yaml" -- \
	"$r" -C "$hist" log "$id" -- \
	git -C "$hist" log --oneline -- "advocates/$id.yaml"
alt "refctl log -n 1 $id" "git log --oneline -n 1 -- advocates/$id.yaml" -- \
	"$r" -C "$hist" log -n 1 "$id" -- \
	git -C "$hist" log --oneline -n 1 -- "advocates/$id.yaml"
alt "report, 100,000 changed, cold" "report, 100,000 changed, warm" -- \
	env REFCTL_NO_CACHE=1 "$r" -C "$wide" report --month 2026-10 --format json -- \
	"$r" -C "$wide" report --month 2026-10 --format json
if [ -n "${BEFORE:-}" ]; then
	# BEFORE=DIR: a Release build of an earlier refctl, on the same data
	b=$(cd "$BEFORE" && pwd)/refctl
	echo "== against $b"
	alt "before: report --month 2026-10" "git log --raw, the same window" -- \
		"$b" -C "$hist" report --month 2026-10 --format json -- \
		git -C "$hist" log --raw --since=2026-09-01T00:00:00Z --until=2026-11-01T00:00:00Z -- advocates/
	alt "before: refctl log $id" "git log --oneline -- advocates/$id.yaml" -- \
		"$b" -C "$hist" log "$id" -- \
		git -C "$hist" log --oneline -- "advocates/$id.yaml"
	alt "before: report, 100,000 changed" "now: report, 100,000 changed, cold" -- \
		"$b" -C "$wide" report --month 2026-10 --format json -- \
		env REFCTL_NO_CACHE=1 "$r" -C "$wide" report --month 2026-10 --format json
fi
[ -n "${DATA:-}" ] || echo "(the generated repositories go with $tmp)"
