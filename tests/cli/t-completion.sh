#!/usr/bin/env bash
# Shell completion: the bash function as installed, driven as bash drives
# it (COMP_WORDS, COMP_CWORD, then COMPREPLY), for each kind of word, in a
# repository made with the binary; the zsh function at least parses.
. "$(dirname "$0")/lib.sh"

build_dir=$(dirname "$REFCTL")
prefix=$TEST_ROOT/prefix
cmake --install "$build_dir" --prefix "$prefix" >/dev/null || { echo "cmake --install failed" >&2; exit 1; }
export PATH=$prefix/bin:$PATH
bash_completion=$prefix/share/bash-completion/completions/refctl
# shellcheck disable=SC1090
. "$bash_completion"

# comp WORD...: the completions of the last word, sorted, one a line.
comp() {
	COMP_WORDS=("$@")
	COMP_CWORD=$(($# - 1))
	COMP_LINE="$*"
	COMP_POINT=${#COMP_LINE}
	COMPREPLY=()
	_refctl refctl "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}"
	printf '%s\n' "${COMPREPLY[@]}" | sort
}

new_repo prog
write_advocate anna-schmidt "activities: [reference-call, quote]"
write_advocate anna-berg
write_advocate bob-jones "activities: [quote]"
refctl request new anna-schmidt --prospect Acme --activity reference-call --requester rita >/dev/null ||
	{ echo "request new failed" >&2; exit 1; }
refctl request new bob-jones --prospect Initech --activity quote --requester rita >/dev/null ||
	{ echo "request new failed" >&2; exit 1; }

test_case "commands"
check_eq "refctl s" "$(printf 'schema\nset\nsetup\nshow')" "$(comp refctl s)"
check_eq "refctl -C DIR re" "$(printf 'referral\nreport\nrequest\nreward')" "$(comp refctl -C . re)"
check_eq "refctl help l" "$(printf 'list\nlog')" "$(comp refctl help l)"

test_case "global options"
check_eq "refctl --v" "--version" "$(comp refctl --v)"

test_case "request verbs"
check_eq "refctl request c" "$(printf 'cancel\ncomplete')" "$(comp refctl request c)"
check_eq "refctl request s" "$(printf 'schedule\nshow')" "$(comp refctl request s)"

test_case "flags of a command and of a verb"
check_eq "refctl list --st" "--status" "$(comp refctl list --st)"
check_eq "refctl set --" "$(printf -- '--help\n--message\n--no-commit')" "$(comp refctl set --)"
check_eq "refctl request complete --o" "--outcome" "$(comp refctl request complete --o)"
check_eq "refctl request list --op" "--open" "$(comp refctl request list --op)"

test_case "advocate ids from the file names"
check_eq "refctl show an" "$(printf 'anna-berg\nanna-schmidt')" "$(comp refctl show an)"
check_eq "refctl log b" "bob-jones" "$(comp refctl log b)"
check_eq "refctl set anna-s" "anna-schmidt" "$(comp refctl set anna-s)"
check_eq "refctl request new a" "$(printf 'anna-berg\nanna-schmidt')" "$(comp refctl request new a)"
check_eq "refctl request list --advocate b" "bob-jones" "$(comp refctl request list --advocate b)"
check_eq "show takes one id" "" "$(comp refctl show anna-berg an)"
check_eq "from a subfolder" "bob-jones" "$(cd advocates && comp refctl show b)"
check_eq "with -C" "bob-jones" "$(cd "$TEST_ROOT" && comp refctl -C prog show b)"

test_case "request ids"
# request ids are drawn (ADVOCATE/DATE-RANDOM): take them from request list
req_ids=$(refctl request list --format tsv | tail -n +2 | cut -f1 | sort)
check_eq "two requests" 2 "$(printf '%s\n' "$req_ids" | wc -l)"
check_eq "refctl request approve " "$req_ids" "$(comp refctl request approve '')"
check_eq "refctl request show b" "$(printf '%s\n' "$req_ids" | grep '^bob-jones/')" "$(comp refctl request show b)"

test_case "field names for set, unset and --fields"
check_eq "refctl set anna-berg em" "email=" "$(comp refctl set anna-berg em)"
check_eq "refctl set anna-berg --no-commit sta" "status=" "$(comp refctl set anna-berg --no-commit sta)"
check_eq "refctl unset anna-berg consent." "$(printf 'consent.scope\nconsent.until')" "$(comp refctl unset anna-berg consent.)"
check_eq "after ID... --" "status=" "$(comp refctl set anna-berg bob-jones -- sta)"
check_eq "id is not settable" "" "$(comp refctl set anna-berg id)"
check_eq "refctl list --fields na" "name" "$(comp refctl list --fields na)"
check_eq "refctl list --fields a" "$(printf 'account_id\naccount_owner\naccount_value\nactivities\nall')" "$(comp refctl list --fields a)"
check_eq "refctl list --fields id,comp" "id,company" "$(comp refctl list --fields id,comp)"

test_case "activities"
check_eq "refctl list --activity s" "$(printf 'site-visit\nsocial\nspeaking')" "$(comp refctl list --activity s)"
check_eq "refctl request new x --activity v" "video" "$(comp refctl request new anna-berg --activity v)"

test_case "statuses of advocates and of requests"
check_eq "refctl list --status a" "active" "$(comp refctl list --status a)"
check_eq "refctl request list --status c" "$(printf 'cancelled\ncompleted')" "$(comp refctl request list --status c)"

test_case "formats and other listed values"
check_eq "refctl list --format t" "$(printf 'table\ntsv')" "$(comp refctl list --format t)"
check_eq "refctl show --format " "$(printf 'json\ntext\nyaml')" "$(comp refctl show --format '')"
check_eq "refctl report --format m" "markdown" "$(comp refctl report --format m)"
check_eq "refctl request complete x --outcome " "$(printf 'lost\nopen\nwon')" "$(comp refctl request complete "$(printf '%s\n' "$req_ids" | grep '^anna-schmidt/')" --outcome '')"

test_case "advocate ids are fast on 100,000 advocates (file names only)"
mkdir -p "$TEST_ROOT/big" && cd "$TEST_ROOT/big" || exit 1
printf 'version: 1\n' >refctl.yaml
mkdir advocates
(cd advocates && seq -f 'adv-%06g.yaml' 100000 | xargs touch)
start=$(date +%s%N)
got=$(comp refctl show adv-09999)
ms=$((($(date +%s%N) - start) / 1000000))
check_eq "the ten ids of the prefix" "$(seq -f 'adv-%06g' 99990 99999)" "$got"
check_true "in under 3 s (took $ms ms)" test "$ms" -lt 3000

test_case "the zsh function parses"
zsh_completion=$prefix/share/zsh/site-functions/_refctl
check_true "installed" test -s "$zsh_completion"
if command -v zsh >/dev/null; then
	check_true "zsh -n _refctl" zsh -n "$zsh_completion"
else
	echo "t-completion: zsh is not installed; its script was not parsed" >&2
fi

finish
