/*
 * Fuzz target: any bytes through the YAML loader, the record validator,
 * the canonical writer, the settings parser, and the merge driver with the
 * input as each side (and its conflicts as check names them). Built with libFuzzer when
 * REFCTL_FUZZ is on (clang); otherwise linked with a small driver that
 * replays the files given on the command line (the regression corpus).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "refctl/config.h"
#include "refctl/merge.h"
#include "refctl/record.h"
#include "refctl/yaml.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A valid advocate beside the input, for merges with it on either side. */
static const char sample[] = "id: fuzz\nname: F\ncompany: C\nstatus: active\nnps: 7\ntags:\n- a\n"
			     "requests:\n- {id: fuzz/1, opened: 2026-10-01, activity: quote, status: requested}\n";

/* Merge the input as base, ours and theirs against the sample: never a
 * crash; a result with markers is read back by check's describer. */
static void fuzz_merge(const char *data, size_t size)
{
	const char *sides[3][3] = { { data, sample, sample }, { sample, data, sample }, { sample, sample, data } };
	const size_t lens[3][3] = { { size, sizeof(sample) - 1, sizeof(sample) - 1 },
				    { sizeof(sample) - 1, size, sizeof(sample) - 1 },
				    { sizeof(sample) - 1, sizeof(sample) - 1, size } };
	struct refctl_diags d = REFCTL_DIAGS_INIT;

	for (int k = 0; k < 3; k++) {
		struct refctl_merge_result res;
		refctl_merge_result_init(&res);
		if (refctl_merge(&res, sides[k][0], lens[k][0], sides[k][1], lens[k][1], sides[k][2], lens[k][2], NULL) == 0 &&
		    refctl_merge_has_markers(res.out.ptr, res.out.size))
			refctl_merge_describe(&d, "advocates/fuzz.yaml", res.out.ptr, res.out.size);
		refctl_merge_result_release(&res);
	}
	if (refctl_merge_has_markers(data, size))
		refctl_merge_describe(&d, "advocates/fuzz.yaml", data, size);
	refctl_diags_release(&d);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct refctl_record *rec = NULL;
	struct refctl_diags diags = REFCTL_DIAGS_INIT;
	struct refctl_config *cfg = NULL;
	struct refctl_yaml_docs docs;

	if (refctl_record_parse(&rec, "advocates/fuzz.yaml", (const char *)data, size, &diags) == 0) {
		struct refctl_buf out = REFCTL_BUF_INIT, again = REFCTL_BUF_INIT;
		struct refctl_record *rec2 = NULL;
		/* what refctl writes, it must read back to the same bytes */
		if (refctl_record_format(&out, rec) == 0 &&
		    refctl_record_parse(&rec2, "advocates/fuzz.yaml", out.ptr, out.size, NULL) == 0 &&
		    refctl_record_format(&again, rec2) == 0 &&
		    (out.size != again.size || memcmp(out.ptr, again.ptr, out.size)))
			abort();
		refctl_record_free(rec2);
		refctl_buf_release(&out);
		refctl_buf_release(&again);
	}
	refctl_record_free(rec);
	refctl_diags_release(&diags);
	if (refctl_yaml_load(&docs, "x", (const char *)data, size, REFCTL_YAML_MULTI) == 0)
		refctl_yaml_docs_release(&docs);
	if (refctl_config_parse(&cfg, "refctl.yaml", (const char *)data, size) == 0)
		refctl_config_free(cfg);
	fuzz_merge((const char *)data, size);
	return 0;
}
