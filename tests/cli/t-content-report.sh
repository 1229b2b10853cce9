#!/bin/bash
# The report's content section, in every format: items published in the
# period, expiring within report.consent_warning_days after it, uses in the
# period by kind, and the translations missing. Figures computed by hand.
# Today is 2026-11-15 (lib.sh); the period is October 2026.
. "$(dirname "$0")/lib.sh"

new_repo prog
write_advocate ann "languages: [en, de, fr]
products: [analytics, billing]
content:
- id: ann/261005-aaaaaaa1
  kind: quote
  lang: en
  title: Ann in English
  products: [analytics]
  created: 2026-10-05
  expires: 2026-12-01
  used: [2026-10-20, ann/261003-aaaaaaaa, 2026-09-30]
- id: ann/260910-aaaaaaa2
  kind: quote
  lang: de
  title: Ann auf Deutsch
  products: [analytics]
  created: 2026-09-10
  used: [2026-10-01]
- id: ann/261020-aaaaaaa3
  kind: video
  lang: en
  title: Ann on video
  products: [billing]
  created: 2026-10-20
  expires: 2027-03-01"
write_advocate bo "languages: [de]
products: [analytics]"
printf 'id: cy\nname: Person cy\ncompany: Company cy\nstatus: paused\nlanguages: [es]\nproducts: [analytics]\n' >advocates/cy.yaml
git add advocates/cy.yaml && git commit -qm "add cy, paused"
run refctl check
check_rc 0 "the fixture is valid"

# published in October: ann video (10-20), ann EN (10-05); expiring after
# 2026-10-31 by 2026-12-30 (60 days): ann EN (2026-12-01); uses in October:
# 2026-10-20 and the request of 2026-10-03 (ann EN), 2026-10-01 (ann DE): 3
# quotes; demand of the active advocates: analytics in en, de (ann, bo), fr;
# billing in en, de, fr; content: analytics en and de, billing en: missing
# analytics/fr, billing/de, billing/fr (1 advocate each); cy is paused.
test_case "text"
run refctl report --month 2026-10
check_rc 0
check_contains "the section" "Content
-------
  3 content items; 2 published in the period, 1 expiring by 2026-12-30, 3 uses in the period; 3
  translations missing.

Content published in the period (newest first)
----------------------------------------------
  id                   kind   lang  title           created
  ann/261020-aaaaaaa3  video  en    Ann on video    2026-10-20
  ann/261005-aaaaaaa1  quote  en    Ann in English  2026-10-05

Content expiring after 2026-10-31, by 2026-12-30 (soonest first)
----------------------------------------------------------------
  id                   kind   lang  title           expires
  ann/261005-aaaaaaa1  quote  en    Ann in English  2026-12-01

Translations missing (languages a product's active advocates speak)
-------------------------------------------------------------------
  product    language  advocates
  analytics  fr                1
  billing    de                1
  billing    fr                1

Content used in the period, by kind
-----------------------------------
  kind   uses
  quote     3" "$out"

test_case "json"
run refctl report --month 2026-10 --format json
check_rc 0
check_eq "figures" "3 2 1 2026-12-30 3 3" "$(printf '%s' "$out" | jq -r '.content | "\(.items) \(.published | length) \(.expiring | length) \(.expiring_by) \(.used) \(.used_by_kind.quote)"')"
check_eq "published, newest first" "ann/261020-aaaaaaa3 ann/261005-aaaaaaa1" "$(printf '%s' "$out" | jq -r '[.content.published[].id] | join(" ")')"
check_eq "missing" "analytics/fr/1 billing/de/1 billing/fr/1" "$(printf '%s' "$out" | jq -r '[.content.translations_missing[] | "\(.product)/\(.lang)/\(.advocates)"] | join(" ")')"

test_case "csv"
run refctl report --month 2026-10 --format csv
check_rc 0
check_eq "rows" "content,items,,3
content,published,,2
content,published.item,ann/261020-aaaaaaa3,2026-10-20
content,published.item,ann/261005-aaaaaaa1,2026-10-05
content,expiring,,1
content,expiring_by,,2026-12-30
content,expiring.item,ann/261005-aaaaaaa1,2026-12-01
content,used,,3
content,used_by_kind,quote,3
content,translation_missing,analytics/fr,1
content,translation_missing,billing/de,1
content,translation_missing,billing/fr,1" "$(printf '%s\n' "$out" | tr -d '\r' | grep '^content,')"

test_case "markdown and html"
run refctl report --month 2026-10 --format markdown
check_rc 0
check_contains "markdown heading" "## Content" "$out"
check_contains "markdown summary" "3 content items; 2 published in the period, 1 expiring by 2026-12-30, 3 uses in the period; 3 translations missing." "$out"
run refctl report --month 2026-10 --format html
check_rc 0
check_contains "html heading" '<h2 id="content">Content</h2>' "$out"
check_contains "html gap" "billing" "$out"

test_case "an audience lists the section by name"
cat >>refctl.yaml <<'EOF'
audiences:
  marketing:
    title: content for marketing
    sections: [content]
EOF
git commit -qam "marketing"
run refctl report --month 2026-10 --for marketing --format json
check_rc 0
check_eq "only content" "content" "$(printf '%s' "$out" | jq -r 'keys | map(select(. == "content" or . == "requests" or . == "advocates")) | join(" ")')"

test_case "no content: no section"
new_repo bare
write_advocate zed
run refctl report --month 2026-10
check_rc 0
check_not_contains "no heading" "Content published" "$out"
run refctl report --month 2026-10 --format json
check_eq "no key" "false" "$(printf '%s' "$out" | jq 'has("content")')"

test_case "roster changes: a content-only commit is program activity, not a roster edit"
new_repo changes
GIT_AUTHOR_DATE=2026-10-02T10:00:00Z GIT_COMMITTER_DATE=2026-10-02T10:00:00Z \
	refctl add --name "Cleo Content" --company Co --consent-until 2027-12-31 \
	--consent-scope quote --consent-scope name >/dev/null
GIT_AUTHOR_DATE=2026-11-03T10:00:00Z GIT_COMMITTER_DATE=2026-11-03T10:00:00Z \
	refctl content add cleo-content-co --kind quote --lang en --title Hello --text "It works." >/dev/null
run refctl report --month 2026-11 --format json
check_rc 0
check_eq "counted with the request changes" '{"added":[],"retired":[],"edited":[],"removed":[],"requests":[{"id":"cleo-content-co","commits":1,"by":["Test User"]}]}' \
	"$(printf '%s' "$out" | jq -c .changes)"
run refctl report --month 2026-11 --format json
check_eq "the same from the history cache" '{"added":[],"retired":[],"edited":[],"removed":[],"requests":[{"id":"cleo-content-co","commits":1,"by":["Test User"]}]}' \
	"$(printf '%s' "$out" | jq -c .changes)"

finish
