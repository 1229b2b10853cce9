#ifndef REFCTL_REFERRAL_H
#define REFCTL_REFERRAL_H

/*
 * Referrals: prospects an advocate introduced, kept in the `referrals` list
 * of the advocate's file, with ids ADVOCATE/YYMMDD-XXXXXXXX that no two
 * clones can both draw. There is no approval step:
 *
 *   open      -> qualified, won, lost, cancelled
 *   qualified -> won, lost, cancelled
 *
 * `won` awards rewards.referrals.won points of refctl.yaml, `qualify`
 * rewards.referrals.qualified (0 by default: none). As for requests, the
 * store-level calls are one locked read-modify-write of one file and one
 * commit; the refctl_referral_apply_*() functions do the same change on a
 * record in memory.
 */

#include "refctl/advocate.h"
#include "refctl/buf.h"
#include "refctl/config.h"
#include "refctl/record.h"
#include "refctl/store.h"

/* A 63-character advocate id, '/', and the 15 characters of the token. */
#define REFCTL_REFERRAL_ID_MAX 80

/* The advocate id of a referral id "ADVOCATE/TOKEN" into advocate.
 * REFCTL_EUSAGE, with a message, if id is not of that form. */
int refctl_referral_id_parse(struct refctl_buf *advocate, const char *id);

enum refctl_referral_verb {
	REFCTL_REFERRAL_QUALIFY = 1,
	REFCTL_REFERRAL_WON,
	REFCTL_REFERRAL_LOST,
	REFCTL_REFERRAL_CANCEL,
};

/* "qualify", "won", "lost", "cancel". */
const char *refctl_referral_verb_name(enum refctl_referral_verb verb);

/* A new referral. Zero is the default of every member but the dates
 * (REFCTL_DATE_NONE): start from REFCTL_REFERRAL_NEW_OPTS_INIT. */
struct refctl_referral_new_opts {
	const char *advocate;  /* the referring advocate's id */
	const char *prospect;  /* required: the company referred */
	const char *contact, *opportunity, *notes; /* optional */
	const char *value;     /* the expected deal value as typed, or NULL */
	refctl_date opened;    /* NONE: today */
	refctl_date today;     /* NONE: refctl_date_today() */
};
#define REFCTL_REFERRAL_NEW_OPTS_INIT { .opened = REFCTL_DATE_NONE, .today = REFCTL_DATE_NONE }

/* A transition; the same defaults (REFCTL_REFERRAL_CHANGE_INIT). */
struct refctl_referral_change {
	enum refctl_referral_verb verb;
	const char *id;      /* ADVOCATE/TOKEN */
	const char *value;   /* the deal value as typed, or NULL */
	const char *reason;  /* lost, cancel: why, or NULL */
	refctl_date date;    /* the day it happened (NONE: today) */
	refctl_date today;   /* NONE: refctl_date_today() */
};
#define REFCTL_REFERRAL_CHANGE_INIT { .date = REFCTL_DATE_NONE, .today = REFCTL_DATE_NONE }

/* The checks that need no file: a prospect, single lines, a well-formed
 * value, a verb and an id. REFCTL_EUSAGE for what is missing,
 * REFCTL_EINVALID for what is bad. */
int refctl_referral_new_check(const struct refctl_referral_new_opts *o);
int refctl_referral_change_check(const struct refctl_referral_change *ch);

/* What a call did, for the command to report. */
struct refctl_referral_result {
	char id[REFCTL_REFERRAL_ID_MAX];
	int status;               /* the referral's status afterwards */
	long points;              /* points awarded */
	struct refctl_buf no_points; /* why none were, for an advocate who may not be rewarded */
	long balance;             /* the advocate's reward balance afterwards */
	struct refctl_buf value;  /* the value afterwards, as written */
	struct refctl_buf subject; /* the commit subject */
	struct refctl_buf body;    /* the commit body besides -m */
};
void refctl_referral_result_init(struct refctl_referral_result *r);
void refctl_referral_result_release(struct refctl_referral_result *r);

/*
 * Append a new referral to rec (in memory), or apply a transition. The
 * errors of the checks; REFCTL_ENOTFOUND if there is no such referral,
 * REFCTL_EREFUSED (naming the status) if it is closed, REFCTL_EINVALID for
 * a date before the referral was opened (or qualified) or after today.
 */
int refctl_referral_apply_new(struct refctl_referral_result *res, struct refctl_record *rec,
			      const struct refctl_config *cfg, const struct refctl_referral_new_opts *o);
int refctl_referral_apply_change(struct refctl_referral_result *res, struct refctl_record *rec,
				 const struct refctl_config *cfg, const struct refctl_referral_change *ch);

/* The same on the store: check, lock, load, apply, validate, write and commit. */
int refctl_referral_new(struct refctl_referral_result *res, struct refctl_store *s,
			const struct refctl_referral_new_opts *o, const struct refctl_write_opts *opts);
int refctl_referral_change(struct refctl_referral_result *res, struct refctl_store *s,
			   const struct refctl_referral_change *ch, const struct refctl_write_opts *opts);

#endif
