#!/bin/bash
# refctl never writes what it refuses to read: every write checks the file
# it renders against the read limits (1 MiB) before anything is touched.
. "$(dirname "$0")/lib.sh"

# big_advocate ID SIZE: a canonical advocate of exactly SIZE bytes, its
# notes a literal block of 101-byte lines ("  " + 98 x + newline) and one
# shorter last line.
big_advocate() {
	awk -v id="$1" -v size="$2" 'BEGIN {
		head = sprintf("id: %s\nname: Big\ncompany: Co\nstatus: active\nnotes: |\n", id)
		printf "%s", head
		left = size - length(head)
		line = "  "; for (i = 0; i < 98; i++) line = line "x"
		while (left > 101 + 4) { print line; left -= 101 }
		last = "  "; for (i = 0; i < left - 3; i++) last = last "x"
		print last
	}' >"advocates/$1.yaml"
}

new_repo prog

test_case "a file of 1048570 bytes: set nps=9 would make it 1048577, over the limit; refused, nothing written"
big_advocate big 1048570
check_eq "the file is as built" "1048570" "$(wc -c <advocates/big.yaml)"
git add -A && git commit -qm "big by hand"
run refctl fmt --check
check_eq "and canonical" "" "$out"
cp advocates/big.yaml "$TEST_ROOT/big.before"
before=$(commit_count)
run refctl set big nps=9
check_rc 2
check_eq "message" "error: advocates/big.yaml: the file would be 1048577 bytes, over the 1 MiB limit" "$err"
check_true "file untouched" cmp -s "$TEST_ROOT/big.before" advocates/big.yaml
check_eq "no commit" "$before" "$(commit_count)"
run git status --porcelain
check_eq "nothing else written" "" "$out"

test_case "the advocate refused a write still reads and lists"
run refctl show big
check_rc 0
check_contains "show" "id: big" "$out"
run refctl list --format tsv
check_rc 0
check_contains "list" "big" "$out"
check_eq "no warning" "" "$err"

test_case "up to exactly 1 MiB is written, and read back"
big_advocate edge 1048569
git add -A && git commit -qm "edge by hand"
run refctl set edge nps=9
check_rc 0
check_eq "1 MiB exactly" "1048576" "$(wc -c <advocates/edge.yaml)"
run refctl show edge
check_rc 0
check_contains "reads" "nps: 9" "$out"
run refctl set edge nps=10
check_rc 2
check_eq "one byte more" "error: advocates/edge.yaml: the file would be 1048577 bytes, over the 1 MiB limit" "$err"
check_contains "still 9" "nps: 9" "$(cat advocates/edge.yaml)"

test_case "--no-commit writes are checked too"
run refctl set --no-commit big nps=9
check_rc 2
check_contains "refused" "over the 1 MiB limit" "$err"
check_true "file untouched" cmp -s "$TEST_ROOT/big.before" advocates/big.yaml

finish
