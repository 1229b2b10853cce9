#!/bin/bash
# set and unset over several advocates, as one reviewable commit: ids on
# the command line before --, or from a pipeline with -.
. "$(dirname "$0")/lib.sh"

new_repo prog
refctl add --id ann --name Ann --company A --industry energy >/dev/null
refctl add --id bo --name Bo --company B --industry energy --tag energy-council >/dev/null
refctl add --id cy --name Cy --company C --industry retail >/dev/null

test_case "list --format ids: one id a line"
run refctl list --industry energy --format ids
check_eq "exit 0" 0 "$rc"
check_eq "ids" "ann
bo" "$out"

test_case "a pipeline into set -: one commit for all"
before=$(git rev-list --count HEAD)
refctl list --industry energy --format ids | refctl set - tags+=energy-council >"$TEST_ROOT/o" 2>"$TEST_ROOT/e"
check_eq "exit 0" 0 "$?"
check_eq "one commit" "$((before + 1))" "$(git rev-list --count HEAD)"
check_eq "one changed (bo had the tag): it names the commit" "refctl: set ann tags+=energy-council" "$(git log -1 --format=%s)"
check_eq "ann tagged" "tags:
- energy-council" "$(sed -n '/^tags:/,$p' advocates/ann.yaml)"
check_eq "cy untouched" "" "$(grep tags advocates/cy.yaml)"
check_eq "files of the commit" "advocates/ann.yaml" "$(git show --name-only --format= HEAD)"

test_case "ids before --, names and prefixes allowed"
before=$(git rev-list --count HEAD)
run refctl set ann Bo cy -- nps=8 health=green
check_eq "exit 0" 0 "$rc"
check_eq "one commit" "$((before + 1))" "$(git rev-list --count HEAD)"
check_eq "subject" "refctl: set 3 advocates nps=8 health=green" "$(git log -1 --format=%s)"
check_eq "body lists them" "- ann
- bo
- cy" "$(git log -1 --format=%b)"
check_eq "three files" "advocates/ann.yaml
advocates/bo.yaml
advocates/cy.yaml" "$(git show --name-only --format= HEAD | sort)"
run refctl unset ann bo -- health
check_eq "unset: exit 0" 0 "$rc"
check_eq "unset subject" "refctl: unset 2 advocates health" "$(git log -1 --format=%s)"

test_case "one refusal refuses all: nothing written"
head=$(git rev-parse HEAD)
run refctl set ann bo cy -- tags-=energy-council
check_eq "exit 2" 2 "$rc"
check_eq "names the advocate" "error: cy: tags has no 'energy-council' to remove" "$err"
check_eq "no commit" "$head" "$(git rev-parse HEAD)"
check_eq "nothing written" "" "$(git status --porcelain)"
run refctl set ann ann -- nps=1
check_eq "twice: exit 2" 2 "$rc"
run refctl set nobody -- nps=1
check_eq "unknown: exit 1" 1 "$rc"

finish
