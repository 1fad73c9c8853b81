"""Screening: relevance to the research question, criteria, decisions, active learning, simulation.

=================  ==================================================================
module             what it does
=================  ==================================================================
``bm25``           exact BM25 of the question against title, abstract and keywords
``feedback``       pseudo-relevance feedback: RM3 query expansion and a pseudo-labelled
                   classifier, from the question alone (no labels)
``relevance``      :func:`compute_relevance` (BM25 with feedback + embedding cosine, rank-fused),
                   :func:`compute_topic_relevance`
``answer``         :func:`compute_answer`: an extractive answer, every sentence verbatim
                   from an abstract, with its paper id
``criteria``       :class:`Criteria` and :func:`compute_screening`: exclusions with reasons
``decisions``      :func:`read_decisions`, :func:`apply_decisions`, :func:`write_decisions`,
                   :func:`write_decision`: the reviewer's CSV
``labels``         :func:`read_prior_decisions` (ASReview/Rayyan labels in exports),
                   :func:`read_label_column`
``active``         :func:`compute_priority`: the screening order from the decisions so far,
                   and the stopping estimate
``simulate``       :func:`compute_simulation`: replay screening on a labelled set
=================  ==================================================================

Everything takes a papers DataFrame in the canonical schema
(:data:`litscope.schema.COLUMNS`) and returns frames row-aligned with it.

Examples
--------
>>> import pandas as pd
>>> from litscope.screening import Criteria, compute_screening
>>> papers = pd.DataFrame({"id": ["a"], "title": ["x"], "abstract": [""], "year": [2001]})
>>> compute_screening(papers, Criteria(years=(2005, 2020))).table["reason"].tolist()
['published in 2001, before 2005']
"""

from __future__ import annotations

from .active import Priority, compute_priority, estimate_remaining
from .answer import compute_answer
from .criteria import Criteria, Screening, compute_screening
from .decisions import (DECISION_COLUMNS, AppliedDecisions, apply_decisions, read_decisions, write_decision,
                        write_decisions)
from .labels import read_label_column, read_prior_decisions
from .relevance import compute_relevance, compute_topic_relevance
from .simulate import SimulationResult, compute_metrics, compute_simulation

__all__ = ["AppliedDecisions", "Criteria", "DECISION_COLUMNS", "Priority", "Screening", "SimulationResult",
           "apply_decisions", "compute_answer", "compute_metrics", "compute_priority", "compute_relevance",
           "compute_screening", "compute_simulation", "compute_topic_relevance", "estimate_remaining",
           "read_decisions", "read_label_column", "read_prior_decisions", "write_decision", "write_decisions"]
