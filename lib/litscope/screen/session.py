"""A screening session: the records in priority order, each decision written to the CSV at once.

:class:`ScreenSession` is what ``notebooks/screen.ipynb`` drives (its buttons call
:meth:`ScreenSession.decide`), and what a test or a script can drive headless. The decisions
file is the only state: every decision is written to it at once, atomically
(:func:`litscope.screening.write_decision`), so a closed browser or a restarted kernel loses
nothing; a new session on the same file starts where the last one stopped. The file is the
same one ``litscope review`` reads as its ``decisions`` parameter, and can be edited by hand.

The order is :func:`litscope.screening.compute_priority`: relevance to the question before
the model can be trained, then a model trained on the decisions so far.

Examples
--------
>>> import pandas as pd, tempfile, os
>>> papers = pd.DataFrame({"id": ["a", "b"], "title": ["Screening tools", "Cooking"],
...                        "abstract": ["", ""], "doi": ["", ""]})
>>> path = os.path.join(tempfile.mkdtemp(), "decisions.csv")
>>> s = ScreenSession(papers, path, reviewer="ann")
>>> s.decide("b", "exclude", reason="off topic")
>>> ScreenSession(papers, path).decisions.set_index("id").loc["b", ["decision", "reason", "reviewer"]].tolist()
['exclude', 'off topic', 'ann']
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Sequence

import numpy as np
import pandas as pd

from ..screening import apply_decisions, compute_priority, read_decisions, write_decision, write_decisions
from ..screening.decisions import DECISIONS
from .priors import read_export_decisions

__all__ = ["ScreenSession"]


class ScreenSession:
    """Screen ``papers`` into the decisions CSV at ``decisions_path``.

    Parameters
    ----------
    papers : pandas.DataFrame
        One row per paper (canonical schema: ``id``, ``title``, ``abstract``, ``doi``, ...).
    decisions_path : path-like
        The decisions CSV; created (every paper undecided, with ``prior`` decisions) when absent.
    question : str
        The research question: orders the records before the first decisions.
    reviewer : str
        Written with each decision.
    embedder : str or embedder
        Embeds the papers and the question for the order (``static`` is fast and offline).
    prior : pandas.DataFrame, optional
        Decisions to start from when the file does not exist yet (e.g. an export's labels).
    seed : int
        Tie-breaks; the order without a question.
    """

    def __init__(self, papers: pd.DataFrame, decisions_path: str | os.PathLike, *, question: str = "",
                 reviewer: str = "", embedder: Any = "static", prior: pd.DataFrame | None = None,
                 seed: int = 0) -> None:
        self.papers = papers.reset_index(drop=True)
        self.path = Path(decisions_path)
        self.question = question or ""
        self.reviewer = reviewer
        self.seed = seed
        self._embedder = embedder
        self._embeddings: np.ndarray | None = None
        self._queue: pd.DataFrame | None = None
        self.remaining: float | None = None
        self.method = ""
        if not self.path.exists():
            write_decisions(self.path, self.papers, prior if prior is not None else None)
        else:  # new records of the inputs join the file undecided; nothing decided is dropped
            write_decisions(self.path, self.papers, read_decisions(self.path))

    @classmethod
    def from_inputs(cls, inputs: Sequence[str | os.PathLike] | str | os.PathLike,
                    decisions_path: str | os.PathLike, *, deduplicate: bool = True,
                    **kwargs: Any) -> "ScreenSession":
        """Load and de-duplicate the exports as the review does, then screen their papers.

        Labels the exports carry (ASReview, Rayyan) seed a new decisions file.
        """
        from ..dedupe import deduplicate as merge
        from ..report import resolve_inputs
        from ..sources import load

        corpus = load(resolve_inputs(inputs))
        if deduplicate:
            corpus = merge(corpus)
        kwargs.setdefault("prior", read_export_decisions(corpus))
        return cls(corpus.papers, decisions_path, **kwargs)

    # ------------------------------------------------------------ state (read from the file)

    @property
    def decisions(self) -> pd.DataFrame:
        """Each paper's decision as the file now says: ``id``, ``decision``, ``reason``, ``reviewer``, ``date``."""
        return apply_decisions(self.papers, read_decisions(self.path)).table

    def counts(self) -> dict[str, int]:
        """Papers per decision (``undecided`` for the rest)."""
        return apply_decisions(self.papers, read_decisions(self.path)).counts()

    # ------------------------------------------------------------ order

    def _vectors(self) -> np.ndarray | None:
        if not self.question:
            return None
        if self._embeddings is None:
            from ..embed import paper_texts

            if isinstance(self._embedder, str):
                from ..embedders import make_embedder

                self._embedder = make_embedder(self._embedder, progress=False, cache_dir=False)
            self._embeddings = np.asarray(self._embedder.encode(paper_texts(self.papers)))
        return self._embeddings

    def queue(self) -> pd.DataFrame:
        """The undecided papers in priority order: ``id``, ``priority``, ``score``, ``title``.

        Recomputed after each decision (the model learns from it).
        """
        if self._queue is None:
            vectors = self._vectors()
            priority = compute_priority(self.papers, self.decisions["decision"].tolist(),
                                        question=self.question or None, embeddings=vectors,
                                        embedder=self._embedder, seed=self.seed)
            titles = dict(zip(self.papers["id"].astype(str), self.papers.get("title", "")))
            queue = priority.queue.copy()
            queue["title"] = [titles.get(str(i), "") for i in queue["id"]]
            self._queue, self.remaining, self.method = queue, priority.remaining, priority.method
        return self._queue

    def next(self) -> pd.Series | None:
        """The paper to screen next (its row of :attr:`papers`), or None when all are decided."""
        queue = self.queue()
        if queue.empty:
            return None
        first = str(queue["id"].iloc[0])
        return self.papers.loc[self.papers["id"].astype(str) == first].iloc[0]

    # ------------------------------------------------------------ deciding

    def decide(self, paper_id: str, decision: str, *, reason: str = "", reviewer: str | None = None) -> None:
        """Record ``decision`` (include, exclude, maybe, or '' to undo) for a paper, in the file at once."""
        if decision not in (*DECISIONS, ""):
            from ..errors import DecisionsError

            raise DecisionsError(f"unknown decision {decision!r}; use include, exclude, maybe or ''",
                                 file=str(self.path))
        write_decision(self.path, self.papers, str(paper_id), decision, reason=reason,
                       reviewer=self.reviewer if reviewer is None else reviewer)
        self._queue = None
