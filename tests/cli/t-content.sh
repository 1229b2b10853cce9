#!/bin/bash
# refctl content: add, translate, approve, legal, expire, use, show and list,
# each write one commit of the advocate's file; the refusals and the bad
# input that writes nothing. Today is 2026-11-15 (lib.sh).
. "$(dirname "$0")/lib.sh"

new_repo prog
write_advocate ann "industry: healthcare
country: DE
activities:
- reference-call
consent:
  until: 2027-12-31
  scope:
  - name
  - quote
  - video"
write_advocate bo "industry: retail
activities:
- reference-call
consent:
  scope:
  - logo"

# check_new_id ID ADVOCATE: a new content id of the advocate, drawn today
check_new_id() { check_match "a new id of $2 dated 261115" "^$2/261115-[0-9a-hjkmnp-tv-z]{8}\$" "$1"; }
# nothing_written DESC: no new commit, the tree clean
nothing_written() {
	check_eq "$1: no commit" "$before" "$(commit_count)"
	check_eq "$1: tree clean" "" "$(git status --porcelain)"
}

test_case "add: prints the id, one commit of the advocate's file, in the schema's order"
before=$(commit_count)
run refctl content add ann --kind quote --lang en --title "Ann on Acme" --text "It paid for itself." \
	--product analytics --product billing --use-case reporting --expires 2027-06-30
check_rc 0
Q=$out
check_new_id "$Q" ann
check_eq "one commit" "$((before + 1))" "$(commit_count)"
check_eq "subject" "refctl: content $Q: quote Ann on Acme (en)" "$(git log -1 --format=%s)"
check_eq "only the file" "advocates/ann.yaml" "$(git show --format= --name-only HEAD)"
check_contains "the item" "content:
- id: $Q
  kind: quote
  lang: en
  title: Ann on Acme
  text: It paid for itself.
  products:
  - analytics
  - billing
  use_cases:
  - reporting
  created: 2026-11-15
  expires: 2027-06-30" "$(cat advocates/ann.yaml)"
run refctl check
check_rc 0 "check passes"

test_case "add: a --text-file and a --url; an item is named by a unique prefix of its id"
printf 'Line one\nLine two\n' >"$TEST_ROOT/quote.txt"
run refctl content add ann --kind testimonial --lang de --title "Ann, lang" --text-file "$TEST_ROOT/quote.txt"
check_rc 0
T=$out
check_contains "the text as a block" "  text: |
    Line one
    Line two" "$(cat advocates/ann.yaml)"
run refctl content add ann --kind video --lang en --title "Ann on video" --url https://videos.example/ann
check_rc 0
V=$out
check_contains "the url" "  url: https://videos.example/ann" "$(cat advocates/ann.yaml)"
# six of the id's eight random characters: two ids of a day share them once in 2^30
run refctl content show "${V%??}"
check_rc 0 "show by a prefix"
check_contains "shows the item" "id:             $V" "$out"

test_case "show: not usable until approved and cleared, with the reasons"
run refctl content show "$Q"
check_rc 0
check_eq "show" "id:             $Q
advocate:       ann
kind:           quote
lang:           en
title:          Ann on Acme
products:       analytics, billing
use cases:      reporting
industry:       healthcare
created:        2026-11-15
approved:       no
legal review:   none
expires:        2027-06-30
used:           0 times
usable:         no: not approved; no legal review

It paid for itself." "$out"

test_case "use: refused with the reasons while the item is not usable; nothing written"
R1=$(refctl request new ann --prospect Globex --activity reference-call --requester Kim)
before=$(commit_count)
run refctl content use "$Q" --request "$R1"
check_rc 1
check_eq "says why" "error: cannot use $Q: not approved; no legal review" "$err"
nothing_written "refused use"

test_case "approve and legal: who and when, one commit each"
before=$(commit_count)
run refctl content approve "$Q" --by "Ann Person" --date 2026-11-10
check_rc 0
check_eq "output" "$Q approved by Ann Person on 2026-11-10" "$out"
check_eq "subject" "refctl: content $Q approved by Ann Person" "$(git log -1 --format=%s)"
run refctl content legal "$Q" --by "Lee Legal" --country DE --country AT
check_rc 0
check_eq "output" "$Q cleared by Lee Legal for DE, AT" "$out"
check_eq "subject" "refctl: content $Q cleared by Lee Legal for DE, AT" "$(git log -1 --format=%s)"
check_eq "two commits" "$((before + 2))" "$(commit_count)"
check_contains "the maps" "  approved:
    by: Ann Person
    date: 2026-11-10
  legal:
    by: Lee Legal
    date: 2026-11-15
    countries:
    - DE
    - AT
  expires: 2027-06-30" "$(cat advocates/ann.yaml)"

test_case "use: records the request; twice is refused"
run refctl content use "$Q" --request "${R1%???}"
check_rc 0
check_eq "output" "$Q used for $R1" "$out"
check_eq "subject" "refctl: content $Q used for $R1" "$(git log -1 --format=%s)"
check_contains "used" "  used:
  - $R1" "$(cat advocates/ann.yaml)"
before=$(commit_count)
run refctl content use "$Q" --request "$R1"
check_rc 2
check_eq "says so" "error: $Q was already used for $R1" "$err"
nothing_written "second use"
run refctl content use "$Q" --request ann/261115-zzzzzzzz
check_rc 1
check_eq "no such request" "error: no request 'ann/261115-zzzzzzzz' in advocates/ann.yaml" "$err"

test_case "translate: a new item linked to its original, needing its own approval"
run refctl content translate "$Q" --lang de --text "Es hat sich selbst bezahlt." --by "Jo Translator"
check_rc 0
DE=$out
check_new_id "$DE" ann
check_eq "subject" "refctl: content $DE: de translation of $Q" "$(git log -1 --format=%s)"
check_contains "the translation" "- id: $DE
  kind: quote
  lang: de
  title: Ann on Acme
  text: Es hat sich selbst bezahlt.
  products:
  - analytics
  - billing
  use_cases:
  - reporting
  created: 2026-11-15
  expires: 2027-06-30
  translation_of: $Q
  translated_by: Jo Translator" "$(cat advocates/ann.yaml)"
run refctl content show "$Q"
check_contains "the original names it" "translation:    de $DE" "$out"
run refctl content show "$DE"
check_contains "the translation names its original" "translation of: $Q, by Jo Translator" "$out"
check_contains "not usable yet" "usable:         no: not approved; no legal review" "$out"

test_case "translate: refusals, nothing written"
before=$(commit_count)
run refctl content translate "$Q" --lang en --text "x"
check_rc 2
check_eq "into the original's language" "error: lang: $Q is already in en: a translation must be into another language" "$err"
run refctl content translate "$Q" --lang de --text "noch einmal"
check_rc 2
check_eq "a second into de" "error: $Q already has a translation into de: $DE" "$err"
run refctl content translate "$Q" --lang de
check_rc 2
check_contains "needs a text" "error: a translation needs --text or --text-file" "$err"
nothing_written "refused translations"

test_case "approve: a translation cannot be approved before its original"
before=$(commit_count)
run refctl content approve "$DE" --by "Ann Person" --date 2026-11-09
check_rc 2
check_match "names the original" "^error: advocates/ann.yaml: content\[4\] is approved on 2026-11-09, before its original '$Q' \(2026-11-10\)$" "$err"
nothing_written "early approval"
run refctl content approve "$DE" --by "Ann Person" --date 2026-11-12
check_rc 0
run refctl content approve "$DE" --by "Ann Person" --date 2026-11-16
check_rc 2
check_eq "not after today" "error: date must not be after today (2026-11-15), not 2026-11-16" "$err"

test_case "expire: the item may not be used from that day"
run refctl content expire "$Q" --date 2026-12-01
check_rc 0
check_eq "output" "$Q expires 2026-12-01" "$out"
check_eq "subject" "refctl: content $Q expires 2026-12-01" "$(git log -1 --format=%s)"
run refctl content expire "$V" --date 2026-11-14
check_rc 2
check_contains "not before created" "content[3].expires must be after created (2026-11-15), not 2026-11-14" "$err"

test_case "consent: an expired consent or a scope without the kind makes an item unusable"
L=$(refctl content add bo --kind logo --lang en --title "Bo's logo" --url https://logos.example/bo.svg)
refctl content approve "$L" --by Bo >/dev/null
refctl content legal "$L" --by Lee >/dev/null
RB=$(refctl request new bo --prospect Initech --activity reference-call --requester Kim)
run refctl content use "$L" --request "$RB"
check_rc 0 "logo needs logo: covered"
Q2=$(refctl content add bo --kind review --lang en --title "Bo reviews" --text "Solid.")
refctl content approve "$Q2" --by Bo >/dev/null
refctl content legal "$Q2" --by Lee >/dev/null
run refctl content use "$Q2" --request "$RB"
check_rc 1
check_eq "a review needs name" "error: cannot use $Q2: no consent for name" "$err"
refctl set bo consent.until=2026-11-01 consent.scope=logo,name >/dev/null
run refctl content use "$L" --request "$RB"
check_rc 1
check_eq "consent expired" "error: cannot use $L: consent expired 2026-11-01" "$err"

test_case "list: every item, with what makes it unusable; filters"
run refctl content list --format tsv
check_rc 0
check_eq "tsv" "id	advocate	kind	lang	title	approved	legal	expires	used	usable
$Q	ann	quote	en	Ann on Acme	2026-11-10	2026-11-15 DE, AT	2026-12-01	1	yes
$T	ann	testimonial	de	Ann, lang				0	not approved; no legal review
$V	ann	video	en	Ann on video				0	not approved; no legal review
$DE	ann	quote	de	Ann on Acme	2026-11-12		2027-06-30	0	no legal review
$L	bo	logo	en	Bo's logo	2026-11-15	2026-11-15		1	consent expired 2026-11-01
$Q2	bo	review	en	Bo reviews	2026-11-15	2026-11-15		0	consent expired 2026-11-01" "$out"
run refctl content list --usable --format tsv
check_eq "usable" "$Q" "$(printf '%s\n' "$out" | sed 1d | cut -f1)"
run refctl content list --lang de --kind quote --format tsv
check_eq "lang and kind" "$DE" "$(printf '%s\n' "$out" | sed 1d | cut -f1)"
run refctl content list --advocate bo --industry retail --format tsv
check_eq "advocate and industry (the advocate's)" "$L $Q2" "$(printf '%s\n' "$out" | sed 1d | cut -f1 | tr '\n' ' ' | sed 's/ $//')"
run refctl content list --product billing --use-case reporting --format tsv
check_eq "product and use case" "$Q $DE" "$(printf '%s\n' "$out" | sed 1d | cut -f1 | tr '\n' ' ' | sed 's/ $//')"
run refctl content list --expiring 16 --format tsv
check_eq "expiring within 16 days" "$Q" "$(printf '%s\n' "$out" | sed 1d | cut -f1 | tr '\n' ' ' | sed 's/ $//')"
run refctl content list --expiring 15 --format tsv
check_eq "not within 15" "" "$(printf '%s\n' "$out" | sed 1d)"
run refctl content list --kind quote --format json
check_rc 0
check_eq "json" "$Q true 2026-11-10 DE,AT|$DE false 2026-11-12 |" \
	"$(printf '%s' "$out" | jq -r '.[] | "\(.id) \(.usable) \(.approved) \(.countries | join(","))"' | tr '\n' '|')"
run refctl content list --kind logo --format csv
check_eq "csv" "id,advocate,kind,lang,title,approved,legal,expires,used,usable" "$(printf '%s\n' "$out" | head -1 | tr -d '\r')"

test_case "list: a formula-like title is neutralised in CSV"
F=$(refctl content add ann --kind slide --lang en --title "=HYPERLINK(1)" --url https://slides.example/1)
run refctl content list --kind slide --format csv
check_contains "neutralised" "'=HYPERLINK(1)" "$out"

test_case "bad input: one error line naming the field, exit 2, nothing written"
before=$(commit_count)
bad() { # DESC EXPECTED-ERROR ARGS...
	local desc=$1 expected=$2
	shift 2
	run refctl content "$@"
	check_rc 2 "$desc: exit 2"
	check_eq "$desc: the error" "$expected" "$err"
}
bad "unknown kind" "error: kind must be one of quote, case-study, video, logo, review, testimonial, slide or article, not 'poem'" \
	add ann --kind poem --lang en --title T --text x
bad "unknown language" "error: lang must be an ISO 639-1 code such as de, not 'xx'" \
	add ann --kind quote --lang xx --title T --text x
bad "url not http(s)" "error: url must be an http or https address, not 'ftp://files.example/q'" \
	add ann --kind quote --lang en --title T --url ftp://files.example/q
bad "url without a host" "error: url must be an http or https address, not 'https://'" \
	add ann --kind quote --lang en --title T --url https://
mkdir -p "$TEST_ROOT/folder"
bad "text-file a directory" "error: text-file: $TEST_ROOT/folder: not a regular file (a directory)" \
	add ann --kind quote --lang en --title T --text-file "$TEST_ROOT/folder"
bad "text-file missing" "error: text-file: cannot open '$TEST_ROOT/none.txt': No such file or directory" \
	add ann --kind quote --lang en --title T --text-file "$TEST_ROOT/none.txt"
printf 'caf\xe9\n' >"$TEST_ROOT/latin1.txt"
bad "text-file not UTF-8" "error: text-file '$TEST_ROOT/latin1.txt': text is not valid UTF-8 (at byte 4)" \
	add ann --kind quote --lang en --title T --text-file "$TEST_ROOT/latin1.txt"
bad "text not UTF-8" "error: text is not valid UTF-8 (at byte 4)" \
	add ann --kind quote --lang en --title T --text "$(printf 'caf\xe9')"
head -c 1048577 /dev/zero | tr '\0' a >"$TEST_ROOT/big.txt"
bad "text over 1 MiB" "error: text-file: $TEST_ROOT/big.txt:1:1: file is larger than 1048576 bytes" \
	add ann --kind quote --lang en --title T --text-file "$TEST_ROOT/big.txt"
bad "title of two lines" "error: title must be a single line" \
	add ann --kind quote --lang en --title "$(printf 'a\nb')" --text x
bad "translation into an unknown language" "error: lang must be an ISO 639-1 code such as de, not 'zz'" \
	translate "$Q" --lang zz --text x
bad "legal for an unknown country" "error: country must be an ISO 3166 alpha-2 code such as DE, not 'XX'" \
	legal "$Q" --by Lee --country XX
bad "expires before today" "error: expires must be after today (2026-11-15), not 2026-11-15" \
	add ann --kind quote --lang en --title T --text x --expires 2026-11-15
run refctl content add ann --kind quote --lang en --title T --text x --url https://x.example
check_rc 2 "text and url: exit 2"
check_contains "text and url" "error: content needs exactly one of --text, --text-file and --url" "$err"
nothing_written "bad input"

test_case "check: a translation loop, a translation in its original's language, real dates"
cp advocates/ann.yaml "$TEST_ROOT/ann.yaml"
cat >>advocates/ann.yaml <<EOF
- id: ann/261115-aaaaaaaa
  kind: quote
  lang: fr
  translation_of: ann/261115-bbbbbbbb
- id: ann/261115-bbbbbbbb
  kind: quote
  lang: it
  translation_of: ann/261115-aaaaaaaa
- id: ann/261115-cccccccc
  kind: quote
  lang: de
  translation_of: $DE
- id: ann/261115-dddddddd
  kind: article
  lang: en
  created: 2026-02-30
- id: ann/261115-eeeeeeee
  kind: quote
  lang: en
  translation_of: ann/261115-ffffffff
EOF
run refctl check
check_rc 1
check_match "a loop" "content\[6\]\.translation_of makes a loop of translations" "$out$err"
check_match "the other side of the loop" "content\[7\]\.translation_of makes a loop of translations" "$out$err"
check_match "same language" "content\[8\]\.lang is de, the language of its original '$DE': a translation must be in another language" "$out$err"
check_match "a real date" "content\[9\]\.created must be a date YYYY-MM-DD, not '2026-02-30'" "$out$err"
check_match "no original" "content\[10\]\.translation_of names 'ann/261115-ffffffff', which is not a content item of this file" "$out$err"
cp "$TEST_ROOT/ann.yaml" advocates/ann.yaml
run refctl check
check_rc 0 "check passes again"

test_case "every verb's help"
for v in add translate approve legal expire use show list find; do
	run refctl content "$v" -h
	check_rc 0 "content $v -h"
	check_match "content $v -h: synopsis" "^usage: refctl content $v" "$out"
done
run refctl content frob
check_rc 2
check_contains "unknown verb" "error: 'frob' is not a content verb" "$err"

finish
