#ifndef REFCTL_FILTER_H
#define REFCTL_FILTER_H

/*
 * Which advocates `list` (and any reader) keeps: the schema's FILTER rows,
 * each named by its flag (--industry, --product). The same flag given more
 * than once keeps an advocate that has any of the values (OR); different
 * flags must all hold (AND). Free vocabularies compare through
 * refctl.yaml's aliases, case-insensitively with ' ', '_' and '-' alike;
 * enums compare exactly.
 */

#include "refctl/config.h"
#include "refctl/schema.h"

struct refctl_filter;

int refctl_filter_new(struct refctl_filter **out, const struct refctl_config *cfg);
void refctl_filter_free(struct refctl_filter *f);
/* The schema row a filter flag names, or NULL. */
const struct refctl_field *refctl_filter_field(const char *flag);
/* Keep advocates whose field (named by its flag) has value; REFCTL_EINVALID
 * for a value the field cannot hold (an unknown status or activity). */
int refctl_filter_add(struct refctl_filter *f, const char *flag, const char *value);
/* Keep advocates whose integer field (nps) is at least min and below max
 * (absent values never pass). */
int refctl_filter_add_int_range(struct refctl_filter *f, const char *path, long min, long max);
/* Keep advocates whose date field (consent.until) is in [from, to]. */
int refctl_filter_add_date_range(struct refctl_filter *f, const char *path, refctl_date from, refctl_date to);
/* 1 if the advocate passes every condition (always, with none). */
int refctl_filter_match(const struct refctl_filter *f, const struct refctl_advocate *a);

#endif
