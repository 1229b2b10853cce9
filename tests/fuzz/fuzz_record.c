/*
 * Fuzz target: any bytes through the YAML loader, the record validator,
 * the canonical writer and the settings parser. Built with libFuzzer when
 * REFCTL_FUZZ is on (clang); otherwise linked with a small driver that
 * replays the files given on the command line (the regression corpus).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "refctl/config.h"
#include "refctl/record.h"
#include "refctl/yaml.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

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
	return 0;
}
