#!/bin/bash
# examples/ci: the GitHub Actions workflow and the GitLab CI job parse as
# YAML, and the refctl commands they run pass on the example program (and
# fail on a broken one).
. "$(dirname "$0")/lib.sh"

gh=$REFCTL_SRC/examples/ci/github-workflow.yml
gl=$REFCTL_SRC/examples/ci/gitlab-ci.yml

test_case "the workflow and the job are YAML that parses"
run yq . "$gh"
check_rc 0
ghj=$out
run yq . "$gl"
check_rc 0
glj=$out
check_eq "on pull requests, pushes to main and a monthly schedule" '{"pull_request":null,"push":{"branches":["main"]},"schedule":[{"cron":"0 6 1 * *"}],"workflow_dispatch":null}' \
	"$(printf '%s' "$ghj" | jq -c '.on')"
check_eq "the check job's steps" '[null,"Install refctl","The merge driver is registered","Every advocate file is valid","Every advocate file is in canonical form"]' \
	"$(printf '%s' "$ghj" | jq -c '[.jobs.check.steps[].name]')"
check_eq "GitLab: the gate on merge requests and the default branch" '["$CI_PIPELINE_SOURCE == \"merge_request_event\"","$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH && $CI_PIPELINE_SOURCE == \"push\""]' \
	"$(printf '%s' "$glj" | jq -c '[.["refctl:check"].rules[].if]')"
check_eq "GitLab: the report on the schedule" '["$CI_PIPELINE_SOURCE == \"schedule\""]' \
	"$(printf '%s' "$glj" | jq -c '[.["refctl:report"].rules[].if]')"

# The commands each file runs after installing refctl, one a line.
gh_cmds() { printf '%s' "$ghj" | jq -r --arg job "$1" '.jobs[$job].steps[] | select(.run and .name != "Install refctl") | .run'; }
gl_cmds() { printf '%s' "$glj" | jq -r --arg job "$1" '.[$job].script[]'; }

# a program repository as CI checks it out: the example, committed
program_repo() {
	rm -rf "$TEST_ROOT/program"
	cp -r "$REFCTL_SRC/examples/program" "$TEST_ROOT/program"
	cd "$TEST_ROOT/program" || exit 1
	git init -q && git add -A && git commit -qm "the program"
}

# run_all CMD...: run each line of stdin as CI does (sh -e), stop at the first failure
run_steps() {
	local cmd rc=0
	while IFS= read -r cmd; do
		[ -n "$cmd" ] || continue
		(set -e; eval "$cmd") >>"$TEST_ROOT/steps.out" 2>&1 || { rc=$?; break; }
	done
	return $rc
}

mkdir -p "$TEST_ROOT/bin"
ln -s "$REFCTL" "$TEST_ROOT/bin/refctl"
export PATH="$TEST_ROOT/bin:$PATH"

test_case "the workflow's check commands pass on the example program"
program_repo
check_eq "three commands" "3" "$(gh_cmds check | wc -l)"
gh_cmds check | run_steps
check_eq "all pass" "0" "$?"
check_eq "nothing left changed" "" "$(git status --porcelain)"

test_case "the GitLab job's check commands pass on the example program"
program_repo
check_eq "three commands" "3" "$(gl_cmds refctl:check | wc -l)"
gl_cmds refctl:check | run_steps
check_eq "all pass" "0" "$?"

test_case "the report commands write the report"
program_repo
gh_cmds report | run_steps
check_eq "GitHub: pass" "0" "$?"
check_true "report.html" test -s report.html
check_contains "report.json" '"period"' "$(cat report.json)"
rm -f report.html report.json
gl_cmds refctl:report | run_steps
check_eq "GitLab: pass" "0" "$?"
check_true "report.html" test -s report.html

test_case "the gate fails a pull request that breaks a file, leaves markers, or is not canonical"
program_repo
f=$(ls advocates | head -n 1)
sed -i 's/^status: .*/status: sleeping/' "advocates/$f"
gh_cmds check | run_steps
check_eq "an invalid value fails check" "1" "$?"
program_repo
f=$(grep -l '^nps: ' advocates/*.yaml | head -n 1)
sed -i 's/^nps: .*/<<<<<<< ours\nnps: 8\n=======\nnps: 9\n>>>>>>> theirs/' "$f"
: >"$TEST_ROOT/steps.out"
gl_cmds refctl:check | run_steps
check_eq "conflict markers fail check" "1" "$?"
check_contains "named" "error: conflict in nps: ours 8, theirs 9" "$(cat "$TEST_ROOT/steps.out")"
program_repo
f=$(ls advocates | head -n 1)
sed -i 's/^status: \(.*\)/status: "\1"/' "advocates/$f" && git commit -qam quoted
gh_cmds check | run_steps
check_eq "a file not in canonical form fails fmt --check" "1" "$?"
program_repo
git rm -q .gitattributes && git commit -qm "no driver"
gh_cmds check | run_steps
check_eq "a repository without the driver's attribute fails" "1" "$?"

finish
