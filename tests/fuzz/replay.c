/*
 * Replays fuzz inputs (files named on the command line) without libFuzzer:
 * the seed corpus and every YAML file of the test suite and the examples.
 * A failed property names the input and the property, and the run goes on;
 * the exit status is 1 if any input failed.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
void fuzz_replay_failure(const char *what, const char *first, const char *second);

static const char *current;
static int current_failed, verbose;

void fuzz_replay_failure(const char *what, const char *first, const char *second)
{
	fprintf(stderr, "%s: %s\n", current, what);
	if (verbose)
		fprintf(stderr, "---- first\n%s\n---- second\n%s\n----\n", first ? first : "",
			second ? second : "");
	current_failed = 1;
}

int main(int argc, char **argv)
{
	static uint8_t buf[2 * 1024 * 1024];
	int failed = 0, n = 0;

	for (int i = 1; i < argc; i++) {
		FILE *f;
		size_t len;
		if (i == 1 && argv[i][0] == '-' && argv[i][1] == 'v') {
			verbose = 1;
			continue;
		}
		if (!(f = fopen(argv[i], "rb"))) {
			perror(argv[i]);
			return 2;
		}
		len = fread(buf, 1, sizeof(buf), f);
		fclose(f);
		current = argv[i];
		current_failed = 0;
		LLVMFuzzerTestOneInput(buf, len);
		failed += current_failed;
		n++;
	}
	printf("%d inputs replayed, %d failed\n", n, failed);
	return failed ? 1 : 0;
}
