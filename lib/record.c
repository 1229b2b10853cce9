/*
 * The advocate record: schema, validation into a typed view, canonical
 * order, and scriptable edits. The YAML tree is the source of truth; the
 * typed view (struct refctl_advocate) borrows its strings.
 */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "refctl/record.h"
#include "util.h"

/* ---- diagnostics ---- */

void refctl_diags_add(struct refctl_diags *d, enum refctl_severity sev, const char *file,
		      unsigned line, unsigned col, const char *field, const char *fmt, ...)
{
	struct refctl_buf msg = REFCTL_BUF_INIT;
	struct refctl_diag *x;
	va_list ap;

	va_start(ap, fmt);
	refctl_buf_vprintf(&msg, fmt, ap);
	va_end(ap);
	REFCTL__ARRAY_GROW(d->v, d->n + 1, d->alloc);
	x = &d->v[d->n++];
	x->file = refctl__strdup(file ? file : "");
	x->line = line;
	x->col = col;
	x->severity = sev;
	x->field = field ? refctl__strdup(field) : NULL;
	x->message = refctl_buf_detach(&msg);
	x->order = d->n - 1;
	if (sev == REFCTL_DIAG_ERROR)
		d->nerrors++;
	else
		d->nwarnings++;
}

void refctl_diags_add_last_error(struct refctl_diags *d)
{
	refctl_diags_add(d, REFCTL_DIAG_ERROR, refctl_error_last_file(), refctl_error_last_line(),
			 refctl_error_last_col(), NULL, "%s", refctl_error_last_message());
}

static int diag_cmp(const void *pa, const void *pb)
{
	const struct refctl_diag *a = pa, *b = pb;
	int c = strcmp(a->file, b->file);
	if (c)
		return c;
	if (a->line != b->line)
		return a->line < b->line ? -1 : 1;
	if (a->col != b->col)
		return a->col < b->col ? -1 : 1;
	return a->order < b->order ? -1 : a->order > b->order;
}

void refctl_diags_sort(struct refctl_diags *d)
{
	/* ties keep the order in which problems were found */
	if (d->n > 1)
		qsort(d->v, d->n, sizeof(d->v[0]), diag_cmp);
}

void refctl_diags_release(struct refctl_diags *d)
{
	for (size_t i = 0; i < d->n; i++) {
		free(d->v[i].file);
		free(d->v[i].field);
		free(d->v[i].message);
	}
	free(d->v);
	memset(d, 0, sizeof(*d));
}

/* ---- vocabularies ---- */

static const char *const status_names[] = { "nominated", "active", "paused", "retired", NULL };
static const char *const req_status_names[] = {
	"requested", "approved", "scheduled", "completed", "declined", "cancelled", NULL
};
static const char *const outcome_names[] = { "won", "lost", "open", NULL };
const char *const refctl_segments[] = { "smb", "mid-market", "enterprise", NULL };
static const char *const health_names[] = { "green", "yellow", "red", NULL };
const char *const refctl_activities[] = {
	"reference-call", "case-study", "quote", "video", "speaking", "press", "analyst",
	"advisory-board", "beta", "referral", "site-visit", "social", "community", NULL
};

static const char iso3166[] =
	" AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN"
	" BO BQ BR BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ"
	" DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL"
	" GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM"
	" JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME"
	" MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP"
	" NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD"
	" SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO"
	" TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS XK YE YT ZA ZM ZW ";
static const char iso639[] =
	" aa ab ae af ak am an ar as av ay az ba be bg bh bi bm bn bo br bs ca ce ch co cr cs"
	" cu cv cy da de dv dz ee el en eo es et eu fa ff fi fj fo fr fy ga gd gl gn gu gv ha"
	" he hi ho hr ht hu hy hz ia id ie ig ii ik io is it iu ja jv ka kg ki kj kk kl km kn"
	" ko kr ks ku kv kw ky la lb lg li ln lo lt lu lv mg mh mi mk ml mn mr ms mt my na nb"
	" nd ne ng nl nn no nr nv ny oc oj om or os pa pi pl ps pt qu rm rn ro ru rw sa sc sd"
	" se sg si sk sl sm sn so sq sr ss st su sv sw ta te tg th ti tk tl tn to tr ts tt tw"
	" ty ug uk ur uz ve vi vo wa wo xh yi yo za zh zu ";

static int in_code_list(const char *list, const char *s)
{
	char key[5];
	if (strlen(s) != 2)
		return 0;
	key[0] = ' ';
	key[1] = s[0];
	key[2] = s[1];
	key[3] = ' ';
	key[4] = '\0';
	return strstr(list, key) != NULL;
}

static int check_country(const char *s)
{
	return in_code_list(iso3166, s);
}

static int check_language(const char *s)
{
	return in_code_list(iso639, s);
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

const char *refctl_status_name(int s)
{
	return s >= 1 && s <= 4 ? status_names[s - 1] : "";
}

const char *refctl_req_status_name(int s)
{
	return s >= 1 && s <= 6 ? req_status_names[s - 1] : "";
}

int refctl_req_status_parse(const char *s)
{
	return name_index(req_status_names, s);
}

const char *refctl_outcome_name(int o)
{
	return o >= 1 && o <= 3 ? outcome_names[o - 1] : "";
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

/* ---- schema ---- */

enum ftype {
	T_STR,   /* one-line string */
	T_TEXT,  /* string, may span lines */
	T_INT,   /* integer within [min, max] */
	T_NUM,   /* non-negative number */
	T_DATE,
	T_BOOL,
	T_ENUM,  /* string from values, stored as index + 1 */
	T_LIST,  /* list of one-line strings */
	T_MAP,   /* nested map whose fields fill the same struct */
	T_MAPLIST, /* list of maps, each filling one array element */
	T_DATEORBOOL,
};

#define NOFF ((size_t)-1)

struct fdef {
	const char *name;
	enum ftype type;
	size_t off;
	int required;
	const char *const *values;
	const struct fdef *sub;
	size_t elem_size, count_off;
	long min, max;
	int (*check)(const char *s);
	const char *expect;
};

#define A(f) offsetof(struct refctl_advocate, f)
#define R(f) offsetof(struct refctl_request, f)
#define W(f) offsetof(struct refctl_reward, f)
#define C(f) offsetof(struct refctl_content, f)

static const struct fdef consent_fields[] = {
	{ "until", T_DATE, A(consent_until), 0, NULL, NULL, 0, 0, 0, 0, NULL, NULL },
	{ "scope", T_LIST, A(consent_scope), 0, NULL, NULL, 0, 0, 0, 0, NULL, NULL },
	{ NULL, 0, 0, 0, NULL, NULL, 0, 0, 0, 0, NULL, NULL },
};

static const struct fdef limits_fields[] = {
	{ "per_quarter", T_INT, A(per_quarter), 0, NULL, NULL, 0, 0, 0, 1000, NULL, NULL },
	{ "rest_days", T_INT, A(rest_days), 0, NULL, NULL, 0, 0, 0, 3660, NULL, NULL },
	{ NULL, 0, 0, 0, NULL, NULL, 0, 0, 0, 0, NULL, NULL },
};

static const struct fdef request_fields[] = {
	{ "id", T_STR, R(id), 1, NULL, NULL, 0, 0, 0, 0, NULL, NULL },
	{ "opened", T_DATE, R(opened), 1, NULL, NULL, 0, 0, 0, 0, NULL, NULL },
	{ "requester", T_STR, R(requester), 0, NULL, NULL, 0, 0, 0, 0, NULL, NULL },
	{ "prospect", T_STR, R(prospect), 0, NULL, NULL, 0, 0, 0, 0, NULL, NULL },
	{ "opportunity", T_STR, R(opportunity), 0, NULL, NULL, 0, 0, 0, 0, NULL, NULL },
	{ "industry", T_STR, R(industry), 0, NULL, NULL, 0, 0, 0, 0, NULL, NULL },
	{ "region", T_STR, R(region), 0, NULL, NULL, 0, 0, 0, 0, NULL, NULL },
	{ "product", T_STR, R(product), 0, NULL, NULL, 0, 0, 0, 0, NULL, NULL },
	{ "activity", T_ENUM, R(activity), 1, refctl_activities, NULL, 0, 0, 0, 0, NULL, NULL },
	{ "status", T_ENUM, R(status), 1, req_status_names, NULL, 0, 0, 0, 0, NULL, NULL },
	{ "approved_by", T_STR, R(approved_by), 0, NULL, NULL, 0, 0, 0, 0, NULL, NULL },
	{ "scheduled", T_DATE, R(scheduled), 0, NULL, NULL, 0, 0, 0, 0, NULL, NULL },
	{ "closed", T_DATE, R(closed), 0, NULL, NULL, 0, 0, 0, 0, NULL, NULL },
	{ "outcome", T_ENUM, R(outcome), 0, outcome_names, NULL, 0, 0, 0, 0, NULL, NULL },
	{ "deal_value", T_NUM, R(deal_value), 0, NULL, NULL, 0, 0, 0, 0, NULL, NULL },
	{ "forced", T_BOOL, R(forced), 0, NULL, NULL, 0, 0, 0, 0, NULL, NULL },
	{ "reason", T_TEXT, R(reason), 0, NULL, NULL, 0, 0, 0, 0, NULL, NULL },
	{ "notes", T_TEXT, R(notes), 0, NULL, NULL, 0, 0, 0, 0, NULL, NULL },
	{ NULL, 0, 0, 0, NULL, NULL, 0, 0, 0, 0, NULL, NULL },
};

static const struct fdef reward_fields[] = {
	{ "date", T_DATE, W(date), 1, NULL, NULL, 0, 0, 0, 0, NULL, NULL },
	{ "points", T_INT, W(points), 1, NULL, NULL, 0, 0, -1000000, 1000000, NULL, NULL },
	{ "reason", T_TEXT, W(reason), 0, NULL, NULL, 0, 0, 0, 0, NULL, NULL },
	{ "request", T_STR, W(request), 0, NULL, NULL, 0, 0, 0, 0, NULL, NULL },
	{ NULL, 0, 0, 0, NULL, NULL, 0, 0, 0, 0, NULL, NULL },
};

static const struct fdef content_fields[] = {
	{ "kind", T_STR, C(kind), 1, NULL, NULL, 0, 0, 0, 0, NULL, NULL },
	{ "lang", T_STR, C(lang), 0, NULL, NULL, 0, 0, 0, 0, check_language, "an ISO 639-1 code such as en" },
	{ "title", T_STR, C(title), 0, NULL, NULL, 0, 0, 0, 0, NULL, NULL },
	{ "url", T_STR, C(url), 0, NULL, NULL, 0, 0, 0, 0, NULL, NULL },
	{ "text", T_TEXT, C(text), 0, NULL, NULL, 0, 0, 0, 0, NULL, NULL },
	{ "approved", T_DATEORBOOL, C(approved), 0, NULL, NULL, 0, 0, 0, 0, NULL, NULL },
	{ "expires", T_DATE, C(expires), 0, NULL, NULL, 0, 0, 0, 0, NULL, NULL },
	{ NULL, 0, 0, 0, NULL, NULL, 0, 0, 0, 0, NULL, NULL },
};

static const struct fdef advocate_fields[] = {
	{ "id", T_STR, A(id), 1, NULL, NULL, 0, 0, 0, 0, NULL, NULL },
	{ "name", T_STR, A(name), 1, NULL, NULL, 0, 0, 0, 0, NULL, NULL },
	{ "company", T_STR, A(company), 1, NULL, NULL, 0, 0, 0, 0, NULL, NULL },
	{ "status", T_ENUM, A(status), 1, status_names, NULL, 0, 0, 0, 0, NULL, NULL },
	{ "title", T_STR, A(title), 0, NULL, NULL, 0, 0, 0, 0, NULL, NULL },
	{ "email", T_STR, A(email), 0, NULL, NULL, 0, 0, 0, 0, check_email, "an address like name@example.com" },
	{ "phone", T_STR, A(phone), 0, NULL, NULL, 0, 0, 0, 0, NULL, NULL },
	{ "account_owner", T_STR, A(account_owner), 0, NULL, NULL, 0, 0, 0, 0, NULL, NULL },
	{ "industry", T_STR, A(industry), 0, NULL, NULL, 0, 0, 0, 0, NULL, NULL },
	{ "region", T_STR, A(region), 0, NULL, NULL, 0, 0, 0, 0, NULL, NULL },
	{ "country", T_STR, A(country), 0, NULL, NULL, 0, 0, 0, 0, check_country, "an ISO 3166 alpha-2 code such as DE" },
	{ "segment", T_ENUM, A(segment), 0, refctl_segments, NULL, 0, 0, 0, 0, NULL, NULL },
	{ "since", T_DATE, A(since), 0, NULL, NULL, 0, 0, 0, 0, NULL, NULL },
	{ "nps", T_INT, A(nps), 0, NULL, NULL, 0, 0, 0, 10, NULL, NULL },
	{ "health", T_ENUM, A(health), 0, health_names, NULL, 0, 0, 0, 0, NULL, NULL },
	{ "last_contact", T_DATE, A(last_contact), 0, NULL, NULL, 0, 0, 0, 0, NULL, NULL },
	{ "notes", T_TEXT, A(notes), 0, NULL, NULL, 0, 0, 0, 0, NULL, NULL },
	{ "languages", T_LIST, A(languages), 0, NULL, NULL, 0, 0, 0, 0, check_language, "an ISO 639-1 code such as de" },
	{ "products", T_LIST, A(products), 0, NULL, NULL, 0, 0, 0, 0, NULL, NULL },
	{ "use_cases", T_LIST, A(use_cases), 0, NULL, NULL, 0, 0, 0, 0, NULL, NULL },
	{ "activities", T_LIST, A(activities), 0, refctl_activities, NULL, 0, 0, 0, 0, NULL, NULL },
	{ "programs", T_LIST, A(programs), 0, NULL, NULL, 0, 0, 0, 0, NULL, NULL },
	{ "tags", T_LIST, A(tags), 0, NULL, NULL, 0, 0, 0, 0, NULL, NULL },
	{ "consent", T_MAP, NOFF, 0, NULL, consent_fields, 0, 0, 0, 0, NULL, NULL },
	{ "limits", T_MAP, NOFF, 0, NULL, limits_fields, 0, 0, 0, 0, NULL, NULL },
	{ "requests", T_MAPLIST, A(requests), 0, NULL, request_fields, sizeof(struct refctl_request), A(nrequests), 0, 0, NULL, NULL },
	{ "rewards", T_MAPLIST, A(rewards), 0, NULL, reward_fields, sizeof(struct refctl_reward), A(nrewards), 0, 0, NULL, NULL },
	{ "content", T_MAPLIST, A(content), 0, NULL, content_fields, sizeof(struct refctl_content), A(ncontent), 0, 0, NULL, NULL },
	{ NULL, 0, 0, 0, NULL, NULL, 0, 0, 0, 0, NULL, NULL },
};

/* ---- validation ---- */

struct vctx {
	const char *file;
	struct refctl_diags *diags;
	int errors;
	int stop;
};

static void report(struct vctx *vc, enum refctl_severity sev, const struct refctl_node *at,
		   const char *field, const char *fmt, ...) __attribute__((format(printf, 5, 6)));

static void report(struct vctx *vc, enum refctl_severity sev, const struct refctl_node *at,
		   const char *field, const char *fmt, ...)
{
	struct refctl_buf msg = REFCTL_BUF_INIT;
	va_list ap;
	unsigned line = at ? at->line : 1, col = at ? at->col : 1;

	if (vc->stop)
		return;
	va_start(ap, fmt);
	refctl_buf_vprintf(&msg, fmt, ap);
	va_end(ap);
	if (vc->diags) {
		refctl_diags_add(vc->diags, sev, vc->file, line, col, field, "%s", msg.ptr);
	} else if (sev == REFCTL_DIAG_ERROR) {
		refctl__error_at(REFCTL_EINVALID, vc->file, line, col, "%s", msg.ptr);
		vc->stop = 1;
	}
	if (sev == REFCTL_DIAG_ERROR)
		vc->errors++;
	refctl_buf_release(&msg);
}

static void join_names(struct refctl_buf *b, const char *const *names)
{
	for (int i = 0; names[i]; i++) {
		if (i)
			refctl_buf_puts(b, names[i + 1] ? ", " : " or ");
		refctl_buf_puts(b, names[i]);
	}
}

static int parse_long(const char *s, long *out)
{
	char *end;
	long v;

	if (!*s || strchr(" \t+", *s))
		return -1;
	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || *end)
		return -1;
	/* no leading zeros ("08"), which YAML 1.1 reads as octal */
	if ((s[0] == '0' && s[1]) || (s[0] == '-' && s[1] == '0'))
		return -1;
	*out = v;
	return 0;
}

static int parse_num(const char *s, double *out)
{
	char *end;
	double v;

	/* plain decimals only: no hex, exponents, inf or nan */
	if (!*s || !strchr("0123456789-", *s) || s[strspn(s, "0123456789.-")])
		return -1;
	errno = 0;
	v = strtod(s, &end);
	if (errno || *end || !isfinite(v))
		return -1;
	*out = v;
	return 0;
}

static void validate_fields(struct vctx *vc, const struct refctl_node *map,
			    const struct fdef *fields, void *base, const char *prefix);

/* prefix.name into buf; called for every field, so no printf. */
static void path_of(char *buf, size_t size, const char *prefix, const char *name)
{
	size_t np = prefix ? strlen(prefix) : 0, nn = strlen(name);

	if (np + nn + 2 > size) {
		snprintf(buf, size, "%s.%s", prefix, name);
		return;
	}
	if (np) {
		memcpy(buf, prefix, np);
		buf[np++] = '.';
	}
	memcpy(buf + np, name, nn + 1);
}

static void validate_value(struct vctx *vc, const struct fdef *f, const struct refctl_node *v,
			   void *base, const char *path)
{
	char *p = base && f->off != NOFF ? (char *)base + f->off : NULL;
	struct refctl_buf tmp = REFCTL_BUF_INIT;

	if (refctl_yaml_is_null(v) && f->type != T_MAP && f->type != T_MAPLIST && f->type != T_LIST)
		return; /* "field:" with no value counts as absent */

	switch (f->type) {
	case T_STR:
	case T_TEXT:
		if (v->kind != REFCTL_NODE_SCALAR) {
			report(vc, REFCTL_DIAG_ERROR, v, path, "%s must be a string", path);
			break;
		}
		if (f->type == T_STR && memchr(v->str, '\n', v->len)) {
			report(vc, REFCTL_DIAG_ERROR, v, path, "%s must be a single line", path);
			break;
		}
		if (f->check && !f->check(v->str)) {
			report(vc, REFCTL_DIAG_ERROR, v, path, "%s must be %s, not '%s'", path,
			       f->expect, v->str);
			break;
		}
		if (p)
			*(const char **)p = v->str;
		break;
	case T_INT: {
		long x;
		if (v->kind != REFCTL_NODE_SCALAR || v->is_string || parse_long(v->str, &x) < 0 ||
		    x < f->min || x > f->max) {
			if (f->max >= 1000000)
				report(vc, REFCTL_DIAG_ERROR, v, path, "%s must be an integer", path);
			else
				report(vc, REFCTL_DIAG_ERROR, v, path,
				       "%s must be an integer from %ld to %ld", path, f->min, f->max);
			break;
		}
		if (p) {
			if (!strcmp(f->name, "points"))
				*(long *)p = x;
			else
				*(int *)p = (int)x;
		}
		break;
	}
	case T_NUM: {
		double x;
		if (v->kind != REFCTL_NODE_SCALAR || v->is_string || parse_num(v->str, &x) < 0 || x < 0) {
			report(vc, REFCTL_DIAG_ERROR, v, path, "%s must be a number of 0 or more", path);
			break;
		}
		if (p) {
			*(double *)p = x;
			((struct refctl_request *)base)->has_value = 1;
		}
		break;
	}
	case T_DATE: {
		refctl_date d;
		if (v->kind != REFCTL_NODE_SCALAR || refctl_date_parse_n(&d, v->str, v->len) < 0) {
			report(vc, REFCTL_DIAG_ERROR, v, path, "%s must be a date YYYY-MM-DD%s%s%s", path,
			       v->kind == REFCTL_NODE_SCALAR ? ", not '" : "",
			       v->kind == REFCTL_NODE_SCALAR ? v->str : "",
			       v->kind == REFCTL_NODE_SCALAR ? "'" : "");
			break;
		}
		if (p)
			*(refctl_date *)p = d;
		break;
	}
	case T_BOOL:
		if (v->kind != REFCTL_NODE_SCALAR || v->is_string ||
		    (strcmp(v->str, "true") && strcmp(v->str, "false"))) {
			report(vc, REFCTL_DIAG_ERROR, v, path, "%s must be true or false", path);
			break;
		}
		if (p)
			*(int *)p = !strcmp(v->str, "true");
		break;
	case T_DATEORBOOL: {
		refctl_date d;
		if (v->kind != REFCTL_NODE_SCALAR ||
		    (strcmp(v->str, "true") && strcmp(v->str, "false") &&
		     refctl_date_parse_n(&d, v->str, v->len) < 0)) {
			report(vc, REFCTL_DIAG_ERROR, v, path, "%s must be a date YYYY-MM-DD, true or false", path);
			break;
		}
		if (p)
			*(const char **)p = v->str;
		break;
	}
	case T_ENUM: {
		int idx = v->kind == REFCTL_NODE_SCALAR ? name_index(f->values, v->str) : 0;
		if (!idx) {
			join_names(&tmp, f->values);
			if (v->kind == REFCTL_NODE_SCALAR)
				report(vc, REFCTL_DIAG_ERROR, v, path, "%s must be one of %s, not '%s'",
				       path, tmp.ptr, v->str);
			else
				report(vc, REFCTL_DIAG_ERROR, v, path, "%s must be one of %s", path, tmp.ptr);
			break;
		}
		if (p) {
			/* statuses and outcomes are numbers in the view, the rest text */
			if (f->values == status_names || f->values == req_status_names ||
			    f->values == outcome_names)
				*(int *)p = idx;
			else
				*(const char **)p = v->str;
		}
		break;
	}
	case T_LIST: {
		struct refctl_strlist *l = (struct refctl_strlist *)p;
		if (refctl_yaml_is_null(v))
			break;
		if (v->kind != REFCTL_NODE_SEQ) {
			report(vc, REFCTL_DIAG_ERROR, v, path, "%s must be a list of strings", path);
			break;
		}
		if (l) {
			l->v = refctl__calloc(v->n ? v->n : 1, sizeof(*l->v));
			l->n = 0;
		}
		for (size_t i = 0; i < v->n; i++) {
			const struct refctl_node *it = v->items[i];
			if (it->kind != REFCTL_NODE_SCALAR || refctl_yaml_is_null(it) ||
			    memchr(it->str, '\n', it->len)) {
				report(vc, REFCTL_DIAG_ERROR, it, path, "%s must be a list of strings", path);
				continue;
			}
			if (f->values && !name_index(f->values, it->str)) {
				refctl_buf_clear(&tmp);
				join_names(&tmp, f->values);
				report(vc, REFCTL_DIAG_ERROR, it, path, "%s: '%s' is not one of %s", path,
				       it->str, tmp.ptr);
				continue;
			}
			if (f->check && !f->check(it->str)) {
				report(vc, REFCTL_DIAG_ERROR, it, path, "%s: '%s' is not %s", path, it->str,
				       f->expect);
				continue;
			}
			for (size_t j = 0; j < i; j++)
				if (v->items[j]->kind == REFCTL_NODE_SCALAR &&
				    refctl_vocab_eq(v->items[j]->str, it->str)) {
					report(vc, REFCTL_DIAG_WARNING, it, path, "%s: '%s' is listed twice",
					       path, it->str);
					break;
				}
			if (l)
				l->v[l->n++] = it->str;
		}
		break;
	}
	case T_MAP:
		if (refctl_yaml_is_null(v))
			break;
		if (v->kind != REFCTL_NODE_MAP) {
			report(vc, REFCTL_DIAG_ERROR, v, path, "%s must be a map", path);
			break;
		}
		validate_fields(vc, v, f->sub, base, path);
		break;
	case T_MAPLIST: {
		char *arr;
		if (refctl_yaml_is_null(v))
			break;
		if (v->kind != REFCTL_NODE_SEQ) {
			report(vc, REFCTL_DIAG_ERROR, v, path, "%s must be a list of maps", path);
			break;
		}
		arr = refctl__calloc(v->n ? v->n : 1, f->elem_size);
		*(void **)p = arr;
		*(size_t *)((char *)base + f->count_off) = 0;
		for (size_t i = 0; i < v->n; i++) {
			const struct refctl_node *it = v->items[i];
			char ipath[256];
			char *elem = arr + *(size_t *)((char *)base + f->count_off) * f->elem_size;
			size_t pl = strlen(path);
			if (pl + 24 < sizeof(ipath)) {
				/* path[N] without printf: this runs for every request */
				char num[24], *e = num + sizeof(num);
				size_t k = i + 1;
				*--e = '\0';
				do
					*--e = (char)('0' + k % 10);
				while ((k /= 10) != 0);
				memcpy(ipath, path, pl);
				ipath[pl] = '[';
				strcpy(ipath + pl + 1, e);
				strcat(ipath + pl + 1, "]");
			} else {
				snprintf(ipath, sizeof(ipath), "%s[%zu]", path, i + 1);
			}
			if (it->kind != REFCTL_NODE_MAP) {
				report(vc, REFCTL_DIAG_ERROR, it, ipath, "%s must be a map", ipath);
				continue;
			}
			if (f->sub == request_fields) {
				struct refctl_request *r = (struct refctl_request *)elem;
				r->opened = r->scheduled = r->closed = REFCTL_DATE_NONE;
				r->line = it->line;
				r->col = it->col;
			} else if (f->sub == reward_fields) {
				struct refctl_reward *w = (struct refctl_reward *)elem;
				w->date = REFCTL_DATE_NONE;
				w->line = it->line;
			} else {
				struct refctl_content *c = (struct refctl_content *)elem;
				c->expires = REFCTL_DATE_NONE;
				c->line = it->line;
			}
			validate_fields(vc, it, f->sub, elem, ipath);
			(*(size_t *)((char *)base + f->count_off))++;
		}
		break;
	}
	}
	refctl_buf_release(&tmp);
}

static void validate_fields(struct vctx *vc, const struct refctl_node *map,
			    const struct fdef *fields, void *base, const char *prefix)
{
	char path[192];

	const struct fdef *next = fields;

	for (size_t i = 0; i + 1 < map->n; i += 2) {
		const struct refctl_node *k = map->items[i], *v = map->items[i + 1];
		const struct fdef *f;
		/* Canonical files list keys in schema order: try the one after
		 * the last match first. */
		if (next->name && !strcmp(next->name, k->str)) {
			f = next;
		} else {
			for (f = fields; f->name; f++)
				if (!strcmp(f->name, k->str))
					break;
		}
		if (f->name)
			next = f + 1;
		path_of(path, sizeof(path), prefix, k->str);
		if (!f->name) {
			report(vc, REFCTL_DIAG_WARNING, k, path, "unknown key '%s'", path);
			continue;
		}
		validate_value(vc, f, v, base, path);
	}
	for (const struct fdef *f = fields; f->name; f++) {
		const struct refctl_node *v;
		if (!f->required)
			continue;
		v = refctl_node_get(map, f->name);
		path_of(path, sizeof(path), prefix, f->name);
		if (!v)
			report(vc, REFCTL_DIAG_ERROR, map, path, "missing required field '%s'", path);
		else if (refctl_yaml_is_null(v) || (v->kind == REFCTL_NODE_SCALAR && v->len == 0))
			report(vc, REFCTL_DIAG_ERROR, v, path, "%s must not be empty", path);
	}
}

static const char *file_stem(const char *file, char *buf, size_t size)
{
	const char *base = strrchr(file, '/');
	size_t n;

	base = base ? base + 1 : file;
	n = strlen(base);
	if (n > 5 && !strcmp(base + n - 5, ".yaml"))
		n -= 5;
	if (n >= size)
		n = size - 1;
	memcpy(buf, base, n);
	buf[n] = '\0';
	return buf;
}

static const struct refctl_node *request_node(const struct refctl_record *rec, size_t i,
					      const char *key)
{
	const struct refctl_node *reqs = refctl_node_get(rec->root, "requests"), *r;
	if (!reqs || reqs->kind != REFCTL_NODE_SEQ)
		return NULL;
	/* the typed array skips non-maps: find the map whose line matches */
	for (size_t k = 0; k < reqs->n; k++) {
		r = reqs->items[k];
		if (r->kind == REFCTL_NODE_MAP && r->line == rec->a.requests[i].line &&
		    r->col == rec->a.requests[i].col)
			return key ? (refctl_node_get(r, key) ? refctl_node_get(r, key) : r) : r;
	}
	return NULL;
}

static const struct refctl_node *reward_node(const struct refctl_record *rec, size_t i)
{
	const struct refctl_node *ws = refctl_node_get(rec->root, "rewards");
	if (!ws || ws->kind != REFCTL_NODE_SEQ)
		return NULL;
	for (size_t k = 0; k < ws->n; k++)
		if (ws->items[k]->kind == REFCTL_NODE_MAP && ws->items[k]->line == rec->a.rewards[i].line)
			return refctl_node_get(ws->items[k], "request") ? refctl_node_get(ws->items[k], "request")
									: ws->items[k];
	return NULL;
}

static void validate_requests(struct vctx *vc, struct refctl_record *rec)
{
	struct refctl_advocate *a = &rec->a;
	size_t idlen = a->id ? strlen(a->id) : 0;

	for (size_t i = 0; i < a->nrequests; i++) {
		struct refctl_request *r = &a->requests[i];
		char path[64];
		snprintf(path, sizeof(path), "requests[%zu]", i + 1);
		if (r->id) {
			const char *n = r->id + idlen + 1;
			char *end;
			unsigned long seq = 0;
			if (!a->id || strncmp(r->id, a->id, idlen) || r->id[idlen] != '/' ||
			    *n < '1' || *n > '9' || (seq = strtoul(n, &end, 10), *end) || seq > 1000000000UL) {
				report(vc, REFCTL_DIAG_ERROR, request_node(rec, i, "id"), path,
				       "%s.id must be %s/N with N a positive number, not '%s'", path,
				       a->id ? a->id : "ADVOCATE", r->id);
			} else {
				r->seq = seq;
			}
			for (size_t j = 0; j < i; j++)
				if (a->requests[j].id && !strcmp(a->requests[j].id, r->id)) {
					report(vc, REFCTL_DIAG_ERROR, request_node(rec, i, "id"), path,
					       "duplicate request id '%s' (also on line %u)", r->id,
					       a->requests[j].line);
					break;
				}
		}
		if (r->opened != REFCTL_DATE_NONE && r->closed != REFCTL_DATE_NONE && r->closed < r->opened)
			report(vc, REFCTL_DIAG_ERROR, request_node(rec, i, "closed"), path,
			       "%s: closed before opened", path);
		if (r->opened != REFCTL_DATE_NONE && r->scheduled != REFCTL_DATE_NONE &&
		    r->scheduled < r->opened)
			report(vc, REFCTL_DIAG_ERROR, request_node(rec, i, "scheduled"), path,
			       "%s: scheduled before opened", path);
		if (r->status && refctl_req_is_open(r->status) && r->closed != REFCTL_DATE_NONE)
			report(vc, REFCTL_DIAG_ERROR, request_node(rec, i, "closed"), path,
			       "%s is %s but has a closed date", path, refctl_req_status_name(r->status));
		if (r->status && !refctl_req_is_open(r->status) && r->closed == REFCTL_DATE_NONE)
			report(vc, REFCTL_DIAG_ERROR, request_node(rec, i, "status"), path,
			       "%s is %s but has no closed date", path, refctl_req_status_name(r->status));
		if (r->outcome && r->status != REFCTL_REQ_COMPLETED)
			report(vc, REFCTL_DIAG_ERROR, request_node(rec, i, "outcome"), path,
			       "%s has an outcome but is %s, not completed", path,
			       refctl_req_status_name(r->status));
		if (r->status == REFCTL_REQ_REQUESTED && r->approved_by)
			report(vc, REFCTL_DIAG_WARNING, request_node(rec, i, "approved_by"), path,
			       "%s is requested but names approved_by", path);
		if ((r->status == REFCTL_REQ_REQUESTED || r->status == REFCTL_REQ_APPROVED) &&
		    r->scheduled != REFCTL_DATE_NONE)
			report(vc, REFCTL_DIAG_WARNING, request_node(rec, i, "scheduled"), path,
			       "%s is %s but has a scheduled date", path, refctl_req_status_name(r->status));
	}
	for (size_t i = 0; i < a->nrewards; i++) {
		const struct refctl_reward *w = &a->rewards[i];
		if (w->request && !refctl_advocate_request(a, w->request, NULL)) {
			char path[64];
			snprintf(path, sizeof(path), "rewards[%zu]", i + 1);
			report(vc, REFCTL_DIAG_WARNING, reward_node(rec, i), path,
			       "%s names request '%s', which is not in this file", path, w->request);
		}
	}
}

static void view_reset(struct refctl_advocate *a)
{
	free(a->languages.v);
	free(a->products.v);
	free(a->use_cases.v);
	free(a->activities.v);
	free(a->programs.v);
	free(a->tags.v);
	free(a->consent_scope.v);
	free(a->requests);
	free(a->rewards);
	free(a->content);
	memset(a, 0, sizeof(*a));
	a->nps = a->per_quarter = a->rest_days = -1;
	a->since = a->last_contact = a->consent_until = REFCTL_DATE_NONE;
}

int refctl_record_validate(struct refctl_record *rec, struct refctl_diags *diags)
{
	struct vctx vc = { rec->file, diags, 0, 0 };
	char stem[256];

	view_reset(&rec->a);
	if (rec->root->kind != REFCTL_NODE_MAP) {
		report(&vc, REFCTL_DIAG_ERROR, rec->root, NULL,
		       "an advocate file must be a map of fields (id, name, company, status, ...)");
		return REFCTL_EINVALID;
	}
	validate_fields(&vc, rec->root, advocate_fields, &rec->a, "");
	if (rec->a.id && !vc.stop) {
		const struct refctl_node *idn = refctl_node_get(rec->root, "id");
		if (!refctl_id_valid(rec->a.id))
			report(&vc, REFCTL_DIAG_ERROR, idn, "id",
			       "id '%s' must be lowercase letters, digits and '-' (at most 63, not starting with '-')",
			       rec->a.id);
		else if (strchr(rec->file, '/') || strstr(rec->file, ".yaml"))
			if (strcmp(file_stem(rec->file, stem, sizeof(stem)), rec->a.id))
				report(&vc, REFCTL_DIAG_ERROR, idn, "id",
				       "id '%s' does not match the file name '%s.yaml'", rec->a.id, stem);
	}
	if (!vc.stop)
		validate_requests(&vc, rec);
	return vc.errors ? REFCTL_EINVALID : 0;
}

int refctl_record_from_node(struct refctl_record **out, const char *file,
			    struct refctl_node *root, struct refctl_diags *diags)
{
	struct refctl_record *rec = refctl__calloc(1, sizeof(*rec));
	int error;

	*out = NULL;
	rec->file = refctl__strdup(file);
	rec->root = root;
	view_reset(&rec->a);
	if ((error = refctl_record_validate(rec, diags)) < 0) {
		refctl_record_free(rec);
		return error;
	}
	*out = rec;
	return 0;
}

/* Conflict markers make confusing YAML errors: name them plainly first. */
static int check_conflict_markers(const char *file, const char *data, size_t len,
				  struct refctl_diags *diags)
{
	unsigned line = 1;
	int found = 0;

	for (size_t i = 0; i < len; line++) {
		const char *eol = memchr(data + i, '\n', len - i);
		size_t n = eol ? (size_t)(eol - (data + i)) : len - i;
		const char *s = data + i;
		if ((n >= 7 && (!memcmp(s, "<<<<<<<", 7) || !memcmp(s, ">>>>>>>", 7) ||
				!memcmp(s, "|||||||", 7)) && (n == 7 || s[7] == ' ')) ||
		    (n == 7 && !memcmp(s, "=======", 7))) {
			if (!diags)
				return refctl__error_at(REFCTL_EINVALID, file, line, 1,
							"unresolved git merge conflict (conflict marker '%.7s'); resolve it and remove the markers",
							s);
			refctl_diags_add(diags, REFCTL_DIAG_ERROR, file, line, 1, NULL,
					 "unresolved git merge conflict (conflict marker '%.7s'); resolve it and remove the markers",
					 s);
			found = 1;
		}
		i += n + 1;
	}
	return found ? REFCTL_EINVALID : 0;
}

int refctl_record_parse(struct refctl_record **out, const char *file,
			const char *data, size_t len, struct refctl_diags *diags)
{
	struct refctl_yaml_docs docs;
	struct refctl_node *root;
	int error;

	*out = NULL;
	/* memchr first: the marker characters are rare in YAML, and a memchr
	 * scan is much cheaper than memmem on every file loaded */
	if ((memchr(data, '=', len) && memmem(data, len, "\n=======", 8)) ||
	    (memchr(data, '<', len) && memmem(data, len, "<<<<<<<", 7)) ||
	    (memchr(data, '>', len) && memmem(data, len, ">>>>>>>", 7)))
		if ((error = check_conflict_markers(file, data, len, diags)) < 0)
			return error;
	if ((error = refctl_yaml_load(&docs, file, data, len, 0)) < 0) {
		if (diags)
			refctl_diags_add_last_error(diags);
		return error;
	}
	if (docs.n == 0) {
		refctl_yaml_docs_release(&docs);
		error = refctl__error_at(REFCTL_EINVALID, file, 1, 1, "file is empty");
		if (diags)
			refctl_diags_add_last_error(diags);
		return error;
	}
	root = docs.v[0];
	docs.v[0] = NULL;
	docs.n = 0;
	error = refctl_record_from_node(out, file, root, diags);
	if (*out) {
		(*out)->comment_line = docs.comment_line;
		(*out)->bom = docs.bom;
		(*out)->crlf_line = docs.crlf_line;
	}
	refctl_yaml_docs_release(&docs);
	return error;
}

void refctl_record_free(struct refctl_record *rec)
{
	if (!rec)
		return;
	view_reset(&rec->a);
	refctl_node_free(rec->root);
	free(rec->file);
	free(rec);
}

/* ---- canonical form ---- */

static void canon_map(struct refctl_node *map, const struct fdef *fields);

static void canon_value(struct refctl_node *v, const struct fdef *f)
{
	if (!f) {
		return; /* unknown: as read */
	}
	switch (f->type) {
	case T_STR:
	case T_TEXT:
	case T_ENUM:
		if (v->kind == REFCTL_NODE_SCALAR && !refctl_yaml_is_null(v))
			v->is_string = 1;
		break;
	case T_LIST:
		if (v->kind == REFCTL_NODE_SEQ)
			for (size_t i = 0; i < v->n; i++)
				if (v->items[i]->kind == REFCTL_NODE_SCALAR)
					v->items[i]->is_string = 1;
		break;
	case T_INT:
	case T_NUM:
	case T_DATE:
	case T_BOOL:
	case T_DATEORBOOL:
		if (v->kind == REFCTL_NODE_SCALAR)
			v->is_string = 0;
		break;
	case T_MAP:
		if (v->kind == REFCTL_NODE_MAP)
			canon_map(v, f->sub);
		break;
	case T_MAPLIST:
		if (v->kind == REFCTL_NODE_SEQ)
			for (size_t i = 0; i < v->n; i++)
				if (v->items[i]->kind == REFCTL_NODE_MAP)
					canon_map(v->items[i], f->sub);
		break;
	}
}

static void canon_map(struct refctl_node *map, const struct fdef *fields)
{
	struct refctl_node **sorted;
	size_t k = 0;
	unsigned char *used;

	if (!map->n)
		return;
	sorted = refctl__malloc(map->n * sizeof(*sorted));
	used = refctl__calloc(map->n / 2 + 1, 1);
	for (const struct fdef *f = fields; f->name; f++)
		for (size_t i = 0; i + 1 < map->n; i += 2)
			if (!used[i / 2] && !strcmp(map->items[i]->str, f->name)) {
				used[i / 2] = 1;
				map->items[i]->is_string = 1;
				canon_value(map->items[i + 1], f);
				sorted[k++] = map->items[i];
				sorted[k++] = map->items[i + 1];
				break;
			}
	for (size_t i = 0; i + 1 < map->n; i += 2)
		if (!used[i / 2]) {
			sorted[k++] = map->items[i];
			sorted[k++] = map->items[i + 1];
		}
	memcpy(map->items, sorted, k * sizeof(*sorted));
	free(sorted);
	free(used);
}

void refctl_record_canonicalize(struct refctl_record *rec)
{
	if (rec->root->kind == REFCTL_NODE_MAP)
		canon_map(rec->root, advocate_fields);
}

int refctl_record_format(struct refctl_buf *out, struct refctl_record *rec)
{
	refctl_record_canonicalize(rec);
	return refctl_yaml_emit(out, rec->root);
}

/* ---- edits ---- */

static const char *const settable[] = {
	"name", "company", "status", "title", "email", "phone", "account_owner", "industry",
	"region", "country", "segment", "since", "nps", "health", "last_contact", "notes",
	"languages", "products", "use_cases", "activities", "programs", "tags",
	"consent.until", "consent.scope", "limits.per_quarter", "limits.rest_days", NULL
};

const char *const *refctl_record_settable_fields(void)
{
	return settable;
}

static const struct fdef *find_def(const char *path, const struct fdef **parent)
{
	const char *dot = strchr(path, '.');
	*parent = NULL;
	for (const struct fdef *f = advocate_fields; f->name; f++) {
		if (dot) {
			if (strlen(f->name) == (size_t)(dot - path) && !strncmp(f->name, path, dot - path) &&
			    f->type == T_MAP) {
				*parent = f;
				for (const struct fdef *s = f->sub; s->name; s++)
					if (!strcmp(s->name, dot + 1))
						return s;
				return NULL;
			}
		} else if (!strcmp(f->name, path)) {
			return f;
		}
	}
	return NULL;
}

int refctl_record_field_is_list(const char *path)
{
	const struct fdef *parent, *f = find_def(path, &parent);
	return f && f->type == T_LIST;
}

static int settable_field(const char *path)
{
	for (int i = 0; settable[i]; i++)
		if (!strcmp(settable[i], path))
			return 1;
	return 0;
}

static struct refctl_node *value_node(const struct fdef *f, const char *value)
{
	struct refctl_node *n;

	if (f->type != T_LIST)
		return refctl_node_scalar(value, f->type == T_STR || f->type == T_TEXT || f->type == T_ENUM);
	n = refctl_node_seq();
	for (const char *p = value; *p;) {
		const char *comma = strchr(p, ',');
		size_t len = comma ? (size_t)(comma - p) : strlen(p);
		while (len && (*p == ' ' || *p == '\t'))
			p++, len--;
		while (len && (p[len - 1] == ' ' || p[len - 1] == '\t'))
			len--;
		if (len)
			refctl_node_append(n, refctl_node_scalarn(p, len, 1));
		if (!comma)
			break;
		p = comma + 1;
	}
	return n;
}

int refctl_record_tree_set(struct refctl_node *root, const char *path, const char *value, int append)
{
	const struct fdef *parent, *f = find_def(path, &parent);
	struct refctl_node *map = root, *cur;

	if (!f || (strcmp(path, "id") && !settable_field(path)))
		return refctl__error(REFCTL_EINVALID, "unknown field '%s'", path);
	if (parent) {
		struct refctl_node *sub = refctl_node_get(map, parent->name);
		if (!sub || sub->kind != REFCTL_NODE_MAP) {
			refctl_node_set(map, parent->name, refctl_node_map());
			sub = refctl_node_get(map, parent->name);
		}
		map = sub;
	}
	cur = refctl_node_get(map, f->name);
	if (append && f->type == T_LIST && cur && cur->kind == REFCTL_NODE_SEQ)
		refctl_node_append(cur, refctl_node_scalar(value, 1));
	else if (append && f->type == T_LIST) {
		struct refctl_node *seq = refctl_node_seq();
		refctl_node_append(seq, refctl_node_scalar(value, 1));
		refctl_node_set(map, f->name, seq);
	} else
		refctl_node_set(map, f->name, value_node(f, value));
	return 0;
}

static int edit(struct refctl_record *rec, const char *path, const char *value)
{
	const struct fdef *parent, *f;
	struct refctl_node *saved, *map;
	int error;

	if (!strcmp(path, "id"))
		return refctl__error(REFCTL_EINVALID,
				     "the id cannot be changed: it names the file and the request ids");
	if (!settable_field(path)) {
		if (!strncmp(path, "requests", 8) || !strncmp(path, "rewards", 7))
			return refctl__error(REFCTL_EINVALID,
					     "'%s' is changed with 'refctl request' and 'refctl reward'", path);
		return refctl__error(REFCTL_EINVALID, "unknown field '%s' (see 'refctl help set')", path);
	}
	f = find_def(path, &parent);
	saved = refctl_node_clone(rec->root);
	map = rec->root;
	if (parent) {
		struct refctl_node *sub = refctl_node_get(map, parent->name);
		if (!sub || sub->kind != REFCTL_NODE_MAP) {
			if (!value)
				goto validate;
			refctl_node_set(map, parent->name, refctl_node_map());
			sub = refctl_node_get(map, parent->name);
		}
		map = sub;
	}
	if (value && f->type == T_LIST && !*value)
		value = NULL; /* "products=" empties the list: remove it */
	if (value) {
		refctl_node_set(map, f->name, value_node(f, value));
	} else {
		refctl_node_remove(map, f->name);
		if (parent && map->n == 0)
			refctl_node_remove(rec->root, parent->name);
	}
validate:
	if ((error = refctl_record_validate(rec, NULL)) < 0) {
		/* keep the message, but point at the field, not a line of a file we made */
		char msg[1024];
		snprintf(msg, sizeof(msg), "%s", refctl_error_last_message());
		refctl_node_free(rec->root);
		rec->root = saved;
		refctl_record_validate(rec, NULL);
		return refctl__error(REFCTL_EINVALID, "%s", msg);
	}
	refctl_node_free(saved);
	return 0;
}

int refctl_record_set(struct refctl_record *rec, const char *path, const char *value)
{
	return edit(rec, path, value);
}

int refctl_record_unset(struct refctl_record *rec, const char *path)
{
	static const char *const required[] = { "name", "company", "status", NULL };
	for (int i = 0; required[i]; i++)
		if (!strcmp(path, required[i]))
			return refctl__error(REFCTL_EINVALID, "'%s' is required and cannot be unset", path);
	if (!strcmp(path, "consent") || !strcmp(path, "limits")) {
		struct refctl_node *saved = refctl_node_clone(rec->root);
		refctl_node_remove(rec->root, path);
		if (refctl_record_validate(rec, NULL) < 0) {
			refctl_node_free(rec->root);
			rec->root = saved;
			refctl_record_validate(rec, NULL);
			return REFCTL_EINVALID;
		}
		refctl_node_free(saved);
		return 0;
	}
	return edit(rec, path, NULL);
}

const struct refctl_request *refctl_advocate_request(const struct refctl_advocate *a,
						     const char *id, size_t *index)
{
	for (size_t i = 0; i < a->nrequests; i++)
		if (a->requests[i].id && !strcmp(a->requests[i].id, id)) {
			if (index)
				*index = i;
			return &a->requests[i];
		}
	return NULL;
}

long refctl_advocate_balance(const struct refctl_advocate *a)
{
	long bal = 0;
	for (size_t i = 0; i < a->nrewards; i++) {
		bal += a->rewards[i].points;
		if (bal < 0)
			bal = 0;
	}
	return bal;
}

/* ---- ids and vocabulary ---- */

int refctl_id_valid(const char *s)
{
	size_t n = strlen(s);
	if (n < 1 || n > 63)
		return 0;
	if (!((s[0] >= 'a' && s[0] <= 'z') || (s[0] >= '0' && s[0] <= '9')))
		return 0;
	for (size_t i = 1; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '-'))
			return 0;
	return 1;
}

/* Latin letters with diacritics, U+00C0 to U+017F, folded to ASCII. */
static const char *translit(unsigned cp)
{
	static const char *const latin1[64] = {
		"a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i", "i",
		"d", "n", "o", "o", "o", "o", "o", NULL, "o", "u", "u", "u", "u", "y", "th", "ss",
		"a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i", "i",
		"d", "n", "o", "o", "o", "o", "o", NULL, "o", "u", "u", "u", "u", "y", "th", "y",
	};
	/* U+0100..U+017F, 16 a line; '?' where two letters are needed */
	static const char ext_a[128] =
		"aaaaaaccccccccdd" "ddeeeeeeeeeegggg" "gggghhhhiiiiiiii" "ii??jjkkklllllll"
		"lllnnnnnnnnnoooo" "oo??rrrrrrssssss" "ssttttttuuuuuuuu" "uuuuwwyyyzzzzzzs";
	if (cp >= 0xc0 && cp <= 0xff)
		return latin1[cp - 0xc0];
	if (cp >= 0x100 && cp <= 0x17f) {
		static char one[2];
		if (cp == 0x132 || cp == 0x133)
			return "ij";
		if (cp == 0x152 || cp == 0x153)
			return "oe";
		one[0] = ext_a[cp - 0x100];
		one[1] = '\0';
		return one;
	}
	return NULL;
}

void refctl_id_derive(struct refctl_buf *out, const char *name, const char *company)
{
	const char *parts[2] = { name ? name : "", company ? company : "" };
	int sep = 0;

	refctl_buf_clear(out);
	for (int k = 0; k < 2; k++) {
		const unsigned char *s = (const unsigned char *)parts[k];
		sep = out->size > 0;
		while (*s) {
			unsigned cp = *s;
			size_t n = 1;
			const char *t = NULL;
			char c[2] = { 0, 0 };
			if (cp >= 0xc0 && cp < 0xe0 && (s[1] & 0xc0) == 0x80) {
				cp = ((cp & 0x1f) << 6) | (s[1] & 0x3f);
				n = 2;
			} else if (cp >= 0xe0 && cp < 0xf0 && (s[1] & 0xc0) == 0x80 && (s[2] & 0xc0) == 0x80) {
				cp = ((cp & 0x0f) << 12) | ((unsigned)(s[1] & 0x3f) << 6) | (s[2] & 0x3f);
				n = 3;
			} else if (cp >= 0x80) {
				while (s[n] && (s[n] & 0xc0) == 0x80)
					n++;
				cp = 0;
			}
			if ((cp >= 'a' && cp <= 'z') || (cp >= '0' && cp <= '9')) {
				c[0] = (char)cp;
				t = c;
			} else if (cp >= 'A' && cp <= 'Z') {
				c[0] = (char)(cp - 'A' + 'a');
				t = c;
			} else if (cp == '\'' || cp == 0x2019) {
				t = ""; /* O'Brien -> obrien */
			} else {
				t = translit(cp);
			}
			if (t && *t) {
				if (sep && out->size)
					refctl_buf_putc(out, '-');
				sep = 0;
				refctl_buf_puts(out, t);
			} else if (!t) {
				sep = 1;
			}
			s += n;
		}
	}
	if (out->size > 63)
		refctl_buf_truncate(out, 63);
	while (out->size && out->ptr[out->size - 1] == '-')
		refctl_buf_truncate(out, out->size - 1);
	if (!out->size)
		refctl_buf_puts(out, "advocate");
}

void refctl_vocab_norm(struct refctl_buf *out, const char *s)
{
	refctl_buf_clear(out);
	for (; *s; s++) {
		char c = *s;
		if (c >= 'A' && c <= 'Z')
			c += 'a' - 'A';
		else if (c == ' ' || c == '_')
			c = '-';
		refctl_buf_putc(out, c);
	}
}

static int vocab_char(int c)
{
	if (c >= 'A' && c <= 'Z')
		return c + 'a' - 'A';
	if (c == ' ' || c == '_')
		return '-';
	return c;
}

int refctl_vocab_eq(const char *a, const char *b)
{
	for (; *a && *b; a++, b++)
		if (vocab_char((unsigned char)*a) != vocab_char((unsigned char)*b))
			return 0;
	return !*a && !*b;
}
