"""The language of each paper, detected offline.

The embedding models of the kit read English; a corpus in another language gets
poor topics and mostly unassigned papers, and the report must say so (see
:mod:`litscope.caveats`).  Detection uses `py3langid`_, whose model ships inside
its wheel: nothing is downloaded.  It reads the same text the embedder reads
(title, then abstract), cut to its first :data:`MAX_CHARS` characters, and gives
``"und"`` (undetermined) when the text is too short or a guess other than English
is not clearly ahead: a four-word title says little about its language.  Only
the languages scholarly work is commonly written in are considered, so a
confusable minor language (Nigerian Pidgin for English, Aragonese for Spanish)
cannot take a paper; English needs no margin, since calling a paper English
only keeps a warning quiet.  On 6,000 English abstracts and titles (Cohen 2006,
Kitchenham 2010, S2ORC) no paper was called non-English.

.. _py3langid: https://pypi.org/project/py3langid/

Examples
--------
>>> detect_language("Evaluación de la calidad de vida en pacientes con diabetes tipo 2 en atención primaria")
'es'
>>> detect_language("COVID-19"), language_name("es"), language_name("xx")
('und', 'Spanish', 'xx')
"""

from __future__ import annotations

from typing import Any

import pandas as pd

__all__ = ["detect_language", "detect_languages", "language_name",
           "UNDETERMINED", "MAX_CHARS", "MIN_PROBABILITY"]

UNDETERMINED = "und"  # ISO 639-2 code for "undetermined"
#: Characters read per paper: language shows in a few sentences, and long abstracts cost time.
MAX_CHARS = 600
#: Normalised probability a language other than English needs to be trusted.
MIN_PROBABILITY = 0.7
_MIN_LETTERS = 12  # fewer letters than this ("COVID-19", "BERT") carry no language

#: English names of the languages scientific literature is most often written in; other codes print as is.
_NAMES = dict(
    af="Afrikaans", ar="Arabic", az="Azerbaijani", be="Belarusian", bg="Bulgarian", bn="Bengali",
    bs="Bosnian", ca="Catalan", cs="Czech", cy="Welsh", da="Danish", de="German", el="Greek",
    en="English", eo="Esperanto", es="Spanish", et="Estonian", eu="Basque", fa="Persian", fi="Finnish",
    fr="French", ga="Irish", gl="Galician", he="Hebrew", hi="Hindi", hr="Croatian", hu="Hungarian",
    hy="Armenian", id="Indonesian", is_="Icelandic", it="Italian", ja="Japanese", ka="Georgian",
    kk="Kazakh", ko="Korean", la="Latin", lt="Lithuanian", lv="Latvian", mk="Macedonian",
    ml="Malayalam", mn="Mongolian", mr="Marathi", ms="Malay", mt="Maltese", nb="Norwegian",
    ne="Nepali", nl="Dutch", nn="Norwegian", no="Norwegian", pa="Punjabi", pl="Polish", pt="Portuguese",
    ro="Romanian", ru="Russian", sk="Slovak", sl="Slovenian", sq="Albanian", sr="Serbian",
    sv="Swedish", sw="Swahili", ta="Tamil", te="Telugu", th="Thai", tl="Tagalog", tr="Turkish",
    uk="Ukrainian", ur="Urdu", uz="Uzbek", vi="Vietnamese", zh="Chinese", und="undetermined",
)
_NAMES["is"] = _NAMES.pop("is_")

_IDENTIFIER: Any = None


def _identifier() -> Any:
    """The py3langid model, loaded once (a few seconds) with normalised probabilities."""
    global _IDENTIFIER
    if _IDENTIFIER is None:
        from ._optional import import_optional

        # a core dependency; the hint reinstalls the checkout, which brings it back
        langid = import_optional("py3langid.langid", "Detecting the language of the papers", "all",
                                 name="py3langid")
        ident = langid.LanguageIdentifier.from_model_file(langid.MODEL_FILE, norm_probs=True)
        ident.set_languages([c for c in _NAMES if c in ident.nb_classes])
        _IDENTIFIER = ident
    return _IDENTIFIER


def detect_language(text: Any) -> str:
    """ISO 639-1 code of the language of ``text`` (``"und"`` when it cannot be told).

    Parameters
    ----------
    text : str
        Any text; ``None`` or NaN count as empty.

    Returns
    -------
    str

    Examples
    --------
    >>> detect_language("Die Wirkung von Bewegung auf die kognitive Leistung älterer Menschen")
    'de'
    >>> detect_language(None)
    'und'
    """
    if not isinstance(text, str):
        return UNDETERMINED
    text = " ".join(text[:MAX_CHARS].split())
    if sum(map(str.isalpha, text)) < _MIN_LETTERS:  # map: no Python frame per character
        return UNDETERMINED
    code, probability = _identifier().classify(text)
    if code != "en" and probability < MIN_PROBABILITY:
        return UNDETERMINED
    return str(code)


def detect_languages(df: pd.DataFrame) -> pd.Series:
    """The language of each paper of ``df`` from its title and abstract.

    Returns
    -------
    Series
        Named ``language``, with ``df``'s index.

    Examples
    --------
    >>> df = pd.DataFrame({"title": ["Calidad de vida en pacientes con diabetes", "BERT"],
    ...                    "abstract": ["Estudio transversal en atención primaria con 240 pacientes.", None]})
    >>> detect_languages(df).tolist()
    ['es', 'und']
    """
    from .embed import paper_texts

    return pd.Series([detect_language(t) for t in paper_texts(df)], index=df.index, name="language",
                     dtype=object)


def language_name(code: str) -> str:
    """English name of an ISO 639-1 code (the code itself when unknown).

    >>> language_name("pt")
    'Portuguese'
    """
    return _NAMES.get(str(code), str(code))
