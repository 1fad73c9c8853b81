"""Replay screening on a labelled set, as reviewers and methodologists evaluate screening tools.

A simulated reviewer screens the records one at a time in the order the ranker
proposes and reveals each record's label only when it is screened: the ranker
(:class:`~litscope.screening.active.ActiveLearner`) is given the labels of the
records screened so far and nothing else.  Without a question, screening starts
in a seeded random order until one included and one excluded record are found
(what ASReview's "prior knowledge" asks of a reviewer), and those records count
as screened.

Metrics (:func:`compute_metrics`), with ``N`` records and ``P`` included:

``wss@95``
    work saved over sampling at 95 % recall: ``(N - n95) / N - 0.05``, where ``n95`` is
    the number screened when ``ceil(0.95 P)`` included records were found (Cohen et al. 2006).
``recall@10%``
    share of the included records found after screening ``ceil(0.1 N)`` records.
``screened_for_all``
    share of the records screened when the last included one is found.
``roc_auc``
    of the question-only relevance ranking (no labels), when a question is given.

Examples
--------
>>> m = compute_metrics([1, 0, 1, 0, 0, 0, 0, 0, 0, 0])
>>> m["wss@95"], m["recall@10%"], m["screened_for_all"]
(0.65, 0.5, 0.3)
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Sequence

import numpy as np
import pandas as pd

from ..errors import ParameterError
from ..progress import bar as progress_bar
from .active import (REFIT_GROWTH, ActiveLearner, compute_features, estimate_remaining, estimate_remaining_recent,
                     recent_window)

__all__ = ["compute_metrics", "SimulationResult", "compute_simulation", "read_labels_vector"]


def compute_metrics(labels_in_order: Sequence[int], *, recall: float = 0.95, share: float = 0.10) -> dict[str, float]:
    """WSS@95, recall after 10 % screened and share screened to find all, for labels in screening order.

    Returns
    -------
    dict
        ``wss@95``, ``recall@10%``, ``screened_for_all``, ``records``, ``included``.
    """
    y = np.asarray(labels_in_order, dtype=np.int64)
    n, p = len(y), int(y.sum())
    if n == 0 or p == 0:
        raise ParameterError("the labels have no included record; screening metrics need at least one")
    found = np.cumsum(y)
    n_recall = int(np.searchsorted(found, math.ceil(recall * p)) + 1)
    n_all = int(np.searchsorted(found, p) + 1)
    k = max(1, math.ceil(share * n))
    return {"wss@95": round((n - n_recall) / n - (1 - recall), 4),
            "recall@10%": round(float(found[min(k, n) - 1]) / p, 4),
            "screened_for_all": round(n_all / n, 4), "records": n, "included": p}


@dataclass
class SimulationResult:
    """One replay.

    Attributes
    ----------
    order : numpy.ndarray
        Row numbers of the papers in the order they were screened.
    labels : numpy.ndarray
        The labels in that order.
    metrics : dict
        :func:`compute_metrics`, plus ``roc_auc`` (question-only ranking) when a question was given.
    fits : int
        How many times the model was fitted.
    estimates : list of (int, int, float, float)
        At each fit: records screened, included found, and two stopping estimates of how many
        included records remain: :func:`~litscope.screening.active.estimate_remaining` (model
        probabilities) and :func:`~litscope.screening.active.estimate_remaining_recent`
        (inclusion rate of the latest decisions).
    """

    order: np.ndarray
    labels: np.ndarray
    metrics: dict[str, float]
    fits: int = 0
    estimates: list[tuple[int, int, float, float]] = field(default_factory=list)

    def estimate_when(self, recall: float = 0.95) -> tuple[int, float, float] | None:
        """``(truly remaining, model estimate, recent-rate estimate)`` at the first fit with recall >= ``recall``."""
        total = int(self.labels.sum())
        for _, found, by_model, by_recent in self.estimates:
            if total and found / total >= recall:
                return total - found, by_model, by_recent
        return None

    def recall_curve(self) -> np.ndarray:
        """Share of included records found after each screened record."""
        return np.cumsum(self.labels) / max(1, int(self.labels.sum()))


def _labels(labels: Any, n: int) -> np.ndarray:
    y = pd.to_numeric(pd.Series(list(labels)), errors="coerce")
    if len(y) != n:
        raise ParameterError(f"{len(y)} labels for {n} papers")
    if y.isna().any() or not set(y.unique()) <= {0, 1}:
        bad = [i + 1 for i, v in enumerate(y) if pd.isna(v) or v not in (0, 1)][:5]
        raise ParameterError(f"labels must be 0 or 1 for every record; records {bad} are not")
    return y.to_numpy(dtype=np.int64)


def compute_simulation(papers: pd.DataFrame, labels: Sequence[int], question: str | None = None, *,
                       embeddings: np.ndarray | None = None, embedder: Any = "static", seed: int = 0,
                       active: bool = True, max_steps: int | None = None, progress: bool = False) -> SimulationResult:
    """Replay screening of ``papers`` whose true labels are ``labels`` (1 included, 0 excluded).

    Parameters
    ----------
    papers : pandas.DataFrame
        Canonical papers.
    labels : sequence of int
        Row-aligned 0/1; revealed to the ranker only for records already screened.
    question : str, optional
        The research question: relevance order first, then a pseudo-positive training row.
    embeddings : numpy.ndarray, optional
        Row-aligned paper vectors (embedded with ``embedder`` when None).
    embedder : str or embedder
        Embeds the question and, when needed, the papers.
    seed : int
        Seeds the random start (no question) and tie-breaks.
    active : bool
        False: screen in the question-only relevance order (no learning; needs a question).
    max_steps : int, optional
        Stop after this many records (metrics are then not computed).
    progress : bool
        Show a progress bar.

    Returns
    -------
    SimulationResult
    """
    y = _labels(labels, len(papers))
    n = len(papers)
    relevance = qvec = None
    if isinstance(embedder, str):
        from ..embedders import make_embedder

        embedder = make_embedder(embedder, progress=progress)
    if embeddings is None:
        from ..embed import paper_texts

        embeddings = np.asarray(embedder.encode(paper_texts(papers)))
    if question:
        from .relevance import compute_relevance, embed_question

        qvec = embed_question(question, embedder)
        rel = compute_relevance(papers, question, embeddings, embedder, top_n=0)
        relevance = rel["relevance"].to_numpy()
        prior = (n - rel["rank"].to_numpy()).astype(np.float64)  # the relevance order, ties as ranked
    elif not active:
        raise ParameterError("a replay without active learning needs a question to rank by")
    learner = ActiveLearner(compute_features(papers, embeddings, question, qvec),
                            prior if question else None, seed=seed)
    steps = n if max_steps is None else min(n, int(max_steps))
    screened: list[int] = []
    revealed: list[int] = []
    if not active:
        order, _, _ = learner.rank([], [])
        screened = order[:steps].tolist()
    else:
        queue: list[int] = []
        estimates: list[tuple[int, int, float, float]] = []
        last_fit_size, fitted, last_inclusions = -1, False, 0
        bar = progress_bar(total=steps, desc="Simulating screening", unit="record", disable=not progress)
        while len(screened) < steps:
            inclusions = sum(revealed)
            due = (not queue or not fitted or inclusions > last_inclusions
                   or len(screened) - last_fit_size >= max(1, math.ceil(REFIT_GROWTH * max(last_fit_size, 1))))
            if due:
                order, scores, fitted = learner.rank(screened, revealed)
                queue = order.tolist()
                if fitted:
                    found = sum(revealed)
                    recent = revealed[-recent_window(len(revealed)):]
                    estimates.append((len(screened), found, estimate_remaining(
                        scores, included=found, excluded=len(revealed) - found),
                        estimate_remaining_recent(recent, n - len(screened))))
                last_fit_size, last_inclusions = len(screened), inclusions
            pick = queue.pop(0)
            screened.append(pick)
            revealed.append(int(y[pick]))  # the label is revealed only now
            bar.update(1)
        bar.close()
    order_arr = np.asarray(screened, dtype=np.int64)
    result = SimulationResult(order_arr, y[order_arr], {}, learner.fits)
    if active:
        result.estimates = [(k, f, round(e, 2), round(r, 2)) for k, f, e, r in estimates]
    if max_steps is None:
        result.metrics = compute_metrics(result.labels)
        if relevance is not None:
            from sklearn.metrics import roc_auc_score

            result.metrics["roc_auc"] = round(float(roc_auc_score(y, relevance)), 4)
    return result


def read_labels_vector(values: Sequence[Any]) -> np.ndarray:
    """0/1 labels from an export's column (``1``, ``0``, ``True``, ``yes``, ``included``, ...).

    >>> read_labels_vector(["1", "0", "yes", "Excluded", 1.0]).tolist()
    [1, 0, 1, 0, 1]
    """
    truthy = {"1", "1.0", "true", "yes", "y", "include", "included", "relevant"}
    falsy = {"0", "0.0", "-1", "false", "no", "n", "exclude", "excluded", "irrelevant"}
    out = []
    for v in values:
        s = str(v).strip().lower()
        if s in truthy:
            out.append(1)
        elif s in falsy:
            out.append(0)
        else:
            raise ParameterError(f"cannot read {v!r} as a label (1/0, yes/no, included/excluded)")
    return np.asarray(out, dtype=np.int64)
