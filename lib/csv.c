/*
 * Reading CSV: the only file that sees libcsv (and iconv).
 *
 * libcsv splits the bytes into cells and records; everything around it is
 * ours: the encoding (a byte-order mark, UTF-16, a named encoding through
 * iconv), Excel's "sep=X" line, the delimiter's detection, the rows'
 * numbers as a spreadsheet shows them, and the checks of every cell.
 * libcsv runs in strict mode, so a stray quote is an error, not a guess;
 * it keeps the spaces around unquoted cells (RFC 4180 says they are part
 * of the cell) and reports every line end, so an empty line counts as a
 * row and a CRLF as one line end.
 */
#include <csv.h>
#include <errno.h>
#include <iconv.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "refctl/buf.h"
#include "refctl/csv.h"
#include "util.h"

int refctl_csv_utf8_valid(const char *str, size_t len, size_t *bad)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0;

	while (i < len) {
		unsigned c = s[i];
		size_t need;
		unsigned cp, min;
		if (c < 0x80) {
			i++;
			continue;
		}
		if (c >= 0xc2 && c <= 0xdf) {
			need = 1;
			cp = c & 0x1f;
			min = 0x80;
		} else if (c >= 0xe0 && c <= 0xef) {
			need = 2;
			cp = c & 0x0f;
			min = 0x800;
		} else if (c >= 0xf0 && c <= 0xf4) {
			need = 3;
			cp = c & 0x07;
			min = 0x10000;
		} else {
			goto invalid;
		}
		for (size_t k = 1; k <= need; k++) {
			if (i + k >= len || (s[i + k] & 0xc0) != 0x80)
				goto invalid;
			cp = (cp << 6) | (s[i + k] & 0x3f);
		}
		if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			goto invalid;
		i += need + 1;
	}
	return 1;
invalid:
	if (bad)
		*bad = i;
	return 0;
}

int refctl_csv_encoding_is_utf8(const char *enc)
{
	return !strcasecmp(enc, "utf-8") || !strcasecmp(enc, "utf8");
}

int refctl_csv_encoding_known(const char *enc)
{
	iconv_t cd;

	if (refctl_csv_encoding_is_utf8(enc))
		return 1;
	if ((cd = iconv_open("UTF-8", enc)) == (iconv_t)-1)
		return 0;
	iconv_close(cd);
	return 1;
}

/* The 1-based line of byte offset in data, for messages about raw bytes. */
static unsigned line_of(const char *data, size_t offset)
{
	unsigned line = 1;
	for (size_t i = 0; i < offset; i++)
		line += data[i] == '\n';
	return line;
}

/* Convert data from enc to UTF-8 into out. */
static int convert(struct refctl_buf *out, const char *name, const char *enc, const char *data, size_t len)
{
	iconv_t cd = iconv_open("UTF-8", enc);
	char *in = (char *)data;
	size_t left = len;

	if (cd == (iconv_t)-1)
		return refctl__error(REFCTL_EINVALID, "%s: unknown encoding '%s'", name, enc);
	refctl_buf_clear(out);
	refctl_buf_grow(out, len + len / 2 + 16);
	while (left) {
		char *dst = out->ptr + out->size;
		size_t room = out->asize - out->size - 1;
		size_t rc = iconv(cd, &in, &left, &dst, &room);
		out->size = (size_t)(dst - out->ptr);
		out->ptr[out->size] = '\0';
		if (rc != (size_t)-1)
			break;
		if (errno == E2BIG) {
			refctl_buf_grow(out, left * 2 + 16);
			continue;
		}
		iconv_close(cd);
		return refctl__error_at(REFCTL_EINVALID, name, line_of(data, (size_t)(in - data)), 0,
					"byte 0x%02X is not %s text%s", (unsigned char)*in, enc,
					errno == EINVAL ? " (the file ends inside a character)" : "");
	}
	iconv_close(cd);
	return 0;
}

/* ---- the parse ---- */

struct parse {
	const char *name;
	size_t max_cell;
	int counting;           /* the input is over its limit: count rows, keep nothing */
	struct refctl_buf text; /* every cell, NUL-terminated */
	size_t *offs;           /* each cell's offset in text */
	size_t noffs, aoffs;
	struct { unsigned row; size_t first, n; } *rows;
	size_t nrows, arows;
	unsigned row;           /* the row being read */
	size_t nfields;         /* cells of the record being read */
	int last_cr;            /* the last record ended with CR: a LF next is its CRLF */
	int error;              /* the first problem, in the last error */
};

static int no_space(unsigned char c)
{
	(void)c;
	return 0;
}

static void fail_at(struct parse *p, unsigned col, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static void fail_at(struct parse *p, unsigned col, const char *fmt, ...)
{
	va_list ap;

	if (p->error)
		return;
	va_start(ap, fmt);
	p->error = refctl__verror_at(REFCTL_EINVALID, p->name, p->row, col, fmt, ap);
	va_end(ap);
}

static void on_cell(void *s, size_t len, void *data)
{
	struct parse *p = data;
	const char *cell = s ? s : "";
	unsigned col = (unsigned)p->nfields + 1;
	size_t bad;

	p->nfields++;
	if (p->error || p->counting)
		return;
	if (len > p->max_cell) {
		fail_at(p, col, "a cell of %zu bytes is over the limit of %zu", len, p->max_cell);
		return;
	}
	if (memchr(cell, '\0', len)) {
		fail_at(p, col, "a NUL byte in the cell (is this a text file?)");
		return;
	}
	if (!refctl_csv_utf8_valid(cell, len, &bad)) {
		fail_at(p, col,
			"the cell is not UTF-8 (byte 0x%02X); if the file is in another encoding, name it in the rules (encoding: windows-1252)",
			(unsigned char)cell[bad]);
		return;
	}
	REFCTL__ARRAY_GROW(p->offs, p->noffs + 1, p->aoffs);
	p->offs[p->noffs++] = p->text.size;
	for (size_t i = 0; i < len; i++)
		if (!(cell[i] == '\r' && i + 1 < len && cell[i + 1] == '\n'))
			refctl_buf_putc(&p->text, cell[i]);
	refctl_buf_putc(&p->text, '\0');
}

static void on_record(int c, void *data)
{
	struct parse *p = data;

	if (p->nfields == 0) {
		/* no cell: the LF of a CRLF, or an empty line */
		if (c == '\n' && p->last_cr) {
			p->last_cr = 0;
			return;
		}
		if (c != -1)
			p->row++;
		p->last_cr = c == '\r';
		return;
	}
	if (!p->error && !p->counting) {
		REFCTL__ARRAY_GROW(p->rows, p->nrows + 1, p->arows);
		p->rows[p->nrows].row = p->row;
		p->rows[p->nrows].first = p->noffs - p->nfields;
		p->rows[p->nrows].n = p->nfields;
		p->nrows++;
	}
	p->row++;
	p->nfields = 0;
	p->last_cr = c == '\r';
}

/* The delimiter of the first line: the most frequent of , ; and tab outside
 * quotes (a comma when there is none, or a tie with it). */
static char detect_delimiter(const char *s, size_t len)
{
	size_t comma = 0, semi = 0, tab = 0;
	int quoted = 0;

	for (size_t i = 0; i < len; i++) {
		char c = s[i];
		if (c == '"')
			quoted = !quoted;
		else if (quoted)
			continue;
		else if (c == '\n' || c == '\r')
			break;
		else if (c == ',')
			comma++;
		else if (c == ';')
			semi++;
		else if (c == '\t')
			tab++;
	}
	if (semi > comma && semi >= tab)
		return ';';
	if (tab > comma && tab > semi)
		return '\t';
	return ',';
}

int refctl_csv_parse(struct refctl_csv **out, const char *name, const char *data, size_t len,
		     const struct refctl_csv_opts *opts)
{
	static const struct refctl_csv_opts defaults = REFCTL_CSV_OPTS_INIT;
	struct refctl_buf converted = REFCTL_BUF_INIT;
	struct parse p;
	struct csv_parser cp;
	struct refctl_csv *csv = NULL;
	size_t max_size, chunk = 64 * 1024, done = 0, limit;
	char delim;
	int error = 0, parser_ready = 0;

	*out = NULL;
	if (!opts)
		opts = &defaults;
	memset(&p, 0, sizeof(p));
	refctl_buf_init(&p.text);
	p.name = name;
	p.row = 1;
	p.max_cell = opts->max_cell ? opts->max_cell : REFCTL_CSV_MAX_CELL;
	max_size = opts->max_size ? opts->max_size : REFCTL_CSV_MAX_SIZE;
	limit = len > max_size ? max_size : len;

	/* the encoding: a UTF-16 byte-order mark says so; else the one named */
	if (limit >= 2 && (((unsigned char)data[0] == 0xff && (unsigned char)data[1] == 0xfe) ||
			   ((unsigned char)data[0] == 0xfe && (unsigned char)data[1] == 0xff))) {
		if ((error = convert(&converted, name, "UTF-16", data, limit)) < 0)
			goto done;
		data = converted.ptr;
		limit = converted.size;
	} else if (opts->encoding && !refctl_csv_encoding_is_utf8(opts->encoding)) {
		if ((error = convert(&converted, name, opts->encoding, data, limit)) < 0)
			goto done;
		data = converted.ptr;
		limit = converted.size;
	}
	if (limit >= 3 && !memcmp(data, "\xef\xbb\xbf", 3)) {
		data += 3;
		limit -= 3;
	}
	delim = opts->delimiter;
	/* Excel's "sep=;" line names the delimiter and is no row of data */
	if (limit >= 5 && !strncasecmp(data, "sep=", 4) && data[4] != '\r' && data[4] != '\n' &&
	    (limit == 5 || data[5] == '\n' || data[5] == '\r')) {
		if (!delim)
			delim = data[4];
		done = 5;
		done += done < limit && data[done] == '\r';
		done += done < limit && data[done] == '\n';
		p.row = 2;
	}
	if (!delim)
		delim = detect_delimiter(data + done, limit - done);
	if (delim != ',' && delim != ';' && delim != '\t') {
		error = refctl__error_at(REFCTL_EINVALID, name, 1, 5,
					 "the delimiter must be ',', ';' or tab, not '%c'", delim);
		goto done;
	}

	if (csv_init(&cp, CSV_STRICT | CSV_STRICT_FINI | CSV_REPALL_NL | CSV_APPEND_NULL) != 0) {
		error = refctl__error(REFCTL_ENOMEM, "out of memory");
		goto done;
	}
	parser_ready = 1;
	/* over the limit: read up to it only to name the row where it is crossed */
	p.counting = len > max_size;
	csv_set_delim(&cp, (unsigned char)delim);
	csv_set_space_func(&cp, no_space);
	while (done < limit && !p.error) {
		size_t n = limit - done < chunk ? limit - done : chunk;
		size_t used = csv_parse(&cp, data + done, n, on_cell, on_record, &p);
		if (used != n) {
			if (csv_error(&cp) == CSV_EPARSE)
				fail_at(&p, (unsigned)p.nfields + 1,
					"a quote inside an unquoted cell, or text after a closing quote (quote the whole cell and double each quote in it)");
			else
				fail_at(&p, (unsigned)p.nfields + 1, "%s", csv_strerror(csv_error(&cp)));
			break;
		}
		done += n;
	}
	if (!p.error && p.counting)
		fail_at(&p, (unsigned)p.nfields + 1, "the input is over the limit of %zu %s",
			max_size % (1u << 20) ? max_size : max_size >> 20, max_size % (1u << 20) ? "bytes" : "MiB");
	if (!p.error && csv_fini(&cp, on_cell, on_record, &p) != 0)
		fail_at(&p, (unsigned)p.nfields + 1, "a quoted cell is not closed (a '\"' is missing)");
	if (p.error) {
		error = p.error;
		goto done;
	}

	csv = refctl__calloc(1, sizeof(*csv));
	csv->delimiter = delim;
	csv->nrows = p.nrows;
	csv->rows = refctl__calloc(p.nrows ? p.nrows : 1, sizeof(*csv->rows));
	csv->cells = refctl__calloc(p.noffs ? p.noffs : 1, sizeof(*csv->cells));
	csv->text = refctl_buf_detach(&p.text);
	for (size_t i = 0; i < p.noffs; i++)
		csv->cells[i] = csv->text + p.offs[i];
	for (size_t i = 0; i < p.nrows; i++) {
		csv->rows[i].row = p.rows[i].row;
		csv->rows[i].n = p.rows[i].n;
		csv->rows[i].cells = csv->cells + p.rows[i].first;
	}
	*out = csv;
done:
	if (parser_ready)
		csv_free(&cp);
	refctl_buf_release(&p.text);
	refctl_buf_release(&converted);
	free(p.offs);
	free(p.rows);
	return error;
}

void refctl_csv_free(struct refctl_csv *csv)
{
	if (!csv)
		return;
	free(csv->rows);
	free(csv->cells);
	free(csv->text);
	free(csv);
}
