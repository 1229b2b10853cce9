/* Output formats: aligned tables, TSV, CSV and JSON through jansson. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "refctl/output.h"
#include "util.h"

static const char *const format_names[] = {
	"table", "tsv", "csv", "json", "yaml", "ids", "text", "markdown", "html",
};

const char *refctl_format_name(enum refctl_format f)
{
	return format_names[f];
}

int refctl_format_parse(enum refctl_format *out, const char *s, unsigned allowed)
{
	struct refctl_buf list = REFCTL_BUF_INIT;

	for (unsigned f = 0; f < sizeof(format_names) / sizeof(format_names[0]); f++)
		if ((allowed & REFCTL_FMT(f)) && !strcmp(s, format_names[f])) {
			*out = (enum refctl_format)f;
			return 0;
		}
	for (unsigned f = 0; f < sizeof(format_names) / sizeof(format_names[0]); f++)
		if (allowed & REFCTL_FMT(f))
			refctl_buf_printf(&list, "%s%s", list.size ? ", " : "", format_names[f]);
	refctl__error(REFCTL_EUSAGE, "unknown format '%s' (expected %s)", s, list.ptr);
	refctl_buf_release(&list);
	return REFCTL_EUSAGE;
}

struct refctl_table {
	size_t ncols, nrows, alloc;
	char **cells; /* (nrows + 1) * ncols, row 0 the header */
	unsigned char *right;
};

struct refctl_table *refctl_table_new(size_t ncols, const char *const *headers)
{
	struct refctl_table *t = refctl__calloc(1, sizeof(*t));
	t->ncols = ncols;
	t->right = refctl__calloc(ncols, 1);
	refctl_table_add(t, headers);
	t->nrows = 0;
	return t;
}

void refctl_table_align_right(struct refctl_table *t, size_t col)
{
	if (col < t->ncols)
		t->right[col] = 1;
}

void refctl_table_add(struct refctl_table *t, const char *const *cells)
{
	size_t row = t->cells ? t->nrows + 1 : 0;
	REFCTL__ARRAY_GROW(t->cells, (row + 1) * t->ncols, t->alloc);
	for (size_t c = 0; c < t->ncols; c++)
		t->cells[row * t->ncols + c] = refctl__strdup(cells[c] ? cells[c] : "");
	if (row)
		t->nrows++;
}

size_t refctl_table_rows(const struct refctl_table *t)
{
	return t->nrows;
}

size_t refctl_text_width(const char *s)
{
	size_t w = 0;
	for (; *s; s++)
		if (((unsigned char)*s & 0xc0) != 0x80)
			w++;
	return w;
}

/* ---- escaping for people ---- */

/* The code point of the valid UTF-8 sequence at p and its length, or 0
 * if p does not start one (overlong, surrogate, beyond U+10FFFF, cut). */
static size_t utf8_decode(const unsigned char *p, unsigned *cp)
{
	unsigned c = p[0];

	if (c >= 0xc2 && c <= 0xdf) {
		if ((p[1] & 0xc0) != 0x80)
			return 0;
		*cp = (c & 0x1f) << 6 | (p[1] & 0x3f);
		return 2;
	}
	if (c >= 0xe0 && c <= 0xef) {
		if ((p[1] & 0xc0) != 0x80 || (p[2] & 0xc0) != 0x80)
			return 0;
		*cp = (c & 0x0f) << 12 | (p[1] & 0x3fu) << 6 | (p[2] & 0x3f);
		return *cp < 0x800 || (*cp >= 0xd800 && *cp <= 0xdfff) ? 0 : 3;
	}
	if (c >= 0xf0 && c <= 0xf4) {
		if ((p[1] & 0xc0) != 0x80 || (p[2] & 0xc0) != 0x80 || (p[3] & 0xc0) != 0x80)
			return 0;
		*cp = (c & 0x07) << 18 | (p[1] & 0x3fu) << 12 | (p[2] & 0x3fu) << 6 | (p[3] & 0x3f);
		return *cp < 0x10000 || *cp > 0x10ffff ? 0 : 4;
	}
	return 0;
}

static int is_hidden_format(unsigned cp)
{
	return (cp >= 0x80 && cp <= 0x9f) || (cp >= 0x202a && cp <= 0x202e) ||
	       (cp >= 0x2066 && cp <= 0x2069);
}

/* Escape s into out, or with out NULL only say whether anything would
 * change (returns 1 then). */
static int escape(struct refctl_buf *out, const char *s, unsigned flags)
{
	const unsigned char *p = (const unsigned char *)s;

	while (*p) {
		const unsigned char *run = p;
		unsigned cp;
		size_t n;

		while (*p >= 0x20 && *p < 0x7f)
			p++;
		if (out && p > run)
			refctl_buf_put(out, run, (size_t)(p - run));
		if (!*p)
			break;
		if (*p < 0x80) {
			unsigned char c = *p++;
			const char *named = c == '\n' ? "\\n" : c == '\r' ? "\\r" : c == '\t' ? "\\t" : NULL;
			if (named && (flags & REFCTL_ESCAPE_SPACES)) {
				if (!out)
					return 1;
				refctl_buf_putc(out, ' ');
			} else if ((c == '\n' && (flags & REFCTL_ESCAPE_KEEP_NEWLINE)) ||
				   (c == '\t' && (flags & REFCTL_ESCAPE_KEEP_TAB))) {
				if (out)
					refctl_buf_putc(out, (char)c);
			} else if (!out) {
				return 1;
			} else if (named) {
				refctl_buf_puts(out, named);
			} else {
				refctl_buf_printf(out, "\\x%02x", (unsigned)c);
			}
			continue;
		}
		if (!(n = utf8_decode(p, &cp))) {
			if (!out)
				return 1;
			refctl_buf_printf(out, "\\x%02x", (unsigned)*p++);
			continue;
		}
		if (is_hidden_format(cp)) {
			if (!out)
				return 1;
			refctl_buf_printf(out, "\\u%04x", cp);
		} else if (out) {
			refctl_buf_put(out, p, n);
		}
		p += n;
	}
	return 0;
}

void refctl_text_escape(struct refctl_buf *out, const char *s, unsigned flags)
{
	escape(out, s, flags);
}

int refctl_text_is_safe(const char *s, unsigned flags)
{
	return !escape(NULL, s, flags);
}

/* ---- tables ---- */

static void put_tsv(struct refctl_buf *out, const char *s)
{
	for (; *s; s++) {
		if (*s == '\t')
			refctl_buf_puts(out, "\\t");
		else if (*s == '\n')
			refctl_buf_puts(out, "\\n");
		else if (*s == '\r')
			refctl_buf_puts(out, "\\r");
		else if (*s == '\\')
			refctl_buf_puts(out, "\\\\");
		else
			refctl_buf_putc(out, *s);
	}
}

static int plain_number(const char *s)
{
	size_t digits = 0;

	if (*s == '-' || *s == '+')
		s++;
	for (; *s >= '0' && *s <= '9'; s++)
		digits++;
	if (*s == '.' && digits) {
		const char *frac = ++s;
		for (; *s >= '0' && *s <= '9'; s++)
			;
		if (s == frac)
			return 0;
	}
	return digits && !*s;
}

int refctl_csv_is_formula(const char *s)
{
	return *s && strchr("=+-@\t\r", *s) && !plain_number(s);
}

static void put_csv(struct refctl_buf *out, const char *s, int raw)
{
	/* OWASP: a leading ' makes a spreadsheet show the cell as text */
	const char *guard = !raw && refctl_csv_is_formula(s) ? "'" : "";

	if (!strpbrk(s, ",\"\r\n") && s[0] != ' ' && (!*s || s[strlen(s) - 1] != ' ')) {
		refctl_buf_puts(out, guard);
		refctl_buf_puts(out, s);
		return;
	}
	refctl_buf_putc(out, '"');
	refctl_buf_puts(out, guard);
	for (; *s; s++) {
		if (*s == '"')
			refctl_buf_putc(out, '"');
		refctl_buf_putc(out, *s);
	}
	refctl_buf_putc(out, '"');
}

/* A cell as a table shows it: one line, control characters escaped. The
 * cell itself when nothing needs escaping, else scratch's copy. */
static const char *shown(struct refctl_buf *scratch, const char *cell)
{
	if (refctl_text_is_safe(cell, REFCTL_ESCAPE_SPACES))
		return cell;
	refctl_buf_clear(scratch);
	refctl_text_escape(scratch, cell, REFCTL_ESCAPE_SPACES);
	return scratch->ptr;
}

void refctl_table_render_opts(struct refctl_buf *out, const struct refctl_table *t,
			      enum refctl_format fmt, const struct refctl_render_opts *opts)
{
	static const struct refctl_render_opts defaults = REFCTL_RENDER_OPTS_INIT;
	struct refctl_buf scratch = REFCTL_BUF_INIT;
	size_t *width;

	if (!opts)
		opts = &defaults;
	if (fmt == REFCTL_FORMAT_TSV || fmt == REFCTL_FORMAT_CSV) {
		for (size_t r = 0; r <= t->nrows; r++) {
			for (size_t c = 0; c < t->ncols; c++) {
				if (c)
					refctl_buf_putc(out, fmt == REFCTL_FORMAT_TSV ? '\t' : ',');
				if (fmt == REFCTL_FORMAT_TSV)
					put_tsv(out, t->cells[r * t->ncols + c]);
				else
					put_csv(out, t->cells[r * t->ncols + c], opts->raw_csv);
			}
			refctl_buf_puts(out, fmt == REFCTL_FORMAT_CSV ? "\r\n" : "\n");
		}
		return;
	}
	width = refctl__calloc(t->ncols, sizeof(*width));
	for (size_t r = 0; r <= t->nrows; r++)
		for (size_t c = 0; c < t->ncols; c++) {
			size_t w = refctl_text_width(shown(&scratch, t->cells[r * t->ncols + c]));
			if (w > width[c])
				width[c] = w;
		}
	for (size_t r = 0; r <= t->nrows; r++) {
		size_t line_start = out->size;
		if (r == 0 && opts->color)
			refctl_buf_puts(out, "\033[1m");
		for (size_t c = 0; c < t->ncols; c++) {
			const char *cell = shown(&scratch, t->cells[r * t->ncols + c]);
			size_t pad = width[c] - refctl_text_width(cell);
			if (c)
				refctl_buf_puts(out, "  ");
			if (t->right[c])
				for (size_t k = 0; k < pad; k++)
					refctl_buf_putc(out, ' ');
			refctl_buf_puts(out, cell);
			if (!t->right[c] && c + 1 < t->ncols)
				for (size_t k = 0; k < pad; k++)
					refctl_buf_putc(out, ' ');
		}
		while (out->size > line_start && out->ptr[out->size - 1] == ' ')
			refctl_buf_truncate(out, out->size - 1);
		if (r == 0 && opts->color)
			refctl_buf_puts(out, "\033[0m");
		refctl_buf_putc(out, '\n');
	}
	free(width);
	refctl_buf_release(&scratch);
}

void refctl_table_render(struct refctl_buf *out, const struct refctl_table *t,
			 enum refctl_format fmt, int color)
{
	struct refctl_render_opts opts = REFCTL_RENDER_OPTS_INIT;
	opts.color = color;
	refctl_table_render_opts(out, t, fmt, &opts);
}

void refctl_table_free(struct refctl_table *t)
{
	if (!t)
		return;
	for (size_t i = 0; i < (t->nrows + 1) * t->ncols; i++)
		free(t->cells[i]);
	free(t->cells);
	free(t->right);
	free(t);
}

static json_t *scalar_to_json(const struct refctl_node *n)
{
	char *end;

	if (n->is_string)
		return json_stringn(n->str, n->len);
	if (refctl_yaml_is_null(n))
		return json_null();
	if (!strcmp(n->str, "true"))
		return json_true();
	if (!strcmp(n->str, "false"))
		return json_false();
	if (n->len && strchr("-0123456789", n->str[0])) {
		long long v;
		double d;
		errno = 0;
		v = strtoll(n->str, &end, 10);
		if (!errno && !*end)
			return json_integer(v);
		errno = 0;
		d = strtod(n->str, &end);
		if (!errno && !*end && strchr(n->str, '.'))
			return json_real(d);
	}
	return json_stringn(n->str, n->len);
}

json_t *refctl_node_to_json(const struct refctl_node *n)
{
	json_t *j;

	switch (n->kind) {
	case REFCTL_NODE_SCALAR:
		return scalar_to_json(n);
	case REFCTL_NODE_SEQ:
		j = json_array();
		for (size_t i = 0; i < n->n; i++)
			json_array_append_new(j, refctl_node_to_json(n->items[i]));
		return j;
	case REFCTL_NODE_MAP:
		j = json_object();
		for (size_t i = 0; i + 1 < n->n; i += 2)
			json_object_setn_new(j, n->items[i]->str, n->items[i]->len,
					     refctl_node_to_json(n->items[i + 1]));
		return j;
	}
	return json_null();
}

json_t *refctl_record_to_json(struct refctl_record *rec)
{
	refctl_record_canonicalize(rec);
	return rec->root ? refctl_node_to_json(rec->root) : NULL;
}

void refctl_json_dump(struct refctl_buf *out, const json_t *j)
{
	char *s = json_dumps(j, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_ENCODE_ANY | JSON_REAL_PRECISION(15));
	if (s) {
		refctl_buf_puts(out, s);
		refctl_buf_putc(out, '\n');
		free(s);
	}
}
