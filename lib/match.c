/*
 * Matching: availability (avail.c), relevance against a prospect, and a
 * deterministic ranking kept in a bounded heap so memory does not grow
 * with the number of advocates.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "refctl/buf.h"
#include "refctl/match.h"
#include "util.h"

/* ---- the prospect ---- */

static const struct {
	const char *key;
	int crit; /* enum refctl_criterion, or -1 for the activity */
} prospect_keys[] = {
	{ "industry", REFCTL_CRIT_INDUSTRY },
	{ "region", REFCTL_CRIT_REGION },
	{ "country", REFCTL_CRIT_COUNTRY },
	{ "language", REFCTL_CRIT_LANGUAGE },
	{ "segment", REFCTL_CRIT_SEGMENT },
	{ "products", REFCTL_CRIT_PRODUCT },
	{ "use_cases", REFCTL_CRIT_USE_CASE },
	{ "activity", -1 },
};
#define NKEYS (sizeof(prospect_keys) / sizeof(prospect_keys[0]))

int refctl_criterion_is_list(enum refctl_criterion c)
{
	return c == REFCTL_CRIT_USE_CASE || c == REFCTL_CRIT_PRODUCT;
}

void refctl_prospect_clear(struct refctl_prospect *p, enum refctl_criterion c)
{
	struct refctl_vocab *v = &p->values[c];
	for (size_t i = 0; i < v->n; i++)
		free(v->v[i]);
	free(v->v);
	v->v = NULL;
	v->n = 0;
}

static int check_segment(const char *value)
{
	for (int i = 0; refctl_segments[i]; i++)
		if (refctl_vocab_eq(refctl_segments[i], value))
			return 0;
	return refctl__error(REFCTL_EINVALID, "segment must be smb, mid-market or enterprise, not '%s'", value);
}

int refctl_prospect_add(struct refctl_prospect *p, enum refctl_criterion c, const char *value)
{
	struct refctl_vocab *v = &p->values[c];
	int error;

	if (!*value)
		return refctl__error(REFCTL_EINVALID, "%s needs a value", refctl_criterion_names[c]);
	if (strchr(value, '\n'))
		return refctl__error(REFCTL_EINVALID, "%s must be a single line", refctl_criterion_names[c]);
	if (c == REFCTL_CRIT_SEGMENT && (error = check_segment(value)) < 0)
		return error;
	if (!refctl_criterion_is_list(c))
		refctl_prospect_clear(p, c);
	v->v = refctl__realloc(v->v, (v->n + 1) * sizeof(*v->v));
	v->v[v->n++] = refctl__strdup(value);
	return 0;
}

int refctl_prospect_set_activity(struct refctl_prospect *p, const char *activity)
{
	int error;

	if (activity && (error = refctl_activity_check(activity)) < 0)
		return error;
	free(p->activity);
	p->activity = activity ? refctl__strdup(activity) : NULL;
	return 0;
}

void refctl_prospect_release(struct refctl_prospect *p)
{
	if (!p)
		return;
	for (int c = 0; c < REFCTL_CRIT_COUNT; c++)
		refctl_prospect_clear(p, (enum refctl_criterion)c);
	free(p->activity);
	p->activity = NULL;
}

static int bad_value(const char *file, const struct refctl_node *n, const char *key, const char *what)
{
	return refctl__error_at(REFCTL_EINVALID, file, n->line, n->col, "%s must be %s", key, what);
}

/* A string, as YAML gives it: a scalar that is not null. Its value is
 * refctl_prospect_add()'s to judge. */
static int is_string(const struct refctl_node *n)
{
	return n->kind == REFCTL_NODE_SCALAR && !refctl_yaml_is_null(n);
}

/* An error of refctl_prospect_add() and the like, placed at the value. */
static int at(int error, const char *file, const struct refctl_node *v)
{
	return refctl__error_at(error, file, v->line, v->col, "%s", refctl_error_last_message());
}

static int parse_map(struct refctl_prospect *p, const char *file, const struct refctl_node *root)
{
	int error;

	if (root->kind != REFCTL_NODE_MAP)
		return refctl__error_at(REFCTL_EINVALID, file, root->line, root->col,
					"a prospect must be a map of industry, region, country, language, segment, products, use_cases and activity");
	for (size_t i = 0; i + 1 < root->n; i += 2) {
		const struct refctl_node *k = root->items[i], *v = root->items[i + 1];
		size_t key;

		for (key = 0; key < NKEYS; key++)
			if (!strcmp(prospect_keys[key].key, k->str))
				break;
		if (key == NKEYS)
			return refctl__error_at(REFCTL_EINVALID, file, k->line, k->col,
						"unknown key '%s' (expected industry, region, country, language, segment, products, use_cases or activity)",
						k->str);
		if (refctl_yaml_is_null(v))
			continue;
		if (prospect_keys[key].crit < 0) {
			if (!is_string(v))
				return bad_value(file, v, k->str, "one of the activities, as a string");
			if ((error = refctl_prospect_set_activity(p, v->str)) < 0)
				return at(error, file, v);
		} else if (refctl_criterion_is_list(prospect_keys[key].crit)) {
			enum refctl_criterion c = prospect_keys[key].crit;
			if (v->kind == REFCTL_NODE_SCALAR) {
				if (!is_string(v))
					return bad_value(file, v, k->str, "a list of strings");
				refctl_prospect_clear(p, c);
				if ((error = refctl_prospect_add(p, c, v->str)) < 0)
					return at(error, file, v);
				continue;
			}
			if (v->kind != REFCTL_NODE_SEQ)
				return bad_value(file, v, k->str, "a list of strings");
			for (size_t j = 0; j < v->n; j++)
				if (!is_string(v->items[j]))
					return bad_value(file, v->items[j], k->str, "a list of strings");
			refctl_prospect_clear(p, c);
			for (size_t j = 0; j < v->n; j++)
				if ((error = refctl_prospect_add(p, c, v->items[j]->str)) < 0)
					return at(error, file, v->items[j]);
		} else {
			if (!is_string(v))
				return bad_value(file, v, k->str, "a string");
			if ((error = refctl_prospect_add(p, prospect_keys[key].crit, v->str)) < 0)
				return at(error, file, v);
		}
	}
	return 0;
}

int refctl_prospect_parse(struct refctl_prospect *p, const char *file, const char *data, size_t len)
{
	struct refctl_yaml_docs docs;
	int error;

	if ((error = refctl_yaml_load(&docs, file, data, len, 0)) < 0)
		return error;
	if (docs.n && !refctl_yaml_is_null(docs.v[0]))
		error = parse_map(p, file, docs.v[0]);
	refctl_yaml_docs_release(&docs);
	return error;
}

/* ---- ranking ---- */

/* The win rate as a fraction, the one place its formula is written. */
static void win_fraction(unsigned won, unsigned lost, unsigned long long *num, unsigned long long *den)
{
	*num = (unsigned long long)won + 1;
	*den = (unsigned long long)won + lost + 2;
}

double refctl_match_win_rate(unsigned won, unsigned lost)
{
	unsigned long long num, den;
	win_fraction(won, lost, &num, &den);
	return (double)num / (double)den;
}

unsigned refctl_match_win_percent(unsigned won, unsigned lost)
{
	unsigned long long num, den;
	win_fraction(won, lost, &num, &den);
	return (unsigned)((200 * num + den) / (2 * den));
}

int refctl_match_win_cmp(unsigned won_a, unsigned lost_a, unsigned won_b, unsigned lost_b)
{
	unsigned long long na, da, nb, db, x, y;

	win_fraction(won_a, lost_a, &na, &da);
	win_fraction(won_b, lost_b, &nb, &db);
	x = na * db; /* na/da against nb/db, without division */
	y = nb * da;
	return x > y ? -1 : x < y;
}

int refctl_match_entry_cmp(const struct refctl_match_entry *a, const struct refctl_match_entry *b)
{
	int c;

	if (a->rank_key != b->rank_key)
		return a->rank_key > b->rank_key ? -1 : 1;
	if (a->contact_overdue != b->contact_overdue)
		return a->contact_overdue ? 1 : -1;
	if (a->load_90d != b->load_90d)
		return a->load_90d < b->load_90d ? -1 : 1;
	if ((c = refctl_match_win_cmp(a->won, a->lost, b->won, b->lost)) != 0)
		return c;
	return strcmp(a->id, b->id);
}

static int entry_qsort_cmp(const void *a, const void *b)
{
	return refctl_match_entry_cmp(a, b);
}

unsigned refctl_match_top_rule(size_t *count, const struct refctl_match_result *r)
{
	unsigned best = 0;
	size_t most = 0;

	for (int i = 0; i < REFCTL_AVAIL_NREASONS; i++)
		if (r->excluded_by[i] > most) {
			most = r->excluded_by[i];
			best = 1u << i;
		}
	if (count)
		*count = most;
	return best;
}

/* ---- the matcher ---- */

struct refctl_matcher {
	const struct refctl_config *cfg;
	struct refctl_avail_opts aopts;
	char *activity;          /* normalised */
	size_t limit;
	int all;
	long long min_key;       /* the least rank_key kept */
	struct refctl_match_result *res;
	/* the best `limit` available entries, the one ranking last at the root */
	struct refctl_match_entry *heap;
	size_t nheap, aheap;
	size_t aexcluded, aunreadable;
	struct refctl_match_entry scratch; /* the advocate being evaluated; strings borrowed */
	struct refctl_availability av;     /* and its availability */
	struct refctl_buf canon;
};

static void entry_release(struct refctl_match_entry *e)
{
	free(e->id);
	free(e->name);
	free(e->company);
	free(e->met);
	free(e->exclusions);
}

void refctl_match_result_free(struct refctl_match_result *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->nvalues; i++) {
		free(r->values[i].text);
		free(r->values[i].canon);
	}
	free(r->values);
	for (size_t i = 0; i < r->navailable; i++)
		entry_release(&r->available[i]);
	free(r->available);
	for (size_t i = 0; i < r->nexcluded; i++)
		entry_release(&r->excluded[i]);
	free(r->excluded);
	for (size_t i = 0; i < r->nunreadable; i++) {
		free(r->unreadable[i].file);
		free(r->unreadable[i].error);
	}
	free(r->unreadable);
	free(r);
}

void refctl_matcher_free(struct refctl_matcher *m)
{
	if (!m)
		return;
	for (size_t i = 0; i < m->nheap; i++)
		entry_release(&m->heap[i]);
	free(m->heap);
	free(m->scratch.met);
	free(m->activity);
	refctl_buf_release(&m->canon);
	refctl_match_result_free(m->res);
	free(m);
}

int refctl_matcher_new(struct refctl_matcher **out, const struct refctl_config *cfg,
		       const struct refctl_match_opts *opts)
{
	const struct refctl_prospect *p = opts->prospect;
	struct refctl_matcher *m;
	struct refctl_match_result *r;
	struct refctl_buf canon = REFCTL_BUF_INIT;
	size_t alloc = 0;
	int error;

	*out = NULL;
	m = refctl__calloc(1, sizeof(*m));
	m->res = r = refctl__calloc(1, sizeof(*r));
	m->cfg = cfg;
	/* inside, 0 keeps every available advocate */
	m->limit = opts->limit == REFCTL_MATCH_NO_LIMIT ? 0 : opts->limit ? opts->limit : REFCTL_MATCH_DEFAULT_LIMIT;
	m->all = opts->all;
	r->min_relevance = opts->min_relevance;
	/* rank_key is the relevance in units of 1e-9: a percentage is 1e7 of them */
	m->min_key = opts->min_relevance == REFCTL_MATCH_ANY_RELEVANCE ? 0
		   : opts->min_relevance > 0 ? (long long)opts->min_relevance * 10000000LL : 1;
	m->aopts.include_at_risk = opts->include_at_risk;
	m->aopts.today = opts->today;
	if (m->aopts.today == REFCTL_DATE_NONE && (error = refctl_date_today(&m->aopts.today)) < 0) {
		refctl_matcher_free(m);
		return error;
	}
	m->aopts.exclude_companies = opts->exclude_companies;
	m->aopts.nexclude = opts->nexclude;
	if (p && p->activity) {
		refctl_vocab_norm(&canon, p->activity);
		m->activity = refctl_buf_detach(&canon);
		m->aopts.activity = m->activity;
	}
	/* The prospect's values, canonical and without duplicates. */
	for (int c = 0; p && c < REFCTL_CRIT_COUNT; c++) {
		int given = 0;
		for (size_t i = 0; i < p->values[c].n; i++) {
			int dup = 0;
			refctl_config_canon(&canon, cfg, p->values[c].v[i]);
			for (size_t k = 0; k < r->nvalues && !dup; k++)
				dup = r->values[k].crit == (enum refctl_criterion)c &&
				      !strcmp(r->values[k].canon, canon.ptr);
			if (dup)
				continue;
			REFCTL__ARRAY_GROW(r->values, r->nvalues + 1, alloc);
			r->values[r->nvalues].crit = (enum refctl_criterion)c;
			r->values[r->nvalues].text = refctl__strdup(p->values[c].v[i]);
			r->values[r->nvalues].canon = refctl_buf_detach(&canon);
			r->nvalues++;
			given = 1;
		}
		if (given)
			r->possible += cfg ? cfg->weights[c] : 0;
	}
	refctl_buf_release(&canon);
	m->scratch.met = r->nvalues ? refctl__calloc(r->nvalues, 1) : NULL;
	*out = m;
	return 0;
}

/* The advocate's values for a criterion, as a list. */
static struct refctl_strlist advocate_values(const struct refctl_advocate *a, enum refctl_criterion c,
					     const char **one)
{
	struct refctl_strlist l = { NULL, 0 };

	switch (c) {
	case REFCTL_CRIT_USE_CASE:
		return a->use_cases;
	case REFCTL_CRIT_PRODUCT:
		return a->products;
	case REFCTL_CRIT_LANGUAGE:
		return a->languages;
	case REFCTL_CRIT_INDUSTRY:
		*one = a->industry;
		break;
	case REFCTL_CRIT_REGION:
		*one = a->region;
		break;
	case REFCTL_CRIT_COUNTRY:
		*one = a->country;
		break;
	case REFCTL_CRIT_SEGMENT:
		*one = a->segment;
		break;
	default:
		break;
	}
	if (*one) {
		l.v = one;
		l.n = 1;
	}
	return l;
}

static void evaluate(struct refctl_matcher *m, struct refctl_match_entry *e, const struct refctl_advocate *a)
{
	refctl_date today = m->aopts.today;

	e->id = (char *)a->id;
	e->name = (char *)a->name;
	e->company = (char *)a->company;
	e->exclusions = NULL; /* m->av's, copied only if kept */
	e->nexclusions = 0;
	refctl_availability(&m->av, a, m->cfg, &m->aopts);
	e->reasons = m->av.reasons;
	e->contact_overdue = m->av.contact_overdue;
	e->contact_days = m->av.contact_days;
	e->contact_limit = m->av.contact_limit;
	memcpy(e->at_risk, m->av.at_risk, sizeof(e->at_risk));

	e->load_90d = e->won = e->lost = 0;
	for (size_t i = 0; i < a->nrequests; i++) {
		const struct refctl_request *q = &a->requests[i];
		if (refctl_req_is_engagement(q->status) && q->opened != REFCTL_DATE_NONE &&
		    q->opened <= today && q->opened > today - 90)
			e->load_90d++;
		if (q->status == REFCTL_REQ_COMPLETED && q->outcome == REFCTL_OUTCOME_WON)
			e->won++;
		else if (q->status == REFCTL_REQ_COMPLETED && q->outcome == REFCTL_OUTCOME_LOST)
			e->lost++;
	}
	e->win_rate = refctl_match_win_rate(e->won, e->lost);

	{
		struct refctl_strlist have[REFCTL_CRIT_COUNT];
		const char *ones[REFCTL_CRIT_COUNT];
		for (int c = 0; c < REFCTL_CRIT_COUNT; c++) {
			ones[c] = NULL;
			have[c] = advocate_values(a, (enum refctl_criterion)c, &ones[c]);
		}
		e->relevance = refctl_matcher_relevance(m, e->crit, e->met, have);
	}
	e->earned = 0;
	for (int c = 0; c < REFCTL_CRIT_COUNT; c++)
		e->earned += e->crit[c].earned;
	e->rank_key = (long long)(e->relevance * 1e9 + 0.5); /* relevance >= 0 */
}

double refctl_matcher_relevance(struct refctl_matcher *m, struct refctl_match_score *crit, unsigned char *met,
				const struct refctl_strlist *have)
{
	const struct refctl_match_result *r = m->res;
	double earned = 0, relevance;
	unsigned char *seen = met ? met : m->scratch.met;

	memset(crit, 0, REFCTL_CRIT_COUNT * sizeof(*crit));
	for (size_t i = 0; i < r->nvalues;) {
		enum refctl_criterion c = r->values[i].crit;
		struct refctl_match_score *sc = &crit[c];
		size_t first = i;

		while (i < r->nvalues && r->values[i].crit == c)
			seen[i++] = 0;
		sc->nvalues = i - first;
		sc->weight = m->cfg ? m->cfg->weights[c] : 0;
		for (size_t h = 0; h < have[c].n; h++) {
			refctl_config_canon(&m->canon, m->cfg, have[c].v[h]);
			for (size_t k = first; k < i; k++)
				if (!seen[k] && !strcmp(r->values[k].canon, m->canon.ptr)) {
					seen[k] = 1;
					sc->nmet++;
				}
		}
		sc->earned = sc->weight * (double)sc->nmet / (double)sc->nvalues;
		earned += sc->earned;
	}
	relevance = r->possible > 0 ? earned / r->possible : 1.0;
	return relevance > 1 ? 1 : relevance;
}

const struct refctl_match_result *refctl_matcher_values(const struct refctl_matcher *m)
{
	return m->res;
}

/* A copy of the scratch entry that owns its strings (and, for an
 * excluded advocate, its exclusions). */
static void keep(struct refctl_matcher *m, struct refctl_match_entry *dst, const struct refctl_availability *av)
{
	const struct refctl_match_entry *s = &m->scratch;
	size_t nv = m->res->nvalues;

	*dst = *s;
	dst->id = refctl__strdup(s->id);
	dst->name = refctl__strdup(s->name ? s->name : "");
	dst->company = refctl__strdup(s->company ? s->company : "");
	dst->met = nv ? refctl__malloc(nv) : NULL;
	if (nv)
		memcpy(dst->met, s->met, nv);
	if (av && av->nexclusions) {
		dst->exclusions = refctl__malloc(av->nexclusions * sizeof(*dst->exclusions));
		memcpy(dst->exclusions, av->exclusions, av->nexclusions * sizeof(*dst->exclusions));
		dst->nexclusions = av->nexclusions;
	}
}

static void sift_down(struct refctl_match_entry *h, size_t n, size_t i)
{
	for (;;) {
		size_t l = 2 * i + 1, r = l + 1, worst = i;
		struct refctl_match_entry t;
		if (l < n && refctl_match_entry_cmp(&h[l], &h[worst]) > 0)
			worst = l;
		if (r < n && refctl_match_entry_cmp(&h[r], &h[worst]) > 0)
			worst = r;
		if (worst == i)
			return;
		t = h[i];
		h[i] = h[worst];
		h[worst] = t;
		i = worst;
	}
}

static void sift_up(struct refctl_match_entry *h, size_t i)
{
	while (i > 0) {
		size_t parent = (i - 1) / 2;
		struct refctl_match_entry t;
		if (refctl_match_entry_cmp(&h[i], &h[parent]) <= 0)
			return;
		t = h[i];
		h[i] = h[parent];
		h[parent] = t;
		i = parent;
	}
}

void refctl_matcher_add(struct refctl_matcher *m, const struct refctl_advocate *a)
{
	struct refctl_match_result *r = m->res;
	struct refctl_match_entry *e = &m->scratch;

	if (!a->id)
		return;
	r->nconsidered++;
	evaluate(m, e, a);
	if (e->reasons) {
		for (int i = 0; i < REFCTL_AVAIL_NREASONS; i++)
			if (e->reasons & (1u << i))
				r->excluded_by[i]++;
		if (m->all && e->rank_key >= m->min_key) {
			REFCTL__ARRAY_GROW(r->excluded, r->nexcluded + 1, m->aexcluded);
			keep(m, &r->excluded[r->nexcluded++], &m->av);
		}
		return;
	}
	if (e->rank_key < m->min_key) {
		r->nbelow++;
		return;
	}
	r->nfit++;
	if (!m->limit || m->nheap < m->limit) {
		REFCTL__ARRAY_GROW(m->heap, m->nheap + 1, m->aheap);
		keep(m, &m->heap[m->nheap], NULL);
		sift_up(m->heap, m->nheap++);
	} else if (refctl_match_entry_cmp(e, &m->heap[0]) < 0) {
		entry_release(&m->heap[0]);
		keep(m, &m->heap[0], NULL);
		sift_down(m->heap, m->nheap, 0);
	}
}

void refctl_matcher_add_unreadable(struct refctl_matcher *m, const char *file, const char *error)
{
	struct refctl_match_result *r = m->res;

	REFCTL__ARRAY_GROW(r->unreadable, r->nunreadable + 1, m->aunreadable);
	r->unreadable[r->nunreadable].file = refctl__strdup(file);
	r->unreadable[r->nunreadable].error = refctl__strdup(error);
	r->nunreadable++;
}

static int unreadable_cmp(const void *pa, const void *pb)
{
	const struct refctl_match_unreadable *a = pa, *b = pb;
	return refctl_store_file_cmp(a->file, b->file);
}

void refctl_matcher_finish(struct refctl_match_result **out, struct refctl_matcher *m)
{
	struct refctl_match_result *r = m->res;

	if (m->nheap > 1)
		qsort(m->heap, m->nheap, sizeof(*m->heap), entry_qsort_cmp);
	r->available = m->heap;
	r->navailable = m->nheap;
	if (r->nexcluded > 1)
		qsort(r->excluded, r->nexcluded, sizeof(*r->excluded), entry_qsort_cmp);
	if (r->nunreadable > 1)
		qsort(r->unreadable, r->nunreadable, sizeof(*r->unreadable), unreadable_cmp);
	m->heap = NULL;
	m->nheap = 0;
	m->res = NULL;
	refctl_matcher_free(m);
	*out = r;
}

static int walk_one(const struct refctl_record *rec, void *payload)
{
	refctl_matcher_add(payload, &rec->a);
	return 0;
}

static void walk_bad(const char *file, const char *error, void *payload)
{
	refctl_matcher_add_unreadable(payload, file, error);
}

int refctl_match(struct refctl_match_result **out, struct refctl_store *s,
		 const struct refctl_match_opts *opts)
{
	struct refctl_matcher *m = NULL;
	int error;

	*out = NULL;
	if ((error = refctl_matcher_new(&m, refctl_store_config(s), opts)) < 0)
		return error;
	if ((error = refctl_store_foreach(s, walk_one, walk_bad, m)) < 0) {
		refctl_matcher_free(m);
		return error;
	}
	refctl_matcher_finish(out, m);
	return 0;
}

/* ---- the words of --explain ---- */

void refctl_match_points(struct refctl_buf *out, double x)
{
	char tmp[64];
	size_t n;

	snprintf(tmp, sizeof(tmp), "%.2f", x);
	n = strlen(tmp);
	while (n && tmp[n - 1] == '0')
		tmp[--n] = '\0';
	if (n && tmp[n - 1] == '.')
		tmp[--n] = '\0';
	refctl_buf_puts(out, tmp);
}

long long refctl_match_percent(double relevance)
{
	/* the rank key's rounding: exact to 1e-9, then half up */
	long long key = (long long)(relevance * 1e9 + 0.5);
	return (key + 5000000) / 10000000;
}

void refctl_match_explain_criteria(struct refctl_buf *out, const struct refctl_match_value *values,
				   size_t nvalues, double possible, const double *weights, const char *noun)
{
	int any = 0;

	refctl_buf_puts(out, "criteria:");
	for (int c = 0; c < REFCTL_CRIT_COUNT; c++) {
		int given = 0;
		for (size_t i = 0; i < nvalues && !given; i++)
			given = values[i].crit == (enum refctl_criterion)c;
		if (!given)
			continue;
		refctl_buf_printf(out, "%s %s ", any++ ? "," : "", refctl_criterion_names[c]);
		refctl_match_points(out, weights[c]);
	}
	if (any) {
		refctl_buf_puts(out, " = ");
		refctl_match_points(out, possible);
		refctl_buf_puts(out, " points\n");
	} else {
		refctl_buf_printf(out, " none (every %s is 100%% relevant)\n", noun);
	}
}

void refctl_match_explain_values(struct refctl_buf *out, const struct refctl_match_value *values,
				 size_t nvalues, const unsigned char *met, enum refctl_criterion c)
{
	size_t nmet = 0, nmiss = 0;

	for (size_t i = 0; i < nvalues; i++)
		if (values[i].crit == c && met[i])
			refctl_buf_printf(out, "%s%s", nmet++ ? ", " : "", values[i].text);
	for (size_t i = 0; i < nvalues; i++)
		if (values[i].crit == c && !met[i])
			refctl_buf_printf(out, "%s%s", nmiss++ ? ", " : nmet ? "; not " : "", values[i].text);
}
