"""Key phrases per topic by class-based TF-IDF, for callers without BERTopic's key phrases."""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from functools import lru_cache

import pandas as pd

from ..errors import ParameterError
from ..missing import as_text, is_missing
from ..text import words
from ..wordlists import WORD, key_phrase_stop_words
from ._shared import _require

_PHRASE_BREAK = re.compile(r"[.,;:!?()\[\]{}\"\u201c\u201d/|=<>+]|\s[-\u2013\u2014]\s")
_PHRASE_TOKEN = WORD
_PHRASE_STOP = key_phrase_stop_words()


@lru_cache(maxsize=65536)
def _fold(token: str) -> str:
    """Crude singular form, so 'models' and 'model' count as one term."""
    if len(token) > 4 and token.endswith("ies"):
        return token[:-3] + "y"
    if len(token) > 3 and token.endswith("s") and not token.endswith(("ss", "us", "is", "ics")):
        return token[:-1]
    return token


def _phrases(text: str, max_n: int = 3) -> list[tuple[str, str]]:
    """``(key, surface)`` pairs of 1..max_n-grams made of content words within one clause.

    Stop words, numbers and punctuation end a run of content words; plural forms share a key.
    """
    out: list[tuple[str, str]] = []
    for chunk in _PHRASE_BREAK.split(text):
        run: list[str] = []
        for tok in _PHRASE_TOKEN.findall(chunk) + [""]:
            if tok and not tok[0].isdigit() and len(tok) > 1 and tok.lower() not in _PHRASE_STOP:
                run.append(tok)
                continue
            if run:
                folded = [_fold(t.lower()) for t in run]
                for n in range(1, min(max_n, len(run)) + 1):
                    for i in range(len(run) - n + 1):
                        out.append((" ".join(folded[i:i + n]), " ".join(run[i:i + n])))
                run = []
    return out


def _display(variants: Counter) -> str:
    """The spelling to show: the usual lower-case one if the phrase is ever written so
    (capitals then come from sentence starts), else the usual one ("ADHD", "COX-2")."""
    lower = {v: n for v, n in variants.items() if v == v.lower()}
    pool = lower or variants
    return max(pool.items(), key=lambda kv: (kv[1], kv[0]))[0]


def compute_key_phrases(df: pd.DataFrame, papers: pd.DataFrame, *, top_n: int = 8,
                        multiword_boost: float = 0.25) -> pd.DataFrame:
    """Key phrases per topic by class-based TF-IDF over 1-3-word content phrases.

    The titles and abstracts of each topic's papers form one class document.  Phrases are runs
    of words that are neither English nor academic stop words ("propose", "results"), cut at
    punctuation and numbers; plural forms are folded together and shown in their most frequent
    spelling (lower case when the phrase is ever written so, else e.g. "ADHD", "COX-2").
    A phrase scores ``sqrt(tf(phrase, topic) / words(topic)) * log(1 + A / f(phrase))``
    (BERTopic's c-TF-IDF with its ``reduce_frequent_words`` square root, so words common in
    every topic sink; ``A`` the mean words per topic, ``f`` the count over all topics), times
    ``1 + multiword_boost * (n_words - 1)``.  Phrases used by one paper only are skipped in
    topics of 3+ papers; a phrase contained in a better one is dropped, and a
    phrase replaces a better-ranked one it contains when it accounts for most of its uses.  Unassigned papers
    (topic -1) count towards ``f`` but get no row.

    Parameters
    ----------
    df : DataFrame
        Papers with ``id``, ``title``, ``abstract``.
    papers : DataFrame
        ``id`` and ``topic`` per paper.
    top_n : int
        Phrases per topic.
    multiword_boost : float
        Extra weight per additional word of a phrase.

    Returns
    -------
    DataFrame
        ``topic``, ``key_phrases`` (list of str, best first), sorted by topic.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"id": list("abcdef"), "abstract": [""] * 6, "title": [
    ...     "Graph neural networks", "Graph neural networks for molecules", "Deep graph neural networks",
    ...     "Malaria vaccines", "Malaria vaccine trials", "Malaria vaccine efficacy in infants"]})
    >>> papers = pd.DataFrame({"id": list("abcdef"), "topic": [0, 0, 0, 1, 1, 1]})
    >>> compute_key_phrases(df, papers, top_n=1)["key_phrases"].tolist()
    [['graph neural networks'], ['Malaria vaccine']]
    """
    _require(df, ["id", "title", "abstract"], "df")
    _require(papers, ["id", "topic"], "papers")
    if top_n < 1:
        raise ParameterError(f"top_n must be >= 1, got {top_n}")
    info = df.drop_duplicates("id").set_index("id")
    counts: dict[int, Counter] = defaultdict(Counter)
    doc_freq: dict[int, Counter] = defaultdict(Counter)
    pair_counts: Counter = Counter()  # (key, surface) -> uses, to show the usual spelling
    n_docs: Counter = Counter()
    n_words: Counter = Counter()
    for pid, topic in zip(papers["id"].tolist(), papers["topic"].tolist()):
        if pid not in info.index or is_missing(topic):
            continue
        topic = int(topic)
        text = f"{as_text(info.at[pid, 'title'])}. {as_text(info.at[pid, 'abstract'])}"
        grams = _phrases(text)
        n_docs[topic] += 1
        n_words[topic] += len(words(text))
        keys = [k for k, _ in grams]
        counts[topic].update(keys)
        doc_freq[topic].update(set(keys))
        pair_counts.update(grams)
    surfaces: dict[str, Counter] = defaultdict(Counter)
    for (key, surface), n in pair_counts.items():
        surfaces[key][surface] = n
    total = Counter()
    for c in counts.values():
        total.update(c)
    avg_words = sum(n_words.values()) / max(1, len(n_words))
    rows = []
    for topic in sorted(t for t in counts if t != -1):
        min_df = 2 if n_docs[topic] >= 3 else 1
        scored = []
        for key, tf in counts[topic].items():
            if doc_freq[topic][key] < min_df:
                continue
            n = key.count(" ") + 1
            score = math.sqrt(tf / max(1, n_words[topic])) * math.log(1 + avg_words / total[key]) \
                * (1 + multiword_boost * (n - 1))
            scored.append((-round(score, 12), key))
        scored.sort()
        chosen: list[str] = []
        for _, key in scored:
            if any(f" {key} " in f" {c} " for c in chosen):
                continue  # already said by a longer phrase
            parts = key.split(" ")
            if len(parts) > 1 and any(c.split(" ")[0] == parts[-1] or c.split(" ")[-1] == parts[0]
                                      for c in chosen if " " in c):
                continue  # a fragment overlapping a chosen phrase ("seasonal allergic" + "allergic rhinitis")
            inner = [c for c in chosen if f" {c} " in f" {key} "]
            if inner and any(2 * counts[topic][key] <= counts[topic][c] for c in inner):
                continue  # the shorter phrase is mostly used on its own: keep it
            if inner:  # the longer phrase says the same, more precisely
                chosen[chosen.index(inner[0])] = key
                chosen = [c for c in chosen if c not in inner[1:]]
            else:
                chosen.append(key)
            if len(chosen) >= top_n:
                break
        phrases = [_display(surfaces[k]) for k in chosen]
        rows.append({"topic": topic, "key_phrases": phrases})
    return pd.DataFrame(rows, columns=["topic", "key_phrases"])
