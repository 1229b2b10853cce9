#!/bin/bash
# The canonical form is a fixed point (what fmt writes, fmt leaves alone);
# byte-order marks and CRLF line endings are read, converted by fmt only.
. "$(dirname "$0")/lib.sh"

new_repo prog

test_case "a multi-line plain scalar under an unknown key: one fmt writes it, the next finds nothing"
printf 'id: ann\nname: Ann\ncompany: Co\nstatus: active\nx-note: first\n\n  second\n' >advocates/ann.yaml
git add -A && git commit -qm "ann by hand"
run refctl fmt
check_rc 0
check_eq "rewritten" "advocates/ann.yaml" "$out"
check_file "as a literal block" advocates/ann.yaml 'id: ann
name: Ann
company: Co
status: active
x-note: |-
  first
  second'
before=$(commit_count)
run refctl fmt --check
check_rc 0
check_eq "check finds nothing" "" "$out"
run refctl fmt
check_rc 0
check_eq "fmt finds nothing" "" "$out"
check_eq "no commit" "$before" "$(commit_count)"

test_case "an empty key, plain or quoted, is written \"\" once and for all"
printf 'id: bo\nname: Bo\ncompany: Co\nstatus: active\n? \n: plain empty key\nx-map:\n  '"''"': quoted empty key\n' >advocates/bo.yaml
git add -A && git commit -qm "bo by hand"
run refctl fmt bo
check_rc 0
check_file "double-quoted" advocates/bo.yaml 'id: bo
name: Bo
company: Co
status: active
"": plain empty key
x-map:
  "": quoted empty key'
run refctl fmt --check bo
check_rc 0
check_eq "then canonical" "" "$out"

test_case "values a YAML 1.1 or 1.2 reader would type keep their type, and fmt is a fixed point"
cat >advocates/cy.yaml <<'YAML'
id: cy
name: Cy
company: Co
status: active
x-plain: [yes, no, on, off, y, n, ~, null, true, 1e3, 0x1F, 0o17, 012, .inf, .nan, 1_000, 2026-01-01, 12:30:00, 190:20:30, "."]
x-quoted: ["yes", "no", "on", "off", "y", "n", "~", "null", "true", "1e3", "0x1F", "0o17", "012", ".inf", ".nan", "1_000", "2026-01-01", "12:30:00", "190:20:30", "-."]
x-tricky: [" lead", "trail ", "a: b", "a #b", "- x", "@at", "`tick", "%pct", "!bang", "&amp", "*star", "|pipe", ">gt", "?q", "{c", "[s", "'s", "\"d", "---", "tab\there", "bell\a"]
'': empty
YAML
git add -A && git commit -qm "cy by hand"
run refctl fmt cy
check_rc 0
expected=$(cat <<'YAML'
id: cy
name: Cy
company: Co
status: active
x-plain:
- yes
- no
- on
- off
- y
- n
- ~
- null
- true
- 1e3
- 0x1F
- 0o17
- 012
- .inf
- .nan
- 1_000
- 2026-01-01
- 12:30:00
- 190:20:30
- "."
x-quoted:
- "yes"
- "no"
- "on"
- "off"
- "y"
- "n"
- "~"
- "null"
- "true"
- "1e3"
- "0x1F"
- "0o17"
- "012"
- ".inf"
- ".nan"
- "1_000"
- "2026-01-01"
- "12:30:00"
- "190:20:30"
- "-."
x-tricky:
- ' lead'
- 'trail '
- 'a: b'
- 'a #b'
- '- x'
- '@at'
- '`tick'
- '%pct'
- '!bang'
- '&amp'
- '*star'
- '|pipe'
- '>gt'
- ?q
- '{c'
- '[s'
- '''s'
- '"d'
- '---'
- "tab\there"
- "bell\a"
"": empty
YAML
)
check_file "canonical" advocates/cy.yaml "$expected"
run refctl fmt --check cy
check_rc 0
check_eq "then canonical" "" "$out"

test_case "every tricky advocate of the fuzz corpus: fmt once, then fmt --check finds nothing"
corpus="$REFCTL_SRC/tests/fuzz/corpus"
names="bom control cr-only crlf document-markers dots-colons-dates empty-key-plain empty-key-quoted
	flow folded-blocks indicators known-tricky literal-blocks long-lines multiline-plain notes-variants
	nulls quoted-keys requests-unknown spaces unicode yaml11-types"
for n in $names; do
	# the corpus files are advocates with the id fuzz
	sed "s/id: fuzz/id: t-$n/; s/- id: fuzz\//- id: t-$n\//" "$corpus/$n.yaml" >"advocates/t-$n.yaml"
done
git add -A && git commit -qm "the corpus"
run refctl check
check_rc 0 "every one is a valid advocate"
run refctl fmt
check_rc 0
check_eq "no error" "" "$err"
before=$(commit_count)
run refctl fmt --check
check_rc 0
check_eq "fmt --check finds nothing" "" "$out"
run refctl fmt
check_eq "a second fmt finds nothing" "" "$out"
check_eq "and commits nothing" "$before" "$(commit_count)"
bad=""
for n in $names; do
	refctl show "t-$n" >/dev/null 2>&1 || bad="$bad t-$n"
done
check_eq "each still reads" "" "$bad"

test_case "a file with a UTF-8 byte-order mark is read"
cd "$TEST_ROOT" && new_repo enc
printf '\357\273\277id: bom\nname: Bo Mark\ncompany: Co\nstatus: active\n' >advocates/bom.yaml
git add -A && git commit -qm "bom by hand"
run refctl show bom
check_rc 0
check_eq "show" "id: bom
name: Bo Mark
company: Co
status: active" "$out"
run refctl check
check_rc 0

test_case "set refuses a file with a byte-order mark, naming it and fmt; nothing written"
cp advocates/bom.yaml "$TEST_ROOT/bom.before"
before=$(commit_count)
run refctl set bom nps=9
check_rc 2
check_eq "message" "error: advocates/bom.yaml: the file starts with a UTF-8 byte-order mark, which rewriting it would drop; 'refctl fmt bom' removes it" "$err"
check_true "file untouched" cmp -s "$TEST_ROOT/bom.before" advocates/bom.yaml
check_eq "no commit" "$before" "$(commit_count)"

test_case "fmt removes the byte-order mark, and set works after"
run refctl fmt --check
check_rc 1
check_eq "not canonical" "advocates/bom.yaml" "$out"
run refctl fmt
check_rc 0
check_eq "rewritten" "advocates/bom.yaml" "$out"
check_eq "no mark left" "id: bom" "$(head -n 1 advocates/bom.yaml)"
run refctl set bom nps=9
check_rc 0

test_case "set refuses a CRLF file, naming it and fmt; nothing written"
printf 'id: crlf\r\nname: Cr Lf\r\ncompany: Co\r\nstatus: active\r\nnps: 7\r\n' >advocates/crlf.yaml
git add -A && git commit -qm "crlf by hand"
cp advocates/crlf.yaml "$TEST_ROOT/crlf.before"
before=$(commit_count)
run refctl set crlf nps=9
check_rc 2
check_eq "message" "error: advocates/crlf.yaml:1: the file has CRLF line endings, so rewriting it would change every line; 'refctl fmt crlf' converts it to LF" "$err"
run refctl unset crlf nps
check_rc 2
check_contains "unset too" "CRLF line endings" "$err"
check_true "file untouched" cmp -s "$TEST_ROOT/crlf.before" advocates/crlf.yaml
check_eq "no commit" "$before" "$(commit_count)"
run refctl show crlf
check_rc 0
check_contains "but it reads" "nps: 7" "$out"

test_case "fmt converts a CRLF file once; then set changes one line"
run refctl fmt crlf
check_rc 0
check_eq "rewritten" "advocates/crlf.yaml" "$out"
check_eq "no CR left" "0" "$(tr -cd '\r' <advocates/crlf.yaml | wc -c)"
run refctl set crlf nps=9
check_rc 0
check_eq "one line changed" "1	1	advocates/crlf.yaml" "$(git diff --numstat HEAD~1 HEAD)"

test_case "edit replaces a CRLF file with the canonical text of the edited copy"
printf 'id: ed\r\nname: Ed\r\ncompany: Co\r\nstatus: active\r\n' >advocates/ed.yaml
git add -A && git commit -qm "ed by hand"
cat >"$TEST_ROOT/ed-pause" <<'SH'
#!/bin/sh
sed -i 's/^status: active/status: paused/' "$1"
SH
chmod +x "$TEST_ROOT/ed-pause"
EDITOR="$TEST_ROOT/ed-pause" run refctl edit ed
check_rc 0
check_file "LF, edited" advocates/ed.yaml 'id: ed
name: Ed
company: Co
status: paused'
check_eq "no CR left" "0" "$(tr -cd '\r' <advocates/ed.yaml | wc -c)"

finish
