#!/bin/bash
# set FIELD+=VALUE and FIELD-=VALUE: edit a list without retyping it.
. "$(dirname "$0")/lib.sh"

new_repo prog
refctl add --name "Ann Lee" --company Acme --status active --activity reference-call \
	--activity quote --tag champion >/dev/null

test_case "+= adds values not there yet, after the others, in one commit"
before=$(git rev-list --count HEAD)
run refctl set ann-lee-acme activities+=video,Quote tags+=energy-council
check_eq "exit 0" 0 "$rc"
check_eq "activities" "activities:
- reference-call
- quote
- video" "$(sed -n '/^activities:/,/^[a-z]/p' advocates/ann-lee-acme.yaml | sed '$d')"
check_eq "tags" "tags:
- champion
- energy-council" "$(sed -n '/^tags:/,$p' advocates/ann-lee-acme.yaml)"
check_eq "one commit" "$((before + 1))" "$(git rev-list --count HEAD)"
check_eq "subject" "refctl: set ann-lee-acme activities+=video,Quote tags+=energy-council" "$(git log -1 --format=%s)"

test_case "+= to a list that is not there makes it"
run refctl set ann-lee-acme products+=analytics
check_eq "exit 0" 0 "$rc"
check_eq "products" "products:
- analytics" "$(sed -n '/^products:/,/^[a-z_]*:$/p' advocates/ann-lee-acme.yaml | sed -n '1,2p')"

test_case "-= removes, and removing the last item removes the field"
run refctl set ann-lee-acme tags-=champion
check_eq "exit 0" 0 "$rc"
check_eq "one left" "tags:
- energy-council" "$(sed -n '/^tags:/,$p' advocates/ann-lee-acme.yaml)"
run refctl set ann-lee-acme tags-=energy-council
check_eq "exit 0" 0 "$rc"
check_eq "gone" "" "$(grep '^tags' advocates/ann-lee-acme.yaml)"

test_case "-= of a value not in the list, or += to a field that is no list: exit 2, nothing written"
head=$(git rev-parse HEAD)
run refctl set ann-lee-acme activities-=speaking
check_eq "exit 2" 2 "$rc"
check_eq "message" "error: activities has no 'speaking' to remove" "$err"
run refctl set ann-lee-acme nps+=3
check_eq "not a list: exit 2" 2 "$rc"
check_eq "not a list message" "error: nps is not a list: use nps=VALUE" "$err"
run refctl set ann-lee-acme activities+=golf
check_eq "a value the schema refuses: exit 2" 2 "$rc"
check_contains "vocabulary" "'golf' is not one of" "$err"
check_eq "no commit" "$head" "$(git rev-parse HEAD)"
check_eq "nothing written" "" "$(git status --porcelain)"

finish
