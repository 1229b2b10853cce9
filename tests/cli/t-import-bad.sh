#!/bin/bash
# refctl import of bad input: every class of invalid row, named by
# FILE:ROW:COLUMN, and every bad file: exit 2 and nothing written, or with
# --skip-invalid the rest imported and the rest listed.
. "$(dirname "$0")/lib.sh"

new_repo bad
refctl add --name "Ann Lee" --company Initech --email ann@initech.example --crm-id 003A >/dev/null
refctl add --name "Bo Chen" --company Globex --email bo@globex.example --crm-id 003B >/dev/null

# nothing_written BEFORE: no commit since BEFORE, no file changed or added.
nothing_written() {
	check_eq "no commit" "$1" "$(commit_count)"
	check_eq "no file written" "" "$(git status --porcelain -- advocates)"
}

cat >bad.yaml <<'EOF2'
key: [crm_id, email]
fields:
  crm_id: Id
  name: "{First} {Last}"
  company: Account
  email: Email
  status: Stage
  since: Since
  country: Country
  notes: Notes
EOF2
{
	printf '%s\n' 'Id,First,Last,Account,Email,Stage,Since,Country,Notes'
	printf '%s\n' '003C,Cy,Dahl,Umbrella,cy@umbrella.example,Active,2026-01-05,Norway,'
	printf '%s\n' '003D,Di,Eno,Hooli,di@hooli.example,activ,,,'
	printf '%s\n' '003E,Ed,Fox,Acme,ed@acme.example,,2026-02-30,,'
	printf '%s\n' '003F,Flo,Gu,Acme,flo@acme.example,,,Germny,'
	printf '%s\n' '003C,Cy,Dahl,Umbrella,cy2@umbrella.example,,,,'
	printf '%s\n' ',Gil,Ho,Acme,,,,,'
	printf '%s\n' '003A,Ann,Lee,Initech,bo@globex.example,,,,'
	printf '%s\n' "003H,Ivy,Jo,Acme,ivy@acme.example,,,,@SUM(1+1)*cmd|' /C calc'!A0"
	printf '%s\n' '003I,Jo,Ka'
	printf '%s\n' '003J,,,,,,,,'
	printf '%s\n' '003K,Kim,Lo,Acme,kim@acme.example,,,,-2+3'
} >bad.csv

test_case "every class of invalid row is named by FILE:ROW:COLUMN; nothing is written"
before=$(commit_count)
run refctl import --rules bad.yaml bad.csv
check_rc 2
check_eq "" "" "$out"
check_eq "messages" "error: bad.csv:3:6: status must be one of nominated, active, paused or retired, not 'activ'
error: bad.csv:4:7: since must be a date YYYY-MM-DD, not '2026-02-30'
error: bad.csv:5:8: country must be an ISO 3166 alpha-2 code such as DE, not 'Germny'
error: bad.csv:6:1: crm_id 003C is also on row 2
error: bad.csv:7:1: no key: the row's crm_id and email are empty
error: bad.csv:8:5: the key finds two advocates: 'ann-lee-initech' and 'bo-chen-globex' (email bo@globex.example)
error: bad.csv:9:9: '@SUM(1+1)*cmd|' /C calc'!A0' is a spreadsheet formula; refctl reads values, not formulas (make the cell text, or write it with a leading ')
error: bad.csv:10:4: the row has 3 cells, the header 9
error: bad.csv:11:2: name is empty, and a new advocate needs one (name: {First} {Last})
error: bad.csv:11:4: company is empty, and a new advocate needs one (company: Account)
error: bad.csv:12:9: '-2+3' is a spreadsheet formula; refctl reads values, not formulas (make the cell text, or write it with a leading ')
error: bad.csv: 10 invalid rows; nothing imported (--skip-invalid imports the others)" "$err"
nothing_written "$before"

test_case "--skip-invalid imports the other rows and lists what it skipped"
run refctl import --skip-invalid --rules bad.yaml bad.csv
check_rc 0
check_eq "summary" "imported bad.csv: 1 added, 0 updated, 0 unchanged, 10 skipped" "$out"
check_eq "the first skipped" "warning: bad.csv:3:6: status must be one of nominated, active, paused or retired, not 'activ' (row skipped)" \
	"$(printf '%s\n' "$err" | head -1)"
check_eq "every one listed" 11 "$(printf '%s\n' "$err" | grep -c '(row skipped)$')"
check_eq "one commit" "$((before + 1))" "$(commit_count)"
check_eq "the valid row" "id: cy-dahl-umbrella
name: Cy Dahl
company: Umbrella
status: active
email: cy@umbrella.example
crm_id: \"003C\"
country: \"NO\"
since: 2026-01-05" "$(cat advocates/cy-dahl-umbrella.yaml)"
check_eq "body" "add cy-dahl-umbrella (row 2)
skipped 10 invalid rows" "$(git log -1 --format=%b)"

test_case "a unique value another advocate has"
cat >u.yaml <<'EOF2'
key: crm_id
fields:
  crm_id: Id
  email: Email
EOF2
printf 'Id,Email\n003B,ANN@initech.example\n' >u.csv
before=$(commit_count)
run refctl import --rules u.yaml u.csv
check_rc 2
check_eq "message" "error: u.csv:2:2: email ANN@initech.example is already used by advocate 'ann-lee-initech'" \
	"$(printf '%s\n' "$err" | head -1)"
nothing_written "$before"

test_case "an advocate file with a comment is not rewritten"
printf '# keep me\nid: dee\nname: Dee\ncompany: Co\nstatus: active\ncrm_id: 003Z\n' >advocates/dee.yaml
git add advocates/dee.yaml && git commit -qm "hand-written dee"
printf 'Id,Email\n003Z,dee@co.example\n' >c.csv
before=$(commit_count)
run refctl import --rules u.yaml c.csv
check_rc 2
check_eq "message" "error: c.csv:2: advocates/dee.yaml:1 has a comment, which rewriting it would lose; move it into notes:" \
	"$(printf '%s\n' "$err" | head -1)"
nothing_written "$before"

test_case "ids and templates that would leave advocates/ are refused"
printf 'id,name,company\n../../etc/passwd,Eve,Evil\n' >path.csv
cat >tpl.yaml <<'EOF2'
key: id
fields:
  id: "{Team}/{Login}"
  name: Name
  company: Company
EOF2
printf 'Team,Login,Name,Company\nsales,..,Eve,Evil\n' >tpl.csv
before=$(commit_count)
run refctl import path.csv
check_rc 2
check_eq "no-rules id" "error: path.csv:2:1: id '../../etc/passwd' must be lowercase letters, digits and '-' (at most 63, not starting with '-')" \
	"$(printf '%s\n' "$err" | head -1)"
run refctl import --rules tpl.yaml tpl.csv
check_rc 2
check_eq "template id" "error: tpl.csv:2:1: id 'sales/..' must be lowercase letters, digits and '-' (at most 63, not starting with '-')" \
	"$(printf '%s\n' "$err" | head -1)"
nothing_written "$before"
check_true "nothing outside" test ! -e "$TEST_ROOT/etc"

test_case "an empty file, a header only, duplicate and missing key columns, unknown columns"
before=$(commit_count)
: >empty.csv
run refctl import empty.csv
check_rc 2
check_eq "empty" "error: empty.csv:1:1: the file is empty: expected a header row and rows" "$err"
printf '\xef\xbb\xbf\r\n' >blank.csv
run refctl import blank.csv
check_eq "a byte-order mark and a blank line are empty too" "error: blank.csv:1:1: the file is empty: expected a header row and rows" "$err"
printf 'name,company,email\r\n' >header.csv
run refctl import header.csv
check_rc 2
check_eq "header only" "error: header.csv:2:1: no rows after the header" "$err"
printf 'Id,Email,Email\n003X,x@y.example,x@y.example\n' >dup.csv
run refctl import --rules u.yaml dup.csv
check_rc 2
check_eq "duplicate key column" "error: dup.csv:1:3: column 'Email' is in the header twice (columns 2 and 3)" "$err"
printf 'First,Email\nAnn,a@b.example\n' >miss.csv
run refctl import --rules u.yaml miss.csv
check_rc 2
check_eq "missing key column" "error: miss.csv:1: no column 'Id' in the header (crm_id: Id, in u.yaml)" "$err"
printf 'name,company,favourite\nAnn,Initech,blue\n' >unk.csv
run refctl import unk.csv
check_rc 2
check_eq "unknown column" "error: unk.csv:1:3: unknown column 'favourite': without --rules the header names refctl's fields as 'refctl export' writes them (see 'refctl schema')" "$err"
printf 'name,company\nAnn,Initech\n' >nokey.csv
run refctl import nokey.csv
check_rc 2
check_eq "no key column" "error: nokey.csv:1: the header has no column that identifies an advocate (id, crm_id or email)" "$err"
printf 'email,name,email\na@b.example,A,a@b.example\n' >twice.csv
run refctl import twice.csv
check_eq "a field twice" "error: twice.csv:1:3: column 'email' is in the header twice" "$err"
nothing_written "$before"

test_case "stray and open quotes, NUL bytes, a 1 MiB cell"
before=$(commit_count)
printf 'name,company,email\nAnn,"Ini"tech,a@b.example\n' >q.csv
run refctl import q.csv
check_rc 2
check_eq "stray quote" "error: q.csv:2:2: a quote inside an unquoted cell, or text after a closing quote (quote the whole cell and double each quote in it)" "$err"
printf 'name,company,email\nAnn,Initech,"a@b.example\nBo,Globex,b@c.example\n' >open.csv
run refctl import open.csv
check_eq "open quote" "error: open.csv:2:3: a quoted cell is not closed (a '\"' is missing)" "$err"
printf 'name,company,email\nAnn,Ini\0tech,a@b.example\n' >nul.csv
run refctl import nul.csv
check_rc 2
check_eq "NUL" "error: nul.csv:2:2: a NUL byte in the cell (is this a text file?)" "$err"
{ printf 'name,company,email\nAnn,'; head -c 1048576 /dev/zero | tr '\0' x; printf ',a@b.example\n'; } >cell.csv
run refctl import cell.csv
check_rc 2
check_eq "1 MiB cell" "error: cell.csv:2:2: a cell of 1048576 bytes is over the limit of 65536" "$err"
nothing_written "$before"

test_case "a 100 MB file is refused at the row where it crosses 64 MiB"
# 16 bytes of header, then rows of 64 bytes: 67108864 - 16 = 64 * 1048575 + 48,
# so the limit falls 48 bytes into row 1048577, in its third cell
awk 'BEGIN {
	printf "id,name,company\n"
	for (i = 0; i < 1600000; i++) printf "a%019d,Name%016d,Company%014d\n", i, i, i
}' >big.csv
before=$(commit_count)
run refctl import big.csv
check_rc 2
check_eq "message" "error: big.csv:1048577:3: the input is over the limit of 64 MiB" "$err"
nothing_written "$before"
rm -f big.csv

test_case "a rules file is checked before any row"
cat >r1.yaml <<'EOF2'
fields:
  email: Email
  favourite: Colour
EOF2
run refctl import --rules r1.yaml u.csv
check_rc 2
check_eq "unknown field" "error: r1.yaml:3:3: unknown field 'favourite' (the fields are those of 'refctl schema')" "$err"
printf 'fields:\n  email: Email\nkey: name\n' >r2.yaml
run refctl import --rules r2.yaml u.csv
check_eq "a key that is not among the fields" "error: r2.yaml:3:6: key: 'name' is not among the fields the rules feed" "$err"
printf 'fields:\n  email: Email\n  title: Title\nkey: title\n' >r3.yaml
run refctl import --rules r3.yaml u.csv
check_eq "a key that identifies nobody" "error: r3.yaml:4:6: key: 'title' does not identify an advocate (the key is id or a unique field: crm_id, email)" "$err"
printf 'fields:\n  email: Email\n  name: "{First {Last}"\n' >r4.yaml
run refctl import --rules r4.yaml u.csv
check_eq "a bad template" "error: r4.yaml:3:3: name: a template names each column as {Column}, not '{First {Last}'" "$err"
printf 'encoding: klingon\nfields:\n  email: Email\n' >r5.yaml
run refctl import --rules r5.yaml u.csv
check_eq "an unknown encoding" "error: r5.yaml:1:11: unknown encoding 'klingon' (such as UTF-8, windows-1252, ISO-8859-1)" "$err"
printf 'fields:\n  email: Email\ndefaults:\n  status: hired\n' >r6.yaml
run refctl import --rules r6.yaml u.csv
check_eq "a bad default" "error: r6.yaml:4:11: defaults: status must be one of nominated, active, paused or retired, not 'hired'" "$err"
printf 'fields:\n  email: Email\nowns: [id]\n' >r7.yaml
run refctl import --rules r7.yaml u.csv
check_eq "owns names a field the rules do not feed" "error: r7.yaml:3:8: owns: 'id' is not among the fields the rules feed" "$err"
printf 'fields:\n  email: Email\nmapping: {}\n' >r8.yaml
run refctl import --rules r8.yaml u.csv
check_rc 2
check_contains "an unknown key" "error: r8.yaml:3:1: unknown key 'mapping'" "$err"

test_case "delimiter: in the rules wins over the one detected; columns the rules do not read may repeat"
cat >semi.yaml <<'EOF2'
delimiter: ";"
key: email
fields:
  email: E-Mail
  title: Titel, Rolle, Ebene, Team
EOF2
# three commas and two semicolons: detection alone would split on ','
printf 'E-Mail;Titel, Rolle, Ebene, Team;Notiz\nann@initech.example;CTO, IT;a\n' >semi.csv
run refctl import --dry-run --rules semi.yaml semi.csv
check_rc 0
check_eq "read with ;" "update ann-lee-initech (row 2)
    title: (none) -> CTO, IT
dry run of semi.csv: 0 added, 1 updated, 0 unchanged; nothing written" "$out"
printf 'Id,Email,Notes,Notes\n003B,bo@globex.example,a,b\n' >rep.csv
run refctl import --dry-run --rules u.yaml rep.csv
check_rc 0
check_eq "a repeated column nobody reads" "unchanged bo-chen-globex (row 2)
dry run of rep.csv: 0 added, 0 updated, 1 unchanged; nothing written" "$out"

test_case "an advocate file that does not load stops the import"
printf 'id: broken\nname: [\n' >advocates/broken.yaml
before=$(commit_count)
run refctl import --rules u.yaml u.csv
check_rc 2
check_match "names the file" "^error: advocates/broken.yaml:[0-9]+:[0-9]+: .*\(an import needs every advocate to load; run 'refctl check'\)$" "$err"
check_eq "no commit" "$before" "$(commit_count)"
rm advocates/broken.yaml

test_case "bad usage"
run refctl import
check_rc 2
check_contains "no file" "error: expected a FILE (or - for standard input)" "$err"
run refctl import a.csv b.csv
check_rc 2
run refctl import no-such.csv
check_rc 2
check_contains "missing file" "cannot open 'no-such.csv'" "$err"

finish
