#!/bin/bash
# Naming an advocate as people and tab completion do: the id, the file's
# path, a unique prefix, or the name in any case.
. "$(dirname "$0")/lib.sh"

new_repo prog
refctl add --name "Anna Schmidt" --company "Ärzte AG" --status active --activity reference-call \
	--consent-until 2027-12-31 >/dev/null
refctl add --name "Anna Schmidt" --company Beta --status active >/dev/null
refctl add --name "Bo Chen" --company Acme --status active --activity reference-call \
	--consent-until 2027-12-31 >/dev/null

test_case "show: by id, path, prefix and name"
run refctl show anna-schmidt-arzte-ag
check_eq "id: exit 0" 0 "$rc"
expected=$out
run refctl show advocates/anna-schmidt-arzte-ag.yaml
check_eq "path" "$expected" "$out"
run refctl show ./advocates/anna-schmidt-arzte-ag.yaml
check_eq "./path" "$expected" "$out"
run refctl show anna-schmidt-a
check_eq "unique prefix" "$expected" "$out"
run refctl show bo
check_eq "prefix: exit 0" 0 "$rc"
check_contains "prefix: bo-chen-acme" "id: bo-chen-acme" "$out"
run refctl show "bo chen"
check_contains "name, any case" "id: bo-chen-acme" "$out"

test_case "an ambiguous prefix or name lists the candidates, exit 2"
run refctl show anna
check_eq "exit 2" 2 "$rc"
check_eq "message" "error: 'anna' is the start of the ids of 2 advocates: anna-schmidt-arzte-ag anna-schmidt-beta" "$err"
run refctl show "ANNA SCHMIDT"
check_eq "name: exit 2" 2 "$rc"
check_eq "name message" "error: 'ANNA SCHMIDT' is the name of 2 advocates: anna-schmidt-arzte-ag anna-schmidt-beta" "$err"

test_case "none: exit 1, with the most similar id"
run refctl show bo-chen-acmee
check_eq "exit 1" 1 "$rc"
check_eq "message" "error: no advocate 'bo-chen-acmee' (did you mean bo-chen-acme?)" "$err"

test_case "set, unset, reward and request new take the same names"
run refctl set bo nps=9
check_eq "set: exit 0" 0 "$rc"
check_eq "set wrote the right file" "nps: 9" "$(grep '^nps' advocates/bo-chen-acme.yaml)"
check_eq "commit names the id" "refctl: set bo-chen-acme nps=9" "$(git log -1 --format=%s)"
run refctl unset advocates/bo-chen-acme.yaml nps
check_eq "unset: exit 0" 0 "$rc"
check_eq "unset" "" "$(grep '^nps' advocates/bo-chen-acme.yaml)"
run refctl reward "Bo Chen" --points 5 --reason "thanks"
check_eq "reward: exit 0" 0 "$rc"
check_eq "reward output" "bo-chen-acme: 5 points awarded, balance 5" "$out"
run refctl request new anna-schmidt-a --prospect Globex --activity reference-call --requester Sam
check_eq "request new: exit 0" 0 "$rc"
check_contains "request id" "anna-schmidt-arzte-ag/" "$out"
head=$(git rev-parse HEAD)
run refctl set anna nps=1
check_eq "ambiguous set: exit 2" 2 "$rc"
check_eq "nothing written" "$head" "$(git rev-parse HEAD)"

finish
