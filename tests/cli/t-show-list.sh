#!/bin/bash
# refctl show and refctl list.
. "$(dirname "$0")/lib.sh"

new_repo prog
refctl add --id ann --name "Ann Lee" --company Initech --status active --industry retail \
	--region emea --product analytics --activity reference-call --nps 9 --email ann@i.example >/dev/null
refctl add --id bob --name "Bob, Jr." --company "Globex" --status paused --industry "Financial Services" \
	--region na --product billing --activity quote >/dev/null
refctl add --id cy --name "Cy Ödegaard" --company "Fjord AS" --status active --industry financial_services \
	--region emea --product analytics --product billing --activity reference-call --country NO >/dev/null

test_case "show prints the canonical YAML"
run refctl show ann
check_rc 0
check_eq "yaml" "$(cat advocates/ann.yaml)" "$out"

test_case "show --format json is typed by the schema"
run refctl show --format json cy
check_rc 0
check_eq "json" '{
  "id": "cy",
  "name": "Cy Ödegaard",
  "company": "Fjord AS",
  "status": "active",
  "industry": "financial_services",
  "region": "emea",
  "country": "NO",
  "products": [
    "analytics",
    "billing"
  ],
  "activities": [
    "reference-call"
  ],
  "balance": 0,
  "programs_not_in": [],
  "activities_not_offered": [
    "case-study",
    "quote",
    "video",
    "speaking",
    "press",
    "analyst",
    "advisory-board",
    "beta",
    "referral",
    "site-visit",
    "social",
    "community"
  ]
}' "$out"
run refctl show --format json ann
check_contains "nps is a number" '"nps": 9,' "$out"

test_case "show of a missing advocate"
run refctl show nobody
check_rc 1
check_eq "message" "error: no advocate 'nobody' (no advocates/nobody.yaml)" "$err"
run refctl show
check_rc 2

test_case "list: aligned table, all advocates by id"
run refctl list
check_rc 0
check_eq "table" "id   name         company   status  industry            region
ann  Ann Lee      Initech   active  retail              emea
bob  Bob, Jr.     Globex    paused  Financial Services  na
cy   Cy Ödegaard  Fjord AS  active  financial_services  emea" "$out"

test_case "filters compare vocabulary loosely"
run refctl list --industry "financial services" --format tsv --fields id
check_eq "both spellings" "$(printf 'id\nbob\ncy')" "$out"
run refctl list --status active --product analytics --region EMEA --format tsv --fields id
check_eq "and-ed filters" "$(printf 'id\nann\ncy')" "$out"
run refctl list --activity quote --format tsv --fields id,name
check_eq "activity" "$(printf 'id\tname\nbob\tBob, Jr.')" "$out"

test_case "csv quotes what needs quoting"
run refctl list --status paused --format csv --fields id,name,products
check_eq "csv" "$(printf 'id,name,products\r\nbob,"Bob, Jr.",billing\r')" "$out"

test_case "json with --fields"
run refctl list --status paused --format json --fields id,products,nps
check_eq "json" '[
  {
    "id": "bob",
    "products": [
      "billing"
    ],
    "nps": null
  }
]' "$out"

test_case "nothing listed: exit 1, and JSON is still valid"
run refctl list --industry mining
check_rc 1
check_eq "no table" "" "$out"
run refctl list --industry mining --format json
check_rc 1
check_eq "empty array" "[]" "$out"

test_case "bad usage"
run refctl list --fields id,shoe_size
check_rc 2
check_contains "unknown field" "unknown field 'shoe_size'" "$err"
run refctl list --status sleeping
check_rc 2
run refctl list --format yaml
check_rc 2

test_case "a file that does not parse is skipped with a warning naming refctl check"
printf 'id: bad\nname: [\n' >advocates/bad.yaml
run refctl list --format tsv --fields id
check_rc 0
check_eq "others listed" "$(printf 'id\nann\nbob\ncy')" "$out"
check_match "warning" "^warning: skipped advocates/bad.yaml:[0-9]+:[0-9]+: .* \(run 'refctl check'\)$" "$err"

finish
