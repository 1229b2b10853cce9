#!/bin/bash
# refctl check: every problem of every file, read-only, exit 1 on errors.
. "$(dirname "$0")/lib.sh"

new_repo prog

test_case "a clean repository"
write_advocate ann "email: ann@example.com"
write_advocate bob "email: bob@example.com"
run refctl check
check_rc 0
check_eq "no output" "" "$out"
check_eq "summary on stderr" "2 files checked: 0 errors, 0 warnings" "$err"

test_case "every problem is reported, not just the first"
cat >advocates/carol.yaml <<'YAML'
id: carol
name: Carol
company: Co
status: happy
nps: 12
since: 2026-13-01
country: Germany
languages:
- xx
activities: [juggling]
segment: huge
requests:
- id: carol/1
  opened: 2026-05-10
  status: completed
  activity: reference-call
  closed: 2026-05-01
- id: carol/1
  opened: 2026-06-01
  status: requested
  activity: quote
- id: dave/3
  opened: 2026-06-02
  status: nonsense
  activity: quote
favourite_colour: blue
YAML
before=$(git status --porcelain)
run refctl check
check_rc 1
check_eq "all problems, sorted by line" "advocates/carol.yaml:4:9: error: status must be one of nominated, active, paused or retired, not 'happy'
advocates/carol.yaml:5:6: error: nps must be an integer from 0 to 10
advocates/carol.yaml:6:8: error: since must be a date YYYY-MM-DD, not '2026-13-01'
advocates/carol.yaml:7:10: error: country must be an ISO 3166 alpha-2 code such as DE, not 'Germany'
advocates/carol.yaml:9:3: error: languages: 'xx' is not an ISO 639-1 code such as de
advocates/carol.yaml:10:14: error: activities: 'juggling' is not one of reference-call, case-study, quote, video, speaking, press, analyst, advisory-board, beta, referral, site-visit, social or community
advocates/carol.yaml:11:10: error: segment must be one of smb, mid-market or enterprise, not 'huge'
advocates/carol.yaml:17:11: error: requests[1]: closed before opened
advocates/carol.yaml:18:7: error: duplicate request id 'carol/1' (also on line 13)
advocates/carol.yaml:22:7: error: requests[3].id must be carol/YYMMDD-XXXXXXXX or carol/N, not 'dave/3'
advocates/carol.yaml:24:11: error: requests[3].status must be one of requested, approved, scheduled, completed, declined or cancelled, not 'nonsense'
advocates/carol.yaml:26:1: warning: unknown key 'favourite_colour'" "$out"
check_eq "summary" "3 files checked: 11 errors, 1 warning" "$err"
check_eq "read-only" "$before" "$(git status --porcelain)"
rm advocates/carol.yaml

test_case "id must equal the file name; names differing only in case"
printf 'id: erin\nname: Erin\ncompany: Co\nstatus: active\n' >advocates/erin-x.yaml
printf 'id: ann\nname: Ann Again\ncompany: Co\nstatus: active\n' >advocates/Ann.yaml
run refctl check
check_rc 1
check_contains "id vs file" "advocates/erin-x.yaml:1:5: error: id 'erin' does not match the file name 'erin-x.yaml'" "$out"
check_contains "case collision" "advocates/ann.yaml: error: file name differs only in case from advocates/Ann.yaml" "$out"
check_contains "bad file name" "advocates/Ann.yaml: error: file name 'Ann.yaml' is not a valid id" "$out"
rm advocates/erin-x.yaml advocates/Ann.yaml

test_case "duplicate emails across files"
printf 'id: fay\nname: Fay\ncompany: Co\nstatus: active\nemail: ANN@example.com\n' >advocates/fay.yaml
run refctl check
check_rc 1
check_contains "duplicate" "advocates/fay.yaml:5: error: email ann@example.com is also used by advocates/ann.yaml" "$out"
rm advocates/fay.yaml

test_case "leftover git conflict markers: each conflicting field in one line"
cat >advocates/gus.yaml <<'YAML'
id: gus
name: Gus
company: Co
<<<<<<< HEAD
status: active
nps: 3
=======
status: paused
nps: 3
>>>>>>> feature
YAML
run refctl check
check_rc 1
check_eq "the field, both values, at the marker's line" \
	"advocates/gus.yaml:4: error: conflict in status: ours active, theirs paused" "$(printf '%s\n' "$out" | grep gus)"

test_case "leftover conflict markers that do not part two documents are named plainly"
cat >advocates/gus.yaml <<'YAML'
id: gus
name: Gus
company: Co
<<<<<<< HEAD
status: active
=======
status: [paused
>>>>>>> feature
YAML
run refctl check
check_rc 1
check_contains "marker" "advocates/gus.yaml:4:1: error: unresolved git merge conflict (conflict marker '<<<<<<<')" "$out"
check_contains "separator" "advocates/gus.yaml:6:1: error: unresolved git merge conflict (conflict marker '=======')" "$out"
rm advocates/gus.yaml

test_case "hostile inputs: rejected with FILE:LINE:COL, never a crash"
printf 'id: h1\nname: &n H\ncompany: *n\nstatus: active\n' >advocates/h1.yaml
printf 'id: h2\nname: !custom H\ncompany: Co\nstatus: active\n' >advocates/h2.yaml
printf 'id: h3\nname: H\nname: I\ncompany: Co\nstatus: active\n' >advocates/h3.yaml
printf 'id: h4\nname: H\ncompany: Co\nstatus: active\n---\nid: h4\n' >advocates/h4.yaml
{ printf 'id: h5\nnotes: '; for i in $(seq 40); do printf '['; done; for i in $(seq 40); do printf ']'; done; printf '\n'; } >advocates/h5.yaml
printf 'id: h6\nname: H\xc3\x28\ncompany: Co\nstatus: active\n' >advocates/h6.yaml
printf 'id: h7\nname: H\000\ncompany: Co\nstatus: active\n' >advocates/h7.yaml
{ printf 'id: h8\nnotes: '; head -c 1100000 /dev/zero | tr '\0' 'a'; printf '\n'; } >advocates/h8.yaml
printf 'id: h9\nname: [unclosed\ncompany: Co\n' >advocates/h9.yaml
printf '' >advocates/h10.yaml
run refctl check
check_rc 1
check_contains "alias/anchor" "advocates/h1.yaml:2:7: error: anchors are not allowed" "$out"
check_contains "tag" "advocates/h2.yaml:2:7: error: tags are not allowed" "$out"
check_contains "duplicate key" "advocates/h3.yaml:3:1: error: duplicate key 'name'" "$out"
check_contains "second document" "advocates/h4.yaml:5:1: error: a second document is not allowed here" "$out"
check_contains "nesting" "advocates/h5.yaml:2:39: error: nesting deeper than 32 levels" "$out"
check_contains "utf-8" "advocates/h6.yaml:2:8: error: invalid UTF-8" "$out"
check_contains "NUL" "advocates/h7.yaml:2:8: error: NUL byte in file" "$out"
check_contains "size" "advocates/h8.yaml:1:1: error: file is larger than 1048576 bytes" "$out"
check_match "syntax" '^advocates/h9.yaml:[0-9]+:[0-9]+: error: ' "$out"
check_contains "empty" "advocates/h10.yaml:1:1: error: file is empty" "$out"
rm advocates/h*.yaml

test_case "vocabulary in refctl.yaml: values outside it are warnings"
sed -i 's/^  industries: \[\]/  industries: [manufacturing, retail]/' refctl.yaml
git commit -qam "restrict industries"
write_advocate ivy "industry: Manufacturing"
write_advocate jon "industry: mining"
run refctl check
check_rc 0
check_eq "warning" "advocates/jon.yaml:5:11: warning: industry: 'mining' is not in vocabulary.industries of refctl.yaml" "$out"

test_case "--format json"
run refctl check --format json
check_rc 0
check_eq "json" '{
  "files": 4,
  "errors": 0,
  "warnings": 1,
  "problems": [
    {
      "file": "advocates/jon.yaml",
      "line": 5,
      "column": 11,
      "severity": "warning",
      "field": "industry",
      "message": "industry: '"'"'mining'"'"' is not in vocabulary.industries of refctl.yaml"
    }
  ]
}' "$out"
run refctl check --format xml
check_rc 2

test_case "an empty repository is clean"
new_repo empty
run refctl check
check_rc 0
check_eq "summary" "0 files checked: 0 errors, 0 warnings" "$err"

finish
