#!/bin/bash
# refctl content find: usable items ranked by match's relevance. Every
# figure below is computed by hand from the default weights (use_case 4,
# product 3, industry 3, region 2, language 2, country 1, segment 1).
# Today is 2026-11-15 (lib.sh).
. "$(dirname "$0")/lib.sh"

new_repo prog

OK="  approved:
    by: Customer
    date: 2026-10-01"
LEGAL="  legal:
    by: Legal
    date: 2026-10-02"
# item ID KIND LANG TITLE [EXTRA-LINES...]
item() {
	local id=$1 kind=$2 lang=$3 title=$4
	shift 4
	printf -- '- id: %s\n  kind: %s\n  lang: %s\n  title: %s\n  text: %s\n' "$id" "$kind" "$lang" "$title" "$title"
	for l in "$@"; do printf '%s\n' "$l"; done
}

# ann: healthcare, DE; consent covers quote, name, video
write_advocate ann "industry: healthcare
country: DE
consent:
  until: 2027-12-31
  scope: [quote, name, video]
content:
$(item ann/261001-aaaaaaa1 quote en "Ann EN" "  products: [analytics, billing]" "  use_cases: [reporting]" "  created: 2026-10-01" "$OK" "$LEGAL")
$(item ann/261001-aaaaaaa2 quote de "Ann DE" "  products: [analytics, billing]" "  use_cases: [reporting]" "  created: 2026-10-01" "$OK" "$LEGAL" "    countries: [DE, AT]" "  translation_of: ann/261001-aaaaaaa1")
$(item ann/261001-aaaaaaa3 video de "Ann video" "  products: [analytics]" "  created: 2026-10-01" "$OK" "$LEGAL" "    countries: [CH]")"

# bo: retail, AT; consent covers name and quote, not case-study
write_advocate bo "industry: retail
country: AT
consent:
  scope: [name, quote]
content:
$(item bo/261001-bbbbbbb1 case-study de "Bo study" "  products: [billing]" "  use_cases: [reporting]" "  industry: healthcare" "  created: 2026-10-01" "$OK" "$LEGAL")
$(item bo/261001-bbbbbbb2 quote de "Bo DE" "  products: [analytics]" "  created: 2026-10-01" "$OK" "$LEGAL")
$(item bo/261001-bbbbbbb3 quote de "Bo old" "  products: [analytics]" "  created: 2026-10-01" "$OK" "$LEGAL" "  expires: 2026-11-01")"

# cy: consent expired
write_advocate cy "industry: healthcare
country: DE
consent:
  until: 2026-10-31
  scope: [quote, name]
content:
$(item cy/261001-ccccccc1 quote de "Cy DE" "  products: [analytics]" "  created: 2026-10-01" "$OK" "$LEGAL")"

# dee: healthcare, CH
write_advocate dee "industry: healthcare
country: CH
consent:
  scope: [quote, name, logo]
content:
$(item dee/261002-ddddddd1 quote de "Dee DE" "  products: [billing]" "  use_cases: [reporting]" "  created: 2026-10-02" "$OK" "$LEGAL")
$(item dee/261001-ddddddd2 logo de "Dee logo" "  created: 2026-10-01" "$OK")
$(item dee/261001-ddddddd3 quote en "Dee EN" "  products: [analytics]" "  use_cases: [reporting]" "  created: 2026-10-01" "$OK" "$LEGAL")
$(item dee/261001-ddddddd4 review de "Dee review" "  created: 2026-10-01")"

run refctl check
check_rc 0 "the fixture is valid"

P="--industry healthcare --country DE --product analytics --product billing --use-case reporting"

test_case "a German healthcare prospect: the usable German items, best first"
# possible: use_case 4 + product 3 + industry 3 + country 1 = 11
#   ann DE   all met                                  11   / 11 = 100%
#   dee DE   use_case 4, product 1/2 1.5, industry 3   8.5 / 11 =  77%
#   bo DE    product 1/2 1.5 (industry retail, AT)     1.5 / 11 =  14%
# left out: ann EN (language), ann video (cleared for CH only), bo study (no
# case-study consent), bo old (expired), cy (consent expired), dee logo (no
# legal review), dee EN (language), dee review (not approved)
run refctl content find $P --lang de
check_rc 0
check_eq "table" "rank  id                   kind   lang  title   relevance  note
   1  ann/261001-aaaaaaa2  quote  de    Ann DE       100%
   2  dee/261002-ddddddd1  quote  de    Dee DE        77%
   3  bo/261001-bbbbbbb2   quote  de    Bo DE         14%" "$out"
run refctl content find $P --lang de --format tsv
check_eq "tsv relevance exact" "1.0000 0.7727 0.1364" "$(printf '%s\n' "$out" | sed 1d | cut -f6 | tr '\n' ' ' | sed 's/ $//')"

test_case "--explain: each criterion with its weight"
run refctl content find $P --lang de --limit 3 --explain
check_rc 0
check_contains "criteria" "criteria: use_case 4, product 3, industry 3, country 1 = 11 points" "$out"
check_contains "bo's quote" "3. bo/261001-bbbbbbb2 (quote, de, Bo DE)
   relevance 14%: 1.5 of 11 points
   missed  use_case  0 of 4  reporting
   partly  product   1.5 of 3  analytics; not billing
   missed  industry  0 of 3  healthcare
   missed  country   0 of 1  DE" "$out"

test_case "--any-lang: an original without a German translation, flagged, after equals in German"
# dee EN: use_case 4, product 1/2 1.5, industry 3 = 8.5 / 11 = 77%, tied with
# dee DE, which is in German; ann EN has a German translation: not offered
run refctl content find $P --lang de --any-lang
check_rc 0
check_eq "table" "rank  id                   kind   lang  title   relevance  note
   1  ann/261001-aaaaaaa2  quote  de    Ann DE       100%
   2  dee/261002-ddddddd1  quote  de    Dee DE        77%
   3  dee/261001-ddddddd3  quote  en    Dee EN        77%  translation into de missing
   4  bo/261001-bbbbbbb2   quote  de    Bo DE         14%" "$out"
run refctl content find $P --lang de --any-lang --format json
check_eq "json flags it" "null null de null" "$(printf '%s' "$out" | jq -r '[.[].translation_missing] | map(tostring) | join(" ")')"

test_case "legal countries: cleared for CH only, usable for a Swiss prospect"
# CH: ann DE (DE, AT) is out, ann video (CH) in; the rest as before
# ann video: product 1/2 1.5, industry 3, country (DE) 0 of 1 = 4.5 / 11 = 41%
run refctl content find --industry healthcare --country CH --product analytics --product billing \
	--use-case reporting --lang de --format tsv
check_rc 0
check_eq "ids" "dee/261002-ddddddd1 ann/261001-aaaaaaa3 bo/261001-bbbbbbb2" \
	"$(printf '%s\n' "$out" | sed 1d | cut -f2 | tr '\n' ' ' | sed 's/ $//')"
# dee DE: use_case 4, product 1.5, industry 3, country CH 1 = 9.5 / 11 = 86%
check_eq "relevance" "0.8636 0.4091 0.1364" "$(printf '%s\n' "$out" | sed 1d | cut -f6 | tr '\n' ' ' | sed 's/ $//')"

test_case "no language asked: every usable item; a prospect from a file"
# no --country: the CH-only video is usable too; en items count
cat >"$TEST_ROOT/prospect.yaml" <<EOF
industry: healthcare
products: [analytics]
EOF
# possible: product 3 + industry 3 = 6; analytics and healthcare: 6/6 for ann EN,
# ann DE, ann video, dee EN; dee DE (billing only): 3/6; bo DE: 3/6
# ties by newer created, then id: dee DE (2026-10-02) before bo DE
run refctl content find --prospect "$TEST_ROOT/prospect.yaml" --format tsv --limit 0
check_rc 0
check_eq "ids" "ann/261001-aaaaaaa1 ann/261001-aaaaaaa2 ann/261001-aaaaaaa3 dee/261001-ddddddd3 dee/261002-ddddddd1 bo/261001-bbbbbbb2" \
	"$(printf '%s\n' "$out" | sed 1d | cut -f2 | tr '\n' ' ' | sed 's/ $//')"
run refctl content find --prospect "$TEST_ROOT/prospect.yaml" --format tsv --limit 2
check_eq "--limit 2" "2" "$(printf '%s\n' "$out" | sed 1d | wc -l | tr -d ' ')"

test_case "items that meet none of the criteria are left out, as match leaves out such advocates"
# usable in de without a country: ann DE, ann video, dee DE, bo DE, none in
# manufacturing; of the others ann EN and dee EN (language) and dee logo and
# dee review (no legal review) are 2 each: the first rule of the tie
run refctl content find --industry manufacturing --lang de
check_rc 1
check_eq "says so" "error: no content is usable: 4 usable items meet none of the criteria; the rule that excluded most of the others is 'no legal review' (2 of 11)" "$err"

test_case "exit 1 when nothing is usable, naming the rule that excluded most"
run refctl content find $P --lang fr
check_rc 1
check_eq "says which rule" "error: no content is usable: the rule that excluded most is 'language' (11 of 11)" "$err"
refctl set ann consent.until=2026-11-01 >/dev/null
refctl set dee consent.until=2026-11-01 >/dev/null
refctl set bo consent.until=2026-11-01 >/dev/null
run refctl content find $P --lang de
check_rc 1
check_eq "consent" "error: no content is usable: the rule that excluded most is 'consent expired' (11 of 11)" "$err"

test_case "bad usage"
run refctl content find --any-lang
check_rc 2
check_contains "--any-lang needs --lang" "error: --any-lang needs --lang L" "$err"
run refctl content find --lang xx
check_rc 2
check_eq "unknown language" "error: lang must be an ISO 639-1 code such as de, not 'xx'" "$err"
run refctl content find --explain --format json
check_rc 2

finish
