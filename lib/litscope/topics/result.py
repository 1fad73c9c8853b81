""":class:`TopicResult`, what :func:`~litscope.topics.compute_topics` returns."""

from __future__ import annotations

from dataclasses import dataclass, field

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
        Every setting that determined the result (seed, derived sizes, thresholds).
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
