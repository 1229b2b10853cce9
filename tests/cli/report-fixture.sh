# The fixture repository of the report tests (sourced by t-report*.sh after
# lib.sh). make_fixture NAME builds it in $TEST_ROOT/NAME and cd's there.
#
# Seven advocate files parse (ann, bob, cy, dee, eve, fay, gus) and one does
# not (broken); zed-old existed and was removed. The history of advocates/ is
# written with fixed commit dates and committer names so the roster changes
# of October 2026 (and September, the previous period) are known:
#
#   2026-08-01 12:00:00  Base Import   refctl.yaml alias; ann, cy, dee, fay (active), gus,
#                                      broken, zed-old added: before both periods
#   2026-09-10 09:00:00  Pat Admin     eve added                        (September)
#   2026-09-30 23:59:59  Pat Admin     dee edited                       (September, last second)
#   2026-10-01 00:00:00  Pat Admin     bob added                        (October, first second)
#   2026-10-20 10:00:00  Quinn Ops     fay: status active -> retired    (October)
#   2026-10-21 10:00:00  Quinn Ops     ann edited                       (October)
#   2026-10-22 10:00:00  Pat Admin     ann edited again                 (October)
#   2026-10-25 10:00:00  Pat Admin     zed-old removed                  (October)
#   2026-10-26 10:00:00  Quinn Ops     gus edited on a side branch      (October)
#   2026-10-27 10:00:00  Pat Admin     merge of the side branch (a merge: not counted)
#   2026-10-31 23:59:59  Test User     gus edited by `refctl set`       (October, last second)
#   2026-11-01 00:00:00  Quinn Ops     cy edited                        (after October: not counted)

commit_at() { # DATE NAME MESSAGE
	GIT_AUTHOR_DATE="$1" GIT_COMMITTER_DATE="$1" GIT_AUTHOR_NAME="$2" GIT_COMMITTER_NAME="$2" \
		git commit -qm "$3"
}

make_fixture() {
	new_repo "$1"
	sed -i 's/  aliases: {}/  aliases:\n    banking: financial services/' refctl.yaml

	cat >advocates/ann-lee-acme.yaml <<'EOF'
id: ann-lee-acme
name: Ann Lee
company: Acme
status: active
email: ann@acme.example
phone: "+44 20 7946 0001"
industry: Financial Services
region: EMEA
since: 2025-01-10
nps: 9
health: green
last_contact: 2026-10-20
products: [payments, api]
activities: [reference-call, case-study, quote]
consent:
  until: 2027-06-30
requests:
  - id: ann-lee-acme/1
    opened: 2026-10-01
    requester: Sam Seller
    opportunity: OPP-1
    activity: reference-call
    status: completed
    closed: 2026-10-05
    outcome: won
    deal_value: 100000
  - id: ann-lee-acme/2
    opened: 2026-10-31
    requester: Rita Rep
    activity: case-study
    status: requested
  - id: ann-lee-acme/3
    opened: 2026-09-30
    requester: Sam Seller
    opportunity: OPP-3
    activity: reference-call
    status: completed
    closed: 2026-10-10
    outcome: lost
  - id: ann-lee-acme/4
    opened: 2026-11-01
    requester: Rita Rep
    activity: quote
    status: requested
rewards:
  - date: 2026-09-15
    points: 50
  - date: 2026-10-05
    points: 10
    request: ann-lee-acme/1
  - date: 2026-10-20
    points: -5
EOF

	cat >advocates/cy-diaz-initech.yaml <<'EOF'
id: cy-diaz-initech
name: Cy Diaz
company: Initech
status: active
email: cy@initech.example
phone: "+1 555 0199"
industry: Healthcare
region: NA
since: 2024-05-01
health: red
last_contact: 2026-03-01
products: [analytics]
consent:
  until: 2027-01-01
limits:
  per_quarter: 2
requests:
  - id: cy-diaz-initech/1
    opened: 2026-10-05
    requester: Sam Seller
    opportunity: OPP-1
    activity: reference-call
    status: completed
    closed: 2026-10-13
    outcome: won
    deal_value: 180000
  - id: cy-diaz-initech/2
    opened: 2026-10-06
    requester: Rita Rep
    opportunity: OPP-9
    activity: referral
    status: completed
    closed: 2026-10-20
    outcome: won
    deal_value: 40000
  - id: cy-diaz-initech/3
    opened: 2026-10-07
    requester: Sam Seller
    activity: video
    status: cancelled
    closed: 2026-10-08
rewards:
  - date: 2026-10-12
    points: 25
EOF

	cat >advocates/dee-fox-umbrella.yaml <<'EOF'
id: dee-fox-umbrella
name: Dee Fox
company: Umbrella
status: paused
email: dee@umbrella.example
industry: Healthcare
region: NA
since: 2023-01-01
nps: 3
products: [analytics]
requests:
  - id: dee-fox-umbrella/1
    opened: 2026-09-10
    requester: Sam Seller
    opportunity: OPP-5
    activity: reference-call
    status: completed
    closed: 2026-09-12
    outcome: won
    deal_value: 5000
  - id: dee-fox-umbrella/2
    opened: 2026-08-20
    requester: Rita Rep
    activity: reference-call
    status: scheduled
    scheduled: 2026-12-01
EOF

	cat >advocates/fay-hill-wayne.yaml <<'EOF'
id: fay-hill-wayne
name: Fay Hill
company: Wayne
status: active
industry: Retail
region: APAC
since: 2022-02-02
EOF

	cat >advocates/gus-ivy-hooli.yaml <<'EOF'
id: gus-ivy-hooli
name: Gus Ivy
company: Hooli
status: active
industry: Energy
region: EMEA
since: 2025-06-01
products: [payments]
EOF

	cat >advocates/zed-old.yaml <<'EOF'
id: zed-old
name: Zed Old
company: Gone
status: active
EOF

	printf 'id: broken\nname: [unclosed\n' >advocates/broken.yaml
	git add refctl.yaml advocates
	commit_at 2026-08-01T12:00:00Z "Base Import" "import the program"

	cat >advocates/eve-gold-stark.yaml <<'EOF'
id: eve-gold-stark
name: Eve Gold
company: Stark
status: active
email: eve@stark.example
phone: "+61 2 5550 0000"
industry: Retail
region: APAC
since: 2026-09-05
nps: 7
last_contact: 2026-05-04
consent:
  until: 2026-10-31
requests:
  - id: eve-gold-stark/1
    opened: 2026-10-15
    industry: Manufacturing
    product: iot
    activity: reference-call
    status: completed
    closed: 2026-10-20
    outcome: won
    deal_value: 30000
  - id: eve-gold-stark/2
    opened: 2026-10-16
    requester: Rita Rep
    activity: reference-call
    status: completed
    closed: 2026-10-30
    outcome: won
    deal_value: 20000.5
  - id: eve-gold-stark/3
    opened: 2026-10-17
    requester: Rita Rep
    opportunity: OPP-7
    activity: reference-call
    status: completed
    closed: 2026-10-18
    outcome: won
  - id: eve-gold-stark/4
    opened: 2026-10-20
    requester: Sam Seller
    activity: reference-call
    status: approved
    approved_by: Mia Manager
EOF
	git add advocates/eve-gold-stark.yaml
	commit_at 2026-09-10T09:00:00Z "Pat Admin" "add eve"

	echo "notes: edited in September" >>advocates/dee-fox-umbrella.yaml
	git add advocates/dee-fox-umbrella.yaml
	commit_at 2026-09-30T23:59:59Z "Pat Admin" "edit dee"

	cat >advocates/bob-ray-globex.yaml <<'EOF'
id: bob-ray-globex
name: Bob Ray
company: Globex
status: active
email: bob@globex.example
phone: "+1 555 0100"
industry: banking
region: emea
since: 2026-10-15
nps: 5
last_contact: 2026-10-01
products: [payments]
consent:
  until: 2026-12-30
requests:
  - id: bob-ray-globex/1
    opened: 2026-10-02
    requester: Sam Seller
    opportunity: OPP-1
    activity: reference-call
    status: completed
    closed: 2026-10-06
    outcome: won
    deal_value: 250000
  - id: bob-ray-globex/2
    opened: 2026-10-03
    requester: Rita Rep
    product: analytics
    activity: reference-call
    status: declined
    closed: 2026-10-04
EOF
	git add advocates/bob-ray-globex.yaml
	commit_at 2026-10-01T00:00:00Z "Pat Admin" "add bob"

	sed -i 's/^status: active/status: retired/' advocates/fay-hill-wayne.yaml
	git add advocates/fay-hill-wayne.yaml
	commit_at 2026-10-20T10:00:00Z "Quinn Ops" "retire fay"

	echo "notes: first" >>advocates/ann-lee-acme.yaml
	git add advocates/ann-lee-acme.yaml
	commit_at 2026-10-21T10:00:00Z "Quinn Ops" "edit ann"

	sed -i 's/^notes: first/notes: second/' advocates/ann-lee-acme.yaml
	git add advocates/ann-lee-acme.yaml
	commit_at 2026-10-22T10:00:00Z "Pat Admin" "edit ann again"

	git rm -q advocates/zed-old.yaml
	commit_at 2026-10-25T10:00:00Z "Pat Admin" "remove zed"

	git checkout -q -b side
	echo "notes: side" >>advocates/gus-ivy-hooli.yaml
	git add advocates/gus-ivy-hooli.yaml
	commit_at 2026-10-26T10:00:00Z "Quinn Ops" "edit gus on a branch"
	git checkout -q main
	GIT_AUTHOR_DATE=2026-10-27T10:00:00Z GIT_COMMITTER_DATE=2026-10-27T10:00:00Z \
		GIT_AUTHOR_NAME="Pat Admin" GIT_COMMITTER_NAME="Pat Admin" \
		git merge -q --no-ff -m "merge side" side

	GIT_AUTHOR_DATE=2026-10-31T23:59:59Z GIT_COMMITTER_DATE=2026-10-31T23:59:59Z \
		"$REFCTL" set gus-ivy-hooli tags=energy >/dev/null || { echo "refctl set failed" >&2; exit 1; }

	echo "notes: edited in November" >>advocates/cy-diaz-initech.yaml
	git add advocates/cy-diaz-initech.yaml
	commit_at 2026-11-01T00:00:00Z "Quinn Ops" "edit cy"
}
