"""Every abstract's sentences split and embedded once, for the summaries and the syntheses."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..errors import ParameterError
from ..missing import as_text
from ..text import sentence_spans
from ._shared import Encoder, _iter, _require


@dataclass
class SentenceTable:
    """Each paper's sentence offsets and one unit vector per distinct sentence or title.

    Attributes
    ----------
    abstracts : dict
        Paper id -> the abstract text the offsets refer to.
    spans : dict
        Paper id -> ``[(start, end), ...]`` from :func:`litscope.text.sentence_spans`.
    matrix : ndarray
        float32, one unit row per distinct text (``None`` once :meth:`drop_vectors` ran).
    row_of : dict
        Text -> its row of ``matrix``.
    """

    abstracts: dict = field(default_factory=dict)
    spans: dict = field(default_factory=dict)
    matrix: np.ndarray | None = None
    row_of: dict | None = None

    def covers(self, ids, abstracts) -> bool:
        """Whether every paper of ``ids`` is here with the same abstract text."""
        return self.matrix is not None and all(
            pid in self.abstracts and self.abstracts[pid] == text for pid, text in zip(ids, abstracts))

    def drop_vectors(self) -> None:
        """Free the vectors (a 100k review has about a million sentences) once no one reads them."""
        self.matrix = self.row_of = None


def compute_sentence_table(df: pd.DataFrame, encode: Encoder, *, chunk_size: int | None = None,
                           progress: bool = False) -> SentenceTable:
    """Split every abstract once and embed each distinct sentence (and title) once.

    The texts are the sentences of each abstract, the stripped title of a paper with more
    than one sentence (the summaries weigh it) and, for a paper without a sentence, its title
    or id (the syntheses' stand-in).  Rows are numbered in order of first appearance, so the
    new texts of each chunk of ``chunk_size`` papers are a block of rows, embedded in one
    ``encode`` call and written in place: only that chunk's vectors are held twice.

    Parameters
    ----------
    df : DataFrame
        Papers with ``id``, ``title``, ``abstract``; a repeated id keeps its first row.
    encode : callable
        ``list[str] -> ndarray`` of rows (re-normalised here).  With ``chunk_size`` the
        vectors equal one call's only for an encoder that embeds each text on its own.
    chunk_size : int, optional
        Papers per ``encode`` call; None: one call.
    progress : bool
        Show a progress bar over the chunks.

    Returns
    -------
    SentenceTable

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> def encode(texts):
    ...     return np.array([[len(t), 1.0] for t in texts])
    >>> df = pd.DataFrame({"id": ["a", "b"], "title": ["T", ""], "abstract": ["One here. Two here.", ""]})
    >>> table = compute_sentence_table(df, encode, chunk_size=1)
    >>> table.spans["a"], sorted(table.row_of, key=table.row_of.get), table.matrix.shape
    ([(0, 9), (10, 19)], ['One here.', 'Two here.', 'T', 'b'], (4, 2))
    """
    _require(df, ["id", "title", "abstract"], "df")
    if chunk_size is not None and chunk_size < 1:
        raise ParameterError(f"chunk_size must be at least 1, got {chunk_size}")
    table = SentenceTable(row_of={})
    row_of = table.row_of
    ends: list[int] = []  # after each paper: how many distinct texts so far
    for pid, title, abstract in zip(df["id"].tolist(), df["title"].tolist(), df["abstract"].tolist()):
        if pid not in table.spans:
            text = as_text(abstract)
            spans = sentence_spans(text)
            table.abstracts[pid], table.spans[pid] = text, spans
            for a, b in spans:
                row_of.setdefault(text[a:b], len(row_of))
            title = as_text(title).strip()
            if len(spans) > 1 and title:
                row_of.setdefault(title, len(row_of))
            elif not spans:
                row_of.setdefault(title or str(pid), len(row_of))
        ends.append(len(row_of))
    texts = list(row_of)
    step = chunk_size or max(len(ends), 1)
    bounds = [0] + [ends[min(i + step, len(ends)) - 1] for i in range(0, len(ends), step)]
    for lo, hi in _iter(list(zip(bounds[:-1], bounds[1:])), progress, "sentences"):
        if hi == lo:
            continue
        vecs = np.asarray(encode(texts[lo:hi]), dtype=np.float32)
        if vecs.ndim != 2 or vecs.shape[0] != hi - lo:
            raise ParameterError(f"encode returned shape {vecs.shape} for {hi - lo} texts; "
                                 "expected (n_texts, dim)")
        if table.matrix is None:
            table.matrix = np.empty((len(texts), vecs.shape[1]), dtype=np.float32)
        norms = np.linalg.norm(vecs, axis=1, keepdims=True)
        table.matrix[lo:hi] = vecs / np.where(norms > 0, norms, 1.0)
    if table.matrix is None:
        table.matrix = np.zeros((0, 0), dtype=np.float32)
    return table
