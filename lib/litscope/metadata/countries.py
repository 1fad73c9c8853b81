"""Countries of affiliations: a bundled ISO 3166 table and the rule that reads a country.

The rule (:func:`country_of_affiliation`): drop an e-mail address ("Electronic address:
...", "x@y.org"), a final full stop and trailing parts without letters (postcodes); take
the affiliation's last comma-separated part and match it, case and punctuation aside, against the country names, official names and
common variants of :data:`COUNTRY_TABLE` ('USA', 'Peoples R China', 'England', 'UK' ...);
when the whole part does not match, try its last three, two, then one words, so
'IL 61801 USA' (Web of Science) and 'Beijing 100084 China' give a country. England,
Scotland, Wales and Northern Ireland count as the United Kingdom. Two-letter codes are
matched only where an export states a country code (OpenAlex ``country_code``), never
inside affiliation text, where 'CA' or 'IN' are as often states as countries.

The table is ISO 3166-1 as pycountry 24.6 gives it (names, alpha-2 and alpha-3 codes),
with short common names as the canonical spelling.

Examples
--------
>>> country_of_affiliation("Beckman Institute, Urbana, IL 61801, United States")
'United States'
>>> country_of_affiliation("Tsinghua Univ, Dept Comp Sci, Beijing 100084, Peoples R China")
'China'
>>> country_of_affiliation("Univ Oxford, Oxford OX1 3QD, England"), country_of_affiliation("Lab of Things")
('United Kingdom', '')
>>> country_of_code("cz"), country_of_code("XX")
('Czech Republic', '')
"""

from __future__ import annotations

import re

from ..normalize import fold_accents

__all__ = ["COUNTRY_TABLE", "country_of_affiliation", "country_of_code", "countries_of_affiliations"]

#: 'alpha-2 alpha-3 Canonical name|other name|...', one country a line (ISO 3166-1, pycountry 24.6).
COUNTRY_TABLE = """
AW ABW Aruba
AF AFG Afghanistan|Islamic Republic of Afghanistan
AO AGO Angola|Republic of Angola
AI AIA Anguilla
AX ALA Åland Islands
AL ALB Albania|Republic of Albania
AD AND Andorra|Principality of Andorra
AE ARE United Arab Emirates
AR ARG Argentina|Argentine Republic
AM ARM Armenia|Republic of Armenia
AS ASM American Samoa
AQ ATA Antarctica
TF ATF French Southern Territories
AG ATG Antigua and Barbuda
AU AUS Australia
AT AUT Austria|Republic of Austria
AZ AZE Azerbaijan|Republic of Azerbaijan
BI BDI Burundi|Republic of Burundi
BE BEL Belgium|Kingdom of Belgium
BJ BEN Benin|Republic of Benin
BQ BES Caribbean Netherlands
BF BFA Burkina Faso
BD BGD Bangladesh|People's Republic of Bangladesh
BG BGR Bulgaria|Republic of Bulgaria
BH BHR Bahrain|Kingdom of Bahrain
BS BHS Bahamas|Commonwealth of the Bahamas
BA BIH Bosnia and Herzegovina|Republic of Bosnia and Herzegovina
BL BLM Saint Barthélemy
BY BLR Belarus|Republic of Belarus
BZ BLZ Belize
BM BMU Bermuda
BO BOL Bolivia|Plurinational State of Bolivia
BR BRA Brazil|Federative Republic of Brazil
BB BRB Barbados
BN BRN Brunei|Brunei Darussalam
BT BTN Bhutan|Kingdom of Bhutan
BV BVT Bouvet Island
BW BWA Botswana|Republic of Botswana
CF CAF Central African Republic
CA CAN Canada
CC CCK Cocos Islands|Cocos (Keeling) Islands
CH CHE Switzerland|Swiss Confederation
CL CHL Chile|Republic of Chile
CN CHN China|People's Republic of China
CI CIV Cote d'Ivoire|Côte d'Ivoire|Republic of Côte d'Ivoire
CM CMR Cameroon|Republic of Cameroon
CD COD Democratic Republic of the Congo
CG COG Congo|Republic of the Congo
CK COK Cook Islands
CO COL Colombia|Republic of Colombia
KM COM Comoros|Union of the Comoros
CV CPV Cape Verde|Cabo Verde|Republic of Cabo Verde
CR CRI Costa Rica|Republic of Costa Rica
CU CUB Cuba|Republic of Cuba
CW CUW Curaçao
CX CXR Christmas Island
KY CYM Cayman Islands
CY CYP Cyprus|Republic of Cyprus
CZ CZE Czech Republic|Czechia
DE DEU Germany|Federal Republic of Germany
DJ DJI Djibouti|Republic of Djibouti
DM DMA Dominica|Commonwealth of Dominica
DK DNK Denmark|Kingdom of Denmark
DO DOM Dominican Republic
DZ DZA Algeria|People's Democratic Republic of Algeria
EC ECU Ecuador|Republic of Ecuador
EG EGY Egypt|Arab Republic of Egypt
ER ERI Eritrea|the State of Eritrea
EH ESH Western Sahara
ES ESP Spain|Kingdom of Spain
EE EST Estonia|Republic of Estonia
ET ETH Ethiopia|Federal Democratic Republic of Ethiopia
FI FIN Finland|Republic of Finland
FJ FJI Fiji|Republic of Fiji
FK FLK Falkland Islands|Falkland Islands (Malvinas)
FR FRA France|French Republic
FO FRO Faroe Islands
FM FSM Micronesia|Federated States of Micronesia
GA GAB Gabon|Gabonese Republic
GB GBR United Kingdom|United Kingdom of Great Britain and Northern Ireland
GE GEO Georgia
GG GGY Guernsey
GH GHA Ghana|Republic of Ghana
GI GIB Gibraltar
GN GIN Guinea|Republic of Guinea
GP GLP Guadeloupe
GM GMB Gambia|Republic of the Gambia
GW GNB Guinea-Bissau|Republic of Guinea-Bissau
GQ GNQ Equatorial Guinea|Republic of Equatorial Guinea
GR GRC Greece|Hellenic Republic
GD GRD Grenada
GL GRL Greenland
GT GTM Guatemala|Republic of Guatemala
GF GUF French Guiana
GU GUM Guam
GY GUY Guyana|Republic of Guyana
HK HKG Hong Kong|Hong Kong Special Administrative Region of China
HM HMD Heard and McDonald Islands|Heard Island and McDonald Islands
HN HND Honduras|Republic of Honduras
HR HRV Croatia|Republic of Croatia
HT HTI Haiti|Republic of Haiti
HU HUN Hungary
ID IDN Indonesia|Republic of Indonesia
IM IMN Isle of Man
IN IND India|Republic of India
IO IOT British Indian Ocean Territory
IE IRL Ireland
IR IRN Iran|Islamic Republic of Iran
IQ IRQ Iraq|Republic of Iraq
IS ISL Iceland|Republic of Iceland
IL ISR Israel|State of Israel
IT ITA Italy|Italian Republic
JM JAM Jamaica
JE JEY Jersey
JO JOR Jordan|Hashemite Kingdom of Jordan
JP JPN Japan
KZ KAZ Kazakhstan|Republic of Kazakhstan
KE KEN Kenya|Republic of Kenya
KG KGZ Kyrgyzstan|Kyrgyz Republic
KH KHM Cambodia|Kingdom of Cambodia
KI KIR Kiribati|Republic of Kiribati
KN KNA Saint Kitts and Nevis
KR KOR South Korea
KW KWT Kuwait|State of Kuwait
LA LAO Laos|Lao People's Democratic Republic
LB LBN Lebanon|Lebanese Republic
LR LBR Liberia|Republic of Liberia
LY LBY Libya
LC LCA Saint Lucia
LI LIE Liechtenstein|Principality of Liechtenstein
LK LKA Sri Lanka|Democratic Socialist Republic of Sri Lanka
LS LSO Lesotho|Kingdom of Lesotho
LT LTU Lithuania|Republic of Lithuania
LU LUX Luxembourg|Grand Duchy of Luxembourg
LV LVA Latvia|Republic of Latvia
MO MAC Macao|Macao Special Administrative Region of China
MF MAF Saint Martin|Saint Martin (French part)
MA MAR Morocco|Kingdom of Morocco
MC MCO Monaco|Principality of Monaco
MD MDA Moldova|Republic of Moldova
MG MDG Madagascar|Republic of Madagascar
MV MDV Maldives|Republic of Maldives
MX MEX Mexico|United Mexican States
MH MHL Marshall Islands|Republic of the Marshall Islands
MK MKD North Macedonia|Republic of North Macedonia
ML MLI Mali|Republic of Mali
MT MLT Malta|Republic of Malta
MM MMR Myanmar|Republic of Myanmar
ME MNE Montenegro
MN MNG Mongolia
MP MNP Northern Mariana Islands|Commonwealth of the Northern Mariana Islands
MZ MOZ Mozambique|Republic of Mozambique
MR MRT Mauritania|Islamic Republic of Mauritania
MS MSR Montserrat
MQ MTQ Martinique
MU MUS Mauritius|Republic of Mauritius
MW MWI Malawi|Republic of Malawi
MY MYS Malaysia
YT MYT Mayotte
NA NAM Namibia|Republic of Namibia
NC NCL New Caledonia
NE NER Niger|Republic of the Niger
NF NFK Norfolk Island
NG NGA Nigeria|Federal Republic of Nigeria
NI NIC Nicaragua|Republic of Nicaragua
NU NIU Niue
NL NLD Netherlands|Kingdom of the Netherlands
NO NOR Norway|Kingdom of Norway
NP NPL Nepal|Federal Democratic Republic of Nepal
NR NRU Nauru|Republic of Nauru
NZ NZL New Zealand
OM OMN Oman|Sultanate of Oman
PK PAK Pakistan|Islamic Republic of Pakistan
PA PAN Panama|Republic of Panama
PN PCN Pitcairn
PE PER Peru|Republic of Peru
PH PHL Philippines|Republic of the Philippines
PW PLW Palau|Republic of Palau
PG PNG Papua New Guinea|Independent State of Papua New Guinea
PL POL Poland|Republic of Poland
PR PRI Puerto Rico
KP PRK North Korea|Democratic People's Republic of Korea
PT PRT Portugal|Portuguese Republic
PY PRY Paraguay|Republic of Paraguay
PS PSE Palestine|the State of Palestine
PF PYF French Polynesia
QA QAT Qatar|State of Qatar
RE REU Réunion
RO ROU Romania
RU RUS Russia|Russian Federation
RW RWA Rwanda|Rwandese Republic
SA SAU Saudi Arabia|Kingdom of Saudi Arabia
SD SDN Sudan|Republic of the Sudan
SN SEN Senegal|Republic of Senegal
SG SGP Singapore|Republic of Singapore
GS SGS South Georgia|South Georgia and the South Sandwich Islands
SH SHN Saint Helena
SJ SJM Svalbard and Jan Mayen
SB SLB Solomon Islands
SL SLE Sierra Leone|Republic of Sierra Leone
SV SLV El Salvador|Republic of El Salvador
SM SMR San Marino|Republic of San Marino
SO SOM Somalia|Federal Republic of Somalia
PM SPM Saint Pierre and Miquelon
RS SRB Serbia|Republic of Serbia
SS SSD South Sudan|Republic of South Sudan
ST STP Sao Tome and Principe|Democratic Republic of Sao Tome and Principe
SR SUR Suriname|Republic of Suriname
SK SVK Slovakia|Slovak Republic
SI SVN Slovenia|Republic of Slovenia
SE SWE Sweden|Kingdom of Sweden
SZ SWZ Eswatini|Kingdom of Eswatini
SX SXM Sint Maarten|Sint Maarten (Dutch part)
SC SYC Seychelles|Republic of Seychelles
SY SYR Syria|Syrian Arab Republic
TC TCA Turks and Caicos Islands
TD TCD Chad|Republic of Chad
TG TGO Togo|Togolese Republic
TH THA Thailand|Kingdom of Thailand
TJ TJK Tajikistan|Republic of Tajikistan
TK TKL Tokelau
TM TKM Turkmenistan
TL TLS Timor-Leste|Democratic Republic of Timor-Leste
TO TON Tonga|Kingdom of Tonga
TT TTO Trinidad and Tobago|Republic of Trinidad and Tobago
TN TUN Tunisia|Republic of Tunisia
TR TUR Turkey|Türkiye|Republic of Türkiye
TV TUV Tuvalu
TW TWN Taiwan
TZ TZA Tanzania|United Republic of Tanzania
UG UGA Uganda|Republic of Uganda
UA UKR Ukraine
UM UMI US Minor Outlying Islands|United States Minor Outlying Islands
UY URY Uruguay|Eastern Republic of Uruguay
US USA United States|United States of America
UZ UZB Uzbekistan|Republic of Uzbekistan
VA VAT Vatican City|Holy See (Vatican City State)
VC VCT Saint Vincent and the Grenadines
VE VEN Venezuela|Bolivarian Republic of Venezuela
VG VGB British Virgin Islands
VI VIR U.S. Virgin Islands|Virgin Islands of the United States
VN VNM Vietnam|Viet Nam|Socialist Republic of Viet Nam
VU VUT Vanuatu|Republic of Vanuatu
WF WLF Wallis and Futuna
WS WSM Samoa|Independent State of Samoa
YE YEM Yemen|Republic of Yemen
ZA ZAF South Africa|Republic of South Africa
ZM ZMB Zambia|Republic of Zambia
ZW ZWE Zimbabwe|Republic of Zimbabwe
"""

#: Variants that exports write and ISO does not (Web of Science abbreviations among them).
_VARIANTS = {
    "US": ("USA", "U.S.A.", "U.S.", "US", "United States of America", "America"),
    "GB": ("UK", "U.K.", "England", "Scotland", "Wales", "North Ireland", "Northern Ireland", "Great Britain",
           "Britain"),
    "CN": ("Peoples R China", "P.R. China", "PR China", "P. R. China", "Mainland China", "Republic of China"),
    "KR": ("Korea", "Republic of Korea", "Korea Republic", "Rep of Korea", "South Korea", "Korea South"),
    "KP": ("Democratic People's Republic of Korea", "DPR Korea"),
    "RU": ("Russian Federation", "USSR"),
    "IR": ("Islamic Republic of Iran",),
    "TW": ("Taiwan ROC", "Republic of China Taiwan"),
    "VN": ("Viet Nam",),
    "AE": ("U Arab Emirates", "UAE"),
    "TR": ("Turkiye",),
    "CD": ("Dem Rep Congo", "DR Congo", "Congo DR", "Congo Democratic Republic"),
    "CG": ("Rep Congo", "Republic of the Congo", "Congo Republic"),
    "BA": ("Bosnia & Herceg", "Bosnia and Herzegovina", "Bosnia"),
    "TT": ("Trinid & Tobago", "Trinidad & Tobago"),
    "PG": ("Papua N Guinea",),
    "CI": ("Ivory Coast", "Cote Ivoire"),
    "MK": ("Macedonia", "Republic of North Macedonia"),
    "SK": ("Slovak Republic",),
    "NL": ("The Netherlands", "Holland"),
    "LA": ("Lao PDR",),
    "SY": ("Syrian Arab Republic",),
    "VA": ("Vatican",),
    "PS": ("State of Palestine",),
    "BN": ("Brunei Darussalam",),
    "MM": ("Burma",),
    "FM": ("Micronesia",),
    "TZ": ("United Republic of Tanzania",),
    "MD": ("Republic of Moldova",),
    "KN": ("St Kitts & Nevi",),
    "VC": ("St Vincent",),
    "LC": ("St Lucia",),
    "GW": ("Guinea Bissau",),
    "CF": ("Cent Afr Republ",),
    "SA": ("Saudi Arabia", "KSA"),
    "DO": ("Dominican Rep",),
    "CZ": ("Czech Rep",),
}
_EMAIL_LABEL = re.compile(r"electronic address:?", re.I)


def _without_emails(text: str) -> str:
    """The text without its e-mail addresses, token by token (a regex such as ``\\S+@\\S+``
    would be quadratic in a long run without '@')."""
    if "@" not in text:
        return text
    return " ".join(t for t in _EMAIL_LABEL.sub(" ", text).split() if "@" not in t)


def _key(text: str) -> str:
    text = fold_accents(text).replace("&", " and ")
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text).split())


def _tables() -> tuple[dict[str, str], dict[str, str]]:
    by_code: dict[str, str] = {}
    by_name: dict[str, str] = {}
    for line in COUNTRY_TABLE.strip().splitlines():
        alpha2, alpha3, names = line.split(" ", 2)
        canonical, *others = names.split("|")
        by_code[alpha2] = by_code[alpha3] = canonical
        for name in [canonical, *others, *_VARIANTS.get(alpha2, ())]:
            by_name[_key(name)] = canonical
    by_name[_key("USA")] = by_code["US"]  # the one three-letter code written inside affiliations
    return by_code, by_name


_BY_CODE, _BY_NAME = _tables()


def country_of_code(code: object) -> str:
    """Canonical country name of an ISO 3166-1 alpha-2 or alpha-3 code ('' when unknown)."""
    return _BY_CODE.get(str(code or "").strip().upper(), "")


def country_of_affiliation(affiliation: object) -> str:
    """Country named at the end of an affiliation, by the rule of this module ('' when none)."""
    parts = _without_emails(str(affiliation or "")).strip().rstrip(".;, ").split(",")
    while parts and not any(c.isalpha() for c in parts[-1]):
        parts.pop()  # a postcode after the country (PsycINFO: '..., Portugal, 3000-115')
    if not parts:
        return ""
    last = _key(parts[-1])
    found = _BY_NAME.get(last)
    if found:
        return found
    words = last.split()
    for n in (3, 2, 1):
        if len(words) > n:
            found = _BY_NAME.get(" ".join(words[-n:]))
            if found:
                return found
    return ""


def countries_of_affiliations(affiliations: object) -> list[str]:
    """Distinct countries of a list of affiliations, in order of first mention.

    >>> countries_of_affiliations(["A, Paris, France", "B, Lyon, France.", "C, Nowhere", "D, Boston, MA, USA"])
    ['France', 'United States']
    """
    items = [affiliations] if isinstance(affiliations, str) else list(affiliations or ())
    found = (country_of_affiliation(a) for a in items)
    return list(dict.fromkeys(c for c in found if c))
