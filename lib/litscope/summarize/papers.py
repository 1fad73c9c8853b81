"""One verbatim sentence per paper: the abstract's most representative sentence."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..missing import as_text
from ..text import sentence_spans
from ._shared import Encoder, _default_encoder, _embed, _iter, _require, _unit
from .scoring import _CONTRIBUTION, _CONTRIBUTION_BONUS, _TIE_DECIMALS, _shape_penalty


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
        text = as_text(abstract)
        sentences.append([text[a:b] for a, b in sentence_spans(text)])
    titles = [as_text(t).strip() for t in df["title"].tolist()]

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
            out.append(title or as_text(abstract).strip() or str(pid) or "(untitled)")
    return pd.Series(out, index=pd.Index(ids, name="id"), name="summary", dtype=object)
