#!/bin/bash
# The schema table: one definition of every field, from which the README's
# table, the man page, add's flags, set's fields and list's columns derive.
. "$(dirname "$0")/lib.sh"
cd "$TEST_ROOT" || exit 1

test_case "the README's schema table is the schema's own rendering"
run refctl schema --format markdown
check_eq "exit 0" 0 "$rc"
readme=$(sed -n '/^<!-- schema table: generated/,/^<!-- end of schema table -->/p' "$REFCTL_SRC/README.md" | sed '1d;$d')
check_eq "README matches 'refctl schema --format markdown' (regenerate it)" "$out" "$readme"

test_case "every field of the JSON schema has a row in the markdown and the man page"
run refctl schema --format json
check_eq "exit 0" 0 "$rc"
fields=$(printf '%s' "$out" | jq -r '.[].field')
nfields=$(printf '%s\n' "$fields" | wc -l)
# 30 top-level fields, consent 2, limits 2, requests 18, referrals 11, rewards 6, content 16
# (approved 2 and legal 3 of their own) = 90 + 6 rows of their own
check_eq "field count" 96 "$nfields"
md=$(refctl schema --format markdown)
man=$(refctl schema --format man)
missing=""
for f in $fields; do
	grep -qF "| \`$f\` |" <<<"$md" || missing="$missing md:$f"
	grep -qF ".It Cm $(printf '%s' "$f" | sed 's/-/\\-/g')" <<<"$man" || missing="$missing man:$f"
done
check_eq "nothing missing" "" "$missing"

test_case "the schema says what each command derives"
run refctl schema --format json
check_eq "status is required, settable and a filter" "true true true nominated,active,paused,retired" \
	"$(printf '%s' "$out" | jq -r '.[] | select(.field=="status") | "\(.required) \(.settable) \(.filter) \(.values|join(","))"')"
check_eq "nps is an integer 0 to 10 with --nps" "integer 0 10 --nps" \
	"$(printf '%s' "$out" | jq -r '.[] | select(.field=="nps") | "\(.type) \(.min) \(.max) \(.flag)"')"
check_eq "request ids identify the item" "required, identifies the item" \
	"$(refctl schema --format tsv | awk -F'\t' '$1=="requests[].id" {print $5}')"
check_eq "settable fields" "name company status nominated_from title email phone crm_id account_id account_value referred_by account_owner industry region country segment since nps health last_contact notes languages products use_cases activities programs tags reward_eligible reward_note consent consent.until consent.scope limits limits.per_quarter limits.rest_days" \
	"$(printf '%s' "$out" | jq -r '[.[] | select(.settable) | .field] | join(" ")')"

test_case "add's flags are the schema's"
flags=$(refctl schema --format json | jq -r '.[] | select(.flag) | .flag' | sort)
help_flags=$(refctl add -h | sed -n 's/^    \(--[a-z-]*\) .*/\1/p' | grep -v -e '^--file$' -e '^--no-commit$' -e '^--message$' -e '^--help$' | sort)
check_eq "same flags" "$flags" "$help_flags"

test_case "list's filters and columns are the schema's"
filters=$(refctl schema --format json | jq -r '.[] | select(.filter) | .flag' | sort)
help_filters=$(refctl list -h | sed -n 's/^    \(--[a-z-]*\) .*only advocates.*(repeatable)$/\1/p' | sort)
check_eq "same filters" "$filters" "$help_filters"

new_repo prog
refctl add --name "Ann Lee" --company Acme --status active --industry retail --product analytics \
	--product billing --nps 9 --consent-until 2027-01-31 >/dev/null
refctl add --name "Bo Chen" --company Beta --industry energy --product billing >/dev/null
refctl set bo-chen-beta tags=x,y >/dev/null

test_case "list --fields all: every column in schema order, then the computed ones"
run refctl list --fields all --format tsv
check_eq "exit 0" 0 "$rc"
check_eq "header" "id	name	company	status	nominated_from	title	email	phone	crm_id	account_id	account_value	referred_by	account_owner	industry	region	country	segment	since	nps	health	last_contact	notes	languages	products	use_cases	activities	programs	tags	consent.until	consent.scope	limits.per_quarter	limits.rest_days	requests	open_requests	balance" \
	"$(printf '%s\n' "$out" | head -1)"
# columns 1-4, 14 (industry), 19 (nps), 24 (products), 29 (consent.until), 33-35 (computed)
row="ann-lee-acme	Ann Lee	Acme	active"$'\t\t\t\t\t\t\t\t\t\t'"retail"$'\t\t\t\t\t'"9"$'\t\t\t\t\t'"analytics,billing"$'\t\t\t\t\t'"2027-01-31"$'\t\t\t\t'"0	0	0"
check_eq "a row" "$row" "$(printf '%s\n' "$out" | sed -n 2p)"

test_case "list: the same filter twice is OR, different filters AND"
run refctl list --industry retail --industry energy --format tsv --fields id
check_eq "both" "id
ann-lee-acme
bo-chen-beta" "$out"
run refctl list --industry energy --product analytics --format tsv --fields id
check_eq "none: exit 1" 1 "$rc"
run refctl list --product analytics --product billing --status nominated --format tsv --fields id
check_eq "OR within, AND across" "id
bo-chen-beta" "$out"

test_case "list: a filter value the schema refuses"
run refctl list --status sleeping
check_eq "exit 2" 2 "$rc"
check_eq "message" "error: --status must be nominated, active, paused or retired, not 'sleeping'" "$(printf '%s\n' "$err" | head -1)"
run refctl list --activity golf
check_eq "exit 2" 2 "$rc"
check_contains "message" "error: unknown activity 'golf' (expected one of reference-call, case-study" "$err"

test_case "set and unset accept exactly the settable fields"
run refctl set ann-lee-acme id=x
check_eq "id: exit 2" 2 "$rc"
check_eq "id message" "error: the id cannot be changed: it names the file and the request ids" "$err"
run refctl set ann-lee-acme consent=x
check_eq "a map: exit 2" 2 "$rc"
check_eq "map message" "error: 'consent' is a map: set its members (consent.until ...)" "$err"
run refctl unset ann-lee-acme consent
check_eq "unset a whole map: exit 0" 0 "$rc"
check_eq "gone" "" "$(refctl list --fields consent.until --format tsv | sed -n 2p)"
run refctl unset ann-lee-acme company
check_eq "required: exit 2" 2 "$rc"
check_eq "required message" "error: 'company' is required and cannot be unset" "$err"

test_case "fields added by one schema row each: crm_id (unique), account_id, account_value (money)"
run refctl add --name "Cy Dee" --company Gamma --crm-id 003A1 --account-id 001X --account-value 1500.50
check_eq "add: exit 0" 0 "$rc"
check_eq "stored" "003A1	001X	1500.50" "$(refctl list --fields crm_id,account_id,account_value --format tsv | grep 003A1)"
run refctl add --name "Di Eve" --company Delta --crm-id 003a1
check_eq "a crm_id another advocate has: exit 2" 2 "$rc"
check_eq "message" "error: command line: crm_id 003a1 is already used by advocate 'cy-dee-gamma'" "$err"
run refctl set ann-lee-acme crm_id=003A1
check_eq "set to a taken crm_id: exit 2" 2 "$rc"
check_eq "set message" "error: crm_id 003A1 is already used by advocate 'cy-dee-gamma'" "$err"
run refctl set ann-lee-acme account_value=1.234
check_eq "three decimals: exit 2" 2 "$rc"
check_eq "money message" "error: account_value must be an amount from 0 to 10000000000000 with at most two decimals" "$err"
run refctl set ann-lee-acme account_value=10000000000000.01
check_eq "over the maximum: exit 2" 2 "$rc"
printf 'crm_id: 003A1\n' >>advocates/ann-lee-acme.yaml
git commit -qam "by hand: a duplicate crm_id"
run refctl check
check_eq "check: exit 1" 1 "$rc"
check_contains "check names both" "advocates/cy-dee-gamma.yaml:5: error: crm_id 003a1 is also used by advocates/ann-lee-acme.yaml" "$out"

test_case "a write checks only the unique values it changes"
run refctl set ann-lee-acme nps=7
check_eq "another field of an advocate whose crm_id is already shared (check names it): exit 0" 0 "$rc"
check_contains "written" "nps: 7" "$(cat advocates/ann-lee-acme.yaml)"
run refctl set ann-lee-acme crm_id=003a1
check_eq "the same crm_id in another case is no change to it: exit 0" 0 "$rc"
run refctl set ann-lee-acme crm_id=003B2
check_eq "a new crm_id is checked: free, exit 0" 0 "$rc"
run refctl set ann-lee-acme crm_id=003A1
check_eq "and taken: exit 2" 2 "$rc"
check_eq "taken message" "error: crm_id 003A1 is already used by advocate 'cy-dee-gamma'" "$err"
git checkout -q -- advocates && git commit -qam "ann shares cy's crm_id again" --allow-empty
printf 'crm_id: 003A1\n' >>advocates/ann-lee-acme.yaml 2>/dev/null
sed -i '/^crm_id: 003B2$/d' advocates/ann-lee-acme.yaml
git commit -qam "by hand: the duplicate again"
EDITOR='sed -i "s/^company: Gamma$/company: Gamma AG/"' run refctl edit cy-dee-gamma
check_eq "edit of another field, keeping its shared crm_id: exit 0" 0 "$rc"
check_contains "written" "company: Gamma AG" "$(cat advocates/cy-dee-gamma.yaml)"

finish
