/*
 * refctl-gen: generate a synthetic advocate roster for tests, benchmarks
 * and the bundled example.
 *
 *   refctl-gen [--seed N] [--max-requests N] [--today YYYY-MM-DD]
 *              [--realistic] COUNT DIR
 *
 * Writes COUNT files DIR/advocates/<id>.yaml (creating the directories as
 * needed; DIR/refctl.yaml is not written). Output depends only on the
 * arguments: the same arguments give byte-identical files. Plain C11 and
 * libc only, so it builds without the rest of the project.
 */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L
#endif
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))

static const char *progname = "refctl-gen";

static void die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
static void die(const char *fmt, ...)
{
	va_list ap;
	fprintf(stderr, "%s: ", progname);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

/* ---- PRNG: splitmix64, one stream for the whole run ---- */

static uint64_t rng_state;

static uint64_t rng_next(void)
{
	uint64_t z = (rng_state += 0x9E3779B97F4A7C15ULL);
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
	return z ^ (z >> 31);
}

/* Uniform in [0, n). */
static int rnd(int n)
{
	if (n <= 0)
		return 0;
	return (int)(((rng_next() >> 32) * (uint64_t)(uint32_t)n) >> 32);
}

static int rrange(int lo, int hi)
{
	return lo + rnd(hi - lo + 1);
}

static int chance(int pct)
{
	return rnd(100) < pct;
}

static double rndf(void)
{
	return (double)(rng_next() >> 11) * (1.0 / 9007199254740992.0);
}

static int pickw(const int *w, int n)
{
	int total = 0, x;
	for (int i = 0; i < n; i++)
		total += w[i];
	x = rnd(total);
	for (int i = 0; i < n; i++) {
		if (x < w[i])
			return i;
		x -= w[i];
	}
	return n - 1;
}

#define PICK(a) ((a)[rnd(N(a))])

/* ---- dates as days since 1970-01-01 (proleptic Gregorian) ---- */

static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
	int64_t era;
	unsigned yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = (unsigned)(y - era * 400);
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

static void civil_from_days(int64_t z, int64_t *yy, unsigned *mm, unsigned *dd)
{
	int64_t era;
	unsigned doe, yoe, doy, mp, m;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = (unsigned)(z - era * 146097);
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	m = mp < 10 ? mp + 3 : mp - 9;
	*dd = doy - (153 * mp + 2) / 5 + 1;
	*mm = m;
	*yy = (int64_t)yoe + era * 400 + (m <= 2);
}

static int parse_date(const char *s, int64_t *out)
{
	int64_t y, yy;
	unsigned m, d, mm, dd;

	if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return -1;
	for (int i = 0; i < 10; i++)
		if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
			return -1;
	y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
	m = (unsigned)((s[5] - '0') * 10 + (s[6] - '0'));
	d = (unsigned)((s[8] - '0') * 10 + (s[9] - '0'));
	if (y < 1900 || m < 1 || m > 12 || d < 1 || d > 31)
		return -1;
	*out = days_from_civil(y, m, d);
	civil_from_days(*out, &yy, &mm, &dd);
	return (yy == y && mm == m && dd == d) ? 0 : -1;
}

/* ---- output buffer ---- */

struct buf {
	char *p;
	size_t n, cap;
};

static void bgrow(struct buf *b, size_t add)
{
	if (b->n + add + 1 > b->cap) {
		size_t c = b->cap ? b->cap : 8192;
		char *q;
		while (c < b->n + add + 1)
			c *= 2;
		q = realloc(b->p, c);
		if (!q)
			die("out of memory");
		b->p = q;
		b->cap = c;
	}
}

static void bputn(struct buf *b, const char *s, size_t n)
{
	bgrow(b, n);
	memcpy(b->p + b->n, s, n);
	b->n += n;
	b->p[b->n] = 0;
}

static void bputs(struct buf *b, const char *s)
{
	bputn(b, s, strlen(s));
}

static void bputc(struct buf *b, char c)
{
	bgrow(b, 1);
	b->p[b->n++] = c;
	b->p[b->n] = 0;
}

static void bputl(struct buf *b, long v)
{
	char tmp[32];
	int k = snprintf(tmp, sizeof tmp, "%ld", v);
	bputn(b, tmp, (size_t)k);
}

static void bputdate(struct buf *b, int64_t days)
{
	char tmp[10];
	int64_t y;
	unsigned m, d, yy;

	civil_from_days(days, &y, &m, &d);
	if (y < 0 || y > 9999)
		die("date out of range");
	yy = (unsigned)y;
	tmp[0] = (char)('0' + yy / 1000);
	tmp[1] = (char)('0' + yy / 100 % 10);
	tmp[2] = (char)('0' + yy / 10 % 10);
	tmp[3] = (char)('0' + yy % 10);
	tmp[4] = '-';
	tmp[5] = (char)('0' + m / 10);
	tmp[6] = (char)('0' + m % 10);
	tmp[7] = '-';
	tmp[8] = (char)('0' + d / 10);
	tmp[9] = (char)('0' + d % 10);
	bputn(b, tmp, sizeof tmp);
}

/* ---- string set (ids, emails) ---- */

struct set {
	char **slot;
	size_t cap, n;
};

static uint64_t hash_str(const char *s)
{
	uint64_t h = 1469598103934665603ULL;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h;
}

static int set_has(const struct set *st, const char *s)
{
	if (!st->cap)
		return 0;
	for (size_t i = hash_str(s) & (st->cap - 1);; i = (i + 1) & (st->cap - 1)) {
		if (!st->slot[i])
			return 0;
		if (!strcmp(st->slot[i], s))
			return 1;
	}
}

static void set_insert_slot(char **slot, size_t cap, char *s)
{
	size_t i = hash_str(s) & (cap - 1);
	while (slot[i])
		i = (i + 1) & (cap - 1);
	slot[i] = s;
}

static void set_add(struct set *st, const char *s)
{
	char *copy;

	if ((st->n + 1) * 2 > st->cap) {
		size_t ncap = st->cap ? st->cap * 2 : 1024;
		char **ns = calloc(ncap, sizeof *ns);
		if (!ns)
			die("out of memory");
		for (size_t i = 0; i < st->cap; i++)
			if (st->slot[i])
				set_insert_slot(ns, ncap, st->slot[i]);
		free(st->slot);
		st->slot = ns;
		st->cap = ncap;
	}
	copy = strdup(s);
	if (!copy)
		die("out of memory");
	set_insert_slot(st->slot, st->cap, copy);
	st->n++;
}

static void set_free(struct set *st)
{
	for (size_t i = 0; i < st->cap; i++)
		free(st->slot[i]);
	free(st->slot);
	st->slot = NULL;
	st->cap = st->n = 0;
}

/* ---- transliteration and slugs ---- */

/* U+00C0..U+00FF and U+0100..U+017F to one ASCII letter; '#' = several. */
static const char latin1[] =
	"aaaaaa#ceeeeiiiidnooooo ouuuuy##"
	"aaaaaa#ceeeeiiiidnooooo ouuuuy#y";
static const char latin_ext_a[] =
	"aaaaaacccccccc" "dddd" "eeeeeeeeee" "gggggggg" "hhhh" "iiiiiiiiii" "##" "jj" "kkk"
	"llllllllll" "nnnnnnnnn" "oooooo" "##" "rrrrrr" "ssssssss" "tttttt" "uuuuuuuuuuuu"
	"ww" "yyy" "zzzzzz" "s";
_Static_assert(sizeof(latin1) - 1 == 64, "latin1 table");
_Static_assert(sizeof(latin_ext_a) - 1 == 128, "latin extended-a table");

/* Append s as lowercase ASCII; unknown non-ASCII characters are dropped. */
static void translit(struct buf *out, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	while (*p) {
		unsigned cp;
		if (*p < 0x80) {
			char c = (char)*p++;
			if (c >= 'A' && c <= 'Z')
				c = (char)(c - 'A' + 'a');
			bputc(out, c);
			continue;
		}
		if ((*p & 0xE0) == 0xC0 && (p[1] & 0xC0) == 0x80) {
			cp = ((unsigned)(*p & 0x1F) << 6) | (p[1] & 0x3F);
			p += 2;
		} else {
			/* skip a longer sequence (or a stray byte) */
			p++;
			while ((*p & 0xC0) == 0x80)
				p++;
			continue;
		}
		if (cp >= 0xC0 && cp <= 0xFF) {
			char c = latin1[cp - 0xC0];
			if (c != '#')
				bputc(out, c);
			else if (cp == 0xC6 || cp == 0xE6)
				bputs(out, "ae");
			else if (cp == 0xDE || cp == 0xFE)
				bputs(out, "th");
			else
				bputs(out, "ss");
		} else if (cp >= 0x100 && cp <= 0x17F) {
			char c = latin_ext_a[cp - 0x100];
			if (c != '#')
				bputc(out, c);
			else if (cp == 0x132 || cp == 0x133)
				bputs(out, "ij");
			else
				bputs(out, "oe");
		}
	}
}

static int is_alnum(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

/* Slug of src into dst: [a-z0-9] runs joined by single '-', at most max chars. */
static void slugify(char *dst, size_t max, const char *src)
{
	static struct buf t;
	size_t j = 0;
	int dash = 0;

	t.n = 0;
	translit(&t, src);
	for (size_t i = 0; i < t.n; i++) {
		char c = t.p[i];
		if (!is_alnum(c)) {
			dash = 1;
			continue;
		}
		if (dash && j > 0) {
			if (j + 2 > max)
				break;
			dst[j++] = '-';
		}
		if (j + 1 > max)
			break;
		dst[j++] = c;
		dash = 0;
	}
	dst[j] = 0;
}

/* Lowercase ASCII letters and digits of src, for e-mail local parts. */
static void alnum_only(struct buf *out, const char *src)
{
	static struct buf t;
	t.n = 0;
	translit(&t, src);
	for (size_t i = 0; i < t.n; i++)
		if (is_alnum(t.p[i]))
			bputc(out, t.p[i]);
}

/* ---- YAML scalars ---- */

/* Mirrors refctl_yaml_is_ambiguous(): a plain scalar read as non-string. */
static int ambiguous(const char *s)
{
	static const char *const words[] = {
		"", "~", "null", "Null", "NULL",
		"y", "Y", "yes", "Yes", "YES", "n", "N", "no", "No", "NO",
		"true", "True", "TRUE", "false", "False", "FALSE",
		"on", "On", "ON", "off", "Off", "OFF",
		".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF", "-.inf", "-.Inf", "-.INF",
		".nan", ".NaN", ".NAN", "=", "<<",
	};
	size_t len = strlen(s), i = 0;

	if (len <= 6 && strchr("~nNyYtTfFoO.+-=<", s[0]))
		for (int w = 0; w < N(words); w++)
			if (!strcmp(s, words[w]))
				return 1;
	if (i < len && (s[i] == '+' || s[i] == '-'))
		i++;
	if (i < len && s[i] == '.')
		i++;
	if (i >= len || s[i] < '0' || s[i] > '9')
		return 0;
	if (len >= 10 && s[4] == '-' && (s[6] == '-' || s[7] == '-'))
		return 1;
	for (i = 0; i < len; i++)
		if (!strchr("0123456789abcdefABCDEFxXoO_.:+-", s[i]))
			return 0;
	return 1;
}

/* Not representable as a plain block scalar (generated data avoids these). */
static int plain_unsafe(const char *s)
{
	size_t len = strlen(s);

	if (!len || s[0] == ' ' || s[len - 1] == ' ' || s[len - 1] == ':')
		return 1;
	if (strchr("-?:,[]{}#&*!|>'\"%@`", s[0]))
		return 1;
	if (strstr(s, ": ") || strstr(s, " #") || strpbrk(s, "\t\r\n\\"))
		return 1;
	return 0;
}

static void put_scalar(struct buf *b, const char *s)
{
	if (!ambiguous(s) && !plain_unsafe(s)) {
		bputs(b, s);
		return;
	}
	bputc(b, '"');
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			bputc(b, '\\');
		bputc(b, *s);
	}
	bputc(b, '"');
}

/* "<ind><key>: <value>\n" */
static void kv_str(struct buf *b, const char *ind, const char *key, const char *val)
{
	bputs(b, ind);
	bputs(b, key);
	bputs(b, ": ");
	put_scalar(b, val);
	bputc(b, '\n');
}

static void kv_int(struct buf *b, const char *ind, const char *key, long v)
{
	bputs(b, ind);
	bputs(b, key);
	bputs(b, ": ");
	bputl(b, v);
	bputc(b, '\n');
}

static void kv_date(struct buf *b, const char *ind, const char *key, int64_t d)
{
	bputs(b, ind);
	bputs(b, key);
	bputs(b, ": ");
	bputdate(b, d);
	bputc(b, '\n');
}

/* A list of vocabulary entries selected by bit mask, in vocabulary order. */
static void kv_list(struct buf *b, const char *ind, const char *key,
		    const char *const *vocab, int n, uint32_t mask)
{
	if (!mask)
		return;
	bputs(b, ind);
	bputs(b, key);
	bputs(b, ":\n");
	for (int i = 0; i < n; i++)
		if (mask & (1u << i)) {
			bputs(b, ind);
			bputs(b, "- ");
			put_scalar(b, vocab[i]);
			bputc(b, '\n');
		}
}

/* ---- vocabularies ---- */

enum { R_EMEA, R_NA, R_LATAM, R_APAC };
static const char *const regions[] = {"emea", "na", "latam", "apac"};

enum {
	I_MANUFACTURING, I_RETAIL, I_FINANCIAL, I_HEALTHCARE, I_SOFTWARE,
	I_TELECOM, I_PUBLIC, I_ENERGY, I_LOGISTICS, I_EDUCATION, I_COUNT
};
static const char *const industries[I_COUNT] = {
	"manufacturing", "retail", "financial-services", "healthcare", "software",
	"telecom", "public-sector", "energy", "logistics", "education",
};
static const int industry_w[I_COUNT] = {12, 10, 14, 10, 14, 8, 7, 8, 9, 6};

/* Words that make an organisation name look like it is in the industry. */
static const char *const industry_words[I_COUNT][6] = {
	{"Industries", "Manufacturing", "Precision", "Components", "Machinery", "Fabrication"},
	{"Retail", "Stores", "Outfitters", "Markets", "Home", "Fashion"},
	{"Bank", "Capital", "Financial", "Insurance", "Mutual", "Credit Union"},
	{"Health", "Medical", "Clinics", "Pharma", "Care", "Diagnostics"},
	{"Software", "Labs", "Systems", "Digital", "Cloud", "Data"},
	{"Telecom", "Networks", "Mobile", "Communications", "Fiber", "Broadband"},
	{"City Council", "Transit Authority", "Revenue Agency", "Water Board", "Housing Authority", "County"},
	{"Energy", "Power", "Utilities", "Renewables", "Grid", "Solar"},
	{"Logistics", "Freight", "Shipping", "Transport", "Cargo", "Distribution"},
	{"University", "College", "Institute of Technology", "Academy", "School District", "Polytechnic"},
};

static const char *const segments[] = {"smb", "mid-market", "enterprise"};
static const int segment_w[] = {30, 42, 28};

static const char *const products[] = {"analytics", "billing", "crm", "payments", "security", "integration"};
static const int product_w[] = {26, 18, 20, 14, 10, 12};

static const char *const use_cases[] = {
	"supply-chain-visibility", "revenue-recognition", "fraud-detection", "customer-360",
	"compliance-reporting", "demand-forecasting", "data-migration", "self-service-analytics",
};

enum {
	A_REFERENCE_CALL, A_CASE_STUDY, A_QUOTE, A_VIDEO, A_SPEAKING, A_PRESS, A_ANALYST,
	A_ADVISORY_BOARD, A_BETA, A_REFERRAL, A_SITE_VISIT, A_SOCIAL, A_COMMUNITY, A_COUNT
};
static const char *const activities[A_COUNT] = {
	"reference-call", "case-study", "quote", "video", "speaking", "press", "analyst",
	"advisory-board", "beta", "referral", "site-visit", "social", "community",
};
/* How willing advocates are in general (reference-call handled apart). */
static const int activity_offer_w[A_COUNT] = {0, 30, 35, 15, 15, 8, 10, 12, 15, 20, 6, 20, 15};
/* How often each activity is requested. */
static const int activity_request_w[A_COUNT] = {60, 8, 9, 4, 4, 2, 3, 2, 3, 5, 1, 4, 3};
static const int activity_points[A_COUNT] = {10, 50, 10, 50, 75, 50, 50, 50, 25, 25, 100, 5, 5};

static const char *const programs[] = {
	"customer-advisory-board", "beta-program", "user-group", "champions-club",
	"speaker-bureau", "executive-sponsor",
};
static const int program_pct[] = {30, 25, 35, 30, 12, 10};

static const char *const tags[] = {
	"champion", "executive", "technical", "power-user", "early-adopter", "at-risk",
	"vip", "multi-product", "new-logo",
};

static const char *const scopes[] = {"name", "logo", "quote", "case-study", "video"};
static const int scope_pct[] = {100, 80, 70, 35, 20};

enum { S_NOMINATED, S_ACTIVE, S_PAUSED, S_RETIRED };
static const char *const statuses[] = {"nominated", "active", "paused", "retired"};
static const int status_w[] = {8, 80, 7, 5};

enum { Q_REQUESTED, Q_APPROVED, Q_SCHEDULED, Q_COMPLETED, Q_DECLINED, Q_CANCELLED };
static const char *const req_statuses[] = {
	"requested", "approved", "scheduled", "completed", "declined", "cancelled",
};
static const int req_recent_w[] = {22, 15, 18, 25, 10, 10};
static const int req_old_w[] = {0, 0, 0, 72, 14, 14};

enum { O_NONE, O_WON, O_LOST, O_OPEN };
static const char *const outcomes[] = {"", "won", "lost", "open"};

static const char *const healths[] = {"green", "yellow", "red"};

static const char *const decline_reasons[] = {
	"Advocate is travelling that week",
	"Too many recent requests",
	"Prospect is a competitor of the advocate",
	"Advocate changed roles",
	"Timing does not work for the advocate",
	"Consent does not cover this activity",
	"Account owner declined during the renewal",
};
static const char *const cancel_reasons[] = {
	"Prospect went dark",
	"Opportunity closed before the call",
	"Prospect chose another reference",
	"Requester withdrew the request",
	"Duplicate request",
	"Deal put on hold by the prospect",
};

static const char *const notes_pool[] = {
	"Prefers calls on Tuesday mornings",
	"Needs two weeks notice for any reference activity",
	"Happy to speak with prospects in the same industry",
	"Will not speak with direct competitors",
	"Great migration story, ask about the cutover weekend",
	"Not available during quarter-end close",
	"Route all requests through the account owner first",
	"Spoke at the last user conference and would do it again",
	"Prefers short calls of 30 minutes or less",
	"Enthusiastic about the new analytics roadmap",
	"Legal must approve any use of the logo",
	"Very responsive by email, slow to return calls",
	"Ask about the reduction in manual reconciliation work",
	"Introduced by the previous account owner",
	"Switched from a competitor, strong comparison story",
	"Prefers video calls over phone calls",
	"Can host site visits at headquarters",
	"Do not schedule on Fridays",
	"Reference fatigue risk, keep for high-value deals",
	"Would like early access to beta features in return",
	"Executive sponsor changed recently, reconfirm consent",
	"Strong advocate for the payments rollout",
	"Happy to be quoted but not on video",
	"Best reached through their assistant",
};

static const char *const titles_by_industry[I_COUNT][4] = {
	{"Head of Supply Chain", "Plant Operations Director", "VP Manufacturing", "Procurement Manager"},
	{"Director of E-commerce", "Head of Merchandising", "VP Store Operations", "Customer Insights Manager"},
	{"Head of Payments", "Chief Risk Officer", "Director of Finance Operations", "Fraud Prevention Lead"},
	{"Director of Clinical Systems", "Head of Patient Services", "Chief Medical Information Officer", "Health Informatics Manager"},
	{"VP Engineering", "Head of Revenue Operations", "Product Operations Lead", "Director of Data Platform"},
	{"Director of Network Analytics", "Head of Billing Systems", "VP Customer Care", "BSS Architect"},
	{"Chief Digital Officer", "Head of Citizen Services", "IT Programme Manager", "Director of Finance"},
	{"Head of Grid Analytics", "Director of Metering Operations", "VP Customer Operations", "Head of Energy Trading Systems"},
	{"Head of Fleet Operations", "Director of Logistics Planning", "VP Operations", "Warehouse Systems Manager"},
	{"Director of Student Systems", "Chief Information Officer", "Head of Enterprise Applications", "Registrar"},
};
static const char *const titles_generic[] = {
	"CFO", "CIO", "CTO", "Chief Data Officer", "VP Finance", "Head of IT",
	"Director of Analytics", "Finance Systems Manager", "Senior Data Engineer",
	"Business Intelligence Lead", "Group Controller", "Head of Customer Experience",
};

/* Staff of the vendor, by region. */
static const char *const account_owners[4][3] = {
	{"Dana Reyes", "Lars Eriksen", "Fatima Haddad"},
	{"Rob Sullivan", "Priya Natarajan", "Megan Cho"},
	{"Rafael Mendes", "Carolina Ruiz", "Dana Reyes"},
	{"Hiro Tanaka", "Olivia Grant", "Deepa Rao"},
};
static const char *const requesters[4][5] = {
	{"Sam Ortiz", "Nina Petrova", "Felix Wagner", "Claire Dupont", "Tom Lindgren"},
	{"Alex Kim", "Jordan Blake", "Hannah Lee", "Chris Morgan", "Tyler Brooks"},
	{"Gabriela Souza", "Mateo Rojas", "Lucia Herrera", "Alex Kim", "Sam Ortiz"},
	{"Ken Ito", "Aisha Rahman", "Ben Cooper", "Mei Chen", "Ravi Menon"},
};
static const char *const program_managers[] = {"Morgan Hale", "Jess Albright"};

/* Prospect organisations: stem + industry word. */
static const char *const prospect_stems[] = {
	"Altamira", "Bellwether", "Castellan", "Driftwood", "Emberly", "Fairhaven",
	"Glenmore", "Halvorsen", "Ironwood", "Jasperton", "Kingsley", "Larkspur",
	"Marlowe", "Northgate", "Oakridge", "Prescott", "Ravenscroft", "Saltmarsh",
	"Thornbury", "Valemont", "Westbrook", "Yarrow", "Ashford", "Blackthorn",
	"Copperfield", "Dunmore", "Elmstead", "Foxhollow", "Greenhaven", "Hollis",
	"Globex", "Initech", "Wexford", "Carrow", "Brightlane", "Stonebridge",
};

/* Company name stems used anywhere. */
static const char *const company_stems[] = {
	"Northwind", "Bluepeak", "Cobalt", "Meridian", "Silverline", "Brightwater",
	"Ironbridge", "Crescent", "Harborview", "Summit", "Evergreen", "Granite",
	"Polaris", "Redwood", "Keystone", "Lakeside", "Orion", "Pinnacle", "Sterling",
	"Vantage", "Aurora", "Cedarline", "Falconridge", "Horizon", "Juniper",
	"Maplewood", "Oakhurst", "Riverbend", "Stonegate", "Tidewater", "Clearwater",
	"Highland", "Sunridge", "Blue Harbor", "Greystone", "Foxglove", "Kestrel",
	"Lodestar", "Alder", "Silver Birch",
};

/* ---- countries and their people ---- */

struct country {
	const char *code;
	int region;
	const char *lang, *alt_lang; /* primary language, second language */
	int alt_pct;                 /* how often the second one is spoken too */
	const char *phone;           /* '#' a digit, 'N' a non-zero digit */
	int weight;
	const char *const *legal;
	int nlegal;
	const char *const *stems; /* local company name stems */
	int nstems;
	const char *const *first;
	int nfirst;
	const char *const *last;
	int nlast;
};

#define LIST(a) a, N(a)

static const char *const de_legal[] = {"GmbH", "AG", "GmbH & Co. KG"};
static const char *const de_stems[] = {"Rheintal", "Südstern", "Alpenblick", "Nordhafen", "Elbufer"};
static const char *const de_first[] = {"Jürgen", "Anna", "Lukas", "Katrin", "Stefan", "Sabine", "Matthias", "Julia", "Tobias", "Claudia", "Felix", "Petra", "Jörg", "Lena"};
static const char *const de_last[] = {"Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Becker", "Hoffmann", "Schäfer", "Koch", "Wagner", "Krüger", "Böhm", "Wolf", "Neumann"};
static const char *const fr_legal[] = {"SA", "SAS"};
static const char *const fr_stems[] = {"Lumière", "Val de Loire", "Côte Bleue", "Belle Rive"};
static const char *const fr_first[] = {"Camille", "Julien", "Élodie", "Thomas", "Chloé", "Nicolas", "Amélie", "François", "Léa", "Mathieu", "Hélène", "Antoine"};
static const char *const fr_last[] = {"Martin", "Bernard", "Dubois", "Lefèvre", "Moreau", "Girard", "Lambert", "Fontaine", "Rousseau", "Mercier", "Faure", "Chevalier"};
static const char *const gb_legal[] = {"Ltd", "plc"};
static const char *const gb_stems[] = {"Thameside", "Pennine", "Kingsgate", "Severn", "Cotswold"};
static const char *const gb_first[] = {"Oliver", "Charlotte", "Harry", "Amelia", "George", "Emily", "James", "Sophie", "William", "Grace", "Zoë", "Siobhán"};
static const char *const gb_last[] = {"Smith", "Jones", "Taylor", "Brown", "Evans", "Wilson", "Thompson", "Wright", "Walker", "Hughes", "Clarke", "O'Neill"};
static const char *const no_legal[] = {"AS", "ASA"};
static const char *const no_stems[] = {"Nordlys", "Vestkyst", "Fjellheim", "Havbris"};
static const char *const no_first[] = {"Lars", "Ingrid", "Ola", "Kari", "Sindre", "Silje", "Håkon", "Marit", "Bjørn", "Solveig", "Øystein", "Ragnhild"};
static const char *const no_last[] = {"Hansen", "Johansen", "Olsen", "Larsen", "Berg", "Haugen", "Dahl", "Solberg", "Bakke", "Lie", "Sæther", "Strøm"};
static const char *const nl_legal[] = {"BV", "NV"};
static const char *const nl_stems[] = {"Polderlink", "Zeeland", "Waddenzee", "Amstelveld"};
static const char *const nl_first[] = {"Daan", "Sanne", "Bram", "Femke", "Joost", "Lotte", "Ruud", "Eva", "Sem", "Anouk"};
static const char *const nl_last[] = {"de Jong", "Jansen", "de Vries", "van Dijk", "Bakker", "Visser", "Smit", "Meijer", "de Boer", "Mulder"};
static const char *const se_legal[] = {"AB"};
static const char *const se_stems[] = {"Skärgård", "Norrsken", "Östersjö", "Göta"};
static const char *const se_first[] = {"Erik", "Sara", "Johan", "Maja", "Anders", "Elin", "Oskar", "Linnéa", "Magnus", "Ebba"};
static const char *const se_last[] = {"Andersson", "Johansson", "Karlsson", "Nilsson", "Eriksson", "Lindqvist", "Holm", "Sjöberg", "Åberg", "Lund"};
static const char *const es_legal[] = {"SA", "SL"};
static const char *const es_stems[] = {"Peñalara", "Levante", "Sierra Norte", "Guadalmar"};
static const char *const es_first[] = {"José", "Lucía", "Javier", "Carmen", "Alejandro", "María", "Pablo", "Elena", "Sergio", "Marta", "Iñaki", "Begoña"};
static const char *const es_last[] = {"García", "Fernández", "López", "Martínez", "Sánchez", "Pérez", "Gómez", "Ruiz", "Navarro", "Ortega", "Muñoz", "Ibáñez"};
static const char *const it_legal[] = {"SpA", "Srl"};
static const char *const it_stems[] = {"Tirreno", "Dolomiti", "Laguna", "Vesuvia"};
static const char *const it_first[] = {"Marco", "Giulia", "Alessandro", "Francesca", "Luca", "Chiara", "Matteo", "Sara", "Davide", "Elisa", "Niccolò"};
static const char *const it_last[] = {"Rossi", "Russo", "Ferrari", "Esposito", "Bianchi", "Romano", "Colombo", "Ricci", "Marino", "Greco", "Fabbri"};
static const char *const us_legal[] = {"Inc", "Corp", "LLC"};
static const char *const us_stems[] = {"Great Lakes", "Pacific Crest", "Blue Ridge", "Lone Star", "Cascade"};
static const char *const us_first[] = {"Michael", "Jennifer", "David", "Jessica", "Chris", "Ashley", "Brian", "Megan", "Kevin", "Rachel", "Marcus", "Tanya", "Daniel", "Keisha", "Andre", "Emily"};
static const char *const us_last[] = {"Johnson", "Williams", "Miller", "Davis", "Garcia", "Rodriguez", "Anderson", "Thomas", "Jackson", "White", "Harris", "Clark", "Nguyen", "Patel", "Kim", "Okafor"};
static const char *const ca_legal[] = {"Inc", "Ltd"};
static const char *const ca_stems[] = {"Laurentide", "Maplegrove", "Great Bear", "Fundy"};
static const char *const ca_first[] = {"Liam", "Emma", "Noah", "Olivia", "Étienne", "Émilie", "Marc", "Isabelle", "Connor", "Chloe"};
static const char *const ca_last[] = {"Tremblay", "Gagnon", "Roy", "Côté", "Bouchard", "MacDonald", "Campbell", "Wilson", "Lee", "Martin"};
static const char *const br_legal[] = {"Ltda", "SA"};
static const char *const br_stems[] = {"Horizonte", "Rota Verde", "Ipê", "Serra Azul"};
static const char *const br_first[] = {"João", "Ana", "Pedro", "Beatriz", "Lucas", "Mariana", "Rafael", "Juliana", "Thiago", "Fernanda"};
static const char *const br_last[] = {"Silva", "Santos", "Oliveira", "Souza", "Pereira", "Costa", "Rodrigues", "Almeida", "Nascimento", "Araújo"};
static const char *const mx_legal[] = {"SA de CV"};
static const char *const mx_stems[] = {"Altavista", "Sierra Madre", "Cenote", "Bajío"};
static const char *const mx_first[] = {"Alejandro", "Sofía", "Diego", "Valentina", "Luis", "Daniela", "Carlos", "Ximena", "Jorge", "Fernanda"};
static const char *const mx_last[] = {"Hernández", "González", "Rodríguez", "Ramírez", "Flores", "Morales", "Vázquez", "Castillo", "Jiménez", "Reyes"};
static const char *const jp_legal[] = {"KK", "Co Ltd"};
static const char *const jp_stems[] = {"Sakura", "Hikari", "Fujimi", "Kaze"};
static const char *const jp_first[] = {"Haruto", "Yui", "Takashi", "Aiko", "Kenji", "Yuki", "Hiroshi", "Sakura", "Daisuke", "Naomi"};
static const char *const jp_last[] = {"Sato", "Suzuki", "Takahashi", "Tanaka", "Watanabe", "Ito", "Yamamoto", "Nakamura", "Kobayashi", "Kato"};
static const char *const au_legal[] = {"Pty Ltd", "Ltd"};
static const char *const au_stems[] = {"Southern Cross", "Coral Coast", "Murray Basin", "Red Centre"};
static const char *const au_first[] = {"Jack", "Chloe", "Liam", "Matilda", "Cooper", "Isla", "Lachlan", "Ruby", "Mitchell", "Zoë"};
static const char *const au_last[] = {"Smith", "Jones", "Williams", "Brown", "Wilson", "Taylor", "Nguyen", "Kelly", "Ryan", "Murphy"};
static const char *const sg_legal[] = {"Pte Ltd"};
static const char *const sg_stems[] = {"Lion City", "Marina", "Straits", "Merlion"};
static const char *const sg_first[] = {"Wei Ling", "Jun Jie", "Hui Min", "Darren", "Siti", "Rajesh", "Mei", "Kelvin", "Nur Aisyah", "Priya"};
static const char *const sg_last[] = {"Tan", "Lim", "Lee", "Ng", "Ong", "Wong", "Goh", "Chua", "Koh", "Teo"};
static const char *const in_legal[] = {"Pvt Ltd", "Ltd"};
static const char *const in_stems[] = {"Indus", "Kaveri", "Deccan", "Sahyadri"};
static const char *const in_first[] = {"Arjun", "Priya", "Rahul", "Ananya", "Vikram", "Sneha", "Rohan", "Kavya", "Aditya", "Neha"};
static const char *const in_last[] = {"Sharma", "Patel", "Gupta", "Iyer", "Reddy", "Nair", "Mehta", "Singh", "Rao", "Kulkarni"};

static const struct country countries[] = {
	{"DE", R_EMEA, "de", "en", 75, "+49 N# N######", 9, LIST(de_legal), LIST(de_stems), LIST(de_first), LIST(de_last)},
	{"FR", R_EMEA, "fr", "en", 55, "+33 N ## ## ## ##", 6, LIST(fr_legal), LIST(fr_stems), LIST(fr_first), LIST(fr_last)},
	{"GB", R_EMEA, "en", NULL, 0, "+44 20 7### ####", 9, LIST(gb_legal), LIST(gb_stems), LIST(gb_first), LIST(gb_last)},
	{"NO", R_EMEA, "no", "en", 95, "+47 N# ## ## ##", 2, LIST(no_legal), LIST(no_stems), LIST(no_first), LIST(no_last)},
	{"NL", R_EMEA, "nl", "en", 95, "+31 N# ### ####", 4, LIST(nl_legal), LIST(nl_stems), LIST(nl_first), LIST(nl_last)},
	{"SE", R_EMEA, "sv", "en", 95, "+46 8 ### ### ##", 3, LIST(se_legal), LIST(se_stems), LIST(se_first), LIST(se_last)},
	{"ES", R_EMEA, "es", "en", 55, "+34 9# ### ## ##", 4, LIST(es_legal), LIST(es_stems), LIST(es_first), LIST(es_last)},
	{"IT", R_EMEA, "it", "en", 55, "+39 0N #### ####", 4, LIST(it_legal), LIST(it_stems), LIST(it_first), LIST(it_last)},
	{"US", R_NA, "en", "es", 8, "+1 N## 555 01##", 30, LIST(us_legal), LIST(us_stems), LIST(us_first), LIST(us_last)},
	{"CA", R_NA, "en", "fr", 35, "+1 N## 555 01##", 5, LIST(ca_legal), LIST(ca_stems), LIST(ca_first), LIST(ca_last)},
	{"BR", R_LATAM, "pt", "en", 55, "+55 N# 9#### ####", 5, LIST(br_legal), LIST(br_stems), LIST(br_first), LIST(br_last)},
	{"MX", R_LATAM, "es", "en", 60, "+52 55 #### ####", 3, LIST(mx_legal), LIST(mx_stems), LIST(mx_first), LIST(mx_last)},
	{"JP", R_APAC, "ja", "en", 50, "+81 3 #### ####", 5, LIST(jp_legal), LIST(jp_stems), LIST(jp_first), LIST(jp_last)},
	{"AU", R_APAC, "en", NULL, 0, "+61 N #### ####", 4, LIST(au_legal), LIST(au_stems), LIST(au_first), LIST(au_last)},
	{"SG", R_APAC, "en", "zh", 40, "+65 6### ####", 2, LIST(sg_legal), LIST(sg_stems), LIST(sg_first), LIST(sg_last)},
	{"IN", R_APAC, "en", "hi", 30, "+91 N# #### ####", 5, LIST(in_legal), LIST(in_stems), LIST(in_first), LIST(in_last)},
};

static int country_index(const char *code)
{
	for (int i = 0; i < N(countries); i++)
		if (!strcmp(countries[i].code, code))
			return i;
	die("internal: unknown country %s", code);
}

static int industry_index(const char *name)
{
	for (int i = 0; i < I_COUNT; i++)
		if (!strcmp(industries[i], name))
			return i;
	die("internal: unknown industry %s", name);
}

/* Hand-picked advocates for --realistic; the rest is generated around them. */
struct curated {
	const char *first, *last, *company, *country, *industry, *title;
};

static const struct curated curated[] = {
	{"Jürgen", "Müller", "Ärzte AG", "DE", "healthcare", "Head of Supply Chain"},
	{"José", "Fernández", "Transportes Ebro SA", "ES", "logistics", "Director of Logistics Planning"},
	{"Zoë", "Hartley", "Brightwater Foods Ltd", "GB", "retail", "Director of E-commerce"},
	{"Ingrid", "Solberg", "Nordlys Energi AS", "NO", "energy", "Head of Grid Analytics"},
	{"Camille", "Lefèvre", "Maison Duval SAS", "FR", "retail", "Head of Merchandising"},
	{"Marcus", "Bell", "Keystone Mutual Insurance", "US", "financial-services", "VP Finance"},
	{"Priya", "Raman", "Veridian Health Systems", "US", "healthcare", "Director of Clinical Systems"},
	{"Kenji", "Watanabe", "Hoshino Precision KK", "JP", "manufacturing", "Plant Operations Director"},
	{"Ana Beatriz", "Costa", "Rota Verde Logística Ltda", "BR", "logistics", "Head of Fleet Operations"},
	{"Lukas", "Becker", "Rheintal Maschinenbau GmbH", "DE", "manufacturing", "Procurement Manager"},
	{"Sanne", "de Vries", "Polderlink BV", "NL", "telecom", "Head of Billing Systems"},
	{"Erik", "Lindqvist", "Skärgården Energi AB", "SE", "energy", "Director of Metering Operations"},
	{"Giulia", "Romano", "Banca del Tirreno SpA", "IT", "financial-services", "Fraud Prevention Lead"},
	{"Sophie", "Whitaker", "Pennine Logistics Ltd", "GB", "logistics", "VP Operations"},
	{"Liam", "O'Connor", "Maplegrove Telecom Inc", "CA", "telecom", "Director of Network Analytics"},
	{"Émilie", "Tremblay", "Groupe Laurentide Inc", "CA", "financial-services", "Director of Finance Operations"},
	{"Diego", "Ramírez", "Grupo Altavista SA de CV", "MX", "retail", "VP Store Operations"},
	{"Valentina", "Flores", "Farmacias del Valle", "MX", "healthcare", "Head of Patient Services"},
	{"Jack", "Murphy", "Southern Cross Freight Pty Ltd", "AU", "logistics", "Warehouse Systems Manager"},
	{"Matilda", "Kelly", "Coral Coast University", "AU", "education", "Director of Student Systems"},
	{"Wei Ling", "Tan", "Lion City Payments Pte Ltd", "SG", "financial-services", "Head of Payments"},
	{"Arjun", "Mehta", "Indus Cloudworks Pvt Ltd", "IN", "software", "VP Engineering"},
	{"Ananya", "Iyer", "Kaveri Telecom Ltd", "IN", "telecom", "BSS Architect"},
	{"Yui", "Nakamura", "Sakura Mobile KK", "JP", "telecom", "VP Customer Care"},
	{"Rachel", "Goldberg", "Northwind Software Inc", "US", "software", "Head of Revenue Operations"},
	{"Brian", "Kowalski", "Great Lakes Steel Corp", "US", "manufacturing", "VP Manufacturing"},
	{"Tanya", "Brooks", "Evergreen Unified School District", "US", "education", "Chief Information Officer"},
	{"Kevin", "Nguyen", "Pacific Crest Energy", "US", "energy", "VP Customer Operations"},
	{"Megan", "Foster", "Redwood Credit Union", "US", "financial-services", "Chief Risk Officer"},
	{"Carlos", "Mendoza", "Cobalt Retail Group", "US", "retail", "Customer Insights Manager"},
	{"François", "Girard", "Lumière Télécom SA", "FR", "telecom", "Head of Billing Systems"},
	{"Léa", "Moreau", "Métropole de Valmont", "FR", "public-sector", "Chief Digital Officer"},
	{"Håkon", "Berg", "Vestkyst Shipping AS", "NO", "logistics", "Director of Logistics Planning"},
	{"Stefan", "Weber", "Südstern Versicherung AG", "DE", "financial-services", "Director of Finance Operations"},
	{"Katrin", "Schäfer", "Hochschule Neckartal", "DE", "education", "Head of Enterprise Applications"},
	{"Oliver", "Hughes", "Thameside Water plc", "GB", "energy", "Head of Customer Experience"},
	{"Amelia", "Wright", "Kingsgate Bank plc", "GB", "financial-services", "Head of Payments"},
	{"Marta", "Navarro", "Universidad de Levante", "ES", "education", "Registrar"},
	{"Matteo", "Ricci", "Officine Ricambi Srl", "IT", "manufacturing", "Head of Supply Chain"},
	{"João", "Pereira", "Banco Horizonte SA", "BR", "financial-services", "CFO"},
	{"Sara", "Nilsson", "Göta Logistik AB", "SE", "logistics", "Head of Fleet Operations"},
	{"Bram", "Visser", "Zeeland Zorggroep", "NL", "healthcare", "Health Informatics Manager"},
	{"Naomi", "Sato", "Hikari Retail Holdings", "JP", "retail", "Director of E-commerce"},
	{"Lachlan", "Ryan", "Murray Basin Water", "AU", "public-sector", "IT Programme Manager"},
	{"Rohan", "Kulkarni", "Deccan Payments Pvt Ltd", "IN", "financial-services", "Fraud Prevention Lead"},
	{"Chloé", "Mercier", "Mercier & Fils SARL", "FR", "retail", "Director of E-commerce"},
	{"Daniel", "Okafor", "Lakeshore Health Partners", "US", "healthcare", "Chief Medical Information Officer"},
	{"Siobhán", "Byrne", "Calder Valley Council", "GB", "public-sector", "Head of Citizen Services"},
};

/* ---- deals shared between requests of different advocates ---- */

#define DEAL_POOL 256
#define DEAL_MAX_REFS 3

struct deal {
	unsigned long opp;
	int64_t date;
	int industry, region, product;
	char prospect[64];
	int outcome;
	long value;
	int uses;
	long adv[DEAL_MAX_REFS];
};

static struct deal deals[DEAL_POOL];
static int ndeals, deal_pos;
static unsigned long next_opp;

static struct deal *find_shared_deal(long adv, int64_t opened)
{
	int start;

	if (!ndeals)
		return NULL;
	start = rnd(ndeals);
	for (int k = 0; k < ndeals; k++) {
		struct deal *d = &deals[(start + k) % ndeals];
		int64_t diff = d->date - opened;
		int mine = 0;
		if (d->uses >= DEAL_MAX_REFS || diff < -30 || diff > 30)
			continue;
		for (int u = 0; u < d->uses; u++)
			if (d->adv[u] == adv)
				mine = 1;
		if (!mine)
			return d;
	}
	return NULL;
}

/* ---- one advocate ---- */

struct request {
	int64_t opened, closed;
	const char *requester, *approved_by, *reason;
	char prospect[64];
	unsigned long opp; /* 0: none */
	int industry, region, product, activity, status, outcome;
	long value;
};

struct options {
	uint64_t seed;
	int max_requests;
	int64_t today;
	int realistic;
};

static struct set ids, emails;
static struct request *reqs;
static int64_t *dates_buf;

static void make_company(char *out, size_t cap, const struct country *c, int industry)
{
	const char *stem = chance(25) ? c->stems[rnd(c->nstems)] : PICK(company_stems);
	const char *word = industry_words[industry][rnd(6)];
	int no_suffix = industry == I_PUBLIC || industry == I_EDUCATION || !strcmp(word, "Credit Union");

	if (!no_suffix && chance(70))
		snprintf(out, cap, "%s %s %s", stem, word, c->legal[rnd(c->nlegal)]);
	else
		snprintf(out, cap, "%s %s", stem, word);
}

static void make_phone(char *out, size_t cap, const char *fmt)
{
	size_t j = 0;
	for (; *fmt && j + 1 < cap; fmt++) {
		if (*fmt == '#')
			out[j++] = (char)('0' + rnd(10));
		else if (*fmt == 'N')
			out[j++] = (char)('1' + rnd(9));
		else
			out[j++] = *fmt;
	}
	out[j] = 0;
}

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return (x > y) - (x < y);
}

static int pick_nps(void)
{
	static const int w[11] = {1, 1, 2, 2, 4, 6, 10, 24, 40, 60, 50};
	return pickw(w, 11);
}

static int pick_activity_for(uint32_t offered)
{
	int n = 0, idx[A_COUNT];

	if (offered && chance(90)) {
		if ((offered & 1u) && chance(60))
			return A_REFERENCE_CALL;
		for (int i = 0; i < A_COUNT; i++)
			if (offered & (1u << i))
				idx[n++] = i;
		return idx[rnd(n)];
	}
	return pickw(activity_request_w, A_COUNT);
}

/* 10,000..900,000 in steps of 1,000, mostly small; bigger for bigger segments. */
static long pick_deal_value(int segment)
{
	double u = rndf(), x = u * u * u;
	if (segment == 0)
		x *= u;
	else if (segment == 2)
		x = u * u;
	return 10000 + 1000L * (long)(x * 890.0 + 0.5);
}

static void make_prospect(char *out, size_t cap, int industry)
{
	const char *stem = PICK(prospect_stems);
	const char *word = industry_words[industry][rnd(6)];
	snprintf(out, cap, "%s %s", stem, word);
}

static void gen_advocate(struct buf *b, char id[64], long index, const struct options *o)
{
	const struct country *c;
	const char *first, *last, *title = NULL, *owner = NULL;
	char company[128], base[64], phone[40];
	int ci, industry, region, status, segment, nps = -1, health = -1;
	int64_t since, last_contact, win_start, win_end;
	uint32_t prod = 0, ucs = 0, acts = 0, progs = 0, tagm = 0, scope = 0;
	int nreq = 0, ncompleted = 0, has_consent, has_limits;
	int64_t consent_until = 0;
	int per_quarter = 0, rest_days = 0;
	const char *notes = NULL;
	static struct buf email;

	/* who */
	if (o->realistic && index < N(curated)) {
		const struct curated *cu = &curated[index];
		ci = country_index(cu->country);
		industry = industry_index(cu->industry);
		first = cu->first;
		last = cu->last;
		snprintf(company, sizeof company, "%s", cu->company);
		title = cu->title;
	} else {
		static int weights[N(countries)];
		if (!weights[0])
			for (int i = 0; i < N(countries); i++)
				weights[i] = countries[i].weight;
		ci = pickw(weights, N(countries));
		industry = pickw(industry_w, I_COUNT);
		first = countries[ci].first[rnd(countries[ci].nfirst)];
		last = countries[ci].last[rnd(countries[ci].nlast)];
		make_company(company, sizeof company, &countries[ci], industry);
		if (chance(95))
			title = chance(65) ? titles_by_industry[industry][rnd(4)] : PICK(titles_generic);
	}
	c = &countries[ci];
	region = c->region;

	/* id: first-last-company, -2, -3... on collision */
	{
		char src[256];
		snprintf(src, sizeof src, "%s %s %s", first, last, company);
		slugify(base, 63, src);
		snprintf(id, 64, "%s", base);
		for (int k = 2; set_has(&ids, id); k++) {
			char suffix[16];
			int sl = snprintf(suffix, sizeof suffix, "-%d", k);
			size_t keep = strlen(base);
			if (keep > 63 - (size_t)sl)
				keep = 63 - (size_t)sl;
			while (keep > 0 && base[keep - 1] == '-')
				keep--;
			snprintf(id, 64, "%.*s%s", (int)keep, base, suffix);
		}
		set_add(&ids, id);
	}

	/* email: first.last@company.example, made unique with a number */
	{
		char domain[64];
		size_t local_len;
		email.n = 0;
		alnum_only(&email, first);
		bputc(&email, '.');
		alnum_only(&email, last);
		local_len = email.n;
		slugify(domain, 55, company);
		bputc(&email, '@');
		bputs(&email, domain);
		bputs(&email, ".example");
		for (int k = 2; set_has(&emails, email.p); k++) {
			static struct buf tmp;
			tmp.n = 0;
			bputn(&tmp, email.p, local_len);
			bputl(&tmp, k);
			bputc(&tmp, '@');
			bputs(&tmp, domain);
			bputs(&tmp, ".example");
			email.n = 0;
			bputs(&email, tmp.p);
		}
		set_add(&emails, email.p);
	}

	status = pickw(status_w, N(status_w));
	segment = pickw(segment_w, N(segment_w));
	if (chance(95))
		owner = account_owners[region][rnd(3)];

	since = status == S_NOMINATED ? o->today - rrange(20, 400) : o->today - rrange(60, 2200);

	if (chance(85))
		nps = pick_nps();
	if (chance(90)) {
		static const int hi[] = {85, 12, 3}, mid[] = {60, 32, 8}, lo[] = {15, 45, 40}, none[] = {65, 25, 10};
		const int *w = nps < 0 ? none : nps >= 9 ? hi : nps >= 7 ? mid : lo;
		health = pickw(w, 3);
	}
	if (chance(60))
		notes = PICK(notes_pool);

	/* products, use cases */
	{
		int k = 1;
		if (chance(45))
			k++;
		if (chance(20))
			k++;
		for (; k > 0; k--)
			prod |= 1u << pickw(product_w, N(product_w));
	}
	if (chance(5))
		prod = 0;
	if (chance(88)) {
		static const int uc_by_industry[I_COUNT] = {0, 5, 2, 4, 7, 3, 4, 5, 0, 7};
		ucs |= 1u << (chance(50) ? uc_by_industry[industry] : rnd(N(use_cases)));
		for (int k = rnd(3); k > 0; k--)
			ucs |= 1u << rnd(N(use_cases));
	}

	/* activities the advocate is willing to do */
	if (status != S_NOMINATED || chance(40)) {
		if (chance(85))
			acts |= 1u << A_REFERENCE_CALL;
		for (int k = rnd(5); k > 0; k--)
			acts |= 1u << pickw(activity_offer_w, A_COUNT);
		if (!acts)
			acts = 1u << A_REFERENCE_CALL;
		if (chance(4))
			acts = 0;
	}
	for (int i = 0; i < N(programs); i++)
		if (chance(program_pct[i] / (status == S_NOMINATED ? 3 : 1)))
			progs |= 1u << i;
	if (nps >= 9 && chance(60))
		tagm |= 1u << 0;
	if (health == 2 && chance(70))
		tagm |= 1u << 5;
	for (int k = rnd(3); k > 0; k--) {
		int t = rnd(N(tags));
		if (t != 5)
			tagm |= 1u << t;
	}

	has_consent = chance(status == S_NOMINATED ? 40 : 87);
	if (has_consent) {
		consent_until = o->today + rrange(-60, 540);
		for (int i = 0; i < N(scopes); i++)
			if (chance(scope_pct[i]))
				scope |= 1u << i;
	}
	has_limits = chance(20);
	if (has_limits) {
		static const int pq_w[] = {0, 10, 25, 30, 15, 10, 10};
		static const int rest[] = {7, 14, 21, 30, 45, 60, 90};
		per_quarter = pickw(pq_w, N(pq_w));
		rest_days = PICK(rest);
	}

	/* requests */
	win_end = o->today;
	if (status == S_RETIRED)
		win_end = o->today - rrange(90, 400);
	win_start = o->today - 547;
	if (win_start < since + 7)
		win_start = since + 7;
	if (status != S_NOMINATED && win_start <= win_end && o->max_requests > 0) {
		/* skewed to few requests; enterprise and active advocates get more */
		double u = rndf(), x = u;
		if (segment != 2)
			x *= u;
		if (segment == 0)
			x *= u;
		if (status != S_ACTIVE)
			x *= u;
		nreq = (int)(x * (o->max_requests + 1));
		if (nreq > o->max_requests)
			nreq = o->max_requests;
	}
	if (nreq) {
		int64_t *dates = dates_buf;
		for (int r = 0; r < nreq; r++)
			dates[r] = win_start + rnd((int)(win_end - win_start + 1));
		qsort(dates, (size_t)nreq, sizeof dates[0], cmp_i64);
		for (int r = 0; r < nreq; r++) {
			struct request *q = &reqs[r];
			struct deal *d = NULL;
			int recent = dates[r] >= o->today - 45;

			memset(q, 0, sizeof *q);
			q->opened = dates[r];
			if (chance(85)) {
				q->requester = requesters[region][rnd(5)];
			} else {
				int other = rnd(4);
				q->requester = requesters[other][rnd(5)];
			}
			q->activity = pick_activity_for(acts);
			q->status = pickw(recent && status == S_ACTIVE ? req_recent_w : req_old_w, 6);

			if (chance(95) && (d = chance(18) ? find_shared_deal(index, q->opened) : NULL)) {
				d->adv[d->uses++] = index;
			} else if (chance(95)) {
				d = &deals[deal_pos];
				deal_pos = (deal_pos + 1) % DEAL_POOL;
				if (ndeals < DEAL_POOL)
					ndeals++;
				memset(d, 0, sizeof *d);
				next_opp += 1 + (unsigned long)rnd(7);
				d->opp = next_opp;
				d->date = q->opened;
				d->industry = chance(75) ? industry : rnd(I_COUNT);
				d->region = chance(70) ? region : rnd(4);
				if (prod && chance(85)) {
					int idx[8], n = 0;
					for (int i = 0; i < N(products); i++)
						if (prod & (1u << i))
							idx[n++] = i;
					d->product = idx[rnd(n)];
				} else {
					d->product = pickw(product_w, N(product_w));
				}
				make_prospect(d->prospect, sizeof d->prospect, d->industry);
				if (o->today - q->opened < 90) {
					static const int w[] = {0, 35, 20, 45};
					d->outcome = pickw(w, 4);
				} else {
					static const int w[] = {0, 55, 35, 10};
					d->outcome = pickw(w, 4);
				}
				d->value = pick_deal_value(segment);
				d->uses = 1;
				d->adv[0] = index;
			}
			if (d) {
				q->opp = d->opp;
				q->industry = d->industry;
				q->region = d->region;
				q->product = d->product;
				snprintf(q->prospect, sizeof q->prospect, "%s", d->prospect);
			} else {
				/* an informal request without an opportunity */
				q->industry = chance(75) ? industry : rnd(I_COUNT);
				q->region = region;
				q->product = pickw(product_w, N(product_w));
				make_prospect(q->prospect, sizeof q->prospect, q->industry);
			}
			if (chance(5))
				q->industry = -1;
			if (chance(5))
				q->region = -1;
			if (chance(8))
				q->product = -1;

			if (q->status == Q_APPROVED || q->status == Q_SCHEDULED || q->status == Q_COMPLETED)
				q->approved_by = owner && chance(80) ? owner : PICK(program_managers);
			if (q->status >= Q_COMPLETED) {
				q->closed = q->opened + rrange(1, 40);
				if (q->closed > o->today)
					q->closed = o->today;
			}
			if (q->status == Q_DECLINED)
				q->reason = PICK(decline_reasons);
			else if (q->status == Q_CANCELLED)
				q->reason = PICK(cancel_reasons);
			if (q->status == Q_COMPLETED) {
				ncompleted++;
				if (d && chance(85)) {
					q->outcome = d->outcome;
					if (q->outcome == O_WON || q->outcome == O_LOST)
						q->value = d->value;
				}
			}
		}
	}

	/* last contact: recent, and not before the latest request */
	last_contact = status == S_RETIRED ? win_end - rnd(60) : o->today - rnd(status == S_ACTIVE ? 120 : 300);
	for (int r = 0; r < nreq; r++) {
		int64_t t = reqs[r].closed ? reqs[r].closed : reqs[r].opened;
		if (t > last_contact)
			last_contact = t;
	}
	if (last_contact < since)
		last_contact = since;
	if (last_contact > o->today)
		last_contact = o->today;

	/* ---- emit ---- */
	b->n = 0;
	kv_str(b, "", "id", id);
	{
		char name[128];
		snprintf(name, sizeof name, "%s %s", first, last);
		kv_str(b, "", "name", name);
	}
	kv_str(b, "", "company", company);
	kv_str(b, "", "status", statuses[status]);
	if (title)
		kv_str(b, "", "title", title);
	if (chance(97))
		kv_str(b, "", "email", email.p);
	if (chance(80)) {
		make_phone(phone, sizeof phone, c->phone);
		kv_str(b, "", "phone", phone);
	}
	if (owner)
		kv_str(b, "", "account_owner", owner);
	if (chance(97))
		kv_str(b, "", "industry", industries[industry]);
	kv_str(b, "", "region", regions[region]);
	kv_str(b, "", "country", c->code);
	if (chance(95))
		kv_str(b, "", "segment", segments[segment]);
	if (chance(95))
		kv_date(b, "", "since", since);
	if (nps >= 0)
		kv_int(b, "", "nps", nps);
	if (health >= 0)
		kv_str(b, "", "health", healths[health]);
	if (chance(92))
		kv_date(b, "", "last_contact", last_contact);
	if (notes)
		kv_str(b, "", "notes", notes);
	if (chance(95)) {
		bputs(b, "languages:\n- ");
		put_scalar(b, c->lang);
		bputc(b, '\n');
		if (c->alt_lang && chance(c->alt_pct)) {
			bputs(b, "- ");
			put_scalar(b, c->alt_lang);
			bputc(b, '\n');
		}
	}
	kv_list(b, "", "products", products, N(products), prod);
	kv_list(b, "", "use_cases", use_cases, N(use_cases), ucs);
	kv_list(b, "", "activities", activities, A_COUNT, acts);
	kv_list(b, "", "programs", programs, N(programs), progs);
	kv_list(b, "", "tags", tags, N(tags), tagm);
	if (has_consent) {
		bputs(b, "consent:\n");
		kv_date(b, "  ", "until", consent_until);
		kv_list(b, "  ", "scope", scopes, N(scopes), scope);
	}
	if (has_limits) {
		bputs(b, "limits:\n");
		kv_int(b, "  ", "per_quarter", per_quarter);
		kv_int(b, "  ", "rest_days", rest_days);
	}
	if (nreq) {
		bputs(b, "requests:\n");
		for (int r = 0; r < nreq; r++) {
			const struct request *q = &reqs[r];
			char rid[96];
			snprintf(rid, sizeof rid, "%s/%d", id, r + 1);
			kv_str(b, "- ", "id", rid);
			kv_date(b, "  ", "opened", q->opened);
			kv_str(b, "  ", "requester", q->requester);
			kv_str(b, "  ", "prospect", q->prospect);
			if (q->opp) {
				char opp[32];
				snprintf(opp, sizeof opp, "OPP-%05lu", q->opp);
				kv_str(b, "  ", "opportunity", opp);
			}
			if (q->industry >= 0)
				kv_str(b, "  ", "industry", industries[q->industry]);
			if (q->region >= 0)
				kv_str(b, "  ", "region", regions[q->region]);
			if (q->product >= 0)
				kv_str(b, "  ", "product", products[q->product]);
			kv_str(b, "  ", "activity", activities[q->activity]);
			kv_str(b, "  ", "status", req_statuses[q->status]);
			if (q->approved_by)
				kv_str(b, "  ", "approved_by", q->approved_by);
			if (q->closed)
				kv_date(b, "  ", "closed", q->closed);
			if (q->reason)
				kv_str(b, "  ", "reason", q->reason);
			if (q->outcome)
				kv_str(b, "  ", "outcome", outcomes[q->outcome]);
			if (q->value)
				kv_int(b, "  ", "deal_value", q->value);
		}
	}
	if (ncompleted) {
		bputs(b, "rewards:\n");
		for (int r = 0; r < nreq; r++) {
			const struct request *q = &reqs[r];
			char tmp[160];
			if (q->status != Q_COMPLETED)
				continue;
			kv_date(b, "- ", "date", q->closed);
			kv_int(b, "  ", "points", activity_points[q->activity]);
			snprintf(tmp, sizeof tmp, "%s for %s", activities[q->activity], q->prospect);
			kv_str(b, "  ", "reason", tmp);
			snprintf(tmp, sizeof tmp, "%s/%d", id, r + 1);
			kv_str(b, "  ", "request", tmp);
		}
	}
}

/* ---- files ---- */

static void mkdir_p(const char *path)
{
	char *p = strdup(path);
	struct stat st;

	if (!p)
		die("out of memory");
	for (char *s = p + 1;; s++) {
		if (*s == '/' || !*s) {
			char saved = *s;
			*s = 0;
			if (mkdir(p, 0777) < 0 && errno != EEXIST)
				die("cannot create %s: %s", p, strerror(errno));
			*s = saved;
			if (!saved)
				break;
		}
	}
	if (stat(p, &st) < 0 || !S_ISDIR(st.st_mode))
		die("%s is not a directory", p);
	free(p);
}

/* One open, one write (short writes retried), one close per file. */
static void write_file(const char *path, const struct buf *b)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0666);
	size_t off = 0;

	if (fd < 0)
		die("cannot create %s: %s", path, strerror(errno));
	while (off < b->n) {
		ssize_t k = write(fd, b->p + off, b->n - off);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			die("cannot write %s: %s", path, strerror(errno));
		off += (size_t)k;
	}
	if (close(fd) < 0)
		die("cannot write %s: %s", path, strerror(errno));
}

static void usage(FILE *f)
{
	fprintf(f,
		"usage: %s [--seed N] [--max-requests N] [--today YYYY-MM-DD] [--realistic] COUNT DIR\n"
		"\n"
		"Write COUNT synthetic advocates as DIR/advocates/<id>.yaml.\n"
		"  --seed N           random seed (default 1); same arguments, same bytes\n"
		"  --max-requests N   at most N requests per advocate (default 12)\n"
		"  --today DATE       the date the roster is generated for (default 2026-11-15)\n"
		"  --realistic        hand-picked names and companies first (for the example)\n",
		progname);
}

static int parse_num(const char *s, unsigned long long max, unsigned long long *out)
{
	char *end;
	unsigned long long v;

	if (!*s || *s < '0' || *s > '9')
		return -1;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || *end || v > max)
		return -1;
	*out = v;
	return 0;
}

int main(int argc, char **argv)
{
	struct options o = {1, 12, 0, 0};
	const char *pos[2];
	int npos = 0;
	unsigned long long count = 0, v;
	struct buf b = {0}, path = {0};
	size_t dirlen;

	parse_date("2026-11-15", &o.today);
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *val = NULL;
		const char *eq = strchr(a, '=');
		char opt[32];

		if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			usage(stdout);
			return 0;
		}
		if (!strcmp(a, "--")) {
			for (i++; i < argc; i++) {
				if (npos == 2) {
					usage(stderr);
					return 2;
				}
				pos[npos++] = argv[i];
			}
			break;
		}
		if (a[0] != '-' || !a[1]) {
			if (npos == 2) {
				usage(stderr);
				return 2;
			}
			pos[npos++] = a;
			continue;
		}
		if (!strcmp(a, "--realistic")) {
			o.realistic = 1;
			continue;
		}
		if (a[1] == '-' && eq && (size_t)(eq - a) < sizeof opt) {
			snprintf(opt, sizeof opt, "%.*s", (int)(eq - a), a);
			val = eq + 1;
		} else {
			snprintf(opt, sizeof opt, "%s", a);
			if (strcmp(opt, "--seed") && strcmp(opt, "--max-requests") && strcmp(opt, "--today")) {
				fprintf(stderr, "%s: unknown option %s\n", progname, a);
				usage(stderr);
				return 2;
			}
			if (i + 1 >= argc) {
				fprintf(stderr, "%s: %s needs a value\n", progname, a);
				return 2;
			}
			val = argv[++i];
		}
		if (!strcmp(opt, "--seed")) {
			if (parse_num(val, UINT64_MAX, &v) < 0) {
				fprintf(stderr, "%s: bad --seed: %s\n", progname, val);
				return 2;
			}
			o.seed = v;
		} else if (!strcmp(opt, "--max-requests")) {
			if (parse_num(val, 1000, &v) < 0) {
				fprintf(stderr, "%s: bad --max-requests (0..1000): %s\n", progname, val);
				return 2;
			}
			o.max_requests = (int)v;
		} else if (!strcmp(opt, "--today")) {
			if (parse_date(val, &o.today) < 0) {
				fprintf(stderr, "%s: bad --today (YYYY-MM-DD): %s\n", progname, val);
				return 2;
			}
		} else {
			fprintf(stderr, "%s: unknown option %s\n", progname, a);
			usage(stderr);
			return 2;
		}
	}
	if (npos != 2) {
		usage(stderr);
		return 2;
	}
	if (parse_num(pos[0], 100000000ULL, &count) < 0) {
		fprintf(stderr, "%s: bad COUNT: %s\n", progname, pos[0]);
		return 2;
	}

	rng_state = o.seed;
	next_opp = 10000 + (unsigned long)rnd(900);
	reqs = calloc((size_t)o.max_requests + 1, sizeof *reqs);
	dates_buf = calloc((size_t)o.max_requests + 1, sizeof *dates_buf);
	if (!reqs || !dates_buf)
		die("out of memory");

	bputs(&path, pos[1]);
	while (path.n > 1 && path.p[path.n - 1] == '/')
		path.p[--path.n] = 0;
	bputs(&path, "/advocates");
	mkdir_p(path.p);
	bputc(&path, '/');
	dirlen = path.n;

	for (unsigned long long i = 0; i < count; i++) {
		char id[64];
		gen_advocate(&b, id, (long)i, &o);
		path.n = dirlen;
		bputs(&path, id);
		bputs(&path, ".yaml");
		write_file(path.p, &b);
	}

	set_free(&ids);
	set_free(&emails);
	free(reqs);
	free(dates_buf);
	free(b.p);
	free(path.p);
	return 0;
}
