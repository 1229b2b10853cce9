/*
 * The program report: the figures of a period and of the one before it.
 * One pass over the advocates feeds two accumulators (this period and the
 * previous one); only small per-key tallies and the few per-advocate
 * summaries the report lists (top N, overused, at risk, consent expiring)
 * are kept. Then one walk of the history of advocates/ for roster changes.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "history.h"
#include "refctl/report.h"
#include "refctl/content.h"
#include "util.h"

const char *const refctl_report_section_names[REFCTL_SECTION_COUNT] = {
	"key_figures", "charts", "headlines", "requests", "advocates", "value", "programs", "coverage", "roster",
	"content",
};

const char *const refctl_change_kind_names[REFCTL_CHANGE_NKINDS] = {
	"added", "retired", "edited", "removed", "requests",
};

/* ---- a small string-keyed hash table ---- */

struct tally_entry {
	char *key;
	long n, m;        /* counts: requests and declined, or advocates */
	long long cents;  /* deals: the largest value in cents */
	size_t mark;      /* last advocate counted (distinct counts), or an index */
};

struct tally {
	struct tally_entry *v;
	size_t n, cap;
};

static uint64_t hash_bytes(const char *s, size_t len)
{
	uint64_t h = 1469598103934665603ULL;
	for (size_t i = 0; i < len; i++) {
		h ^= (unsigned char)s[i];
		h *= 1099511628211ULL;
	}
	return h;
}

static struct tally_entry *tally_slot(struct tally_entry *v, size_t cap, const char *key, size_t len)
{
	size_t i = (size_t)hash_bytes(key, len) & (cap - 1);
	while (v[i].key && (strlen(v[i].key) != len || memcmp(v[i].key, key, len)))
		i = (i + 1) & (cap - 1);
	return &v[i];
}

/* The entry for key, created (all zero) when missing; *created says so. */
static struct tally_entry *tally_get(struct tally *t, const char *key, size_t len, int *created)
{
	struct tally_entry *e;

	if ((t->n + 1) * 4 > t->cap * 3) {
		size_t ncap = t->cap ? t->cap * 2 : 16;
		struct tally_entry *nv = refctl__calloc(ncap, sizeof(*nv));
		for (size_t i = 0; i < t->cap; i++)
			if (t->v[i].key)
				*tally_slot(nv, ncap, t->v[i].key, strlen(t->v[i].key)) = t->v[i];
		free(t->v);
		t->v = nv;
		t->cap = ncap;
	}
	e = tally_slot(t->v, t->cap, key, len);
	if (created)
		*created = !e->key;
	if (!e->key) {
		e->key = refctl__strndup(key, len);
		t->n++;
	}
	return e;
}

static struct tally_entry *tally_find(const struct tally *t, const char *key)
{
	struct tally_entry *e;
	if (!t->cap)
		return NULL;
	e = tally_slot(t->v, t->cap, key, strlen(key));
	return e->key ? e : NULL;
}

static void tally_free(struct tally *t)
{
	for (size_t i = 0; i < t->cap; i++)
		free(t->v[i].key);
	free(t->v);
	memset(t, 0, sizeof(*t));
}

/* ---- the change lists' strings ---- */

/*
 * The change lists can name the whole roster (every file changed in the
 * period): their ids, names and committer lists are cut from blocks
 * rather than allocated one by one, and a committer's name is kept once.
 * The blocks belong to the report (its figures point into them).
 */
#define POOL_BLOCK ((size_t)64 << 10)

struct pool_block {
	struct pool_block *next;
	size_t used, cap;
	char data[];
};

struct refctl_report_strings {
	struct pool_block *head;
};

static void *pool_alloc(struct refctl_report_strings *s, size_t n)
{
	struct pool_block *b = s->head;

	n = (n + 7) & ~(size_t)7;
	if (!b || b->cap - b->used < n) {
		size_t cap = n > POOL_BLOCK / 4 ? n : POOL_BLOCK - sizeof(*b);
		b = refctl__malloc(sizeof(*b) + cap);
		b->used = 0;
		b->cap = cap;
		b->next = s->head;
		s->head = b;
	}
	b->used += n;
	return b->data + b->used - n;
}

static char *pool_strdup(struct refctl_report_strings *s, const char *str)
{
	size_t n = strlen(str) + 1;
	return memcpy(pool_alloc(s, n), str, n);
}

static void pool_free(struct refctl_report_strings *s)
{
	if (!s)
		return;
	while (s->head) {
		struct pool_block *b = s->head;
		s->head = b->next;
		free(b);
	}
	free(s);
}

/* An index of a change list by id: slots hold an entry's index + 1. */
struct roster_index {
	uint32_t *v;
	size_t cap, n;
};

static size_t roster_slot(const struct roster_index *x, const struct refctl_report_roster *list, const char *id)
{
	size_t i = (size_t)hash_bytes(id, strlen(id)) & (x->cap - 1);
	while (x->v[i] && strcmp(list[x->v[i] - 1].id, id))
		i = (i + 1) & (x->cap - 1);
	return i;
}

/* The index of id's entry in list (n entries), or n if it has none: the
 * caller appends it, and roster_index_add() records it. */
static size_t roster_find(const struct roster_index *x, const struct refctl_report_roster *list, size_t n,
			  const char *id)
{
	size_t i;
	if (!x->cap)
		return n;
	i = roster_slot(x, list, id);
	return x->v[i] ? x->v[i] - 1 : n;
}

static void roster_index_add(struct roster_index *x, const struct refctl_report_roster *list, size_t at)
{
	if (2 * (x->n + 1) > x->cap) {
		struct roster_index bigger = { NULL, x->cap ? x->cap * 2 : 64, x->n };
		bigger.v = refctl__calloc(bigger.cap, sizeof(*bigger.v));
		for (size_t i = 0; i < x->cap; i++)
			if (x->v[i])
				bigger.v[roster_slot(&bigger, list, list[x->v[i] - 1].id)] = x->v[i];
		free(x->v);
		*x = bigger;
	}
	x->v[roster_slot(x, list, list[at].id)] = (uint32_t)at + 1;
	x->n++;
}

static void roster_index_free(struct roster_index *x)
{
	free(x->v);
	memset(x, 0, sizeof(*x));
}

static int count_cmp(const void *pa, const void *pb)
{
	const struct refctl_report_count *a = pa, *b = pb;
	if (a->n != b->n)
		return a->n > b->n ? -1 : 1;
	return strcmp(a->key, b->key);
}

static void tally_to_counts(const struct tally *t, struct refctl_report_counts *out)
{
	out->v = refctl__calloc(t->n ? t->n : 1, sizeof(*out->v));
	out->n = 0;
	for (size_t i = 0; i < t->cap; i++)
		if (t->v[i].key) {
			out->v[out->n].key = refctl__strdup(t->v[i].key);
			out->v[out->n++].n = t->v[i].n;
		}
	if (out->n > 1)
		qsort(out->v, out->n, sizeof(*out->v), count_cmp);
}

/* ---- metric functions ---- */

double refctl_report_rate(long num, long den)
{
	return den ? (double)num / (double)den : NAN;
}

static int int_cmp(const void *pa, const void *pb)
{
	int a = *(const int *)pa, b = *(const int *)pb;
	return (a > b) - (a < b);
}

double refctl_report_median(int *v, size_t n)
{
	if (!n)
		return NAN;
	qsort(v, n, sizeof(*v), int_cmp);
	if (n % 2)
		return v[n / 2];
	return ((double)v[n / 2 - 1] + (double)v[n / 2]) / 2.0;
}

/* ---- headlines ---- */

const struct refctl_report_headline refctl_report_headlines[] = {
	{ "requests", "opened", "Requests opened", REFCTL_REPORT_COUNT },
	{ "requests", "closed.completed", "Requests completed", REFCTL_REPORT_COUNT },
	{ "requests", "closed.declined", "Requests declined", REFCTL_REPORT_COUNT },
	{ "requests", "closed.cancelled", "Requests cancelled", REFCTL_REPORT_COUNT },
	{ "requests", "fulfilment_rate", "Fulfilment rate", REFCTL_REPORT_RATE },
	{ "requests", "median_days_to_complete", "Median days to complete", REFCTL_REPORT_DAYS },
	{ "requests", "open_at_end", "Open at end of period", REFCTL_REPORT_COUNT },
	{ "outcomes", "won", "Deals won", REFCTL_REPORT_COUNT },
	{ "outcomes", "lost", "Deals lost", REFCTL_REPORT_COUNT },
	{ "outcomes", "win_rate", "Win rate", REFCTL_REPORT_RATE },
	{ "outcomes", "revenue_influenced", "Revenue influenced", REFCTL_REPORT_MONEY },
	{ "referrals", "count", "Referrals opened", REFCTL_REPORT_COUNT },
	{ "referrals", "won", "Referrals won", REFCTL_REPORT_COUNT },
	{ "referrals", "value", "Referral value won", REFCTL_REPORT_MONEY },
	{ "value", "created", "Value created", REFCTL_REPORT_MONEY },
	{ "value", "ratio", "Value to own spend", REFCTL_REPORT_RATIO },
	{ "advocates", "new", "New advocates (since in period)", REFCTL_REPORT_COUNT },
	{ "advocates", "used", "Advocates used", REFCTL_REPORT_COUNT },
	{ "advocates", "utilisation", "Utilisation", REFCTL_REPORT_RATE },
	{ "advocates", "overused", "Overused advocates", REFCTL_REPORT_COUNT },
	{ "advocates", "at_risk", "At-risk advocates", REFCTL_REPORT_COUNT },
	{ "advocates", "consent_expiring", "Consent expiring", REFCTL_REPORT_COUNT },
	{ "rewards", "awarded", "Points awarded", REFCTL_REPORT_POINTS },
	{ "rewards", "redeemed", "Points redeemed", REFCTL_REPORT_POINTS },
	{ "changes", "added", "Advocate files added", REFCTL_REPORT_COUNT },
	{ "changes", "retired", "Advocates retired", REFCTL_REPORT_COUNT },
	{ "changes", "edited", "Advocate records edited", REFCTL_REPORT_COUNT },
	{ "changes", "removed", "Advocate files removed", REFCTL_REPORT_COUNT },
	{ "changes", "requests", "Files with request changes only", REFCTL_REPORT_COUNT },
};
const size_t refctl_report_nheadlines =
	sizeof(refctl_report_headlines) / sizeof(refctl_report_headlines[0]);

long refctl_report_headline_find(const char *name)
{
	for (size_t i = 0; i < refctl_report_nheadlines; i++) {
		const struct refctl_report_headline *h = &refctl_report_headlines[i];
		size_t n = strlen(h->section);
		if (!strncmp(name, h->section, n) && name[n] == '.' && !strcmp(name + n + 1, h->metric))
			return (long)i;
	}
	return -1;
}

/* What the report opens with unless an audience says otherwise. */
static const char *const default_key[] = {
	"requests.opened", "requests.fulfilment_rate", "outcomes.win_rate", "outcomes.revenue_influenced",
	"value.created", "referrals.value", "advocates.utilisation", "advocates.at_risk",
};

double refctl_report_headline_value(const struct refctl_report_figures *f, size_t i)
{
	const double values[] = {
		(double)f->opened, (double)f->completed, (double)f->declined, (double)f->cancelled,
		f->fulfilment_rate, f->median_days, (double)f->open_at_end,
		(double)f->won, (double)f->lost, f->win_rate, f->revenue,
		(double)f->referrals, (double)f->referrals_won, f->referrals_value,
		f->value_created, f->value_ratio,
		(double)f->new_advocates, (double)f->used, f->utilisation,
		(double)f->noverused, (double)f->nat_risk, (double)f->nconsent,
		(double)f->awarded, (double)f->redeemed,
		(double)f->changes[REFCTL_CHANGE_ADDED], (double)f->changes[REFCTL_CHANGE_RETIRED],
		(double)f->changes[REFCTL_CHANGE_EDITED], (double)f->changes[REFCTL_CHANGE_REMOVED],
		(double)f->changes[REFCTL_CHANGE_REQUESTS],
	};
	return i < sizeof(values) / sizeof(values[0]) ? values[i] : NAN;
}

/* ---- accumulation ---- */

struct acc {
	struct refctl_report_figures *f;
	int full; /* keep breakdowns and lists (this period), or counts only */
	struct tally by_activity, by_region, by_industry, by_requester;
	struct tally ind_demand, prod_demand; /* n: requests, m: declined */
	struct roster_index roster[REFCTL_CHANGE_NKINDS]; /* id -> index in f->roster[k] */
	struct refctl_deals *deals, *referral_deals, *created_deals, *valued_deals;
	long long account_cents;
	int *days;
	size_t ndays, adays;
	size_t aoverused, arisk, aconsent, aroster[REFCTL_CHANGE_NKINDS];
};

/* A program's figures while they accumulate. */
struct program_acc {
	struct refctl_report_program *row;
	struct refctl_deals *deals;
};

struct refctl_report_priv {
	const struct refctl_config *cfg;
	char *program, *region;               /* the filters, normalised (NULL: none) */
	struct tally programs;                /* name -> index in prog */
	struct program_acc *prog;
	size_t nprog, aprog;
	struct acc acc[2];
	struct tally ind_supply, prod_supply; /* n: active advocates offering it */
	size_t serial;                        /* advocates seen, for distinct counts */
	struct refctl_buf key;
	struct tally committers;              /* name -> index in committer */
	const char **committer;               /* in r->strings */
	size_t ncommitter, acommitter;
	struct refctl_report_strings *strings; /* r->strings */
};

static int in_period(refctl_date d, const struct refctl_period *p)
{
	return d != REFCTL_DATE_NONE && d >= p->from && d <= p->to;
}

static void bump(struct tally *t, const char *key)
{
	tally_get(t, key, strlen(key), NULL)->n++;
}

/* key <- the canonical vocabulary value of s (aliases applied); 0 if s is unset. */
static int canon(struct refctl_report_priv *p, const char *s)
{
	if (!s || !*s)
		return 0;
	refctl_config_canon(&p->key, p->cfg, s);
	return p->key.size > 0;
}

static void top_insert(struct refctl_report *r, struct refctl_report_figures *f,
		       const struct refctl_advocate *a, long n)
{
	size_t pos;
	struct refctl_report_top *t;

	if (r->top_n <= 0)
		return;
	if (!f->top)
		f->top = refctl__calloc((size_t)r->top_n, sizeof(*f->top));
	/* Advocates come in id order: an equal count ranks after those already in. */
	for (pos = f->ntop; pos > 0; pos--) {
		const struct refctl_report_top *q = &f->top[pos - 1];
		if (q->requests > n || (q->requests == n && strcmp(q->id, a->id) < 0))
			break;
	}
	if (pos >= (size_t)r->top_n)
		return;
	if (f->ntop == (size_t)r->top_n) {
		t = &f->top[f->ntop - 1];
		free(t->id);
		free(t->name);
		free(t->company);
		f->ntop--;
	}
	memmove(&f->top[pos + 1], &f->top[pos], (f->ntop - pos) * sizeof(*f->top));
	t = &f->top[pos];
	t->id = refctl__strdup(a->id);
	t->name = refctl__strdup(a->name ? a->name : "");
	t->company = refctl__strdup(a->company ? a->company : "");
	t->requests = n;
	f->ntop++;
}

/* Keep a among the top N by value created (highest first, then id). */
static void value_insert(struct refctl_report *r, struct refctl_report_figures *f, const struct refctl_advocate *a)
{
	struct refctl_advocate_value v;
	struct refctl_report_value *t;
	double created;
	size_t pos;

	if (r->top_n <= 0)
		return;
	refctl_advocate_value(&v, a, &f->period);
	if (v.created <= 0)
		return;
	created = (double)v.created / 100.0;
	if (!f->top_value)
		f->top_value = refctl__calloc((size_t)r->top_n, sizeof(*f->top_value));
	/* Advocates come in id order: an equal value ranks after those already in. */
	for (pos = f->ntop_value; pos > 0; pos--)
		if (f->top_value[pos - 1].created >= created)
			break;
	if (pos >= (size_t)r->top_n)
		return;
	if (f->ntop_value == (size_t)r->top_n) {
		t = &f->top_value[--f->ntop_value];
		free(t->id);
		free(t->name);
		free(t->company);
	}
	memmove(&f->top_value[pos + 1], &f->top_value[pos], (f->ntop_value - pos) * sizeof(*f->top_value));
	t = &f->top_value[pos];
	t->id = refctl__strdup(a->id);
	t->name = refctl__strdup(a->name ? a->name : "");
	t->company = refctl__strdup(a->company ? a->company : "");
	t->influenced = (double)v.influenced / 100.0;
	t->referrals = (double)v.referrals / 100.0;
	t->created = created;
	t->account_value = v.account_value != REFCTL_MONEY_NONE ? (double)v.account_value / 100.0 : NAN;
	t->ratio = v.ratio;
	f->ntop_value++;
}

/* The comparison of programs: this advocate's figures into each of its programs. */
static void programs_add(struct refctl_report_priv *p, struct refctl_report_figures *f,
			 const struct refctl_advocate *a, long opened, long completed, long declined, int at_risk)
{
	struct refctl_buf key = REFCTL_BUF_INIT;
	size_t n = a->programs.n ? a->programs.n : 1;

	for (size_t i = 0; i < n; i++) {
		struct tally_entry *e;
		struct program_acc *pa;
		int created, dup = 0;
		if (a->programs.n)
			refctl_vocab_norm(&key, a->programs.v[i]);
		else
			refctl_buf_puts(&key, REFCTL_REPORT_NONE);
		for (size_t j = 0; j < i && !dup; j++)
			dup = refctl_vocab_eq(a->programs.v[j], a->programs.v[i]);
		if (dup || !key.size) {
			refctl_buf_clear(&key);
			continue;
		}
		e = tally_get(&p->programs, key.ptr, key.size, &created);
		if (created) {
			REFCTL__ARRAY_GROW(p->prog, p->nprog + 1, p->aprog);
			e->mark = p->nprog++;
			pa = &p->prog[e->mark];
			pa->row = refctl__calloc(1, sizeof(*pa->row));
			pa->row->name = refctl__strdup(key.ptr);
			pa->deals = refctl_deals_new();
		}
		pa = &p->prog[e->mark];
		pa->row->advocates++;
		pa->row->active += a->status == REFCTL_STATUS_ACTIVE;
		pa->row->opened += opened;
		pa->row->completed += completed;
		pa->row->declined += declined;
		pa->row->at_risk += at_risk;
		refctl_value_feed(pa->deals, NULL, NULL, a, &f->period);
		refctl_buf_clear(&key);
	}
	refctl_buf_release(&key);
}

static void acc_add(struct refctl_report *r, struct acc *c, const struct refctl_advocate *a)
{
	struct refctl_report_priv *p = r->priv;
	const struct refctl_config *cfg = p->cfg;
	struct refctl_report_figures *f = c->f;
	const struct refctl_period *P = &f->period;
	refctl_date qstart = refctl_date_quarter_start(P->to);
	long opened = 0, quarter = 0, limit, completed = 0, declined = 0;
	unsigned risk = 0;

	f->total++;
	if (a->status == REFCTL_STATUS_ACTIVE)
		f->active++;
	if (in_period(a->since, P))
		f->new_advocates++;

	for (size_t i = 0; i < a->nrequests; i++) {
		const struct refctl_request *q = &a->requests[i];
		int referral = q->activity && !strcmp(q->activity, "referral");

		if (in_period(q->opened, P)) {
			opened++;
			f->opened++;
			if (c->full) {
				bump(&c->by_activity, q->activity ? q->activity : REFCTL_REPORT_NONE);
				bump(&c->by_region, canon(p, a->region) ? p->key.ptr : REFCTL_REPORT_NONE);
				bump(&c->by_industry, canon(p, a->industry) ? p->key.ptr : REFCTL_REPORT_NONE);
				bump(&c->by_requester, q->requester && *q->requester ? q->requester
										 : REFCTL_REPORT_NONE);
				if (canon(p, q->industry) || canon(p, a->industry)) {
					struct tally_entry *e = tally_get(&c->ind_demand, p->key.ptr, p->key.size, NULL);
					e->n++;
					e->m += q->status == REFCTL_REQ_DECLINED;
				}
				/* without a product of its own: the advocate's first product */
				if (canon(p, q->product) || (a->products.n && canon(p, a->products.v[0]))) {
					struct tally_entry *e = tally_get(&c->prod_demand, p->key.ptr, p->key.size, NULL);
					e->n++;
					e->m += q->status == REFCTL_REQ_DECLINED;
				}
			}
			if (referral)
				f->referrals++;
		}
		if (in_period(q->closed, P)) {
			completed += q->status == REFCTL_REQ_COMPLETED;
			declined += q->status == REFCTL_REQ_DECLINED;
			switch (q->status) {
			case REFCTL_REQ_COMPLETED:
				f->completed++;
				if (q->opened != REFCTL_DATE_NONE) {
					REFCTL__ARRAY_GROW(c->days, c->ndays + 1, c->adays);
					c->days[c->ndays++] = q->closed - q->opened;
				}
				if (referral && q->outcome == REFCTL_OUTCOME_WON)
					f->referrals_won++;
				else if (!referral && q->outcome == REFCTL_OUTCOME_WON)
					f->won++;
				else if (!referral && q->outcome == REFCTL_OUTCOME_LOST) {
					f->lost++;
				}
				break;
			case REFCTL_REQ_DECLINED:
				f->declined++;
				break;
			case REFCTL_REQ_CANCELLED:
				f->cancelled++;
				break;
			}
		}
		if (q->opened != REFCTL_DATE_NONE && q->opened <= P->to &&
		    (q->closed == REFCTL_DATE_NONE || q->closed > P->to))
			f->open_at_end++;
		if (refctl_req_is_engagement(q->status) && q->opened != REFCTL_DATE_NONE &&
		    q->opened >= qstart && q->opened <= P->to)
			quarter++;
		if (c->full && q->opened != REFCTL_DATE_NONE && q->opened >= r->months_from &&
		    q->opened <= P->to) {
			int y0, m0, y, m, d;
			refctl_date_to_ymd(&y0, &m0, &d, r->months_from);
			refctl_date_to_ymd(&y, &m, &d, q->opened);
			if ((y * 12 + m) - (y0 * 12 + m0) < 12)
				r->by_month[(y * 12 + m) - (y0 * 12 + m0)]++;
		}
	}
	/* referrals as their own record: opened in P, won when closed in P */
	for (size_t i = 0; i < a->nreferrals; i++) {
		const struct refctl_referral *x = &a->referrals[i];
		if (in_period(x->opened, P))
			f->referrals++;
		if (x->status == REFCTL_REF_WON && in_period(x->closed, P))
			f->referrals_won++;
	}
	/* the money: revenue influenced, referral value, value created, each
	 * opportunity once (value.c) */
	if (refctl_value_feed(c->deals, c->referral_deals, c->created_deals, a, P) && c->full)
		value_insert(r, f, a);
	if (a->account_value != REFCTL_MONEY_NONE && a->account_value > 0) {
		f->nvalued++;
		if (__builtin_add_overflow(c->account_cents, a->account_value, &c->account_cents))
			c->account_cents = INT64_MAX;
		refctl_value_feed(NULL, NULL, c->valued_deals, a, P);
	}
	for (size_t i = 0; i < a->nrewards; i++) {
		const struct refctl_reward *w = &a->rewards[i];
		if (!in_period(w->date, P))
			continue;
		if (w->points > 0)
			f->awarded += w->points;
		else
			f->redeemed -= w->points;
	}

	if (opened) {
		f->used++;
		if (c->full)
			top_insert(r, f, a, opened);
	}
	limit = a->per_quarter >= 0 ? a->per_quarter : cfg->per_quarter;
	if (quarter > 0 && quarter >= limit) {
		f->noverused++;
		if (c->full) {
			REFCTL__ARRAY_GROW(f->overused, (size_t)f->noverused, c->aoverused);
			f->overused[f->noverused - 1].id = refctl__strdup(a->id);
			f->overused[f->noverused - 1].name = refctl__strdup(a->name ? a->name : "");
			f->overused[f->noverused - 1].company = refctl__strdup(a->company ? a->company : "");
			f->overused[f->noverused - 1].engagements = quarter;
			f->overused[f->noverused - 1].limit = limit;
		}
	}
	if (a->nps >= 0 && a->nps <= cfg->at_risk_nps)
		risk |= REFCTL_RISK_NPS;
	if (a->health && !strcmp(a->health, "red"))
		risk |= REFCTL_RISK_HEALTH;
	if (a->last_contact != REFCTL_DATE_NONE && P->to - a->last_contact > cfg->at_risk_contact_days)
		risk |= REFCTL_RISK_CONTACT;
	if (c->full)
		programs_add(p, f, a, opened, completed, declined, a->status == REFCTL_STATUS_ACTIVE && risk);
	if (a->status != REFCTL_STATUS_ACTIVE)
		return;
	if (risk) {
		f->nat_risk++;
		if (c->full) {
			struct refctl_report_risk *k;
			REFCTL__ARRAY_GROW(f->at_risk, (size_t)f->nat_risk, c->arisk);
			k = &f->at_risk[f->nat_risk - 1];
			k->id = refctl__strdup(a->id);
			k->name = refctl__strdup(a->name ? a->name : "");
			k->company = refctl__strdup(a->company ? a->company : "");
			k->reasons = risk;
			k->nps = a->nps;
			k->last_contact = a->last_contact;
		}
	}
	if (a->consent_until != REFCTL_DATE_NONE && a->consent_until > P->to &&
	    a->consent_until <= P->to + cfg->consent_warning_days) {
		f->nconsent++;
		if (c->full) {
			REFCTL__ARRAY_GROW(f->consent, (size_t)f->nconsent, c->aconsent);
			f->consent[f->nconsent - 1].id = refctl__strdup(a->id);
			f->consent[f->nconsent - 1].name = refctl__strdup(a->name ? a->name : "");
			f->consent[f->nconsent - 1].company = refctl__strdup(a->company ? a->company : "");
			f->consent[f->nconsent - 1].until = a->consent_until;
		}
	}
}

struct refctl_report *refctl_report_new(const struct refctl_config *cfg,
					const struct refctl_report_opts *opts)
{
	struct refctl_report *r = refctl__calloc(1, sizeof(*r));
	struct refctl_report_priv *p = refctl__calloc(1, sizeof(*p));
	r->priv = p;
	r->strings = refctl__calloc(1, sizeof(*r->strings));
	p->strings = r->strings;
	p->cfg = cfg;
	refctl_buf_init(&p->key);
	r->program = refctl__strdup(cfg->program ? cfg->program : "Customer reference program");
	memcpy(r->currency, cfg->currency[0] ? cfg->currency : "USD", 4);
	r->stamp = opts->stamp;
	r->raw_csv = opts->raw_csv;
	r->top_n = opts->top;
	r->max_rows = cfg->max_rows > 0 ? cfg->max_rows : 20;
	r->title = refctl__strdup("report");
	for (size_t i = 0; i < sizeof(default_key) / sizeof(default_key[0]); i++)
		r->key[r->nkey++] = (size_t)refctl_report_headline_find(default_key[i]);
	for (size_t i = 0; i < refctl_report_nheadlines && i < REFCTL_REPORT_MAXKEY; i++)
		r->heads[r->nheads++] = i;
	for (int k = 0; k < REFCTL_SECTION_COUNT; k++)
		r->sections[r->nsections++] = (unsigned char)k;
	if (opts->program && *opts->program) {
		struct refctl_buf b = REFCTL_BUF_INIT;
		refctl_vocab_norm(&b, opts->program);
		p->program = refctl_buf_detach(&b);
	}
	if (opts->region && *opts->region) {
		refctl_config_canon(&p->key, cfg, opts->region);
		p->region = refctl__strdup(p->key.ptr);
	}
	if (p->program || p->region) {
		struct refctl_buf b = REFCTL_BUF_INIT;
		if (p->program)
			refctl_buf_printf(&b, "program %s", p->program);
		if (p->region)
			refctl_buf_printf(&b, "%sregion %s", p->program ? ", " : "", p->region);
		r->filter = refctl_buf_detach(&b);
	}
	r->at_risk_nps = cfg->at_risk_nps;
	r->at_risk_contact_days = cfg->at_risk_contact_days;
	r->consent_warning_days = cfg->consent_warning_days;
	r->cur.period = opts->period;
	r->prev.period = refctl_period_previous(opts->period);
	r->months_from = refctl_date_add_months(refctl_date_month_start(opts->period.to), -11);
	for (int k = 0; k < 2; k++) {
		struct refctl_report_figures *f = k ? &r->prev : &r->cur;
		p->acc[k].f = f;
		p->acc[k].full = !k;
		p->acc[k].deals = refctl_deals_new();
		p->acc[k].referral_deals = refctl_deals_new();
		p->acc[k].created_deals = refctl_deals_new();
		p->acc[k].valued_deals = refctl_deals_new();
		f->quarter_start = refctl_date_quarter_start(f->period.to);
		f->consent_by = f->period.to + cfg->consent_warning_days;
	}
	return r;
}

int refctl_report_has_section(const struct refctl_report *r, enum refctl_report_section sec)
{
	for (size_t i = 0; i < r->nsections; i++)
		if (r->sections[i] == sec)
			return 1;
	return 0;
}

int refctl_report_set_audience(struct refctl_report *r, const struct refctl_config *cfg, const char *name)
{
	const struct refctl_audience *a = refctl_config_audience(cfg, name);

	if (!a) {
		struct refctl_buf names = REFCTL_BUF_INIT;
		int error;
		for (size_t i = 0; i < cfg->naudiences; i++)
			refctl_buf_printf(&names, "%s%s", i ? ", " : "", cfg->audiences[i].name);
		error = refctl__error(REFCTL_EUSAGE, "no audience '%s' in refctl.yaml (%s%s)", name,
				      cfg->naudiences ? "audiences: " : "it defines no audiences", names.ptr);
		refctl_buf_release(&names);
		return error;
	}
	if (a->nheadlines) {
		r->nkey = r->nheads = 0;
		for (size_t i = 0; i < a->nheadlines; i++) {
			long k = refctl_report_headline_find(a->headlines[i]);
			if (k < 0)
				return refctl__error_at(REFCTL_EINVALID, cfg->file ? cfg->file : "refctl.yaml",
							a->headline_line[i], a->headline_col[i],
							"audiences.%s.headlines: '%s' is not a headline figure (such as outcomes.win_rate; see the report's JSON)",
							a->name, a->headlines[i]);
			r->key[r->nkey++] = (size_t)k;
			r->heads[r->nheads++] = (size_t)k;
		}
	}
	if (a->nsections) {
		r->nsections = 0;
		for (size_t i = 0; i < a->nsections && r->nsections < REFCTL_SECTION_COUNT; i++)
			if (a->sections[i] >= 0 && a->sections[i] < REFCTL_SECTION_COUNT)
				r->sections[r->nsections++] = (unsigned char)a->sections[i];
	}
	free(r->audience);
	r->audience = refctl__strdup(a->name);
	if (a->title) {
		free(r->title);
		r->title = refctl__strdup(a->title);
	}
	if (a->program) {
		free(r->program);
		r->program = refctl__strdup(a->program);
	}
	return 0;
}

/* ---- the content library ---- */

struct refctl_report_content_acc {
	struct tally demand;   /* "product\tlang" -> n: active advocates using the product who speak it */
	struct tally supply;   /* "product\tlang" of the items */
	struct tally products; /* the products items are about */
	struct tally used;     /* kind -> uses in the period */
	size_t apub, aexp;
	struct refctl_buf key;
};

static void content_acc_free(struct refctl_report_content_acc *c)
{
	if (!c)
		return;
	tally_free(&c->demand);
	tally_free(&c->supply);
	tally_free(&c->products);
	tally_free(&c->used);
	refctl_buf_release(&c->key);
	free(c);
}

static void content_item_free(struct refctl_report_content_item *v, long n)
{
	for (long i = 0; v && i < n; i++) {
		free(v[i].id);
		free(v[i].kind);
		free(v[i].lang);
		free(v[i].title);
	}
	free(v);
}

static void counts_free(struct refctl_report_counts *c);

static void content_free(struct refctl_report_content *c)
{
	content_item_free(c->published_items, c->published);
	content_item_free(c->expiring_items, c->expiring);
	counts_free(&c->used_by_kind);
	for (size_t i = 0; i < c->ngaps; i++) {
		free(c->gaps[i].product);
		free(c->gaps[i].lang);
	}
	free(c->gaps);
	memset(c, 0, sizeof(*c));
}

static void content_item(struct refctl_report_content_item **v, long *n, size_t *alloc,
			 const struct refctl_content *c, refctl_date date)
{
	struct refctl_report_content_item *it;

	REFCTL__ARRAY_GROW(*v, (size_t)*n + 1, *alloc);
	it = &(*v)[(*n)++];
	it->id = refctl__strdup(c->id ? c->id : "");
	it->kind = refctl__strdup(c->kind ? c->kind : "");
	it->lang = refctl__strdup(c->lang ? c->lang : "");
	it->title = refctl__strdup(c->title ? c->title : "");
	it->date = date;
}

/* The day a use was made: a date as written, or the day of the request
 * id's token (ADVOCATE/YYMMDD-...), or the opened date of a request of the
 * file; NONE if none of these. */
static refctl_date use_day(const struct refctl_advocate *a, const char *used)
{
	const struct refctl_request *q;
	const char *t = strchr(used, '/');
	refctl_date d;
	char iso[11];

	if (refctl_date_parse(&d, used) == 0)
		return d;
	if (t && strlen(t + 1) == 15 && t[7] == '-') {
		snprintf(iso, sizeof(iso), "20%.2s-%.2s-%.2s", t + 1, t + 3, t + 5);
		if (refctl_date_parse(&d, iso) == 0)
			return d;
	}
	if ((q = refctl_advocate_request(a, used, NULL)))
		return q->opened;
	return REFCTL_DATE_NONE;
}

/* "product\tlang", normalised, into b; 0 when either is empty. */
static int pair_key(struct refctl_report_priv *p, struct refctl_buf *b, const char *product, const char *lang)
{
	if (!canon(p, product))
		return 0;
	refctl_buf_clear(b);
	refctl_buf_puts(b, p->key.ptr);
	refctl_buf_putc(b, '\t');
	refctl_vocab_norm(&p->key, lang);
	if (!p->key.size)
		return 0;
	refctl_buf_puts(b, p->key.ptr);
	return 1;
}

static void content_add(struct refctl_report *r, const struct refctl_advocate *a)
{
	struct refctl_report_priv *p = r->priv;
	struct refctl_report_content *rc = &r->content;
	struct refctl_report_content_acc *c;
	const struct refctl_period *per = &r->cur.period;

	if (!r->content_acc) {
		r->content_acc = refctl__calloc(1, sizeof(*r->content_acc));
		refctl_buf_init(&r->content_acc->key);
		rc->expiring_by = per->to + r->consent_warning_days;
	}
	c = r->content_acc;
	/* demand: what the active advocates use, in the languages they speak */
	if (a->status == REFCTL_STATUS_ACTIVE)
		for (size_t i = 0; i < a->products.n; i++)
			for (size_t l = 0; l < a->languages.n; l++)
				if (pair_key(p, &c->key, a->products.v[i], a->languages.v[l]))
					tally_get(&c->demand, c->key.ptr, c->key.size, NULL)->n++;
	for (size_t i = 0; i < a->ncontent; i++) {
		const struct refctl_content *it = &a->content[i];
		rc->items++;
		if (in_period(it->created, per))
			content_item(&rc->published_items, &rc->published, &c->apub, it, it->created);
		if (it->expires != REFCTL_DATE_NONE && it->expires > per->to && it->expires <= rc->expiring_by)
			content_item(&rc->expiring_items, &rc->expiring, &c->aexp, it, it->expires);
		for (size_t k = 0; k < it->used.n; k++)
			if (in_period(use_day(a, it->used.v[k]), per)) {
				rc->used++;
				bump(&c->used, it->kind ? it->kind : REFCTL_REPORT_NONE);
			}
		for (size_t k = 0; k < it->products.n; k++) {
			if (canon(p, it->products.v[k]))
				tally_get(&c->products, p->key.ptr, p->key.size, NULL)->n++;
			if (it->lang && pair_key(p, &c->key, it->products.v[k], it->lang))
				tally_get(&c->supply, c->key.ptr, c->key.size, NULL)->n++;
		}
	}
}

static int published_cmp(const void *pa, const void *pb)
{
	const struct refctl_report_content_item *a = pa, *b = pb;
	if (a->date != b->date)
		return a->date > b->date ? -1 : 1;
	return strcmp(a->id, b->id);
}

static int expiring_cmp(const void *pa, const void *pb)
{
	const struct refctl_report_content_item *a = pa, *b = pb;
	if (a->date != b->date)
		return a->date < b->date ? -1 : 1;
	return strcmp(a->id, b->id);
}

static int gap_cmp(const void *pa, const void *pb)
{
	const struct refctl_report_gap *a = pa, *b = pb;
	int c;
	if (a->advocates != b->advocates)
		return a->advocates > b->advocates ? -1 : 1;
	if ((c = strcmp(a->product, b->product)) != 0)
		return c;
	return strcmp(a->lang, b->lang);
}

static void content_finish(struct refctl_report *r)
{
	struct refctl_report_content_acc *c = r->content_acc;
	struct refctl_report_content *rc = &r->content;
	size_t agaps = 0;

	if (!c)
		return;
	if (rc->published > 1)
		qsort(rc->published_items, (size_t)rc->published, sizeof(*rc->published_items), published_cmp);
	if (rc->expiring > 1)
		qsort(rc->expiring_items, (size_t)rc->expiring, sizeof(*rc->expiring_items), expiring_cmp);
	tally_to_counts(&c->used, &rc->used_by_kind);
	for (size_t i = 0; i < c->demand.cap; i++) {
		const struct tally_entry *e = &c->demand.v[i];
		const char *tab;
		char product[256];
		if (!e->key || tally_find(&c->supply, e->key) || !(tab = strchr(e->key, '\t')) ||
		    (size_t)(tab - e->key) >= sizeof(product))
			continue;
		memcpy(product, e->key, (size_t)(tab - e->key));
		product[tab - e->key] = '\0';
		if (!tally_find(&c->products, product))
			continue; /* no content for the product at all: not a translation gap */
		REFCTL__ARRAY_GROW(rc->gaps, rc->ngaps + 1, agaps);
		rc->gaps[rc->ngaps].product = refctl__strdup(product);
		rc->gaps[rc->ngaps].lang = refctl__strdup(tab + 1);
		rc->gaps[rc->ngaps++].advocates = e->n;
	}
	if (rc->ngaps > 1)
		qsort(rc->gaps, rc->ngaps, sizeof(*rc->gaps), gap_cmp);
	content_acc_free(c);
	r->content_acc = NULL;
}

/* 1 if a passes the report's --program and --region. */
static int selected(struct refctl_report_priv *p, const char *const *programs, size_t nprograms, const char *region)
{
	int in = !p->program;

	for (size_t i = 0; i < nprograms && !in; i++)
		in = refctl_vocab_eq(programs[i], p->program);
	if (in && p->region) {
		in = region && canon(p, region) && !strcmp(p->key.ptr, p->region);
	}
	return in;
}

void refctl_report_add(struct refctl_report *r, const struct refctl_advocate *a)
{
	struct refctl_report_priv *p = r->priv;

	if (!p || !a->id || !selected(p, a->programs.v, a->programs.n, a->region))
		return;
	p->serial++;
	if (a->status == REFCTL_STATUS_ACTIVE) {
		if (canon(p, a->industry))
			tally_get(&p->ind_supply, p->key.ptr, p->key.size, NULL)->n++;
		for (size_t i = 0; i < a->products.n; i++) {
			struct tally_entry *e;
			if (!canon(p, a->products.v[i]))
				continue;
			e = tally_get(&p->prod_supply, p->key.ptr, p->key.size, NULL);
			if (e->mark != p->serial) { /* a product listed twice counts once */
				e->mark = p->serial;
				e->n++;
			}
		}
	}
	acc_add(r, &p->acc[0], a);
	acc_add(r, &p->acc[1], a);
	content_add(r, a);
}

void refctl_report_add_left_out(struct refctl_report *r)
{
	r->left_out++;
}

/* A file as a commit left it: its map (NULL when it is not one), for
 * classifying the change. */
struct version {
	struct refctl_yaml_docs docs;
	const struct refctl_node *map;
};

static void version_load(struct version *v, const char *data, size_t len)
{
	memset(v, 0, sizeof(*v));
	if (!data || refctl_yaml_load(&v->docs, "", data, len, 0) < 0) {
		refctl_error_clear();
		memset(&v->docs, 0, sizeof(v->docs));
		return;
	}
	if (v->docs.n && v->docs.v[0]->kind == REFCTL_NODE_MAP)
		v->map = v->docs.v[0];
}

static const char *version_str(const struct version *v, const char *key)
{
	const struct refctl_node *n = v->map ? refctl_node_get(v->map, key) : NULL;
	return n && n->kind == REFCTL_NODE_SCALAR && !refctl_yaml_is_null(n) ? n->str : NULL;
}

static int node_equal(const struct refctl_node *a, const struct refctl_node *b)
{
	if (a->kind != b->kind || a->n != b->n)
		return 0;
	if (a->kind == REFCTL_NODE_SCALAR)
		return a->len == b->len && !memcmp(a->str, b->str, a->len);
	for (size_t i = 0; i < a->n; i++)
		if (!node_equal(a->items[i], b->items[i]))
			return 0;
	return 1;
}

/* The lists that record activity with the advocate, not the advocate: a
 * request approved, a referral won, a quote added or approved. (What a
 * history summary records depends on this: lib/history.c's VERSION.) */
static int activity_key(const char *key)
{
	return !strcmp(key, "requests") || !strcmp(key, "referrals") || !strcmp(key, "rewards") ||
	       !strcmp(key, "content");
}

/* 1 if the two maps differ, and only in their activity lists. */
static int only_activity(const struct refctl_node *a, const struct refctl_node *b)
{
	size_t na = 0, nb = 0;

	if (!a || !b || node_equal(a, b))
		return 0;
	for (size_t i = 0; i + 1 < a->n; i += 2) {
		const struct refctl_node *o;
		if (activity_key(a->items[i]->str))
			continue;
		na++;
		if (!(o = refctl_node_get(b, a->items[i]->str)) || !node_equal(a->items[i + 1], o))
			return 0;
	}
	for (size_t i = 0; i + 1 < b->n; i += 2)
		nb += !activity_key(b->items[i]->str);
	return na == nb;
}

static void version_release(struct version *v)
{
	if (v->docs.n || v->docs.v)
		refctl_yaml_docs_release(&v->docs);
}

/*
 * What the report needs of one change, and all it keeps of it: its kind,
 * the advocate's name and company as the commit left the file (or as it
 * was, when removed), and each side's programs and region for --program
 * and --region. This is what the history cache keeps of a commit (one
 * summary per changed file), so a commit seen before costs no blob and no
 * parse.
 */
#define SIDE_PROGRAMS 64
struct side {
	int map; /* the file was an advocate's map */
	const char *region;
	const char *programs[SIDE_PROGRAMS];
	size_t nprograms;
};

struct summary {
	int kind;
	const char *id, *name, *company;
	struct side before, after;
};

static void side_of(struct side *sd, const struct version *v)
{
	const struct refctl_node *l = v->map ? refctl_node_get(v->map, "programs") : NULL;

	memset(sd, 0, sizeof(*sd));
	sd->map = v->map != NULL;
	sd->region = version_str(v, "region");
	for (size_t i = 0; l && l->kind == REFCTL_NODE_SEQ && i < l->n && sd->nprograms < SIDE_PROGRAMS; i++)
		if (l->items[i]->kind == REFCTL_NODE_SCALAR)
			sd->programs[sd->nprograms++] = l->items[i]->str;
}

/* The summary of a change (pointing into before and after). */
static void summarise(struct summary *sm, const char *id, int added, int removed, const struct version *before,
		      const struct version *after)
{
	const char *st;
	const struct version *v = !removed ? after : before;

	sm->id = id;
	if (added)
		sm->kind = REFCTL_CHANGE_ADDED;
	else if (removed)
		sm->kind = REFCTL_CHANGE_REMOVED;
	else if ((st = version_str(after, "status")) && !strcmp(st, "retired") &&
		 !((st = version_str(before, "status")) && !strcmp(st, "retired")))
		sm->kind = REFCTL_CHANGE_RETIRED;
	else if (only_activity(before->map, after->map))
		sm->kind = REFCTL_CHANGE_REQUESTS;
	else
		sm->kind = REFCTL_CHANGE_EDITED;
	sm->name = version_str(v, "name");
	sm->company = version_str(v, "company");
	side_of(&sm->before, before);
	side_of(&sm->after, after);
}

/* 1 if the file as a commit left it passes --program and --region. */
static int side_selected(struct refctl_report_priv *p, const struct side *sd)
{
	return sd->map && selected(p, sd->programs, sd->nprograms, sd->region);
}

/* ---- a summary's bytes in the history cache ---- */

/* A string: its length in one byte (254 or more: 254 then 4 bytes; 255:
 * none), its bytes, a NUL. */
static void put_str(struct refctl_buf *b, const char *s)
{
	uint32_t len = s ? (uint32_t)strlen(s) : 0;

	if (!s) {
		refctl_buf_putc(b, (char)255);
		return;
	}
	if (len < 254) {
		refctl_buf_putc(b, (char)len);
	} else {
		refctl_buf_putc(b, (char)254);
		refctl_buf_put(b, &len, 4);
	}
	refctl_buf_put(b, s, (size_t)len + 1);
}

static int side_equal(const struct side *a, const struct side *b)
{
	if (a->map != b->map || a->nprograms != b->nprograms || !a->region != !b->region ||
	    (a->region && strcmp(a->region, b->region)))
		return 0;
	for (size_t i = 0; i < a->nprograms; i++)
		if (strcmp(a->programs[i], b->programs[i]))
			return 0;
	return 1;
}

/* A side: 0 or 1 (its map), its region and programs; 2: as the side
 * before (same is not NULL and equal). */
static void put_side(struct refctl_buf *b, const struct side *sd, const struct side *same)
{
	if (same && side_equal(sd, same)) {
		refctl_buf_putc(b, 2);
		return;
	}
	refctl_buf_putc(b, (char)sd->map);
	put_str(b, sd->region);
	refctl_buf_putc(b, (char)sd->nprograms);
	for (size_t i = 0; i < sd->nprograms; i++)
		put_str(b, sd->programs[i]);
}

static void put_summary(struct refctl_buf *b, const struct summary *sm)
{
	refctl_buf_putc(b, (char)sm->kind);
	put_str(b, sm->id);
	put_str(b, sm->name);
	put_str(b, sm->company);
	put_side(b, &sm->before, NULL);
	put_side(b, &sm->after, &sm->before);
}

struct reader {
	const char *p, *end;
	int bad;
};

static unsigned get_byte(struct reader *r)
{
	if (r->bad || r->p >= r->end) {
		r->bad = 1;
		return 0;
	}
	return (unsigned char)*r->p++;
}

static const char *get_str(struct reader *r)
{
	uint32_t len = get_byte(r);
	const char *s;

	if (r->bad || len == 255)
		return NULL;
	if (len == 254) {
		if (r->end - r->p < 4) {
			r->bad = 1;
			return NULL;
		}
		memcpy(&len, r->p, 4);
		r->p += 4;
	}
	if ((size_t)(r->end - r->p) <= (size_t)len || r->p[len] != '\0' || memchr(r->p, '\0', len)) {
		r->bad = 1;
		return NULL;
	}
	s = r->p;
	r->p += (size_t)len + 1;
	return s;
}

static void get_side(struct reader *r, struct side *sd, const struct side *same)
{
	unsigned map = get_byte(r);

	if (map == 2 && same) {
		*sd = *same;
		return;
	}
	memset(sd, 0, sizeof(*sd));
	sd->map = (int)map;
	sd->region = get_str(r);
	sd->nprograms = get_byte(r);
	if (map > 1 || sd->nprograms > SIDE_PROGRAMS)
		r->bad = 1;
	for (size_t i = 0; i < sd->nprograms && !r->bad; i++)
		if (!(sd->programs[i] = get_str(r)))
			r->bad = 1;
}

static void get_summary(struct reader *r, struct summary *sm)
{
	sm->kind = (int)get_byte(r);
	sm->id = get_str(r);
	sm->name = get_str(r);
	sm->company = get_str(r);
	get_side(r, &sm->before, NULL);
	get_side(r, &sm->after, &sm->before);
	if (sm->kind >= REFCTL_CHANGE_NKINDS || !sm->id || !*sm->id)
		r->bad = 1;
}

/* The period a commit time falls in (its accumulator), or NULL. */
static struct acc *acc_at(struct refctl_report_priv *p, int64_t time)
{
	struct acc *c = NULL;

	for (int k = 0; k < 2; k++) {
		const struct refctl_period *P = &p->acc[k].f->period;
		if (time >= (int64_t)P->from * 86400 && time < ((int64_t)P->to + 1) * 86400)
			c = &p->acc[k];
	}
	return c;
}

/* The committer's name, kept once in the report's strings. */
static const char *committer(struct refctl_report_priv *p, const char *by)
{
	int created;
	struct tally_entry *e = tally_get(&p->committers, by, strlen(by), &created);

	if (created) {
		REFCTL__ARRAY_GROW(p->committer, p->ncommitter + 1, p->acommitter);
		e->mark = p->ncommitter;
		p->committer[p->ncommitter++] = pool_strdup(p->strings, by);
	}
	return p->committer[e->mark];
}

/* Count a summarised change of a commit at time by committer by. */
static void add_summary(struct refctl_report_priv *p, struct acc *c, const struct summary *sm, const char *by)
{
	struct refctl_report_roster *ro, *list;
	const char *who;
	size_t at, n = c->f->nroster[sm->kind];

	if ((p->program || p->region) && !side_selected(p, &sm->before) && !side_selected(p, &sm->after))
		return;
	at = roster_find(&c->roster[sm->kind], c->f->roster[sm->kind], n, sm->id);
	if (at == n) {
		REFCTL__ARRAY_GROW(c->f->roster[sm->kind], n + 1, c->aroster[sm->kind]);
		list = c->f->roster[sm->kind];
		ro = &list[at];
		memset(ro, 0, sizeof(*ro));
		ro->id = pool_strdup(p->strings, sm->id);
		if (sm->name) {
			size_t ln = strlen(sm->name), lc = sm->company ? strlen(sm->company) : 0;
			ro->name = pool_alloc(p->strings, ln + (sm->company ? 2 + lc : 0) + 1);
			memcpy(ro->name, sm->name, ln);
			if (sm->company) {
				memcpy(ro->name + ln, ", ", 2);
				memcpy(ro->name + ln + 2, sm->company, lc);
				ln += 2 + lc;
			}
			ro->name[ln] = '\0';
		}
		c->f->nroster[sm->kind]++;
		roster_index_add(&c->roster[sm->kind], list, at);
	}
	ro = &c->f->roster[sm->kind][at];
	ro->commits++;
	who = committer(p, by);
	for (size_t i = 0; i < ro->nby; i++)
		if (ro->by[i] == who)
			return;
	/* the list's room is nby rounded up to a power of two */
	if (!(ro->nby & (ro->nby - 1))) {
		char **by2 = pool_alloc(p->strings, (ro->nby ? 2 * ro->nby : 1) * sizeof(*by2));
		if (ro->nby)
			memcpy(by2, ro->by, ro->nby * sizeof(*by2));
		ro->by = by2;
	}
	ro->by[ro->nby++] = (char *)who;
}

/* Summarise a change and count it; its summary's bytes into keep when
 * not NULL (for the history cache). */
static void add_change(struct refctl_report_priv *p, struct acc *c, const struct refctl_change *ch,
		       struct refctl_buf *keep)
{
	struct version before, after;
	struct summary sm;

	version_load(&before, ch->old_data, ch->old_len);
	version_load(&after, ch->new_data, ch->new_len);
	summarise(&sm, ch->id, !ch->old_data, !ch->new_data, &before, &after);
	if (c)
		add_summary(p, c, &sm, ch->author ? ch->author : "");
	if (keep)
		put_summary(keep, &sm);
	version_release(&before);
	version_release(&after);
}

void refctl_report_history_window(const struct refctl_report *r, int64_t *from, int64_t *to)
{
	*from = (int64_t)r->prev.period.from * 86400;
	*to = ((int64_t)r->cur.period.to + 1) * 86400;
}

int refctl_report_add_change(struct refctl_report *r, const struct refctl_change *ch)
{
	struct refctl_report_priv *p = r->priv;
	struct acc *c;

	if (p && (c = acc_at(p, ch->time)))
		add_change(p, c, ch, NULL);
	return 0;
}

static int str_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every list of per-advocate entries starts with the id: sort by it. */
static int id_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Consent expiring: the soonest first, then by id. */
static int consent_cmp(const void *pa, const void *pb)
{
	const struct refctl_report_consent *a = pa, *b = pb;
	if (a->until != b->until)
		return a->until < b->until ? -1 : 1;
	return strcmp(a->id, b->id);
}

static int cover_cmp(const void *pa, const void *pb)
{
	const struct refctl_report_cover *a = pa, *b = pb;
	int na = isnan(a->per_advocate), nb = isnan(b->per_advocate);

	if (na != nb)
		return na ? -1 : 1; /* no active advocate at all: the worst gap */
	if (!na && a->per_advocate != b->per_advocate)
		return a->per_advocate > b->per_advocate ? -1 : 1;
	if (a->requests != b->requests)
		return a->requests > b->requests ? -1 : 1;
	return strcmp(a->key, b->key);
}

static void coverage(const struct tally *demand, const struct tally *supply,
		     struct refctl_report_cover **out, size_t *n)
{
	*out = refctl__calloc(demand->n ? demand->n : 1, sizeof(**out));
	*n = 0;
	for (size_t i = 0; i < demand->cap; i++) {
		const struct tally_entry *d = &demand->v[i], *s;
		struct refctl_report_cover *c;
		if (!d->key)
			continue;
		s = tally_find(supply, d->key);
		c = &(*out)[(*n)++];
		c->key = refctl__strdup(d->key);
		c->requests = d->n;
		c->declined = d->m;
		c->advocates = s ? s->n : 0;
		c->per_advocate = c->advocates ? (double)c->requests / (double)c->advocates : NAN;
	}
	if (*n > 1)
		qsort(*out, *n, sizeof(**out), cover_cmp);
}

static void acc_finish(struct refctl_report_priv *p, struct acc *c)
{
	struct refctl_report_figures *f = c->f;

	f->fulfilment_rate = refctl_report_rate(f->completed, f->completed + f->declined);
	f->median_days = refctl_report_median(c->days, c->ndays);
	f->win_rate = refctl_report_rate(f->won, f->won + f->lost);
	f->revenue = refctl_deals_total(c->deals);
	f->referrals_value = refctl_deals_total(c->referral_deals);
	f->value_created = refctl_deals_total(c->created_deals);
	f->value_account = (double)c->account_cents / 100.0;
	f->value_ratio = refctl_value_ratio(refctl_deals_cents(c->valued_deals), c->account_cents);
	f->utilisation = refctl_report_rate(f->used, f->active);
	if (c->full) {
		tally_to_counts(&c->by_activity, &f->by_activity);
		tally_to_counts(&c->by_region, &f->by_region);
		tally_to_counts(&c->by_industry, &f->by_industry);
		tally_to_counts(&c->by_requester, &f->by_requester);
		coverage(&c->ind_demand, &p->ind_supply, &f->industries, &f->nindustries);
		coverage(&c->prod_demand, &p->prod_supply, &f->products, &f->nproducts);
		if (f->noverused > 1)
			qsort(f->overused, (size_t)f->noverused, sizeof(*f->overused), id_cmp);
		if (f->nat_risk > 1)
			qsort(f->at_risk, (size_t)f->nat_risk, sizeof(*f->at_risk), id_cmp);
		if (f->nconsent > 1)
			qsort(f->consent, (size_t)f->nconsent, sizeof(*f->consent), consent_cmp);
	}
	for (int k = 0; k < REFCTL_CHANGE_NKINDS; k++) {
		f->changes[k] = (long)f->nroster[k];
		if (f->nroster[k] > 1)
			qsort(f->roster[k], f->nroster[k], sizeof(*f->roster[k]), id_cmp);
		for (size_t i = 0; i < f->nroster[k]; i++)
			if (f->roster[k][i].nby > 1)
				qsort(f->roster[k][i].by, f->roster[k][i].nby, sizeof(char *), str_cmp);
	}
}

static void acc_release(struct acc *c)
{
	tally_free(&c->by_activity);
	tally_free(&c->by_region);
	tally_free(&c->by_industry);
	tally_free(&c->by_requester);
	tally_free(&c->ind_demand);
	tally_free(&c->prod_demand);
	for (int k = 0; k < REFCTL_CHANGE_NKINDS; k++)
		roster_index_free(&c->roster[k]);
	refctl_deals_free(c->deals);
	refctl_deals_free(c->referral_deals);
	refctl_deals_free(c->created_deals);
	refctl_deals_free(c->valued_deals);
	free(c->days);
	memset(c, 0, sizeof(*c));
}

static void priv_free(struct refctl_report_priv *p)
{
	if (!p)
		return;
	acc_release(&p->acc[0]);
	acc_release(&p->acc[1]);
	tally_free(&p->ind_supply);
	tally_free(&p->prod_supply);
	tally_free(&p->programs);
	for (size_t i = 0; i < p->nprog; i++) {
		if (p->prog[i].row) {
			free(p->prog[i].row->name);
			free(p->prog[i].row);
		}
		refctl_deals_free(p->prog[i].deals);
	}
	free(p->prog);
	free(p->program);
	free(p->region);
	refctl_buf_release(&p->key);
	tally_free(&p->committers);
	free(p->committer);
	free(p);
}

static int program_cmp(const void *pa, const void *pb)
{
	const struct refctl_report_program *a = pa, *b = pb;
	if (a->advocates != b->advocates)
		return a->advocates > b->advocates ? -1 : 1;
	return strcmp(a->name, b->name);
}

/* The comparison of programs into the figures (the rows move there). */
static void programs_finish(struct refctl_report_priv *p, struct refctl_report_figures *f)
{
	f->programs = refctl__calloc(p->nprog ? p->nprog : 1, sizeof(*f->programs));
	for (size_t i = 0; i < p->nprog; i++) {
		struct refctl_report_program *row = &f->programs[f->nprograms++];
		*row = *p->prog[i].row;
		row->fulfilment = refctl_report_rate(row->completed, row->completed + row->declined);
		row->revenue = refctl_deals_total(p->prog[i].deals);
		free(p->prog[i].row);
		p->prog[i].row = NULL;
	}
	if (f->nprograms > 1)
		qsort(f->programs, f->nprograms, sizeof(*f->programs), program_cmp);
}

void refctl_report_finish(struct refctl_report *r)
{
	if (!r->priv)
		return;
	acc_finish(r->priv, &r->priv->acc[0]);
	acc_finish(r->priv, &r->priv->acc[1]);
	programs_finish(r->priv, &r->cur);
	content_finish(r);
	priv_free(r->priv);
	r->priv = NULL;
}

static void counts_free(struct refctl_report_counts *c)
{
	for (size_t i = 0; i < c->n; i++)
		free(c->v[i].key);
	free(c->v);
}

static void figures_free(struct refctl_report_figures *f)
{
	counts_free(&f->by_activity);
	counts_free(&f->by_region);
	counts_free(&f->by_industry);
	counts_free(&f->by_requester);
	for (size_t i = 0; i < f->ntop; i++) {
		free(f->top[i].id);
		free(f->top[i].name);
		free(f->top[i].company);
	}
	free(f->top);
	for (size_t i = 0; i < f->ntop_value; i++) {
		free(f->top_value[i].id);
		free(f->top_value[i].name);
		free(f->top_value[i].company);
	}
	free(f->top_value);
	for (long i = 0; f->overused && i < f->noverused; i++) {
		free(f->overused[i].id);
		free(f->overused[i].name);
		free(f->overused[i].company);
	}
	free(f->overused);
	for (long i = 0; f->at_risk && i < f->nat_risk; i++) {
		free(f->at_risk[i].id);
		free(f->at_risk[i].name);
		free(f->at_risk[i].company);
	}
	free(f->at_risk);
	for (long i = 0; f->consent && i < f->nconsent; i++) {
		free(f->consent[i].id);
		free(f->consent[i].name);
		free(f->consent[i].company);
	}
	free(f->consent);
	for (size_t i = 0; i < f->nindustries; i++)
		free(f->industries[i].key);
	free(f->industries);
	for (size_t i = 0; i < f->nproducts; i++)
		free(f->products[i].key);
	free(f->products);
	for (size_t i = 0; i < f->nprograms; i++)
		free(f->programs[i].name);
	free(f->programs);
	/* the change lists' strings are the report's (r->strings) */
	for (int k = 0; k < REFCTL_CHANGE_NKINDS; k++)
		free(f->roster[k]);
}

void refctl_report_free(struct refctl_report *r)
{
	if (!r)
		return;
	priv_free(r->priv);
	content_acc_free(r->content_acc);
	content_free(&r->content);
	figures_free(&r->cur);
	figures_free(&r->prev);
	pool_free(r->strings);
	free(r->program);
	free(r->audience);
	free(r->title);
	free(r->filter);
	free(r);
}

/* ---- from a store ---- */

struct walk_ctx {
	struct refctl_report *r;
	const struct refctl_report_opts *opts;
};

static int visit(const struct refctl_record *rec, void *payload)
{
	struct walk_ctx *w = payload;
	refctl_report_add(w->r, &rec->a);
	return 0;
}

static void visit_bad(const char *file, const char *error, void *payload)
{
	struct walk_ctx *b = payload;
	refctl_report_add_left_out(b->r);
	if (b->opts->bad)
		b->opts->bad(file, error, b->opts->payload);
}

/* The roster changes, a commit at a time, through the history cache: a
 * commit summarised before is counted from its summary; another is
 * diffed, and its summary kept for the next time. */
struct changes_ctx {
	struct refctl_report *r;
	struct refctl__hcache *cache;
	struct refctl_buf keep; /* the summaries of the commit being diffed, not yet in the cache */
	struct acc *acc;        /* its period's accumulator, or NULL */
};

/* What the cache keeps of a commit: a 0 byte (the format), then the
 * summary of each changed file, as many as fill it. */
#define KEEP_FLUSH ((size_t)64 << 10)

/* Count the cached summary of a commit; 1 if there was one (valid). */
static int replay(struct changes_ctx *x, const struct refctl_change *ch)
{
	struct refctl_report_priv *p = x->r->priv;
	struct reader rd;
	struct summary sm;
	const char *data;
	size_t len;

	if (!refctl__hcache_get(x->cache, ch->commit, &data, &len) || len < 1 || data[0] != 0)
		return 0;
	rd.p = data + 1;
	rd.end = data + len;
	rd.bad = 0;
	/* a summary that does not read back whole is not used at all */
	while (rd.p < rd.end && !rd.bad)
		get_summary(&rd, &sm);
	if (rd.bad)
		return 0;
	rd.p = data + 1;
	while (x->acc && rd.p < rd.end) {
		get_summary(&rd, &sm);
		add_summary(p, x->acc, &sm, ch->author ? ch->author : "");
	}
	return 1;
}

static int change_begin(const struct refctl_change *ch, void *payload)
{
	struct changes_ctx *x = payload;

	x->acc = x->r->priv ? acc_at(x->r->priv, ch->time) : NULL;
	if (replay(x, ch))
		return 1;
	refctl__hcache_begin(x->cache, ch->commit);
	refctl_buf_clear(&x->keep);
	refctl_buf_putc(&x->keep, 0);
	return 0;
}

static int change_one(const struct refctl_change *ch, void *payload)
{
	struct changes_ctx *x = payload;

	if (x->r->priv)
		add_change(x->r->priv, x->acc, ch, &x->keep);
	/* a commit of the whole roster: its summary goes to the cache as it comes */
	if (x->keep.size >= KEEP_FLUSH) {
		refctl__hcache_append(x->cache, x->keep.ptr, x->keep.size);
		refctl_buf_clear(&x->keep);
	}
	return 0;
}

static int change_end(const struct refctl_change *ch, void *payload)
{
	struct changes_ctx *x = payload;

	if (!x->r->priv)
		return 0;
	refctl__hcache_append(x->cache, x->keep.ptr, x->keep.size);
	refctl__hcache_end(x->cache);
	refctl_buf_clear(&x->keep);
	return 0;
}

static int report_changes(struct refctl_report *r, struct refctl_store *s, int64_t from, int64_t to)
{
	struct changes_ctx x = { r, NULL, REFCTL_BUF_INIT, NULL };
	struct refctl_changes_cb cb = { change_begin, change_one, change_end, &x };
	struct refctl_buf path = REFCTL_BUF_INIT, identity = REFCTL_BUF_INIT;
	int error;

	if (!refctl__no_cache() && refctl_store_history_cache(&path, &identity, s) == 0) {
		refctl_buf_puts(&identity, " report-summaries=3");
		x.cache = refctl__hcache_open(path.ptr, identity.ptr);
	}
	if ((error = refctl_store_changes_cb(s, from, to, &cb)) == 0)
		refctl__hcache_save(x.cache);
	refctl__hcache_free(x.cache);
	refctl_buf_release(&x.keep);
	refctl_buf_release(&path);
	refctl_buf_release(&identity);
	return error;
}

int refctl_report_compute(struct refctl_report **out, struct refctl_store *s,
			  const struct refctl_report_opts *opts)
{
	struct refctl_report *r;
	struct walk_ctx w;
	int64_t from, to;
	int error;

	*out = NULL;
	if (opts->period.from == REFCTL_DATE_NONE || opts->period.to == REFCTL_DATE_NONE ||
	    opts->period.from > opts->period.to)
		return refctl__error(REFCTL_EUSAGE, "the report period is empty");
	r = refctl_report_new(refctl_store_config(s), opts);
	if (opts->audience && (error = refctl_report_set_audience(r, refctl_store_config(s), opts->audience)) < 0)
		goto done;
	w.r = r;
	w.opts = opts;
	if ((error = refctl_store_foreach(s, visit, visit_bad, &w)) < 0)
		goto done;
	refctl_report_history_window(r, &from, &to);
	if ((error = report_changes(r, s, from, to)) < 0)
		goto done;
	refctl_report_finish(r);
done:
	if (error < 0)
		refctl_report_free(r);
	else
		*out = r;
	return error;
}

/* ---- advocate value over the store ---- */

struct value_ctx {
	struct refctl_value_list *l;
	const struct refctl_value_opts *o;
	struct refctl_deals *influenced, *referrals, *created, *valued;
	size_t alloc;
};

static int value_visit(const struct refctl_record *rec, void *payload)
{
	struct value_ctx *c = payload;
	const struct refctl_advocate *a = &rec->a;
	struct refctl_value_entry *e;
	struct refctl_advocate_value v;

	if (!a->id || (c->o->advocate && strcmp(c->o->advocate, a->id)))
		return 0;
	refctl_value_feed(c->influenced, c->referrals, c->created, a, &c->l->period);
	if (a->account_value != REFCTL_MONEY_NONE && a->account_value > 0) {
		c->l->nvalued++;
		if (__builtin_add_overflow(c->l->account_value, a->account_value, &c->l->account_value))
			c->l->account_value = INT64_MAX;
		refctl_value_feed(NULL, NULL, c->valued, a, &c->l->period);
	}
	refctl_advocate_value(&v, a, &c->l->period);
	if (!v.created && !c->o->all && !c->o->advocate)
		return 0;
	REFCTL__ARRAY_GROW(c->l->v, c->l->n + 1, c->alloc);
	e = &c->l->v[c->l->n++];
	e->id = refctl__strdup(a->id);
	e->name = refctl__strdup(a->name ? a->name : "");
	e->company = refctl__strdup(a->company ? a->company : "");
	e->v = v;
	return 0;
}

static void value_bad(const char *file, const char *error, void *payload)
{
	struct value_ctx *c = payload;
	c->l->left_out++;
	if (c->o->bad)
		c->o->bad(file, error, c->o->payload);
}

static int value_entry_cmp(const void *pa, const void *pb)
{
	const struct refctl_value_entry *a = pa, *b = pb;
	if (a->v.created != b->v.created)
		return a->v.created > b->v.created ? -1 : 1;
	return strcmp(a->id, b->id);
}

void refctl_value_list_free(struct refctl_value_list *l)
{
	if (!l)
		return;
	for (size_t i = 0; i < l->n; i++) {
		free(l->v[i].id);
		free(l->v[i].name);
		free(l->v[i].company);
	}
	free(l->v);
	free(l);
}

int refctl_value_compute(struct refctl_value_list **out, struct refctl_store *s, const struct refctl_value_opts *o)
{
	struct value_ctx c = { NULL, o, refctl_deals_new(), refctl_deals_new(), refctl_deals_new(), refctl_deals_new(),
			       0 };
	int error = 0;

	*out = NULL;
	if (o->period.from == REFCTL_DATE_NONE || o->period.to == REFCTL_DATE_NONE || o->period.from > o->period.to) {
		error = refctl__error(REFCTL_EUSAGE, "the period is empty");
		goto done;
	}
	c.l = refctl__calloc(1, sizeof(*c.l));
	c.l->period = o->period;
	if (o->advocate) {
		struct refctl_record *rec = NULL;
		if ((error = refctl_store_load(s, o->advocate, &rec)) < 0)
			goto done;
		value_visit(rec, &c);
		refctl_record_free(rec);
	} else if ((error = refctl_store_foreach(s, value_visit, value_bad, &c)) < 0) {
		goto done;
	}
	if (c.l->n > 1)
		qsort(c.l->v, c.l->n, sizeof(*c.l->v), value_entry_cmp);
	c.l->influenced = refctl_deals_cents(c.influenced);
	c.l->referrals = refctl_deals_cents(c.referrals);
	c.l->created = refctl_deals_cents(c.created);
	c.l->ratio = refctl_value_ratio(refctl_deals_cents(c.valued), c.l->account_value);
	*out = c.l;
	c.l = NULL;
done:
	refctl_value_list_free(c.l);
	refctl_deals_free(c.influenced);
	refctl_deals_free(c.referrals);
	refctl_deals_free(c.created);
	refctl_deals_free(c.valued);
	return error;
}
