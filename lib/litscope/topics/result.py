""":class:`TopicResult`, what :func:`~litscope.topics.compute_topics` returns."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any

import pandas as pd


# ------------------------------------------------------------------ result


@dataclass
class TopicResult:
    """Everything :func:`compute_topics` finds.

    Attributes
    ----------
    papers : pandas.DataFrame
        One row per input paper, in the input order: ``id``, ``topic`` (int,
        ``-1`` = unassigned), ``topic_label``, ``confidence`` (0..1), ``parent``
        (parent theme id, ``-1`` when unassigned), ``x``, ``y`` (2-D map).
    topics : pandas.DataFrame
        One row per topic, ``topic`` = 0..k-1 by descending size then label:
        ``label``, ``size``, ``share``, ``key_phrases``, ``parent``,
        ``parent_label``, ``representative_ids``, ``mean_confidence``.
    parents : pandas.DataFrame
        Broad themes: ``parent``, ``label``, ``size``, ``topics`` (list of topic ids).
    similarity : pandas.DataFrame
        Cosine similarity of topic centroids, indexed by topic id on both axes.
    unassigned : pandas.DataFrame
        Papers with topic ``-1``: ``id``, ``title``, ``reason``, ``nearest_topic``,
        ``nearest_similarity``.
    params : dict
        The settings that determined the result, then what the fit found: the
        arguments of :func:`compute_topics` (read from its signature) with the
        settings derived from them (:func:`~litscope.topics.compute.topic_settings`),
        ``timings`` (seconds per step), and the values the steps return
        (:func:`recorded`): clusters found, merged and split topics, the outlier
        threshold used, ``k``, ``n_parents``, ``unassigned_share``.
    """

    papers: pd.DataFrame
    topics: pd.DataFrame
    parents: pd.DataFrame
    similarity: pd.DataFrame
    unassigned: pd.DataFrame
    params: dict = field(default_factory=dict)

    @property
    def n_topics(self) -> int:
        """Number of topics (without the unassigned group)."""
        return len(self.topics)

    @property
    def unassigned_share(self) -> float:
        """Share of papers left without a topic."""
        return float((self.papers["topic"] == -1).mean()) if len(self.papers) else 0.0

    def label_of(self, topic: int) -> str:
        """Label of a topic id (``"Unassigned"`` for -1)."""
        if topic == -1:
            return "Unassigned"
        return str(self.topics.set_index("topic").at[int(topic), "label"])


def recorded(findings: Any) -> dict[str, Any]:
    """The values a step found, as :attr:`TopicResult.params` records them.

    Every field of the ``findings`` dataclass in field order, except those whose
    metadata says ``recorded: False`` and those left ``None`` (the step did not
    get that far).

    Examples
    --------
    >>> @dataclass
    ... class Found:
    ...     n_clusters: int
    ...     threshold: float | None = None
    ...     rows: list = field(default_factory=list, metadata={"recorded": False})
    >>> recorded(Found(3, rows=[1, 2]))
    {'n_clusters': 3}
    """
    return {f.name: getattr(findings, f.name) for f in dataclasses.fields(findings)
            if f.metadata.get("recorded", True) and getattr(findings, f.name) is not None}
