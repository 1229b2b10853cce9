#!/bin/bash
# Time `refctl merge-file` on an advocate file of almost 1 MiB (the largest
# refctl reads): 4,300 requests, each branch adding 50 requests and
# moving 250 others along (different ones: the merge is clean), beside `git merge-file` (git's
# line merge) on the same three files. Prints the median wall time and peak
# memory of RUNS runs of each, and whether each merge was clean.
#
# usage: bench/merge.sh [RUNS]     (default 15)
# REFCTL names the binary (default: build/refctl).
set -euo pipefail

runs=${1:-15}
src=$(cd "$(dirname "$0")/.." && pwd)
refctl=$(realpath "${REFCTL:-$src/build/refctl}")
[ -x "$refctl" ] || { echo "bench: $refctl is not built (cmake --build build)" >&2; exit 2; }

. "$src/bench/lib.sh"

# gen N SIDE: an advocate with N requests (SIDE "" for the base; ours and
# theirs add 50 of their own and change 100 of the base's)
gen() {
	awk -v n="$1" -v side="$2" 'BEGIN {
		print "id: big\nname: Big Advocate\ncompany: Big Co\nstatus: active\naccount_owner: Dana Owner"
		print (side == "ours" ? "nps: 9" : "nps: 7")
		print (side == "theirs" ? "health: red" : "health: green")
		print "activities:\n- reference-call\n- quote\nlimits:\n  per_quarter: 1000\n  rest_days: 0\nrequests:"
		b32 = "0123456789abcdefghjkmnpqrstvwxyz"
		for (i = 1; i <= n + 50; i++) {
			if (i > n && side == "") break
			tag = i > n ? (side == "ours" ? "o" : "t") : "b"
			day = 1 + (i * 7) % 28; mon = 1 + int(i / 400) % 12
			token = ""
			x = i * 7919 + (tag == "o") * 13 + (tag == "t") * 29
			for (k = 0; k < 8; k++) {
				token = token substr(b32, x % 32 + 1, 1)
				x = int(x / 32) + k * 17 + i
			}
			id = sprintf("big/25%02d%02d-%s", mon, day, token)
			printf "- id: %s\n  opened: 2025-%02d-%02d\n  requester: Rep %d\n  prospect: Prospect %s%d\n", id, mon, day, i % 40, tag, i
			printf "  opportunity: OPP-%d\n  industry: logistics\n  region: emea\n  activity: quote\n", i
			st = "completed"
			if (i % 35 == 0 && side == "ours") st = "approved"
			if (i % 35 == 17 && side == "ours") st = "cancelled"
			if (i % 35 == 5 && side == "theirs") st = "declined"
			if (i % 35 == 22 && side == "theirs") st = "approved"
			if (tag != "b") st = "requested"
			printf "  status: %s\n", st
			if (st != "requested") printf "  approved_by: Dana Owner\n"
			if (st == "completed" || st == "declined" || st == "cancelled") printf "  closed: 2025-%02d-%02d\n", mon, day
			if (st == "declined" || st == "cancelled") printf "  reason: busy\n"
		}
	}'
}

gen 4300 "" >"$tmp/base.yaml"
gen 4300 ours >"$tmp/ours.yaml"
gen 4300 theirs >"$tmp/theirs.yaml"
for f in base ours theirs; do
	size=$(wc -c <"$tmp/$f.yaml")
	[ "$size" -le 1048576 ] || { echo "bench: $f is $size bytes, over 1 MiB" >&2; exit 2; }
	printf '%-7s %8d bytes, %d requests\n' "$f" "$size" "$(grep -c '^- id:' "$tmp/$f.yaml")"
done

driver() { cp "$tmp/ours.yaml" "$tmp/result.yaml"; "$refctl" merge-file "$tmp/base.yaml" "$tmp/result.yaml" "$tmp/theirs.yaml" advocates/big.yaml; }
lines() { git merge-file -p "$tmp/ours.yaml" "$tmp/base.yaml" "$tmp/theirs.yaml" >"$tmp/lines.yaml"; }
export -f driver lines
export tmp refctl

measure "refctl merge-file" bash -c driver
driver_wall=$wall
measure "git merge-file (lines)" bash -c lines
set +e
driver 2>"$tmp/driver.err"
drc=$?
lines 2>/dev/null
lrc=$?
set -e
printf 'refctl merge-file: exit %d, %d requests in the result, %d conflict markers\n' "$drc" \
	"$(grep -c '^- id:' "$tmp/result.yaml")" "$(grep -c '^<<<<<<<' "$tmp/result.yaml")"
printf 'git merge-file:    exit %d (conflicts), %d conflict markers\n' "$lrc" "$(grep -c '^<<<<<<<' "$tmp/lines.yaml")"
printf 'driver median: %s s\n' "$driver_wall"
