/* Availability rules, shared by match and request. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "refctl/avail.h"
#include "util.h"

const char *refctl_avail_reason_name(enum refctl_avail_reason code)
{
	switch (code) {
	case REFCTL_AVAIL_STATUS:
		return "status";
	case REFCTL_AVAIL_CONSENT:
		return "consent expired";
	case REFCTL_AVAIL_WILLING:
		return "not willing";
	case REFCTL_AVAIL_QUARTER:
		return "quarter limit";
	case REFCTL_AVAIL_REST:
		return "resting";
	case REFCTL_AVAIL_COMPANY:
		return "company excluded";
	case REFCTL_AVAIL_AT_RISK:
		return "at risk";
	case REFCTL_AVAIL_SCOPE:
		return "consent scope";
	}
	return "";
}

void refctl_avail_exclusion_text(struct refctl_buf *out, const struct refctl_avail_exclusion *x)
{
	switch (x->code) {
	case REFCTL_AVAIL_STATUS:
		refctl_buf_puts(out, x->detail);
		break;
	case REFCTL_AVAIL_CONSENT:
		refctl_buf_printf(out, "consent expired %s", x->detail);
		break;
	case REFCTL_AVAIL_WILLING:
		refctl_buf_printf(out, "not willing: %s", x->detail);
		break;
	case REFCTL_AVAIL_QUARTER:
		refctl_buf_printf(out, "quarter limit %s", x->detail);
		break;
	case REFCTL_AVAIL_REST:
		refctl_buf_printf(out, "resting until %s", x->detail);
		break;
	case REFCTL_AVAIL_COMPANY:
		refctl_buf_puts(out, "company excluded");
		break;
	case REFCTL_AVAIL_AT_RISK:
		refctl_buf_printf(out, "at risk: %s", x->detail);
		break;
	case REFCTL_AVAIL_SCOPE:
		refctl_buf_printf(out, "no consent for %s", x->detail);
		break;
	}
}

void refctl_avail_exclusions_text(struct refctl_buf *out, const struct refctl_avail_exclusion *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (i)
			refctl_buf_puts(out, "; ");
		refctl_avail_exclusion_text(out, &v[i]);
	}
}

const char *refctl_avail_scope_needed(const char *activity)
{
	static const char *const public_activities[] = { "case-study", "video", "speaking", "press", "social", NULL };

	for (int i = 0; activity && public_activities[i]; i++)
		if (refctl_vocab_eq(activity, public_activities[i]))
			return public_activities[i];
	return NULL;
}

int refctl_avail_consent_covers(const struct refctl_advocate *a, const char *scope)
{
	for (size_t i = 0; i < a->consent_scope.n; i++)
		if (refctl_vocab_eq(a->consent_scope.v[i], scope))
			return 1;
	return 0;
}

static void add(struct refctl_availability *out, enum refctl_avail_reason code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void add(struct refctl_availability *out, enum refctl_avail_reason code, const char *fmt, ...)
{
	struct refctl_avail_exclusion *x = &out->exclusions[out->nexclusions++];
	va_list ap;

	out->reasons |= code;
	x->code = code;
	va_start(ap, fmt);
	vsnprintf(x->detail, sizeof(x->detail), fmt, ap);
	va_end(ap);
}

void refctl_availability(struct refctl_availability *out, const struct refctl_advocate *a,
			 const struct refctl_config *cfg, const struct refctl_avail_opts *opts)
{
	refctl_date today = opts->today, qstart, qend;
	int at_risk_nps;
	char d[11];

	memset(out, 0, sizeof(*out));
	out->last_engaged = out->rest_until = REFCTL_DATE_NONE;
	out->quarter_limit = a->per_quarter >= 0 ? a->per_quarter
			   : cfg ? cfg->per_quarter : REFCTL_DEFAULT_PER_QUARTER;
	out->rest_days = a->rest_days >= 0 ? a->rest_days : cfg ? cfg->rest_days : REFCTL_DEFAULT_REST_DAYS;

	if (a->status != REFCTL_STATUS_ACTIVE)
		add(out, REFCTL_AVAIL_STATUS, "%s", refctl_status_name(a->status));
	if (a->consent_until != REFCTL_DATE_NONE && a->consent_until < today)
		add(out, REFCTL_AVAIL_CONSENT, "%s", refctl_date_format(d, a->consent_until));
	if (opts->activity) {
		const char *scope = refctl_avail_scope_needed(opts->activity);
		int willing = 0;
		for (size_t i = 0; i < a->activities.n && !willing; i++)
			willing = refctl_vocab_eq(a->activities.v[i], opts->activity);
		if (!willing)
			add(out, REFCTL_AVAIL_WILLING, "%s", opts->activity);
		/* willing to, but not agreed to be named for it in public */
		else if (scope && !refctl_avail_consent_covers(a, scope))
			add(out, REFCTL_AVAIL_SCOPE, "%s", scope);
	}
	qstart = refctl_date_quarter_start(today);
	qend = refctl_date_quarter_end(today);
	for (size_t i = 0; i < a->nrequests; i++) {
		const struct refctl_request *r = &a->requests[i];
		if (!refctl_req_is_engagement(r->status) || r->opened == REFCTL_DATE_NONE)
			continue;
		if (r->opened >= qstart && r->opened <= qend)
			out->quarter_used++;
		if (out->last_engaged == REFCTL_DATE_NONE || r->opened > out->last_engaged)
			out->last_engaged = r->opened;
	}
	if (out->quarter_used >= out->quarter_limit)
		add(out, REFCTL_AVAIL_QUARTER, "%d/%d", out->quarter_used, out->quarter_limit);
	if (out->last_engaged != REFCTL_DATE_NONE) {
		out->rest_until = out->last_engaged + out->rest_days;
		if (today < out->rest_until)
			add(out, REFCTL_AVAIL_REST, "%s", refctl_date_format(d, out->rest_until));
	}
	for (size_t i = 0; i < opts->nexclude; i++)
		if (a->company && !refctl__strcasecmp(a->company, opts->exclude_companies[i])) {
			add(out, REFCTL_AVAIL_COMPANY, "%s", "");
			break;
		}
	/* The relationship: the report's at-risk thresholds, so the program
	 * does not keep calling the customers it lists as at risk. */
	at_risk_nps = cfg ? cfg->at_risk_nps : REFCTL_DEFAULT_AT_RISK_NPS;
	out->contact_limit = cfg ? cfg->at_risk_contact_days : REFCTL_DEFAULT_AT_RISK_CONTACT_DAYS;
	if (a->nps >= 0 && a->nps <= at_risk_nps)
		snprintf(out->at_risk, sizeof(out->at_risk), "nps %d", a->nps);
	if (a->health && !strcmp(a->health, "red"))
		snprintf(out->at_risk + strlen(out->at_risk), sizeof(out->at_risk) - strlen(out->at_risk),
			 "%shealth red", out->at_risk[0] ? ", " : "");
	if (out->at_risk[0] && !opts->include_at_risk)
		add(out, REFCTL_AVAIL_AT_RISK, "%s", out->at_risk);
	out->contact_days = -1;
	if (a->last_contact != REFCTL_DATE_NONE && a->last_contact <= today) {
		out->contact_days = (int)(today - a->last_contact);
		out->contact_overdue = out->contact_days > out->contact_limit;
	}
}
