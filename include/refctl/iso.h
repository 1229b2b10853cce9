#ifndef REFCTL_ISO_H
#define REFCTL_ISO_H

/*
 * ISO codes and the names people write instead of them: ISO 3166-1
 * alpha-2 country codes and ISO 639-1 language codes, with their English
 * names, common variants and native names, so that an import from a CRM
 * turns "Germany" into DE and "German" or "de_DE" into de.
 */

/* 1 if s is an assigned ISO 3166-1 alpha-2 code (or XK), in capitals. */
int refctl_iso_country_valid(const char *s);
/* 1 if s is an ISO 639-1 code, in small letters. */
int refctl_iso_language_valid(const char *s);

/*
 * The code that s names, or NULL: a code in any case ("de" is DE), an
 * English name or a common variant ("Germany", "Deutschland", "United
 * States of America", "USA"). Names compare without regard to case,
 * spaces and punctuation.
 */
const char *refctl_iso_country_code(const char *s);
/* The same for languages: "German", "Deutsch", "DE", and a locale tag
 * ("de-DE", "pt_BR") by its language. */
const char *refctl_iso_language_code(const char *s);

#endif
