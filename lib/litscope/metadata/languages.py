"""Language names and ISO 639 codes, so every export's language reads as one ISO 639-1 code.

Scopus and Web of Science write 'English', PubMed 'eng', OpenAlex 'en', RIS files any of
these. :func:`normalize_language` maps each to the two-letter code that
:func:`litscope.language.detect_language` also gives; text it does not know is kept as
written. The table is ISO 639-1 as pycountry 24.6 gives it.

Examples
--------
>>> normalize_language("English"), normalize_language("eng"), normalize_language("ger; English")
('en', 'en', 'de; en')
>>> normalize_language("Klingon")
'Klingon'
"""

from __future__ import annotations

import re
from typing import Any

__all__ = ["LANGUAGE_TABLE", "normalize_language", "language_code"]

#: 'alpha-2 alpha-3[/bibliographic] English name', one language a line (ISO 639, pycountry 24.6).
LANGUAGE_TABLE = """
aa aar Afar
ab abk Abkhazian
af afr Afrikaans
ak aka Akan
am amh Amharic
ar ara Arabic
an arg Aragonese
as asm Assamese
av ava Avaric
ae ave Avestan
ay aym Aymara
az aze Azerbaijani
ba bak Bashkir
bm bam Bambara
be bel Belarusian
bn ben Bengali
bi bis Bislama
bo bod/tib Tibetan
bs bos Bosnian
br bre Breton
bg bul Bulgarian
ca cat Catalan
cs ces/cze Czech
ch cha Chamorro
ce che Chechen
cu chu Church Slavic
cv chv Chuvash
kw cor Cornish
co cos Corsican
cr cre Cree
cy cym/wel Welsh
da dan Danish
de deu/ger German
dv div Divehi
dz dzo Dzongkha
el ell/gre Modern Greek
en eng English
eo epo Esperanto
et est Estonian
eu eus/baq Basque
ee ewe Ewe
fo fao Faroese
fa fas/per Persian
fj fij Fijian
fi fin Finnish
fr fra/fre French
fy fry Western Frisian
ff ful Fulah
gd gla Scottish Gaelic
ga gle Irish
gl glg Galician
gv glv Manx
gn grn Guarani
gu guj Gujarati
ht hat Haitian
ha hau Hausa
sh hbs Serbo-Croatian
he heb Hebrew
hz her Herero
hi hin Hindi
ho hmo Hiri Motu
hr hrv Croatian
hu hun Hungarian
hy hye/arm Armenian
ig ibo Igbo
io ido Ido
ii iii Sichuan Yi
iu iku Inuktitut
ie ile Interlingue
ia ina Interlingua
id ind Indonesian
ik ipk Inupiaq
is isl/ice Icelandic
it ita Italian
jv jav Javanese
ja jpn Japanese
kl kal Kalaallisut
kn kan Kannada
ks kas Kashmiri
ka kat/geo Georgian
kr kau Kanuri
kk kaz Kazakh
km khm Khmer
ki kik Kikuyu
rw kin Kinyarwanda
ky kir Kirghiz
kv kom Komi
kg kon Kongo
ko kor Korean
kj kua Kuanyama
ku kur Kurdish
lo lao Lao
la lat Latin
lv lav Latvian
li lim Limburgan
ln lin Lingala
lt lit Lithuanian
lb ltz Luxembourgish
lu lub Luba-Katanga
lg lug Ganda
mh mah Marshallese
ml mal Malayalam
mr mar Marathi
mk mkd/mac Macedonian
mg mlg Malagasy
mt mlt Maltese
mn mon Mongolian
mi mri/mao Maori
ms msa/may Malay
my mya/bur Burmese
na nau Nauru
nv nav Navajo
nr nbl South Ndebele
nd nde North Ndebele
ng ndo Ndonga
ne nep Nepali
nl nld/dut Dutch
nn nno Norwegian Nynorsk
nb nob Norwegian Bokmål
no nor Norwegian
ny nya Chichewa
oc oci Occitan
oj oji Ojibwa
or ori Oriya
om orm Oromo
os oss Ossetian
pa pan Panjabi
pi pli Pali
pl pol Polish
pt por Portuguese
ps pus Pushto
qu que Quechua
rm roh Romansh
ro ron/rum Romanian
rn run Rundi
ru rus Russian
sg sag Sango
sa san Sanskrit
si sin Sinhala
sk slk/slo Slovak
sl slv Slovenian
se sme Northern Sami
sm smo Samoan
sn sna Shona
sd snd Sindhi
so som Somali
st sot Southern Sotho
es spa Spanish
sq sqi/alb Albanian
sc srd Sardinian
sr srp Serbian
ss ssw Swati
su sun Sundanese
sw swa Swahili
sv swe Swedish
ty tah Tahitian
ta tam Tamil
tt tat Tatar
te tel Telugu
tg tgk Tajik
tl tgl Tagalog
th tha Thai
ti tir Tigrinya
to ton Tonga
tn tsn Tswana
ts tso Tsonga
tk tuk Turkmen
tr tur Turkish
tw twi Twi
ug uig Uighur
uk ukr Ukrainian
ur urd Urdu
uz uzb Uzbek
ve ven Venda
vi vie Vietnamese
vo vol Volapük
wa wln Walloon
wo wol Wolof
xh xho Xhosa
yi yid Yiddish
yo yor Yoruba
za zha Zhuang
zh zho/chi Chinese
zu zul Zulu
"""
_EXTRA = {"greek": "el", "castilian": "es", "flemish": "nl", "farsi": "fa", "mandarin": "zh", "norwegian": "no",
          "malay": "ms", "slovene": "sl", "moldavian": "ro", "moldovan": "ro", "persian": "fa"}


def _table() -> dict[str, str]:
    by_key: dict[str, str] = {}
    for line in LANGUAGE_TABLE.strip().splitlines():
        alpha2, alpha3, name = line.split(" ", 2)
        for key in (alpha2, *alpha3.split("/"), name.lower()):
            by_key.setdefault(key, alpha2)
    by_key.update(_EXTRA)
    return by_key


_BY_KEY = _table()


def language_code(value: Any) -> str:
    """ISO 639-1 code of one language name or code ('' when unknown).

    >>> language_code("French"), language_code("fre"), language_code("EN")
    ('fr', 'fr', 'en')
    """
    key = " ".join(str(value or "").lower().replace("_", "-").split("-")[0].split())
    return _BY_KEY.get(key, "")


def normalize_language(value: Any) -> str:
    """A language field as ISO 639-1 codes joined with '; ' (unknown names kept as written)."""
    if value is None:
        return ""
    items = value if isinstance(value, (list, tuple)) else re.split(r"[;,/|]", str(value))
    out = []
    for item in items:
        text = " ".join(str(item).split()).strip(" .")
        if text:
            out.append(language_code(text) or text)
    return "; ".join(dict.fromkeys(out))
