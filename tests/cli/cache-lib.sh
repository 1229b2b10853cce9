# Helpers for the parse cache's tests (t-cache.sh, t-slow-cache-random.sh).

CACHE_TOOL="$REFCTL_SRC/tests/cli/cache-tool.py"

# reads: every read command's output (stdout, stderr and exit status),
# one after the other, in the current repository.
reads() {
	local c
	for c in "list" "list --format tsv" "list --format json" "list --status active" \
		"match --industry logistics --region emea --activity reference-call" \
		"match --use-case supply-chain-visibility --limit 3 --format json" \
		"report" "report --format json" "check" "check --format json" "request list" \
		"request list --format json" "value" "export --format json" "content list"; do
		printf '== %s\n' "$c"
		# shellcheck disable=SC2086
		"$REFCTL" $c 2>&1
		printf 'rc=%s\n' "$?"
	done
	# show reads its one file; completion's ids are the file names and
	# its request ids come from request list, above
	printf '== show\n'
	"$REFCTL" show sophie-whitaker-pennine-logistics-ltd 2>&1
	"$REFCTL" help --complete show 2>&1
}

# check_reads_agree DESC: the reads with the cache (twice: as it was, then
# as that read left it) are those without it, byte for byte.
check_reads_agree() {
	local want got1 got2
	want=$(REFCTL_NO_CACHE=1 reads)
	got1=$(reads)
	got2=$(reads)
	check_eq "$1: cold or stale cache" "$want" "$got1"
	check_eq "$1: warm cache" "$want" "$got2"
}
