#!/bin/bash
# refctl export: every field, as import reads it back; the round trip on the
# example program with and without rules; formula cells neutralised and
# read back exactly.
. "$(dirname "$0")/lib.sh"

rules="$REFCTL_SRC/examples/import"
header="id,name,company,status,nominated_from,title,email,phone,crm_id,account_id,account_value,referred_by,account_owner,industry,region,country,segment,since,nps,health,last_contact,notes,languages,products,use_cases,activities,programs,tags,consent.until,consent.scope,limits.per_quarter,limits.rest_days"

new_repo ex
refctl add --name "Zoë Quinn" --company "Quinn & Co, Ltd" --status active --title "@admin" \
	--phone "+49 30 1234567" --notes "$(printf 'Line one\nLine "two"')" --product analytics --product "=cmd" \
	--tag - --tag +1 --language de --country DE --nps 9 --since 2026-01-02 --account-value 1234.5 \
	--consent-until 2027-01-01 --per-quarter 2 --email zoe@quinn.example >/dev/null

test_case "every field that fits a cell, lists joined by ';', formulas neutralised"
run refctl export
check_rc 0
check_eq "CSV with CRLF" "$header"$'\r'"
zoe-quinn-quinn-co-ltd,Zoë Quinn,\"Quinn & Co, Ltd\",active,,'@admin,zoe@quinn.example,'+49 30 1234567,,,1234.50,,,,,DE,,2026-01-02,9,,,\"Line one
Line \"\"two\"\"\",de,analytics;=cmd,,,,'-;+1,2027-01-01,,2,"$'\r' "$out"

test_case "what export wrote, import reads back exactly: a no-op"
refctl export >zoe.csv
before=$(commit_count)
run refctl import zoe.csv
check_rc 0
check_eq "unchanged" "imported zoe.csv: 0 added, 0 updated, 1 unchanged; nothing to commit" "$out"
check_eq "no commit" "$before" "$(commit_count)"
refctl export --format tsv >zoe.tsv
run refctl import zoe.tsv
check_eq "TSV too" "imported zoe.tsv: 0 added, 0 updated, 1 unchanged; nothing to commit" "$out"
check_eq "TSV quotes the cell with a newline" "zoe-quinn-quinn-co-ltd	Zoë Quinn	Quinn & Co, Ltd	active		'@admin	zoe@quinn.example	'+49 30 1234567			1234.50					DE		2026-01-02	9			\"Line one" \
	"$(sed -n 2p zoe.tsv)"

test_case "a value that starts with ' before a formula gets one ' more, and comes back"
refctl set zoe-quinn-quinn-co-ltd "title='=1+1" "company='quoted" >/dev/null
refctl export >q.csv
check_contains "one more '" ",''=1+1," "$(cat q.csv)"
check_contains "a ' before plain text stays as it is" ",'quoted," "$(cat q.csv)"
run refctl import q.csv
check_eq "unchanged" "imported q.csv: 0 added, 0 updated, 1 unchanged; nothing to commit" "$out"

test_case "--raw-csv writes cells as stored; import then refuses the formulas unless --raw-csv too"
refctl --raw-csv export >raw.csv
check_contains "raw title" ",'=1+1,zoe@quinn.example,+49 30 1234567," "$(cat raw.csv)"
run refctl --raw-csv import raw.csv
check_eq "read as stored" "imported raw.csv: 0 added, 0 updated, 1 unchanged; nothing to commit" "$out"
refctl set zoe-quinn-quinn-co-ltd "title=@admin" >/dev/null
refctl --raw-csv export >raw2.csv
run refctl import raw2.csv
check_rc 2
check_contains "refused" "error: raw2.csv:2:6: '@admin' is a spreadsheet formula" "$err"

test_case "filters, as list's; JSON"
cd "$TEST_ROOT" && rm -rf prog && refctl init prog >/dev/null && cd prog
cp -r "$REFCTL_SRC/examples/program/advocates" .
git add advocates && git commit -qm "the example program"
run refctl export --status paused --format tsv
check_rc 0
check_eq "one paused advocate" "$(printf '%s' "$header" | tr , '\t')
erik-lindqvist-skargarden-energi-ab	Erik Lindqvist	Skärgården Energi AB	paused		Director of Metering Operations	erik.lindqvist@skargarden-energi-ab.example	'+46 8 958 499 19					Dana Reyes	energy	emea	SE	mid-market	2023-12-30	10	yellow	2026-08-02			billing	supply-chain-visibility;revenue-recognition;demand-forecasting	reference-call;quote;community	champions-club;emea-references	champion;vip	2027-07-12	name;logo;quote;video		" "$out"
run refctl export --format json
check_eq "whole records" "45 12 Fatima Haddad" \
	"$(printf '%s' "$out" | jq -r '"\(length) \(.[0].requests | length) \(.[0].account_owner)"')"
run refctl export --format json --rules "$rules/hubspot.yaml" --status paused
check_eq "the rules' columns" '["Record ID","First Name","Last Name","Email","Phone Number","Job Title","Company Name","Country/Region","Industry","Preferred language","Contact owner","Associated Company ID"] Utilities' \
	"$(printf '%s' "$out" | jq -c '[.[0] | keys_unsorted, .Industry]' | sed 's/^\[\(.*\),"\(.*\)"\]$/\1 \2/')"
run refctl export --format yaml
check_rc 2
check_contains "bad format" "unknown format 'yaml' (expected tsv, csv, json)" "$err"
run refctl export extra
check_rc 2

test_case "the round trip on the example program: export, then import, changes nothing"
before=$(commit_count)
for fmt in csv tsv; do
	refctl export --format $fmt >all.$fmt
	run refctl import all.$fmt
	check_rc 0
	check_eq "$fmt" "imported all.$fmt: 0 added, 0 updated, 45 unchanged; nothing to commit" "$out"
done
for r in salesforce hubspot; do
	refctl export --rules "$rules/$r.yaml" >$r.csv
	run refctl import --rules "$rules/$r.yaml" $r.csv
	check_rc 0
	check_eq "with the $r rules" "imported $r.csv: 0 added, 0 updated, 45 unchanged; nothing to commit" "$out"
done
check_eq "no commit" "$before" "$(commit_count)"
check_eq "nothing written" "" "$(git status --porcelain -- advocates)"
check_eq "salesforce's columns" "Contact ID,First Name,Last Name,Title,Email,Phone,Mailing Country,Account ID,Account Name,Industry,Account Owner,Annual Revenue,Languages,Products Owned,Reference Since" \
	"$(head -1 salesforce.csv | tr -d '\r')"
check_eq "a row: value maps read backwards, the name split" ",Amelia,Wright,Head of Payments,amelia.wright@kingsgate-bank-plc.example,'+44 20 7486 0795,GB,,Kingsgate Bank plc,Banking,Fatima Haddad,150000,en,CRM,2026-07-31" \
	"$(sed -n 2p salesforce.csv | tr -d '\r')"

test_case "export into an empty program gives back every field but the requests, referrals, rewards and content"
cd "$TEST_ROOT" && refctl init copy >/dev/null && cd copy
run refctl import ../prog/all.csv
check_rc 0
check_eq "summary" "imported ../prog/all.csv: 45 added, 0 updated, 0 unchanged" "$out"
same=0
for f in "$REFCTL_SRC"/examples/program/advocates/*.yaml; do
	if [ "$(sed '/^\(requests\|referrals\|rewards\|content\):/,$d' "$f")" = "$(cat "advocates/$(basename "$f")")" ]; then
		same=$((same + 1))
	else
		fail_check "$(basename "$f") differs" "$(diff <(sed '/^\(requests\|referrals\|rewards\|content\):/,$d' "$f") "advocates/$(basename "$f")")"
	fi
done
check_eq "45 files identical" 45 "$same"

test_case "a value the rules would not give back is an error, not a silent loss"
cd "$TEST_ROOT/ex"
refctl add --name "Al Ma" --company Co --industry banking --tag "a;b" >/dev/null
cat >m.yaml <<'EOF'
fields:
  email: Email
  industry: Industry
values:
  industry:
    Banking: financial-services
EOF
run refctl export --rules m.yaml
check_rc 2
check_eq "message" "error: advocates/al-ma-co.yaml: industry would not come back the same from the export (import would read 'financial-services' for 'banking'); check the rules' values and templates for industry" "$err"
run refctl export
check_rc 2
check_eq "an item holding the separator" "error: advocates/al-ma-co.yaml: tags: the item 'a;b' holds the list separator ';' (choose another: separator: in the rules)" "$err"

finish
