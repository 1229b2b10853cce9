/*
 * The content library: the rules of use, the changes (each one commit of
 * one advocate's file), listing and finding for a prospect. Relevance is
 * match's (refctl_matcher_relevance), never a copy of it.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "refctl/avail.h"
#include "refctl/content.h"
#include "refctl/csv.h"
#include "refctl/iso.h"
#include "util.h"

/* ---- the rules ---- */

const char *refctl_content_rule_name(unsigned rule)
{
	switch (rule) {
	case REFCTL_CONTENT_EXPIRED: return "expired";
	case REFCTL_CONTENT_UNAPPROVED: return "not approved";
	case REFCTL_CONTENT_NO_LEGAL: return "no legal review";
	case REFCTL_CONTENT_COUNTRY: return "not cleared for the country";
	case REFCTL_CONTENT_CONSENT: return "consent expired";
	case REFCTL_CONTENT_SCOPE: return "consent scope";
	case REFCTL_CONTENT_LANGUAGE: return "language";
	}
	return "";
}

const char *refctl_content_scope_needed(const char *kind)
{
	static const char *const own[] = { "quote", "logo", "video", "case-study", NULL };

	for (int i = 0; kind && own[i]; i++)
		if (!strcmp(kind, own[i]))
			return own[i];
	return "name";
}

const char *refctl_content_industry(const struct refctl_advocate *a, const struct refctl_content *c)
{
	return c->industry ? c->industry : a->industry;
}

const struct refctl_content *refctl_content_get(const struct refctl_advocate *a, const char *id)
{
	for (size_t i = 0; id && i < a->ncontent; i++)
		if (a->content[i].id && !strcmp(a->content[i].id, id))
			return &a->content[i];
	return NULL;
}

static void why_add(struct refctl_buf *why, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void why_add(struct refctl_buf *why, const char *fmt, ...)
{
	va_list ap;

	if (!why)
		return;
	if (why->size)
		refctl_buf_puts(why, "; ");
	va_start(ap, fmt);
	refctl_buf_vprintf(why, fmt, ap);
	va_end(ap);
}

unsigned refctl_content_usable(struct refctl_buf *why, const struct refctl_advocate *a,
			       const struct refctl_content *c, const char *country, refctl_date today)
{
	unsigned rules = 0;
	const char *scope = refctl_content_scope_needed(c->kind);
	char d[11];

	if (c->expires != REFCTL_DATE_NONE && c->expires <= today) {
		rules |= REFCTL_CONTENT_EXPIRED;
		why_add(why, "expired %s", refctl_date_format(d, c->expires));
	}
	if (!c->approved_by) {
		rules |= REFCTL_CONTENT_UNAPPROVED;
		why_add(why, "not approved");
	}
	if (!c->legal_by) {
		rules |= REFCTL_CONTENT_NO_LEGAL;
		why_add(why, "no legal review");
	} else if (country && c->legal_countries.n) {
		int cleared = 0;
		for (size_t i = 0; i < c->legal_countries.n && !cleared; i++)
			cleared = !refctl__strcasecmp(c->legal_countries.v[i], country);
		if (!cleared) {
			struct refctl_buf list = REFCTL_BUF_INIT;
			for (size_t i = 0; i < c->legal_countries.n; i++)
				refctl_buf_printf(&list, "%s%s", i ? ", " : "", c->legal_countries.v[i]);
			rules |= REFCTL_CONTENT_COUNTRY;
			why_add(why, "not cleared for %s (only %s)", country, list.ptr);
			refctl_buf_release(&list);
		}
	}
	if (a->consent_until != REFCTL_DATE_NONE && a->consent_until < today) {
		rules |= REFCTL_CONTENT_CONSENT;
		why_add(why, "consent expired %s", refctl_date_format(d, a->consent_until));
	}
	if (!refctl_avail_consent_covers(a, scope)) {
		rules |= REFCTL_CONTENT_SCOPE;
		why_add(why, "no consent for %s", scope);
	}
	return rules;
}

/* ---- text ---- */

int refctl_content_check_text(const char *text, size_t len)
{
	size_t bad = 0;

	if (len > REFCTL_CONTENT_TEXT_MAX)
		return refctl__error(REFCTL_EINVALID, "text is %zu bytes, over the limit of %d (1 MiB)", len,
				     REFCTL_CONTENT_TEXT_MAX);
	if (memchr(text, '\0', len))
		return refctl__error(REFCTL_EINVALID, "text must not contain a NUL byte");
	if (!refctl_csv_utf8_valid(text, len, &bad))
		return refctl__error(REFCTL_EINVALID, "text is not valid UTF-8 (at byte %zu)", bad + 1);
	if (!len)
		return refctl__error(REFCTL_EINVALID, "text must not be empty");
	return 0;
}

int refctl_content_read_text(struct refctl_buf *out, const char *path)
{
	int error;

	refctl_buf_clear(out);
	if ((error = refctl__read_file(out, path, REFCTL_CONTENT_TEXT_MAX)) < 0) {
		char msg[1024];
		snprintf(msg, sizeof(msg), "%s", refctl_error_last());
		return refctl__error(REFCTL_EINVALID, "text-file: %s", msg);
	}
	if ((error = refctl_content_check_text(out->ptr, out->size)) < 0) {
		char msg[1024];
		snprintf(msg, sizeof(msg), "%s", refctl_error_last());
		return refctl__error(REFCTL_EINVALID, "text-file '%s': %s", path, msg);
	}
	return 0;
}

/* ---- naming an item ---- */

struct candidates {
	char **v;
	size_t n, alloc;
	const char *exact;
	const char *name;
	size_t len;
};

static int add_candidates(const struct refctl_record *rec, void *payload)
{
	struct candidates *c = payload;
	const struct refctl_advocate *a = &rec->a;

	for (size_t i = 0; i < a->ncontent; i++) {
		const char *id = a->content[i].id;
		if (!id || strncmp(id, c->name, c->len))
			continue;
		REFCTL__ARRAY_GROW(c->v, c->n + 1, c->alloc);
		c->v[c->n++] = refctl__strdup(id);
		if (!id[c->len])
			c->exact = c->v[c->n - 1];
	}
	return 0;
}

int refctl_content_resolve(struct refctl_buf *advocate, struct refctl_buf *id, struct refctl_store *s,
			   const char *name)
{
	struct candidates c = { NULL, 0, 0, NULL, name, strlen(name) };
	const char *slash = strchr(name, '/');
	int error = 0;

	refctl_buf_clear(advocate);
	refctl_buf_clear(id);
	if (!*name)
		return refctl__error(REFCTL_EUSAGE, "no content item given");
	if (slash) {
		struct refctl_record *rec = NULL;
		refctl_buf_put(advocate, name, (size_t)(slash - name));
		if (!refctl_id_valid(advocate->ptr)) {
			error = refctl__error(REFCTL_EUSAGE,
					      "'%s' is not a content id (expected ADVOCATE/YYMMDD-XXXXXXXX, or a unique prefix of it)",
					      name);
			goto done;
		}
		if ((error = refctl_store_load(s, advocate->ptr, &rec)) < 0)
			goto done;
		add_candidates(rec, &c);
		refctl_record_free(rec);
	} else {
		char **names = NULL;
		size_t nnames = 0;
		if ((error = refctl_store_list(s, &names, &nnames)) < 0)
			goto done;
		for (size_t i = 0; i < nnames; i++) {
			size_t len = strlen(names[i]);
			struct refctl_record *rec = NULL;
			if (error == 0 && len > 5 && !strncmp(names[i], name, strlen(name))) {
				names[i][len - 5] = '\0';
				if (refctl_id_valid(names[i]) && (error = refctl_store_load(s, names[i], &rec)) == 0)
					add_candidates(rec, &c);
				refctl_record_free(rec);
			}
			free(names[i]);
		}
		free(names);
		if (error < 0)
			goto done;
	}
	if (c.exact || c.n == 1) {
		const char *full = c.exact ? c.exact : c.v[0];
		refctl_buf_clear(advocate);
		refctl_buf_put(advocate, full, (size_t)(strchr(full, '/') - full));
		refctl_buf_puts(id, full);
	} else if (c.n == 0) {
		error = refctl__error(REFCTL_ENOTFOUND, "no content id starts with '%s'", name);
	} else {
		struct refctl_buf list = REFCTL_BUF_INIT;
		for (size_t i = 0; i < c.n && i < 10; i++)
			refctl_buf_printf(&list, "%s%s", i ? ", " : "", c.v[i]);
		if (c.n > 10)
			refctl_buf_printf(&list, " and %zu more", c.n - 10);
		error = refctl__error(REFCTL_EUSAGE, "content '%s' is ambiguous: it could be %s", name, list.ptr);
		refctl_buf_release(&list);
	}
done:
	for (size_t i = 0; i < c.n; i++)
		free(c.v[i]);
	free(c.v);
	return error;
}

/* ---- results ---- */

void refctl_content_result_init(struct refctl_content_result *r)
{
	memset(r, 0, sizeof(*r));
	refctl_buf_init(&r->subject);
	refctl_buf_init(&r->detail);
}

void refctl_content_result_release(struct refctl_content_result *r)
{
	if (!r)
		return;
	refctl_buf_release(&r->subject);
	refctl_buf_release(&r->detail);
}

static void result_reset(struct refctl_content_result *r)
{
	refctl_content_result_release(r);
	refctl_content_result_init(r);
}

/* ---- checks ---- */

static int is_kind(const char *kind)
{
	for (int i = 0; refctl_content_kinds[i]; i++)
		if (!strcmp(kind, refctl_content_kinds[i]))
			return 1;
	return 0;
}

static int check_line(const char *what, const char *value, int required)
{
	if (required && !value)
		return refctl__error(REFCTL_EUSAGE, "content needs --%s", what);
	if (value && !*value)
		return refctl__error(REFCTL_EINVALID, "%s must not be empty", what);
	if (value && strchr(value, '\n'))
		return refctl__error(REFCTL_EINVALID, "%s must be a single line", what);
	return 0;
}

static int check_lang(const char *lang)
{
	if (!refctl_iso_language_valid(lang))
		return refctl__error(REFCTL_EINVALID, "lang must be an ISO 639-1 code such as de, not '%s'", lang);
	return 0;
}

static int check_url(const char *url)
{
	const char *rest = !strncmp(url, "https://", 8) ? url + 8 : !strncmp(url, "http://", 7) ? url + 7 : NULL;

	if (!rest || !*rest || *rest == '/' || strpbrk(url, " \t\n\r"))
		return refctl__error(REFCTL_EINVALID, "url must be an http or https address, not '%s'", url);
	return 0;
}

static int check_list(const char *what, const char *const *v, size_t n)
{
	int error;

	for (size_t i = 0; i < n; i++)
		if ((error = check_line(what, v[i], 0)) < 0)
			return error;
	return 0;
}

int refctl_content_add_check(const struct refctl_content_add_opts *o)
{
	int error;

	if ((error = check_line("kind", o->kind, 1)) < 0 || (error = check_line("lang", o->lang, 1)) < 0 ||
	    (error = check_line("title", o->title, 1)) < 0)
		return error;
	if (!is_kind(o->kind)) {
		struct refctl_buf kinds = REFCTL_BUF_INIT;
		refctl_schema_join_values(&kinds, refctl_content_kinds);
		error = refctl__error(REFCTL_EINVALID, "kind must be one of %s, not '%s'", kinds.ptr, o->kind);
		refctl_buf_release(&kinds);
		return error;
	}
	if ((error = check_lang(o->lang)) < 0)
		return error;
	if (!o->text == !o->url)
		return refctl__error(REFCTL_EUSAGE, "content needs exactly one of --text, --text-file and --url");
	if (o->text && (error = refctl_content_check_text(o->text, strlen(o->text))) < 0)
		return error;
	if (o->url && (error = check_url(o->url)) < 0)
		return error;
	if ((error = check_list("product", o->products, o->nproducts)) < 0 ||
	    (error = check_list("use-case", o->use_cases, o->nuse_cases)) < 0)
		return error;
	return 0;
}

int refctl_content_change_check(const struct refctl_content_change *ch)
{
	int error;

	if (!ch->id)
		return refctl__error(REFCTL_EUSAGE, "no content item given");
	switch (ch->verb) {
	case REFCTL_CONTENT_TRANSLATE:
		if ((error = check_line("lang", ch->lang, 1)) < 0 || (error = check_lang(ch->lang)) < 0)
			return error;
		if (!ch->text)
			return refctl__error(REFCTL_EUSAGE, "a translation needs --text or --text-file");
		if ((error = refctl_content_check_text(ch->text, strlen(ch->text))) < 0 ||
		    (error = check_line("by", ch->by, 0)) < 0)
			return error;
		break;
	case REFCTL_CONTENT_APPROVE:
	case REFCTL_CONTENT_LEGAL:
		if ((error = check_line("by", ch->by, 1)) < 0)
			return error;
		for (size_t i = 0; i < ch->ncountries; i++)
			if (!refctl_iso_country_valid(ch->countries[i]))
				return refctl__error(REFCTL_EINVALID,
						     "country must be an ISO 3166 alpha-2 code such as DE, not '%s'",
						     ch->countries[i]);
		break;
	case REFCTL_CONTENT_EXPIRE:
		break;
	case REFCTL_CONTENT_USE:
		if (!ch->request || !*ch->request)
			return refctl__error(REFCTL_EUSAGE, "content use needs --request REQ");
		break;
	default:
		return refctl__error(REFCTL_EUSAGE, "no content verb given");
	}
	return 0;
}

/* ---- building the tree ---- */

static void set_str(struct refctl_node *map, const char *key, const char *value)
{
	refctl_node_set(map, key, refctl_node_scalar(value, 1));
}

static void set_date(struct refctl_node *map, const char *key, refctl_date d)
{
	char buf[11];
	refctl_node_set(map, key, refctl_node_scalar(refctl_date_format(buf, d), 0));
}

static void set_list(struct refctl_node *map, const char *key, const char *const *v, size_t n)
{
	struct refctl_node *seq;

	if (!n)
		return;
	seq = refctl_node_seq();
	for (size_t i = 0; i < n; i++)
		refctl_node_append(seq, refctl_node_scalar(v[i], 1));
	refctl_node_set(map, key, seq);
}

static int resolve_today(refctl_date *out, refctl_date given)
{
	*out = given;
	return given == REFCTL_DATE_NONE ? refctl_date_today(out) : 0;
}

/* A new id for an item of a made on day, one the file does not have. */
static int next_id(struct refctl_buf *out, const struct refctl_advocate *a, refctl_date day)
{
	int error;

	for (int tries = 0; tries < 64; tries++) {
		if ((error = refctl_item_id_new(out, a->id, day)) < 0)
			return error;
		if (!refctl_content_get(a, out->ptr))
			return 0;
	}
	return refctl__error(REFCTL_EIO, "cannot draw a content id that %s does not have yet", a->id);
}

/* The map of the item at index of the typed view. */
static struct refctl_node *item_map(struct refctl_record *rec, const struct refctl_content *c)
{
	struct refctl_node *seq = refctl_node_get(rec->root, "content");

	for (size_t k = 0; seq && seq->kind == REFCTL_NODE_SEQ && k < seq->n; k++)
		if (seq->items[k]->kind == REFCTL_NODE_MAP && seq->items[k]->line == c->line &&
		    seq->items[k]->col == c->col)
			return seq->items[k];
	return NULL;
}

static struct refctl_node *content_seq(struct refctl_record *rec)
{
	struct refctl_node *seq = refctl_node_get(rec->root, "content");

	if (!seq || seq->kind != REFCTL_NODE_SEQ) {
		refctl_node_set(rec->root, "content", refctl_node_seq());
		seq = refctl_node_get(rec->root, "content");
	}
	return seq;
}

/* Validate; on error restore saved and keep the validation's message. */
static int validate(struct refctl_record *rec, const struct refctl_node *saved)
{
	return refctl_record_validate_or_restore(rec, saved, 1);
}

/* A new item's map, appended; its id into res. */
static int append_item(struct refctl_content_result *res, struct refctl_record *rec, struct refctl_node *map,
		       refctl_date created)
{
	struct refctl_buf id = REFCTL_BUF_INIT;
	int error;

	if ((error = next_id(&id, &rec->a, created)) < 0) {
		refctl_node_free(map);
		goto done;
	}
	/* (written first: the file is written in the schema's order) */
	refctl_node_set(map, "id", refctl_node_scalar(id.ptr, 1));
	refctl_node_append(content_seq(rec), map);
	snprintf(res->id, sizeof(res->id), "%s", id.ptr);
done:
	refctl_buf_release(&id);
	return error;
}

int refctl_content_apply_add(struct refctl_content_result *res, struct refctl_record *rec,
			     const struct refctl_content_add_opts *o)
{
	struct refctl_node *saved = NULL, *map;
	refctl_date today;
	int error;

	result_reset(res);
	if ((error = refctl_content_add_check(o)) < 0 || (error = resolve_today(&today, o->today)) < 0)
		return error;
	if (o->expires != REFCTL_DATE_NONE && o->expires <= today) {
		char a[11], t[11];
		return refctl__error(REFCTL_EINVALID, "expires must be after today (%s), not %s",
				     refctl_date_format(t, today), refctl_date_format(a, o->expires));
	}
	saved = refctl_node_clone(rec->root);
	map = refctl_node_map();
	set_str(map, "kind", o->kind);
	set_str(map, "lang", o->lang);
	set_str(map, "title", o->title);
	if (o->url)
		set_str(map, "url", o->url);
	if (o->text)
		set_str(map, "text", o->text);
	set_list(map, "products", o->products, o->nproducts);
	set_list(map, "use_cases", o->use_cases, o->nuse_cases);
	set_date(map, "created", today);
	if (o->expires != REFCTL_DATE_NONE)
		set_date(map, "expires", o->expires);
	if ((error = append_item(res, rec, map, today)) < 0) {
		refctl_record_restore(rec, saved);
		goto done;
	}
	if ((error = validate(rec, saved)) < 0)
		goto done;
	refctl_buf_printf(&res->subject, "refctl: content %s: %s ", res->id, o->kind);
	refctl__buf_first_line(&res->subject, o->title);
	refctl_buf_printf(&res->subject, " (%s)", o->lang);
done:
	refctl_node_free(saved);
	return error;
}

/* Can item c be used today (any country)? REFCTL_EREFUSED naming why not. */
static int refuse_unusable(const struct refctl_advocate *a, const struct refctl_content *c, refctl_date today)
{
	struct refctl_buf why = REFCTL_BUF_INIT;
	int error = 0;

	if (refctl_content_usable(&why, a, c, NULL, today))
		error = refctl__error(REFCTL_EREFUSED, "cannot use %s: %s", c->id, why.ptr);
	refctl_buf_release(&why);
	return error;
}

int refctl_content_apply_change(struct refctl_content_result *res, struct refctl_record *rec,
				const struct refctl_content_change *ch)
{
	struct refctl_node *saved = NULL, *map, *sub;
	const struct refctl_content *c;
	refctl_date today, when;
	char d[11], t[11];
	int error;

	result_reset(res);
	if ((error = refctl_content_change_check(ch)) < 0 || (error = resolve_today(&today, ch->today)) < 0)
		return error;
	if (!(c = refctl_content_get(&rec->a, ch->id)) || !(map = item_map(rec, c)))
		return refctl__error(REFCTL_ENOTFOUND, "no content '%s' in %s", ch->id, rec->file);
	snprintf(res->id, sizeof(res->id), "%s", ch->id);
	when = ch->date != REFCTL_DATE_NONE ? ch->date : today;
	if (when > today && ch->verb != REFCTL_CONTENT_EXPIRE)
		return refctl__error(REFCTL_EINVALID, "date must not be after today (%s), not %s",
				     refctl_date_format(t, today), refctl_date_format(d, when));

	saved = refctl_node_clone(rec->root);
	switch (ch->verb) {
	case REFCTL_CONTENT_TRANSLATE: {
		struct refctl_node *tr = refctl_node_map();
		const char *orig_lang = c->lang;
		if (orig_lang && refctl_vocab_eq(orig_lang, ch->lang)) {
			refctl_node_free(tr);
			error = refctl__error(REFCTL_EINVALID, "lang: %s is already in %s: a translation must be into another language",
					      ch->id, orig_lang);
			goto done;
		}
		for (size_t i = 0; i < rec->a.ncontent; i++) {
			const struct refctl_content *o = &rec->a.content[i];
			if (o->translation_of && !strcmp(o->translation_of, ch->id) && o->lang &&
			    refctl_vocab_eq(o->lang, ch->lang)) {
				refctl_node_free(tr);
				error = refctl__error(REFCTL_EEXISTS, "%s already has a translation into %s: %s", ch->id,
						      ch->lang, o->id);
				goto done;
			}
		}
		set_str(tr, "kind", c->kind);
		set_str(tr, "lang", ch->lang);
		if (c->title)
			set_str(tr, "title", c->title);
		if (c->url)
			set_str(tr, "url", c->url);
		set_str(tr, "text", ch->text);
		set_list(tr, "products", c->products.v, c->products.n);
		set_list(tr, "use_cases", c->use_cases.v, c->use_cases.n);
		if (c->industry)
			set_str(tr, "industry", c->industry);
		set_date(tr, "created", today);
		if (c->expires != REFCTL_DATE_NONE)
			set_date(tr, "expires", c->expires);
		set_str(tr, "translation_of", ch->id);
		if (ch->by)
			set_str(tr, "translated_by", ch->by);
		if ((error = append_item(res, rec, tr, today)) < 0)
			goto restore;
		refctl_buf_printf(&res->subject, "refctl: content %s: %s translation of %s", res->id, ch->lang, ch->id);
		refctl_buf_printf(&res->detail, "translation of %s into %s, to be approved and reviewed", ch->id,
				  ch->lang);
		break;
	}
	case REFCTL_CONTENT_APPROVE:
		sub = refctl_node_map();
		set_str(sub, "by", ch->by);
		set_date(sub, "date", when);
		refctl_node_set(map, "approved", sub);
		refctl_buf_printf(&res->subject, "refctl: content %s approved by %s", ch->id, ch->by);
		refctl_buf_printf(&res->detail, "approved by %s on %s", ch->by, refctl_date_format(d, when));
		break;
	case REFCTL_CONTENT_LEGAL: {
		struct refctl_buf where = REFCTL_BUF_INIT;
		sub = refctl_node_map();
		set_str(sub, "by", ch->by);
		set_date(sub, "date", when);
		set_list(sub, "countries", ch->countries, ch->ncountries);
		refctl_node_set(map, "legal", sub);
		for (size_t i = 0; i < ch->ncountries; i++)
			refctl_buf_printf(&where, "%s%s", i ? ", " : "", ch->countries[i]);
		refctl_buf_printf(&res->subject, "refctl: content %s cleared by %s for %s", ch->id, ch->by,
				  where.size ? where.ptr : "every country");
		refctl_buf_printf(&res->detail, "cleared by %s for %s", ch->by, where.size ? where.ptr : "every country");
		refctl_buf_release(&where);
		break;
	}
	case REFCTL_CONTENT_EXPIRE:
		set_date(map, "expires", when);
		refctl_buf_printf(&res->subject, "refctl: content %s expires %s", ch->id, refctl_date_format(d, when));
		refctl_buf_printf(&res->detail, "expires %s", d);
		break;
	case REFCTL_CONTENT_USE: {
		struct refctl_node *used = refctl_node_get(map, "used");
		if ((error = refuse_unusable(&rec->a, c, today)) < 0)
			goto restore;
		for (size_t i = 0; i < c->used.n; i++)
			if (!strcmp(c->used.v[i], ch->request)) {
				error = refctl__error(REFCTL_EEXISTS, "%s was already used for %s", ch->id, ch->request);
				goto restore;
			}
		if (!used || used->kind != REFCTL_NODE_SEQ) {
			refctl_node_set(map, "used", refctl_node_seq());
			used = refctl_node_get(map, "used");
		}
		refctl_node_append(used, refctl_node_scalar(ch->request, 1));
		refctl_buf_printf(&res->subject, "refctl: content %s used for %s", ch->id, ch->request);
		refctl_buf_printf(&res->detail, "used for %s", ch->request);
		break;
	}
	}
	error = validate(rec, saved);
	goto done;
restore:
	refctl_record_restore(rec, saved);
done:
	refctl_node_free(saved);
	return error;
}

/* ---- on the store ---- */

int refctl_content_add(struct refctl_content_result *res, struct refctl_store *s,
		       const struct refctl_content_add_opts *o, const struct refctl_write_opts *opts)
{
	struct refctl_record *rec = NULL;
	struct refctl_txn *t = NULL;
	int error;

	result_reset(res);
	if (!o->advocate || !*o->advocate)
		return refctl__error(REFCTL_EUSAGE, "content needs an advocate");
	if ((error = refctl_content_add_check(o)) < 0)
		return error;
	error = refctl_txn_begin(&t, s, opts ? opts->txn_flags : 0);
	refctl__pass_warning(opts, s);
	if (error < 0)
		goto done;
	if ((error = refctl_store_load(s, o->advocate, &rec)) < 0 ||
	    (error = refctl_content_apply_add(res, rec, o)) < 0 ||
	    (error = refctl__txn_commit_record(t, rec, res->subject.ptr, NULL, opts)) < 0)
		goto done;
done:
	refctl_txn_free(t);
	refctl_record_free(rec);
	return error;
}

/* The request ch->request names must exist: in rec itself, or in its
 * advocate's file. */
static int check_request(struct refctl_store *s, const struct refctl_record *rec, const char *request)
{
	struct refctl_record *other = NULL;
	const char *slash = strchr(request, '/');
	char adv[64];
	int error = 0;

	if (!slash || slash == request || (size_t)(slash - request) >= sizeof(adv))
		return refctl__error(REFCTL_EINVALID, "'%s' is not a request id (ADVOCATE/YYMMDD-XXXXXXXX)", request);
	memcpy(adv, request, (size_t)(slash - request));
	adv[slash - request] = '\0';
	if (rec->a.id && !strcmp(adv, rec->a.id))
		return refctl_advocate_request(&rec->a, request, NULL)
			       ? 0
			       : refctl__error(REFCTL_ENOTFOUND, "no request '%s' in %s", request, rec->file);
	if (!refctl_id_valid(adv))
		return refctl__error(REFCTL_EINVALID, "'%s' is not a request id (ADVOCATE/YYMMDD-XXXXXXXX)", request);
	if ((error = refctl_store_load(s, adv, &other)) < 0)
		return error;
	if (!refctl_advocate_request(&other->a, request, NULL))
		error = refctl__error(REFCTL_ENOTFOUND, "no request '%s' in %s", request, other->file);
	refctl_record_free(other);
	return error;
}

int refctl_content_change(struct refctl_content_result *res, struct refctl_store *s,
			  const struct refctl_content_change *ch, const struct refctl_write_opts *opts)
{
	struct refctl_record *rec = NULL;
	struct refctl_txn *t = NULL;
	const char *slash;
	char adv[64];
	int error;

	result_reset(res);
	if ((error = refctl_content_change_check(ch)) < 0)
		return error;
	if (!(slash = strchr(ch->id, '/')) || slash == ch->id || (size_t)(slash - ch->id) >= sizeof(adv))
		return refctl__error(REFCTL_EUSAGE, "'%s' is not a content id (ADVOCATE/YYMMDD-XXXXXXXX)", ch->id);
	memcpy(adv, ch->id, (size_t)(slash - ch->id));
	adv[slash - ch->id] = '\0';
	error = refctl_txn_begin(&t, s, opts ? opts->txn_flags : 0);
	refctl__pass_warning(opts, s);
	if (error < 0)
		goto done;
	if ((error = refctl_store_load(s, adv, &rec)) < 0)
		goto done;
	if (ch->verb == REFCTL_CONTENT_USE && (error = check_request(s, rec, ch->request)) < 0)
		goto done;
	if ((error = refctl_content_apply_change(res, rec, ch)) < 0 ||
	    (error = refctl__txn_commit_record(t, rec, res->subject.ptr, NULL, opts)) < 0)
		goto done;
done:
	refctl_txn_free(t);
	refctl_record_free(rec);
	return error;
}

/* ---- reading ---- */

static char *dup_or_null(const char *s)
{
	return s ? refctl__strdup(s) : NULL;
}

static char *joined(const struct refctl_strlist *l)
{
	struct refctl_buf b = REFCTL_BUF_INIT;
	for (size_t i = 0; i < l->n; i++)
		refctl_buf_printf(&b, "%s%s", i ? ", " : "", l->v[i]);
	return refctl_buf_detach(&b);
}

static void entry_release(struct refctl_content_entry *e)
{
	free(e->id);
	free(e->advocate);
	free(e->kind);
	free(e->lang);
	free(e->title);
	free(e->industry);
	free(e->url);
	free(e->text);
	free(e->translation_of);
	free(e->translated_by);
	free(e->approved_by);
	free(e->legal_by);
	free(e->products);
	free(e->use_cases);
	free(e->countries);
	free(e->why);
	free(e->met);
	free(e->missing_lang);
}

void refctl_content_entries_release(struct refctl_content_entries *e)
{
	for (size_t i = 0; i < e->n; i++)
		entry_release(&e->v[i]);
	free(e->v);
	memset(e, 0, sizeof(*e));
}

static void entry_fill(struct refctl_content_entry *e, const struct refctl_advocate *a,
		       const struct refctl_content *c, unsigned rules, const char *why)
{
	memset(e, 0, sizeof(*e));
	e->id = refctl__strdup(c->id ? c->id : "");
	e->advocate = refctl__strdup(a->id);
	e->kind = refctl__strdup(c->kind ? c->kind : "");
	e->lang = refctl__strdup(c->lang ? c->lang : "");
	e->title = refctl__strdup(c->title ? c->title : "");
	e->industry = refctl__strdup(refctl_content_industry(a, c) ? refctl_content_industry(a, c) : "");
	e->url = dup_or_null(c->url);
	e->text = dup_or_null(c->text);
	e->translation_of = dup_or_null(c->translation_of);
	e->translated_by = dup_or_null(c->translated_by);
	e->approved_by = dup_or_null(c->approved_by);
	e->legal_by = dup_or_null(c->legal_by);
	e->products = joined(&c->products);
	e->use_cases = joined(&c->use_cases);
	e->countries = joined(&c->legal_countries);
	e->created = c->created;
	e->expires = c->expires;
	e->approved = c->approved_by ? c->approved_date : REFCTL_DATE_NONE;
	e->legal = c->legal_by ? c->legal_date : REFCTL_DATE_NONE;
	e->nused = c->used.n;
	e->rules = rules;
	e->why = refctl__strdup(why ? why : "");
}

static int has(const struct refctl_strlist *l, const char *value)
{
	for (size_t i = 0; i < l->n; i++)
		if (refctl_vocab_eq(l->v[i], value))
			return 1;
	return 0;
}

struct lister {
	const struct refctl_content_list_opts *o;
	struct refctl_content_entries *out;
	refctl_date today;
	struct refctl_buf why;
};

static int list_one(const struct refctl_record *rec, void *payload)
{
	struct lister *l = payload;
	const struct refctl_content_list_opts *o = l->o;
	const struct refctl_advocate *a = &rec->a;

	if (o->advocate && (!a->id || strcmp(a->id, o->advocate)))
		return 0;
	for (size_t i = 0; i < a->ncontent; i++) {
		const struct refctl_content *c = &a->content[i];
		const char *industry = refctl_content_industry(a, c);
		unsigned rules;
		if ((o->kind && (!c->kind || strcmp(c->kind, o->kind))) ||
		    (o->lang && (!c->lang || !refctl_vocab_eq(c->lang, o->lang))) ||
		    (o->industry && (!industry || !refctl_vocab_eq(industry, o->industry))) ||
		    (o->product && !has(&c->products, o->product)) || (o->use_case && !has(&c->use_cases, o->use_case)))
			continue;
		if (o->expiring_days >= 0 &&
		    (c->expires == REFCTL_DATE_NONE || c->expires <= l->today || c->expires > l->today + o->expiring_days))
			continue;
		refctl_buf_clear(&l->why);
		rules = refctl_content_usable(&l->why, a, c, NULL, l->today);
		if (o->usable && rules)
			continue;
		REFCTL__ARRAY_GROW(l->out->v, l->out->n + 1, l->out->alloc);
		entry_fill(&l->out->v[l->out->n++], a, c, rules, l->why.ptr);
	}
	return 0;
}

int refctl_content_list(struct refctl_content_entries *out, struct refctl_store *s,
			const struct refctl_content_list_opts *o)
{
	struct lister l = { o, out, o->today, REFCTL_BUF_INIT };
	int error;

	if (l.today == REFCTL_DATE_NONE && (error = refctl_date_today(&l.today)) < 0)
		return error;
	error = refctl_store_foreach(s, list_one, NULL, &l);
	refctl_buf_release(&l.why);
	return error;
}

/* ---- finding ---- */

void refctl_content_found_release(struct refctl_content_found *f)
{
	refctl_content_entries_release(&f->items);
	for (size_t i = 0; i < f->nvalues; i++) {
		free(f->values[i].text);
		free(f->values[i].canon);
	}
	free(f->values);
	memset(f, 0, sizeof(*f));
}

unsigned refctl_content_top_rule(size_t *count, const struct refctl_content_found *f)
{
	unsigned best = 0;
	size_t most = 0;

	for (int i = 0; i < REFCTL_CONTENT_NRULES; i++)
		if (f->excluded_by[i] > most) {
			most = f->excluded_by[i];
			best = 1u << i;
		}
	if (count)
		*count = most;
	return best;
}

static int found_cmp(const void *pa, const void *pb)
{
	const struct refctl_content_entry *a = pa, *b = pb;
	long long ka = (long long)(a->relevance * 1e9 + 0.5), kb = (long long)(b->relevance * 1e9 + 0.5);

	if (ka != kb)
		return ka > kb ? -1 : 1;
	if (!a->missing_lang != !b->missing_lang)
		return a->missing_lang ? 1 : -1;
	if (a->created != b->created)
		return a->created > b->created ? -1 : 1;
	return strcmp(a->id, b->id);
}

struct finder {
	const struct refctl_content_find_opts *o;
	struct refctl_content_found *out;
	struct refctl_matcher *m;
	size_t nvalues;
	refctl_date today;
	struct refctl_buf why;
	size_t limit;
};

/* Does item c of a have a translation into lang? */
static int has_translation(const struct refctl_advocate *a, const struct refctl_content *c, const char *lang)
{
	for (size_t i = 0; c->id && i < a->ncontent; i++) {
		const struct refctl_content *t = &a->content[i];
		if (t->translation_of && !strcmp(t->translation_of, c->id) && t->lang && refctl_vocab_eq(t->lang, lang))
			return 1;
	}
	return 0;
}

/* Keep the best `limit`: the array is kept sorted, the worst dropped. */
static void keep_found(struct finder *f, struct refctl_content_entry *e)
{
	struct refctl_content_entries *v = &f->out->items;
	size_t at;

	if (f->limit && v->n == f->limit) {
		if (found_cmp(e, &v->v[v->n - 1]) >= 0) {
			entry_release(e);
			return;
		}
		entry_release(&v->v[--v->n]);
	}
	REFCTL__ARRAY_GROW(v->v, v->n + 1, v->alloc);
	for (at = v->n; at > 0 && found_cmp(e, &v->v[at - 1]) < 0; at--)
		;
	memmove(&v->v[at + 1], &v->v[at], (v->n - at) * sizeof(*v->v));
	v->v[at] = *e;
	v->n++;
}

static int find_one(const struct refctl_record *rec, void *payload)
{
	struct finder *f = payload;
	const struct refctl_content_find_opts *o = f->o;
	const struct refctl_advocate *a = &rec->a;

	for (size_t i = 0; i < a->ncontent; i++) {
		const struct refctl_content *c = &a->content[i];
		struct refctl_content_entry e;
		struct refctl_strlist have[REFCTL_CRIT_COUNT];
		const char *ones[REFCTL_CRIT_COUNT] = { NULL };
		const char *missing = NULL;
		unsigned rules;

		if (!c->id)
			continue;
		f->out->nconsidered++;
		refctl_buf_clear(&f->why);
		rules = refctl_content_usable(&f->why, a, c, o->country, f->today);
		if (o->lang && !(c->lang && refctl_vocab_eq(c->lang, o->lang))) {
			if (o->any_lang && !c->translation_of && !has_translation(a, c, o->lang))
				missing = o->lang;
			else
				rules |= REFCTL_CONTENT_LANGUAGE;
		}
		if (rules) {
			for (int k = 0; k < REFCTL_CONTENT_NRULES; k++)
				if (rules & (1u << k))
					f->out->excluded_by[k]++;
			continue;
		}
		memset(have, 0, sizeof(have));
		have[REFCTL_CRIT_USE_CASE] = c->use_cases;
		have[REFCTL_CRIT_PRODUCT] = c->products;
		ones[REFCTL_CRIT_INDUSTRY] = refctl_content_industry(a, c);
		ones[REFCTL_CRIT_REGION] = a->region;
		ones[REFCTL_CRIT_COUNTRY] = a->country;
		ones[REFCTL_CRIT_SEGMENT] = a->segment;
		ones[REFCTL_CRIT_LANGUAGE] = c->lang;
		for (int k = 0; k < REFCTL_CRIT_COUNT; k++)
			if (ones[k]) {
				have[k].v = &ones[k];
				have[k].n = 1;
			}
		entry_fill(&e, a, c, 0, "");
		e.met = f->nvalues ? refctl__calloc(f->nvalues, 1) : NULL;
		e.relevance = refctl_matcher_relevance(f->m, e.crit, e.met, have);
		if ((long long)(e.relevance * 1e9 + 0.5) == 0) {
			/* usable, but fits none of the prospect's criteria: left out, as match does */
			f->out->nbelow++;
			entry_release(&e);
			continue;
		}
		f->out->nusable++;
		e.missing_lang = missing ? refctl__strdup(missing) : NULL;
		keep_found(f, &e);
	}
	return 0;
}

int refctl_content_find(struct refctl_content_found *out, struct refctl_store *s,
			const struct refctl_config *cfg, const struct refctl_content_find_opts *o)
{
	struct refctl_match_opts mo = REFCTL_MATCH_OPTS_INIT;
	struct finder f = { o, out, NULL, 0, o->today, REFCTL_BUF_INIT, 0 };
	const struct refctl_match_result *mv;
	int error;

	memset(out, 0, sizeof(*out));
	if (f.today == REFCTL_DATE_NONE && (error = refctl_date_today(&f.today)) < 0)
		return error;
	if (o->lang && (error = check_lang(o->lang)) < 0)
		return error;
	if (o->country && !refctl_iso_country_valid(o->country))
		return refctl__error(REFCTL_EINVALID, "country must be an ISO 3166 alpha-2 code such as DE, not '%s'",
				     o->country);
	f.limit = o->limit == REFCTL_MATCH_NO_LIMIT ? 0 : o->limit ? o->limit : REFCTL_MATCH_DEFAULT_LIMIT;
	mo.prospect = o->prospect;
	mo.today = f.today;
	if ((error = refctl_matcher_new(&f.m, cfg, &mo)) < 0)
		return error;
	mv = refctl_matcher_values(f.m);
	f.nvalues = mv->nvalues;
	out->possible = mv->possible;
	out->nvalues = mv->nvalues;
	out->values = mv->nvalues ? refctl__calloc(mv->nvalues, sizeof(*out->values)) : NULL;
	for (size_t i = 0; i < mv->nvalues; i++) {
		out->values[i].crit = mv->values[i].crit;
		out->values[i].text = refctl__strdup(mv->values[i].text);
		out->values[i].canon = refctl__strdup(mv->values[i].canon);
	}
	error = refctl_store_foreach(s, find_one, NULL, &f);
	refctl_matcher_free(f.m);
	refctl_buf_release(&f.why);
	if (error < 0)
		refctl_content_found_release(out);
	return error;
}
