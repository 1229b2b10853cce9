#!/bin/bash
# refctl import of an NPS survey (kind: nps): scores and dates of known
# advocates, the newest answer wins, detractors listed, promoters nominated.
. "$(dirname "$0")/lib.sh"

data="$REFCTL_SRC/tests/cli/import-data"
rules="$REFCTL_SRC/examples/import"

new_repo nps
cp -r "$REFCTL_SRC/examples/program/advocates" .
git add advocates && git commit -qm "the example program"
cp "$data/nps-survey.csv" survey.csv

# Against the example program (status, last_contact, nps):
#   marta     active   2026-09-09  6   answers 3 on 2026-11-02: updated, a detractor
#   sophie    active   2026-09-24  9   answers 10 on 2026-11-03 (email in capitals): updated
#   oliver    active   2026-10-29  1   answers 5 on 2026-10-15: older than the last contact
#   kevin     active   2026-07-25  8   answers 4 on 2026-11-05 and 9 on 2026-10-01: the first wins, a detractor
#   brian     retired  (none)      8   answers 2 on 2026-11-01: updated, not listed (not active)
#   lena, tom                          not in the roster: a promoter (10) and a passive (7)
#   amelia    active   2026-11-15  9   answers 9 on 2026-11-15: unchanged
test_case "--dry-run: updates, older answers, unknown people, detractors, promoters"
before=$(commit_count)
run refctl import --dry-run --rules "$rules/nps.yaml" survey.csv
check_rc 0
check_eq "plan" "update marta-navarro-universidad-de-levante (row 2)
    nps: 6 -> 3
    last_contact: 2026-09-09 -> 2026-11-02
update sophie-whitaker-pennine-logistics-ltd (row 3)
    nps: 9 -> 10
    last_contact: 2026-09-24 -> 2026-11-03
older oliver-hughes-thameside-water-plc (row 4): answered 2026-10-15, before the last contact 2026-10-29
update kevin-nguyen-pacific-crest-energy (row 5)
    nps: 8 -> 4
    last_contact: 2026-07-25 -> 2026-11-05
update brian-kowalski-great-lakes-steel-corp (row 6)
    nps: 8 -> 2
    last_contact: (none) -> 2026-11-01
unknown email lena.fischer@nordsee-logistik.example (row 7): nps 10, not in the roster
older kevin-nguyen-pacific-crest-energy (row 8): row 5 has a newer answer
unknown email tom.baker@harbourside-council.example (row 9): nps 7, not in the roster
unchanged amelia-wright-kingsgate-bank-plc (row 10)
detractors among active advocates (nps 0 to 6): 2
  marta-navarro-universidad-de-levante  nps 3  2026-11-02  (row 2)
  kevin-nguyen-pacific-crest-energy  nps 4  2026-11-05  (row 5)
promoters not in the roster (nps 9 or 10; --nominate adds them): 1
  email lena.fischer@nordsee-logistik.example  nps 10  2026-11-04  (row 7)
dry run of survey.csv: 0 added, 4 updated, 1 unchanged, 2 older, 2 not in the roster; nothing written" "$out"
check_eq "no commit" "$before" "$(commit_count)"

test_case "the import: nps and last_contact only, in one commit"
run refctl import --rules "$rules/nps.yaml" survey.csv
check_rc 0
check_eq "output" "detractors among active advocates (nps 0 to 6): 2
  marta-navarro-universidad-de-levante  nps 3  2026-11-02  (row 2)
  kevin-nguyen-pacific-crest-energy  nps 4  2026-11-05  (row 5)
promoters not in the roster (nps 9 or 10; --nominate adds them): 1
  email lena.fischer@nordsee-logistik.example  nps 10  2026-11-04  (row 7)
imported survey.csv: 0 added, 4 updated, 1 unchanged, 2 older, 2 not in the roster" "$out"
check_eq "one commit" "$((before + 1))" "$(commit_count)"
check_eq "subject" "refctl: import survey.csv: 0 added, 4 updated" "$(git log -1 --format=%s)"
check_eq "files" "advocates/brian-kowalski-great-lakes-steel-corp.yaml
advocates/kevin-nguyen-pacific-crest-energy.yaml
advocates/marta-navarro-universidad-de-levante.yaml
advocates/sophie-whitaker-pennine-logistics-ltd.yaml" "$(git show --name-only --format= HEAD | sort)"
check_eq "kevin: the newer answer" "-nps: 8
+nps: 4
-last_contact: 2026-07-25
+last_contact: 2026-11-05" "$(git diff HEAD~1 HEAD -U0 -- advocates/kevin-nguyen-pacific-crest-energy.yaml | grep '^[-+][a-z]')"
check_contains "oliver untouched" "nps: 1" "$(cat advocates/oliver-hughes-thameside-water-plc.yaml)"

test_case "the same survey again changes nothing"
before=$(commit_count)
run refctl import --rules "$rules/nps.yaml" survey.csv
check_rc 0
check_eq "summary" "imported survey.csv: 0 added, 0 updated, 5 unchanged, 2 older, 2 not in the roster; nothing to commit" \
	"$(printf '%s\n' "$out" | tail -1)"
check_eq "no commit" "$before" "$(commit_count)"

test_case "--nominate adds promoters nobody knows, nominated from nps"
run refctl import --nominate --rules "$rules/nps.yaml" survey.csv
check_rc 0
check_eq "summary" "imported survey.csv: 1 added, 0 updated, 5 unchanged, 2 older, 1 not in the roster" \
	"$(printf '%s\n' "$out" | tail -1)"
check_not_contains "no promoter left to list" "promoters not in the roster" "$out"
check_file "the nominee" advocates/lena-fischer-nordsee-logistik-gmbh.yaml "id: lena-fischer-nordsee-logistik-gmbh
name: Lena Fischer
company: Nordsee Logistik GmbH
status: nominated
nominated_from: nps
email: lena.fischer@nordsee-logistik.example
nps: 10
last_contact: 2026-11-04
tags:
- nps-promoter"
check_eq "subject" "refctl: import survey.csv: 1 added, 0 updated" "$(git log -1 --format=%s)"
run refctl list --status nominated --fields id,nominated_from --format tsv
check_contains "list shows where she came from" "lena-fischer-nordsee-logistik-gmbh	nps" "$out"

test_case "a promoter without a company cannot be nominated; bad scores and dates are invalid rows"
cat >s2.csv <<'EOF'
Response ID,Response Date,Email,Name,Company,How likely are you to recommend Acme to a friend or colleague?
R1,2026-11-10,newbie@example.com,Nia Newbie,,9
R2,2026-11-10,marta.navarro@universidad-de-levante.example,Marta Navarro,,eleven
R3,yesterday,sophie.whitaker@pennine-logistics-ltd.example,,,8
R4,2026-11-10,oliver.hughes@thameside-water-plc.example,,,
EOF
before=$(commit_count)
run refctl import --nominate --rules "$rules/nps.yaml" s2.csv
check_rc 2
check_eq "messages" "error: s2.csv:2:5: company is empty, and a new advocate needs one (company: Company)
error: s2.csv:3:6: nps must be an integer from 0 to 10
error: s2.csv:4:2: last_contact must be a date YYYY-MM-DD, not 'yesterday'
error: s2.csv:5:6: no score (How likely are you to recommend Acme to a friend or colleague?)
error: s2.csv: 4 invalid rows; nothing imported (--skip-invalid imports the others)" "$err"
check_eq "no commit" "$before" "$(commit_count)"

test_case "an NPS rules file needs the score and the date"
printf 'kind: nps\nfields:\n  email: Email\n  nps: Score\n' >bad.yaml
run refctl import --rules bad.yaml survey.csv
check_rc 2
check_eq "message" "error: bad.yaml:3:3: an NPS import needs nps (the score) and last_contact (the response date) among its fields" "$err"

finish
