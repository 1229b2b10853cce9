#!/bin/bash
# refctl reward: manual awards and redemptions; the balance never below zero.
. "$(dirname "$0")/lib.sh"

new_repo prog
write_advocate ann

test_case "an advocate without rewards has a balance of 0"
run refctl show ann --format json
check_contains "JSON" '"balance": 0' "$out"

test_case "award: one commit, an entry dated today"
before=$(commit_count)
run refctl reward ann --points 20 --reason "Spoke at the user summit"
check_rc 0
check_eq "output" "ann: 20 points awarded, balance 20" "$out"
check_eq "one commit" "$((before + 1))" "$(commit_count)"
check_eq "subject" "refctl: reward ann 20 points: Spoke at the user summit" "$(git log -1 --format=%s)"
check_eq "only the file" "advocates/ann.yaml" "$(git show --format= --name-only HEAD)"
rid=$(sed -n 's/^- id: //p' advocates/ann.yaml)
check_match "the entry's own id, dated today" '^ann/261115-[0-9a-hjkmnp-tv-z]{8}$' "$rid"
check_file "file" advocates/ann.yaml "id: ann
name: Person ann
company: Company ann
status: active
rewards:
- id: $rid
  date: 2026-11-15
  points: 20
  reason: Spoke at the user summit"

test_case "redemption: negative points"
run refctl reward ann --points -5 --reason "Coffee mug" -m "shipped to the Berlin office"
check_rc 0
# 20 - 5 = 15
check_eq "output" "ann: 5 points redeemed, balance 15" "$out"
check_eq "subject" "refctl: redeem 5 points from ann: Coffee mug" "$(git log -1 --format=%s)"
check_eq "body" "shipped to the Berlin office" "$(git log -1 --format=%b)"
check_contains "entry" "  date: 2026-11-15
  points: -5
  reason: Coffee mug" "$(cat advocates/ann.yaml)"
check_eq "two entries, two ids" 2 "$(sed -n 's/^- id: //p' advocates/ann.yaml | sort -u | wc -l)"
run refctl show ann --format text
check_eq "show prints the balance" "# reward balance: 15 points" "$(printf '%s\n' "$out" | tail -n 1)"

test_case "a redemption larger than the balance is refused, nothing written"
before=$(git rev-parse HEAD)
run refctl reward ann --points -16 --reason "Conference ticket"
check_rc 1
check_eq "message" "error: cannot redeem 16 points: ann has a balance of 15 points" "$err"
check_eq "no commit" "$before" "$(git rev-parse HEAD)"
check_eq "tree clean" "" "$(git status --porcelain)"

test_case "redeeming exactly the balance leaves 0"
run refctl reward ann --points -15 --reason "Conference ticket"
check_rc 0
check_eq "output" "ann: 15 points redeemed, balance 0" "$out"
run refctl reward ann --points -1 --reason "Sticker"
check_rc 1
check_eq "nothing left" "error: cannot redeem 1 points: ann has a balance of 0 points" "$err"
run refctl reward ann --points 1 --reason "Thank-you note"
check_eq "one point" "ann: 1 point awarded, balance 1" "$out"

test_case "the balance of a history written by hand never went below zero"
# 10, then -30 (floored at 0), then +5: the balance is 5, not -15
write_advocate bob "rewards:
- {date: 2026-01-10, points: 10, reason: quote}
- {date: 2026-02-10, points: -30, reason: imported from the old tool}
- {date: 2026-03-10, points: 5, reason: social post}"
run refctl show bob --format text
check_eq "balance" "# reward balance: 5 points" "$(printf '%s\n' "$out" | tail -n 1)"
run refctl reward bob --points -6 --reason "Hoodie"
check_rc 1
check_eq "refused" "error: cannot redeem 6 points: bob has a balance of 5 points" "$err"

test_case "a reason of several lines: the subject takes the first"
run refctl reward bob --points 30 --reason "Hosted the site visit
with the whole plant team"
check_rc 0
check_eq "subject" "refctl: reward bob 30 points: Hosted the site visit" "$(git log -1 --format=%s)"
check_contains "entry keeps both lines" "  reason: |-
    Hosted the site visit
    with the whole plant team" "$(cat advocates/bob.yaml)"

test_case "--no-commit"
before=$(git rev-parse HEAD)
run refctl reward bob --points 3 --reason "Survey" --no-commit
check_rc 0
check_eq "no commit" "$before" "$(git rev-parse HEAD)"
check_eq "written" " M advocates/bob.yaml" "$(git status --porcelain)"
git checkout -q advocates/bob.yaml

test_case "bad input is exit 2 and writes nothing"
before=$(git rev-parse HEAD)
run refctl reward ann --points 0 --reason "Nothing"
check_rc 2
check_eq "zero" "error: points must not be 0" "$err"
run refctl reward ann --points ten --reason "Typo"
check_rc 2
check_contains "not a number" "error: --points must be a whole number such as 20 or -30, not 'ten'" "$err"
run refctl reward ann --points 1000001 --reason "Too much"
check_rc 2
check_eq "too many" "error: points must be from -1000000 to 1000000, not 1000001" "$err"
run refctl reward ann --points 5
check_rc 2
check_contains "reason required" "error: a reward needs a reason" "$err"
check_contains "usage" "usage: refctl reward ADVOCATE --points N --reason TEXT" "$err"
run refctl reward ann --points 5 --reason ""
check_rc 2
check_eq "empty reason" "error: a reward needs a reason" "$err"
run refctl reward ann --reason "Thanks"
check_rc 2
check_contains "points required" "error: --points is required" "$err"
check_contains "with the usage" "usage: refctl reward ADVOCATE --points N --reason TEXT" "$err"
run refctl reward ann --points 5 --reason x --bogus
check_rc 2
check_eq "unknown option: one line, then the usage" "error: unknown option '--bogus'
usage: refctl reward ADVOCATE --points N --reason TEXT [--no-commit] [-m TEXT]" "$(printf '%s\n' "$err" | head -n 2)"
check_eq "no commit" "$before" "$(git rev-parse HEAD)"

test_case "an unknown advocate is exit 1"
run refctl reward nobody --points 5 --reason "x"
check_rc 1
check_eq "message" "error: no advocate 'nobody' (no advocates/nobody.yaml)" "$err"

test_case "help"
run refctl reward -h
check_rc 0
check_contains "usage" "usage: refctl reward ADVOCATE --points N --reason TEXT" "$out"

test_case "check is clean after all this"
run refctl check
check_rc 0

finish
