/*
 * refctl content: add, translate, approve, legal, expire, use, show, list
 * and find. Each verb has one option table; the library (lib/content.c)
 * holds every rule.
 */
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "refctl/content.h"
#include "refctl/request.h"

static int date_cb(const struct refctl_option *opt, const char *arg, struct refctl_buf *err)
{
	refctl_date today;

	if (refctl_date_today(&today) < 0 || refctl_date_parse_human(opt->value, arg, today) < 0) {
		refctl_buf_printf(err, "--%s: %s", opt->long_name, refctl_error_last());
		return -1;
	}
	return 0;
}

static int content_fail(struct refctl_ctx *ctx, int error)
{
	if (error == REFCTL_EUSAGE)
		return usage_error(ctx, "%s", refctl_error_last());
	return fail(error);
}

/* The item ARG names (an id or a unique prefix) into id; an exit code. */
static int resolve_item(struct refctl_ctx *ctx, const char *arg, struct refctl_buf *id)
{
	struct refctl_buf advocate = REFCTL_BUF_INIT;
	int error = refctl_content_resolve(&advocate, id, ctx->store, arg);

	refctl_buf_release(&advocate);
	return error < 0 ? fail(error) : EXIT_OK;
}

static const char *date_text(char *buf, refctl_date d)
{
	return d == REFCTL_DATE_NONE ? "" : refctl_date_format(buf, d);
}

/* ---- usage ---- */

static const char *const add_usage[] = {
	"refctl content add ADVOCATE --kind K --lang L --title T (--text T | --text-file F | --url U)\n"
	"           [--product P]... [--use-case U]... [--expires D] [--no-commit] [-m TEXT]",
	"",
	"Adds an item to ADVOCATE's content, created today; prints its id. Kinds: quote,",
	"case-study, video, logo, review, testimonial, slide, article. It may be used once",
	"approved (content approve) and cleared by legal review (content legal).",
	NULL,
};
static const char *const translate_usage[] = {
	"refctl content translate ID --lang L (--text T | --text-file F) [--by NAME]\n"
	"           [--no-commit] [-m TEXT]",
	"",
	"Adds a translation of item ID into L (another language than ID's); prints its id.",
	"It needs its own approval and legal review, and cannot be approved before ID.",
	NULL,
};
static const char *const approve_usage[] = {
	"refctl content approve ID --by NAME [--date D] [--no-commit] [-m TEXT]",
	"",
	"Records the customer's approval of the item: who and when (default: today).",
	NULL,
};
static const char *const legal_usage[] = {
	"refctl content legal ID --by NAME [--country CC]... [--date D] [--no-commit] [-m TEXT]",
	"",
	"Records the legal and compliance review. --country limits where the item may be",
	"used (repeatable); without one it may be used everywhere.",
	NULL,
};
static const char *const expire_usage[] = {
	"refctl content expire ID [--date D] [--no-commit] [-m TEXT]",
	"",
	"Sets the day the item expires (default: today): it may be used until the day before.",
	NULL,
};
static const char *const use_usage[] = {
	"refctl content use ID --request REQ [--no-commit] [-m TEXT]",
	"",
	"Records that the item was sent for request REQ (an id or a unique prefix).",
	"Refused, with the reasons, when the item is not usable.",
	NULL,
};
static const char *const show_usage[] = {
	"refctl content show ID [--format text|json]",
	NULL,
};
static const char *const list_usage[] = {
	"refctl content list [--kind K] [--lang L] [--advocate A] [--industry I] [--product P]\n"
	"           [--use-case U] [--usable] [--expiring DAYS] [--format table|tsv|csv|json]",
	"",
	"Every content item, by advocate. usable is 'yes' or the rules the item fails:",
	"expired, not approved, no legal review, consent expired, no consent for the kind.",
	NULL,
};
static const char *const find_usage[] = {
	"refctl content find [--industry I] [--region R] [--country CC] [--language L]\n"
	"           [--segment S] [--product P]... [--use-case U]... [--prospect FILE|-]\n"
	"           [--lang L] [--any-lang] [--limit N] [--explain] [--format table|tsv|json]",
	"",
	"Ranks the usable items for a prospect by match's relevance (refctl.yaml",
	"match.weights), with the item's products, use cases, industry and language and",
	"its advocate's region, country and segment. Usable: unexpired, approved, cleared",
	"by legal review for --country CC (the prospect's), consent not expired and its",
	"scope covering the kind, in --lang L; --any-lang also offers an original whose",
	"translation into L is missing, flagged so. Items that meet none of the criteria",
	"(0%) are left out, as match leaves such advocates out. Exit 1 when no item is",
	"usable, naming the rule that excluded most.",
	NULL,
};

/* ---- writing verbs ---- */

static int content_add(int argc, char **argv, struct refctl_ctx *ctx)
{
	struct refctl_content_add_opts o = REFCTL_CONTENT_ADD_OPTS_INIT;
	struct refctl_write_opts w = CMD_WRITE_OPTS_INIT;
	struct refctl_content_result res;
	struct refctl_buf advocate = REFCTL_BUF_INIT, text = REFCTL_BUF_INIT;
	struct refctl_strvec products = REFCTL_STRVEC_INIT, use_cases = REFCTL_STRVEC_INIT;
	const char *text_file = NULL;
	int no_commit = 0, rc, error;
	const struct refctl_option options[] = {
		OPT_STRING(0, "kind", &o.kind, "K", "quote, case-study, video, logo, review, testimonial, slide or article"),
		OPT_STRING(0, "lang", &o.lang, "L", "its language (ISO 639-1)"),
		OPT_STRING(0, "title", &o.title, "T", "its title"),
		OPT_STRING(0, "text", &o.text, "T", "its text"),
		OPT_STRING(0, "text-file", &text_file, "F", "its text, from a file (UTF-8, 1 MiB at most)"),
		OPT_STRING(0, "url", &o.url, "U", "where it is (http or https)"),
		OPT_STRING_LIST(0, "product", &products, "P", "a product it is about (repeatable)"),
		OPT_STRING_LIST(0, "use-case", &use_cases, "U", "a use case it is about (repeatable)"),
		OPT_CALLBACK(0, "expires", &o.expires, "D", "the day it expires", date_cb),
		OPT_WRITE(&no_commit, &w.message),
		OPT_END(),
	};

	refctl_content_result_init(&res);
	if ((argc = parse_options(ctx, argc, argv, options, add_usage, 0)) < 0) {
		rc = PARSE_OPT_EXIT(argc);
		goto done;
	}
	if (argc != 1) {
		rc = usage_error(ctx, "expected one advocate id");
		goto done;
	}
	if (text_file && o.text) {
		rc = usage_error(ctx, "--text and --text-file cannot both be given");
		goto done;
	}
	if (text_file) {
		if ((error = refctl_content_read_text(&text, text_file)) < 0) {
			rc = fail(error);
			goto done;
		}
		o.text = text.ptr;
	}
	if (no_commit)
		w.txn_flags |= REFCTL_TXN_NO_COMMIT;
	if ((rc = resolve_advocate(ctx, argv[0], &advocate)) != EXIT_OK)
		goto done;
	o.advocate = advocate.ptr;
	o.products = products.v;
	o.nproducts = products.n;
	o.use_cases = use_cases.v;
	o.nuse_cases = use_cases.n;
	o.today = ctx->today;
	if ((error = refctl_content_add(&res, ctx->store, &o, &w)) < 0) {
		rc = content_fail(ctx, error);
		goto done;
	}
	printf("%s\n", res.id);
	rc = EXIT_OK;
done:
	refctl_content_result_release(&res);
	refctl_buf_release(&advocate);
	refctl_buf_release(&text);
	refctl_strvec_clear(&products);
	refctl_strvec_clear(&use_cases);
	return rc;
}

static int content_transition(int argc, char **argv, struct refctl_ctx *ctx, enum refctl_content_verb verb)
{
	struct refctl_content_change ch = REFCTL_CONTENT_CHANGE_INIT;
	struct refctl_write_opts w = CMD_WRITE_OPTS_INIT;
	struct refctl_content_result res;
	struct refctl_buf id = REFCTL_BUF_INIT, text = REFCTL_BUF_INIT, req = REFCTL_BUF_INIT,
			  reqadv = REFCTL_BUF_INIT;
	struct refctl_strvec countries = REFCTL_STRVEC_INIT;
	const char *text_file = NULL, *request = NULL;
	int no_commit = 0, rc, error;
	const struct refctl_option translate_options[] = {
		OPT_STRING(0, "lang", &ch.lang, "L", "the language of the translation (ISO 639-1)"),
		OPT_STRING(0, "text", &ch.text, "T", "its text"),
		OPT_STRING(0, "text-file", &text_file, "F", "its text, from a file (UTF-8, 1 MiB at most)"),
		OPT_STRING(0, "by", &ch.by, "NAME", "who translated it"),
		OPT_WRITE(&no_commit, &w.message),
		OPT_END(),
	};
	const struct refctl_option approve_options[] = {
		OPT_STRING(0, "by", &ch.by, "NAME", "who approved it for the customer (required)"),
		OPT_CALLBACK(0, "date", &ch.date, "D", "the day of the approval (default: today)", date_cb),
		OPT_WRITE(&no_commit, &w.message),
		OPT_END(),
	};
	const struct refctl_option legal_options[] = {
		OPT_STRING(0, "by", &ch.by, "NAME", "who reviewed it (required)"),
		OPT_STRING_LIST(0, "country", &countries, "CC", "a country it may be used in (repeatable; none: everywhere)"),
		OPT_CALLBACK(0, "date", &ch.date, "D", "the day of the review (default: today)", date_cb),
		OPT_WRITE(&no_commit, &w.message),
		OPT_END(),
	};
	const struct refctl_option expire_options[] = {
		OPT_CALLBACK(0, "date", &ch.date, "D", "the day it expires (default: today)", date_cb),
		OPT_WRITE(&no_commit, &w.message),
		OPT_END(),
	};
	const struct refctl_option use_options[] = {
		OPT_STRING(0, "request", &request, "REQ", "the request it was sent for (required)"),
		OPT_WRITE(&no_commit, &w.message),
		OPT_END(),
	};
	const struct refctl_option *const options[] = {
		[REFCTL_CONTENT_TRANSLATE] = translate_options, [REFCTL_CONTENT_APPROVE] = approve_options,
		[REFCTL_CONTENT_LEGAL] = legal_options,         [REFCTL_CONTENT_EXPIRE] = expire_options,
		[REFCTL_CONTENT_USE] = use_options,
	};
	const char *const *const usages[] = {
		[REFCTL_CONTENT_TRANSLATE] = translate_usage, [REFCTL_CONTENT_APPROVE] = approve_usage,
		[REFCTL_CONTENT_LEGAL] = legal_usage,         [REFCTL_CONTENT_EXPIRE] = expire_usage,
		[REFCTL_CONTENT_USE] = use_usage,
	};

	refctl_content_result_init(&res);
	if ((argc = parse_options(ctx, argc, argv, options[verb], usages[verb], 0)) < 0) {
		rc = PARSE_OPT_EXIT(argc);
		goto done;
	}
	if (argc != 1) {
		rc = usage_error(ctx, "expected one content id (ADVOCATE/YYMMDD-XXXXXXXX, or a unique prefix of it)");
		goto done;
	}
	if (text_file && ch.text) {
		rc = usage_error(ctx, "--text and --text-file cannot both be given");
		goto done;
	}
	ch.verb = verb;
	ch.countries = countries.v;
	ch.ncountries = countries.n;
	ch.today = ctx->today;
	if (text_file) {
		if ((error = refctl_content_read_text(&text, text_file)) < 0) {
			rc = fail(error);
			goto done;
		}
		ch.text = text.ptr;
	}
	/* what needs no file first: bad input is refused before any lookup */
	ch.id = argv[0];
	ch.request = request;
	if ((error = refctl_content_change_check(&ch)) < 0) {
		rc = content_fail(ctx, error);
		goto done;
	}
	if (no_commit)
		w.txn_flags |= REFCTL_TXN_NO_COMMIT;
	if ((rc = resolve_item(ctx, argv[0], &id)) != EXIT_OK)
		goto done;
	ch.id = id.ptr;
	if (request) {
		if ((error = refctl_request_resolve(&reqadv, &req, ctx->store, request)) < 0) {
			rc = fail(error);
			goto done;
		}
		ch.request = req.ptr;
	}
	if ((error = refctl_content_change(&res, ctx->store, &ch, &w)) < 0) {
		rc = content_fail(ctx, error);
		goto done;
	}
	if (verb == REFCTL_CONTENT_TRANSLATE)
		printf("%s\n", res.id);
	else
		printf("%s %s\n", res.id, res.detail.ptr);
	rc = EXIT_OK;
done:
	refctl_content_result_release(&res);
	refctl_buf_release(&id);
	refctl_buf_release(&text);
	refctl_buf_release(&req);
	refctl_buf_release(&reqadv);
	refctl_strvec_clear(&countries);
	return rc;
}

/* ---- show ---- */

static json_t *str_or_null(const char *s)
{
	return s && *s ? json_string(s) : json_null();
}

static json_t *date_or_null(refctl_date d)
{
	char buf[11];
	return d == REFCTL_DATE_NONE ? json_null() : json_string(refctl_date_format(buf, d));
}

static json_t *list_json(const char *joined)
{
	json_t *a = json_array();
	const char *p = joined;

	while (p && *p) {
		const char *comma = strstr(p, ", ");
		size_t n = comma ? (size_t)(comma - p) : strlen(p);
		json_array_append_new(a, json_stringn(p, n));
		p = comma ? comma + 2 : NULL;
	}
	return a;
}

static json_t *entry_json(const struct refctl_content_entry *e)
{
	json_t *o = json_object();

	json_object_set_new(o, "id", json_string(e->id));
	json_object_set_new(o, "advocate", json_string(e->advocate));
	json_object_set_new(o, "kind", json_string(e->kind));
	json_object_set_new(o, "lang", str_or_null(e->lang));
	json_object_set_new(o, "title", str_or_null(e->title));
	json_object_set_new(o, "url", str_or_null(e->url));
	json_object_set_new(o, "products", list_json(e->products));
	json_object_set_new(o, "use_cases", list_json(e->use_cases));
	json_object_set_new(o, "industry", str_or_null(e->industry));
	json_object_set_new(o, "created", date_or_null(e->created));
	json_object_set_new(o, "approved_by", str_or_null(e->approved_by));
	json_object_set_new(o, "approved", date_or_null(e->approved));
	json_object_set_new(o, "legal_by", str_or_null(e->legal_by));
	json_object_set_new(o, "legal", date_or_null(e->legal));
	json_object_set_new(o, "countries", list_json(e->countries));
	json_object_set_new(o, "expires", date_or_null(e->expires));
	json_object_set_new(o, "translation_of", str_or_null(e->translation_of));
	json_object_set_new(o, "translated_by", str_or_null(e->translated_by));
	json_object_set_new(o, "used", json_integer((json_int_t)e->nused));
	json_object_set_new(o, "usable", json_boolean(!e->rules));
	json_object_set_new(o, "not_usable", str_or_null(e->why));
	return o;
}

static int content_show(int argc, char **argv, struct refctl_ctx *ctx)
{
	struct refctl_content_list_opts lo = REFCTL_CONTENT_LIST_OPTS_INIT;
	struct refctl_content_entries all = REFCTL_CONTENT_ENTRIES_INIT;
	struct refctl_buf id = REFCTL_BUF_INIT, adv = REFCTL_BUF_INIT, out = REFCTL_BUF_INIT;
	const struct refctl_content_entry *e = NULL;
	const char *format = NULL;
	enum refctl_format fmt = REFCTL_FORMAT_TEXT;
	char d1[11], d2[11];
	int rc, error;
	const struct refctl_option options[] = {
		OPT_STRING(0, "format", &format, "FMT", "text (default) or json"),
		OPT_END(),
	};

	if ((argc = parse_options(ctx, argc, argv, options, show_usage, 0)) < 0)
		return PARSE_OPT_EXIT(argc);
	if (argc != 1)
		return usage_error(ctx, "expected one content id (ADVOCATE/YYMMDD-XXXXXXXX, or a unique prefix of it)");
	if (format && refctl_format_parse(&fmt, format, REFCTL_FMT(REFCTL_FORMAT_TEXT) | REFCTL_FMT(REFCTL_FORMAT_JSON)) < 0)
		return usage_error(ctx, "%s", refctl_error_last());
	if ((rc = resolve_item(ctx, argv[0], &id)) != EXIT_OK)
		goto done;
	refctl_buf_put(&adv, id.ptr, (size_t)(strchr(id.ptr, '/') - id.ptr));
	lo.advocate = adv.ptr;
	lo.today = ctx->today;
	if ((error = refctl_content_list(&all, ctx->store, &lo)) < 0) {
		rc = fail(error);
		goto done;
	}
	for (size_t i = 0; i < all.n && !e; i++)
		if (!strcmp(all.v[i].id, id.ptr))
			e = &all.v[i];
	if (!e) {
		error_msg("no content '%s'", id.ptr);
		rc = EXIT_NOTHING;
		goto done;
	}
	if (fmt == REFCTL_FORMAT_JSON) {
		json_t *o = entry_json(e), *tr = json_array();
		for (size_t i = 0; i < all.n; i++)
			if (all.v[i].translation_of && !strcmp(all.v[i].translation_of, e->id))
				json_array_append_new(tr, json_string(all.v[i].id));
		json_object_set_new(o, "text", str_or_null(e->text));
		json_object_set_new(o, "translations", tr);
		refctl_json_dump(&out, o);
		json_decref(o);
	} else {
		put_line(&out, "id:             %s", e->id);
		put_line(&out, "advocate:       %s", e->advocate);
		put_line(&out, "kind:           %s", e->kind);
		put_line(&out, "lang:           %s", e->lang);
		put_line(&out, "title:          %s", e->title);
		if (e->url)
			put_line(&out, "url:            %s", e->url);
		if (*e->products)
			put_line(&out, "products:       %s", e->products);
		if (*e->use_cases)
			put_line(&out, "use cases:      %s", e->use_cases);
		if (*e->industry)
			put_line(&out, "industry:       %s", e->industry);
		if (e->created != REFCTL_DATE_NONE)
			put_line(&out, "created:        %s", date_text(d1, e->created));
		if (e->approved_by)
			put_line(&out, "approved:       by %s on %s", e->approved_by, date_text(d1, e->approved));
		else
			put_line(&out, "approved:       no");
		if (e->legal_by)
			put_line(&out, "legal review:   by %s on %s, for %s", e->legal_by, date_text(d1, e->legal),
				 *e->countries ? e->countries : "every country");
		else
			put_line(&out, "legal review:   none");
		if (e->expires != REFCTL_DATE_NONE)
			put_line(&out, "expires:        %s", date_text(d2, e->expires));
		if (e->translation_of)
			put_line(&out, "translation of: %s%s%s", e->translation_of, e->translated_by ? ", by " : "",
				 e->translated_by ? e->translated_by : "");
		for (size_t i = 0; i < all.n; i++)
			if (all.v[i].translation_of && !strcmp(all.v[i].translation_of, e->id))
				put_line(&out, "translation:    %s %s", all.v[i].lang, all.v[i].id);
		put_line(&out, "used:           %zu time%s", e->nused, e->nused == 1 ? "" : "s");
		put_line(&out, "usable:         %s%s", e->rules ? "no: " : "yes", e->why);
		if (e->text) {
			refctl_buf_putc(&out, '\n');
			refctl_text_escape(&out, e->text, REFCTL_ESCAPE_KEEP_NEWLINE);
			refctl_buf_putc(&out, '\n');
		}
	}
	rc = emit(&out);
done:
	refctl_content_entries_release(&all);
	refctl_buf_release(&id);
	refctl_buf_release(&adv);
	refctl_buf_release(&out);
	return rc;
}

/* ---- list ---- */

static int content_list(int argc, char **argv, struct refctl_ctx *ctx)
{
	static const char *const headers[] = { "id", "advocate", "kind", "lang", "title", "approved", "legal",
					       "expires", "used", "usable" };
	struct refctl_content_list_opts lo = REFCTL_CONTENT_LIST_OPTS_INIT;
	struct refctl_content_entries all = REFCTL_CONTENT_ENTRIES_INIT;
	struct refctl_buf out = REFCTL_BUF_INIT, adv = REFCTL_BUF_INIT;
	enum refctl_format fmt = REFCTL_FORMAT_TABLE;
	const char *format = NULL, *advocate = NULL;
	int rc, error;
	const struct refctl_option options[] = {
		OPT_STRING(0, "kind", &lo.kind, "K", "only items of this kind"),
		OPT_STRING(0, "lang", &lo.lang, "L", "only items in this language"),
		OPT_STRING(0, "advocate", &advocate, "A", "only this advocate's items"),
		OPT_STRING(0, "industry", &lo.industry, "I", "only items for this industry (the advocate's if the item names none)"),
		OPT_STRING(0, "product", &lo.product, "P", "only items about this product"),
		OPT_STRING(0, "use-case", &lo.use_case, "U", "only items about this use case"),
		OPT_BOOL(0, "usable", &lo.usable, "only the items that may be used today"),
		OPT_INTEGER(0, "expiring", &lo.expiring_days, "DAYS", "only items expiring within DAYS days", 0, 36600),
		OPT_STRING(0, "format", &format, "FMT", "table (default), tsv, csv or json"),
		OPT_END(),
	};

	if ((argc = parse_options(ctx, argc, argv, options, list_usage, 0)) < 0)
		return PARSE_OPT_EXIT(argc);
	if (argc)
		return usage_error(ctx, "unexpected argument '%s'", argv[0]);
	if (format && refctl_format_parse(&fmt, format,
					  REFCTL_FMT(REFCTL_FORMAT_TABLE) | REFCTL_FMT(REFCTL_FORMAT_TSV) |
					  REFCTL_FMT(REFCTL_FORMAT_CSV) | REFCTL_FMT(REFCTL_FORMAT_JSON)) < 0)
		return usage_error(ctx, "%s", refctl_error_last());
	if (advocate) {
		if ((rc = resolve_advocate(ctx, advocate, &adv)) != EXIT_OK)
			goto done;
		lo.advocate = adv.ptr;
	}
	lo.today = ctx->today;
	if ((error = refctl_content_list(&all, ctx->store, &lo)) < 0) {
		rc = fail(error);
		goto done;
	}
	if (fmt == REFCTL_FORMAT_JSON) {
		json_t *arr = json_array();
		for (size_t i = 0; i < all.n; i++)
			json_array_append_new(arr, entry_json(&all.v[i]));
		refctl_json_dump(&out, arr);
		json_decref(arr);
	} else {
		struct refctl_table *t = refctl_table_new(10, headers);
		for (size_t i = 0; i < all.n; i++) {
			const struct refctl_content_entry *e = &all.v[i];
			char a[11], x[11], l[11];
			struct refctl_buf legal = REFCTL_BUF_INIT, used = REFCTL_BUF_INIT, usable = REFCTL_BUF_INIT;
			const char *cells[10];
			if (e->legal_by)
				refctl_buf_printf(&legal, "%s%s%s", date_text(l, e->legal), *e->countries ? " " : "",
						  e->countries);
			refctl_buf_printf(&used, "%zu", e->nused);
			refctl_buf_puts(&usable, e->rules ? e->why : "yes");
			cells[0] = e->id;
			cells[1] = e->advocate;
			cells[2] = e->kind;
			cells[3] = e->lang;
			cells[4] = e->title;
			cells[5] = date_text(a, e->approved);
			cells[6] = legal.ptr;
			cells[7] = date_text(x, e->expires);
			cells[8] = used.ptr;
			cells[9] = usable.ptr;
			refctl_table_add(t, cells);
			refctl_buf_release(&legal);
			refctl_buf_release(&used);
			refctl_buf_release(&usable);
		}
		if (fmt != REFCTL_FORMAT_TABLE || refctl_table_rows(t))
			render_table_ctx(&out, t, fmt, ctx);
		refctl_table_free(t);
	}
	rc = emit(&out);
	if (rc == EXIT_OK && !all.n && fmt == REFCTL_FORMAT_TABLE)
		rc = EXIT_OK;
done:
	refctl_content_entries_release(&all);
	refctl_buf_release(&out);
	refctl_buf_release(&adv);
	return rc;
}

/* ---- find ---- */

static int push_criterion(const struct refctl_option *opt, const char *arg, struct refctl_buf *err)
{
	if (!*arg) {
		refctl_buf_printf(err, "option '--%s' needs a value", opt->long_name);
		return -1;
	}
	refctl_strvec_push(opt->value, arg);
	return 0;
}

static void note_of(struct refctl_buf *b, const struct refctl_content_entry *e)
{
	if (e->missing_lang)
		refctl_buf_printf(b, "translation into %s missing", e->missing_lang);
}

static void values_of(struct refctl_buf *b, const struct refctl_content_found *f,
		      const struct refctl_content_entry *e, int want)
{
	for (size_t i = 0; i < f->nvalues; i++)
		if (e->met[i] == want)
			refctl_buf_printf(b, "%s%s=%s", b->size ? "," : "", refctl_criterion_names[f->values[i].crit],
					  f->values[i].text);
}

static void render_found(struct refctl_buf *out, const struct refctl_content_found *f, enum refctl_format fmt,
			 struct refctl_ctx *ctx)
{
	if (fmt == REFCTL_FORMAT_JSON) {
		json_t *arr = json_array();
		for (size_t i = 0; i < f->items.n; i++) {
			const struct refctl_content_entry *e = &f->items.v[i];
			json_t *o = entry_json(e);
			struct refctl_buf m = REFCTL_BUF_INIT, x = REFCTL_BUF_INIT;
			values_of(&m, f, e, 1);
			values_of(&x, f, e, 0);
			json_object_set_new(o, "rank", json_integer((json_int_t)i + 1));
			json_object_set_new(o, "relevance", json_real(e->relevance));
			json_object_set_new(o, "matched", list_json(m.ptr));
			json_object_set_new(o, "missed", list_json(x.ptr));
			json_object_set_new(o, "translation_missing", str_or_null(e->missing_lang));
			json_array_append_new(arr, o);
			refctl_buf_release(&m);
			refctl_buf_release(&x);
		}
		refctl_json_dump(out, arr);
		json_decref(arr);
		return;
	}
	{
		static const char *const headers[] = { "rank", "id", "kind", "lang", "title", "relevance", "note" };
		struct refctl_table *t = refctl_table_new(7, headers);
		refctl_table_align_right(t, 0);
		refctl_table_align_right(t, 5);
		for (size_t i = 0; i < f->items.n; i++) {
			const struct refctl_content_entry *e = &f->items.v[i];
			struct refctl_buf rk = REFCTL_BUF_INIT, rel = REFCTL_BUF_INIT, note = REFCTL_BUF_INIT;
			const char *cells[7];
			refctl_buf_printf(&rk, "%zu", i + 1);
			if (fmt == REFCTL_FORMAT_TSV)
				refctl_buf_printf(&rel, "%.4f", e->relevance);
			else
				refctl_buf_printf(&rel, "%lld%%", refctl_match_percent(e->relevance));
			note_of(&note, e);
			cells[0] = rk.ptr;
			cells[1] = e->id;
			cells[2] = e->kind;
			cells[3] = e->lang;
			cells[4] = e->title;
			cells[5] = rel.ptr;
			cells[6] = note.ptr;
			refctl_table_add(t, cells);
			refctl_buf_release(&rk);
			refctl_buf_release(&rel);
			refctl_buf_release(&note);
		}
		if (fmt != REFCTL_FORMAT_TABLE || refctl_table_rows(t))
			render_table_ctx(out, t, fmt, ctx);
		refctl_table_free(t);
	}
}

static void render_explain(struct refctl_buf *out, const struct refctl_content_found *f,
			   const struct refctl_config *cfg)
{
	refctl_match_explain_criteria(out, f->values, f->nvalues, f->possible, cfg->weights, "item");
	for (size_t i = 0; i < f->items.n; i++) {
		const struct refctl_content_entry *e = &f->items.v[i];
		double earned = 0;
		refctl_buf_putc(out, '\n');
		put_line(out, "%zu. %s (%s, %s, %s)", i + 1, e->id, e->kind, e->lang, e->title);
		for (int c = 0; c < REFCTL_CRIT_COUNT; c++)
			earned += e->crit[c].earned;
		refctl_buf_printf(out, "   relevance %lld%%: ", refctl_match_percent(e->relevance));
		refctl_match_points(out, earned);
		refctl_buf_puts(out, " of ");
		refctl_match_points(out, f->possible);
		refctl_buf_puts(out, " points\n");
		for (int c = 0; c < REFCTL_CRIT_COUNT; c++) {
			const struct refctl_match_score *sc = &e->crit[c];
			struct refctl_buf line = REFCTL_BUF_INIT, vals = REFCTL_BUF_INIT;
			if (!sc->nvalues)
				continue;
			refctl_match_explain_values(&vals, f->values, f->nvalues, e->met, (enum refctl_criterion)c);
			refctl_match_points(&line, sc->earned);
			refctl_buf_puts(&line, " of ");
			refctl_match_points(&line, sc->weight);
			put_line(out, "   %-6s  %-8s  %s  %s", sc->nmet == sc->nvalues ? "met" : sc->nmet ? "partly" : "missed",
				 refctl_criterion_names[c], line.ptr, vals.ptr);
			refctl_buf_release(&line);
			refctl_buf_release(&vals);
		}
		if (e->missing_lang)
			put_line(out, "   an original: its translation into %s is missing", e->missing_lang);
	}
}

static int nothing_usable(const struct refctl_content_found *f)
{
	size_t count;
	unsigned rule = refctl_content_top_rule(&count, f);

	if (!f->nconsidered)
		error_msg("no content is usable: there is no content in advocates/");
	else if (f->nbelow)
		error_msg("no content is usable: %zu usable item%s meet%s none of the criteria; the rule that excluded most of the others is '%s' (%zu of %zu)",
			  f->nbelow, f->nbelow == 1 ? "" : "s", f->nbelow == 1 ? "s" : "", refctl_content_rule_name(rule),
			  count, f->nconsidered);
	else
		error_msg("no content is usable: the rule that excluded most is '%s' (%zu of %zu)",
			  refctl_content_rule_name(rule), count, f->nconsidered);
	return EXIT_NOTHING;
}

static int load_prospect(struct refctl_prospect *p, const char *path)
{
	struct refctl_buf data = REFCTL_BUF_INIT;
	int error = 0;

	if (read_input(&data, path, "the prospect", 1024 * 1024) != EXIT_OK)
		error = -1;
	else if (refctl_prospect_parse(p, strcmp(path, "-") ? path : "<stdin>", data.ptr, data.size) < 0) {
		error_msg("%s", refctl_error_last());
		error = -1;
	}
	refctl_buf_release(&data);
	return error;
}

static int content_find(int argc, char **argv, struct refctl_ctx *ctx)
{
	struct refctl_content_find_opts fo = REFCTL_CONTENT_FIND_OPTS_INIT;
	struct refctl_prospect prospect = REFCTL_PROSPECT_INIT;
	struct refctl_content_found found;
	struct refctl_buf out = REFCTL_BUF_INIT;
	struct refctl_strvec crit[REFCTL_CRIT_COUNT];
	enum refctl_format fmt = REFCTL_FORMAT_TABLE;
	const char *prospect_file = NULL, *format = NULL;
	int rc = EXIT_OK, error, explain = 0, limit = -1;
#define OPT_CRITERION(l, c, a, h) OPT_CALLBACK(0, (l), &crit[(c)], (a), (h), push_criterion)
	const struct refctl_option options[] = {
		OPT_GROUP("Criteria"),
		OPT_CRITERION("industry", REFCTL_CRIT_INDUSTRY, "I", "the prospect's industry"),
		OPT_CRITERION("region", REFCTL_CRIT_REGION, "R", "the prospect's region"),
		OPT_CRITERION("country", REFCTL_CRIT_COUNTRY, "CC", "the prospect's country: also where the item must be cleared"),
		OPT_CRITERION("language", REFCTL_CRIT_LANGUAGE, "L", "a language the prospect reads (ranks, does not filter)"),
		OPT_CRITERION("segment", REFCTL_CRIT_SEGMENT, "S", "smb, mid-market or enterprise"),
		OPT_CRITERION("product", REFCTL_CRIT_PRODUCT, "P", "a product the prospect needs (repeatable)"),
		OPT_CRITERION("use-case", REFCTL_CRIT_USE_CASE, "U", "a use case of the prospect (repeatable)"),
		OPT_STRING(0, "prospect", &prospect_file, "FILE|-", "the criteria as YAML; flags given win"),
		OPT_GROUP("Usable"),
		OPT_STRING(0, "lang", &fo.lang, "L", "only items in this language (ISO 639-1)"),
		OPT_BOOL(0, "any-lang", &fo.any_lang, "also originals whose translation into --lang is missing"),
		OPT_GROUP("Output"),
		OPT_INTEGER(0, "limit", &limit, "N", "the best N items (default 10, 0 for all)", 0, INT_MAX),
		OPT_BOOL(0, "explain", &explain, "each criterion met or missed, with its weight"),
		OPT_STRING(0, "format", &format, "FMT", "table (default), tsv or json"),
		OPT_END(),
	};
#undef OPT_CRITERION

	memset(crit, 0, sizeof(crit));
	memset(&found, 0, sizeof(found));
	if ((argc = parse_options(ctx, argc, argv, options, find_usage, 0)) < 0) {
		rc = PARSE_OPT_EXIT(argc);
		goto done;
	}
	if (argc > 0) {
		rc = usage_error(ctx, "unexpected argument '%s'", argv[0]);
		goto done;
	}
	if (format && refctl_format_parse(&fmt, format,
					  REFCTL_FMT(REFCTL_FORMAT_TABLE) | REFCTL_FMT(REFCTL_FORMAT_TSV) |
					  REFCTL_FMT(REFCTL_FORMAT_JSON)) < 0) {
		rc = usage_error(ctx, "%s", refctl_error_last());
		goto done;
	}
	if (explain && format && fmt != REFCTL_FORMAT_TABLE) {
		rc = usage_error(ctx, "--explain prints text and cannot be combined with --format %s",
				 refctl_format_name(fmt));
		goto done;
	}
	if (fo.any_lang && !fo.lang) {
		rc = usage_error(ctx, "--any-lang needs --lang L");
		goto done;
	}
	if (limit >= 0)
		fo.limit = limit ? (size_t)limit : REFCTL_MATCH_NO_LIMIT;
	if (prospect_file && load_prospect(&prospect, prospect_file) < 0) {
		rc = EXIT_USAGE;
		goto done;
	}
	for (int k = 0; k < REFCTL_CRIT_COUNT; k++) {
		if (!crit[k].n)
			continue;
		refctl_prospect_clear(&prospect, (enum refctl_criterion)k);
		for (size_t i = 0; i < crit[k].n; i++)
			if ((error = refctl_prospect_add(&prospect, (enum refctl_criterion)k, crit[k].v[i])) < 0) {
				rc = usage_error(ctx, "%s", refctl_error_last());
				goto done;
			}
	}
	/* the prospect's country is where the item must be cleared */
	if (prospect.values[REFCTL_CRIT_COUNTRY].n)
		fo.country = prospect.values[REFCTL_CRIT_COUNTRY].v[0];
	fo.prospect = &prospect;
	fo.today = ctx->today;
	if ((error = refctl_content_find(&found, ctx->store, refctl_store_config(ctx->store), &fo)) < 0) {
		rc = fail(error);
		goto done;
	}
	if (explain)
		render_explain(&out, &found, refctl_store_config(ctx->store));
	else
		render_found(&out, &found, fmt, ctx);
	rc = emit(&out);
	if (rc == EXIT_OK && !found.nusable)
		rc = nothing_usable(&found);
done:
	for (int k = 0; k < REFCTL_CRIT_COUNT; k++)
		refctl_strvec_clear(&crit[k]);
	refctl_prospect_release(&prospect);
	refctl_content_found_release(&found);
	refctl_buf_release(&out);
	return rc;
}

/* ---- the verbs ---- */

enum { VERB_ADD = 100, VERB_SHOW, VERB_LIST, VERB_FIND };

static const struct cmd_verb verbs[] = {
	{ "add", "add a quote, case study, video ... to an advocate's content", add_usage, VERB_ADD },
	{ "translate", "add a translation of an item into another language", translate_usage, REFCTL_CONTENT_TRANSLATE },
	{ "approve", "record the customer's approval of an item", approve_usage, REFCTL_CONTENT_APPROVE },
	{ "legal", "record an item's legal review, and where it may be used", legal_usage, REFCTL_CONTENT_LEGAL },
	{ "expire", "set the day an item expires", expire_usage, REFCTL_CONTENT_EXPIRE },
	{ "use", "record that an item was sent for a request", use_usage, REFCTL_CONTENT_USE },
	{ "show", "show one item", show_usage, VERB_SHOW },
	{ "list", "list the content items", list_usage, VERB_LIST },
	{ "find", "rank the usable items for a prospect", find_usage, VERB_FIND },
};
#define NVERBS (sizeof(verbs) / sizeof(verbs[0]))

static const char *const content_prose[] = {
	"",
	"See 'refctl content VERB -h' for the options of one verb.",
	"",
	"Content ids are ADVOCATE/YYMMDD-XXXXXXXX; any unique prefix names an item. An item",
	"is usable while unexpired, approved, cleared by legal review (for the country,",
	"if the review lists countries), the advocate's consent not expired and its scope",
	"covering the kind: quote, logo, video and case-study need their own scope, the",
	"other kinds 'name'.",
	NULL,
};

int cmd_content(int argc, char **argv, struct refctl_ctx *ctx)
{
	int rc, i = parse_verb(ctx, &argc, argv, "content", verbs, NVERBS, content_prose, &rc);

	if (i < 0)
		return rc;
	switch (verbs[i].id) {
	case VERB_ADD:
		return content_add(argc, argv, ctx);
	case VERB_SHOW:
		return content_show(argc, argv, ctx);
	case VERB_LIST:
		return content_list(argc, argv, ctx);
	case VERB_FIND:
		return content_find(argc, argv, ctx);
	default:
		return content_transition(argc, argv, ctx, (enum refctl_content_verb)verbs[i].id);
	}
}
