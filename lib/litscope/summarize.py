"""Extractive summaries: one sentence per paper, one cited paragraph per topic.

Nothing here writes new prose.  Every sentence a summary or synthesis shows is
quoted verbatim from an abstract (found with :func:`litscope.text.sentence_spans`),
so a reader can always check it against the paper it cites.

* :func:`compute_paper_summaries` picks each abstract's most representative
  sentence: the one closest (cosine) to the mean of the abstract's sentence
  embeddings, nudged towards the title, with a light penalty for very short,
  very long or boilerplate sentences.  Papers without an abstract get their title.
* :func:`compute_syntheses` writes one paragraph per topic by Maximal Marginal
  Relevance over the sentences of the topic's papers: relevance is similarity to
  the topic centroid, each new sentence is penalised by its similarity to those
  already chosen, and at most one sentence is taken from any paper so the paragraph
  cites several.  The chosen sentences are ordered to read like a review:
  background, then aims/methods, then results, then conclusions (by cue words);
  within a role older papers come first, then the more relevant sentence.
* :func:`compute_key_phrases` ranks 1-3-word phrases per topic by class-based
  TF-IDF, for callers without BERTopic's key phrases.

Every function takes an ``encode`` callable (``list[str] -> (n, d) array`` of
L2-normalised rows); by default :class:`litscope.embed.Embedder`'s, loaded
lazily.  All sentences of all papers are embedded in one call.

Examples
--------
>>> import numpy as np, pandas as pd
>>> def encode(texts):  # a toy encoder: bag of letters
...     v = np.array([[t.lower().count(c) for c in "abcdefghijklmnopqrstuvwxyz"] for t in texts], float)
...     return v / np.maximum(np.linalg.norm(v, axis=1, keepdims=True), 1e-12)
>>> df = pd.DataFrame({"id": ["a", "b"], "title": ["Title A", "Title B"],
...                    "abstract": ["Cats purr loudly at night. Cats purr softly too.", ""]})
>>> compute_paper_summaries(df, encode=encode).tolist()[1]
'Title B'
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from functools import lru_cache
from typing import Any, Callable, Mapping, Sequence

import numpy as np
import pandas as pd

from .errors import MissingDependencyError, ParameterError, SchemaError
from .text import is_informative, sentence_spans, word_count, words
from .wordlists import WORD, key_phrase_stop_words

__all__ = ["compute_paper_summaries", "compute_syntheses", "compute_key_phrases", "sentence_role"]

Encoder = Callable[[Sequence[str]], np.ndarray]

# scores: how much sentence shape matters next to cosine similarity (both on a 0..1 scale)
_UNINFORMATIVE_PENALTY = 1.0   # boilerplate is chosen only when nothing else is there
_SHORT_WORDS, _SHORT_PENALTY = 8, 0.02    # per missing word below 8 words
_LONG_WORDS, _LONG_PENALTY = 60, 0.002    # per word beyond 60 words
_CONNECTIVE_PENALTY = 0.05  # "Additionally, ...", "This ...": leans on a sentence we do not show
_SYNTHESIS_CONNECTIVE_PENALTY = 0.3  # in a synthesis the missing antecedent is never shown
_CONTRIBUTION_BONUS = 0.05  # per-paper summaries should say what the paper does
_CONNECTIVE = re.compile(
    r"(?:additionally|in addition|moreover|furthermore|further|also|finally|subsequently|then|thus|"
    r"therefore|hence|however|in particular|specifically|similarly|likewise|meanwhile|nevertheless|"
    r"instead|consequently|accordingly|besides|otherwise|on the other hand|in contrast|by contrast|"
    r"to this end|to (?:address|tackle|solve|overcome|bridge) (?:this|these|the)\b[^,]{0,40}|"
    r"for (?:example|instance))\b,?|(?:this|these|those|they|it|its|such)\b(?! (?:paper|study|work|"
    r"article|review|trial|survey|thesis|report|chapter)\b)",
    re.I)
_CONTRIBUTION = re.compile(
    r"\b(?:we (?:propose|present|introduce|develop|design|describe|formulate|investigate|study|examine|"
    r"report|evaluate|assess|compare)|(?:this|the present|our) (?:paper|study|work|article|review|trial|survey)|"
    r"in this (?:paper|study|work|article)|here,? we|the (?:aim|objective|purpose|goal) of)\b", re.I)
_TIE_DECIMALS = 6  # scores are rounded before comparing, so ties break the same way everywhere


# ------------------------------------------------------------------ helpers

def _default_encoder(progress: bool = False) -> Encoder:
    try:
        from .embed import Embedder
    except ImportError as exc:  # pragma: no cover - embed ships with litscope
        raise MissingDependencyError("sentence-transformers", purpose="Summaries with the default encoder",
                                     install="pip install -e .[model]") from exc
    return Embedder(progress=progress).encode


def _embed(encode: Encoder, texts: Sequence[str], *, progress: bool = False) -> dict[str, np.ndarray]:
    """Embed the distinct ``texts`` in one call; rows are re-normalised to unit length."""
    unique = list(dict.fromkeys(texts))
    if not unique:
        return {}
    vecs = np.asarray(encode(unique), dtype=np.float32)
    if vecs.ndim != 2 or vecs.shape[0] != len(unique):
        raise ParameterError(f"encode returned shape {vecs.shape} for {len(unique)} texts; "
                             "expected (n_texts, dim)")
    norms = np.linalg.norm(vecs, axis=1, keepdims=True)
    vecs = vecs / np.where(norms > 0, norms, 1.0)
    return dict(zip(unique, vecs))


def _text(value: Any) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return ""
    return str(value)


def _require(frame: pd.DataFrame, columns: Sequence[str], name: str) -> None:
    if not isinstance(frame, pd.DataFrame):
        raise SchemaError(f"{name} must be a DataFrame, got {type(frame).__name__}")
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise SchemaError(f"{name} lacks column(s) {missing}", column=missing[0])


def _shape_penalty(sentence: str, *, connective: float = _CONNECTIVE_PENALTY) -> float:
    """Penalty for sentences that make poor summaries: boilerplate, fragments, run-ons."""
    if not is_informative(sentence):
        return _UNINFORMATIVE_PENALTY
    n = word_count(sentence)
    return (max(0, _SHORT_WORDS - n) * _SHORT_PENALTY
            + max(0, n - _LONG_WORDS) * _LONG_PENALTY
            + (connective if _CONNECTIVE.match(sentence) else 0.0))


def _unit(v: np.ndarray) -> np.ndarray:
    n = float(np.linalg.norm(v))
    return v / n if n > 0 else v


def _iter(items, progress: bool, desc: str):
    if not progress:
        return items
    from .progress import bar
    return bar(items, desc=desc)


# ------------------------------------------------------------------ per-paper summaries

def compute_paper_summaries(df: pd.DataFrame, *, encode: Encoder | None = None, progress: bool = False,
                            title_weight: float = 0.3) -> pd.Series:
    """One verbatim sentence per paper: the abstract's most representative sentence.

    Each sentence is scored by its cosine similarity to the mean of the abstract's sentence
    embeddings, plus ``title_weight`` times its similarity to the title (titles name the
    contribution, which keeps background sentences from winning), plus 0.05 for a sentence
    stating the contribution ("we propose", "this study"), minus light penalties for very
    short or very long sentences and for openings that lean on the sentence before
    ("Additionally,", "This ..."), and a large one for boilerplate.  Ties go to the earlier
    sentence.  A paper without an abstract gets its title (then its id), so no summary is empty.

    Parameters
    ----------
    df : DataFrame
        Papers with columns ``id``, ``title``, ``abstract``.  Not modified.
    encode : callable, optional
        ``list[str] -> ndarray`` of unit rows; defaults to ``litscope.embed.Embedder().encode``.
        Called once, with every distinct sentence and title.
    progress : bool
        Show progress bars.
    title_weight : float
        Weight of the similarity to the title (0 ignores titles).

    Returns
    -------
    Series
        Named ``summary``, indexed by ``df["id"]``, in ``df``'s order.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> def encode(texts):
    ...     v = np.array([[t.count(w) for w in ("cat", "dog", "bird")] for t in texts], float) + 1e-3
    ...     return v / np.linalg.norm(v, axis=1, keepdims=True)
    >>> df = pd.DataFrame({"id": ["p1"], "title": ["On pets"],
    ...     "abstract": ["Birds sing in the morning light. The cat chased the dog and the cat won. "
    ...                  "A cat and a dog then slept together in peace."]})
    >>> compute_paper_summaries(df, encode=encode)["p1"]
    'A cat and a dog then slept together in peace.'
    """
    _require(df, ["id", "title", "abstract"], "df")
    ids = df["id"].tolist()
    sentences: list[list[str]] = []
    for abstract in df["abstract"].tolist():
        text = _text(abstract)
        sentences.append([text[a:b] for a, b in sentence_spans(text)])
    titles = [_text(t).strip() for t in df["title"].tolist()]

    to_embed: list[str] = []
    for sents, title in zip(sentences, titles):
        if len(sents) > 1:
            to_embed.extend(sents)
            if title and title_weight:
                to_embed.append(title)
    vectors: dict[str, np.ndarray] = {}
    if to_embed:
        vectors = _embed(encode or _default_encoder(progress), to_embed, progress=progress)

    out: list[str] = []
    for pid, sents, title, abstract in _iter(list(zip(ids, sentences, titles, df["abstract"].tolist())),
                                             progress, "summaries"):
        if len(sents) > 1:
            mat = np.stack([vectors[s] for s in sents])
            score = mat @ _unit(mat.mean(axis=0))
            if title and title_weight:
                score = score + title_weight * (mat @ vectors[title])
            score = score - np.array([_shape_penalty(s) for s in sents]) \
                + np.array([_CONTRIBUTION_BONUS if _CONTRIBUTION.search(s) else 0.0 for s in sents])
            best = int(np.argmax(np.round(score, _TIE_DECIMALS)))  # first maximum: earlier sentence
            out.append(sents[best])
        elif sents:
            out.append(sents[0])
        else:
            out.append(title or _text(abstract).strip() or str(pid) or "(untitled)")
    return pd.Series(out, index=pd.Index(ids, name="id"), name="summary", dtype=object)


# ------------------------------------------------------------------ sentence roles

_ROLE_CUES = [  # checked in this order; the first match wins
    (3, re.compile(r"\b(?:in conclusion|we conclude|conclud\w*|in summary|overall,|these (?:findings|results|data)"
                   r" (?:suggest|indicate|show|support|highlight|demonstrate)|suggest(?:s|ed)? that|"
                   r"implications?|future (?:work|research|studies)|should be considered|promis\w+)", re.I)),
    (2, re.compile(r"\b(?:(?:results?|experiments?|evaluations?|analys[ie]s|data|trials?)\b[^.;]{0,60}?\b"
                   r"(?:show|shows|showed|indicate[sd]?|demonstrate[sd]?|reveal(?:s|ed)?|confirm(?:s|ed)?)\b|"
                   r"we (?:find|found|show|"
                   r"observe|observed|demonstrate)|experiments? (?:show|reveal|demonstrate|indicate)|"
                   r"outperform\w*|significant(?:ly)?|improve[sd]?|improvements?|achiev\w+|reduc\w+|"
                   r"p\s*[<=>]|\d+(?:\.\d+)?\s*%|percent|per cent|odds ratio|confidence interval|"
                   r"(?:was|were) (?:significantly |slightly |much )?(?:higher|lower|better|worse|greater|"
                   r"smaller|similar))", re.I)),
    (1, re.compile(r"\b(?:we (?:propose|present|introduce|develop|design|describe|conduct|conducted|perform|"
                   r"performed|used?|evaluate|investigate|analy[sz]ed?|study|examine|compare)|this (?:paper|study|"
                   r"work|article|trial)|in this (?:paper|study|work)|here,? we|to (?:assess|evaluate|compare|"
                   r"determine|investigate|examine)|randomi[sz]ed|double[- ]blind|placebo)", re.I)),
]
ROLE_NAMES = {0: "background", 1: "aim/method", 2: "result", 3: "conclusion"}


def sentence_role(sentence: str) -> int:
    """Rhetorical role of a sentence from cue words: 0 background, 1 aim/method, 2 result, 3 conclusion.

    Examples
    --------
    >>> [sentence_role(s) for s in ["Sepsis is a leading cause of death.",
    ...  "We propose a new score.", "It reduced mortality by 12%.", "These findings suggest a benefit."]]
    [0, 1, 2, 3]
    """
    for role, pattern in _ROLE_CUES:
        if pattern.search(sentence):
            return role
    return 0


# ------------------------------------------------------------------ syntheses

def _topic_ids(papers: pd.DataFrame, topics: pd.DataFrame | None) -> list[int]:
    if topics is not None:
        _require(topics, ["topic"], "topics")
        source = topics["topic"]
    else:
        source = papers["topic"]
    out = []
    for t in source.tolist():
        if t is None or t is pd.NA or (isinstance(t, float) and math.isnan(t)):
            continue
        t = int(t)
        if t != -1 and t not in out:
            out.append(t)
    return out if topics is not None else sorted(out)


def compute_syntheses(df: pd.DataFrame, papers: pd.DataFrame, topics: pd.DataFrame | None = None, *,
                      refs: Mapping[str, int], encode: Encoder | None = None, max_sentences: int = 4,
                      diversity: float = 0.3, rerank: Encoder | None = None,
                      paper_vectors: Mapping[str, np.ndarray] | None = None, shortlist: int = 48,
                      progress: bool = False) -> pd.DataFrame:
    """One extractive, cited paragraph per topic.

    Candidate sentences are the informative sentences of the topic's abstracts.  Maximal
    Marginal Relevance picks them: ``(1 - diversity) * relevance - diversity * max similarity
    to the sentences already chosen``, where relevance is the cosine to the topic centroid (the
    mean of the topic's paper vectors, each paper the mean of its sentences) minus the same
    shape penalty as the per-paper summaries (much larger for openings such as "This ..." or
    "However,", which read worse out of context).  At most one sentence per paper, none nearly
    identical (cosine > 0.95) to one already chosen; ties go to the lower reference number,
    then the earlier sentence.  The chosen sentences are then ordered by role (background,
    aim/method, result, conclusion, see :func:`sentence_role`), then paper year, then relevance.

    With ``rerank`` (a stronger, slower encoder) ``encode`` only shortlists: the ``shortlist``
    most relevant candidates of each topic (at most two per paper) are embedded with ``rerank``
    (in one call for all topics) and MMR runs in that space, with the centroid and coverage from
    ``paper_vectors`` (the papers' own embeddings by the same model).  A cheap ``encode``
    then reads every sentence while the transformer reads a few dozen per topic.

    Parameters
    ----------
    df : DataFrame
        Papers with ``id``, ``title``, ``abstract`` (``year`` used when present).  Not modified.
    papers : DataFrame
        Topic assignment with ``id`` and ``topic``; topic ``-1`` (unassigned) is ignored.
    topics : DataFrame, optional
        Topics with a ``topic`` column, giving the rows and their order; by default the
        distinct topics of ``papers`` in ascending order.
    refs : mapping
        Paper id -> reference number shown as ``[n]``; every paper of a topic needs one.
    encode : callable, optional
        As for :func:`compute_paper_summaries`; called once.
    max_sentences : int
        Most sentences per synthesis.
    diversity : float
        Weight of the redundancy penalty, 0 (pure relevance) to 1.
    rerank : callable, optional
        Encoder that re-embeds each topic's shortlist for the final choice.
    paper_vectors : mapping, optional
        Paper id -> unit vector in ``rerank``'s space; required with ``rerank``.
    shortlist : int
        Candidates per topic passed to ``rerank``.
    progress : bool
        Show progress bars.

    Returns
    -------
    DataFrame
        One row per topic: ``topic``, ``synthesis`` (each sentence followed by `` [ref]``),
        ``sentences`` (list of dicts ``text, id, ref, start, end, role``: ``text`` is
        ``abstract[start:end]``), ``cited_ids``, ``n_papers``, ``coverage`` (mean over the
        topic's papers of their best cosine to a chosen sentence, floored at 0: how well the
        paragraph speaks for every paper, not only the cited ones) and ``redundancy`` (largest
        cosine between two chosen sentences; 0 with fewer than two).

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> def encode(texts):
    ...     v = np.array([[t.count(w) for w in ("cat", "dog", "fish")] for t in texts], float) + 1e-3
    ...     return v / np.linalg.norm(v, axis=1, keepdims=True)
    >>> df = pd.DataFrame({"id": ["a", "b"], "title": ["A", "B"], "abstract": [
    ...     "The cat sat with the dog all day. Fish swim.", "A dog barked at the fish all day."]})
    >>> papers = pd.DataFrame({"id": ["a", "b"], "topic": [0, 0]})
    >>> out = compute_syntheses(df, papers, refs={"a": 1, "b": 2}, encode=encode, max_sentences=2)
    >>> out.loc[0, "synthesis"]
    'A dog barked at the fish all day. [2] The cat sat with the dog all day. [1]'
    """
    _require(df, ["id", "title", "abstract"], "df")
    _require(papers, ["id", "topic"], "papers")
    if max_sentences < 1:
        raise ParameterError(f"max_sentences must be >= 1, got {max_sentences}")
    if not 0 <= diversity <= 1:
        raise ParameterError(f"diversity must be between 0 and 1, got {diversity}")
    if rerank is not None and paper_vectors is None:
        raise ParameterError("rerank needs paper_vectors: the papers' vectors in the rerank space")
    if shortlist < max_sentences:
        raise ParameterError(f"shortlist must be >= max_sentences ({max_sentences}), got {shortlist}")
    topic_ids = _topic_ids(papers, topics)

    info = df.drop_duplicates("id").set_index("id")
    has_year = "year" in info.columns
    members: dict[int, list[str]] = defaultdict(list)
    wanted, seen = set(topic_ids), set()
    for pid, topic in zip(papers["id"].tolist(), papers["topic"].tolist()):
        if topic is None or topic is pd.NA or (isinstance(topic, float) and math.isnan(topic)):
            continue
        if int(topic) in wanted and pid in info.index and (pid, int(topic)) not in seen:
            seen.add((pid, int(topic)))
            members[int(topic)].append(pid)
    missing = [pid for t in topic_ids for pid in members[t] if pid not in refs]
    if missing:
        raise ParameterError(f"refs has no reference number for {len(missing)} paper(s) of the topics, "
                             f"e.g. {missing[:5]}")

    # every paper's sentences (with offsets) once, then one encode call for all of them
    spans: dict[str, list[tuple[int, int]]] = {}
    abstracts: dict[str, str] = {}
    to_embed: list[str] = []
    for pid in dict.fromkeys(p for t in topic_ids for p in members[t]):
        abstract = _text(info.at[pid, "abstract"])
        abstracts[pid] = abstract
        spans[pid] = sentence_spans(abstract)
        to_embed.extend(abstract[a:b] for a, b in spans[pid])
        if not spans[pid]:
            to_embed.append(_text(info.at[pid, "title"]).strip() or str(pid))
    vectors: dict[str, np.ndarray] = {}
    if to_embed:
        vectors = _embed(encode or _default_encoder(progress), to_embed, progress=progress)

    def paper_vector(pid: str) -> np.ndarray:
        if spans[pid]:
            return _unit(np.mean([vectors[abstracts[pid][a:b]] for a, b in spans[pid]], axis=0))
        return vectors[_text(info.at[pid, "title"]).strip() or str(pid)]

    def year_of(pid: str) -> float:
        if not has_year:
            return math.inf
        y = info.at[pid, "year"]
        return math.inf if y is None or y is pd.NA or (isinstance(y, float) and math.isnan(y)) else float(y)

    # Pass 1: each topic's candidates and their relevance in the space of ``encode``.
    prepared = []  # (row, pmat, cands, texts, penalty, cmat, relevance)
    for topic in topic_ids:
        pids = members[topic]
        row = {"topic": topic, "synthesis": "", "sentences": [], "cited_ids": [], "n_papers": len(pids),
               "coverage": 0.0, "redundancy": 0.0}
        cands = []  # (ref, position, pid, start, end)
        for pid in sorted(pids, key=lambda p: (int(refs[p]), str(p))):
            for pos, (a, b) in enumerate(spans[pid]):
                if is_informative(abstracts[pid][a:b]):
                    cands.append((int(refs[pid]), pos, pid, a, b))
        if not cands:
            prepared.append((row, None, [], [], None, None, None))
            continue
        pmat = np.stack([paper_vector(p) for p in pids])
        texts = [abstracts[c[2]][c[3]:c[4]] for c in cands]
        cmat = np.stack([vectors[t] for t in texts])
        # Out of their abstract, sentences opening with "This ..." or "However," point at a sentence
        # the reader never sees; a topic offers many candidates, so they are taken only as a last resort.
        penalty = np.array([_shape_penalty(t, connective=_SYNTHESIS_CONNECTIVE_PENALTY) for t in texts])
        relevance = cmat @ _unit(pmat.mean(axis=0)) - penalty
        if rerank is not None:
            if len(cands) > shortlist:  # the most relevant, at most two per paper, in (ref, position) order
                per_paper: Counter = Counter()
                keep = []
                for i in np.argsort(-np.round(relevance, _TIE_DECIMALS), kind="stable"):
                    if per_paper[cands[i][2]] < 2:
                        per_paper[cands[i][2]] += 1
                        keep.append(int(i))
                        if len(keep) == shortlist:
                            break
                keep.sort()
                cands, texts, penalty = [cands[i] for i in keep], [texts[i] for i in keep], penalty[keep]
            pmat = np.stack([_unit(np.asarray(paper_vectors[p], dtype=np.float32)) for p in pids])
        prepared.append((row, pmat, cands, texts, penalty, cmat, relevance))
    if rerank is not None:
        reranked = _embed(rerank, [t for item in prepared for t in item[3]], progress=progress)

    # Pass 2: Maximal Marginal Relevance in the final space.
    rows = []
    for row, pmat, cands, texts, penalty, cmat, relevance in _iter(prepared, progress, "syntheses"):
        rows.append(row)
        if not cands:
            continue
        if rerank is not None:
            cmat = np.stack([reranked[t] for t in texts])
            relevance = cmat @ _unit(pmat.mean(axis=0)) - penalty
        chosen: list[int] = []
        used_papers: set[str] = set()
        max_sim = np.full(len(cands), -np.inf)
        available = np.ones(len(cands), dtype=bool)
        while len(chosen) < max_sentences and available.any():
            penalty_now = np.where(np.isfinite(max_sim), max_sim, 0.0)
            mmr = (1 - diversity) * relevance - diversity * penalty_now
            mmr = np.where(available, np.round(mmr, _TIE_DECIMALS), -np.inf)
            pick = int(np.argmax(mmr))  # candidates are in (ref, position) order: ties go to the lower ref
            chosen.append(pick)
            used_papers.add(cands[pick][2])
            sims = cmat @ cmat[pick]
            max_sim = np.maximum(max_sim, sims)
            available &= np.array([c[2] not in used_papers for c in cands]) & (sims <= 0.95)
        ordered = sorted(chosen, key=lambda i: (sentence_role(texts[i]), year_of(cands[i][2]),
                                                -round(float(relevance[i]), _TIE_DECIMALS), cands[i][0],
                                                cands[i][1]))
        sentences = [{"text": texts[i], "id": cands[i][2], "ref": cands[i][0], "start": cands[i][3],
                      "end": cands[i][4], "role": ROLE_NAMES[sentence_role(texts[i])]} for i in ordered]
        smat = cmat[ordered]
        pair = smat @ smat.T
        row.update(
            synthesis=" ".join(f"{s['text']} [{s['ref']}]" for s in sentences),
            sentences=sentences,
            cited_ids=[s["id"] for s in sentences],
            coverage=float(np.clip((pmat @ smat.T).max(axis=1), 0, 1).mean()),
            redundancy=float(pair[np.triu_indices(len(ordered), 1)].max()) if len(ordered) > 1 else 0.0,
        )
    return pd.DataFrame(rows, columns=["topic", "synthesis", "sentences", "cited_ids", "n_papers",
                                       "coverage", "redundancy"])


# ------------------------------------------------------------------ key phrases

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
        if pid not in info.index or topic is None or topic is pd.NA or \
                (isinstance(topic, float) and math.isnan(topic)):
            continue
        topic = int(topic)
        text = f"{_text(info.at[pid, 'title'])}. {_text(info.at[pid, 'abstract'])}"
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
