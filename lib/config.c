/* Program settings: refctl.yaml. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "refctl/config.h"
#include "refctl/iso.h"
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
	"currency: USD\n"
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
	"  referrals:\n"
	"    qualified: 0\n"
	"    won: 25\n"
	"  # advocates who get no points: their industry or country is listed here,\n"
	"  # or their file says reward_eligible: false (for example government)\n"
	"  ineligible:\n"
	"    industries: []\n"
	"    countries: []\n"
	"report:\n"
	"  consent_warning_days: 60\n"
	"  at_risk_nps: 6\n"
	"  at_risk_contact_days: 180\n"
	"  max_rows: 20\n"
	"vocabulary:\n"
	"  industries: []\n"
	"  regions: []\n"
	"  products: []\n"
	"  use_cases: []\n"
	"  programs: []\n"
	"# audiences: the report's views for each constituency (refctl report --for NAME):\n"
	"# audiences:\n"
	"#   executives:\n"
	"#     title: executive summary\n"
	"#     program: Customer Advocacy\n"
	"#     sections: [key_figures, charts, value, programs]\n"
	"#     headlines: [value.created, outcomes.revenue_influenced, referrals.value, advocates.at_risk]\n";

const char *refctl_config_template(void)
{
	return template;
}

void refctl_config_defaults(struct refctl_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->program = refctl__strdup("Customer reference program");
	memcpy(cfg->currency, "USD", 4);
	cfg->per_quarter = REFCTL_DEFAULT_PER_QUARTER;
	cfg->rest_days = REFCTL_DEFAULT_REST_DAYS;
	memcpy(cfg->weights, default_weights, sizeof(default_weights));
	for (size_t i = 0; i < sizeof(default_points) / sizeof(default_points[0]); i++)
		cfg->points[i] = default_points[i];
	cfg->referral_qualified = 0;
	cfg->referral_won = 25;
	cfg->consent_warning_days = 60;
	cfg->at_risk_nps = REFCTL_DEFAULT_AT_RISK_NPS;
	cfg->at_risk_contact_days = REFCTL_DEFAULT_AT_RISK_CONTACT_DAYS;
	cfg->max_rows = 20;
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
	vocab_free(&cfg->programs);
	vocab_free(&cfg->ineligible_industries);
	vocab_free(&cfg->ineligible_countries);
	for (size_t i = 0; i < cfg->naudiences; i++) {
		struct refctl_audience *a = &cfg->audiences[i];
		free(a->name);
		free(a->title);
		free(a->program);
		for (size_t k = 0; k < a->nheadlines; k++)
			free(a->headlines[k]);
		free(a->headlines);
		free(a->headline_line);
		free(a->headline_col);
	}
	free(cfg->audiences);
	free(cfg->file);
	free(cfg);
}

/* The codes of ISO 4217 (active ones, funds and the X codes). */
static const char iso4217[] =
	" AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BOV BRL BSD BTN BWP"
	" BYN BZD CAD CDF CHE CHF CHW CLF CLP CNY COP COU CRC CUC CUP CVE CZK DJF DKK DOP DZD EGP ERN ETB"
	" EUR FJD FKP GBP GEL GHS GIP GMD GNF GTQ GYD HKD HNL HRK HTG HUF IDR ILS INR IQD IRR ISK JMD JOD"
	" JPY KES KGS KHR KMF KPW KRW KWD KYD KZT LAK LBP LKR LRD LSL LYD MAD MDL MGA MKD MMK MNT MOP MRU"
	" MUR MVR MWK MXN MXV MYR MZN NAD NGN NIO NOK NPR NZD OMR PAB PEN PGK PHP PKR PLN PYG QAR RON RSD"
	" RUB RWF SAR SBD SCR SDG SEK SGD SHP SLE SLL SOS SRD SSP STN SVC SYP SZL THB TJS TMT TND TOP TRY"
	" TTD TWD TZS UAH UGX USD USN UYI UYU UYW UZS VED VES VND VUV WST XAF XAG XAU XBA XBB XBC XBD XCD"
	" XDR XOF XPD XPF XPT XSU XTS XUA XXX YER ZAR ZMW ZWL ";

int refctl_currency_valid(const char *s)
{
	char key[6];

	if (strlen(s) != 3)
		return 0;
	for (int i = 0; i < 3; i++)
		if (s[i] < 'A' || s[i] > 'Z')
			return 0;
	snprintf(key, sizeof(key), " %s ", s);
	return strstr(iso4217, key) != NULL;
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

const char *const refctl_config_section_names[] = {
	"key_figures", "charts", "headlines", "requests", "advocates", "value", "programs", "coverage", "roster",
	"content", NULL,
};

/* A one-line string setting, or NULL for none. */
static int get_line(const char *file, const struct refctl_node *n, const char *path, char **out)
{
	if (!n || refctl_yaml_is_null(n))
		return 0;
	if (n->kind != REFCTL_NODE_SCALAR || !n->len || strchr(n->str, '\n'))
		return refctl__error_at(REFCTL_EINVALID, file, n->line, n->col, "%s must be one line of text", path);
	*out = refctl__strdup(n->str);
	return 0;
}

static int parse_audience(struct refctl_audience *a, const char *file, const struct refctl_node *n)
{
	static const char *const keys[] = { "title", "program", "sections", "headlines", NULL };
	char path[160];
	const struct refctl_node *l;
	int error;

	snprintf(path, sizeof(path), "audiences.%s", a->name);
	if ((error = check_keys(file, n, path, keys)) < 0)
		return error;
	snprintf(path, sizeof(path), "audiences.%s.title", a->name);
	if ((error = get_line(file, refctl_node_get(n, "title"), path, &a->title)) < 0)
		return error;
	snprintf(path, sizeof(path), "audiences.%s.program", a->name);
	if ((error = get_line(file, refctl_node_get(n, "program"), path, &a->program)) < 0)
		return error;
	if ((l = refctl_node_get(n, "sections")) && !refctl_yaml_is_null(l)) {
		snprintf(path, sizeof(path), "audiences.%s.sections", a->name);
		if (l->kind != REFCTL_NODE_SEQ || !l->n || l->n > sizeof(a->sections) / sizeof(a->sections[0]))
			return bad(file, l, "%s must be a list of sections", path);
		for (size_t i = 0; i < l->n; i++) {
			const struct refctl_node *x = l->items[i];
			int k = 0;
			while (x->kind == REFCTL_NODE_SCALAR && refctl_config_section_names[k] &&
			       strcmp(refctl_config_section_names[k], x->str))
				k++;
			if (x->kind != REFCTL_NODE_SCALAR || !refctl_config_section_names[k]) {
				struct refctl_buf names = REFCTL_BUF_INIT;
				refctl_schema_join_values(&names, refctl_config_section_names);
				error = refctl__error_at(REFCTL_EINVALID, file, x->line, x->col, "%s: '%s' is not a section (%s)",
							 path, x->kind == REFCTL_NODE_SCALAR ? x->str : "", names.ptr);
				refctl_buf_release(&names);
				return error;
			}
			for (size_t j = 0; j < a->nsections; j++)
				if (a->sections[j] == k)
					return refctl__error_at(REFCTL_EINVALID, file, x->line, x->col,
								"%s: '%s' is listed twice", path, x->str);
			a->sections[a->nsections++] = k;
		}
	}
	if ((l = refctl_node_get(n, "headlines")) && !refctl_yaml_is_null(l)) {
		snprintf(path, sizeof(path), "audiences.%s.headlines", a->name);
		if (l->kind != REFCTL_NODE_SEQ || !l->n || l->n > 32)
			return bad(file, l, "%s must be a list of at most 32 figures such as outcomes.win_rate", path);
		a->headlines = refctl__calloc(l->n, sizeof(*a->headlines));
		a->headline_line = refctl__calloc(l->n, sizeof(*a->headline_line));
		a->headline_col = refctl__calloc(l->n, sizeof(*a->headline_col));
		for (size_t i = 0; i < l->n; i++) {
			const struct refctl_node *x = l->items[i];
			if (x->kind != REFCTL_NODE_SCALAR || !x->len)
				return bad(file, x, "%s must be a list of figures such as outcomes.win_rate", path);
			a->headlines[a->nheadlines] = refctl__strdup(x->str);
			a->headline_line[a->nheadlines] = x->line;
			a->headline_col[a->nheadlines++] = x->col;
		}
	}
	return 0;
}

static int parse_audiences(struct refctl_config *cfg, const char *file, const struct refctl_node *n)
{
	int error;

	if (n->kind != REFCTL_NODE_MAP)
		return bad(file, n, "%s must be a map of audience: settings", "audiences");
	cfg->audiences = refctl__calloc(n->n / 2 + 1, sizeof(*cfg->audiences));
	for (size_t i = 0; i + 1 < n->n; i += 2) {
		const struct refctl_node *k = n->items[i], *v = n->items[i + 1];
		struct refctl_audience *a = &cfg->audiences[cfg->naudiences];
		if (!refctl_id_valid(k->str))
			return refctl__error_at(REFCTL_EINVALID, file, k->line, k->col,
						"audience '%s' must be lowercase letters, digits and '-'", k->str);
		a->name = refctl__strdup(k->str);
		cfg->naudiences++;
		if (refctl_yaml_is_null(v))
			continue;
		if ((error = parse_audience(a, file, v)) < 0)
			return error;
	}
	return 0;
}

const struct refctl_audience *refctl_config_audience(const struct refctl_config *cfg, const char *name)
{
	for (size_t i = 0; cfg && i < cfg->naudiences; i++)
		if (!strcmp(cfg->audiences[i].name, name))
			return &cfg->audiences[i];
	return NULL;
}

static int parse_tree(struct refctl_config *cfg, const char *file, const struct refctl_node *root)
{
	static const char *const top_keys[] = { "program", "currency", "limits", "match", "rewards", "report",
						"vocabulary", "audiences", NULL };
	static const char *const limit_keys[] = { "per_quarter", "rest_days", NULL };
	static const char *const match_keys[] = { "weights", "aliases", NULL };
	static const char *const reward_keys[] = { "points", "referrals", "ineligible", NULL };
	static const char *const ineligible_keys[] = { "industries", "countries", NULL };
	static const char *const referral_keys[] = { "qualified", "won", NULL };
	static const char *const report_keys[] = { "consent_warning_days", "at_risk_nps",
						   "at_risk_contact_days", "max_rows", NULL };
	static const char *const vocab_keys[] = { "industries", "regions", "products", "use_cases", "programs", NULL };
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
	if ((n = refctl_node_get(root, "currency")) && !refctl_yaml_is_null(n)) {
		if (n->kind != REFCTL_NODE_SCALAR || !refctl_currency_valid(n->str))
			return bad(file, n, "%s must be an ISO 4217 currency code such as USD, EUR or GBP", "currency");
		memcpy(cfg->currency, n->str, 4);
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
		if ((m = refctl_node_get(n, "referrals")) && !refctl_yaml_is_null(m)) {
			int q = (int)cfg->referral_qualified, w = (int)cfg->referral_won;
			if ((error = check_keys(file, m, "rewards.referrals", referral_keys)) < 0 ||
			    (error = get_int(file, refctl_node_get(m, "qualified"), "rewards.referrals.qualified", 0,
					     1000000, &q)) < 0 ||
			    (error = get_int(file, refctl_node_get(m, "won"), "rewards.referrals.won", 0, 1000000, &w)) < 0)
				return error;
			cfg->referral_qualified = q;
			cfg->referral_won = w;
		}
		if ((m = refctl_node_get(n, "ineligible")) && !refctl_yaml_is_null(m)) {
			const struct refctl_node *c = refctl_node_get(m, "countries");
			if ((error = check_keys(file, m, "rewards.ineligible", ineligible_keys)) < 0 ||
			    (error = get_vocab(file, refctl_node_get(m, "industries"), "rewards.ineligible.industries",
					       &cfg->ineligible_industries)) < 0)
				return error;
			for (size_t i = 0; c && c->kind == REFCTL_NODE_SEQ && i < c->n; i++)
				if (c->items[i]->kind == REFCTL_NODE_SCALAR && !refctl_iso_country_valid(c->items[i]->str))
					return bad(file, c->items[i], "%s must be ISO 3166 alpha-2 codes such as DE",
						   "rewards.ineligible.countries");
			if ((error = get_vocab(file, c, "rewards.ineligible.countries", &cfg->ineligible_countries)) < 0)
				return error;
		}
	}
	if ((n = refctl_node_get(root, "report")) && !refctl_yaml_is_null(n)) {
		if ((error = check_keys(file, n, "report", report_keys)) < 0 ||
		    (error = get_int(file, refctl_node_get(n, "consent_warning_days"),
				     "report.consent_warning_days", 0, 3660, &cfg->consent_warning_days)) < 0 ||
		    (error = get_int(file, refctl_node_get(n, "at_risk_nps"), "report.at_risk_nps", -1, 10,
				     &cfg->at_risk_nps)) < 0 ||
		    (error = get_int(file, refctl_node_get(n, "at_risk_contact_days"),
				     "report.at_risk_contact_days", 0, 36600, &cfg->at_risk_contact_days)) < 0 ||
		    (error = get_int(file, refctl_node_get(n, "max_rows"), "report.max_rows", 1, 100000,
				     &cfg->max_rows)) < 0)
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
				       &cfg->use_cases)) < 0 ||
		    (error = get_vocab(file, refctl_node_get(n, "programs"), "vocabulary.programs",
				       &cfg->programs)) < 0)
			return error;
	}
	if ((n = refctl_node_get(root, "audiences")) && !refctl_yaml_is_null(n) &&
	    (error = parse_audiences(cfg, file, n)) < 0)
		return error;
	return 0;
}

int refctl_config_parse(struct refctl_config **out, const char *file, const char *data, size_t len)
{
	struct refctl_config *cfg = refctl__calloc(1, sizeof(*cfg));
	struct refctl_yaml_docs docs;
	int error;

	*out = NULL;
	refctl_config_defaults(cfg);
	cfg->file = refctl__strdup(file);
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
		n = refctl_node_get(refctl_record_tree(rec), field);
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

int refctl_config_reward_eligible(struct refctl_buf *why, const struct refctl_config *cfg,
				  const struct refctl_advocate *a)
{
	if (a->reward_eligible == 0) {
		refctl_buf_puts(why, "reward_eligible is false");
		if (a->reward_note && *a->reward_note) {
			refctl_buf_puts(why, ": ");
			refctl__buf_first_line(why, a->reward_note);
		}
		return 0;
	}
	if (a->reward_eligible == 1 || !cfg)
		return 1;
	for (size_t i = 0; a->industry && i < cfg->ineligible_industries.n; i++)
		if (refctl_vocab_eq(a->industry, cfg->ineligible_industries.v[i])) {
			refctl_buf_printf(why, "industry %s gets no rewards (rewards.ineligible.industries)", a->industry);
			return 0;
		}
	for (size_t i = 0; a->country && i < cfg->ineligible_countries.n; i++)
		if (refctl_vocab_eq(a->country, cfg->ineligible_countries.v[i])) {
			refctl_buf_printf(why, "country %s gets no rewards (rewards.ineligible.countries)", a->country);
			return 0;
		}
	return 1;
}
