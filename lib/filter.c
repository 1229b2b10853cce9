/* Filters over advocates, from the schema's FILTER rows (see filter.h). */
#include <stdlib.h>
#include <string.h>

#include "refctl/filter.h"
#include "util.h"

struct cond {
	const struct refctl_field *field;
	char **values; /* canonical for free vocabularies, as given for enums */
	size_t n, alloc;
};

/* A range condition: an integer or date field within [lo, hi]. */
struct range {
	const struct refctl_field *field;
	long lo, hi;
};

struct refctl_filter {
	const struct refctl_config *cfg;
	struct cond *conds;
	size_t n, alloc;
	struct range *ranges;
	size_t nranges, aranges;
	struct refctl_buf tmp;
};

int refctl_filter_new(struct refctl_filter **out, const struct refctl_config *cfg)
{
	struct refctl_filter *f = refctl__calloc(1, sizeof(*f));
	f->cfg = cfg;
	refctl_buf_init(&f->tmp);
	*out = f;
	return 0;
}

void refctl_filter_free(struct refctl_filter *f)
{
	if (!f)
		return;
	for (size_t i = 0; i < f->n; i++) {
		for (size_t k = 0; k < f->conds[i].n; k++)
			free(f->conds[i].values[k]);
		free(f->conds[i].values);
	}
	free(f->conds);
	free(f->ranges);
	refctl_buf_release(&f->tmp);
	free(f);
}

struct find_flag {
	const char *flag;
	const struct refctl_field *found;
};

static int find_flag(const char *path, const struct refctl_field *field, const struct refctl_field *parent,
		     void *payload)
{
	struct find_flag *ff = payload;
	(void)path;
	(void)parent;
	if ((field->flags & REFCTL_FIELD_FILTER) && field->flag && !strcmp(field->flag, ff->flag)) {
		ff->found = field;
		return 1;
	}
	return 0;
}

const struct refctl_field *refctl_filter_field(const char *flag)
{
	struct find_flag ff = { flag, NULL };
	refctl_schema_foreach(find_flag, &ff);
	return ff.found;
}

/* Enums and lists with a fixed vocabulary compare exactly; the rest as vocabulary. */
static int exact(const struct refctl_field *field)
{
	return field->values != NULL;
}

int refctl_filter_add(struct refctl_filter *f, const char *flag, const char *value)
{
	const struct refctl_field *field = refctl_filter_field(flag);
	struct refctl_buf list = REFCTL_BUF_INIT;
	struct cond *c = NULL;

	if (!field)
		return refctl__error(REFCTL_EINVALID, "--%s is not a filter", flag);
	if (field->values) {
		int known = 0;
		for (int i = 0; field->values[i] && !known; i++)
			known = !strcmp(field->values[i], value);
		if (!known) {
			refctl_schema_join_values(&list, field->values);
			if (field->type == REFCTL_TYPE_ENUM)
				refctl__error(REFCTL_EINVALID, "--%s must be %s, not '%s'", flag, list.ptr, value);
			else
				refctl__error(REFCTL_EINVALID, "unknown %s '%s' (expected one of %s)", flag, value,
					      list.ptr);
			refctl_buf_release(&list);
			return REFCTL_EINVALID;
		}
	}
	for (size_t i = 0; i < f->n; i++)
		if (f->conds[i].field == field)
			c = &f->conds[i];
	if (!c) {
		REFCTL__ARRAY_GROW(f->conds, f->n + 1, f->alloc);
		c = &f->conds[f->n++];
		memset(c, 0, sizeof(*c));
		c->field = field;
	}
	REFCTL__ARRAY_GROW(c->values, c->n + 1, c->alloc);
	if (exact(field)) {
		c->values[c->n++] = refctl__strdup(value);
	} else {
		refctl_config_canon(&f->tmp, f->cfg, value);
		c->values[c->n++] = refctl__strdup(f->tmp.ptr);
	}
	return 0;
}

static int add_range(struct refctl_filter *f, const char *path, enum refctl_storage storage, long lo, long hi)
{
	const struct refctl_field *field = refctl_schema_find(path, NULL);

	if (!field || field->storage != storage)
		return refctl__error(REFCTL_EINVALID, "%s cannot be filtered by a range", path);
	REFCTL__ARRAY_GROW(f->ranges, f->nranges + 1, f->aranges);
	f->ranges[f->nranges].field = field;
	f->ranges[f->nranges].lo = lo;
	f->ranges[f->nranges++].hi = hi;
	return 0;
}

int refctl_filter_add_int_range(struct refctl_filter *f, const char *path, long min, long max)
{
	return add_range(f, path, REFCTL_STORE_INT, min, max - 1);
}

int refctl_filter_add_date_range(struct refctl_filter *f, const char *path, refctl_date from, refctl_date to)
{
	return add_range(f, path, REFCTL_STORE_DATE, from, to);
}

static int in_ranges(const struct refctl_filter *f, const struct refctl_advocate *a)
{
	for (size_t i = 0; i < f->nranges; i++) {
		const struct range *r = &f->ranges[i];
		const char *p = (const char *)a + r->field->off;
		long v;
		if (r->field->storage == REFCTL_STORE_INT) {
			if ((v = *(const int *)p) < 0) /* absent */
				return 0;
		} else {
			refctl_date d = *(const refctl_date *)p;
			if (d == REFCTL_DATE_NONE)
				return 0;
			v = d;
		}
		if (v < r->lo || v > r->hi)
			return 0;
	}
	return 1;
}

static int value_matches(struct refctl_filter *f, const struct cond *c, const char *have)
{
	if (!have)
		return 0;
	if (!exact(c->field))
		refctl_config_canon(&f->tmp, f->cfg, have);
	for (size_t k = 0; k < c->n; k++)
		if (!strcmp(c->values[k], exact(c->field) ? have : f->tmp.ptr))
			return 1;
	return 0;
}

int refctl_filter_match(const struct refctl_filter *cf, const struct refctl_advocate *a)
{
	struct refctl_filter *f = (struct refctl_filter *)cf; /* the scratch buffer only */

	if (!in_ranges(f, a))
		return 0;

	for (size_t i = 0; i < f->n; i++) {
		const struct cond *c = &f->conds[i];
		const char *p = (const char *)a + c->field->off;
		int ok = 0;

		switch (c->field->storage) {
		case REFCTL_STORE_STRLIST: {
			const struct refctl_strlist *l = (const struct refctl_strlist *)p;
			for (size_t k = 0; k < l->n && !ok; k++)
				ok = value_matches(f, c, l->v[k]);
			break;
		}
		case REFCTL_STORE_STR:
			ok = value_matches(f, c, *(const char *const *)p);
			break;
		default:
			/* numbers, dates and enum indices compare as their text */
			refctl_schema_value_text(&f->tmp, c->field, a);
			if (f->tmp.size) {
				char *have = refctl__strdup(f->tmp.ptr);
				ok = value_matches(f, c, have);
				free(have);
			}
			break;
		}
		if (!ok)
			return 0;
	}
	return 1;
}
