#ifndef REFCTL_YAML_H
#define REFCTL_YAML_H

#include <stddef.h>
#include "refctl/buf.h"

/*
 * A YAML document as a small tree of our own. libyaml's structures never
 * leave lib/yaml.c. Maps keep their keys in order: items[2i] is a key (a
 * scalar), items[2i+1] its value.
 */
enum refctl_node_kind {
	REFCTL_NODE_SCALAR,
	REFCTL_NODE_MAP,
	REFCTL_NODE_SEQ,
};

struct refctl_node {
	enum refctl_node_kind kind;
	unsigned line, col;   /* 1-based position in the source, 0 if built */
	unsigned is_string;   /* scalar: a string (quoted in the source, or set so) */
	char *str;            /* scalar text, NUL-terminated */
	size_t len;
	struct refctl_node **items;
	size_t n, alloc;
	unsigned in_arena;    /* node and str live in the document's arena */
	struct refctl__arena *arena; /* on a loaded document's root: its arena */
};

#define REFCTL_YAML_MAX_DEPTH 32

/* Documents of one stream. */
struct refctl_yaml_docs {
	struct refctl_node **v;
	size_t n;
	unsigned comment_line; /* first line holding a comment, 0 if none */
	unsigned *doc_lines;   /* line where each document starts */
	unsigned bom;          /* 1 if a UTF-8 byte-order mark came first (skipped) */
	unsigned crlf_line;    /* first line ending in CR (CR LF), 0 if none */
};

enum {
	REFCTL_YAML_MULTI = 1 << 0, /* accept several documents */
};

/*
 * Parse data (len bytes, the name file is used in errors). Rejects aliases,
 * anchors, tags, duplicate keys, non-scalar keys, nesting deeper than 32,
 * invalid UTF-8, NUL bytes and, without REFCTL_YAML_MULTI, a second document.
 */
int refctl_yaml_load(struct refctl_yaml_docs *out, const char *file,
		     const char *data, size_t len, unsigned flags);
void refctl_yaml_docs_release(struct refctl_yaml_docs *docs);

/* Emit one document in the canonical block style into out. */
int refctl_yaml_emit(struct refctl_buf *out, const struct refctl_node *root);

/*
 * Refuse (REFCTL_EINVALID, naming file) to write data that refctl could not
 * read back: over the size limit (1 MiB), or not loading as one document
 * (nesting deeper than 32 levels, ...). Every write goes through here.
 */
int refctl_yaml_check_write(const char *file, const char *data, size_t len);
/*
 * Refuse to rewrite a file read with a byte-order mark or CRLF line endings
 * (from struct refctl_yaml_docs): the canonical form has neither, and only
 * `refctl fmt` converts a file on purpose.
 */
int refctl_yaml_check_rewrite(const char *file, unsigned bom, unsigned crlf_line);

/* True if a plain scalar with this text would be read as something other
 * than a string (null, boolean, number, date) by a YAML 1.1 or 1.2 reader. */
int refctl_yaml_is_ambiguous(const char *s, size_t len);
/* True if a plain scalar is a YAML null ("", "~", "null"). */
int refctl_yaml_is_null(const struct refctl_node *n);

struct refctl_node *refctl_node_scalar(const char *s, int is_string);
struct refctl_node *refctl_node_scalarn(const char *s, size_t len, int is_string);
struct refctl_node *refctl_node_map(void);
struct refctl_node *refctl_node_seq(void);
struct refctl_node *refctl_node_clone(const struct refctl_node *n);
void refctl_node_free(struct refctl_node *n);

/*
 * A compact binary form of a tree (kind, string flag, position and text of
 * every node), for the parse cache: refctl_node_decode() gives back the
 * same tree, or REFCTL_EINVALID (setting no last error) for bytes that
 * are not such a form.
 */
void refctl_node_encode(struct refctl_buf *out, const struct refctl_node *root);
int refctl_node_decode(struct refctl_node **out, const void *data, size_t len);

/* Map helpers: value of key or NULL; index of key pair or -1. */
struct refctl_node *refctl_node_get(const struct refctl_node *map, const char *key);
long refctl_node_find(const struct refctl_node *map, const char *key);
/* Set key to value (takes ownership), replacing in place or appending. */
void refctl_node_set(struct refctl_node *map, const char *key, struct refctl_node *value);
/* Remove key; returns 1 if it was there. */
int refctl_node_remove(struct refctl_node *map, const char *key);
/* Append to a sequence (takes ownership). */
void refctl_node_append(struct refctl_node *seq, struct refctl_node *item);

#endif
