"""What the summary steps share: the encoder type and default, embedding, unit vectors, checks."""

from __future__ import annotations

from typing import Callable, Sequence

import numpy as np
import pandas as pd

from ..errors import ParameterError, SchemaError

#: ``list[str] -> (n, d)`` array of L2-normalised rows.
Encoder = Callable[[Sequence[str]], np.ndarray]


def _default_encoder(progress: bool = False) -> Encoder:
    # litscope.embed imports its model packages through import_optional when it first encodes
    from ..embed import Embedder

    return Embedder(progress=progress).encode


def _embed_rows(encode: Encoder, texts: Sequence[str], *,
                progress: bool = False) -> tuple[np.ndarray, dict[str, int]]:
    """Embed the distinct ``texts`` in one call: one float32 matrix of unit rows and text -> row.

    One matrix and an index of row numbers, rather than an array per text, keep a million
    sentences at the size of their numbers.
    """
    unique = list(dict.fromkeys(texts))
    if not unique:
        return np.zeros((0, 0), dtype=np.float32), {}
    vecs = np.asarray(encode(unique), dtype=np.float32)
    if vecs.ndim != 2 or vecs.shape[0] != len(unique):
        raise ParameterError(f"encode returned shape {vecs.shape} for {len(unique)} texts; "
                             "expected (n_texts, dim)")
    norms = np.linalg.norm(vecs, axis=1, keepdims=True)
    vecs = vecs / np.where(norms > 0, norms, 1.0)
    return vecs, {text: row for row, text in enumerate(unique)}


def _embed(encode: Encoder, texts: Sequence[str], *, progress: bool = False) -> dict[str, np.ndarray]:
    """Embed the distinct ``texts`` in one call; rows are re-normalised to unit length."""
    vecs, rows = _embed_rows(encode, texts, progress=progress)
    return dict(zip(rows, vecs))


def _require(frame: pd.DataFrame, columns: Sequence[str], name: str) -> None:
    if not isinstance(frame, pd.DataFrame):
        raise SchemaError(f"{name} must be a DataFrame, got {type(frame).__name__}")
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise SchemaError(f"{name} lacks column(s) {missing}", column=missing[0])


def _unit(v: np.ndarray) -> np.ndarray:
    n = float(np.linalg.norm(v))
    return v / n if n > 0 else v


def _iter(items, progress: bool, desc: str):
    if not progress:
        return items
    from ..progress import bar
    return bar(items, desc=desc)
