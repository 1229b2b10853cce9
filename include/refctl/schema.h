#ifndef REFCTL_SCHEMA_H
#define REFCTL_SCHEMA_H

/*
 * The advocate record's schema: one row per field, and everything that
 * knows a field derives from its row (validation into the typed view,
 * the typed view's reset, the canonical key order, what `set` and `unset`
 * accept, `add`'s flags, `list`'s columns and filters, rendering as text
 * and JSON, the README's and the man page's tables). See lib/schema.c.
 */

#include <stddef.h>
#include <stdint.h>
#include "refctl/buf.h"
#include "refctl/period.h"

/* ---- the typed view of an advocate file ---- */

enum refctl_status {
	REFCTL_STATUS_NONE = 0,
	REFCTL_STATUS_NOMINATED,
	REFCTL_STATUS_ACTIVE,
	REFCTL_STATUS_PAUSED,
	REFCTL_STATUS_RETIRED,
};

enum refctl_req_status {
	REFCTL_REQ_NONE = 0,
	REFCTL_REQ_REQUESTED,
	REFCTL_REQ_APPROVED,
	REFCTL_REQ_SCHEDULED,
	REFCTL_REQ_COMPLETED,
	REFCTL_REQ_DECLINED,
	REFCTL_REQ_CANCELLED,
};

enum refctl_outcome {
	REFCTL_OUTCOME_NONE = 0,
	REFCTL_OUTCOME_WON,
	REFCTL_OUTCOME_LOST,
	REFCTL_OUTCOME_OPEN,
};

/* Strings borrowed from the record's tree. */
struct refctl_strlist {
	const char **v;
	size_t n;
};

struct refctl_request {
	const char *id;
	unsigned long seq; /* N of ADVOCATE/N */
	refctl_date opened, scheduled, closed;
	const char *requester, *prospect, *opportunity, *industry, *region, *product;
	const char *activity, *approved_by, *reason, *notes;
	int status;  /* enum refctl_req_status */
	int outcome; /* enum refctl_outcome */
	int64_t deal_value; /* cents; REFCTL_MONEY_NONE when absent */
	int forced;
	unsigned line, col;
};

enum refctl_ref_status {
	REFCTL_REF_NONE = 0,
	REFCTL_REF_OPEN,
	REFCTL_REF_QUALIFIED,
	REFCTL_REF_WON,
	REFCTL_REF_LOST,
	REFCTL_REF_CANCELLED,
};

/* A referral: a prospect the advocate introduced, and what came of it. */
struct refctl_referral {
	const char *id;
	refctl_date opened, qualified, closed;
	const char *prospect, *contact, *opportunity, *reason, *notes;
	int status;    /* enum refctl_ref_status */
	int64_t value; /* cents; REFCTL_MONEY_NONE when absent */
	unsigned line, col;
};

struct refctl_reward {
	const char *id;
	refctl_date date;
	long points;
	const char *reason, *request, *referral;
	unsigned line, col;
};

struct refctl_content {
	const char *id;
	const char *kind, *lang, *title, *url, *text, *industry;
	struct refctl_strlist products, use_cases;
	refctl_date created, expires;
	const char *approved_by, *legal_by; /* NULL when not approved, not reviewed */
	refctl_date approved_date, legal_date;
	struct refctl_strlist legal_countries; /* empty: everywhere */
	const char *translation_of, *translated_by;
	struct refctl_strlist used;
	unsigned line, col;
};

struct refctl_advocate {
	const char *id, *name, *company, *title, *email, *phone, *account_owner;
	const char *industry, *region, *country, *segment, *health, *notes;
	const char *crm_id, *account_id, *nominated_from, *referred_by;
	int64_t account_value; /* cents; REFCTL_MONEY_NONE when absent */
	int status; /* enum refctl_status */
	int nps;    /* -1 when absent */
	refctl_date since, last_contact, consent_until;
	struct refctl_strlist languages, products, use_cases, activities, programs, tags;
	struct refctl_strlist consent_scope;
	int reward_eligible; /* 0 or 1 as written; -1 when absent */
	const char *reward_note;
	int per_quarter, rest_days; /* -1 when absent */
	struct refctl_request *requests;
	size_t nrequests;
	struct refctl_referral *referrals;
	size_t nreferrals;
	struct refctl_reward *rewards;
	size_t nrewards;
	struct refctl_content *content;
	size_t ncontent;
};

/* ---- the schema ---- */

enum refctl_type {
	REFCTL_TYPE_STRING,          /* one line of text */
	REFCTL_TYPE_TEXT,            /* text, may span lines */
	REFCTL_TYPE_ENUM,            /* one of the row's values */
	REFCTL_TYPE_INTEGER,         /* a decimal integer in [min, max] */
	REFCTL_TYPE_MONEY,           /* an exact decimal, two places at most */
	REFCTL_TYPE_DATE,            /* YYYY-MM-DD */
	REFCTL_TYPE_BOOLEAN,         /* true or false */
	REFCTL_TYPE_DATE_OR_BOOLEAN, /* a date, true or false */
	REFCTL_TYPE_LIST,            /* a list of one-line strings */
	REFCTL_TYPE_MAP,             /* a map of the row's sub-fields */
	REFCTL_TYPE_MAP_LIST,        /* a list of maps of the row's sub-fields */
};

/* How the typed view keeps a value, and what it holds when it is absent. */
enum refctl_storage {
	REFCTL_STORE_NONE,    /* not kept (maps keep their members) */
	REFCTL_STORE_STR,     /* const char *, borrowed from the tree; NULL */
	REFCTL_STORE_INDEX,   /* int: 1 + the value's index in values; 0 */
	REFCTL_STORE_INT,     /* int; -1 */
	REFCTL_STORE_LONG,    /* long; 0 */
	REFCTL_STORE_CENTS,   /* int64_t cents; REFCTL_MONEY_NONE */
	REFCTL_STORE_DATE,    /* refctl_date; REFCTL_DATE_NONE */
	REFCTL_STORE_BOOL,    /* int 0 or 1; 0 */
	REFCTL_STORE_STRLIST, /* struct refctl_strlist; empty */
	REFCTL_STORE_ARRAY,   /* an array of elem_size items at off, their count at count_off; empty */
};

enum {
	REFCTL_FIELD_REQUIRED = 1 << 0, /* must be present and not empty */
	REFCTL_FIELD_SETTABLE = 1 << 1, /* `set` and `unset` may change it */
	REFCTL_FIELD_COLUMN = 1 << 2,   /* a column of `list --fields` */
	REFCTL_FIELD_DEFAULT = 1 << 3,  /* one of `list`'s default columns */
	REFCTL_FIELD_FILTER = 1 << 4,   /* `list --FLAG VALUE` filters on it */
	REFCTL_FIELD_UNIQUE = 1 << 5,   /* no two advocates share a value (case-insensitive) */
};

/* Absent money. */
#define REFCTL_MONEY_NONE INT64_MIN
/* The largest amount of money: 10^13 in whole units, as cents. */
#define REFCTL_MONEY_MAX ((int64_t)1000000000000000LL)

struct refctl_field {
	const char *name;               /* the key in the file */
	enum refctl_type type;
	unsigned flags;                 /* REFCTL_FIELD_* */
	const char *const *values;      /* ENUM's values, or a LIST's allowed items; NULL-terminated */
	long min, max;                  /* INTEGER's range */
	int (*check)(const char *s);    /* a STRING's or LIST item's syntax */
	const char *expect;             /* what check wants, for messages: "an ISO 639-1 code such as de" */
	const char *(*from_name)(const char *s); /* the value a name stands for ("Germany": DE), for
					  * import; NULL if none */
	const struct refctl_field *sub; /* MAP's and MAP_LIST items' fields, ended by a NULL name */
	const char *key;                /* MAP_LIST: the field that identifies an item */
	const char *order;              /* MAP_LIST: the DATE field its items follow, or NULL */
	const char *flag;               /* `add`'s flag (and `list`'s filter), without "--"; NULL if none */
	const char *argh;               /* the flag's value in usage: "NAME", "DATE" */
	const char *defval;             /* the value `add` gives a required field left out */
	const char *help;               /* one line */
	enum refctl_storage storage;
	size_t off;                     /* the member in the typed view */
	size_t elem_size, count_off;    /* ARRAY */
	size_t line_off, col_off;       /* MAP_LIST: the item's unsigned line and col members */
};

/* The fields of an advocate file, ended by a row with a NULL name. */
const struct refctl_field *refctl_schema_advocate(void);

/*
 * The field a path names: "nps", or "consent.until" for a member of a map.
 * *parent (may be NULL) gets the map's row for a dotted path, else NULL.
 */
const struct refctl_field *refctl_schema_find(const char *path, const struct refctl_field **parent);
/* The row named name among fields, or NULL. */
const struct refctl_field *refctl_schema_field(const struct refctl_field *fields, const char *name);

/*
 * Walk the fields a person names by path: top-level fields and, for maps,
 * their members as "map.member". fn gets the path, the row and its map's
 * row (or NULL); non-zero stops the walk and is returned.
 */
typedef int (*refctl_schema_fn)(const char *path, const struct refctl_field *f,
				const struct refctl_field *parent, void *payload);
int refctl_schema_foreach(refctl_schema_fn fn, void *payload);

/* The same over every field, list items' ones too ("requests[].id"). */
int refctl_schema_foreach_all(refctl_schema_fn fn, void *payload);
/* A field's allowed values ("0 to 10", "green, yellow or red") and rules
 * ("required, set, list filter") as the documentation gives them. */
void refctl_schema_describe(struct refctl_buf *values, struct refctl_buf *rules, const struct refctl_field *f,
			    const struct refctl_field *parent);
/* What a field is in JSON output: "string", "number", "array of strings" ... */
const char *refctl_schema_json_type(const struct refctl_field *f);

/* "string", "list of strings", "map" ... */
const char *refctl_schema_type_name(enum refctl_type t);
/* 1 for the types whose value is a list of strings. */
int refctl_schema_is_list(const struct refctl_field *f);

/* "a, b or c" for a NULL-terminated list of names. */
void refctl_schema_join_values(struct refctl_buf *out, const char *const *values);

/* Set the members of a typed view (fields at base) to their absent values,
 * freeing lists and arrays. */
void refctl_schema_view_reset(const struct refctl_field *fields, void *base);

/*
 * The typed view at base (size bytes; its lists, arrays and strings
 * included) as one block appended to out, and back: decode turns the
 * block img (len bytes, 8-aligned, which the view then borrows from) into
 * the view at its start in place. -1 if the block is not such a view.
 */
void refctl_schema_view_encode(struct refctl_buf *out, const struct refctl_field *fields, const void *base,
			       size_t size);
int refctl_schema_view_decode(const struct refctl_field *fields, void *img, size_t len, size_t size);

/* A field's value in the typed view at base as text: lists joined with ","
 * and "" when absent. */
void refctl_schema_value_text(struct refctl_buf *out, const struct refctl_field *f, const void *base);

/* Money: parse "1234.5" (at most two decimals, 0 to REFCTL_MONEY_MAX) into
 * cents; -1 if it is not such a number. Format cents back: "1234.50" or
 * "1234" when whole. */
int refctl_money_parse(const char *s, int64_t *cents);
void refctl_money_format(struct refctl_buf *out, int64_t cents);

/* The schema as documentation: a Markdown table (for the README) or man
 * page source (refctl-schema(5)). */
void refctl_schema_markdown(struct refctl_buf *out);
void refctl_schema_man(struct refctl_buf *out, const char *date);

/* ---- vocabularies ---- */

const char *refctl_status_name(int status);
const char *refctl_req_status_name(int status);
int refctl_req_status_parse(const char *s);
const char *refctl_ref_status_name(int status);
int refctl_ref_status_parse(const char *s);
/* 1 for open and qualified: the referral is not closed. */
int refctl_ref_is_open(int status);
const char *refctl_outcome_name(int outcome);
int refctl_outcome_parse(const char *s);
/* The outcomes in mask (1 << outcome each) in words: "won, lost or open". */
void refctl_outcome_names(struct refctl_buf *out, unsigned mask);
/* 1 for requested, approved, scheduled. */
int refctl_req_is_open(int status);
/* An engagement: a request that was not declined or cancelled. */
int refctl_req_is_engagement(int status);

/* The activities an advocate may offer, NULL-terminated. */
extern const char *const refctl_activities[];
int refctl_activity_valid(const char *s);
/* The kinds of content, NULL-terminated. */
extern const char *const refctl_content_kinds[];
/* The segments, NULL-terminated. */
extern const char *const refctl_segments[];

#endif
