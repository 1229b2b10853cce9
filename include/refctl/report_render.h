#ifndef REFCTL_REPORT_RENDER_H
#define REFCTL_REPORT_RENDER_H

/*
 * The program report's renderings: text, Markdown, HTML, CSV and JSON of
 * the figures refctl/report.h computes. The renderers depend on the
 * figures, never the other way round.
 */

#include <stddef.h>
#include "refctl/buf.h"
#include "refctl/output.h"
#include "refctl/report.h"

/* Render in one of text, markdown, html, csv, json; REFCTL_EUSAGE otherwise. */
int refctl_report_render(struct refctl_buf *out, const struct refctl_report *r,
			 enum refctl_format fmt);
void refctl_report_text(struct refctl_buf *out, const struct refctl_report *r);
void refctl_report_markdown(struct refctl_buf *out, const struct refctl_report *r);
void refctl_report_html(struct refctl_buf *out, const struct refctl_report *r);
void refctl_report_csv(struct refctl_buf *out, const struct refctl_report *r);
void refctl_report_json(struct refctl_buf *out, const struct refctl_report *r);

/* The format a file name asks for: .txt, .md, .html, .csv, .json. A name
 * without an extension is text; REFCTL_EUSAGE for any other extension. */
int refctl_report_format_for(enum refctl_format *out, const char *path);

/* Write data to path atomically: a temporary file beside it, fsync, rename. */
int refctl_report_write(const char *path, const char *data, size_t len);

#endif
