/* The report's renderings: choosing one, by name or by file name, and writing it. */
#include <string.h>

#include "refctl/report_render.h"
#include "util.h"

static const struct {
	enum refctl_format fmt;
	void (*render)(struct refctl_buf *out, const struct refctl_report *r);
} renderers[] = {
	{ REFCTL_FORMAT_TEXT, refctl_report_text },
	{ REFCTL_FORMAT_MARKDOWN, refctl_report_markdown },
	{ REFCTL_FORMAT_HTML, refctl_report_html },
	{ REFCTL_FORMAT_CSV, refctl_report_csv },
	{ REFCTL_FORMAT_JSON, refctl_report_json },
};

int refctl_report_render(struct refctl_buf *out, const struct refctl_report *r,
			 enum refctl_format fmt)
{
	for (size_t i = 0; i < sizeof(renderers) / sizeof(renderers[0]); i++)
		if (renderers[i].fmt == fmt) {
			renderers[i].render(out, r);
			return 0;
		}
	return refctl__error(REFCTL_EUSAGE, "a report cannot be written as %s", refctl_format_name(fmt));
}

int refctl_report_format_for(enum refctl_format *out, const char *path)
{
	static const struct {
		const char *ext;
		enum refctl_format fmt;
	} exts[] = {
		{ ".txt", REFCTL_FORMAT_TEXT },   { ".text", REFCTL_FORMAT_TEXT },
		{ ".md", REFCTL_FORMAT_MARKDOWN }, { ".markdown", REFCTL_FORMAT_MARKDOWN },
		{ ".html", REFCTL_FORMAT_HTML },  { ".htm", REFCTL_FORMAT_HTML },
		{ ".csv", REFCTL_FORMAT_CSV },    { ".json", REFCTL_FORMAT_JSON },
	};
	const char *base = strrchr(path, '/'), *dot;

	base = base ? base + 1 : path;
	dot = strrchr(base, '.');
	*out = REFCTL_FORMAT_TEXT;
	if (!dot || dot == base)
		return 0;
	for (size_t i = 0; i < sizeof(exts) / sizeof(exts[0]); i++)
		if (!refctl__strcasecmp(dot, exts[i].ext)) {
			*out = exts[i].fmt;
			return 0;
		}
	return refctl__error(REFCTL_EUSAGE,
			     "cannot tell the format of '%s' from '%s' (use --format, or .txt, .md, .html, .csv, .json)",
			     path, dot);
}

int refctl_report_write(const char *path, const char *data, size_t len)
{
	return refctl__write_atomic(path, data, len);
}
