/* Program settings: refctl.yaml. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "refctl/config.h"
#include "util.h"

const char *const refctl_criterion_names[REFCTL_CRIT_COUNT] = {
	"use_case", "product", "industry", "region", "language", "country", "segment",
};

static const double default_weights[REFCTL_CRIT_COUNT] = { 4, 3, 3, 2, 2, 1, 1 };
static const long default_points[] = {
	/* reference-call, case-study, quote, video, speaking, press, analyst,
	 * advisory-board, beta, referral, site-visit, social, community */
	10, 50, 10, 50, 75, 50, 50, 50, 25, 25, 100, 5, 5,
};

#define STR_(x) #x
#define STR(x) STR_(x)

static const char template[] =
	"# refctl program settings. Every value below is the default; see\n"
	"# 'Program settings' in the README for what each one means.\n"
	"program: Customer reference program\n"
	"limits:\n"
	"  per_quarter: " STR(REFCTL_DEFAULT_PER_QUARTER) "\n"
	"  rest_days: " STR(REFCTL_DEFAULT_REST_DAYS) "\n"
	"match:\n"
	"  weights:\n"
	"    use_case: 4\n"
	"    product: 3\n"
	"    industry: 3\n"
	"    region: 2\n"
	"    language: 2\n"
	"    country: 1\n"
	"    segment: 1\n"
	"  aliases: {}\n"
	"rewards:\n"
	"  points:\n"
	"    reference-call: 10\n"
	"    case-study: 50\n"
	"    quote: 10\n"
	"    video: 50\n"
	"    speaking: 75\n"
	"    press: 50\n"
	"    analyst: 50\n"
	"    advisory-board: 50\n"
	"    beta: 25\n"
	"    referral: 25\n"
	"    site-visit: 100\n"
	"    social: 5\n"
	"    community: 5\n"
	"report:\n"
	"  consent_warning_days: 60\n"
	"  at_risk_nps: 6\n"
	"  at_risk_contact_days: 180\n"
	"vocabulary:\n"
	"  industries: []\n"
	"  regions: []\n"
	"  products: []\n"
	"  use_cases: []\n";

const char *refctl_config_template(void)
{
	return template;
}

void refctl_config_defaults(struct refctl_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->program = refctl__strdup("Customer reference program");
	cfg->per_quarter = REFCTL_DEFAULT_PER_QUARTER;
	cfg->rest_days = REFCTL_DEFAULT_REST_DAYS;
	memcpy(cfg->weights, default_weights, sizeof(default_weights));
	for (size_t i = 0; i < sizeof(default_points) / sizeof(default_points[0]); i++)
		cfg->points[i] = default_points[i];
	cfg->consent_warning_days = 60;
	cfg->at_risk_nps = 6;
	cfg->at_risk_contact_days = 180;
}

static void vocab_free(struct refctl_vocab *v)
{
	for (size_t i = 0; i < v->n; i++)
		free(v->v[i]);
	free(v->v);
}

void refctl_config_free(struct refctl_config *cfg)
{
	if (!cfg)
		return;
	free(cfg->program);
	for (size_t i = 0; i < cfg->naliases; i++) {
		free(cfg->aliases[i].from);
		free(cfg->aliases[i].to);
	}
	free(cfg->aliases);
	vocab_free(&cfg->industries);
	vocab_free(&cfg->regions);
	vocab_free(&cfg->products);
	vocab_free(&cfg->use_cases);
	free(cfg);
}

static int bad(const char *file, const struct refctl_node *n, const char *fmt, const char *what)
{
	return refctl__error_at(REFCTL_EINVALID, file, n ? n->line : 1, n ? n->col : 1, fmt, what);
}

static int get_int(const char *file, const struct refctl_node *n, const char *path, long min,
		   long max, int *out)
{
	char *end;
	long v;

	if (!n)
		return 0;
	if (n->kind != REFCTL_NODE_SCALAR || n->is_string || !n->len)
		return bad(file, n, "%s must be a whole number", path);
	errno = 0;
	v = strtol(n->str, &end, 10);
	if (errno || *end || v < min || v > max)
		return refctl__error_at(REFCTL_EINVALID, file, n->line, n->col,
					"%s must be a whole number from %ld to %ld", path, min, max);
	*out = (int)v;
	return 0;
}

static int get_vocab(const char *file, const struct refctl_node *n, const char *path,
		     struct refctl_vocab *out)
{
	struct refctl_buf b = REFCTL_BUF_INIT;

	if (!n || refctl_yaml_is_null(n))
		return 0;
	if (n->kind != REFCTL_NODE_SEQ)
		return bad(file, n, "%s must be a list of strings", path);
	out->v = refctl__calloc(n->n + 1, sizeof(char *));
	for (size_t i = 0; i < n->n; i++) {
		if (n->items[i]->kind != REFCTL_NODE_SCALAR) {
			refctl_buf_release(&b);
			return bad(file, n->items[i], "%s must be a list of strings", path);
		}
		refctl_vocab_norm(&b, n->items[i]->str);
		out->v[out->n++] = refctl_buf_detach(&b);
	}
	return 0;
}

static int check_keys(const char *file, const struct refctl_node *map, const char *path,
		      const char *const *keys)
{
	if (map->kind != REFCTL_NODE_MAP)
		return bad(file, map, "%s must be a map", *path ? path : "the settings file");
	for (size_t i = 0; i + 1 < map->n; i += 2) {
		int ok = 0;
		for (int k = 0; keys[k]; k++)
			if (!strcmp(keys[k], map->items[i]->str))
				ok = 1;
		if (!ok)
			return refctl__error_at(REFCTL_EINVALID, file, map->items[i]->line,
						map->items[i]->col, "unknown setting '%s%s%s'", path,
						*path ? "." : "", map->items[i]->str);
	}
	return 0;
}

static int parse_tree(struct refctl_config *cfg, const char *file, const struct refctl_node *root)
{
	static const char *const top_keys[] = { "program", "limits", "match", "rewards", "report",
						"vocabulary", NULL };
	static const char *const limit_keys[] = { "per_quarter", "rest_days", NULL };
	static const char *const match_keys[] = { "weights", "aliases", NULL };
	static const char *const reward_keys[] = { "points", NULL };
	static const char *const report_keys[] = { "consent_warning_days", "at_risk_nps",
						   "at_risk_contact_days", NULL };
	static const char *const vocab_keys[] = { "industries", "regions", "products", "use_cases", NULL };
	const struct refctl_node *n, *m;
	int error;

	if (refctl_yaml_is_null(root))
		return 0;
	if ((error = check_keys(file, root, "", top_keys)) < 0)
		return error;
	if ((n = refctl_node_get(root, "program")) && !refctl_yaml_is_null(n)) {
		if (n->kind != REFCTL_NODE_SCALAR)
			return bad(file, n, "%s must be a string", "program");
		free(cfg->program);
		cfg->program = refctl__strdup(n->str);
	}
	if ((n = refctl_node_get(root, "limits")) && !refctl_yaml_is_null(n)) {
		if ((error = check_keys(file, n, "limits", limit_keys)) < 0 ||
		    (error = get_int(file, refctl_node_get(n, "per_quarter"), "limits.per_quarter", 0, 1000,
				     &cfg->per_quarter)) < 0 ||
		    (error = get_int(file, refctl_node_get(n, "rest_days"), "limits.rest_days", 0, 3660,
				     &cfg->rest_days)) < 0)
			return error;
	}
	if ((n = refctl_node_get(root, "match")) && !refctl_yaml_is_null(n)) {
		if ((error = check_keys(file, n, "match", match_keys)) < 0)
			return error;
		if ((m = refctl_node_get(n, "weights")) && !refctl_yaml_is_null(m)) {
			static const char *const weight_keys[] = { "use_case", "product", "industry",
								   "region", "language", "country",
								   "segment", NULL };
			if ((error = check_keys(file, m, "match.weights", weight_keys)) < 0)
				return error;
			for (int c = 0; c < REFCTL_CRIT_COUNT; c++) {
				const struct refctl_node *w = refctl_node_get(m, refctl_criterion_names[c]);
				char *end;
				double v;
				if (!w)
					continue;
				errno = 0;
				v = w->kind == REFCTL_NODE_SCALAR && !w->is_string && w->len ? strtod(w->str, &end) : -1;
				/* plain decimals (no exponents, hex, inf or nan), bounded so
				 * that sums of weights stay exact and finite */
				if (w->kind != REFCTL_NODE_SCALAR || w->is_string || !w->len || errno || *end ||
				    w->str[strspn(w->str, "0123456789.")] || !isfinite(v) || v < 0 ||
				    v > REFCTL_WEIGHT_MAX)
					return refctl__error_at(REFCTL_EINVALID, file, w->line, w->col,
								"match.weights.%s must be a number from 0 to %d",
								refctl_criterion_names[c], REFCTL_WEIGHT_MAX);
				cfg->weights[c] = v;
			}
		}
		if ((m = refctl_node_get(n, "aliases")) && !refctl_yaml_is_null(m)) {
			struct refctl_buf b = REFCTL_BUF_INIT;
			if (m->kind != REFCTL_NODE_MAP)
				return bad(file, m, "%s must be a map of value: canonical value", "match.aliases");
			cfg->aliases = refctl__calloc(m->n / 2 + 1, sizeof(*cfg->aliases));
			for (size_t i = 0; i + 1 < m->n; i += 2) {
				if (m->items[i + 1]->kind != REFCTL_NODE_SCALAR)
					return bad(file, m->items[i + 1], "%s must be a map of value: canonical value",
						   "match.aliases");
				refctl_vocab_norm(&b, m->items[i]->str);
				cfg->aliases[cfg->naliases].from = refctl_buf_detach(&b);
				refctl_vocab_norm(&b, m->items[i + 1]->str);
				cfg->aliases[cfg->naliases++].to = refctl_buf_detach(&b);
			}
		}
	}
	if ((n = refctl_node_get(root, "rewards")) && !refctl_yaml_is_null(n)) {
		if ((error = check_keys(file, n, "rewards", reward_keys)) < 0)
			return error;
		if ((m = refctl_node_get(n, "points")) && !refctl_yaml_is_null(m)) {
			if ((error = check_keys(file, m, "rewards.points", refctl_activities)) < 0)
				return error;
			for (int a = 0; refctl_activities[a]; a++) {
				int v = (int)cfg->points[a];
				char path[64];
				snprintf(path, sizeof(path), "rewards.points.%s", refctl_activities[a]);
				if ((error = get_int(file, refctl_node_get(m, refctl_activities[a]), path, 0,
						     1000000, &v)) < 0)
					return error;
				cfg->points[a] = v;
			}
		}
	}
	if ((n = refctl_node_get(root, "report")) && !refctl_yaml_is_null(n)) {
		if ((error = check_keys(file, n, "report", report_keys)) < 0 ||
		    (error = get_int(file, refctl_node_get(n, "consent_warning_days"),
				     "report.consent_warning_days", 0, 3660, &cfg->consent_warning_days)) < 0 ||
		    (error = get_int(file, refctl_node_get(n, "at_risk_nps"), "report.at_risk_nps", -1, 10,
				     &cfg->at_risk_nps)) < 0 ||
		    (error = get_int(file, refctl_node_get(n, "at_risk_contact_days"),
				     "report.at_risk_contact_days", 0, 36600, &cfg->at_risk_contact_days)) < 0)
			return error;
	}
	if ((n = refctl_node_get(root, "vocabulary")) && !refctl_yaml_is_null(n)) {
		if ((error = check_keys(file, n, "vocabulary", vocab_keys)) < 0 ||
		    (error = get_vocab(file, refctl_node_get(n, "industries"), "vocabulary.industries",
				       &cfg->industries)) < 0 ||
		    (error = get_vocab(file, refctl_node_get(n, "regions"), "vocabulary.regions",
				       &cfg->regions)) < 0 ||
		    (error = get_vocab(file, refctl_node_get(n, "products"), "vocabulary.products",
				       &cfg->products)) < 0 ||
		    (error = get_vocab(file, refctl_node_get(n, "use_cases"), "vocabulary.use_cases",
				       &cfg->use_cases)) < 0)
			return error;
	}
	return 0;
}

int refctl_config_parse(struct refctl_config **out, const char *file, const char *data, size_t len)
{
	struct refctl_config *cfg = refctl__calloc(1, sizeof(*cfg));
	struct refctl_yaml_docs docs;
	int error;

	*out = NULL;
	refctl_config_defaults(cfg);
	if ((error = refctl_yaml_load(&docs, file, data, len, 0)) < 0) {
		refctl_config_free(cfg);
		return error;
	}
	if (docs.n && (error = parse_tree(cfg, file, docs.v[0])) < 0) {
		refctl_yaml_docs_release(&docs);
		refctl_config_free(cfg);
		return error;
	}
	refctl_yaml_docs_release(&docs);
	*out = cfg;
	return 0;
}

long refctl_config_points(const struct refctl_config *cfg, const char *activity)
{
	for (int a = 0; refctl_activities[a]; a++)
		if (!strcmp(refctl_activities[a], activity))
			return cfg->points[a];
	return 0;
}

void refctl_config_canon(struct refctl_buf *out, const struct refctl_config *cfg, const char *value)
{
	refctl_vocab_norm(out, value);
	for (size_t i = 0; cfg && i < cfg->naliases; i++)
		if (!strcmp(cfg->aliases[i].from, out->ptr)) {
			refctl_buf_clear(out);
			refctl_buf_puts(out, cfg->aliases[i].to);
			return;
		}
}

static void check_one(const struct refctl_config *cfg, const struct refctl_vocab *allowed,
		      const struct refctl_record *rec, const char *field, const char *value,
		      struct refctl_diags *diags)
{
	struct refctl_buf b = REFCTL_BUF_INIT;
	const struct refctl_node *n;
	int ok = 0;

	if (!allowed->n || !value)
		goto done;
	refctl_config_canon(&b, cfg, value);
	for (size_t i = 0; i < allowed->n && !ok; i++)
		ok = !strcmp(allowed->v[i], b.ptr);
	if (!ok) {
		n = refctl_node_get(rec->root, field);
		refctl_diags_add(diags, REFCTL_DIAG_WARNING, rec->file, n ? n->line : 1, n ? n->col : 1,
				 field, "%s: '%s' is not in vocabulary.%s of refctl.yaml", field, value,
				 allowed == &cfg->industries ? "industries" :
				 allowed == &cfg->regions ? "regions" :
				 allowed == &cfg->products ? "products" : "use_cases");
	}
done:
	refctl_buf_release(&b);
}

void refctl_config_check_vocab(const struct refctl_config *cfg, const struct refctl_record *rec,
			       struct refctl_diags *diags)
{
	const struct refctl_advocate *a = &rec->a;

	check_one(cfg, &cfg->industries, rec, "industry", a->industry, diags);
	check_one(cfg, &cfg->regions, rec, "region", a->region, diags);
	for (size_t i = 0; i < a->products.n; i++)
		check_one(cfg, &cfg->products, rec, "products", a->products.v[i], diags);
	for (size_t i = 0; i < a->use_cases.n; i++)
		check_one(cfg, &cfg->use_cases, rec, "use_cases", a->use_cases.v[i], diags);
}
