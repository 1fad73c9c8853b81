"""One extractive, cited paragraph per topic, by Maximal Marginal Relevance over its sentences."""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from typing import Mapping

import numpy as np
import pandas as pd

from ..errors import ParameterError
from ..missing import as_text, is_missing
from ..text import sentence_spans
from ._shared import Encoder, _default_encoder, _embed, _embed_rows, _iter, _require, _unit
from .roles import ROLE_NAMES, sentence_role
from .scoring import _SYNTHESIS_CONNECTIVE_PENALTY, _TIE_DECIMALS, _penalty_from_facts, _sentence_facts
from .sentences import SentenceTable


def _topic_ids(papers: pd.DataFrame, topics: pd.DataFrame | None) -> list[int]:
    if topics is not None:
        _require(topics, ["topic"], "topics")
        source = topics["topic"]
    else:
        source = papers["topic"]
    out = []
    for t in source.tolist():
        if is_missing(t):
            continue
        t = int(t)
        if t != -1 and t not in out:
            out.append(t)
    return out if topics is not None else sorted(out)


def compute_syntheses(df: pd.DataFrame, papers: pd.DataFrame, topics: pd.DataFrame | None = None, *,
                      refs: Mapping[str, int], encode: Encoder | None = None, max_sentences: int = 4,
                      diversity: float = 0.3, rerank: Encoder | None = None,
                      paper_vectors: Mapping[str, np.ndarray] | None = None, shortlist: int = 48,
                      progress: bool = False, sentences: SentenceTable | None = None) -> pd.DataFrame:
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
    sentences : SentenceTable, optional
        The abstracts already split and embedded with ``encode`` (see
        :func:`compute_sentence_table`; the one given to :func:`compute_paper_summaries`):
        used instead of splitting and encoding again when it holds every paper of the topics
        with the same abstract.  With ``rerank`` its vectors are dropped
        (:meth:`SentenceTable.drop_vectors`) once the shortlists are drawn, so the sentence
        matrix is not held while ``rerank`` runs.

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
        if is_missing(topic):
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
    words_of: dict[str, list[int]] = {}  # each sentence's word count, -1 when it is not informative
    to_embed: list[str] = []
    pids_used = list(dict.fromkeys(p for t in topic_ids for p in members[t]))
    for pid in pids_used:
        abstracts[pid] = as_text(info.at[pid, "abstract"])
    table = sentences if sentences is not None and sentences.covers(pids_used, map(abstracts.get, pids_used)) \
        else None
    for pid in pids_used:
        abstract = abstracts[pid]
        spans[pid] = sentence_spans(abstract) if table is None else table.spans[pid]
        # each sentence's shape is read once: whether it is a candidate, and its penalty
        words_of[pid] = [n if informative else -1
                         for informative, n in map(_sentence_facts, (abstract[a:b] for a, b in spans[pid]))]
        if table is not None:
            continue
        to_embed.extend(abstract[a:b] for a, b in spans[pid])
        if not spans[pid]:
            to_embed.append(as_text(info.at[pid, "title"]).strip() or str(pid))
    # one float32 matrix and text -> row number: a 100k review has about a million sentences
    matrix, row_of = np.zeros((0, 0), dtype=np.float32), {}
    if table is not None:
        matrix, row_of = table.matrix, table.row_of
    elif to_embed:
        matrix, row_of = _embed_rows(encode or _default_encoder(progress), to_embed, progress=progress)
    del to_embed

    def paper_vector(pid: str) -> np.ndarray:
        if spans[pid]:
            return _unit(np.mean([matrix[row_of[abstracts[pid][a:b]]] for a, b in spans[pid]], axis=0))
        return matrix[row_of[as_text(info.at[pid, "title"]).strip() or str(pid)]]

    def year_of(pid: str) -> float:
        if not has_year:
            return math.inf
        y = info.at[pid, "year"]
        return math.inf if is_missing(y) else float(y)

    # Pass 1: each topic's candidates and their relevance in the space of ``encode``.
    # Only row numbers are kept between the passes: each topic's candidate matrix (and, with rerank,
    # its paper matrix) is built again in pass 2 and dropped after its topic, never all at once.
    prepared = []  # (row, pmat, cands, texts, penalty, cand_rows, relevance)
    for topic in topic_ids:
        pids = members[topic]
        row = {"topic": topic, "synthesis": "", "sentences": [], "cited_ids": [], "n_papers": len(pids),
               "coverage": 0.0, "redundancy": 0.0}
        cands = []  # (ref, position, pid, start, end)
        n_words = []  # of each candidate
        for pid in sorted(pids, key=lambda p: (int(refs[p]), str(p))):
            for pos, ((a, b), n) in enumerate(zip(spans[pid], words_of[pid])):
                if n >= 0:
                    cands.append((int(refs[pid]), pos, pid, a, b))
                    n_words.append(n)
        if not cands:
            prepared.append((row, None, [], [], None, None, None))
            continue
        pmat = np.stack([paper_vector(p) for p in pids])
        texts = [abstracts[c[2]][c[3]:c[4]] for c in cands]
        cand_rows = np.array([row_of[t] for t in texts], dtype=np.intp)
        cmat = matrix[cand_rows]
        # Out of their abstract, sentences opening with "This ..." or "However," point at a sentence
        # the reader never sees; a topic offers many candidates, so they are taken only as a last resort.
        penalty = np.array([_penalty_from_facts(t, True, n, _SYNTHESIS_CONNECTIVE_PENALTY)
                            for t, n in zip(texts, n_words)])
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
            pmat = cand_rows = None  # both come from the rerank space in pass 2
        del cmat
        prepared.append((row, pmat, cands, texts, penalty, cand_rows, relevance))
    if rerank is not None:
        del matrix, row_of  # pass 2 reads only the rerank space: the sentence matrix goes first
        if table is not None:
            table.drop_vectors()
        reranked = _embed(rerank, [t for item in prepared for t in item[3]], progress=progress)

    # Pass 2: Maximal Marginal Relevance in the final space.
    rows = []
    for row, pmat, cands, texts, penalty, cand_rows, relevance in _iter(prepared, progress, "syntheses"):
        rows.append(row)
        if not cands:
            continue
        if rerank is None:
            cmat = matrix[cand_rows]
        else:
            pmat = np.stack([_unit(np.asarray(paper_vectors[p], dtype=np.float32))
                             for p in members[row["topic"]]])
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
