#ifndef REFCTL_REQUEST_H
#define REFCTL_REQUEST_H

/*
 * Reference requests: the lifecycle of one request, kept in the `requests`
 * list of its advocate's file, with ids ADVOCATE/YYMMDD-XXXXXXXX that no two
 * clones can both draw (record.h's item ids; ADVOCATE/N in older files).
 *
 *   requested -> approved, declined, cancelled
 *   approved  -> scheduled, completed, declined, cancelled
 *   scheduled -> completed, cancelled
 *
 * `new` refuses an advocate that the availability rules (avail.h) exclude,
 * unless forced; `complete` awards the activity's reward points.
 *
 * Each store-level call is one locked read-modify-write of one file and one
 * commit; the refctl_request_apply_*() functions do the same change on a
 * record in memory, without the store (the rules, testable alone).
 */

#include <stddef.h>
#include "refctl/advocate.h"
#include "refctl/avail.h"
#include "refctl/buf.h"
#include "refctl/config.h"
#include "refctl/record.h"
#include "refctl/store.h"

/* An id is at most a 63-character advocate id, '/', and 15 characters. */
#define REFCTL_REQUEST_ID_MAX 80

/* Split a full request id, "ADVOCATE/YYMMDD-XXXXXXXX" or the older
 * "ADVOCATE/N": the advocate id into advocate, N into *seq (0 for the
 * first form; either may be NULL). REFCTL_EUSAGE, with a message, if id is
 * of neither form. */
int refctl_request_id_parse(struct refctl_buf *advocate, unsigned long *seq, const char *id);
/* A new id for a request of this advocate opened that day (record.h's
 * item ids), one the file does not have. REFCTL_EIO without randomness. */
int refctl_request_next_id(struct refctl_buf *out, const struct refctl_advocate *a, refctl_date opened);
/*
 * The request that name names: its full id, or any prefix of it that no
 * other request's id has, as git names commits ("acme-jane/2611" or, for
 * an advocate with one request, "acme-jane"). The advocate's id into
 * advocate, the full id into id. REFCTL_ENOTFOUND if none matches,
 * REFCTL_EUSAGE naming the candidates if several do.
 */
int refctl_request_resolve(struct refctl_buf *advocate, struct refctl_buf *id, struct refctl_store *s,
			   const char *name);

/* Check a deal value as typed: digits, optionally a '.' and more digits,
 * no sign or leading zero (so YAML reads it back as the same number). */
int refctl_request_value_check(const char *value);

enum refctl_request_verb {
	REFCTL_REQUEST_APPROVE = 1,
	REFCTL_REQUEST_SCHEDULE,
	REFCTL_REQUEST_DECLINE,
	REFCTL_REQUEST_CANCEL,
	REFCTL_REQUEST_COMPLETE,
	REFCTL_REQUEST_OUTCOME,
};

/* "approve", "schedule", ... */
const char *refctl_request_verb_name(enum refctl_request_verb verb);
/* 1 if a request in status from may take verb (outcome: only completed). */
int refctl_request_verb_allowed(enum refctl_request_verb verb, int from);
/* The statuses verb applies to, in words: "requested or approved". */
const char *refctl_request_verb_from(enum refctl_request_verb verb);

/*
 * A new request. Zero (NULL) is the default of every member but the
 * dates, whose default is REFCTL_DATE_NONE (day 0 is a real date): start
 * from REFCTL_REQUEST_NEW_OPTS_INIT.
 */
struct refctl_request_new_opts {
	const char *advocate;                          /* the advocate's id */
	const char *prospect, *activity, *requester;   /* required */
	const char *opportunity, *industry, *region, *product; /* optional */
	const char *value;   /* expected deal value as typed, or NULL */
	refctl_date opened;  /* NONE: today */
	refctl_date today;   /* NONE: refctl_date_today() */
	int force;           /* record the request even if the advocate is unavailable */
	int include_at_risk; /* lift the at-risk rule only (recorded as forced; needs a reason) */
	const char *reason;  /* why it was forced (recorded with forced: true); force needs one */
};
#define REFCTL_REQUEST_NEW_OPTS_INIT { .opened = REFCTL_DATE_NONE, .today = REFCTL_DATE_NONE }

/* A transition; the same defaults (REFCTL_REQUEST_CHANGE_INIT). */
struct refctl_request_change {
	enum refctl_request_verb verb;
	const char *id;      /* a request's id, or a unique prefix of it */
	const char *by;      /* approve: the approver; NULL: the account owner, else the git user */
	refctl_date date;    /* schedule: required; complete: the closing date (NONE: today) */
	const char *reason;  /* decline, cancel: required */
	int outcome;         /* complete: 0 or an outcome; outcome: won or lost (required) */
	const char *value;   /* complete, outcome: deal value as typed, or NULL */
	refctl_date today;   /* NONE: refctl_date_today() */
};
#define REFCTL_REQUEST_CHANGE_INIT { .date = REFCTL_DATE_NONE, .today = REFCTL_DATE_NONE }

/*
 * The checks of a request's input that need no file, done before any is
 * read (and again by nothing else): what is required is given, one line
 * where the schema wants one, a known activity, a well-formed deal value,
 * a reason for force; for a change also a well-formed id, the date,
 * reason or outcome its verb needs, and an outcome its verb allows.
 * REFCTL_EUSAGE when something required is not given (NULL, or no date
 * or outcome) or the id is malformed, REFCTL_EINVALID for a value given
 * but bad (an empty one included); the message names the input, not a
 * flag. The apply and store functions below call them.
 */
int refctl_request_new_check(const struct refctl_request_new_opts *o);
int refctl_request_change_check(const struct refctl_request_change *ch);

/* What a change did, for the command to report. */
struct refctl_request_result {
	char id[REFCTL_REQUEST_ID_MAX];
	int status;                 /* the request's status afterwards */
	int outcome;                /* its outcome afterwards (0: none) */
	int changed;                /* 0 if the file did not change (nothing written) */
	/* new: the availability rules the advocate fails, in rule order: why
	 * it was refused (REFCTL_EREFUSED), or what force recorded it past */
	struct refctl_avail_exclusion exclusions[REFCTL_AVAIL_NREASONS];
	size_t nexclusions;
	int forced;                 /* new: recorded past the exclusions with force */
	long points;                /* complete: points awarded */
	struct refctl_buf no_points; /* complete: why none were, for an advocate who may not be rewarded */
	long balance;               /* the advocate's reward balance afterwards */
	struct refctl_buf approved_by; /* approve: who */
	struct refctl_buf value;       /* the deal value afterwards, as written */
	struct refctl_buf subject;     /* the commit subject */
	struct refctl_buf body;        /* what the commit body says besides -m */
};
void refctl_request_result_init(struct refctl_request_result *r);
void refctl_request_result_release(struct refctl_request_result *r);

/*
 * Append a new request to rec (in memory). The errors of
 * refctl_request_new_check(); REFCTL_EREFUSED (naming the rules, which
 * res->exclusions has too) when the advocate is unavailable and o->force
 * is not set. cfg gives the program's limits.
 */
int refctl_request_apply_new(struct refctl_request_result *res, struct refctl_record *rec,
			     const struct refctl_config *cfg, const struct refctl_request_new_opts *o);
/*
 * Apply a transition to rec (in memory). The errors of
 * refctl_request_change_check(); REFCTL_ENOTFOUND if there is no such
 * request, REFCTL_EREFUSED (naming the current status) if the transition
 * is not allowed, REFCTL_EINVALID for a date before the request was
 * opened. For approve without ch->by, the account owner is used, else
 * fallback_approver (the git user; may be NULL). complete adds a rewards
 * entry with the points that cfg gives the activity.
 */
int refctl_request_apply_change(struct refctl_request_result *res, struct refctl_record *rec,
				const struct refctl_config *cfg, const struct refctl_request_change *ch,
				const char *fallback_approver);

/* The same, on the store: check, lock, load, apply, validate, write and commit. */
int refctl_request_new(struct refctl_request_result *res, struct refctl_store *s,
		       const struct refctl_request_new_opts *o, const struct refctl_write_opts *opts);
int refctl_request_change(struct refctl_request_result *res, struct refctl_store *s,
			  const struct refctl_request_change *ch, const struct refctl_write_opts *opts);

/* ---- reading ---- */

/* One request copied out of its advocate's file. */
struct refctl_request_item {
	char *advocate;            /* the advocate's id */
	struct refctl_node *node;  /* the request's map, in canonical field order */
	unsigned long seq;         /* N of the id */
	refctl_date opened;
	int status;
};

struct refctl_request_items {
	struct refctl_request_item *v;
	size_t n, alloc;
};
#define REFCTL_REQUEST_ITEMS_INIT { .n = 0 }
void refctl_request_items_release(struct refctl_request_items *items);

/* A field of the request as written in the file, or "" if absent. */
const char *refctl_request_item_field(const struct refctl_request_item *it, const char *field);

/* Copy one request out of rec (rec is put in canonical order). */
int refctl_request_item_from(struct refctl_request_item *out, struct refctl_record *rec, size_t index);
void refctl_request_item_release(struct refctl_request_item *it);

/* Load one request by id. REFCTL_ENOTFOUND if the advocate or request is missing. */
int refctl_request_get(struct refctl_request_item *out, struct refctl_store *s, const char *id);

/* The mask of statuses for `--open`. */
#define REFCTL_REQUEST_OPEN_MASK \
	((1u << REFCTL_REQ_REQUESTED) | (1u << REFCTL_REQ_APPROVED) | (1u << REFCTL_REQ_SCHEDULED))

/* Zero is the default (no filter) of every member but the dates, whose
 * default is REFCTL_DATE_NONE. */
/* The same condition given several values keeps a request with any of
 * them (OR); different conditions must all hold (AND). */
struct refctl_request_filter {
	unsigned statuses;         /* 1 << status for each wanted status; 0: any */
	unsigned outcomes;         /* 1 << outcome for each wanted outcome; 0: any */
	const char *advocate;      /* only this advocate's requests */
	const char *const *requesters; /* compared case-insensitively */
	size_t nrequesters;
	const char *const *activities; /* compared as vocabulary */
	size_t nactivities;
	const char *const *prospects;  /* compared case-insensitively */
	size_t nprospects;
	refctl_date since, until;  /* opened within, inclusive; NONE: open-ended */
};
#define REFCTL_REQUEST_FILTER_INIT { .since = REFCTL_DATE_NONE, .until = REFCTL_DATE_NONE }

/* 1 if the request passes the filter. */
int refctl_request_filter_match(const struct refctl_request_filter *f, const char *advocate,
				const struct refctl_request *r);

/*
 * Every request that passes the filter, across all advocates, oldest first
 * (by opened, then advocate id, then N). Files that do not load go to bad
 * (may be NULL) and are skipped.
 */
int refctl_request_list(struct refctl_request_items *out, struct refctl_store *s,
			const struct refctl_request_filter *f, refctl_store_bad_fn bad, void *payload);

#endif
