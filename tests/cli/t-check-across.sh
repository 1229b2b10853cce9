#!/bin/bash
# refctl check's rules across files (unique values, file names differing
# only in case, referred_by naming an advocate) and where their problems
# stand in the output: with their file's, sorted by file name (strcmp, so
# a-b.yaml before a.yaml), then line and column.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/cache-lib.sh"

# adv ID LINE...: advocates/ID.yaml, the four required lines and LINE...
adv() {
	local id=$1
	shift
	{
		printf 'id: %s\nname: Person %s\ncompany: Company %s\nstatus: active\n' "$id" "$id" "$id"
		for l in "$@"; do printf '%s\n' "$l"; done
	} >"advocates/$id.yaml"
}

new_repo first-last

test_case "a duplicate email in the first and the last file, many files apart"
adv aa-first "email: First@Example.com"
for i in $(seq 1 40); do adv "mid-$i" "email: mid-$i@example.com"; done
adv zz-last "email: first@example.COM"
git add -A && git commit -qm "42 advocates"
run refctl check
check_rc 1
check_eq "one error, against the later file, naming the earlier" \
	"advocates/zz-last.yaml:5: error: email first@example.com is also used by advocates/aa-first.yaml" "$out"
check_eq "summary" "42 files checked: 1 error, 0 warnings" "$err"
run refctl --no-cache check
check_eq "the same without the cache" \
	"advocates/zz-last.yaml:5: error: email first@example.com is also used by advocates/aa-first.yaml" "$out"

new_repo across

test_case "every rule across files, in its file's place"
adv aaron "email: Shared@Example.com" "crm_id: CRM-1"
adv a-b "crm_id: crm-7"
adv a "crm_id: CRM-7"
adv mia "email: mia@example.com" "referred_by: aaron"
adv ned "favourite: x" "referred_by: nobody" "email: MIA@example.com" "nps: 7"
# one line holds both values: crm_id's problem comes first, as the fields sort
printf '{id: ola, name: Ola, company: Co, status: active, email: shared@example.COM, crm_id: crm-1}\n' \
	>advocates/ola.yaml
printf 'id: zed\nname: Zed\ncompany: Co\nstatus: active\n' >advocates/ZED.yaml
printf 'id: zed\nname: Zed\ncompany: Co\nstatus: active\n' >advocates/Zed.yaml
printf 'id: zed\nname: Zed\ncompany: Co\nstatus: active\nemail: shared@example.com\n' >advocates/zed.yaml
adv zz-last "email: SHARED@example.com"
git add -A && git commit -qm "ten advocates"
want="advocates/ZED.yaml: error: file name 'ZED.yaml' is not a valid id (lowercase letters, digits and '-')
advocates/ZED.yaml:1:5: error: id 'zed' does not match the file name 'ZED.yaml'
advocates/Zed.yaml: error: file name 'Zed.yaml' is not a valid id (lowercase letters, digits and '-')
advocates/Zed.yaml: error: file name differs only in case from advocates/ZED.yaml
advocates/Zed.yaml:1:5: error: id 'zed' does not match the file name 'Zed.yaml'
advocates/a.yaml:5: error: crm_id crm-7 is also used by advocates/a-b.yaml
advocates/ned.yaml:5:1: warning: unknown key 'favourite'
advocates/ned.yaml:6: error: referred_by names 'nobody', which is not an advocate (no advocates/nobody.yaml)
advocates/ned.yaml:7: error: email mia@example.com is also used by advocates/mia.yaml
advocates/ola.yaml:1: error: crm_id crm-1 is also used by advocates/aaron.yaml
advocates/ola.yaml:1: error: email shared@example.com is also used by advocates/aaron.yaml
advocates/zed.yaml: error: file name differs only in case from advocates/Zed.yaml
advocates/zed.yaml:5: error: email shared@example.com is also used by advocates/ola.yaml
advocates/zz-last.yaml:5: error: email shared@example.com is also used by advocates/zed.yaml"
run refctl check
check_rc 1
check_eq "all of them, in order" "$want" "$out"
check_eq "summary" "10 files checked: 13 errors, 1 warning" "$err"
run refctl check
check_eq "the same from a warm cache" "$want" "$out"
run refctl --no-cache check
check_eq "the same without the cache" "$want" "$out"

test_case "an invalid file takes no part in the rules across files"
adv ned "referred_by: nobody" "email: mia@example.com" "nps: 11"
run refctl check
check_rc 1
check_contains "its own error" "advocates/ned.yaml:7:6: error: nps must be an integer from 0 to 10" "$out"
check_not_contains "no link" "referred_by names 'nobody'" "$out"
check_not_contains "no duplicate" "email mia@example.com is also used" "$out"
git checkout -q -- advocates/ned.yaml

test_case "--format json: the same problems, with their counts first"
run refctl check --format json
check_rc 1
check_eq "the counts" "10 13 1 14" "$(printf '%s' "$out" | jq -r '"\(.files) \(.errors) \(.warnings) \(.problems | length)"')"
check_eq "in the text's order" "$want" "$(printf '%s' "$out" | jq -r '.problems[] |
	if .line > 0 and .column > 0 then "\(.file):\(.line):\(.column): \(.severity): \(.message)"
	elif .line > 0 then "\(.file):\(.line): \(.severity): \(.message)"
	else "\(.file): \(.severity): \(.message)" end')"
check_eq "a cross-file problem in full" '{
  "file": "advocates/ned.yaml",
  "line": 7,
  "column": 0,
  "severity": "error",
  "field": "email",
  "message": "email mia@example.com is also used by advocates/mia.yaml"
}' "$(printf '%s' "$out" | jq '.problems[8]')"
check_eq "jansson's indentation, item by item" '    {
      "file": "advocates/zz-last.yaml",
      "line": 5,
      "column": 0,
      "severity": "error",
      "field": "email",
      "message": "email shared@example.com is also used by advocates/zed.yaml"
    }
  ]
}' "$(printf '%s\n' "$out" | tail -n 10)"

test_case "a full disk is an error, in either format"
for f in text json; do
	( "$REFCTL" check --format $f >/dev/full 2>"$TEST_ROOT/full.err"; echo $? >"$TEST_ROOT/full.rc" )
	check_eq "$f: exit 3" "3" "$(cat "$TEST_ROOT/full.rc")"
	check_contains "$f: says so" "cannot write output" "$(cat "$TEST_ROOT/full.err")"
done

test_case "check --cache: a disagreement stands with its file's problems"
"$REFCTL" list >/dev/null
sed -i 's/^nps: 7$/nps: 8/' advocates/ned.yaml
python3 "$CACHE_TOOL" .git/refctl-cache stat ned.yaml advocates/ned.yaml
python3 "$CACHE_TOOL" .git/refctl-cache started "$(($(date +%s) + 100))"
run refctl check --cache
check_rc 1
check_eq "first of ned.yaml's, then the rest as before" "$(printf '%s\n' "$want" | sed \
	"/^advocates\/ned.yaml:5:1:/i advocates/ned.yaml: error: the parse cache disagreed with the file: the cached typed view differs from the file's (the cache is removed, to be rebuilt)")" "$out"
check_eq "summary" "10 files checked: 14 errors, 1 warning" "$err"
run refctl check --cache
check_eq "the rebuilt cache agrees" "$want" "$out"
git checkout -q -- advocates/ned.yaml

new_repo empty

test_case "--format json with no problems"
adv ann "email: ann@example.com"
git add -A && git commit -qm ann
run refctl check --format json
check_rc 0
check_eq "an empty list" '{
  "files": 1,
  "errors": 0,
  "warnings": 0,
  "problems": []
}' "$out"

finish
