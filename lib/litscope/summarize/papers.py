"""One verbatim sentence per paper: the abstract's most representative sentence."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..missing import as_text
from ..text import sentence_spans
from ..errors import ParameterError
from ._shared import Encoder, _default_encoder, _embed_rows, _iter, _require, _unit
from .scoring import _CONTRIBUTION, _CONTRIBUTION_BONUS, _TIE_DECIMALS, _shape_penalty
from .sentences import SentenceTable


def compute_paper_summaries(df: pd.DataFrame, *, encode: Encoder | None = None, progress: bool = False,
                            title_weight: float = 0.3, chunk_size: int | None = None,
                            sentences: SentenceTable | None = None) -> pd.Series:
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
        Called once, with every distinct sentence and title (once per chunk with ``chunk_size``).
    progress : bool
        Show progress bars.
    title_weight : float
        Weight of the similarity to the title (0 ignores titles).
    chunk_size : int, optional
        Papers whose sentences are embedded together: bounds the sentence vectors held at
        once (a 100,000-paper corpus has about a million sentences). The result is the same
        for an ``encode`` that embeds each text on its own (the static embedder, MiniLM), not
        for one whose vectors depend on the whole call (the fast embedder). None: one call.
    sentences : SentenceTable, optional
        The abstracts already split and embedded (:func:`compute_sentence_table`, with the
        same ``encode``): nothing is split or encoded again, and the caller can hand the same
        table to :func:`compute_syntheses`.  Ignored unless it holds every paper of ``df``
        with the same abstract.

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
    if chunk_size is not None and chunk_size < 1:
        raise ParameterError(f"chunk_size must be at least 1, got {chunk_size}")
    ids = df["id"].tolist()
    abstracts = df["abstract"].tolist()
    titles = [as_text(t).strip() for t in df["title"].tolist()]
    default: list[Encoder] = []

    def encoder() -> Encoder:  # the default model is loaded only when a sentence needs it
        if encode is not None:
            return encode
        if not default:
            default.append(_default_encoder(progress))
        return default[0]

    table = sentences if sentences is not None and sentences.covers(ids, map(as_text, abstracts)) else None
    step = chunk_size or max(len(ids), 1)
    out: list[str] = []
    for start in range(0, len(ids), step):
        if table is not None:  # the chunk's sentences are sliced again: not a million strings at once
            chunk = ids[start:start + step]
            split = [[table.abstracts[pid][a:b] for a, b in table.spans[pid]] for pid in chunk]
            out.extend(_score(chunk, split, abstracts[start:start + step], titles[start:start + step],
                              table.matrix, table.row_of, progress, title_weight))
            continue
        out.extend(_best_sentences(ids[start:start + step], abstracts[start:start + step],
                                   titles[start:start + step], encoder, progress, title_weight))
    return pd.Series(out, index=pd.Index(ids, name="id"), name="summary", dtype=object)


def _best_sentences(ids: list, abstracts: list, titles: list[str], encoder, progress: bool,
                    title_weight: float) -> list[str]:
    """The summary of each paper of one chunk (see :func:`compute_paper_summaries`)."""
    sentences: list[list[str]] = []
    for abstract in abstracts:
        text = as_text(abstract)
        sentences.append([text[a:b] for a, b in sentence_spans(text)])
    to_embed: list[str] = []
    for sents, title in zip(sentences, titles):
        if len(sents) > 1:
            to_embed.extend(sents)
            if title and title_weight:
                to_embed.append(title)
    vecs, row = np.zeros((0, 0), dtype=np.float32), {}
    if to_embed:
        vecs, row = _embed_rows(encoder(), to_embed, progress=progress)
    return _score(ids, sentences, abstracts, titles, vecs, row, progress, title_weight)


def _score(ids: list, sentences: list[list[str]], abstracts: list, titles: list[str], vecs: np.ndarray,
           row: dict, progress: bool, title_weight: float) -> list[str]:
    """Each paper's best sentence, given its sentences and the text -> row of ``vecs`` index."""
    out: list[str] = []
    for pid, sents, title, abstract in _iter(list(zip(ids, sentences, titles, abstracts)),
                                             progress, "summaries"):
        if len(sents) > 1:
            mat = vecs[[row[s] for s in sents]]
            score = mat @ _unit(mat.mean(axis=0))
            if title and title_weight:
                score = score + title_weight * (mat @ vecs[row[title]])
            score = score - np.array([_shape_penalty(s) for s in sents]) \
                + np.array([_CONTRIBUTION_BONUS if _CONTRIBUTION.search(s) else 0.0 for s in sents])
            best = int(np.argmax(np.round(score, _TIE_DECIMALS)))  # first maximum: earlier sentence
            out.append(sents[best])
        elif sents:
            out.append(sents[0])
        else:
            out.append(title or as_text(abstract).strip() or str(pid) or "(untitled)")
    return out
