#ifndef REFCTL_CSV_H
#define REFCTL_CSV_H

/*
 * CSV as spreadsheets and CRMs write it, read through libcsv (lib/csv.c is
 * the only file that sees libcsv): RFC 4180 quoting, quoted newlines, CRLF
 * or LF line ends, a UTF-8 byte-order mark, ',' ';' or tab between cells
 * (detected from the first line unless given), Excel's "sep=;" first line,
 * UTF-16 with a byte-order mark, and any other encoding iconv knows when it
 * is named.
 *
 * Rows are numbered as a spreadsheet shows them: the first line is row 1,
 * an empty line is a row of its own, a newline inside quotes starts none.
 * Columns are numbered from 1. Every problem is an error at its row and
 * column: a stray quote, a quote left open, a cell that is not UTF-8 or
 * holds a NUL byte, a cell or a file over its limit.
 */

#include <stddef.h>

#define REFCTL_CSV_MAX_SIZE (64u * 1024 * 1024) /* bytes of input */
#define REFCTL_CSV_MAX_CELL (64u * 1024)        /* bytes of one cell */

struct refctl_csv_opts {
	char delimiter;       /* ',', ';' or '\t'; 0: detected */
	const char *encoding; /* the input's encoding as iconv names it; NULL: UTF-8 */
	size_t max_size;      /* 0: REFCTL_CSV_MAX_SIZE */
	size_t max_cell;      /* 0: REFCTL_CSV_MAX_CELL */
};
#define REFCTL_CSV_OPTS_INIT { 0, NULL, 0, 0 }

struct refctl_csv_row {
	unsigned row;       /* as a spreadsheet numbers it */
	size_t n;           /* its cells */
	const char **cells; /* UTF-8, NUL-terminated; a CRLF inside a cell is read as LF */
};

struct refctl_csv {
	struct refctl_csv_row *rows; /* empty lines left out */
	size_t nrows;
	char delimiter;              /* the one used */
	char *text;                  /* the cells' storage */
	const char **cells;
};

/*
 * Read data (len bytes; name is used in messages). Input longer than
 * max_size is refused at the row where it crosses the limit.
 * REFCTL_EINVALID with the last error "NAME:ROW:COL: ..." on bad input.
 */
int refctl_csv_parse(struct refctl_csv **out, const char *name, const char *data, size_t len,
		     const struct refctl_csv_opts *opts);
void refctl_csv_free(struct refctl_csv *csv);

/* 1 if iconv can convert from this encoding to UTF-8. */
int refctl_csv_encoding_known(const char *encoding);
/* 1 for "UTF-8" in any of its spellings (utf8, UTF-8 ...). */
int refctl_csv_encoding_is_utf8(const char *encoding);

/* 1 if s (len bytes) is valid UTF-8; else 0 with the offset of the first
 * bad byte in *bad (may be NULL). */
int refctl_csv_utf8_valid(const char *s, size_t len, size_t *bad);

#endif
