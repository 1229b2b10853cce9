#!/bin/bash
# refctl add: flags, --file, derived ids, refusals, commits.
. "$(dirname "$0")/lib.sh"

new_repo prog

test_case "add from flags writes the canonical file and commits it alone"
run refctl add --name "Jürgen Müller" --company "Ärzte AG" --status active \
	--title "Head of Supply Chain" --email juergen@aerzte.example --phone "+49 30 1234567" \
	--account-owner "Dana Reyes" --industry manufacturing --region emea --country DE \
	--segment mid-market --since 2023-04-12 --nps 9 --health green --last-contact 2026-10-02 \
	--notes "Prefers Tuesday calls" --language de --language en --product analytics \
	--product billing --use-case supply-chain-visibility --activity reference-call \
	--activity case-study --program cab --tag champion --consent-until 2027-06-30 \
	--consent-scope name --consent-scope logo --per-quarter 3 --rest-days 21
check_rc 0
check_eq "prints the id" "jurgen-muller-arzte-ag" "$out"
check_file "canonical file" advocates/jurgen-muller-arzte-ag.yaml "id: jurgen-muller-arzte-ag
name: Jürgen Müller
company: Ärzte AG
status: active
title: Head of Supply Chain
email: juergen@aerzte.example
phone: +49 30 1234567
account_owner: Dana Reyes
industry: manufacturing
region: emea
country: DE
segment: mid-market
since: 2023-04-12
nps: 9
health: green
last_contact: 2026-10-02
notes: Prefers Tuesday calls
languages:
- de
- en
products:
- analytics
- billing
use_cases:
- supply-chain-visibility
activities:
- reference-call
- case-study
programs:
- cab
tags:
- champion
consent:
  until: 2027-06-30
  scope:
  - name
  - logo
limits:
  per_quarter: 3
  rest_days: 21"
check_eq "commit subject" "refctl: add jurgen-muller-arzte-ag" "$(git log -1 --format=%s)"
check_eq "commit holds only the file" "advocates/jurgen-muller-arzte-ag.yaml" "$(git show --format= --name-only HEAD)"
check_eq "clean tree" "" "$(git status --porcelain)"

test_case "derived ids collide: -2, -3"
run refctl add --name "Jürgen Müller" --company "Ärzte AG"
check_eq "second" "jurgen-muller-arzte-ag-2" "$out"
run refctl add --name "Jurgen Muller" --company "Arzte AG"
check_eq "third" "jurgen-muller-arzte-ag-3" "$out"
check_contains "status defaults to nominated" "status: nominated" "$(cat advocates/jurgen-muller-arzte-ag-3.yaml)"

test_case "an explicit id that exists is refused, nothing written"
before=$(commit_count)
run refctl add --id jurgen-muller-arzte-ag --name X --company Y
check_rc 2
check_contains "says it exists" "advocate 'jurgen-muller-arzte-ag' already exists" "$err"
check_eq "no commit" "$before" "$(commit_count)"

test_case "an email used by another advocate is refused (case-insensitively)"
run refctl add --name Other --company Corp --email JUERGEN@aerzte.example
check_rc 2
check_contains "names the owner" "already used by advocate 'jurgen-muller-arzte-ag'" "$err"
check_eq "no commit" "$before" "$(commit_count)"
check_true "no file" test ! -e advocates/other-corp.yaml

test_case "invalid field values: exit 2, one line naming the field"
run refctl add --name A --company B --nps 11
check_rc 2
check_eq "message" "error: command line: nps must be an integer from 0 to 10" "$err"
run refctl add --name A --company B --country Norway
check_rc 2
check_contains "country" "country must be an ISO 3166 alpha-2 code" "$err"
run refctl add --name A --company B --since 2026-02-30
check_rc 2
check_contains "date" "since must be a date YYYY-MM-DD, not '2026-02-30'" "$err"
run refctl add --name A --company B --activity juggling
check_rc 2
check_contains "activity" "'juggling' is not one of reference-call" "$err"
run refctl add --name A --company B --id Bad_Id
check_rc 2
check_contains "id" "id 'Bad_Id' must be lowercase" "$err"
run refctl add --name A --company B --name C
check_rc 2
check_contains "twice" "--name given twice" "$err"
run refctl add --company B
check_rc 2
check_contains "required" "missing required field 'name'" "$err"
check_eq "still no commit" "$before" "$(commit_count)"

test_case "--file gives a left-out status its default, as the flags do"
printf 'name: Ola Nordmann\ncompany: Fjord AS\n' >"$TEST_ROOT/nostatus.yaml"
run refctl add --file "$TEST_ROOT/nostatus.yaml"
check_rc 0
check_eq "id" "ola-nordmann-fjord-as" "$out"
check_eq "status nominated" "id: ola-nordmann-fjord-as
name: Ola Nordmann
company: Fjord AS
status: nominated" "$(cat advocates/ola-nordmann-fjord-as.yaml)"

test_case "country NO stays Norway"
run refctl add --name "Kari Nordmann" --company "Fjord AS" --country NO
check_rc 0
check_contains "quoted" 'country: "NO"' "$(cat advocates/kari-nordmann-fjord-as.yaml)"

test_case "add --file - with several documents: one commit"
before=$(commit_count)
cat >"$TEST_ROOT/two.yaml" <<'YAML'
name: Ana Souza
company: Banco Sol
status: active
industry: financial-services
---
id: li-wei
name: Li Wei
company: Dragon Logistics
status: paused
YAML
run_in "$TEST_ROOT/two.yaml" refctl add --file - -m "From the Q4 nomination sheet"
check_rc 0
check_eq "ids in order" "$(printf 'ana-souza-banco-sol\nli-wei')" "$out"
check_eq "one commit" "$((before + 1))" "$(commit_count)"
check_eq "subject" "refctl: add ana-souza-banco-sol, li-wei" "$(git log -1 --format=%s)"
check_eq "body" "From the Q4 nomination sheet" "$(git log -1 --format=%b)"
check_eq "two files" "$(printf 'advocates/ana-souza-banco-sol.yaml\nadvocates/li-wei.yaml')" \
	"$(git show --format= --name-only HEAD | sort)"

test_case "add --file with a bad second document writes nothing"
before=$(commit_count)
printf 'name: Good One\ncompany: Fine\nstatus: active\n---\nname: Bad\ncompany: Worse\nstatus: sleeping\n' >"$TEST_ROOT/bad.yaml"
run refctl add --file "$TEST_ROOT/bad.yaml"
check_rc 2
check_eq "names file, line, field" "error: $TEST_ROOT/bad.yaml:7:9: status must be one of nominated, active, paused or retired, not 'sleeping'" "$err"
check_true "first not written" test ! -e advocates/good-one-fine.yaml
check_eq "no commit" "$before" "$(commit_count)"

test_case "add --file refuses YAML that would lose a comment"
printf 'name: C # nickname\ncompany: D\nstatus: active\n' >"$TEST_ROOT/c.yaml"
run refctl add --file "$TEST_ROOT/c.yaml"
check_rc 2
check_eq "message" "error: $TEST_ROOT/c.yaml:1: comment would be lost; move it into notes:" "$err"

test_case "hostile YAML is rejected with FILE:LINE:COL"
printf 'name: &a x\ncompany: *a\n' >"$TEST_ROOT/h1.yaml"
run refctl add --file "$TEST_ROOT/h1.yaml"
check_rc 2
check_eq "anchor" "error: $TEST_ROOT/h1.yaml:1:7: anchors are not allowed" "$err"
printf 'name: !!python/object x\n' >"$TEST_ROOT/h2.yaml"
run refctl add --file "$TEST_ROOT/h2.yaml"
check_eq "tag" "error: $TEST_ROOT/h2.yaml:1:7: tags are not allowed" "$err"
printf 'name: a\ncompany: b\nname: c\n' >"$TEST_ROOT/h3.yaml"
run refctl add --file "$TEST_ROOT/h3.yaml"
check_eq "duplicate key" "error: $TEST_ROOT/h3.yaml:3:1: duplicate key 'name'" "$err"

test_case "--no-commit writes the file and leaves committing to the user"
before=$(commit_count)
run refctl add --no-commit --name "Sam Doe" --company Acme
check_rc 0
check_eq "no commit" "$before" "$(commit_count)"
check_eq "untracked file" "?? advocates/sam-doe-acme.yaml" "$(git status --porcelain)"

test_case "usage errors"
run refctl add
check_rc 2
check_contains "nothing to add" "nothing to add" "$err"
run refctl add --file x.yaml --name A
check_rc 2
run refctl add --file "$TEST_ROOT/missing.yaml"
check_rc 2
check_contains "names the file" "missing.yaml" "$err"

finish
