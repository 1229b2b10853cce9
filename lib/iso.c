/*
 * ISO 3166-1 alpha-2 and ISO 639-1 codes, with the names CRM exports write
 * for them. One row per code, sorted by code; its names are separated by
 * '|', the English short name first.
 */
#include <stddef.h>
#include <string.h>

#include "refctl/iso.h"

struct iso_entry {
	const char code[3];
	const char *names;
};

static const struct iso_entry countries[] = {
	{ "AD", "Andorra" },
	{ "AE", "United Arab Emirates|UAE|U.A.E.|Emirates" },
	{ "AF", "Afghanistan" },
	{ "AG", "Antigua and Barbuda|Antigua & Barbuda" },
	{ "AI", "Anguilla" },
	{ "AL", "Albania" },
	{ "AM", "Armenia" },
	{ "AO", "Angola" },
	{ "AQ", "Antarctica" },
	{ "AR", "Argentina" },
	{ "AS", "American Samoa" },
	{ "AT", "Austria|Österreich" },
	{ "AU", "Australia" },
	{ "AW", "Aruba" },
	{ "AX", "Aland Islands|Åland Islands|Åland" },
	{ "AZ", "Azerbaijan" },
	{ "BA", "Bosnia and Herzegovina|Bosnia & Herzegovina|Bosnia" },
	{ "BB", "Barbados" },
	{ "BD", "Bangladesh" },
	{ "BE", "Belgium|Belgique|België|Belgien" },
	{ "BF", "Burkina Faso" },
	{ "BG", "Bulgaria" },
	{ "BH", "Bahrain" },
	{ "BI", "Burundi" },
	{ "BJ", "Benin" },
	{ "BL", "Saint Barthelemy|Saint Barthélemy|St. Barthelemy" },
	{ "BM", "Bermuda" },
	{ "BN", "Brunei|Brunei Darussalam" },
	{ "BO", "Bolivia|Bolivia, Plurinational State of" },
	{ "BQ", "Bonaire, Sint Eustatius and Saba|Caribbean Netherlands|Bonaire" },
	{ "BR", "Brazil|Brasil" },
	{ "BS", "Bahamas|The Bahamas" },
	{ "BT", "Bhutan" },
	{ "BV", "Bouvet Island" },
	{ "BW", "Botswana" },
	{ "BY", "Belarus" },
	{ "BZ", "Belize" },
	{ "CA", "Canada" },
	{ "CC", "Cocos (Keeling) Islands|Cocos Islands" },
	{ "CD", "Congo, Democratic Republic of the|Democratic Republic of the Congo|DR Congo|DRC|Congo-Kinshasa|Congo, The Democratic Republic of the" },
	{ "CF", "Central African Republic" },
	{ "CG", "Congo|Republic of the Congo|Congo-Brazzaville|Congo, Republic of the" },
	{ "CH", "Switzerland|Schweiz|Suisse|Svizzera" },
	{ "CI", "Cote d'Ivoire|Côte d'Ivoire|Ivory Coast" },
	{ "CK", "Cook Islands" },
	{ "CL", "Chile" },
	{ "CM", "Cameroon" },
	{ "CN", "China|People's Republic of China|PRC|Mainland China" },
	{ "CO", "Colombia" },
	{ "CR", "Costa Rica" },
	{ "CU", "Cuba" },
	{ "CV", "Cabo Verde|Cape Verde" },
	{ "CW", "Curacao|Curaçao" },
	{ "CX", "Christmas Island" },
	{ "CY", "Cyprus" },
	{ "CZ", "Czechia|Czech Republic|Česko" },
	{ "DE", "Germany|Deutschland|Federal Republic of Germany" },
	{ "DJ", "Djibouti" },
	{ "DK", "Denmark|Danmark" },
	{ "DM", "Dominica" },
	{ "DO", "Dominican Republic" },
	{ "DZ", "Algeria" },
	{ "EC", "Ecuador" },
	{ "EE", "Estonia" },
	{ "EG", "Egypt" },
	{ "EH", "Western Sahara" },
	{ "ER", "Eritrea" },
	{ "ES", "Spain|España|Espana" },
	{ "ET", "Ethiopia" },
	{ "FI", "Finland|Suomi" },
	{ "FJ", "Fiji" },
	{ "FK", "Falkland Islands|Falkland Islands (Malvinas)" },
	{ "FM", "Micronesia|Micronesia, Federated States of" },
	{ "FO", "Faroe Islands" },
	{ "FR", "France" },
	{ "GA", "Gabon" },
	{ "GB", "United Kingdom|UK|U.K.|Great Britain|Britain|United Kingdom of Great Britain and Northern Ireland|England|Scotland|Wales|Northern Ireland" },
	{ "GD", "Grenada" },
	{ "GE", "Georgia" },
	{ "GF", "French Guiana" },
	{ "GG", "Guernsey" },
	{ "GH", "Ghana" },
	{ "GI", "Gibraltar" },
	{ "GL", "Greenland" },
	{ "GM", "Gambia|The Gambia" },
	{ "GN", "Guinea" },
	{ "GP", "Guadeloupe" },
	{ "GQ", "Equatorial Guinea" },
	{ "GR", "Greece|Hellas" },
	{ "GS", "South Georgia and the South Sandwich Islands" },
	{ "GT", "Guatemala" },
	{ "GU", "Guam" },
	{ "GW", "Guinea-Bissau" },
	{ "GY", "Guyana" },
	{ "HK", "Hong Kong|Hong Kong SAR" },
	{ "HM", "Heard Island and McDonald Islands" },
	{ "HN", "Honduras" },
	{ "HR", "Croatia|Hrvatska" },
	{ "HT", "Haiti" },
	{ "HU", "Hungary|Magyarország" },
	{ "ID", "Indonesia" },
	{ "IE", "Ireland|Republic of Ireland|Éire" },
	{ "IL", "Israel" },
	{ "IM", "Isle of Man" },
	{ "IN", "India" },
	{ "IO", "British Indian Ocean Territory" },
	{ "IQ", "Iraq" },
	{ "IR", "Iran|Iran, Islamic Republic of" },
	{ "IS", "Iceland" },
	{ "IT", "Italy|Italia" },
	{ "JE", "Jersey" },
	{ "JM", "Jamaica" },
	{ "JO", "Jordan" },
	{ "JP", "Japan|Nippon|日本" },
	{ "KE", "Kenya" },
	{ "KG", "Kyrgyzstan" },
	{ "KH", "Cambodia" },
	{ "KI", "Kiribati" },
	{ "KM", "Comoros" },
	{ "KN", "Saint Kitts and Nevis|St. Kitts and Nevis" },
	{ "KP", "North Korea|Korea, Democratic People's Republic of|DPRK" },
	{ "KR", "South Korea|Korea|Korea, Republic of|Republic of Korea" },
	{ "KW", "Kuwait" },
	{ "KY", "Cayman Islands" },
	{ "KZ", "Kazakhstan" },
	{ "LA", "Laos|Lao People's Democratic Republic" },
	{ "LB", "Lebanon" },
	{ "LC", "Saint Lucia|St. Lucia" },
	{ "LI", "Liechtenstein" },
	{ "LK", "Sri Lanka" },
	{ "LR", "Liberia" },
	{ "LS", "Lesotho" },
	{ "LT", "Lithuania" },
	{ "LU", "Luxembourg" },
	{ "LV", "Latvia" },
	{ "LY", "Libya" },
	{ "MA", "Morocco" },
	{ "MC", "Monaco" },
	{ "MD", "Moldova|Moldova, Republic of" },
	{ "ME", "Montenegro" },
	{ "MF", "Saint Martin|Saint Martin (French part)" },
	{ "MG", "Madagascar" },
	{ "MH", "Marshall Islands" },
	{ "MK", "North Macedonia|Macedonia" },
	{ "ML", "Mali" },
	{ "MM", "Myanmar|Burma" },
	{ "MN", "Mongolia" },
	{ "MO", "Macao|Macau" },
	{ "MP", "Northern Mariana Islands" },
	{ "MQ", "Martinique" },
	{ "MR", "Mauritania" },
	{ "MS", "Montserrat" },
	{ "MT", "Malta" },
	{ "MU", "Mauritius" },
	{ "MV", "Maldives" },
	{ "MW", "Malawi" },
	{ "MX", "Mexico|México" },
	{ "MY", "Malaysia" },
	{ "MZ", "Mozambique" },
	{ "NA", "Namibia" },
	{ "NC", "New Caledonia" },
	{ "NE", "Niger" },
	{ "NF", "Norfolk Island" },
	{ "NG", "Nigeria" },
	{ "NI", "Nicaragua" },
	{ "NL", "Netherlands|The Netherlands|Holland|Nederland" },
	{ "NO", "Norway|Norge" },
	{ "NP", "Nepal" },
	{ "NR", "Nauru" },
	{ "NU", "Niue" },
	{ "NZ", "New Zealand|Aotearoa" },
	{ "OM", "Oman" },
	{ "PA", "Panama" },
	{ "PE", "Peru" },
	{ "PF", "French Polynesia" },
	{ "PG", "Papua New Guinea" },
	{ "PH", "Philippines" },
	{ "PK", "Pakistan" },
	{ "PL", "Poland|Polska" },
	{ "PM", "Saint Pierre and Miquelon" },
	{ "PN", "Pitcairn|Pitcairn Islands" },
	{ "PR", "Puerto Rico" },
	{ "PS", "Palestine|Palestine, State of|Palestinian Territories" },
	{ "PT", "Portugal" },
	{ "PW", "Palau" },
	{ "PY", "Paraguay" },
	{ "QA", "Qatar" },
	{ "RE", "Reunion|Réunion" },
	{ "RO", "Romania" },
	{ "RS", "Serbia" },
	{ "RU", "Russia|Russian Federation" },
	{ "RW", "Rwanda" },
	{ "SA", "Saudi Arabia" },
	{ "SB", "Solomon Islands" },
	{ "SC", "Seychelles" },
	{ "SD", "Sudan" },
	{ "SE", "Sweden|Sverige" },
	{ "SG", "Singapore" },
	{ "SH", "Saint Helena|Saint Helena, Ascension and Tristan da Cunha" },
	{ "SI", "Slovenia" },
	{ "SJ", "Svalbard and Jan Mayen" },
	{ "SK", "Slovakia|Slovak Republic" },
	{ "SL", "Sierra Leone" },
	{ "SM", "San Marino" },
	{ "SN", "Senegal" },
	{ "SO", "Somalia" },
	{ "SR", "Suriname" },
	{ "SS", "South Sudan" },
	{ "ST", "Sao Tome and Principe|São Tomé and Príncipe" },
	{ "SV", "El Salvador" },
	{ "SX", "Sint Maarten|Sint Maarten (Dutch part)" },
	{ "SY", "Syria|Syrian Arab Republic" },
	{ "SZ", "Eswatini|Swaziland" },
	{ "TC", "Turks and Caicos Islands" },
	{ "TD", "Chad" },
	{ "TF", "French Southern Territories" },
	{ "TG", "Togo" },
	{ "TH", "Thailand" },
	{ "TJ", "Tajikistan" },
	{ "TK", "Tokelau" },
	{ "TL", "Timor-Leste|East Timor" },
	{ "TM", "Turkmenistan" },
	{ "TN", "Tunisia" },
	{ "TO", "Tonga" },
	{ "TR", "Turkey|Türkiye|Turkiye" },
	{ "TT", "Trinidad and Tobago|Trinidad & Tobago" },
	{ "TV", "Tuvalu" },
	{ "TW", "Taiwan|Taiwan, Province of China" },
	{ "TZ", "Tanzania|Tanzania, United Republic of" },
	{ "UA", "Ukraine" },
	{ "UG", "Uganda" },
	{ "UM", "United States Minor Outlying Islands" },
	{ "US", "United States|United States of America|USA|U.S.A.|U.S.|America" },
	{ "UY", "Uruguay" },
	{ "UZ", "Uzbekistan" },
	{ "VA", "Holy See|Vatican|Vatican City" },
	{ "VC", "Saint Vincent and the Grenadines|St. Vincent and the Grenadines" },
	{ "VE", "Venezuela|Venezuela, Bolivarian Republic of" },
	{ "VG", "British Virgin Islands|Virgin Islands, British" },
	{ "VI", "U.S. Virgin Islands|Virgin Islands, U.S.|US Virgin Islands" },
	{ "VN", "Vietnam|Viet Nam" },
	{ "VU", "Vanuatu" },
	{ "WF", "Wallis and Futuna" },
	{ "WS", "Samoa" },
	{ "XK", "Kosovo" },
	{ "YE", "Yemen" },
	{ "YT", "Mayotte" },
	{ "ZA", "South Africa" },
	{ "ZM", "Zambia" },
	{ "ZW", "Zimbabwe" },
};

static const struct iso_entry languages[] = {
	{ "aa", "Afar" },
	{ "ab", "Abkhazian|Abkhaz" },
	{ "ae", "Avestan" },
	{ "af", "Afrikaans" },
	{ "ak", "Akan" },
	{ "am", "Amharic" },
	{ "an", "Aragonese" },
	{ "ar", "Arabic|العربية" },
	{ "as", "Assamese" },
	{ "av", "Avaric" },
	{ "ay", "Aymara" },
	{ "az", "Azerbaijani|Azeri" },
	{ "ba", "Bashkir" },
	{ "be", "Belarusian" },
	{ "bg", "Bulgarian|български" },
	{ "bh", "Bihari" },
	{ "bi", "Bislama" },
	{ "bm", "Bambara" },
	{ "bn", "Bengali|Bangla" },
	{ "bo", "Tibetan" },
	{ "br", "Breton" },
	{ "bs", "Bosnian" },
	{ "ca", "Catalan|Català" },
	{ "ce", "Chechen" },
	{ "ch", "Chamorro" },
	{ "co", "Corsican" },
	{ "cr", "Cree" },
	{ "cs", "Czech|Čeština|Cestina" },
	{ "cu", "Church Slavic|Old Church Slavonic" },
	{ "cv", "Chuvash" },
	{ "cy", "Welsh|Cymraeg" },
	{ "da", "Danish|Dansk" },
	{ "de", "German|Deutsch" },
	{ "dv", "Divehi|Dhivehi|Maldivian" },
	{ "dz", "Dzongkha" },
	{ "ee", "Ewe" },
	{ "el", "Greek|Ελληνικά" },
	{ "en", "English" },
	{ "eo", "Esperanto" },
	{ "es", "Spanish|Español|Espanol|Castilian" },
	{ "et", "Estonian|Eesti" },
	{ "eu", "Basque|Euskara" },
	{ "fa", "Persian|Farsi" },
	{ "ff", "Fulah|Fula" },
	{ "fi", "Finnish|Suomi" },
	{ "fj", "Fijian" },
	{ "fo", "Faroese" },
	{ "fr", "French|Français|Francais" },
	{ "fy", "Western Frisian|Frisian" },
	{ "ga", "Irish|Gaeilge" },
	{ "gd", "Scottish Gaelic|Gaelic" },
	{ "gl", "Galician" },
	{ "gn", "Guarani" },
	{ "gu", "Gujarati" },
	{ "gv", "Manx" },
	{ "ha", "Hausa" },
	{ "he", "Hebrew|עברית" },
	{ "hi", "Hindi|हिन्दी" },
	{ "ho", "Hiri Motu" },
	{ "hr", "Croatian|Hrvatski" },
	{ "ht", "Haitian Creole|Haitian" },
	{ "hu", "Hungarian|Magyar" },
	{ "hy", "Armenian" },
	{ "hz", "Herero" },
	{ "ia", "Interlingua" },
	{ "id", "Indonesian|Bahasa Indonesia" },
	{ "ie", "Interlingue|Occidental" },
	{ "ig", "Igbo" },
	{ "ii", "Sichuan Yi|Nuosu" },
	{ "ik", "Inupiaq" },
	{ "io", "Ido" },
	{ "is", "Icelandic|Íslenska" },
	{ "it", "Italian|Italiano" },
	{ "iu", "Inuktitut" },
	{ "ja", "Japanese|日本語" },
	{ "jv", "Javanese" },
	{ "ka", "Georgian" },
	{ "kg", "Kongo" },
	{ "ki", "Kikuyu" },
	{ "kj", "Kuanyama" },
	{ "kk", "Kazakh" },
	{ "kl", "Kalaallisut|Greenlandic" },
	{ "km", "Khmer|Central Khmer" },
	{ "kn", "Kannada" },
	{ "ko", "Korean|한국어" },
	{ "kr", "Kanuri" },
	{ "ks", "Kashmiri" },
	{ "ku", "Kurdish" },
	{ "kv", "Komi" },
	{ "kw", "Cornish" },
	{ "ky", "Kyrgyz|Kirghiz" },
	{ "la", "Latin" },
	{ "lb", "Luxembourgish|Lëtzebuergesch" },
	{ "lg", "Ganda|Luganda" },
	{ "li", "Limburgish" },
	{ "ln", "Lingala" },
	{ "lo", "Lao" },
	{ "lt", "Lithuanian|Lietuvių" },
	{ "lu", "Luba-Katanga" },
	{ "lv", "Latvian|Latviešu" },
	{ "mg", "Malagasy" },
	{ "mh", "Marshallese" },
	{ "mi", "Maori|Māori" },
	{ "mk", "Macedonian" },
	{ "ml", "Malayalam" },
	{ "mn", "Mongolian" },
	{ "mr", "Marathi" },
	{ "ms", "Malay|Bahasa Melayu" },
	{ "mt", "Maltese" },
	{ "my", "Burmese" },
	{ "na", "Nauru" },
	{ "nb", "Norwegian Bokmål|Norwegian Bokmal|Bokmål|Bokmal" },
	{ "nd", "North Ndebele" },
	{ "ne", "Nepali" },
	{ "ng", "Ndonga" },
	{ "nl", "Dutch|Nederlands|Flemish" },
	{ "nn", "Norwegian Nynorsk|Nynorsk" },
	{ "no", "Norwegian|Norsk" },
	{ "nr", "South Ndebele" },
	{ "nv", "Navajo" },
	{ "ny", "Chichewa|Nyanja" },
	{ "oc", "Occitan" },
	{ "oj", "Ojibwa" },
	{ "om", "Oromo" },
	{ "or", "Odia|Oriya" },
	{ "os", "Ossetian" },
	{ "pa", "Punjabi|Panjabi" },
	{ "pi", "Pali" },
	{ "pl", "Polish|Polski" },
	{ "ps", "Pashto|Pushto" },
	{ "pt", "Portuguese|Português|Portugues" },
	{ "qu", "Quechua" },
	{ "rm", "Romansh" },
	{ "rn", "Rundi|Kirundi" },
	{ "ro", "Romanian|Română|Romana" },
	{ "ru", "Russian|Русский" },
	{ "rw", "Kinyarwanda" },
	{ "sa", "Sanskrit" },
	{ "sc", "Sardinian" },
	{ "sd", "Sindhi" },
	{ "se", "Northern Sami" },
	{ "sg", "Sango" },
	{ "si", "Sinhala|Sinhalese" },
	{ "sk", "Slovak|Slovenčina" },
	{ "sl", "Slovenian|Slovene|Slovenščina" },
	{ "sm", "Samoan" },
	{ "sn", "Shona" },
	{ "so", "Somali" },
	{ "sq", "Albanian|Shqip" },
	{ "sr", "Serbian|Српски" },
	{ "ss", "Swati" },
	{ "st", "Southern Sotho|Sesotho" },
	{ "su", "Sundanese" },
	{ "sv", "Swedish|Svenska" },
	{ "sw", "Swahili|Kiswahili" },
	{ "ta", "Tamil" },
	{ "te", "Telugu" },
	{ "tg", "Tajik" },
	{ "th", "Thai|ไทย" },
	{ "ti", "Tigrinya" },
	{ "tk", "Turkmen" },
	{ "tl", "Tagalog|Filipino" },
	{ "tn", "Tswana|Setswana" },
	{ "to", "Tonga|Tongan" },
	{ "tr", "Turkish|Türkçe|Turkce" },
	{ "ts", "Tsonga" },
	{ "tt", "Tatar" },
	{ "tw", "Twi" },
	{ "ty", "Tahitian" },
	{ "ug", "Uyghur|Uighur" },
	{ "uk", "Ukrainian|Українська" },
	{ "ur", "Urdu" },
	{ "uz", "Uzbek" },
	{ "ve", "Venda" },
	{ "vi", "Vietnamese|Tiếng Việt" },
	{ "vo", "Volapük|Volapuk" },
	{ "wa", "Walloon" },
	{ "wo", "Wolof" },
	{ "xh", "Xhosa" },
	{ "yi", "Yiddish" },
	{ "yo", "Yoruba" },
	{ "za", "Zhuang" },
	{ "zh", "Chinese|中文|Mandarin|Cantonese|Simplified Chinese|Traditional Chinese" },
	{ "zu", "Zulu|isiZulu" },
};

#define NCOUNTRIES (sizeof(countries) / sizeof(countries[0]))
#define NLANGUAGES (sizeof(languages) / sizeof(languages[0]))

static const struct iso_entry *find_code(const struct iso_entry *v, size_t n, const char *code)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(v[mid].code, code);
		if (!c)
			return &v[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

int refctl_iso_country_valid(const char *s)
{
	return strlen(s) == 2 && find_code(countries, NCOUNTRIES, s) != NULL;
}

int refctl_iso_language_valid(const char *s)
{
	return strlen(s) == 2 && find_code(languages, NLANGUAGES, s) != NULL;
}

/* Latin-1 letters (U+00C0 to U+00FF, after the UTF-8 lead byte C3) without
 * their accents; "" for the two signs among them. */
static const char *const latin1_fold[64] = {
	"a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i", "i",
	"d", "n", "o", "o", "o", "o", "o", "", "o", "u", "u", "u", "u", "y", "th", "ss",
	"a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i", "i",
	"d", "n", "o", "o", "o", "o", "o", "", "o", "u", "u", "u", "u", "y", "th", "y",
};

/*
 * The comparison key of a name, into key: ASCII letters and digits in
 * small letters, Latin-1 letters without accents, other UTF-8 as it is;
 * spaces and ASCII punctuation dropped, "&" read as "and". 0 if it does
 * not fit.
 */
static int name_key(char *key, size_t size, const char *s, size_t len)
{
	size_t k = 0;

	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		const char *add = NULL;
		char one[2] = { 0, 0 };
		if (c >= 'A' && c <= 'Z') {
			one[0] = (char)(c - 'A' + 'a');
		} else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
			one[0] = (char)c;
		} else if (c == '&') {
			add = "and";
		} else if (c == 0xc3 && i + 1 < len && ((unsigned char)s[i + 1] & 0xc0) == 0x80) {
			unsigned char d = (unsigned char)s[++i];
			add = latin1_fold[d & 0x3f];
		} else if (c >= 0x80) {
			one[0] = (char)c;
		}
		if (!add)
			add = one;
		for (; *add; add++) {
			if (k + 1 >= size)
				return 0;
			key[k++] = *add;
		}
	}
	key[k] = '\0';
	return 1;
}

/* The row one of whose names has the key of s, or NULL. */
static const struct iso_entry *find_name(const struct iso_entry *v, size_t n, const char *s)
{
	char want[128], have[128];

	if (!name_key(want, sizeof(want), s, strlen(s)) || !*want)
		return NULL;
	for (size_t i = 0; i < n; i++)
		for (const char *p = v[i].names; *p;) {
			const char *bar = strchr(p, '|');
			size_t len = bar ? (size_t)(bar - p) : strlen(p);
			if (name_key(have, sizeof(have), p, len) && !strcmp(want, have))
				return &v[i];
			p += len + (bar != NULL);
		}
	return NULL;
}

/* s without the spaces around it, into buf; 0 if it does not fit. */
static int trimmed(char *buf, size_t size, const char *s)
{
	size_t len;

	while (*s == ' ' || *s == '\t')
		s++;
	len = strlen(s);
	while (len && (s[len - 1] == ' ' || s[len - 1] == '\t'))
		len--;
	if (len >= size)
		return 0;
	memcpy(buf, s, len);
	buf[len] = '\0';
	return 1;
}

const char *refctl_iso_country_code(const char *s)
{
	char t[128], code[3];
	const struct iso_entry *e;

	if (!trimmed(t, sizeof(t), s))
		return NULL;
	if (strlen(t) == 2) {
		code[0] = (char)(t[0] >= 'a' && t[0] <= 'z' ? t[0] - 'a' + 'A' : t[0]);
		code[1] = (char)(t[1] >= 'a' && t[1] <= 'z' ? t[1] - 'a' + 'A' : t[1]);
		code[2] = '\0';
		if ((e = find_code(countries, NCOUNTRIES, code)) != NULL)
			return e->code;
	}
	e = find_name(countries, NCOUNTRIES, t);
	return e ? e->code : NULL;
}

const char *refctl_iso_language_code(const char *s)
{
	char t[128], code[3];
	const struct iso_entry *e;
	size_t len;

	if (!trimmed(t, sizeof(t), s))
		return NULL;
	len = strlen(t);
	/* a code, or a locale tag "de-DE", "pt_BR", "zh-Hant-TW" by its language */
	if (len >= 2 && (len == 2 || t[2] == '-' || t[2] == '_')) {
		code[0] = (char)(t[0] >= 'A' && t[0] <= 'Z' ? t[0] - 'A' + 'a' : t[0]);
		code[1] = (char)(t[1] >= 'A' && t[1] <= 'Z' ? t[1] - 'A' + 'a' : t[1]);
		code[2] = '\0';
		if ((e = find_code(languages, NLANGUAGES, code)) != NULL)
			return e->code;
	}
	e = find_name(languages, NLANGUAGES, t);
	return e ? e->code : NULL;
}
