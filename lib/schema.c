/*
 * The schema of an advocate file: one row per field.
 *
 * Design note. Every part of refctl that knows a field reads it from the
 * rows below, so a field is defined once:
 *   S1. The rows' order is the canonical key order (refctl_record_canonicalize).
 *   S2. A value is valid when it has the row's type, values, range and
 *       check (validate_value in lib/record.c); nothing else validates a
 *       field's shape.
 *   S3. The typed view (struct refctl_advocate and its items) holds what
 *       the row's storage says, at the row's offset; refctl_schema_view_reset
 *       sets every member to its absent value from the rows alone.
 *   S4. `set` and `unset` accept exactly the SETTABLE rows and map members
 *       (refctl_record_set), `add`'s flags are the rows with a flag
 *       (cmd/add.c), `list`'s columns are the COLUMN rows and its filters
 *       the FILTER rows (lib/filter.c), uniqueness across files is the
 *       UNIQUE rows (lib/advocate.c).
 *   S5. The README's schema table and refctl-schema(5) are rendered from
 *       the rows (refctl_schema_markdown, refctl_schema_man); a test fails
 *       when the README's copy differs.
 *   S6. A three-way merge (lib/merge.c) decides each field by its row's
 *       type alone: scalars and map members three-way, LIST rows as sets,
 *       MAP_LIST rows item by item, matched by the row's key and kept in
 *       order of the row's order field; keys with no row as scalars.
 * Adding a field is one row here and, if the typed view needs it, one
 * member in include/refctl/schema.h.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "refctl/iso.h"
#include "refctl/schema.h"
#include "util.h"

/* ---- vocabularies ---- */

static const char *const status_names[] = { "nominated", "active", "paused", "retired", NULL };
static const char *const req_status_names[] = {
	"requested", "approved", "scheduled", "completed", "declined", "cancelled", NULL
};
static const char *const outcome_names[] = { "won", "lost", "open", NULL };
static const char *const ref_status_names[] = { "open", "qualified", "won", "lost", "cancelled", NULL };
static const char *const health_names[] = { "green", "yellow", "red", NULL };
const char *const refctl_segments[] = { "smb", "mid-market", "enterprise", NULL };
const char *const refctl_activities[] = {
	"reference-call", "case-study", "quote", "video", "speaking", "press", "analyst",
	"advisory-board", "beta", "referral", "site-visit", "social", "community", NULL
};

const char *const refctl_content_kinds[] = {
	"quote", "case-study", "video", "logo", "review", "testimonial", "slide", "article", NULL
};

static int check_country(const char *s)
{
	return refctl_iso_country_valid(s);
}

static int check_language(const char *s)
{
	return refctl_iso_language_valid(s);
}

/* An http or https address with a host, on one line, without spaces. */
static int check_url(const char *s)
{
	const char *rest = !strncmp(s, "https://", 8) ? s + 8 : !strncmp(s, "http://", 7) ? s + 7 : NULL;
	return rest && *rest && *rest != '/' && !strpbrk(s, " \t\n\r");
}

static int check_email(const char *s)
{
	const char *at = strchr(s, '@');
	return at && at != s && at[1] && !strchr(at + 1, '@') && strchr(at + 1, '.') &&
	       !strpbrk(s, " \t\n<>,;");
}

static int name_index(const char *const *names, const char *s)
{
	for (int i = 0; names[i]; i++)
		if (!strcmp(names[i], s))
			return i + 1;
	return 0;
}

static const char *index_name(const char *const *names, int i)
{
	for (int k = 1; names[k - 1]; k++)
		if (k == i)
			return names[k - 1];
	return "";
}

const char *refctl_status_name(int s)
{
	return index_name(status_names, s);
}

const char *refctl_req_status_name(int s)
{
	return index_name(req_status_names, s);
}

int refctl_req_status_parse(const char *s)
{
	return name_index(req_status_names, s);
}

const char *refctl_ref_status_name(int s)
{
	return index_name(ref_status_names, s);
}

int refctl_ref_status_parse(const char *s)
{
	return name_index(ref_status_names, s);
}

int refctl_ref_is_open(int s)
{
	return s == REFCTL_REF_OPEN || s == REFCTL_REF_QUALIFIED;
}

/* An advocate id: ^[a-z0-9][a-z0-9-]{0,62}$ (record.c's refctl_id_valid,
 * which sits above the schema). */
static int check_id(const char *s)
{
	size_t n = 0;

	if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9')))
		return 0;
	for (; s[n]; n++)
		if (!((s[n] >= 'a' && s[n] <= 'z') || (s[n] >= '0' && s[n] <= '9') || s[n] == '-'))
			return 0;
	return n <= 63;
}

const char *refctl_outcome_name(int o)
{
	return index_name(outcome_names, o);
}

int refctl_outcome_parse(const char *s)
{
	return name_index(outcome_names, s);
}

void refctl_outcome_names(struct refctl_buf *out, unsigned mask)
{
	const char *names[REFCTL_OUTCOME_OPEN + 1];
	int n = 0;

	for (int o = REFCTL_OUTCOME_WON; o <= REFCTL_OUTCOME_OPEN; o++)
		if (mask & (1u << o))
			names[n++] = outcome_names[o - 1];
	names[n] = NULL;
	refctl_schema_join_values(out, names);
}

int refctl_req_is_open(int s)
{
	return s == REFCTL_REQ_REQUESTED || s == REFCTL_REQ_APPROVED || s == REFCTL_REQ_SCHEDULED;
}

int refctl_req_is_engagement(int s)
{
	return s != REFCTL_REQ_DECLINED && s != REFCTL_REQ_CANCELLED;
}

int refctl_activity_valid(const char *s)
{
	return name_index(refctl_activities, s) != 0;
}

/* ---- the rows ---- */

#define RQ REFCTL_FIELD_REQUIRED
#define SET REFCTL_FIELD_SETTABLE
#define COL REFCTL_FIELD_COLUMN
#define DEF REFCTL_FIELD_DEFAULT
#define FIL REFCTL_FIELD_FILTER
#define UNQ REFCTL_FIELD_UNIQUE

#define A(m) offsetof(struct refctl_advocate, m)
#define R(m) offsetof(struct refctl_request, m)
#define W(m) offsetof(struct refctl_reward, m)
#define C(m) offsetof(struct refctl_content, m)
#define F(m) offsetof(struct refctl_referral, m)

static const struct refctl_field consent_fields[] = {
	{ .name = "until", .type = REFCTL_TYPE_DATE, .flags = SET | COL, .flag = "consent-until", .argh = "DATE",
	  .help = "the last day the advocate's consent covers", .storage = REFCTL_STORE_DATE, .off = A(consent_until) },
	{ .name = "scope", .type = REFCTL_TYPE_LIST, .flags = SET | COL, .flag = "consent-scope", .argh = "S",
	  .help = "what the consent covers: name, logo, quote ...", .storage = REFCTL_STORE_STRLIST, .off = A(consent_scope) },
	{ .name = NULL },
};

static const struct refctl_field limits_fields[] = {
	{ .name = "per_quarter", .type = REFCTL_TYPE_INTEGER, .flags = SET | COL, .min = 0, .max = 1000,
	  .flag = "per-quarter", .argh = "N", .help = "engagements a quarter at most (the program's default if absent)",
	  .storage = REFCTL_STORE_INT, .off = A(per_quarter) },
	{ .name = "rest_days", .type = REFCTL_TYPE_INTEGER, .flags = SET | COL, .min = 0, .max = 3660,
	  .flag = "rest-days", .argh = "N", .help = "days between engagements at least (the program's default if absent)",
	  .storage = REFCTL_STORE_INT, .off = A(rest_days) },
	{ .name = NULL },
};

static const struct refctl_field request_fields[] = {
	{ .name = "id", .type = REFCTL_TYPE_STRING, .flags = RQ,
	  .help = "ADVOCATE/YYMMDD-XXXXXXXX (or ADVOCATE/N, as older versions wrote), unique in the file",
	  .storage = REFCTL_STORE_STR, .off = R(id) },
	{ .name = "opened", .type = REFCTL_TYPE_DATE, .flags = RQ, .help = "the day the request was made",
	  .storage = REFCTL_STORE_DATE, .off = R(opened) },
	{ .name = "requester", .type = REFCTL_TYPE_STRING, .help = "who asked (a sales rep)",
	  .storage = REFCTL_STORE_STR, .off = R(requester) },
	{ .name = "prospect", .type = REFCTL_TYPE_STRING, .help = "the prospect the reference is for",
	  .storage = REFCTL_STORE_STR, .off = R(prospect) },
	{ .name = "opportunity", .type = REFCTL_TYPE_STRING, .help = "the CRM opportunity",
	  .storage = REFCTL_STORE_STR, .off = R(opportunity) },
	{ .name = "industry", .type = REFCTL_TYPE_STRING, .help = "the prospect's industry",
	  .storage = REFCTL_STORE_STR, .off = R(industry) },
	{ .name = "region", .type = REFCTL_TYPE_STRING, .help = "the prospect's region",
	  .storage = REFCTL_STORE_STR, .off = R(region) },
	{ .name = "product", .type = REFCTL_TYPE_STRING, .help = "the product the deal is about",
	  .storage = REFCTL_STORE_STR, .off = R(product) },
	{ .name = "activity", .type = REFCTL_TYPE_ENUM, .flags = RQ, .values = refctl_activities,
	  .help = "what the advocate is asked to do", .storage = REFCTL_STORE_STR, .off = R(activity) },
	{ .name = "status", .type = REFCTL_TYPE_ENUM, .flags = RQ, .values = req_status_names,
	  .help = "where the request is in its lifecycle", .storage = REFCTL_STORE_INDEX, .off = R(status) },
	{ .name = "approved_by", .type = REFCTL_TYPE_STRING, .help = "who approved it",
	  .storage = REFCTL_STORE_STR, .off = R(approved_by) },
	{ .name = "scheduled", .type = REFCTL_TYPE_DATE, .help = "the day it takes place",
	  .storage = REFCTL_STORE_DATE, .off = R(scheduled) },
	{ .name = "closed", .type = REFCTL_TYPE_DATE, .help = "the day it was completed, declined or cancelled",
	  .storage = REFCTL_STORE_DATE, .off = R(closed) },
	{ .name = "outcome", .type = REFCTL_TYPE_ENUM, .values = outcome_names, .help = "the deal's outcome",
	  .storage = REFCTL_STORE_INDEX, .off = R(outcome) },
	{ .name = "deal_value", .type = REFCTL_TYPE_MONEY, .help = "the deal's value, in the program's currency",
	  .storage = REFCTL_STORE_CENTS, .off = R(deal_value) },
	{ .name = "forced", .type = REFCTL_TYPE_BOOLEAN, .help = "made with --force past an availability rule",
	  .storage = REFCTL_STORE_BOOL, .off = R(forced) },
	{ .name = "reason", .type = REFCTL_TYPE_TEXT, .help = "why it was declined, cancelled or forced",
	  .storage = REFCTL_STORE_STR, .off = R(reason) },
	{ .name = "notes", .type = REFCTL_TYPE_TEXT, .help = "free text", .storage = REFCTL_STORE_STR, .off = R(notes) },
	{ .name = NULL },
};

static const struct refctl_field reward_fields[] = {
	{ .name = "id", .type = REFCTL_TYPE_STRING,
	  .help = "ADVOCATE/YYMMDD-XXXXXXXX, the rewarded request's id, or none in older files",
	  .storage = REFCTL_STORE_STR, .off = W(id) },
	{ .name = "date", .type = REFCTL_TYPE_DATE, .flags = RQ, .help = "the day the points were given or redeemed",
	  .storage = REFCTL_STORE_DATE, .off = W(date) },
	{ .name = "points", .type = REFCTL_TYPE_INTEGER, .flags = RQ, .min = -1000000, .max = 1000000,
	  .help = "points given, negative for a redemption", .storage = REFCTL_STORE_LONG, .off = W(points) },
	{ .name = "reason", .type = REFCTL_TYPE_TEXT, .help = "what they are for", .storage = REFCTL_STORE_STR, .off = W(reason) },
	{ .name = "request", .type = REFCTL_TYPE_STRING, .help = "the request they reward",
	  .storage = REFCTL_STORE_STR, .off = W(request) },
	{ .name = "referral", .type = REFCTL_TYPE_STRING, .help = "the referral they reward",
	  .storage = REFCTL_STORE_STR, .off = W(referral) },
	{ .name = NULL },
};

static const struct refctl_field referral_fields[] = {
	{ .name = "id", .type = REFCTL_TYPE_STRING, .flags = RQ, .help = "ADVOCATE/YYMMDD-XXXXXXXX, unique in the file",
	  .storage = REFCTL_STORE_STR, .off = F(id) },
	{ .name = "opened", .type = REFCTL_TYPE_DATE, .flags = RQ, .help = "the day the advocate made the referral",
	  .storage = REFCTL_STORE_DATE, .off = F(opened) },
	{ .name = "prospect", .type = REFCTL_TYPE_STRING, .flags = RQ, .help = "the company referred",
	  .storage = REFCTL_STORE_STR, .off = F(prospect) },
	{ .name = "contact", .type = REFCTL_TYPE_STRING, .help = "the person referred",
	  .storage = REFCTL_STORE_STR, .off = F(contact) },
	{ .name = "opportunity", .type = REFCTL_TYPE_STRING, .help = "the CRM opportunity it became",
	  .storage = REFCTL_STORE_STR, .off = F(opportunity) },
	{ .name = "status", .type = REFCTL_TYPE_ENUM, .flags = RQ, .values = ref_status_names,
	  .help = "where the referral is: open, qualified, then won or lost (or cancelled)",
	  .storage = REFCTL_STORE_INDEX, .off = F(status) },
	{ .name = "qualified", .type = REFCTL_TYPE_DATE, .help = "the day sales qualified it",
	  .storage = REFCTL_STORE_DATE, .off = F(qualified) },
	{ .name = "closed", .type = REFCTL_TYPE_DATE, .help = "the day it was won, lost or cancelled",
	  .storage = REFCTL_STORE_DATE, .off = F(closed) },
	{ .name = "value", .type = REFCTL_TYPE_MONEY, .help = "the referred deal's value, in the program's currency",
	  .storage = REFCTL_STORE_CENTS, .off = F(value) },
	{ .name = "reason", .type = REFCTL_TYPE_TEXT, .help = "why it was lost or cancelled",
	  .storage = REFCTL_STORE_STR, .off = F(reason) },
	{ .name = "notes", .type = REFCTL_TYPE_TEXT, .help = "free text", .storage = REFCTL_STORE_STR, .off = F(notes) },
	{ .name = NULL },
};

static const struct refctl_field content_approved_fields[] = {
	{ .name = "by", .type = REFCTL_TYPE_STRING, .flags = RQ, .help = "who approved it for the customer",
	  .storage = REFCTL_STORE_STR, .off = C(approved_by) },
	{ .name = "date", .type = REFCTL_TYPE_DATE, .flags = RQ, .help = "the day they approved it",
	  .storage = REFCTL_STORE_DATE, .off = C(approved_date) },
	{ .name = NULL },
};

static const struct refctl_field content_legal_fields[] = {
	{ .name = "by", .type = REFCTL_TYPE_STRING, .flags = RQ, .help = "who reviewed it for law and compliance",
	  .storage = REFCTL_STORE_STR, .off = C(legal_by) },
	{ .name = "date", .type = REFCTL_TYPE_DATE, .flags = RQ, .help = "the day they cleared it",
	  .storage = REFCTL_STORE_DATE, .off = C(legal_date) },
	{ .name = "countries", .type = REFCTL_TYPE_LIST, .check = check_country,
	  .expect = "an ISO 3166 alpha-2 code such as DE",
	  .help = "the countries it may be used in (none: everywhere)", .storage = REFCTL_STORE_STRLIST,
	  .off = C(legal_countries) },
	{ .name = NULL },
};

static const struct refctl_field content_fields[] = {
	{ .name = "id", .type = REFCTL_TYPE_STRING, .help = "ADVOCATE/YYMMDD-XXXXXXXX, or none in older files",
	  .storage = REFCTL_STORE_STR, .off = C(id) },
	{ .name = "kind", .type = REFCTL_TYPE_ENUM, .flags = RQ, .values = refctl_content_kinds,
	  .help = "what it is", .storage = REFCTL_STORE_STR, .off = C(kind) },
	{ .name = "lang", .type = REFCTL_TYPE_STRING, .check = check_language, .expect = "an ISO 639-1 code such as en",
	  .help = "its language", .storage = REFCTL_STORE_STR, .off = C(lang) },
	{ .name = "title", .type = REFCTL_TYPE_STRING, .help = "its title", .storage = REFCTL_STORE_STR, .off = C(title) },
	{ .name = "url", .type = REFCTL_TYPE_STRING, .check = check_url, .expect = "an http or https address",
	  .help = "where it is", .storage = REFCTL_STORE_STR, .off = C(url) },
	{ .name = "text", .type = REFCTL_TYPE_TEXT, .help = "its text", .storage = REFCTL_STORE_STR, .off = C(text) },
	{ .name = "products", .type = REFCTL_TYPE_LIST, .help = "the products it is about",
	  .storage = REFCTL_STORE_STRLIST, .off = C(products) },
	{ .name = "use_cases", .type = REFCTL_TYPE_LIST, .help = "the use cases it is about",
	  .storage = REFCTL_STORE_STRLIST, .off = C(use_cases) },
	{ .name = "industry", .type = REFCTL_TYPE_STRING, .help = "the industry it speaks to (absent: the advocate's)",
	  .storage = REFCTL_STORE_STR, .off = C(industry) },
	{ .name = "created", .type = REFCTL_TYPE_DATE, .help = "the day it was added",
	  .storage = REFCTL_STORE_DATE, .off = C(created) },
	{ .name = "approved", .type = REFCTL_TYPE_MAP, .sub = content_approved_fields,
	  .help = "the customer's approval: by whom and when" },
	{ .name = "legal", .type = REFCTL_TYPE_MAP, .sub = content_legal_fields,
	  .help = "the legal and compliance review: by whom, when, and where it may be used" },
	{ .name = "expires", .type = REFCTL_TYPE_DATE, .help = "the first day it may no longer be used",
	  .storage = REFCTL_STORE_DATE, .off = C(expires) },
	{ .name = "translation_of", .type = REFCTL_TYPE_STRING, .help = "the id of the item it translates",
	  .storage = REFCTL_STORE_STR, .off = C(translation_of) },
	{ .name = "translated_by", .type = REFCTL_TYPE_STRING, .help = "who translated it",
	  .storage = REFCTL_STORE_STR, .off = C(translated_by) },
	{ .name = "used", .type = REFCTL_TYPE_LIST, .help = "where it was sent: request ids, or dates",
	  .storage = REFCTL_STORE_STRLIST, .off = C(used) },
	{ .name = NULL },
};

static const struct refctl_field advocate_fields[] = {
	{ .name = "id", .type = REFCTL_TYPE_STRING, .flags = RQ | COL | DEF, .flag = "id", .argh = "ID",
	  .help = "the file name: lowercase letters, digits and '-' (derived from name and company if left out)",
	  .storage = REFCTL_STORE_STR, .off = A(id) },
	{ .name = "name", .type = REFCTL_TYPE_STRING, .flags = RQ | SET | COL | DEF, .flag = "name", .argh = "NAME",
	  .help = "the advocate's full name", .storage = REFCTL_STORE_STR, .off = A(name) },
	{ .name = "company", .type = REFCTL_TYPE_STRING, .flags = RQ | SET | COL | DEF, .flag = "company",
	  .argh = "COMPANY", .help = "the customer company", .storage = REFCTL_STORE_STR, .off = A(company) },
	{ .name = "status", .type = REFCTL_TYPE_ENUM, .flags = RQ | SET | COL | DEF | FIL, .values = status_names,
	  .flag = "status", .argh = "S", .defval = "nominated", .help = "where the advocate is in the program",
	  .storage = REFCTL_STORE_INDEX, .off = A(status) },
	{ .name = "nominated_from", .type = REFCTL_TYPE_STRING, .flags = SET | COL, .flag = "nominated-from",
	  .argh = "SOURCE", .help = "where the nomination came from: nps (an NPS promoter), a rep, an event ...",
	  .storage = REFCTL_STORE_STR, .off = A(nominated_from) },
	{ .name = "title", .type = REFCTL_TYPE_STRING, .flags = SET | COL, .flag = "title", .argh = "TITLE",
	  .help = "job title", .storage = REFCTL_STORE_STR, .off = A(title) },
	{ .name = "email", .type = REFCTL_TYPE_STRING, .flags = SET | COL | UNQ, .check = check_email,
	  .expect = "an address like name@example.com", .flag = "email", .argh = "ADDRESS",
	  .help = "email address, unique across advocates", .storage = REFCTL_STORE_STR, .off = A(email) },
	{ .name = "phone", .type = REFCTL_TYPE_STRING, .flags = SET | COL, .flag = "phone", .argh = "PHONE",
	  .help = "phone number", .storage = REFCTL_STORE_STR, .off = A(phone) },
	{ .name = "crm_id", .type = REFCTL_TYPE_STRING, .flags = SET | COL | UNQ, .flag = "crm-id", .argh = "ID",
	  .help = "the CRM's id of this contact, unique across advocates", .storage = REFCTL_STORE_STR, .off = A(crm_id) },
	{ .name = "account_id", .type = REFCTL_TYPE_STRING, .flags = SET | COL, .flag = "account-id", .argh = "ID",
	  .help = "the CRM's id of the customer account", .storage = REFCTL_STORE_STR, .off = A(account_id) },
	{ .name = "account_value", .type = REFCTL_TYPE_MONEY, .flags = SET | COL, .flag = "account-value", .argh = "N",
	  .help = "the customer's own yearly spend, in the program's currency", .storage = REFCTL_STORE_CENTS,
	  .off = A(account_value) },
	{ .name = "referred_by", .type = REFCTL_TYPE_STRING, .flags = SET | COL, .check = check_id,
	  .expect = "an advocate's id", .flag = "referred-by", .argh = "ADVOCATE",
	  .help = "the advocate whose referral made this one a customer", .storage = REFCTL_STORE_STR,
	  .off = A(referred_by) },
	{ .name = "account_owner", .type = REFCTL_TYPE_STRING, .flags = SET | COL | FIL, .flag = "account-owner",
	  .argh = "NAME", .help = "the sales owner who approves requests", .storage = REFCTL_STORE_STR,
	  .off = A(account_owner) },
	{ .name = "industry", .type = REFCTL_TYPE_STRING, .flags = SET | COL | DEF | FIL, .flag = "industry",
	  .argh = "I", .help = "the company's industry", .storage = REFCTL_STORE_STR, .off = A(industry) },
	{ .name = "region", .type = REFCTL_TYPE_STRING, .flags = SET | COL | DEF | FIL, .flag = "region",
	  .argh = "R", .help = "the company's region", .storage = REFCTL_STORE_STR, .off = A(region) },
	{ .name = "country", .type = REFCTL_TYPE_STRING, .flags = SET | COL | FIL, .check = check_country,
	  .expect = "an ISO 3166 alpha-2 code such as DE", .from_name = refctl_iso_country_code,
	  .flag = "country", .argh = "CC",
	  .help = "the advocate's country (ISO 3166 alpha-2)", .storage = REFCTL_STORE_STR, .off = A(country) },
	{ .name = "segment", .type = REFCTL_TYPE_ENUM, .flags = SET | COL | FIL, .values = refctl_segments,
	  .flag = "segment", .argh = "S", .help = "the company's size", .storage = REFCTL_STORE_STR, .off = A(segment) },
	{ .name = "since", .type = REFCTL_TYPE_DATE, .flags = SET | COL, .flag = "since", .argh = "DATE",
	  .help = "the day the advocate joined", .storage = REFCTL_STORE_DATE, .off = A(since) },
	{ .name = "nps", .type = REFCTL_TYPE_INTEGER, .flags = SET | COL, .min = 0, .max = 10, .flag = "nps",
	  .argh = "N", .help = "the advocate's latest NPS answer", .storage = REFCTL_STORE_INT, .off = A(nps) },
	{ .name = "health", .type = REFCTL_TYPE_ENUM, .flags = SET | COL | FIL, .values = health_names, .flag = "health",
	  .argh = "H", .help = "the account's health", .storage = REFCTL_STORE_STR, .off = A(health) },
	{ .name = "last_contact", .type = REFCTL_TYPE_DATE, .flags = SET | COL, .flag = "last-contact",
	  .argh = "DATE", .help = "the day the program last spoke to the advocate", .storage = REFCTL_STORE_DATE,
	  .off = A(last_contact) },
	{ .name = "notes", .type = REFCTL_TYPE_TEXT, .flags = SET | COL, .flag = "notes", .argh = "TEXT",
	  .help = "free text", .storage = REFCTL_STORE_STR, .off = A(notes) },
	{ .name = "languages", .type = REFCTL_TYPE_LIST, .flags = SET | COL | FIL, .check = check_language,
	  .expect = "an ISO 639-1 code such as de", .from_name = refctl_iso_language_code,
	  .flag = "language", .argh = "L",
	  .help = "languages the advocate speaks (ISO 639-1)", .storage = REFCTL_STORE_STRLIST, .off = A(languages) },
	{ .name = "products", .type = REFCTL_TYPE_LIST, .flags = SET | COL | FIL, .flag = "product", .argh = "P",
	  .help = "products the company uses", .storage = REFCTL_STORE_STRLIST, .off = A(products) },
	{ .name = "use_cases", .type = REFCTL_TYPE_LIST, .flags = SET | COL, .flag = "use-case", .argh = "U",
	  .help = "what the company uses them for", .storage = REFCTL_STORE_STRLIST, .off = A(use_cases) },
	{ .name = "activities", .type = REFCTL_TYPE_LIST, .flags = SET | COL | FIL, .values = refctl_activities,
	  .flag = "activity", .argh = "A", .help = "what the advocate is willing to do",
	  .storage = REFCTL_STORE_STRLIST, .off = A(activities) },
	{ .name = "programs", .type = REFCTL_TYPE_LIST, .flags = SET | COL | FIL, .flag = "program", .argh = "P",
	  .help = "programs the advocate is in", .storage = REFCTL_STORE_STRLIST, .off = A(programs) },
	{ .name = "tags", .type = REFCTL_TYPE_LIST, .flags = SET | COL | FIL, .flag = "tag", .argh = "T",
	  .help = "free labels", .storage = REFCTL_STORE_STRLIST, .off = A(tags) },
	{ .name = "reward_eligible", .type = REFCTL_TYPE_BOOLEAN, .flags = SET,
	  .help = "false when the advocate may not accept rewards (absent: the program's rules decide)",
	  .storage = REFCTL_STORE_INT, .off = A(reward_eligible) },
	{ .name = "reward_note", .type = REFCTL_TYPE_TEXT, .flags = SET,
	  .help = "why the advocate may not accept rewards", .storage = REFCTL_STORE_STR, .off = A(reward_note) },
	{ .name = "consent", .type = REFCTL_TYPE_MAP, .flags = SET, .sub = consent_fields,
	  .help = "what the advocate agreed to, and until when" },
	{ .name = "limits", .type = REFCTL_TYPE_MAP, .flags = SET, .sub = limits_fields,
	  .help = "this advocate's own limits, overriding the program's" },
	{ .name = "requests", .type = REFCTL_TYPE_MAP_LIST, .sub = request_fields, .key = "id", .order = "opened",
	  .help = "reference requests (written by refctl request)", .storage = REFCTL_STORE_ARRAY,
	  .off = A(requests), .elem_size = sizeof(struct refctl_request), .count_off = A(nrequests),
	  .line_off = R(line), .col_off = R(col) },
	{ .name = "referrals", .type = REFCTL_TYPE_MAP_LIST, .sub = referral_fields, .key = "id", .order = "opened",
	  .help = "prospects the advocate referred (written by refctl referral)", .storage = REFCTL_STORE_ARRAY,
	  .off = A(referrals), .elem_size = sizeof(struct refctl_referral), .count_off = A(nreferrals),
	  .line_off = F(line), .col_off = F(col) },
	{ .name = "rewards", .type = REFCTL_TYPE_MAP_LIST, .sub = reward_fields, .key = "id", .order = "date",
	  .help = "reward points given and redeemed (written by refctl reward)", .storage = REFCTL_STORE_ARRAY,
	  .off = A(rewards), .elem_size = sizeof(struct refctl_reward), .count_off = A(nrewards),
	  .line_off = W(line), .col_off = W(col) },
	{ .name = "content", .type = REFCTL_TYPE_MAP_LIST, .sub = content_fields, .key = "id", .order = "created",
	  .help = "quotes, case studies and other content", .storage = REFCTL_STORE_ARRAY,
	  .off = A(content), .elem_size = sizeof(struct refctl_content), .count_off = A(ncontent),
	  .line_off = C(line), .col_off = C(col) },
	{ .name = NULL },
};

const struct refctl_field *refctl_schema_advocate(void)
{
	return advocate_fields;
}

const struct refctl_field *refctl_schema_field(const struct refctl_field *fields, const char *name)
{
	for (const struct refctl_field *f = fields; f->name; f++)
		if (!strcmp(f->name, name))
			return f;
	return NULL;
}

const struct refctl_field *refctl_schema_find(const char *path, const struct refctl_field **parent)
{
	const char *dot = strchr(path, '.');

	if (parent)
		*parent = NULL;
	if (!dot)
		return refctl_schema_field(advocate_fields, path);
	for (const struct refctl_field *f = advocate_fields; f->name; f++)
		if (f->type == REFCTL_TYPE_MAP && strlen(f->name) == (size_t)(dot - path) &&
		    !strncmp(f->name, path, (size_t)(dot - path))) {
			if (parent)
				*parent = f;
			return refctl_schema_field(f->sub, dot + 1);
		}
	return NULL;
}

int refctl_schema_foreach(refctl_schema_fn fn, void *payload)
{
	char path[128];
	int rc;

	for (const struct refctl_field *f = advocate_fields; f->name; f++) {
		if ((rc = fn(f->name, f, NULL, payload)) != 0)
			return rc;
		if (f->type != REFCTL_TYPE_MAP)
			continue;
		for (const struct refctl_field *s = f->sub; s->name; s++) {
			snprintf(path, sizeof(path), "%s.%s", f->name, s->name);
			if ((rc = fn(path, s, f, payload)) != 0)
				return rc;
		}
	}
	return 0;
}

const char *refctl_schema_type_name(enum refctl_type t)
{
	switch (t) {
	case REFCTL_TYPE_STRING: return "string";
	case REFCTL_TYPE_TEXT: return "text";
	case REFCTL_TYPE_ENUM: return "enum";
	case REFCTL_TYPE_INTEGER: return "integer";
	case REFCTL_TYPE_MONEY: return "money";
	case REFCTL_TYPE_DATE: return "date";
	case REFCTL_TYPE_BOOLEAN: return "boolean";
	case REFCTL_TYPE_DATE_OR_BOOLEAN: return "date or boolean";
	case REFCTL_TYPE_LIST: return "list of strings";
	case REFCTL_TYPE_MAP: return "map";
	case REFCTL_TYPE_MAP_LIST: return "list of maps";
	}
	return "";
}

int refctl_schema_is_list(const struct refctl_field *f)
{
	return f->type == REFCTL_TYPE_LIST;
}

void refctl_schema_join_values(struct refctl_buf *out, const char *const *values)
{
	for (int i = 0; values[i]; i++) {
		if (i)
			refctl_buf_puts(out, values[i + 1] ? ", " : " or ");
		refctl_buf_puts(out, values[i]);
	}
}

/* ---- the typed view ---- */

void refctl_schema_view_reset(const struct refctl_field *fields, void *base)
{
	for (const struct refctl_field *f = fields; f->name; f++) {
		char *p = (char *)base + f->off;
		switch (f->storage) {
		case REFCTL_STORE_NONE:
			if (f->type == REFCTL_TYPE_MAP)
				refctl_schema_view_reset(f->sub, base); /* members live in the same view */
			break;
		case REFCTL_STORE_STR:
			*(const char **)p = NULL;
			break;
		case REFCTL_STORE_INDEX:
		case REFCTL_STORE_BOOL:
			*(int *)p = 0;
			break;
		case REFCTL_STORE_INT:
			*(int *)p = -1;
			break;
		case REFCTL_STORE_LONG:
			*(long *)p = 0;
			break;
		case REFCTL_STORE_CENTS:
			*(int64_t *)p = REFCTL_MONEY_NONE;
			break;
		case REFCTL_STORE_DATE:
			*(refctl_date *)p = REFCTL_DATE_NONE;
			break;
		case REFCTL_STORE_STRLIST: {
			struct refctl_strlist *l = (struct refctl_strlist *)p;
			free(l->v);
			l->v = NULL;
			l->n = 0;
			break;
		}
		case REFCTL_STORE_ARRAY: {
			char *arr = *(char **)p;
			size_t *count = (size_t *)((char *)base + f->count_off);
			for (size_t i = 0; arr && i < *count; i++)
				refctl_schema_view_reset(f->sub, arr + i * f->elem_size);
			free(arr);
			*(char **)p = NULL;
			*count = 0;
			break;
		}
		}
	}
}

/*
 * The typed view as one block of bytes (for the parse cache): the view's
 * own bytes, each pointer member replaced by 1 + the offset of what it
 * points to in the block (0 for NULL), then the strings, lists and arrays
 * it points to, each aligned to 8. Decoding copies nothing: it turns the
 * offsets of a private copy of the block back into pointers.
 */
static size_t image_align(struct refctl_buf *out)
{
	static const char zeros[8];
	refctl_buf_put(out, zeros, (8 - out->size % 8) % 8);
	return out->size;
}

static uint64_t image_str(struct refctl_buf *out, const char *s)
{
	size_t at;
	if (!s)
		return 0;
	at = out->size;
	refctl_buf_put(out, s, strlen(s) + 1);
	return (uint64_t)at + 1;
}

/* The members of the view at out->ptr + at (a copy of base): out->ptr
 * moves as the block grows, so everything goes by offset. */
static void image_members(struct refctl_buf *out, const struct refctl_field *fields, size_t at, const void *base)
{
	for (const struct refctl_field *f = fields; f->name; f++) {
		const char *p = (const char *)base + f->off;
		uint64_t v = 0;
		switch (f->storage) {
		case REFCTL_STORE_NONE:
			if (f->type == REFCTL_TYPE_MAP)
				image_members(out, f->sub, at, base);
			continue;
		case REFCTL_STORE_STR:
			v = image_str(out, *(const char *const *)p);
			break;
		case REFCTL_STORE_STRLIST: {
			const struct refctl_strlist *l = (const struct refctl_strlist *)p;
			size_t arr;
			if (!l->n)
				break;
			arr = image_align(out);
			refctl_buf_grow(out, l->n * 8);
			memset(out->ptr + arr, 0, l->n * 8);
			out->size += l->n * 8;
			for (size_t i = 0; i < l->n; i++) {
				uint64_t s = image_str(out, l->v[i]);
				memcpy(out->ptr + arr + i * 8, &s, 8);
			}
			v = (uint64_t)arr + 1;
			break;
		}
		case REFCTL_STORE_ARRAY: {
			const char *elems = *(const char *const *)p;
			size_t n = *(const size_t *)((const char *)base + f->count_off), arr;
			if (!n || !elems)
				break;
			arr = image_align(out);
			refctl_buf_put(out, elems, n * f->elem_size);
			for (size_t i = 0; i < n; i++)
				image_members(out, f->sub, arr + i * f->elem_size, elems + i * f->elem_size);
			v = (uint64_t)arr + 1;
			break;
		}
		default:
			continue; /* numbers: the copy holds them */
		}
		memcpy(out->ptr + at + f->off, &v, sizeof(v));
	}
}

void refctl_schema_view_encode(struct refctl_buf *out, const struct refctl_field *fields, const void *base,
			       size_t size)
{
	static const char end[8];
	size_t at;

	if (sizeof(void *) != sizeof(uint64_t))
		return; /* offsets are kept in the pointers' places */
	at = image_align(out);
	refctl_buf_put(out, base, size);
	image_members(out, fields, at, base);
	image_align(out);
	refctl_buf_put(out, end, sizeof(end)); /* every string ends inside */
}

/* 1 + an offset into the block as a pointer; 0 if it lies outside. */
static int image_ptr(void *slot, char *img, size_t len, size_t need)
{
	uint64_t v;
	memcpy(&v, slot, sizeof(v));
	if (!v) {
		*(void **)slot = NULL;
		return 1;
	}
	if (v - 1 >= len || len - (v - 1) < need)
		return 0;
	*(void **)slot = img + (v - 1);
	return 1;
}

static int image_fix(const struct refctl_field *fields, char *base, char *img, size_t len)
{
	for (const struct refctl_field *f = fields; f->name; f++) {
		char *p = base + f->off;
		switch (f->storage) {
		case REFCTL_STORE_NONE:
			if (f->type == REFCTL_TYPE_MAP && !image_fix(f->sub, base, img, len))
				return 0;
			break;
		case REFCTL_STORE_STR:
			if (!image_ptr(p, img, len, 1))
				return 0;
			break;
		case REFCTL_STORE_STRLIST: {
			struct refctl_strlist *l = (struct refctl_strlist *)p;
			if (l->n > len / 8 || !image_ptr(&l->v, img, len, l->n * 8) || (l->n && !l->v) ||
			    (l->v && (size_t)((char *)l->v - img) % 8))
				return 0;
			for (size_t i = 0; i < l->n; i++)
				if (!image_ptr(&l->v[i], img, len, 1) || !l->v[i])
					return 0;
			break;
		}
		case REFCTL_STORE_ARRAY: {
			size_t n = *(size_t *)(base + f->count_off);
			char *arr;
			if (n > len / f->elem_size || !image_ptr(p, img, len, n * f->elem_size) ||
			    (n && !*(char **)p) || (*(char **)p && (size_t)(*(char **)p - img) % 8))
				return 0;
			arr = *(char **)p;
			for (size_t i = 0; i < n; i++)
				if (!image_fix(f->sub, arr + i * f->elem_size, img, len))
					return 0;
			break;
		}
		default:
			break;
		}
	}
	return 1;
}

int refctl_schema_view_decode(const struct refctl_field *fields, void *img, size_t len, size_t size)
{
	/* every string ends inside the block: its last byte is a NUL */
	if (sizeof(void *) != sizeof(uint64_t) || len < size + 8 || len % 8 || ((uintptr_t)img % 8) ||
	    ((char *)img)[len - 1] != 0 || !image_fix(fields, img, img, len))
		return -1;
	return 0;
}

void refctl_schema_value_text(struct refctl_buf *out, const struct refctl_field *f, const void *base)
{
	const char *p = (const char *)base + f->off;
	char d[11];

	refctl_buf_clear(out);
	switch (f->storage) {
	case REFCTL_STORE_NONE:
		break;
	case REFCTL_STORE_STR:
		if (*(const char *const *)p)
			refctl_buf_puts(out, *(const char *const *)p);
		break;
	case REFCTL_STORE_INDEX:
		refctl_buf_puts(out, index_name(f->values, *(const int *)p));
		break;
	case REFCTL_STORE_INT:
		if (*(const int *)p >= 0)
			refctl_buf_printf(out, "%d", *(const int *)p);
		break;
	case REFCTL_STORE_LONG:
		refctl_buf_printf(out, "%ld", *(const long *)p);
		break;
	case REFCTL_STORE_CENTS:
		if (*(const int64_t *)p != REFCTL_MONEY_NONE)
			refctl_money_format(out, *(const int64_t *)p);
		break;
	case REFCTL_STORE_DATE:
		if (*(const refctl_date *)p != REFCTL_DATE_NONE)
			refctl_buf_puts(out, refctl_date_format(d, *(const refctl_date *)p));
		break;
	case REFCTL_STORE_BOOL:
		refctl_buf_puts(out, *(const int *)p ? "true" : "false");
		break;
	case REFCTL_STORE_STRLIST: {
		const struct refctl_strlist *l = (const struct refctl_strlist *)p;
		for (size_t i = 0; i < l->n; i++)
			refctl_buf_printf(out, "%s%s", i ? "," : "", l->v[i]);
		break;
	}
	case REFCTL_STORE_ARRAY:
		refctl_buf_printf(out, "%zu", *(const size_t *)((const char *)base + f->count_off));
		break;
	}
}

/* ---- money ---- */

int refctl_money_parse(const char *s, int64_t *cents)
{
	int64_t whole = 0;
	int frac = 0, nfrac = 0;
	const char *p = s;

	if (!(*p >= '0' && *p <= '9'))
		return -1;
	/* no leading zeros ("08"), which YAML 1.1 reads as octal */
	if (p[0] == '0' && p[1] >= '0' && p[1] <= '9')
		return -1;
	for (; *p >= '0' && *p <= '9'; p++) {
		whole = whole * 10 + (*p - '0');
		if (whole > REFCTL_MONEY_MAX / 100)
			return -1;
	}
	if (*p == '.') {
		p++;
		for (; *p >= '0' && *p <= '9'; p++) {
			if (++nfrac > 2)
				return -1;
			frac = frac * 10 + (*p - '0');
		}
		if (!nfrac)
			return -1;
		if (nfrac == 1)
			frac *= 10;
	}
	if (*p)
		return -1;
	*cents = whole * 100 + frac;
	return *cents > REFCTL_MONEY_MAX ? -1 : 0;
}

void refctl_money_format(struct refctl_buf *out, int64_t cents)
{
	if (cents < 0) {
		refctl_buf_putc(out, '-');
		cents = -cents;
	}
	refctl_buf_printf(out, "%lld", (long long)(cents / 100));
	if (cents % 100)
		refctl_buf_printf(out, ".%02d", (int)(cents % 100));
}

/* ---- documentation ---- */

static void doc_values(struct refctl_buf *b, const struct refctl_field *f)
{
	if (f->values)
		refctl_schema_join_values(b, f->values);
	else if (f->type == REFCTL_TYPE_INTEGER)
		refctl_buf_printf(b, "%ld to %ld", f->min, f->max);
	else if (f->type == REFCTL_TYPE_MONEY)
		refctl_buf_puts(b, "0 to 10000000000000, two decimals at most");
	else if (f->expect)
		refctl_buf_puts(b, f->expect);
	else if (f->type == REFCTL_TYPE_DATE)
		refctl_buf_puts(b, "YYYY-MM-DD");
}

static const char *doc_json(const struct refctl_field *f)
{
	switch (f->type) {
	case REFCTL_TYPE_INTEGER:
	case REFCTL_TYPE_MONEY:
		return "number";
	case REFCTL_TYPE_BOOLEAN:
		return "boolean";
	case REFCTL_TYPE_DATE_OR_BOOLEAN:
		return "string or boolean";
	case REFCTL_TYPE_LIST:
		return "array of strings";
	case REFCTL_TYPE_MAP:
		return "object";
	case REFCTL_TYPE_MAP_LIST:
		return "array of objects";
	default:
		return "string";
	}
}

static void doc_flags(struct refctl_buf *b, const struct refctl_field *f, const struct refctl_field *parent)
{
	int n = 0;
#define DOC_FLAG(cond, text) if (cond) refctl_buf_printf(b, "%s%s", n++ ? ", " : "", text)
	DOC_FLAG(f->flags & REFCTL_FIELD_REQUIRED, "required");
	DOC_FLAG(f->flags & REFCTL_FIELD_UNIQUE, "unique");
	DOC_FLAG(f->flags & REFCTL_FIELD_SETTABLE, "set");
	DOC_FLAG(f->flags & REFCTL_FIELD_FILTER, "list filter");
	DOC_FLAG(parent && parent->key && !strcmp(parent->key, f->name), "identifies the item");
#undef DOC_FLAG
}

struct doc_row {
	char path[128];
	const struct refctl_field *f, *parent;
};

int refctl_schema_foreach_all(refctl_schema_fn fn, void *payload)
{
	char path[128];
	int rc;

	for (const struct refctl_field *f = advocate_fields; f->name; f++) {
		if ((rc = fn(f->name, f, NULL, payload)) != 0)
			return rc;
		if (!f->sub)
			continue;
		for (const struct refctl_field *s = f->sub; s->name; s++) {
			snprintf(path, sizeof(path), "%s%s%s", f->name, f->type == REFCTL_TYPE_MAP_LIST ? "[]." : ".",
				 s->name);
			if ((rc = fn(path, s, f, payload)) != 0)
				return rc;
			if (s->type != REFCTL_TYPE_MAP)
				continue;
			/* a map inside a list's items: content[].approved.by */
			for (const struct refctl_field *m = s->sub; m->name; m++) {
				char sub[128];
				size_t np = strlen(path), nm = strlen(m->name);
				if (np + nm + 2 > sizeof(sub))
					continue; /* (the schema's names are short) */
				memcpy(sub, path, np);
				sub[np] = '.';
				memcpy(sub + np + 1, m->name, nm + 1);
				if ((rc = fn(sub, m, s, payload)) != 0)
					return rc;
			}
		}
	}
	return 0;
}

struct doc_rows {
	struct doc_row *v;
	size_t n, max;
};

static int add_doc_row(const char *path, const struct refctl_field *f, const struct refctl_field *parent,
		       void *payload)
{
	struct doc_rows *r = payload;
	if (r->n >= r->max)
		return 1;
	snprintf(r->v[r->n].path, sizeof(r->v[0].path), "%s", path);
	r->v[r->n].f = f;
	r->v[r->n++].parent = parent;
	return 0;
}

/* Every row as documented: top-level fields, map members, list items' fields. */
static size_t doc_rows(struct doc_row *rows, size_t max)
{
	struct doc_rows r = { rows, 0, max };
	refctl_schema_foreach_all(add_doc_row, &r);
	return r.n;
}

void refctl_schema_describe(struct refctl_buf *values, struct refctl_buf *rules, const struct refctl_field *f,
			    const struct refctl_field *parent)
{
	refctl_buf_clear(values);
	refctl_buf_clear(rules);
	doc_values(values, f);
	doc_flags(rules, f, parent);
}

const char *refctl_schema_json_type(const struct refctl_field *f)
{
	return doc_json(f);
}

#define DOC_MAX 256

void refctl_schema_markdown(struct refctl_buf *out)
{
	struct doc_row *rows = refctl__calloc(DOC_MAX, sizeof(*rows));
	size_t n = doc_rows(rows, DOC_MAX);
	struct refctl_buf v = REFCTL_BUF_INIT, fl = REFCTL_BUF_INIT;

	refctl_buf_puts(out, "| field | type | values | JSON | `add` flag | rules | description |\n");
	refctl_buf_puts(out, "| --- | --- | --- | --- | --- | --- | --- |\n");
	for (size_t i = 0; i < n; i++) {
		const struct refctl_field *f = rows[i].f;
		refctl_buf_clear(&v);
		refctl_buf_clear(&fl);
		doc_values(&v, f);
		doc_flags(&fl, f, rows[i].parent);
		refctl_buf_printf(out, "| `%s` | %s | %s | %s | %s%s%s%s%s | %s | %s |\n", rows[i].path,
				  refctl_schema_type_name(f->type), v.ptr, doc_json(f), f->flag ? "`--" : "",
				  f->flag ? f->flag : "", f->flag && f->argh ? " " : "",
				  f->flag && f->argh ? f->argh : "", f->flag ? "`" : "", fl.ptr, f->help ? f->help : "");
	}
	refctl_buf_release(&v);
	refctl_buf_release(&fl);
	free(rows);
}

/*
 * Text for roff: a leading '.' or '\'' would be a request, '\' an escape;
 * a line past 72 bytes is broken at a space (mandoc: at most 80).
 */
static void roff_text(struct refctl_buf *out, const char *s)
{
	size_t col = 0;

	while (col < out->size && out->ptr[out->size - 1 - col] != '\n')
		col++;
	if (*s == '.' || *s == '\'')
		refctl_buf_puts(out, "\\&");
	for (; *s; s++, col++) {
		if (*s == ' ' && col > 72 && s[1] && s[1] != '.' && s[1] != '\'') {
			refctl_buf_putc(out, '\n');
			col = 0;
		} else if (*s == '\\')
			refctl_buf_puts(out, "\\e");
		else if (*s == '-')
			refctl_buf_puts(out, "\\-");
		else
			refctl_buf_putc(out, *s);
	}
}

void refctl_schema_man(struct refctl_buf *out, const char *date)
{
	struct doc_row *rows = refctl__calloc(DOC_MAX, sizeof(*rows));
	size_t n = doc_rows(rows, DOC_MAX);
	struct refctl_buf v = REFCTL_BUF_INIT, fl = REFCTL_BUF_INIT;

	refctl_buf_printf(out, ".Dd %s\n.Dt REFCTL-SCHEMA 5\n.Os\n", date);
	refctl_buf_puts(out, ".Sh NAME\n.Nm refctl-schema\n.Nd the fields of a refctl advocate file\n");
	refctl_buf_puts(out, ".Sh DESCRIPTION\nEach advocate is one YAML file\n.Pa advocates/ID.yaml\n"
			     "in a git repository.\nThese are its fields, in canonical order.\n.Bl -tag -width Ds\n");
	for (size_t i = 0; i < n; i++) {
		const struct refctl_field *f = rows[i].f;
		refctl_buf_clear(&v);
		refctl_buf_clear(&fl);
		doc_values(&v, f);
		doc_flags(&fl, f, rows[i].parent);
		refctl_buf_puts(out, ".It Cm ");
		roff_text(out, rows[i].path);
		refctl_buf_printf(out, "\n%s", refctl_schema_type_name(f->type));
		if (v.size) {
			refctl_buf_puts(out, ": ");
			roff_text(out, v.ptr);
		}
		refctl_buf_puts(out, ".\n");
		if (f->help) {
			roff_text(out, f->help);
			refctl_buf_puts(out, ".\n");
		}
		if (fl.size) {
			roff_text(out, fl.ptr);
			refctl_buf_puts(out, ".\n");
		}
		if (f->flag) {
			refctl_buf_puts(out, "Flag of\n.Nm refctl add :\n.Fl \\-");
			roff_text(out, f->flag);
			if (f->argh)
				refctl_buf_printf(out, " Ar %s", f->argh);
			refctl_buf_puts(out, "\n");
		}
	}
	refctl_buf_puts(out, ".El\n.Sh SEE ALSO\n.Xr refctl 1\n");
	refctl_buf_release(&v);
	refctl_buf_release(&fl);
	free(rows);
}
