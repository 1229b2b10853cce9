#!/bin/bash
# refctl match: availability, relevance with partial credit and aliases, the
# order and its tie-breaks, --explain, every format, --prospect, bad input.
# Today is 2026-11-15 (lib.sh): quarter Q4 = 2026-10-01 .. 2026-12-31, and
# the 90 days ending today are 2026-08-18 .. 2026-11-15.
. "$(dirname "$0")/lib.sh"

TAB=$(printf '\t')

# ---------------------------------------------------------------------------
# Repository "rank": four advocates for relevance, partial credit, aliases.
new_repo rank
sed -i 's/^  aliases: {}$/  aliases:\n    fintech: financial-services/' refctl.yaml
cat >advocates/anna.yaml <<'EOF'
id: anna
name: Anna Schmidt
company: Mueller Maschinenbau
status: active
industry: manufacturing
region: EMEA
country: DE
segment: mid-market
languages: [de, en]
products: [analytics, erp]
use_cases: [supply-chain-visibility]
activities: [reference-call, case-study]
requests:
  - id: anna/1
    opened: 2026-09-01
    activity: reference-call
    status: completed
    closed: 2026-09-10
    outcome: won
EOF
cat >advocates/bert.yaml <<'EOF'
id: bert
name: Bert Meier
company: Stahlwerk GmbH
status: active
industry: Manufacturing
region: emea
country: AT
segment: enterprise
languages: [de]
products: [Analytics]
use_cases: [supply chain visibility, forecasting]
activities: [reference-call]
EOF
cat >advocates/carla.yaml <<'EOF'
id: carla
name: Carla Rossi
company: Banca Uno
status: active
industry: Financial Services
region: EMEA
country: IT
languages: [it, en]
products: [crm]
use_cases: [risk reporting]
activities: [reference-call, video]
consent:
  until: 2027-06-30
EOF
cat >advocates/dan.yaml <<'EOF'
id: dan
name: Dan Park
company: PayFast
status: active
industry: fintech
region: APAC
country: SG
languages: [en]
products: [analytics, crm]
use_cases: [risk-reporting]
activities: [reference-call]
EOF
git add -A && git commit -qm fixture
commits=$(commit_count)

# The German manufacturer: use_case 4 + product 3 + industry 3 + language 2 = 12 points.
#   anna: 4 + 3 (analytics, erp: 2 of 2) + 3 + 2 = 12 -> 100%; load 1 (2026-09-01)
#   bert: 4 + 1.5 (analytics: 1 of 2) + 3 + 2 = 10.5 -> 87.5% -> 88%
#   dan: 1.5 (analytics) -> 12.5% -> 13%
#   carla: 0 -> 0%, left out unless --min-relevance 0
A=(--industry manufacturing --language de --product analytics --product erp
   --use-case supply-chain-visibility --activity reference-call)

test_case "table: ranked by relevance, partial credit shown"
run refctl match "${A[@]}"
check_rc 0
check_eq "table" "rank  id    name          company               relevance  load  matched
   1  anna  Anna Schmidt  Mueller Maschinenbau       100%     1  use_case, product, industry, language
   2  bert  Bert Meier    Stahlwerk GmbH              88%     0  use_case, product 1/2, industry, language
   3  dan   Dan Park      PayFast                     13%     0  product 1/2" "$out"
check_eq "nothing on stderr" "" "$err"

test_case "0% relevance is left out unless --min-relevance 0"
run refctl match "${A[@]}" --min-relevance 0
check_rc 0
check_eq "table with carla" "rank  id     name          company               relevance  load  matched
   1  anna   Anna Schmidt  Mueller Maschinenbau       100%     1  use_case, product, industry, language
   2  bert   Bert Meier    Stahlwerk GmbH              88%     0  use_case, product 1/2, industry, language
   3  dan    Dan Park      PayFast                     13%     0  product 1/2
   4  carla  Carla Rossi   Banca Uno                    0%     0" "$out"

test_case "--min-relevance PCT keeps relevance at or above PCT"
# bert 87.5% is kept by 87 and left out by 88 (the shown 88% is rounded)
run refctl match "${A[@]}" --min-relevance 87 --format ids
check_eq "87" "anna
bert" "$out"
run refctl match "${A[@]}" --min-relevance 88 --format ids
check_eq "88" "anna" "$out"
run refctl match "${A[@]}" --min-relevance 100 --format ids
check_eq "100" "anna" "$out"
run refctl match "${A[@]}" --min-relevance 101
check_rc 2
check_contains "range" "error: --min-relevance must be a whole percentage from 0 to 100, not '101'" "$err"
run refctl match "${A[@]}" --min-relevance x
check_rc 2

test_case "none relevant enough: exit 1, saying so"
run refctl match --industry mining
check_rc 1
check_eq "nothing" "" "$out"
check_eq "why" "error: no advocate is available: 4 of 4 are below the minimum relevance (--min-relevance 0 keeps them)" "$err"

test_case "match writes nothing"
check_eq "no commit" "$commits" "$(commit_count)"
check_eq "clean work tree" "" "$(git status --porcelain)"

test_case "--limit"
run refctl match "${A[@]}" --limit 1 --format ids
check_rc 0
check_eq "one" "anna" "$out"
run refctl match "${A[@]}" --limit 0 --format ids
check_eq "all" "anna
bert
dan" "$out"

test_case "tsv: header and fixed columns"
run refctl match "${A[@]}" --limit 2 --format tsv
check_rc 0
check_eq "tsv" "rank${TAB}id${TAB}name${TAB}company${TAB}relevance${TAB}load_90d${TAB}win_rate${TAB}matched${TAB}missed${TAB}excluded
1${TAB}anna${TAB}Anna Schmidt${TAB}Mueller Maschinenbau${TAB}1.0000${TAB}1${TAB}0.6667${TAB}use_case=supply-chain-visibility,product=analytics,product=erp,industry=manufacturing,language=de${TAB}${TAB}
2${TAB}bert${TAB}Bert Meier${TAB}Stahlwerk GmbH${TAB}0.8750${TAB}0${TAB}0.5000${TAB}use_case=supply-chain-visibility,product=analytics,industry=manufacturing,language=de${TAB}product=erp${TAB}" "$out"

test_case "json: stable keys"
run refctl match "${A[@]}" --limit 2 --format json
check_rc 0
# win rates: anna (1 won + 1) / (1 + 0 + 2) = 2/3; bert (0 + 1) / (0 + 0 + 2) = 1/2
check_eq "json" '[
  {
    "id": "anna",
    "name": "Anna Schmidt",
    "company": "Mueller Maschinenbau",
    "relevance": 1.0,
    "load_90d": 1,
    "win_rate": 0.666666666666667,
    "matched": [
      "use_case=supply-chain-visibility",
      "product=analytics",
      "product=erp",
      "industry=manufacturing",
      "language=de"
    ],
    "missed": [],
    "excluded": [],
    "at_risk": null,
    "days_since_contact": null,
    "contact_overdue": false
  },
  {
    "id": "bert",
    "name": "Bert Meier",
    "company": "Stahlwerk GmbH",
    "relevance": 0.875,
    "load_90d": 0,
    "win_rate": 0.5,
    "matched": [
      "use_case=supply-chain-visibility",
      "product=analytics",
      "industry=manufacturing",
      "language=de"
    ],
    "missed": [
      "product=erp"
    ],
    "excluded": [],
    "at_risk": null,
    "days_since_contact": null,
    "contact_overdue": false
  }
]' "$out"

test_case "--explain"
run refctl match "${A[@]}" --limit 3 --explain
check_rc 0
check_eq "explain" "criteria: use_case 4, product 3, industry 3, language 2 = 12 points

1. anna (Anna Schmidt, Mueller Maschinenbau)
   relevance 100%: 12 of 12 points
   met     use_case  4 of 4  supply-chain-visibility
   met     product   3 of 3  analytics, erp
   met     industry  3 of 3  manufacturing
   met     language  2 of 2  de
   load: 1 engagement in the last 90 days
   win rate: 67% = (1 won + 1) / (1 won + 0 lost + 2)

2. bert (Bert Meier, Stahlwerk GmbH)
   relevance 88%: 10.5 of 12 points
   met     use_case    4 of 4  supply-chain-visibility
   partly  product   1.5 of 3  analytics; not erp
   met     industry    3 of 3  manufacturing
   met     language    2 of 2  de
   load: 0 engagements in the last 90 days
   win rate: 50% = (0 won + 1) / (0 won + 0 lost + 2)

3. dan (Dan Park, PayFast)
   relevance 13%: 1.5 of 12 points
   missed  use_case    0 of 4  supply-chain-visibility
   partly  product   1.5 of 3  analytics; not erp
   missed  industry    0 of 3  manufacturing
   missed  language    0 of 2  de
   load: 0 engagements in the last 90 days
   win rate: 50% = (0 won + 1) / (0 won + 0 lost + 2)" "$out"

test_case "--prospect FILE gives the same ranking as the flags"
cat >"$TEST_ROOT/prospect.yaml" <<'EOF'
industry: manufacturing
language: de
products: [analytics, erp]
use_cases:
  - supply-chain-visibility
activity: reference-call
EOF
run refctl match --prospect "$TEST_ROOT/prospect.yaml" --format ids
check_rc 0
check_eq "ids" "anna
bert
dan" "$out"
run refctl match --prospect "$TEST_ROOT/prospect.yaml" --format tsv --limit 2
check_contains "same figures" "1${TAB}anna${TAB}Anna Schmidt${TAB}Mueller Maschinenbau${TAB}1.0000" "$out"
check_contains "same figures" "2${TAB}bert${TAB}Bert Meier${TAB}Stahlwerk GmbH${TAB}0.8750" "$out"

test_case "--prospect - reads stdin (a CRM export piped in)"
run_in "$TEST_ROOT/prospect.yaml" refctl match --prospect - --format ids --limit 2
check_rc 0
check_eq "ids" "anna
bert" "$out"
run sh -c "printf 'industry: FinTech\n' | '$REFCTL' match --prospect - --format ids --limit 1"
check_eq "from a pipe" "carla" "$out"

test_case "flags win over the --prospect file"
# industry retail replaces manufacturing: use_case 4 + product 3 + language 2 = 12 still
# (industry counts with weight 3 but nobody is in retail):
#   anna 4 + 3 + 0 + 2 = 9 -> 75%; bert 4 + 1.5 + 2 = 7.5 -> 62.5% -> 63%
run refctl match --prospect "$TEST_ROOT/prospect.yaml" --industry retail --limit 2 --format tsv
check_contains "anna" "1${TAB}anna${TAB}Anna Schmidt${TAB}Mueller Maschinenbau${TAB}0.7500" "$out"
check_contains "bert" "2${TAB}bert${TAB}Bert Meier${TAB}Stahlwerk GmbH${TAB}0.6250" "$out"
check_contains "industry missed" "industry=retail" "$out"

test_case "aliases, and load as the first tie-break"
# industry 3 + region 2 = 5 points; FinTech -> fintech -> financial-services
#   carla: Financial Services = financial-services (3) + EMEA (2) = 5 -> 100%
#   dan: fintech -> financial-services (3), APAC (0) = 3 -> 60%
#   anna and bert: EMEA only = 2 -> 40% each; bert has load 0, anna 1
run refctl match --industry FinTech --region emea --format tsv
check_rc 0
check_eq "order and relevance" "id relevance load_90d
carla 1.0000 0
dan 0.6000 0
bert 0.4000 0
anna 0.4000 1" "$(printf '%s\n' "$out" | cut -f2,5,6 | tr '\t' ' ')"

test_case "weights from refctl.yaml"
cp refctl.yaml "$TEST_ROOT/refctl.yaml.orig"
sed -i 's/^    industry: 3$/    industry: 10/' refctl.yaml
# industry 10 + region 2 = 12: carla 12/12; dan 10/12 = 0.8333; bert, anna 2/12 = 0.1667
run refctl match --industry FinTech --region emea --format tsv
check_eq "weighted" "carla 1.0000
dan 0.8333
bert 0.1667
anna 0.1667" "$(printf '%s\n' "$out" | tail -n +2 | cut -f2,5 | tr '\t' ' ')"

test_case "a negative weight is refused"
sed -i 's/^    industry: 10$/    industry: -1/' refctl.yaml
run refctl match --industry retail
check_rc 2
check_eq "names the line" "error: refctl.yaml:12:15: match.weights.industry must be a number from 0 to 1000" "$err"
check_eq "no output" "" "$out"

test_case "a weight that is not a number is refused"
sed -i 's/^    industry: -1$/    industry: three/' refctl.yaml
run refctl match --industry retail
check_rc 2
check_eq "names the line" "error: refctl.yaml:12:15: match.weights.industry must be a number from 0 to 1000" "$err"
sed -i 's/^    industry: three$/    industry: "3"/' refctl.yaml
run refctl match --industry retail
check_rc 2
check_contains "a quoted number is text" "match.weights.industry must be a number" "$err"
cp "$TEST_ROOT/refctl.yaml.orig" refctl.yaml

test_case "format ids piped into head: nothing else"
out=$("$REFCTL" match "${A[@]}" --format ids 2>"$TEST_ROOT/pipe.err" | head -1)
check_eq "first id" "anna" "$out"
check_eq "no noise" "" "$(cat "$TEST_ROOT/pipe.err")"

test_case "a closed pipe makes no noise, even with SIGPIPE ignored"
(
	trap '' PIPE
	{ sleep 0.5; "$REFCTL" match "${A[@]}" --limit 0 --format ids; echo $? >"$TEST_ROOT/pipe.rc"; } \
		2>"$TEST_ROOT/pipe.err" | true
)
check_eq "no message" "" "$(cat "$TEST_ROOT/pipe.err")"
check_eq "ended by SIGPIPE" "141" "$(cat "$TEST_ROOT/pipe.rc")"

test_case "a full disk is still an error"
"$REFCTL" match "${A[@]}" >/dev/full 2>"$TEST_ROOT/full.err"
echo $? >"$TEST_ROOT/full.rc"
check_eq "exit 3" "3" "$(cat "$TEST_ROOT/full.rc")"
check_eq "says so" "error: cannot write output" "$(cat "$TEST_ROOT/full.err")"

test_case "bad advocate files are skipped with one warning each"
printf 'id: zed\nname: [unclosed\n' >advocates/zed.yaml
printf 'id: yolo\nname: Yolo\ncompany: Y\nstatus: sleeping\n' >advocates/yolo.yaml
run refctl match "${A[@]}" --format ids
check_rc 0
check_eq "the others are ranked" "anna
bert
dan" "$out"
check_eq "two warnings" "2" "$(printf '%s\n' "$err" | wc -l)"
check_match "in id order" "^warning: skipped advocates/yolo\.yaml" "$(printf '%s\n' "$err" | head -1)"
check_match "zed named" "^warning: skipped advocates/zed\.yaml:[0-9]+:[0-9]+: .*\(run 'refctl check'\)$" "$err"
check_contains "yolo named" "warning: skipped advocates/yolo.yaml:4:9: status must be one of nominated, active, paused or retired, not 'sleeping' (run 'refctl check')" "$err"
rm advocates/zed.yaml advocates/yolo.yaml

test_case "skipped files are warned about in id order, not bytewise"
# bytewise "yolo-2.yaml" < "yolo.yaml"; as ids "yolo" < "yolo-2"
printf 'id: yolo-2\nname: [unclosed\n' >advocates/yolo-2.yaml
printf 'id: yolo\nname: [unclosed\n' >advocates/yolo.yaml
run refctl match "${A[@]}" --format ids
check_rc 0
check_eq "yolo, then yolo-2" "advocates/yolo.yaml
advocates/yolo-2.yaml" "$(printf '%s\n' "$err" | sed -n 's/^warning: skipped \(advocates\/[a-z0-9-]*\.yaml\):.*/\1/p')"
rm advocates/yolo.yaml advocates/yolo-2.yaml

# ---------------------------------------------------------------------------
# Repository "ties": equal relevance, broken by load, win rate, then id.
new_repo ties
retail() { # ID [REQUESTS-YAML]
	{
		printf 'id: %s\nname: Person %s\ncompany: Shop %s\nstatus: active\n' "$1" "$1" "$1"
		printf 'industry: retail\nactivities: [reference-call]\n'
		[ -n "${2:-}" ] && printf 'requests:\n%s\n' "$2"
	} >"advocates/$1.yaml"
}
req() { # ID OPENED CLOSED OUTCOME
	printf '  - id: %s\n    opened: %s\n    activity: reference-call\n    status: completed\n    closed: %s\n' "$1" "$2" "$3"
	[ -n "${4:-}" ] && printf '    outcome: %s\n' "$4"
}
# erin: load 1 (2026-10-20 is in the 90 days), won 1 -> 2/3
retail erin "$(req erin/1 2026-10-20 2026-10-25 won)"
# finn: load 0, won 1 lost 1 -> 2/4 = 1/2
retail finn "$(req finn/1 2026-03-01 2026-03-05 won; req finn/2 2026-04-01 2026-04-05 lost)"
# gail: load 0 (2026-08-17 is day 91 back), won 1 -> 2/3
retail gail "$(req gail/1 2026-08-17 2026-08-20 won)"
# hugo and ivy: load 0, no outcome -> 1/2; only the id tells them apart
retail hugo
retail ivy "$(req ivy/1 2026-05-01 2026-05-03)"
# jo: load 1 on the first day of the window (2026-08-18), lost 1 -> 1/3
retail jo "$(req jo/1 2026-08-18 2026-08-19 lost)"
git add -A && git commit -qm fixture

test_case "ties: fewer engagements first, then higher win rate, then id"
# all 100%; load 0: gail (2/3), then finn, hugo, ivy (1/2, by id); load 1: erin (2/3), jo (1/3)
run refctl match --industry retail --activity reference-call --format tsv
check_rc 0
check_eq "order" "rank id load_90d win_rate
1 gail 0 0.6667
2 finn 0 0.5000
3 hugo 0 0.5000
4 ivy 0 0.5000
5 erin 1 0.6667
6 jo 1 0.3333" "$(printf '%s\n' "$out" | cut -f1,2,6,7 | tr '\t' ' ')"

# ---------------------------------------------------------------------------
# Repository "excl": one advocate per exclusion rule.
new_repo excl
person() { # ID STATUS COMPANY [EXTRA-YAML]
	{
		printf 'id: %s\nname: Person %s\ncompany: %s\nstatus: %s\n' "$1" "$1" "$3" "$2"
		[ -n "${4:-}" ] && printf '%s\n' "$4"
	} >"advocates/$1.yaml"
}
open_req() { # ID OPENED
	printf '  - id: %s\n    opened: %s\n    activity: reference-call\n    status: requested\n' "$1" "$2"
}
person able active Able "activities: [reference-call]"
person paula paused Paula "activities: [reference-call]"
person quinn active Quinn "activities: [reference-call]
consent:
  until: 2026-09-30"
person rosa active Rosa "activities: [video]
consent:
  scope: [name, video]"
# sam: four engagements this quarter (a cancelled one does not count)
person sam active Sam "activities: [reference-call]
requests:
$(open_req sam/1 2026-10-01; open_req sam/2 2026-10-02; open_req sam/3 2026-10-03; open_req sam/4 2026-10-04)
  - id: sam/5
    opened: 2026-10-05
    activity: reference-call
    status: cancelled
    closed: 2026-10-06"
# tina: engaged on 2026-11-10, 14 rest days: may be asked from 2026-11-24
person tina active Tina "activities: [reference-call]
requests:
$(open_req tina/1 2026-11-10)"
person uwe active Globex "activities: [reference-call]"
git add -A && git commit -qm fixture

test_case "excluded advocates are left out"
run refctl match --activity reference-call --exclude-company GLOBEX --format ids
check_rc 0
check_eq "only able" "able" "$out"

test_case "--all lists every excluded advocate after the available ones, with the reason"
# no criteria: all 100%; excluded ones by load: paula, quinn, rosa, uwe (0), tina (1), sam (4)
run refctl match --activity reference-call --exclude-company GLOBEX --all
check_rc 0
check_eq "table" "rank  id     name          company  relevance  load  matched  excluded
   1  able   Person able   Able          100%     0
   -  paula  Person paula  Paula         100%     0           paused
   -  quinn  Person quinn  Quinn         100%     0           consent expired 2026-09-30
   -  rosa   Person rosa   Rosa          100%     0           not willing: reference-call
   -  uwe    Person uwe    Globex        100%     0           company excluded
   -  tina   Person tina   Tina          100%     1           resting until 2026-11-24
   -  sam    Person sam    Sam           100%     4           quarter limit 4/4" "$out"

test_case "--all in json: reasons as a list"
run refctl match --activity video --all --format json --limit 1
check_rc 0
check_eq "json" '[
  {
    "id": "rosa",
    "name": "Person rosa",
    "company": "Rosa",
    "relevance": 1.0,
    "load_90d": 0,
    "win_rate": 0.5,
    "matched": [],
    "missed": [],
    "excluded": [],
    "at_risk": null,
    "days_since_contact": null,
    "contact_overdue": false
  },
  {
    "id": "able",
    "name": "Person able",
    "company": "Able",
    "relevance": 1.0,
    "load_90d": 0,
    "win_rate": 0.5,
    "matched": [],
    "missed": [],
    "excluded": [
      "not willing: video"
    ],
    "at_risk": null,
    "days_since_contact": null,
    "contact_overdue": false
  },
  {
    "id": "paula",
    "name": "Person paula",
    "company": "Paula",
    "relevance": 1.0,
    "load_90d": 0,
    "win_rate": 0.5,
    "matched": [],
    "missed": [],
    "excluded": [
      "paused",
      "not willing: video"
    ],
    "at_risk": null,
    "days_since_contact": null,
    "contact_overdue": false
  },
  {
    "id": "quinn",
    "name": "Person quinn",
    "company": "Quinn",
    "relevance": 1.0,
    "load_90d": 0,
    "win_rate": 0.5,
    "matched": [],
    "missed": [],
    "excluded": [
      "consent expired 2026-09-30",
      "not willing: video"
    ],
    "at_risk": null,
    "days_since_contact": null,
    "contact_overdue": false
  },
  {
    "id": "uwe",
    "name": "Person uwe",
    "company": "Globex",
    "relevance": 1.0,
    "load_90d": 0,
    "win_rate": 0.5,
    "matched": [],
    "missed": [],
    "excluded": [
      "not willing: video"
    ],
    "at_risk": null,
    "days_since_contact": null,
    "contact_overdue": false
  },
  {
    "id": "tina",
    "name": "Person tina",
    "company": "Tina",
    "relevance": 1.0,
    "load_90d": 1,
    "win_rate": 0.5,
    "matched": [],
    "missed": [],
    "excluded": [
      "not willing: video",
      "resting until 2026-11-24"
    ],
    "at_risk": null,
    "days_since_contact": null,
    "contact_overdue": false
  },
  {
    "id": "sam",
    "name": "Person sam",
    "company": "Sam",
    "relevance": 1.0,
    "load_90d": 4,
    "win_rate": 0.5,
    "matched": [],
    "missed": [],
    "excluded": [
      "not willing: video",
      "quarter limit 4/4"
    ],
    "at_risk": null,
    "days_since_contact": null,
    "contact_overdue": false
  }
]' "$out"

test_case "--all with --explain says why each one is out"
run refctl match --activity reference-call --all --explain --limit 1 --industry retail --min-relevance 0
check_rc 0
check_contains "excluded block" "-  sam (Person sam, Sam)
   excluded: quarter limit 4/4
   relevance 0%: 0 of 3 points
   missed  industry  0 of 3  retail
   load: 4 engagements in the last 90 days" "$out"

test_case "exit 1 when no advocate is available, naming the rule that excluded most"
# speaking: all 7 not willing; paula, quinn, sam, tina also fail another rule
run refctl match --activity speaking
check_rc 1
check_eq "no output" "" "$out"
check_eq "most excluded by" "error: no advocate is available: the rule that excluded most is 'not willing' (7 of 7)" "$err"
run refctl match --activity speaking --format json
check_rc 1
check_eq "an empty list" "[]" "$out"
run refctl match --activity speaking --format tsv
check_eq "just the header" "rank${TAB}id${TAB}name${TAB}company${TAB}relevance${TAB}load_90d${TAB}win_rate${TAB}matched${TAB}missed${TAB}excluded" "$out"
run refctl match --activity speaking --all --format ids
check_rc 1
check_eq "ids lists available advocates only" "" "$out"

# ---------------------------------------------------------------------------
# Repository "health": the relationship. Today 2026-11-15; report.at_risk_nps
# 6 and report.at_risk_contact_days 180 (the defaults) unless set.
#   happy: nps 9, spoke 2026-11-01          -> available
#   six:   nps 6                            -> at risk: nps 6
#   red:   nps 8, health red                -> at risk: health red
#   both:  nps 4, health red                -> at risk: nps 4, health red
#   quiet: nps 9, last contact 2025-11-15 (365 days) -> available, ranked after equals
#   quiet2: last contact 2026-05-19 (180 days, not over) -> available, not flagged
new_repo health
person happy active Happy "activities: [reference-call]
nps: 9
industry: healthcare
last_contact: 2026-11-01"
person six active Six "activities: [reference-call]
nps: 6
industry: healthcare"
person red active Red "activities: [reference-call]
nps: 8
health: red
industry: healthcare"
person both active Both "activities: [reference-call]
nps: 4
health: red
industry: healthcare"
person quiet active Quiet "activities: [reference-call]
nps: 9
industry: healthcare
last_contact: 2025-11-15"
person quiet2 active Quiet2 "activities: [reference-call]
industry: healthcare
last_contact: 2026-05-19"
git add -A && git commit -qm fixture

test_case "at-risk advocates are excluded by default, with the reason named"
run refctl match --industry healthcare --all
check_rc 0
check_eq "table" "rank  id      name           company  relevance  load  matched   excluded
   1  happy   Person happy   Happy         100%     0  industry
   2  quiet2  Person quiet2  Quiet2        100%     0  industry
   3  quiet   Person quiet   Quiet         100%     0  industry
   -  both    Person both    Both          100%     0  industry  at risk: nps 4, health red
   -  red     Person red     Red           100%     0  industry  at risk: health red
   -  six     Person six     Six           100%     0  industry  at risk: nps 6" "$out"

test_case "no contact for longer than report.at_risk_contact_days: ranked after equals, flagged in --explain"
run refctl match --industry healthcare --explain --limit 3
check_rc 0
check_contains "flag" "3. quiet (Person quiet, Quiet)
   relevance 100%: 3 of 3 points
   met     industry  3 of 3  healthcare
   contact overdue: last contact 365 days ago, more than 180: ranked after equally relevant advocates
   load: 0 engagements in the last 90 days" "$out"
check_not_contains "180 days is not over" "contact overdue: last contact 180" "$out"
run refctl match --industry healthcare --limit 3 --format json
check_contains "json" '"id": "quiet",' "$out"
check_contains "json days" '"days_since_contact": 365,
    "contact_overdue": true' "$out"

test_case "the threshold comes from refctl.yaml"
sed -i 's/^  at_risk_nps: 6$/  at_risk_nps: 3/; s/^  at_risk_contact_days: 180$/  at_risk_contact_days: 400/' refctl.yaml
run refctl match --industry healthcare --format ids --limit 0
check_eq "six and both-by-nps back, red still out, quiet no longer last" "happy
quiet
quiet2
six" "$out"
git checkout -q refctl.yaml

test_case "--include-at-risk keeps them, saying why in --explain"
run refctl match --industry healthcare --include-at-risk --format ids --limit 0
check_eq "all, quiet last" "both
happy
quiet2
red
six
quiet" "$out"
run refctl match --industry healthcare --include-at-risk --explain --limit 1
check_contains "said" "1. both (Person both, Both)
   relevance 100%: 3 of 3 points
   met     industry  3 of 3  healthcare
   at risk: nps 4, health red (included by --include-at-risk)" "$out"

test_case "only at-risk advocates: exit 1 naming the rule"
mkdir -p "$TEST_ROOT/off" && mv advocates/happy.yaml advocates/quiet.yaml advocates/quiet2.yaml "$TEST_ROOT/off/"
run refctl match --industry healthcare
check_rc 1
check_eq "rule" "error: no advocate is available: the rule that excluded most is 'at risk' (3 of 3)" "$err"
mv "$TEST_ROOT"/off/*.yaml advocates/

test_case "request new refuses an at-risk advocate, naming the reason"
run refctl request new both --prospect Globex --activity reference-call --requester Rep
check_rc 1
check_eq "refused" "error: both is not available for reference-call: at risk: nps 4, health red (--include-at-risk or --force with -m REASON records the request anyway)" "$err"
check_eq "nothing written" "" "$(git status --porcelain)"

test_case "request new --include-at-risk -m REASON records it, forced as with --force"
run refctl request new both --prospect Globex --activity reference-call --requester Rep --include-at-risk -m "CEO asked"
check_rc 0
check_eq "warned" "warning: forced past the availability rules for both: at risk: nps 4, health red" "$err"
check_contains "forced" "  forced: true
  reason: CEO asked" "$(cat advocates/both.yaml)"
run refctl request new red --prospect Globex --activity reference-call --requester Rep --include-at-risk
check_rc 2
check_contains "needs a reason" "error: including an at-risk advocate needs a reason (-m REASON)" "$err"

test_case "--include-at-risk lifts only the at-risk rule"
person rested active Rested "activities: [reference-call]
nps: 2
limits:
  rest_days: 30
requests:
  - id: rested/1
    opened: 2026-11-01
    activity: quote
    status: requested"
git add -A && git commit -qm rested
run refctl request new rested --prospect Globex --activity reference-call --requester Rep --include-at-risk -m why
check_rc 1
check_contains "still resting" "rested is not available for reference-call: resting until 2026-12-01; at risk: nps 2" "$err"
run refctl request new rested --prospect Globex --activity reference-call --requester Rep --force -m why
check_rc 0

# ---------------------------------------------------------------------------
# Repository "quarter": the quarter limit resets on the first day of a quarter.
new_repo quarter
q3() { # ID
	local n=0 d
	person "$1" active "Co $1" "activities: [reference-call]
requests:
$(for d in 2026-07-01 2026-08-01 2026-09-01 2026-09-10; do
	n=$((n + 1))
	printf '  - id: %s/%d\n    opened: %s\n    activity: reference-call\n    status: completed\n    closed: %s\n' \
		"$1" "$n" "$d" "$d"
done)"
}
q3 vera
q3 xena
person yuri paused "Co yuri" "activities: [reference-call]"
git add -A && git commit -qm fixture

test_case "the last day of a quarter: the limit holds"
# 2026-09-30: four engagements in Q3 (07-01, 08-01, 09-01, 09-10); rest ended 09-24.
# Load: the 90 days are 07-03 .. 09-30, so 3 each for vera and xena; yuri 0 comes first.
REFCTL_TODAY=2026-09-30 run refctl match --all --format tsv
check_rc 1
check_eq "reasons" "yuri paused
vera quarter limit 4/4
xena quarter limit 4/4" "$(printf '%s\n' "$out" | tail -n +2 | cut -f2,10 | tr '\t' ' ')"
check_eq "most excluded by" "error: no advocate is available: the rule that excluded most is 'quarter limit' (2 of 3)" "$err"

test_case "the first day of the next quarter: counted from zero"
REFCTL_TODAY=2026-10-01 run refctl match --format ids
check_rc 0
check_eq "available again" "vera
xena" "$out"

test_case "a repository with no advocate, or none readable"
new_repo empty
run refctl match
check_rc 1
check_eq "says so" "error: no advocate is available: there are no advocates in advocates/" "$err"
printf 'id: [\n' >advocates/bad.yaml
run refctl match --format ids
check_rc 1
check_eq "warns, then says so" "warning: skipped advocates/bad.yaml:2:1: did not find expected node content while parsing a flow node (run 'refctl check')
error: no advocate is available: no advocate file could be read (1 skipped)" "$err"

# ---------------------------------------------------------------------------
cd "$TEST_ROOT/rank"

test_case "bad usage: exit 2"
run refctl match --bogus
check_rc 2
check_contains "usage on stderr" "usage: refctl match" "$err"
run refctl match stray
check_rc 2
check_contains "names it" "unexpected argument 'stray'" "$err"
for bad in -1 abc 1x ""; do
	run refctl match --limit "$bad"
	check_rc 2 "--limit '$bad'"
	check_eq "--limit '$bad' explained" "error: option '--limit' expects an integer of 0 or more, not '$bad'" \
		"$(printf '%s\n' "$err" | head -1)"
done
run refctl match --format yaml
check_rc 2
check_contains "formats listed" "unknown format 'yaml' (expected table, tsv, json, ids)" "$err"
run refctl match --explain --format json
check_rc 2
check_contains "explain is text" "--explain prints text" "$err"
run refctl match --activity golf
check_rc 2
check_contains "activities listed" "unknown activity 'golf' (expected one of reference-call," "$err"
run refctl match --segment huge
check_rc 2
check_contains "segments listed" "segment must be smb, mid-market or enterprise, not 'huge'" "$err"
run refctl match --industry ""
check_rc 2
check_eq "empty value" "error: option '--industry' needs a value" "$(printf '%s\n' "$err" | head -1)"
check_contains "usage after it" "usage: refctl match" "$err"

test_case "bad --prospect: exit 2 with file, line and column"
printf 'industry: retail\nbudget: 100000\n' >"$TEST_ROOT/p1.yaml"
run refctl match --prospect "$TEST_ROOT/p1.yaml"
check_rc 2
check_eq "unknown key" "error: $TEST_ROOT/p1.yaml:2:1: unknown key 'budget' (expected industry, region, country, language, segment, products, use_cases or activity)" "$err"
check_eq "no output" "" "$out"
printf 'industry: "retail\n' >"$TEST_ROOT/p2.yaml"
run refctl match --prospect "$TEST_ROOT/p2.yaml"
check_rc 2
check_match "not YAML" "^error: $TEST_ROOT/p2\.yaml:[0-9]+:[0-9]+: " "$err"
printf 'just some text\n' >"$TEST_ROOT/p3.yaml"
run refctl match --prospect "$TEST_ROOT/p3.yaml"
check_rc 2
check_contains "not a map" "p3.yaml:1:1: a prospect must be a map" "$err"
printf 'products: {a: b}\n' >"$TEST_ROOT/p4.yaml"
run refctl match --prospect "$TEST_ROOT/p4.yaml"
check_rc 2
check_contains "typed" "p4.yaml:1:11: products must be a list of strings" "$err"
printf 'industry: retail\nbudget: 1\n' >"$TEST_ROOT/p5.yaml"
run_in "$TEST_ROOT/p5.yaml" refctl match --prospect -
check_rc 2
check_eq "stdin named" "error: <stdin>:2:1: unknown key 'budget' (expected industry, region, country, language, segment, products, use_cases or activity)" "$err"
run refctl match --prospect "$TEST_ROOT/nonexistent.yaml"
check_rc 2
check_contains "missing file" "cannot open '$TEST_ROOT/nonexistent.yaml'" "$err"

test_case "help"
run refctl match -h
check_rc 0
check_contains "usage on stdout" "usage: refctl match [--industry I]" "$out"
run refctl help match
check_rc 0
check_contains "explains the order" "Order: relevance, then contact not overdue (report.at_risk_contact_days), then fewer
engagements" "$out"

finish
