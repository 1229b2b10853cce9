/*
 * YAML reading and writing over libyaml. This is the only file that sees
 * libyaml: its 1-for-success convention and its structures end here.
 */
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "refctl/yaml.h"
#include "util.h"

/* ---- nodes ---- */

static struct refctl_node *node_new(enum refctl_node_kind kind)
{
	struct refctl_node *n = refctl__calloc(1, sizeof(*n));
	n->kind = kind;
	return n;
}

/*
 * A loaded document's nodes and strings come from one arena, freed with
 * its root: loading thousands of files is mostly allocation otherwise.
 * Nodes made later (edits) use malloc, and freeing a subtree skips the
 * arena's nodes, which live until the root goes.
 */
struct refctl__arena {
	struct refctl__arena *next;
	size_t used, size;
	char data[];
};

static void *arena_alloc(struct refctl__arena **head, size_t n)
{
	struct refctl__arena *a = *head;
	void *p;

	n = (n + 15) & ~(size_t)15;
	if (!a || a->size - a->used < n) {
		size_t size = n > 8192 ? n : 8192;
		struct refctl__arena *b = refctl__malloc(sizeof(*b) + size);
		b->size = size;
		b->used = 0;
		if (a && n > 4096) {
			/* a big block: keep using the current chunk for small ones */
			b->next = a->next;
			a->next = b;
		} else {
			b->next = a;
			*head = b;
		}
		a = b;
	}
	p = a->data + a->used;
	a->used += n;
	return p;
}

static void arena_free(struct refctl__arena *a)
{
	while (a) {
		struct refctl__arena *next = a->next;
		free(a);
		a = next;
	}
}

static struct refctl_node *arena_node(struct refctl__arena **arena, enum refctl_node_kind kind)
{
	struct refctl_node *n = arena_alloc(arena, sizeof(*n));
	memset(n, 0, sizeof(*n));
	n->kind = kind;
	n->in_arena = 1;
	return n;
}

static struct refctl_node *arena_scalar(struct refctl__arena **arena, const char *s, size_t len,
					int is_string)
{
	struct refctl_node *n = arena_node(arena, REFCTL_NODE_SCALAR);
	n->str = arena_alloc(arena, len + 1);
	memcpy(n->str, s, len);
	n->str[len] = '\0';
	n->len = len;
	n->is_string = !!is_string;
	return n;
}

struct refctl_node *refctl_node_scalarn(const char *s, size_t len, int is_string)
{
	struct refctl_node *n = node_new(REFCTL_NODE_SCALAR);
	n->str = refctl__strndup(s, len);
	n->len = len;
	n->is_string = !!is_string;
	return n;
}

struct refctl_node *refctl_node_scalar(const char *s, int is_string)
{
	return refctl_node_scalarn(s, strlen(s), is_string);
}

struct refctl_node *refctl_node_map(void)
{
	return node_new(REFCTL_NODE_MAP);
}

struct refctl_node *refctl_node_seq(void)
{
	return node_new(REFCTL_NODE_SEQ);
}

static void node_push(struct refctl_node *parent, struct refctl_node *child)
{
	REFCTL__ARRAY_GROW(parent->items, parent->n + 1, parent->alloc);
	parent->items[parent->n++] = child;
}

struct refctl_node *refctl_node_clone(const struct refctl_node *n)
{
	struct refctl_node *c;

	if (!n)
		return NULL;
	c = node_new(n->kind);
	c->line = n->line;
	c->col = n->col;
	c->is_string = n->is_string;
	if (n->kind == REFCTL_NODE_SCALAR) {
		c->str = refctl__strndup(n->str, n->len);
		c->len = n->len;
	}
	for (size_t i = 0; i < n->n; i++)
		node_push(c, refctl_node_clone(n->items[i]));
	return c;
}

void refctl_node_free(struct refctl_node *n)
{
	struct refctl__arena *arena;

	if (!n)
		return;
	arena = n->arena;
	for (size_t i = 0; i < n->n; i++)
		refctl_node_free(n->items[i]);
	free(n->items);
	if (!n->in_arena) {
		free(n->str);
		free(n);
	}
	arena_free(arena);
}

long refctl_node_find(const struct refctl_node *map, const char *key)
{
	if (!map || map->kind != REFCTL_NODE_MAP)
		return -1;
	for (size_t i = 0; i + 1 < map->n; i += 2)
		if (!strcmp(map->items[i]->str, key))
			return (long)i;
	return -1;
}

struct refctl_node *refctl_node_get(const struct refctl_node *map, const char *key)
{
	long i = refctl_node_find(map, key);
	return i < 0 ? NULL : map->items[i + 1];
}

void refctl_node_set(struct refctl_node *map, const char *key, struct refctl_node *value)
{
	long i = refctl_node_find(map, key);

	if (i >= 0) {
		refctl_node_free(map->items[i + 1]);
		map->items[i + 1] = value;
		return;
	}
	node_push(map, refctl_node_scalar(key, 1));
	node_push(map, value);
}

int refctl_node_remove(struct refctl_node *map, const char *key)
{
	long i = refctl_node_find(map, key);

	if (i < 0)
		return 0;
	refctl_node_free(map->items[i]);
	refctl_node_free(map->items[i + 1]);
	memmove(&map->items[i], &map->items[i + 2], (map->n - (size_t)i - 2) * sizeof(map->items[0]));
	map->n -= 2;
	return 1;
}

void refctl_node_append(struct refctl_node *seq, struct refctl_node *item)
{
	node_push(seq, item);
}

/* ---- scalar typing ---- */

static int eq(const char *s, size_t len, const char *lit)
{
	return strlen(lit) == len && !memcmp(s, lit, len);
}

int refctl_yaml_is_null(const struct refctl_node *n)
{
	if (!n || n->kind != REFCTL_NODE_SCALAR || n->is_string)
		return 0;
	return n->len == 0 || eq(n->str, n->len, "~") || eq(n->str, n->len, "null") ||
	       eq(n->str, n->len, "Null") || eq(n->str, n->len, "NULL");
}

/* Skip between min and max digits at s[*i]; 0 if fewer than min. */
static int digits(const char *s, size_t len, size_t *i, size_t min, size_t max)
{
	size_t n = 0;
	while (*i < len && n < max && s[*i] >= '0' && s[*i] <= '9') {
		(*i)++;
		n++;
	}
	return n >= min;
}

/* A YAML 1.1 timestamp: 2001-12-14, 2001-12-14t21:59:43.10-05:00,
 * 2001-12-14 21:59:43.10 -5 (the pattern PyYAML resolves). */
static int is_timestamp(const char *s, size_t len)
{
	size_t i = 0;

	if (!digits(s, len, &i, 4, 4) || i >= len || s[i++] != '-' || !digits(s, len, &i, 1, 2) ||
	    i >= len || s[i++] != '-' || !digits(s, len, &i, 1, 2))
		return 0;
	if (i == len)
		return 1;
	if (s[i] == 'T' || s[i] == 't') {
		i++;
	} else if (s[i] == ' ' || s[i] == '\t') {
		while (i < len && (s[i] == ' ' || s[i] == '\t'))
			i++;
	} else {
		return 0;
	}
	if (!digits(s, len, &i, 1, 2) || i >= len || s[i++] != ':' || !digits(s, len, &i, 2, 2) ||
	    i >= len || s[i++] != ':' || !digits(s, len, &i, 2, 2))
		return 0;
	if (i < len && s[i] == '.') {
		i++;
		digits(s, len, &i, 0, len);
	}
	while (i < len && (s[i] == ' ' || s[i] == '\t'))
		i++;
	if (i < len && s[i] == 'Z') {
		i++;
	} else if (i < len && (s[i] == '+' || s[i] == '-')) {
		i++;
		if (!digits(s, len, &i, 1, 2))
			return 0;
		if (i < len && s[i] == ':') {
			i++;
			if (!digits(s, len, &i, 2, 2))
				return 0;
		}
	}
	return i == len;
}

int refctl_yaml_is_ambiguous(const char *s, size_t len)
{
	static const char *const words[] = {
		"", "~", "null", "Null", "NULL",
		"y", "Y", "yes", "Yes", "YES", "n", "N", "no", "No", "NO",
		"true", "True", "TRUE", "false", "False", "FALSE",
		"on", "On", "ON", "off", "Off", "OFF",
		".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF", "-.inf", "-.Inf", "-.INF",
		".nan", ".NaN", ".NAN", "=", "<<",
	};
	size_t i = 0;

	for (size_t w = 0; w < sizeof(words) / sizeof(words[0]); w++)
		if (eq(s, len, words[w]))
			return 1;
	if (is_timestamp(s, len))
		return 1;
	/*
	 * Numbers of every base and both YAML versions, and sexagesimals: an
	 * optional sign, then either a dot, a fraction and an exponent (YAML
	 * 1.1's float pattern matches "." and "-." alone), or a digit
	 * and only the characters of numbers (which also covers dates such as
	 * 2026-1-1). Quoting a few strings too many is harmless, one too few
	 * changes its meaning; but each text flagged here must be one that can
	 * be written plain (no ": ", no final ':'), or a plain number read
	 * from a file would be written back as a string.
	 */
	if (i < len && (s[i] == '+' || s[i] == '-'))
		i++;
	if (i < len && s[i] == '.') {
		i++;
		while (i < len && ((s[i] >= '0' && s[i] <= '9') || s[i] == '_'))
			i++;
		if (i < len && (s[i] == 'e' || s[i] == 'E')) {
			i++;
			if (i < len && (s[i] == '+' || s[i] == '-'))
				i++;
			if (!digits(s, len, &i, 1, len))
				return 0;
		}
		return i == len;
	}
	if (i >= len || s[i] < '0' || s[i] > '9' || s[len - 1] == ':')
		return 0;
	for (i = 0; i < len; i++)
		if (!s[i] || !strchr("0123456789abcdefABCDEFxXoO_.:+-", s[i]))
			return 0;
	return 1;
}

/* ---- reading ---- */

struct span {
	unsigned l0, c0, l1, c1; /* start and end positions, 1-based */
};

struct loader {
	struct refctl__arena *arena; /* the current document's */
	const char *file;
	unsigned flags;
	struct refctl_node *stack[REFCTL_YAML_MAX_DEPTH + 2];
	int depth;
	int want_spans;
	struct span *spans;
	size_t nspans, aspans;
};

/* Sort index array of keys (qsort_r is a GNU extension; keep it portable).
 * One per thread: files are loaded on several threads at once. */
static _Thread_local const struct refctl_node *sort_map;
static int key_cmp(const void *a, const void *b)
{
	size_t ia = *(const size_t *)a, ib = *(const size_t *)b;
	int c = strcmp(sort_map->items[ia]->str, sort_map->items[ib]->str);
	return c ? c : (ia < ib ? -1 : ia > ib);
}

/* Report the first (in file order) key that repeats an earlier one. */
static int check_duplicates(struct loader *ld, const struct refctl_node *map)
{
	size_t npairs = map->n / 2;
	const struct refctl_node *dup = NULL;

	if (npairs < 2)
		return 0;
	if (npairs <= 16) {
		for (size_t i = 1; i < npairs && !dup; i++)
			for (size_t j = 0; j < i; j++)
				if (map->items[2 * i]->len == map->items[2 * j]->len &&
				    !memcmp(map->items[2 * i]->str, map->items[2 * j]->str, map->items[2 * i]->len)) {
					dup = map->items[2 * i];
					break;
				}
	} else {
		size_t *idx = refctl__malloc(npairs * sizeof(*idx));
		for (size_t i = 0; i < npairs; i++)
			idx[i] = 2 * i;
		sort_map = map;
		qsort(idx, npairs, sizeof(*idx), key_cmp);
		for (size_t i = 1; i < npairs; i++) {
			const struct refctl_node *k = map->items[idx[i]];
			if (!strcmp(k->str, map->items[idx[i - 1]]->str) &&
			    (!dup || k->line < dup->line || (k->line == dup->line && k->col < dup->col)))
				dup = k;
		}
		free(idx);
	}
	if (dup)
		return refctl__error_at(REFCTL_EINVALID, ld->file, dup->line, dup->col,
					"duplicate key '%s'", dup->str);
	return 0;
}

static int attach(struct loader *ld, struct refctl_node *n, struct refctl_yaml_docs *docs)
{
	struct refctl_node *parent;

	if (ld->depth == 0) {
		docs->v[docs->n - 1] = n;
		return 0;
	}
	parent = ld->stack[ld->depth - 1];
	if (parent->kind == REFCTL_NODE_MAP && parent->n % 2 == 0 &&
	    n->kind != REFCTL_NODE_SCALAR) {
		int error = refctl__error_at(REFCTL_EINVALID, ld->file, n->line, n->col,
					     "mapping keys must be plain strings");
		refctl_node_free(n);
		return error;
	}
	node_push(parent, n);
	return 0;
}

/* Line and column (in characters) of byte offset at; what comes before is valid. */
static void position_of(const unsigned char *s, size_t at, unsigned *line, unsigned *col)
{
	*line = *col = 1;
	for (size_t i = 0; i < at; i++) {
		if (s[i] == '\n') {
			(*line)++;
			*col = 1;
		} else if ((s[i] & 0xc0) != 0x80) {
			(*col)++;
		}
	}
}

/* Length of the valid UTF-8 sequence starting with s[i] >= 0x80, or 0. */
static size_t utf8_sequence(const unsigned char *s, size_t i, size_t len)
{
	unsigned char c = s[i];
	unsigned cp;
	size_t n;

	if (c >= 0xc2 && c <= 0xdf) {
		n = 2; cp = c & 0x1f;
	} else if (c >= 0xe0 && c <= 0xef) {
		n = 3; cp = c & 0x0f;
	} else if (c >= 0xf0 && c <= 0xf4) {
		n = 4; cp = c & 0x07;
	} else {
		return 0;
	}
	if (n > len - i)
		return 0;
	for (size_t k = 1; k < n; k++) {
		if ((s[i + k] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i + k] & 0x3f);
	}
	if ((n == 3 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) ||
	    (n == 4 && (cp < 0x10000 || cp > 0x10ffff)))
		return 0;
	return n;
}

/*
 * Validate UTF-8 and refuse NUL bytes, naming the position. Every file
 * loaded goes through here, so plain ASCII is skipped eight bytes at a
 * time: a word has no NUL and no byte >= 0x80 exactly when no byte of
 * (w - 0x01..01) | w has its high bit set (a borrow only comes from a 0).
 */
static int check_bytes(const char *file, const unsigned char *s, size_t len)
{
	const uint64_t ones = 0x0101010101010101ULL, highs = 0x8080808080808080ULL;
	unsigned line, col;
	size_t i = 0, n;

	while (i < len) {
		if (len - i >= 8) {
			uint64_t w;
			memcpy(&w, s + i, 8);
			if (!(((w - ones) | w) & highs)) {
				i += 8;
				continue;
			}
		}
		if (s[i] && s[i] < 0x80) {
			i++;
			continue;
		}
		if (s[i] && (n = utf8_sequence(s, i, len)) != 0) {
			i += n;
			continue;
		}
		position_of(s, i, &line, &col);
		return refctl__error_at(REFCTL_EINVALID, file, line, col,
					s[i] ? "invalid UTF-8" : "NUL byte in file");
	}
	return 0;
}

/* A '#' that starts a comment: at line start or after blank, outside every scalar. */
static unsigned find_comment(const struct loader *ld, const char *s, size_t len)
{
	unsigned line = 1, col = 1;
	size_t sp = 0;

	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '#' && (i == 0 || s[i - 1] == ' ' || s[i - 1] == '\t' || s[i - 1] == '\n' ||
				 s[i - 1] == '\r')) {
			int inside = 0;
			while (sp < ld->nspans && (ld->spans[sp].l1 < line ||
			       (ld->spans[sp].l1 == line && ld->spans[sp].c1 <= col)))
				sp++;
			for (size_t k = sp; k < ld->nspans; k++) {
				const struct span *p = &ld->spans[k];
				if (p->l0 > line || (p->l0 == line && p->c0 > col))
					break;
				if (p->l1 > line || (p->l1 == line && p->c1 > col)) {
					inside = 1;
					break;
				}
			}
			if (!inside)
				return line;
		}
		if (c == '\n') {
			line++;
			col = 1;
		} else if ((c & 0xc0) != 0x80) {
			col++;
		}
	}
	return 0;
}

/* The first line that ends in a carriage return (CR LF or a lone CR), or 0. */
static unsigned first_cr_line(const char *s, size_t len)
{
	const char *cr = memchr(s, '\r', len);
	unsigned line = 1;

	if (!cr)
		return 0;
	for (const char *p = s; (p = memchr(p, '\n', (size_t)(cr - p))) != NULL; p++)
		line++;
	return line;
}

static void add_span(struct loader *ld, const yaml_event_t *ev)
{
	struct span sp = {
		(unsigned)ev->start_mark.line + 1, (unsigned)ev->start_mark.column + 1,
		(unsigned)ev->end_mark.line + 1, (unsigned)ev->end_mark.column + 1,
	};
	/* A block scalar's header line may carry a comment ("| # text"):
	 * leave that line out of the span so the comment is seen. */
	if (ev->data.scalar.style == YAML_LITERAL_SCALAR_STYLE ||
	    ev->data.scalar.style == YAML_FOLDED_SCALAR_STYLE) {
		sp.l0++;
		sp.c0 = 1;
	}
	REFCTL__ARRAY_GROW(ld->spans, ld->nspans + 1, ld->aspans);
	ld->spans[ld->nspans++] = sp;
}

static const char *event_position_problem(const yaml_event_t *ev)
{
	switch (ev->type) {
	case YAML_SCALAR_EVENT:
		if (ev->data.scalar.anchor)
			return "anchors are not allowed";
		if (ev->data.scalar.tag)
			return "tags are not allowed";
		break;
	case YAML_SEQUENCE_START_EVENT:
		if (ev->data.sequence_start.anchor)
			return "anchors are not allowed";
		if (ev->data.sequence_start.tag)
			return "tags are not allowed";
		break;
	case YAML_MAPPING_START_EVENT:
		if (ev->data.mapping_start.anchor)
			return "anchors are not allowed";
		if (ev->data.mapping_start.tag)
			return "tags are not allowed";
		break;
	case YAML_ALIAS_EVENT:
		return "aliases are not allowed";
	default:
		break;
	}
	return NULL;
}

void refctl_yaml_docs_release(struct refctl_yaml_docs *docs)
{
	if (!docs)
		return;
	for (size_t i = 0; i < docs->n; i++)
		refctl_node_free(docs->v[i]);
	free(docs->v);
	free(docs->doc_lines);
	memset(docs, 0, sizeof(*docs));
}

int refctl_yaml_load(struct refctl_yaml_docs *out, const char *file,
		     const char *data, size_t len, unsigned flags)
{
	yaml_parser_t parser;
	yaml_event_t ev;
	struct loader ld;
	size_t adocs = 0;
	int error = 0, done = 0, bom = 0;

	memset(out, 0, sizeof(*out));
	memset(&ld, 0, sizeof(ld));
	ld.file = file;
	ld.flags = flags;

	if (len > REFCTL_MAX_FILE)
		return refctl__error_at(REFCTL_EINVALID, file, 1, 1,
					"file is larger than %d bytes", REFCTL_MAX_FILE);
	/* A UTF-8 byte-order mark is allowed before the stream: note it, so
	 * that writers can refuse to drop it silently, and read past it (given
	 * an explicit encoding, libyaml would take it for content). */
	if (len >= 3 && !memcmp(data, "\xef\xbb\xbf", 3)) {
		bom = 1;
		data += 3;
		len -= 3;
	}
	if ((error = check_bytes(file, (const unsigned char *)data, len)) < 0)
		return error;
	ld.want_spans = memchr(data, '#', len) != NULL;

	if (!yaml_parser_initialize(&parser))
		return refctl__error(REFCTL_ENOMEM, "cannot initialise the YAML parser");
	yaml_parser_set_input_string(&parser, (const unsigned char *)data, len);
	yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING);

	while (!done) {
		struct refctl_node *n = NULL;
		const char *problem;

		if (!yaml_parser_parse(&parser, &ev)) {
			const char *p = parser.problem ? parser.problem : "malformed YAML";
			yaml_mark_t m = parser.problem_mark;
			if (parser.context && parser.problem_mark.line == 0 && parser.problem_mark.column == 0)
				m = parser.context_mark;
			error = refctl__error_at(REFCTL_EINVALID, file, (unsigned)m.line + 1,
						 (unsigned)m.column + 1, "%s%s%s", p,
						 parser.context ? " " : "",
						 parser.context ? parser.context : "");
			break;
		}
		if ((problem = event_position_problem(&ev)) != NULL) {
			error = refctl__error_at(REFCTL_EINVALID, file, (unsigned)ev.start_mark.line + 1,
						 (unsigned)ev.start_mark.column + 1, "%s", problem);
			yaml_event_delete(&ev);
			break;
		}
		switch (ev.type) {
		case YAML_STREAM_END_EVENT:
			done = 1;
			break;
		case YAML_DOCUMENT_END_EVENT:
			if (out->n && out->v[out->n - 1]) {
				out->v[out->n - 1]->arena = ld.arena;
				ld.arena = NULL;
			}
			break;
		case YAML_DOCUMENT_START_EVENT:
			if (out->n >= 1 && !(flags & REFCTL_YAML_MULTI)) {
				error = refctl__error_at(REFCTL_EINVALID, file,
							 (unsigned)ev.start_mark.line + 1,
							 (unsigned)ev.start_mark.column + 1,
							 "a second document is not allowed here");
				break;
			}
			REFCTL__ARRAY_GROW(out->v, out->n + 1, adocs);
			out->doc_lines = refctl__realloc(out->doc_lines, adocs * sizeof(*out->doc_lines));
			out->doc_lines[out->n] = (unsigned)ev.start_mark.line + 1;
			out->v[out->n++] = NULL;
			break;
		case YAML_SCALAR_EVENT:
			if (memchr(ev.data.scalar.value, '\0', ev.data.scalar.length)) {
				error = refctl__error_at(REFCTL_EINVALID, file, (unsigned)ev.start_mark.line + 1,
							 (unsigned)ev.start_mark.column + 1,
							 "NUL character in a string");
				break;
			}
			n = arena_scalar(&ld.arena, (const char *)ev.data.scalar.value, ev.data.scalar.length,
					 ev.data.scalar.style != YAML_PLAIN_SCALAR_STYLE);
			n->line = (unsigned)ev.start_mark.line + 1;
			n->col = (unsigned)ev.start_mark.column + 1;
			if (ld.want_spans)
				add_span(&ld, &ev);
			error = attach(&ld, n, out);
			break;
		case YAML_SEQUENCE_START_EVENT:
		case YAML_MAPPING_START_EVENT:
			if (ld.depth >= REFCTL_YAML_MAX_DEPTH) {
				error = refctl__error_at(REFCTL_EINVALID, file,
							 (unsigned)ev.start_mark.line + 1,
							 (unsigned)ev.start_mark.column + 1,
							 "nesting deeper than %d levels",
							 REFCTL_YAML_MAX_DEPTH);
				break;
			}
			n = arena_node(&ld.arena, ev.type == YAML_MAPPING_START_EVENT ? REFCTL_NODE_MAP
											: REFCTL_NODE_SEQ);
			n->line = (unsigned)ev.start_mark.line + 1;
			n->col = (unsigned)ev.start_mark.column + 1;
			if ((error = attach(&ld, n, out)) < 0)
				break;
			ld.stack[ld.depth++] = n;
			break;
		case YAML_MAPPING_END_EVENT:
			error = check_duplicates(&ld, ld.stack[ld.depth - 1]);
			ld.depth--;
			break;
		case YAML_SEQUENCE_END_EVENT:
			ld.depth--;
			break;
		default:
			break;
		}
		yaml_event_delete(&ev);
		if (error < 0)
			break;
	}
	yaml_parser_delete(&parser);
	if (ld.arena) {
		/* an unfinished document: its root (if any) takes the arena */
		if (out->n && out->v[out->n - 1] && !out->v[out->n - 1]->arena)
			out->v[out->n - 1]->arena = ld.arena;
		else
			arena_free(ld.arena);
		ld.arena = NULL;
	}

	if (!error && ld.want_spans)
		out->comment_line = find_comment(&ld, data, len);
	free(ld.spans);
	if (error < 0) {
		refctl_yaml_docs_release(out);
		return error;
	}
	out->bom = (unsigned)bom;
	out->crlf_line = first_cr_line(data, len);
	/* An empty document ("---" alone) is a null scalar. */
	for (size_t i = 0; i < out->n; i++)
		if (!out->v[i])
			out->v[i] = refctl_node_scalar("", 0);
	return 0;
}

/* ---- writing ---- */

static int write_handler(void *data, unsigned char *buffer, size_t size)
{
	refctl_buf_put(data, buffer, size);
	return 1;
}

/*
 * The canonical style of a scalar, a function of its text, whether it is a
 * string, and whether it is a mapping key, so that what refctl writes reads
 * back to a tree that it writes the same way again (the canonical form is a
 * fixed point). The classes below follow libyaml's emitter, which would
 * otherwise pick a style of its own: any choice it would overrule is made
 * here first.
 *
 *   1. Characters that only an escape can show (C0 controls but the line
 *      feed, tab, DEL, C1 controls, U+2028/U+2029, the byte-order mark,
 *      U+FFFE/U+FFFF, and characters beyond U+FFFF, which libyaml 0.2
 *      does not print): double-quoted.
 *   2. Several lines: a literal block ("|", "|-", "|+"), unless a line
 *      ends in a space, which a block cannot keep: double-quoted.
 *   3. Text that reads back as itself when plain: plain, unless it is a
 *      string that a YAML 1.1 or 1.2 reader would take for something else
 *      (refctl_yaml_is_ambiguous).
 *   4. Otherwise ambiguous (a quoted "yes", "", "1e3"; an empty key):
 *      double-quoted.
 *   5. Anything else ("- x", "a: b", " lead", "@at"): single-quoted.
 *
 * A plain scalar that cannot be written plain (a multi-line plain scalar,
 * an empty key) is therefore written as the string it reads as, and the
 * next reading finds that string and writes it the same way.
 */
enum text_class {
	TEXT_ESCAPE = 1 << 0,      /* a character only an escape can show */
	TEXT_NEWLINE = 1 << 1,     /* a line feed */
	TEXT_SPACE_BREAK = 1 << 2, /* a space before a line feed, or at the end */
	TEXT_NOT_PLAIN = 1 << 3,   /* would not read back as this text when plain */
};

/* Length of the character at s[i] if libyaml prints it unescaped, else 0. */
static size_t printable_width(const unsigned char *s, size_t i, size_t len)
{
	unsigned char c = s[i];

	if (c == '\n' || (c >= 0x20 && c <= 0x7e))
		return 1;
	if (c < 0x80)
		return 0;
	if (utf8_sequence(s, i, len) == 0)
		return 0;
	if (c == 0xc2)
		return s[i + 1] >= 0xa0 ? 2 : 0; /* C1 controls, NEL */
	if (c < 0xe0)
		return 2;
	if (c == 0xe2 && s[i + 1] == 0x80 && (s[i + 2] == 0xa8 || s[i + 2] == 0xa9))
		return 0; /* line and paragraph separators */
	if (c == 0xef && ((s[i + 1] == 0xbb && s[i + 2] == 0xbf) ||
			  (s[i + 1] == 0xbf && s[i + 2] >= 0xbe)))
		return 0; /* byte-order mark, U+FFFE, U+FFFF */
	if (c < 0xf0)
		return 3;
	return 0; /* beyond U+FFFF */
}

static unsigned text_class(const char *str, size_t len)
{
	const unsigned char *s = (const unsigned char *)str;
	unsigned cls = 0;
	size_t i = 0, w;

	if (len == 0)
		return TEXT_NOT_PLAIN;
	/* what starts a plain scalar, and what a plain scalar cannot start with */
	if (strchr("#,[]{}&*!|>'\"%@`", s[0]) ||
	    (strchr("-?:", s[0]) && (len == 1 || s[1] == ' ')) ||
	    (len >= 3 && (!memcmp(s, "---", 3) || !memcmp(s, "...", 3))) ||
	    s[0] == ' ' || s[len - 1] == ' ')
		cls |= TEXT_NOT_PLAIN;
	if (s[len - 1] == ' ')
		cls |= TEXT_SPACE_BREAK;
	while (i < len) {
		if ((w = printable_width(s, i, len)) == 0) {
			cls |= TEXT_ESCAPE | TEXT_NOT_PLAIN;
			i++;
			continue;
		}
		if (s[i] == '\n') {
			cls |= TEXT_NEWLINE | TEXT_NOT_PLAIN;
			if (i > 0 && s[i - 1] == ' ')
				cls |= TEXT_SPACE_BREAK;
		} else if (s[i] == ':' && (i + 1 == len || s[i + 1] == ' ')) {
			cls |= TEXT_NOT_PLAIN; /* a mapping value indicator */
		} else if (s[i] == '#' && i > 0 && s[i - 1] == ' ') {
			cls |= TEXT_NOT_PLAIN; /* a comment */
		}
		i += w;
	}
	return cls;
}

/* 1 if text begins as git's conflict markers do: a key written plain at
 * the start of a line would be taken for one, by git and by refctl. */
static int starts_like_marker(const char *s, size_t len)
{
	static const char *const markers[] = { "<<<<<<<", "=======", ">>>>>>>", "|||||||" };
	for (size_t i = 0; i < sizeof(markers) / sizeof(markers[0]); i++)
		if (len >= 7 && !memcmp(s, markers[i], 7))
			return 1;
	return 0;
}

static yaml_scalar_style_t scalar_style(const struct refctl_node *n, int is_key)
{
	unsigned cls = text_class(n->str, n->len);
	int ambiguous = refctl_yaml_is_ambiguous(n->str, n->len);

	if (cls & TEXT_ESCAPE)
		return YAML_DOUBLE_QUOTED_SCALAR_STYLE;
	if (cls & TEXT_NEWLINE)
		return cls & TEXT_SPACE_BREAK ? YAML_DOUBLE_QUOTED_SCALAR_STYLE
					      : YAML_LITERAL_SCALAR_STYLE;
	if (starts_like_marker(n->str, n->len))
		return ambiguous ? YAML_DOUBLE_QUOTED_SCALAR_STYLE : YAML_SINGLE_QUOTED_SCALAR_STYLE;
	/* an empty plain value reads back as null; an empty key cannot be plain */
	if (n->len == 0 && !n->is_string && !is_key)
		return YAML_PLAIN_SCALAR_STYLE;
	if (!(cls & TEXT_NOT_PLAIN) && !(n->is_string && ambiguous))
		return YAML_PLAIN_SCALAR_STYLE;
	if (ambiguous)
		return YAML_DOUBLE_QUOTED_SCALAR_STYLE;
	return YAML_SINGLE_QUOTED_SCALAR_STYLE;
}

static int emit_node(yaml_emitter_t *em, const struct refctl_node *n, int is_key)
{
	yaml_event_t ev;

	switch (n->kind) {
	case REFCTL_NODE_SCALAR:
		if (!yaml_scalar_event_initialize(&ev, NULL, NULL, (yaml_char_t *)n->str,
						  (int)n->len, 1, 1, scalar_style(n, is_key)))
			return -1;
		return yaml_emitter_emit(em, &ev) ? 0 : -1;
	case REFCTL_NODE_SEQ:
		if (!yaml_sequence_start_event_initialize(&ev, NULL, NULL, 1,
							  n->n ? YAML_BLOCK_SEQUENCE_STYLE
							       : YAML_FLOW_SEQUENCE_STYLE) ||
		    !yaml_emitter_emit(em, &ev))
			return -1;
		for (size_t i = 0; i < n->n; i++)
			if (emit_node(em, n->items[i], 0) < 0)
				return -1;
		if (!yaml_sequence_end_event_initialize(&ev) || !yaml_emitter_emit(em, &ev))
			return -1;
		return 0;
	case REFCTL_NODE_MAP:
		if (!yaml_mapping_start_event_initialize(&ev, NULL, NULL, 1,
							 n->n ? YAML_BLOCK_MAPPING_STYLE
							      : YAML_FLOW_MAPPING_STYLE) ||
		    !yaml_emitter_emit(em, &ev))
			return -1;
		for (size_t i = 0; i < n->n; i++)
			if (emit_node(em, n->items[i], i % 2 == 0) < 0)
				return -1;
		if (!yaml_mapping_end_event_initialize(&ev) || !yaml_emitter_emit(em, &ev))
			return -1;
		return 0;
	}
	return -1;
}

int refctl_yaml_emit(struct refctl_buf *out, const struct refctl_node *root)
{
	yaml_emitter_t em;
	yaml_event_t ev;
	int ok;

	if (!yaml_emitter_initialize(&em))
		return refctl__error(REFCTL_ENOMEM, "cannot initialise the YAML emitter");
	yaml_emitter_set_output(&em, write_handler, out);
	yaml_emitter_set_unicode(&em, 1);
	yaml_emitter_set_indent(&em, 2);
	yaml_emitter_set_width(&em, -1);
	yaml_emitter_set_break(&em, YAML_LN_BREAK);

	ok = yaml_stream_start_event_initialize(&ev, YAML_UTF8_ENCODING) && yaml_emitter_emit(&em, &ev) &&
	     yaml_document_start_event_initialize(&ev, NULL, NULL, NULL, 1) && yaml_emitter_emit(&em, &ev) &&
	     emit_node(&em, root, 0) == 0 &&
	     yaml_document_end_event_initialize(&ev, 1) && yaml_emitter_emit(&em, &ev) &&
	     yaml_stream_end_event_initialize(&ev) && yaml_emitter_emit(&em, &ev) &&
	     yaml_emitter_flush(&em);
	if (!ok) {
		int error = refctl__error(REFCTL_EINVALID, "cannot write YAML: %s",
					  em.problem ? em.problem : "emitter failed");
		yaml_emitter_delete(&em);
		return error;
	}
	yaml_emitter_delete(&em);
	return 0;
}

/* ---- what may be written ---- */

int refctl_yaml_check_write(const char *file, const char *data, size_t len)
{
	struct refctl_yaml_docs docs;
	int error;

	if (len > REFCTL_MAX_FILE)
		return refctl__error_at(REFCTL_EINVALID, file, 0, 0,
					"the file would be %zu bytes, over the %d MiB limit", len,
					REFCTL_MAX_FILE / (1024 * 1024));
	if ((error = refctl_yaml_load(&docs, file, data, len, 0)) < 0) {
		unsigned line = refctl_error_last_line();
		if (error != REFCTL_EINVALID)
			return error;
		return refctl__error_at(REFCTL_EINVALID, file, 0, 0,
					"the file would not read back (line %u: %s)", line,
					refctl_error_last_message());
	}
	refctl_yaml_docs_release(&docs);
	return 0;
}

/* The stem of a file name: "advocates/x.yaml" gives "x". */
static void file_stem(char *buf, size_t size, const char *file)
{
	const char *base = strrchr(file, '/');
	size_t n;

	base = base ? base + 1 : file;
	n = strlen(base);
	if (n > 5 && !strcmp(base + n - 5, ".yaml"))
		n -= 5;
	snprintf(buf, size, "%.*s", (int)n, base);
}

int refctl_yaml_check_rewrite(const char *file, unsigned bom, unsigned crlf_line)
{
	char stem[256];

	if (!bom && !crlf_line)
		return 0;
	file_stem(stem, sizeof(stem), file);
	if (bom)
		return refctl__error_at(REFCTL_EINVALID, file, 0, 0,
					"the file starts with a UTF-8 byte-order mark, which rewriting it would drop; "
					"'refctl fmt %s' removes it", stem);
	return refctl__error_at(REFCTL_EINVALID, file, crlf_line, 0,
				"the file has CRLF line endings, so rewriting it would change every line; "
				"'refctl fmt %s' converts it to LF", stem);
}

/* ---- a compact binary form of a tree, for the parse cache ---- */

static void put_varint(struct refctl_buf *out, size_t v)
{
	unsigned char b[10];
	size_t n = 0;
	do {
		b[n] = (unsigned char)(v & 0x7f);
		v >>= 7;
		if (v)
			b[n] |= 0x80;
		n++;
	} while (v);
	refctl_buf_put(out, (const char *)b, n);
}

static void encode_node(struct refctl_buf *out, const struct refctl_node *n)
{
	unsigned char tag = (unsigned char)(n->kind | (n->is_string ? 4 : 0));
	refctl_buf_put(out, (const char *)&tag, 1);
	put_varint(out, n->line);
	put_varint(out, n->col);
	if (n->kind == REFCTL_NODE_SCALAR) {
		put_varint(out, n->len);
		refctl_buf_put(out, n->str, n->len);
		return;
	}
	put_varint(out, n->n);
	for (size_t i = 0; i < n->n; i++)
		encode_node(out, n->items[i]);
}

void refctl_node_encode(struct refctl_buf *out, const struct refctl_node *root)
{
	encode_node(out, root);
}

struct decoder {
	const unsigned char *p, *end;
	struct refctl__arena *arena;
};

static int get_varint(struct decoder *d, size_t *v)
{
	size_t r = 0;
	for (unsigned shift = 0; shift < 64; shift += 7) {
		unsigned char b;
		if (d->p >= d->end)
			return -1;
		b = *d->p++;
		r |= (size_t)(b & 0x7f) << shift;
		if (!(b & 0x80)) {
			*v = r;
			return 0;
		}
	}
	return -1;
}

/* The node at d->p into *out; on an error *out (if not NULL) holds what
 * was decoded, for the caller to free. */
static int decode_node(struct decoder *d, unsigned depth, struct refctl_node **out)
{
	struct refctl_node *n;
	size_t line, col, len;
	unsigned char tag;

	*out = NULL;
	if (d->p >= d->end || depth > REFCTL_YAML_MAX_DEPTH + 1)
		return -1;
	tag = *d->p++;
	if ((tag & ~7u) || (tag & 3) > REFCTL_NODE_SEQ || get_varint(d, &line) < 0 || get_varint(d, &col) < 0 ||
	    line > UINT_MAX || col > UINT_MAX || get_varint(d, &len) < 0)
		return -1;
	if ((tag & 3) == REFCTL_NODE_SCALAR) {
		if (len > (size_t)(d->end - d->p))
			return -1;
		n = arena_scalar(&d->arena, (const char *)d->p, len, tag & 4);
		d->p += len;
	} else {
		/* every item takes at least four bytes */
		if (len > (size_t)(d->end - d->p) / 4 || ((tag & 3) == REFCTL_NODE_MAP && len % 2))
			return -1;
		n = arena_node(&d->arena, (enum refctl_node_kind)(tag & 3));
		n->is_string = !!(tag & 4);
	}
	n->line = (unsigned)line;
	n->col = (unsigned)col;
	*out = n;
	if (n->kind == REFCTL_NODE_SCALAR || !len)
		return 0;
	n->items = refctl__malloc(len * sizeof(*n->items));
	n->alloc = len;
	for (size_t i = 0; i < len; i++) {
		struct refctl_node *c;
		int error = decode_node(d, depth + 1, &c);
		if (c)
			n->items[n->n++] = c;
		if (error < 0)
			return error;
		if (n->kind == REFCTL_NODE_MAP && i % 2 == 0 && c->kind != REFCTL_NODE_SCALAR)
			return -1;
	}
	return 0;
}

int refctl_node_decode(struct refctl_node **out, const void *data, size_t len)
{
	struct decoder d = { data, (const unsigned char *)data + len, NULL };
	struct refctl_node *root;
	int error = decode_node(&d, 1, &root);

	*out = NULL;
	if (error == 0 && d.p != d.end)
		error = -1;
	if (root)
		root->arena = d.arena;
	else
		arena_free(d.arena);
	if (error < 0) {
		refctl_node_free(root);
		return REFCTL_EINVALID;
	}
	*out = root;
	return 0;
}
