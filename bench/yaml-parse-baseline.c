/*
 * The baseline for refctl's benchmarks: a bare libyaml parse of every
 * advocate file, events only, nothing built. Usage:
 *   yaml-parse-baseline DIR     (parses DIR/advocates/ *.yaml)
 * Prints the number of files and events, so the work cannot be optimised away.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;

	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc((size_t)n + 1);
	if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	*len = (size_t)n;
	return buf;
}

int main(int argc, char **argv)
{
	char path[4096];
	struct dirent *de;
	unsigned long files = 0, events = 0;
	DIR *d;

	if (argc != 2) {
		fprintf(stderr, "usage: yaml-parse-baseline DIR\n");
		return 2;
	}
	snprintf(path, sizeof(path), "%s/advocates", argv[1]);
	if (!(d = opendir(path))) {
		perror(path);
		return 2;
	}
	while ((de = readdir(d)) != NULL) {
		size_t n = strlen(de->d_name), len;
		yaml_parser_t p;
		yaml_event_t ev;
		char *data;
		int done = 0;

		if (n <= 5 || strcmp(de->d_name + n - 5, ".yaml"))
			continue;
		snprintf(path, sizeof(path), "%s/advocates/%s", argv[1], de->d_name);
		if (!(data = slurp(path, &len)))
			continue;
		yaml_parser_initialize(&p);
		yaml_parser_set_input_string(&p, (const unsigned char *)data, len);
		while (!done) {
			if (!yaml_parser_parse(&p, &ev))
				break;
			done = ev.type == YAML_STREAM_END_EVENT;
			events++;
			yaml_event_delete(&ev);
		}
		yaml_parser_delete(&p);
		free(data);
		files++;
	}
	closedir(d);
	printf("%lu files, %lu events\n", files, events);
	return 0;
}
