# bash completion for refctl.
#
# Commands, verbs, options and their listed values come from the binary
# ('refctl help --complete [COMMAND [VERB]]'), field names from
# 'refctl schema --format tsv', so they follow the code. Advocate ids are
# the file names in advocates/ (a glob: no file is read), request ids come
# from 'refctl request list'.

# The repository root: $REFCTL_DIR, else the nearest folder upward of $1
# holding refctl.yaml.
_refctl_root()
{
	local d=$1
	if [[ -n ${REFCTL_DIR-} ]]; then
		printf '%s\n' "$REFCTL_DIR"
		return
	fi
	while [[ -n $d ]]; do
		[[ -e $d/refctl.yaml ]] && { printf '%s\n' "$d"; return; }
		[[ $d == / ]] && return
		d=$(dirname -- "$d")
	done
}

# Add the words of $1 that begin with $2 to COMPREPLY.
_refctl_add()
{
	local w
	for w in $1; do
		[[ $w == "$2"* ]] && COMPREPLY+=("$w")
	done
}

_refctl_advocates()
{
	local root f
	root=$(_refctl_root "$_refctl_dir")
	[[ -n $root && -d $root/advocates ]] || return
	local nullglob
	nullglob=$(shopt -p nullglob)
	shopt -s nullglob
	for f in "$root"/advocates/"$1"*.yaml; do
		f=${f##*/}
		COMPREPLY+=("${f%.yaml}")
	done
	eval "$nullglob"
}

_refctl_requests()
{
	local id rest
	while IFS=$'\t' read -r id rest; do
		[[ $id == "$1"* ]] && COMPREPLY+=("$id")
	done < <("${_refctl_run[@]}" request list --format tsv 2>/dev/null | tail -n +2)
}

# Field names: all of them, or ($2 = set) those set and unset may change.
_refctl_fields()
{
	"${_refctl_run[@]}" schema --format tsv 2>/dev/null |
		awk -F'\t' -v want="${1-}" 'NR > 1 && (want != "set" || $5 ~ /(^|, )set(,|$)/) { print $1 }'
}

_refctl()
{
	local cur=${COMP_WORDS[COMP_CWORD]} prev=
	local -a _refctl_run=(refctl)
	local _refctl_dir=$PWD
	local i=1 cmd= verb= nargs=0 word
	COMPREPLY=()
	((COMP_CWORD > 0)) && prev=${COMP_WORDS[COMP_CWORD - 1]}

	# the global options before the command
	while ((i < COMP_CWORD)); do
		word=${COMP_WORDS[i]}
		if [[ $word == -C ]]; then
			((i + 1 < COMP_CWORD)) && {
				_refctl_run+=(-C "${COMP_WORDS[i + 1]}")
				[[ ${COMP_WORDS[i + 1]} == /* ]] && _refctl_dir=${COMP_WORDS[i + 1]} ||
					_refctl_dir=$_refctl_dir/${COMP_WORDS[i + 1]}
			}
			((i += 2))
		elif [[ $word == -* ]]; then
			((i++))
		else
			cmd=$word
			((i++))
			break
		fi
	done
	local top
	top=$("${_refctl_run[@]}" help --complete 2>/dev/null)
	if [[ -z $cmd ]]; then
		if [[ $prev == -C ]]; then
			COMPREPLY=($(compgen -d -- "$cur"))
		elif [[ $cur == -* ]]; then
			_refctl_add "$(printf '%s\n' "$top" | awk -F'\t' '/^-/ { print $1 }')" "$cur"
		else
			_refctl_add "$(printf '%s\n' "$top" | sed -n 's/^commands //p')" "$cur"
		fi
		return
	fi
	[[ $cmd == help ]] && {
		_refctl_add "$(printf '%s\n' "$top" | sed -n 's/^commands //p')" "$cur"
		return
	}

	local spec
	spec=$("${_refctl_run[@]}" help --complete "$cmd" 2>/dev/null)
	if printf '%s\n' "$spec" | grep -q '^verb	'; then
		if ((i < COMP_CWORD)); then
			verb=${COMP_WORDS[i]}
			((i++))
			spec=$("${_refctl_run[@]}" help --complete "$cmd" "$verb" 2>/dev/null)
		else
			_refctl_add "$(printf '%s\n' "$spec" | sed -n 's/^verb	//p')" "$cur"
			return
		fi
	fi

	# the value of the option before the cursor
	local names argh choices opt
	while IFS=$'\t' read -r names argh choices; do
		[[ -n $argh ]] || continue
		for opt in $names; do
			[[ $prev == "$opt" ]] || continue
			if [[ -n $choices ]]; then
				_refctl_add "$choices" "$cur"
				return
			fi
			case $opt in
			--status)
				if [[ $cmd == request ]]; then
					_refctl_add "$(printf '%s\n' "$top" | sed -n 's/^request-statuses //p')" "$cur"
				else
					_refctl_add "$(printf '%s\n' "$top" | sed -n 's/^statuses //p')" "$cur"
				fi
				;;
			--activity)
				_refctl_add "$(printf '%s\n' "$top" | sed -n 's/^activities //p')" "$cur"
				;;
			--fields)
				local head= words
				[[ $cur == *,* ]] && head=${cur%,*},
				words=$(_refctl_fields | sed "s/^/$head/")
				[[ -z $head ]] && words+=" all"
				_refctl_add "$words" "$cur"
				compopt -o nospace 2>/dev/null
				;;
			--advocate)
				_refctl_advocates "$cur"
				;;
			--file|--output|-o|-C)
				COMPREPLY=($(compgen -f -- "$cur"))
				;;
			esac
			return
		done
	done <<<"$spec"

	if [[ $cur == -* ]]; then
		_refctl_add "$(printf '%s\n' "$spec" | awk -F'\t' '/^-/ { print $1 }')" "$cur"
		return
	fi

	# the arguments: count those before the cursor (an option's value is not one)
	local takes=" $(printf '%s\n' "$spec" | awk -F'\t' '/^-/ && $2 != "" { printf "%s ", $1 }') "
	while ((i < COMP_CWORD)); do
		word=${COMP_WORDS[i]}
		if [[ $word == -* ]]; then
			[[ $word != *=* && $takes == *" $word "* ]] && ((i++))
		else
			((nargs++))
		fi
		((i++))
	done
	case $cmd:$verb in
	request:new)
		((nargs == 0)) && _refctl_advocates "$cur"
		;;
	request:list) ;;
	request:*)
		((nargs == 0)) && _refctl_requests "$cur"
		;;
	set:* | unset:*)
		if ((nargs == 0)); then
			_refctl_advocates "$cur"
		elif [[ $cmd == set ]]; then
			_refctl_add "$(_refctl_fields set | sed 's/$/=/')" "$cur"
			compopt -o nospace 2>/dev/null
		else
			_refctl_add "$(_refctl_fields set)" "$cur"
		fi
		;;
	show:* | log:* | edit:* | reward:*)
		((nargs == 0)) && _refctl_advocates "$cur"
		;;
	fmt:* | check:*)
		_refctl_advocates "$cur"
		;;
	import:* | init:*)
		COMPREPLY=($(compgen -f -- "$cur"))
		;;
	esac
}

complete -F _refctl refctl
