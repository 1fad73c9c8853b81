"""Plain words on what a corpus cannot give, shown at the top of the report.

Some corpora make the report look broken when it is the corpus that is short of
something: a handful of papers make one "topic" of everything, titles without
abstracts leave the syntheses empty (they quote abstracts), and papers in
another language than the embedding model's end up unassigned.  The report then
says what happened, why, and what would help, instead of showing the result
without a word.  :func:`compute_corpus_caveats` finds these cases from the
corpus, the topic result and the syntheses; :func:`display_caveats` shows them
(nothing at all when there are none).

Examples
--------
>>> import pandas as pd
>>> corpus = pd.DataFrame({"id": ["a", "b"], "title": ["On X", "On Y"], "abstract": [None, ""]})
>>> for c in compute_corpus_caveats(corpus, languages=pd.Series(["en", "en"])):
...     print(c.kind)
too_small
no_abstracts
"""

from __future__ import annotations

import html
from collections import Counter
from dataclasses import dataclass
from typing import Any, Sequence

import pandas as pd

__all__ = ["Caveat", "compute_corpus_caveats", "caveats_html", "display_caveats", "MIN_ABSTRACT_SHARE"]

#: Below this share of papers with an abstract, the syntheses rest on a minority and the report says so.
MIN_ABSTRACT_SHARE = 0.5
#: The language the embedding models read.
MODEL_LANGUAGE = "en"
_SMALLEST_TOPIC = 5  # topics.default_settings' smallest topic size, when no topic result tells it


@dataclass(frozen=True)
class Caveat:
    """One thing the reader must know about the corpus.

    Attributes
    ----------
    kind : str
        ``too_small``, ``no_abstracts``, ``few_abstracts``, ``empty_syntheses`` or ``language``.
    message : str
        Plain text (HTML-escaped when shown).
    """

    kind: str
    message: str

    def __str__(self) -> str:
        return self.message


def _plural(n: int, one: str, many: str | None = None) -> str:
    return f"{n:,} {one if n == 1 else (many or one + 's')}"


def _has_text(values: Any) -> pd.Series:
    s = pd.Series(values, dtype=object)
    return s.map(lambda v: isinstance(v, str) and bool(v.strip()))


def _too_small(n: int, topics: Any) -> Caveat | None:
    """Too few papers to find topics: the topic model put them all in one group."""
    params = dict(getattr(topics, "params", None) or {})
    if params.get("n_topics"):
        return None  # the reader asked for this many topics
    smallest = int(params.get("min_topic_size") or _SMALLEST_TOPIC)
    needed = 2 * smallest
    if n >= needed and "too few" not in str(params.get("note", "")):
        return None
    if n == 0:
        return Caveat("too_small", "The corpus has no papers, so there are no topics, syntheses or summaries.")
    size = f"{n:,} papers" if n != 1 else "only 1 paper"
    return Caveat("too_small", (
        f"The corpus has {size}: too few to find topics, which needs at least {needed} papers here "
        f"(two groups of the smallest topic size, {smallest}). The single group in the topic sections "
        "is the whole corpus, not a topic found in it, and its synthesis only restates "
        + ("that paper." if n == 1 else "these papers.")
        + " Add papers, or set n_topics, to get topics."))


def _abstracts(corpus: pd.DataFrame, syntheses: pd.DataFrame | None) -> list[Caveat]:
    n = len(corpus)
    with_abstract = int(_has_text(corpus["abstract"] if "abstract" in corpus else [None] * n).sum())
    if n == 0:
        return []
    if with_abstract == 0:
        return [Caveat("no_abstracts", (
            f"None of the {_plural(n, 'paper')} has an abstract (the inputs give titles only). "
            "Syntheses and one-sentence summaries quote sentences from abstracts, so the topics have "
            "no synthesis, each paper is summarised by its title, and topics were found from titles "
            "alone, which makes them less reliable. Export the records with their abstracts to get "
            "syntheses."))]
    out = []
    if with_abstract < MIN_ABSTRACT_SHARE * n:
        out.append(Caveat("few_abstracts", (
            f"Only {with_abstract:,} of {_plural(n, 'paper')} ({100 * with_abstract / n:.0f}%) have an "
            "abstract. Syntheses quote abstracts, so they draw on these papers only; the others are "
            "summarised by their title and placed in topics by their title alone.")))
    if syntheses is not None and len(syntheses) and "synthesis" in syntheses:
        empty = [int(t) for t, s in zip(syntheses["topic"], syntheses["synthesis"])
                 if not (isinstance(s, str) and s.strip())]
        if empty:
            names = ", ".join(f"T{t}" for t in sorted(empty))
            out.append(Caveat("empty_syntheses", (
                f"{'Topic' if len(empty) == 1 else 'Topics'} {names} {'has' if len(empty) == 1 else 'have'} "
                "no synthesis: none of their papers has an abstract with a sentence that could be quoted "
                f"(of the whole corpus, {with_abstract:,} of {_plural(n, 'paper')} have an abstract).")))
    return out


def _languages(corpus: pd.DataFrame, topics: Any, languages: Sequence[str] | pd.Series) -> Caveat | None:
    from .language import UNDETERMINED, language_name

    codes = [str(c) for c in languages]
    n = len(codes)
    other = Counter(c for c in codes if c not in (MODEL_LANGUAGE, UNDETERMINED))
    n_other = sum(other.values())
    if not n_other:
        return None
    model = language_name(MODEL_LANGUAGE)
    if len(other) == 1:
        (code, count), = other.items()
        lead = f"{count:,} of {_plural(n, 'paper')} {'is' if count == 1 else 'are'} in {language_name(code)}"
    else:
        mix = ", ".join(f"{c:,} in {language_name(code)}" for code, c in other.most_common(4))
        rest = n_other - sum(c for _, c in other.most_common(4))
        mix += f", {rest:,} in other languages" if rest else ""
        lead = f"{n_other:,} of {_plural(n, 'paper')} are not in {model} ({mix})"
    text = (f"{lead}; the embedding model reads {model}, so topics may be poor for "
            f"{'it' if n_other == 1 else 'them'}, and such papers are often left unassigned")
    papers = getattr(topics, "papers", None)
    if papers is not None and "id" in corpus and len(papers):
        topic_of = dict(zip(papers["id"].astype(str), papers["topic"].astype(int)))
        foreign = [str(i) for i, c in zip(corpus["id"], codes) if c not in (MODEL_LANGUAGE, UNDETERMINED)]
        unassigned = sum(topic_of.get(i, -1) == -1 for i in foreign)
        if unassigned:
            text += (". It is unassigned in this review" if n_other == 1
                     else f". {unassigned:,} of these {n_other:,} papers are unassigned in this review")
    undetermined = codes.count(UNDETERMINED)
    if undetermined:
        text += (f". The language of {_plural(undetermined, 'paper')} could not be told (too little text)")
    return Caveat("language", text + ". Each paper's language is in the language column of papers.csv.")


def compute_corpus_caveats(corpus: pd.DataFrame, topics: Any = None, syntheses: pd.DataFrame | None = None, *,
                           languages: Sequence[str] | pd.Series | None = None) -> list[Caveat]:
    """What the reader must know about this corpus before reading the topics.

    Parameters
    ----------
    corpus : DataFrame
        One row per paper (``id``, ``title``, ``abstract``).  Not modified.
    topics : litscope.topics.TopicResult, optional
        The topic result (its ``params`` tell whether the corpus was too small, its
        ``papers`` which papers are unassigned).
    syntheses : DataFrame, optional
        One row per topic (``topic``, ``synthesis``), as from
        :func:`litscope.summarize.compute_syntheses`.
    languages : sequence of str, optional
        One language code per row of ``corpus``; detected with
        :func:`litscope.language.detect_languages` when not given.

    Returns
    -------
    list of Caveat
        Empty for a corpus that needs no explanation.

    Examples
    --------
    >>> corpus = pd.DataFrame({"id": list("abcdefghijkl"), "title": ["t"] * 12,
    ...                        "abstract": ["Un estudio de cohortes con pacientes."] * 11 + ["A study."]})
    >>> for c in compute_corpus_caveats(corpus, languages=["es"] * 11 + ["en"]):
    ...     print(c)  # doctest: +NORMALIZE_WHITESPACE
    11 of 12 papers are in Spanish; the embedding model reads English, so topics may be poor for them,
    and such papers are often left unassigned. Each paper's language is in the language column of papers.csv.
    """
    if languages is None:
        from .language import detect_languages

        languages = detect_languages(corpus)
    if len(languages) != len(corpus):
        raise ValueError(f"languages has {len(languages)} entries for {len(corpus)} papers")
    found = [_too_small(len(corpus), topics), *_abstracts(corpus, syntheses),
             _languages(corpus, topics, list(languages))]
    return [c for c in found if c is not None]


def caveats_html(caveats: Sequence[Caveat]) -> str:
    """The caveats as warning paragraphs ('' when there are none); all text is escaped.

    >>> caveats_html([Caveat("too_small", "Only 1 <paper>.")])
    '<div class="ls-caveats"><p class="ls-warn"><b>About this corpus.</b> Only 1 &lt;paper&gt;.</p></div>'
    >>> caveats_html([])
    ''
    """
    if not caveats:
        return ""
    paras = "".join(f'<p class="ls-warn"><b>About this corpus.</b> {html.escape(str(c), quote=True)}</p>'
                    for c in caveats)
    return f'<div class="ls-caveats">{paras}</div>'


def display_caveats(caveats: Sequence[Caveat]) -> None:
    """Show :func:`caveats_html` in the notebook (nothing when there are no caveats)."""
    if not caveats:
        return
    from IPython.display import HTML, display

    display(HTML(caveats_html(caveats)))
