#!/bin/bash
# The rules that respect each country and sector: reward eligibility
# (refctl.yaml rewards.ineligible, an advocate's reward_eligible: false) and
# consent's scope for public activities in request new and match.
# Today is 2026-11-15 (lib.sh).
. "$(dirname "$0")/lib.sh"

new_repo prog
# the program: no points for government or public sector, nor in FR
sed -i 's/^    industries: \[\]$/    industries: [government, public sector]/; s/^    countries: \[\]$/    countries: [FR]/' refctl.yaml
git commit -qam "no rewards for the public sector, nor in France"
grep -q '^    industries: \[government, public sector\]$' refctl.yaml || { echo "refctl.yaml template changed" >&2; exit 1; }

ACT="activities: [reference-call, case-study, video]
limits:
  per_quarter: 10
  rest_days: 0"
write_advocate gov "industry: Government
$ACT"
write_advocate fr "industry: retail
country: FR
$ACT"
write_advocate nurse "industry: healthcare
reward_eligible: false
reward_note: hospital policy forbids gifts
$ACT"
write_advocate ok "industry: Government
reward_eligible: true
$ACT
consent:
  scope: [case-study]"
write_advocate plain "industry: retail
$ACT"

test_case "request complete records no points for an ineligible advocate, and says why"
for who in gov fr nurse plain; do
	id=$(refctl request new "$who" --prospect Acme --activity reference-call --requester Kim)
	refctl request approve "$id" --by Dana >/dev/null
	eval "R_$who=\$id"
done
run refctl request complete "$R_gov"
check_rc 0
check_eq "government" "$R_gov completed
gov: no points recorded: industry Government gets no rewards (rewards.ineligible.industries)" "$out"
check_contains "the commit says so" "No points recorded: industry Government gets no rewards (rewards.ineligible.industries)." "$(git log -1 --format=%b)"
check_not_contains "no rewards entry" "rewards:" "$(cat advocates/gov.yaml)"
run refctl request complete "$R_fr"
check_eq "a named country" "$R_fr completed
fr: no points recorded: country FR gets no rewards (rewards.ineligible.countries)" "$out"
run refctl request complete "$R_nurse"
check_eq "the advocate's own note" "$R_nurse completed
nurse: no points recorded: reward_eligible is false: hospital policy forbids gifts" "$out"
run refctl request complete "$R_plain"
check_eq "an eligible advocate gets the points" "$R_plain completed
plain: 10 points awarded, balance 10" "$out"

test_case "reward: refused for an ineligible advocate, redemptions still allowed; reward_eligible: true overrides"
before=$(commit_count)
run refctl reward nurse --points 20 --reason "thank you"
check_rc 1
check_eq "says why" "error: nurse may not be rewarded: reward_eligible is false: hospital policy forbids gifts; no points recorded" "$err"
run refctl reward gov --points 5 --reason "thank you"
check_rc 1
check_eq "industry" "error: gov may not be rewarded: industry Government gets no rewards (rewards.ineligible.industries); no points recorded" "$err"
check_eq "nothing written" "$before" "$(commit_count)"
run refctl reward ok --points 5 --reason "thank you"
check_rc 0
check_eq "reward_eligible: true wins over the industry" "ok: 5 points awarded, balance 5" "$out"

test_case "referral won: no points for an ineligible advocate"
F=$(refctl referral new fr --prospect Initech)
run refctl referral won "$F"
check_rc 0
check_eq "says why" "$F won
fr: no points recorded: country FR gets no rewards (rewards.ineligible.countries)" "$out"

test_case "check reports points given to an ineligible advocate"
run refctl check
check_rc 0 "none given so far"
cat >>advocates/nurse.yaml <<'EOF'
rewards:
- id: nurse/261101-aaaaaaaa
  date: 2026-11-01
  points: 10
  reason: gift card
EOF
git commit -qam "a reward given by hand"
run refctl check
check_rc 1
check_contains "the reward" "rewards[1] gives 10 points to an advocate who may not be rewarded: reward_eligible is false: hospital policy forbids gifts" "$out$err"

test_case "refctl.yaml: an unknown country in rewards.ineligible is refused"
sed -i 's/^    countries: \[FR\]$/    countries: [FR, XX]/' refctl.yaml
run refctl list
check_rc 2
check_contains "names it" "rewards.ineligible.countries must be ISO 3166 alpha-2 codes such as DE" "$err"
git checkout -q refctl.yaml

test_case "request new: a public activity needs the matching consent scope"
before=$(commit_count)
run refctl request new plain --prospect Acme --activity case-study --requester Kim
check_rc 1
check_eq "named as the other rules are" "error: plain is not available for case-study: no consent for case-study (--force with -m REASON records the request anyway)" "$err"
check_eq "nothing written" "$before" "$(commit_count)"
run refctl request new ok --prospect Acme --activity case-study --requester Kim
check_rc 0 "covered by the scope"
run refctl request new plain --prospect Acme --activity reference-call --requester Kim
check_rc 0 "a private activity needs no scope"
run refctl request new plain --prospect Acme --activity video --requester Kim --force -m "consent by phone"
check_rc 0 "--force records it anyway"
check_contains "forced" "forced: true" "$(cat advocates/plain.yaml)"

test_case "match: the same rule"
run refctl match --activity video --all --format tsv
check_rc 1
check_contains "excluded with the reason" "no consent for video" "$out"
run refctl match --activity video
check_rc 1
check_eq "the rule that excluded most" "error: no advocate is available: the rule that excluded most is 'consent scope' (5 of 5)" "$err"

finish
