#!/bin/bash
# refctl import of CRM exports: a Salesforce contact report, a HubSpot export
# with a byte-order mark, a semicolon-separated Excel export with CRLF in
# Windows-1252; the YAML they leave, one commit, the no-op re-import, the
# fields the rules do not own, and --dry-run.
. "$(dirname "$0")/lib.sh"

data="$REFCTL_SRC/tests/cli/import-data"
rules="$REFCTL_SRC/examples/import"

# example_repo NAME: the example program, committed, in $TEST_ROOT/NAME; cd into it.
example_repo() {
	new_repo "$1"
	cp -r "$REFCTL_SRC/examples/program/advocates" .
	git add advocates && git commit -qm "the example program"
}

# changed_lines FILE: the lines the last commit removed and added in FILE.
changed_lines() {
	git diff HEAD~1 HEAD -U0 -- "$1" | grep -v '^\(---\|+++\) \|^@@\|^diff \|^index '
}

example_repo sf
cp "$data/salesforce-contacts.csv" .
before=$(commit_count)

test_case "a Salesforce contact report: 2 added, 3 updated, in one commit"
run refctl import --rules "$rules/salesforce.yaml" salesforce-contacts.csv
check_rc 0
check_eq "summary" "imported salesforce-contacts.csv: 2 added, 3 updated, 0 unchanged" "$out"
check_eq "quiet" "" "$err"
check_eq "one commit" "$((before + 1))" "$(commit_count)"
check_eq "subject" "refctl: import salesforce-contacts.csv: 2 added, 3 updated" "$(git log -1 --format=%s)"
check_eq "body" "add mary-ann-oneill-shamrock-insurance-dac (row 4)
add camila-ortega-grupo-andino-s-a (row 6)
update jurgen-muller-arzte-ag (row 2): crm_id, account_id, account_value
update sophie-whitaker-pennine-logistics-ltd (row 3): crm_id, title, phone, account_id, account_value, products
update kenji-watanabe-hoshino-precision-kk (row 5): crm_id, title, phone, account_id, account_owner" \
	"$(git log -1 --format=%b)"
check_eq "exactly the changed files" "advocates/camila-ortega-grupo-andino-s-a.yaml
advocates/jurgen-muller-arzte-ag.yaml
advocates/kenji-watanabe-hoshino-precision-kk.yaml
advocates/mary-ann-oneill-shamrock-insurance-dac.yaml
advocates/sophie-whitaker-pennine-logistics-ltd.yaml" "$(git show --name-only --format= HEAD | sort)"
check_eq "work tree clean" "" "$(git status --porcelain -- advocates)"

test_case "a new advocate: template, country and language names, value maps, US dates, defaults"
check_file "new file" advocates/mary-ann-oneill-shamrock-insurance-dac.yaml "id: mary-ann-oneill-shamrock-insurance-dac
name: Mary Ann O'Neill
company: Shamrock Insurance DAC
status: nominated
title: Director, Customer Experience
email: maryann.oneill@shamrock-insurance.example
phone: +353 1 555 0143
crm_id: 0035g00000QzW1cAAF
account_id: 0015g00000LmN3dAAE
account_value: 92000000
account_owner: Fatima Haddad
industry: financial-services
country: IE
since: 2026-11-14
languages:
- en
- ga
products:
- crm
- billing
tags:
- from-salesforce"
# a comma inside a quoted cell, and no phone
check_file "quoted comma, empty cells left out" advocates/camila-ortega-grupo-andino-s-a.yaml "id: camila-ortega-grupo-andino-s-a
name: Camila Ortega
company: Grupo Andino, S.A.
status: nominated
title: Gerente de Operaciones
email: camila.ortega@grupo-andino.example
crm_id: 0035g00000QzW1eAAF
account_id: 0015g00000LmN3fAAE
account_value: 7300000
account_owner: Gabriela Souza
industry: retail
country: CL
since: 2026-09-30
languages:
- es
products:
- billing
tags:
- from-salesforce"

test_case "an update changes only the owned fields that differ; hand-kept fields survive"
check_eq "sophie: found by email, only these lines" "-title: VP Operations
+title: VP Logistics
-phone: +44 20 7041 4919
-account_value: 48000
+phone: +44 113 496 0112
+crm_id: 0035g00000QzW1bAAF
+account_id: 0015g00000LmN3cAAE
+account_value: 18500000
+- analytics" "$(changed_lines advocates/sophie-whitaker-pennine-logistics-ltd.yaml)"
# Kenji's row says Japanese only and a 'Reference Since' left empty: languages
# and since are not owned, so [ja, en] and 2025-12-12 stay
check_eq "kenji: languages and since are not owned" "-title: Plant Operations Director
+title: General Manager, Plant Systems
-phone: +81 3 1681 6743
-account_owner: Deepa Rao
+phone: +81 3 5555 0187
+crm_id: 0035g00000QzW1dAAF
+account_id: 0015g00000LmN3eAAE
+account_owner: Hiro Tanaka" "$(changed_lines advocates/kenji-watanabe-hoshino-precision-kk.yaml)"
check_eq "requests, rewards, consent, notes, status untouched" \
	"$(git show HEAD~1:advocates/sophie-whitaker-pennine-logistics-ltd.yaml | sed -n '/^status:/p;/^notes:/p;/^activities:/,$p')" \
	"$(sed -n '/^status:/p;/^notes:/p;/^activities:/,$p' advocates/sophie-whitaker-pennine-logistics-ltd.yaml)"
run refctl check
check_rc 0

test_case "importing the same file again changes nothing and makes no commit"
before=$(commit_count)
run refctl import --rules "$rules/salesforce.yaml" salesforce-contacts.csv
check_rc 0
check_eq "summary" "imported salesforce-contacts.csv: 0 added, 0 updated, 5 unchanged; nothing to commit" "$out"
check_eq "no commit" "$before" "$(commit_count)"
check_eq "nothing written" "" "$(git status --porcelain -- advocates)"

test_case "hand edits survive a re-import; an owned field edited by hand is set back"
refctl set sophie-whitaker-pennine-logistics-ltd notes="Met at the user group" title="Queen of Logistics" >/dev/null
run refctl import --rules "$rules/salesforce.yaml" salesforce-contacts.csv
check_eq "summary" "imported salesforce-contacts.csv: 0 added, 1 updated, 4 unchanged" "$out"
check_eq "only the owned field" "-title: Queen of Logistics
+title: VP Logistics" "$(changed_lines advocates/sophie-whitaker-pennine-logistics-ltd.yaml)"
check_contains "notes kept" "notes: Met at the user group" "$(cat advocates/sophie-whitaker-pennine-logistics-ltd.yaml)"

test_case "--dry-run shows adds, changes with old and new values, unchanged and invalid rows; writes nothing"
new_repo dry
refctl add --name "Ann Lee" --company Initech --email ann@initech.example --crm-id 003A --title CTO \
	--product analytics >/dev/null
refctl add --name "Bo Chen" --company Globex --email bo@globex.example --crm-id 003B >/dev/null
cat >dry.yaml <<'EOF'
fields:
  crm_id: Id
  name: "{First} {Last}"
  company: Account
  email: Email
  title: Title
  products: Products
  country: Country
owns: [title, products, country]
EOF
printf '%s\r\n' "Id,First,Last,Account,Email,Title,Products,Country" \
	"003A,Ann,Lee,Initech,ann@initech.example,VP Engineering,analytics;billing,Canada" \
	"003B,Bo,Chen,Globex,bo@globex.example,,," \
	"003C,Cy,Dahl,Umbrella,cy@umbrella.example,CFO,,Norway" \
	"003D,Di,Eno,Hooli,di@hooli.example,COO,,Narnia" >dry.csv
before=$(commit_count)
run refctl import --dry-run --rules dry.yaml dry.csv
check_rc 2 "invalid rows make a dry run exit 2"
check_eq "plan" "update ann-lee-initech (row 2)
    title: CTO -> VP Engineering
    products: analytics -> analytics;billing
    country: (none) -> CA
unchanged bo-chen-globex (row 3)
add cy-dahl-umbrella (row 4)
    name: Cy Dahl
    company: Umbrella
    status: nominated
    title: CFO
    email: cy@umbrella.example
    crm_id: 003C
    country: NO
invalid dry.csv:5:8: country must be an ISO 3166 alpha-2 code such as DE, not 'Narnia'
dry run of dry.csv: 1 added, 1 updated, 1 unchanged, 1 invalid; nothing written" "$out"
check_eq "why it stopped" "error: dry.csv: 1 invalid row; nothing imported (--skip-invalid imports the others)" "$err"
check_eq "no commit" "$before" "$(commit_count)"
check_eq "nothing written" "" "$(git status --porcelain -- advocates)"
run refctl import --dry-run --skip-invalid --rules dry.yaml dry.csv
check_rc 0
check_eq "with --skip-invalid" "dry run of dry.csv: 1 added, 1 updated, 1 unchanged, 1 skipped; nothing written" \
	"$(printf '%s\n' "$out" | tail -1)"
check_eq "still nothing written" "" "$(git status --porcelain -- advocates)"

test_case "a HubSpot export with a byte-order mark: names and codes, empty: keep"
example_repo hs
cp "$data/hubspot-contacts.csv" .
before=$(commit_count)
run refctl import --rules "$rules/hubspot.yaml" hubspot-contacts.csv
check_rc 0
check_eq "summary" "imported hubspot-contacts.csv: 2 added, 2 updated, 0 unchanged" "$out"
check_eq "one commit" "$((before + 1))" "$(commit_count)"
check_eq "subject" "refctl: import hubspot-contacts.csv: 2 added, 2 updated" "$(git log -1 --format=%s)"
# the byte-order mark is no part of the first column's name: Record ID feeds crm_id
check_file "Deutschland, de, Utilities" advocates/tobias-brandt-nordwerk-energie-gmbh.yaml "id: tobias-brandt-nordwerk-energie-gmbh
name: Tobias Brandt
company: Nordwerk Energie GmbH
status: nominated
title: Leiter IT-Infrastruktur
email: tobias.brandt@nordwerk-energie.example
phone: +49 40 555 0133
crm_id: \"51234567803\"
account_id: \"9876543203\"
account_owner: Lars Eriksen
industry: energy
country: DE
languages:
- de
tags:
- from-hubspot"
check_match "English;Yoruba" "^- yo$" "$(cat advocates/ngozi-okafor-lagoon-telecom-plc.yaml)"
# Léa's row has no phone: with empty: keep, hers stays
check_eq "lea: an empty cell keeps the field" "-title: Chief Digital Officer
+title: Directrice du numérique
-account_owner: Dana Reyes
+crm_id: \"51234567802\"
+account_id: \"9876543202\"
+account_owner: Lars Eriksen" "$(changed_lines advocates/lea-moreau-metropole-de-valmont.yaml)"
run refctl import --rules "$rules/hubspot.yaml" hubspot-contacts.csv
check_eq "re-import" "imported hubspot-contacts.csv: 0 added, 0 updated, 4 unchanged; nothing to commit" "$out"
check_eq "no commit" "$((before + 1))" "$(commit_count)"
run refctl check
check_rc 0

test_case "an owned field's empty cell clears it unless the rules say empty: keep"
cat >clear.yaml <<'EOF'
fields:
  email: Email
  phone: Phone
EOF
printf 'Email,Phone\nlea.moreau@metropole-de-valmont.example,\n' >clear.csv
run refctl import --rules clear.yaml clear.csv
check_eq "summary" "imported clear.csv: 0 added, 1 updated, 0 unchanged" "$out"
check_eq "phone cleared" "-phone: +33 1 65 57 40 54" "$(changed_lines advocates/lea-moreau-metropole-de-valmont.yaml)"

test_case "a semicolon-separated Excel export with CRLF in Windows-1252"
new_repo xl
cp "$data/excel-semicolon.csv" "$data/excel-de.yaml" .
run refctl import --rules excel-de.yaml excel-semicolon.csv
check_rc 0
check_eq "summary" "imported excel-semicolon.csv: 3 added, 0 updated, 0 unchanged" "$out"
# a quoted CRLF is one newline in the notes; German dates; German names
check_file "quoted newline, converted text" advocates/jurgen-muller-arzte-ag.yaml "id: jurgen-muller-arzte-ag
name: Jürgen Müller
company: Ärzte AG
status: nominated
title: Leiter Einkauf
email: jurgen.muller@arzte-ag.example
phone: +49 66 1921693
crm_id: K-1001
industry: healthcare
country: DE
since: 2026-07-23
notes: |-
  Bevorzugt Anrufe am Vormittag
  Assistenz: Frau Weiß
languages:
- de
- en"
check_contains "a quoted ';', and the euro sign of Windows-1252" "notes: 'Budget 2027: 250.000 €; Entscheidung im März'" \
	"$(cat advocates/grete-strasser-alpenblick-hotels-gmbh.yaml)"
check_contains "Schweiz is CH" "country: CH" "$(cat advocates/elodie-favre-banque-lemanique-sa.yaml)"
run refctl import --rules excel-de.yaml excel-semicolon.csv
check_eq "re-import" "imported excel-semicolon.csv: 0 added, 0 updated, 3 unchanged; nothing to commit" "$out"

test_case "Windows-1252 without encoding: in the rules is refused at its row and column"
new_repo xl2
cp "$data/excel-semicolon.csv" .
grep -v '^encoding:' "$data/excel-de.yaml" >excel-utf8.yaml
before=$(commit_count)
run refctl import --rules excel-utf8.yaml excel-semicolon.csv
check_rc 2
check_eq "message" "error: excel-semicolon.csv:2:2: the cell is not UTF-8 (byte 0xFC); if the file is in another encoding, name it in the rules (encoding: windows-1252)" "$err"
check_eq "nothing written" "$before" "$(commit_count)"
check_eq "no file" "" "$(ls advocates)"

test_case "standard input, and an id derived as add derives it"
new_repo stdin
refctl add --name "Ann Lee" --company Initech >/dev/null
printf 'name,company,email\nAnn Lee,Initech,ann2@initech.example\n' >in.csv
run_in in.csv refctl import -m "From the partner list" -
check_rc 0
check_eq "summary" "imported <stdin>: 1 added, 0 updated, 0 unchanged" "$out"
check_eq "subject" "refctl: import <stdin>: 1 added, 0 updated" "$(git log -1 --format=%s)"
check_eq "body ends with -m" "add ann-lee-initech-2 (row 2)

From the partner list" "$(git log -1 --format=%b)"
check_true "the next free id" test -f advocates/ann-lee-initech-2.yaml

test_case "--no-commit writes the files and leaves the commit to you"
printf 'name,company,email\nCy Dahl,Umbrella,cy@umbrella.example\n' >nc.csv
before=$(commit_count)
run refctl import --no-commit nc.csv
check_rc 0
check_eq "no commit" "$before" "$(commit_count)"
check_eq "the file, untracked" "?? advocates/cy-dahl-umbrella.yaml" "$(git status --porcelain -- advocates)"

test_case "the README's rules examples are the files under examples/import/, which these tests run"
for f in salesforce hubspot nps; do
	check_eq "$f.yaml" "$(cat "$rules/$f.yaml")" "$(awk -v m="<!-- examples/import/$f.yaml -->" '
		$0 == m { found = 1; next }
		found == 1 && /^```yaml$/ { found = 2; next }
		found == 2 && /^```$/ { exit }
		found == 2 { print }' "$REFCTL_SRC/README.md")"
done

finish
