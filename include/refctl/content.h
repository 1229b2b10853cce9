#ifndef REFCTL_CONTENT_H
#define REFCTL_CONTENT_H

/*
 * The content library: quotes, case studies, videos and the like, kept in
 * the `content` list of the advocate's file, with ids ADVOCATE/YYMMDD-
 * XXXXXXXX drawn as request ids are (record.h), so no two clones draw the
 * same. Each change (add, translate, approve, legal, expire, use) is one
 * locked read-modify-write of one file and one commit, as a request's is.
 *
 * An item is usable on a day, for a country, when every rule holds, in
 * this order (the codes of enum refctl_content_rule):
 *   - it has not expired: today is before `expires`;
 *   - the customer approved it (`approved`);
 *   - it passed legal review (`legal`), and the review's countries, if it
 *     lists any, include the country;
 *   - the advocate's consent has not expired (consent.until);
 *   - the consent's scope covers the kind: quote needs `quote`, logo
 *     `logo`, video `video`, case-study `case-study`, any other kind (a
 *     review, testimonial, slide or article names the advocate) `name`.
 * `content find` adds the language: the item is in the language asked
 * for, or (with any_lang) it is an original with no translation into it.
 */

#include <stddef.h>
#include "refctl/advocate.h"
#include "refctl/buf.h"
#include "refctl/config.h"
#include "refctl/match.h"
#include "refctl/period.h"
#include "refctl/record.h"
#include "refctl/store.h"

/* A 63-character advocate id, '/', and the 15 characters of the token. */
#define REFCTL_CONTENT_ID_MAX 80
/* The longest text an item may hold, as a file may be. */
#define REFCTL_CONTENT_TEXT_MAX (1024 * 1024)

enum refctl_content_rule {
	REFCTL_CONTENT_EXPIRED = 1 << 0,    /* expires on or before today */
	REFCTL_CONTENT_UNAPPROVED = 1 << 1, /* the customer has not approved it */
	REFCTL_CONTENT_NO_LEGAL = 1 << 2,   /* no legal review */
	REFCTL_CONTENT_COUNTRY = 1 << 3,    /* the legal review does not clear the country */
	REFCTL_CONTENT_CONSENT = 1 << 4,    /* the advocate's consent expired */
	REFCTL_CONTENT_SCOPE = 1 << 5,      /* the consent's scope does not cover the kind */
	REFCTL_CONTENT_LANGUAGE = 1 << 6,   /* find: not in the language asked for */
};
#define REFCTL_CONTENT_NRULES 7

/* The rule's short name: "expired", "not approved", "no legal review",
 * "not cleared for the country", "consent expired", "consent scope",
 * "language"; "" for anything else. */
const char *refctl_content_rule_name(unsigned rule);
/* The consent scope a kind needs ("quote", ..., "name"). */
const char *refctl_content_scope_needed(const char *kind);
/* The item's industry: its own, else the advocate's (may be NULL). */
const char *refctl_content_industry(const struct refctl_advocate *a, const struct refctl_content *c);

/*
 * The rules (not the language) item c of advocate a fails on today, for
 * country (NULL: any, so only a review is needed), as a mask; why (may be
 * NULL) gets them in words, joined by "; ": "expired 2026-01-01; not
 * approved; not cleared for DE (only AT, CH); consent expired 2026-09-30;
 * no consent for quote".
 */
unsigned refctl_content_usable(struct refctl_buf *why, const struct refctl_advocate *a,
			       const struct refctl_content *c, const char *country, refctl_date today);

/* The item of a with this id, or NULL. */
const struct refctl_content *refctl_content_get(const struct refctl_advocate *a, const char *id);

/*
 * Read the text of an item from a file: a regular file (not a folder, a
 * link or a device) of at most REFCTL_CONTENT_TEXT_MAX bytes of UTF-8
 * without NUL. REFCTL_EINVALID naming "text-file" otherwise, a missing
 * file too: it is bad input.
 */
int refctl_content_read_text(struct refctl_buf *out, const char *path);
/* The checks of a text however it came: UTF-8, no NUL, the size. */
int refctl_content_check_text(const char *text, size_t len);

/*
 * The item that name names: its full id, or a prefix of it that no other
 * item's id has, as requests are named. advocate and id get the
 * advocate's id and the full id. REFCTL_ENOTFOUND if none matches,
 * REFCTL_EUSAGE naming the candidates if several do.
 */
int refctl_content_resolve(struct refctl_buf *advocate, struct refctl_buf *id, struct refctl_store *s,
			   const char *name);

/* ---- changes ---- */

/* A new item; zero is the default of every member but the dates
 * (REFCTL_DATE_NONE): start from REFCTL_CONTENT_ADD_OPTS_INIT. */
struct refctl_content_add_opts {
	const char *advocate;          /* the advocate's id */
	const char *kind, *lang, *title; /* required */
	const char *text, *url;        /* exactly one */
	const char *const *products;   /* may be NULL */
	size_t nproducts;
	const char *const *use_cases;
	size_t nuse_cases;
	refctl_date expires;           /* NONE: does not expire */
	refctl_date today;             /* NONE: refctl_date_today(); the item's created */
};
#define REFCTL_CONTENT_ADD_OPTS_INIT { .expires = REFCTL_DATE_NONE, .today = REFCTL_DATE_NONE }

enum refctl_content_verb {
	REFCTL_CONTENT_TRANSLATE = 1, /* lang, text, by (translated_by) */
	REFCTL_CONTENT_APPROVE,       /* by, date */
	REFCTL_CONTENT_LEGAL,         /* by, countries, date */
	REFCTL_CONTENT_EXPIRE,        /* date */
	REFCTL_CONTENT_USE,           /* request */
};

struct refctl_content_change {
	enum refctl_content_verb verb;
	const char *id;               /* the item's full id */
	const char *lang, *text, *by;
	const char *const *countries; /* legal: where it may be used (none: everywhere) */
	size_t ncountries;
	const char *request;          /* use: the request's full id */
	refctl_date date;             /* NONE: today */
	refctl_date today;            /* NONE: refctl_date_today() */
};
#define REFCTL_CONTENT_CHANGE_INIT { .date = REFCTL_DATE_NONE, .today = REFCTL_DATE_NONE }

/* The checks that need no file. REFCTL_EUSAGE for what is missing,
 * REFCTL_EINVALID (naming the field) for what is bad. */
int refctl_content_add_check(const struct refctl_content_add_opts *o);
int refctl_content_change_check(const struct refctl_content_change *ch);

struct refctl_content_result {
	char id[REFCTL_CONTENT_ID_MAX]; /* the item (translate: the new one) */
	struct refctl_buf subject;      /* the commit subject */
	struct refctl_buf detail;       /* what to tell the user besides the id */
};
void refctl_content_result_init(struct refctl_content_result *r);
void refctl_content_result_release(struct refctl_content_result *r);

/*
 * Apply to rec in memory. The errors of the checks; REFCTL_ENOTFOUND for
 * no such item; REFCTL_EINVALID for a translation into the original's
 * language, a date after today or one the item's rules refuse;
 * REFCTL_EEXISTS for a second translation into one language;
 * REFCTL_EREFUSED (with the rules) to use an item that is not usable.
 * On error rec is unchanged.
 */
int refctl_content_apply_add(struct refctl_content_result *res, struct refctl_record *rec,
			     const struct refctl_content_add_opts *o);
int refctl_content_apply_change(struct refctl_content_result *res, struct refctl_record *rec,
				const struct refctl_content_change *ch);

/* The same on the store: check, lock, load, apply, validate, write and
 * commit. use also checks that the request exists. */
int refctl_content_add(struct refctl_content_result *res, struct refctl_store *s,
		       const struct refctl_content_add_opts *o, const struct refctl_write_opts *opts);
int refctl_content_change(struct refctl_content_result *res, struct refctl_store *s,
			  const struct refctl_content_change *ch, const struct refctl_write_opts *opts);

/* ---- reading ---- */

/* One item, copied out of its advocate's file. */
struct refctl_content_entry {
	char *id, *advocate, *kind, *lang, *title, *industry, *url, *text;
	char *translation_of, *translated_by, *approved_by, *legal_by;
	char *products, *use_cases, *countries; /* joined by ", "; "" when none */
	refctl_date created, expires, approved, legal; /* approved, legal: the dates */
	size_t nused;
	unsigned rules;       /* refctl_content_usable()'s mask (and LANGUAGE for find) */
	char *why;            /* the rules in words; "" when usable */
	/* find */
	double relevance;
	struct refctl_match_score crit[REFCTL_CRIT_COUNT];
	unsigned char *met;   /* per value of the result */
	char *missing_lang;   /* any_lang: the language its translation is missing in, else NULL */
};

struct refctl_content_entries {
	struct refctl_content_entry *v;
	size_t n, alloc;
};
#define REFCTL_CONTENT_ENTRIES_INIT { .n = 0 }
void refctl_content_entries_release(struct refctl_content_entries *e);

/* list's filters; zero is the default (no filter) but the dates. */
struct refctl_content_list_opts {
	const char *kind, *lang, *advocate, *industry, *product, *use_case;
	int usable;          /* only the usable ones */
	int expiring_days;   /* >= 0: only those expiring within so many days (not yet expired) */
	refctl_date today;   /* NONE: refctl_date_today() */
};
#define REFCTL_CONTENT_LIST_OPTS_INIT { .expiring_days = -1, .today = REFCTL_DATE_NONE }

/* Every item that passes the filters, by advocate and then file order. */
int refctl_content_list(struct refctl_content_entries *out, struct refctl_store *s,
			const struct refctl_content_list_opts *o);

struct refctl_content_find_opts {
	const struct refctl_prospect *prospect; /* NULL: no criteria */
	const char *lang;     /* NULL: any language */
	const char *country;  /* NULL: any country */
	int any_lang;         /* also an original whose translation into lang is missing */
	size_t limit;         /* 0: REFCTL_MATCH_DEFAULT_LIMIT; REFCTL_MATCH_NO_LIMIT: all */
	refctl_date today;    /* NONE: refctl_date_today() */
};
#define REFCTL_CONTENT_FIND_OPTS_INIT { .today = REFCTL_DATE_NONE }

struct refctl_content_found {
	struct refctl_content_entries items; /* usable, best first, at most limit */
	struct refctl_match_value *values;   /* the prospect's values, as match has them */
	size_t nvalues;
	double possible;
	size_t nconsidered, nusable;         /* items looked at, usable ones before the limit */
	size_t nbelow;                       /* usable but 0% relevant: left out */
	size_t excluded_by[REFCTL_CONTENT_NRULES]; /* items each rule (bit i) excluded */
};
void refctl_content_found_release(struct refctl_content_found *f);

/*
 * Rank the usable items for a prospect by match's relevance (match.h),
 * computed with the item's products, use cases, industry and language and
 * the advocate's region, country and segment; ties: items in the language
 * before flagged originals, newer first, then id. Items of 0% relevance
 * (they meet none of the criteria given) are left out, as match leaves out
 * such advocates.
 */
int refctl_content_find(struct refctl_content_found *out, struct refctl_store *s,
			const struct refctl_config *cfg, const struct refctl_content_find_opts *o);
/* The rule that excluded the most items (the first on a tie), with the
 * count into *count (may be NULL); 0 if none. */
unsigned refctl_content_top_rule(size_t *count, const struct refctl_content_found *f);

#endif
