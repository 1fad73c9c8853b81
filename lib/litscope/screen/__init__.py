"""Screening inside a review: each paper's outcome, the decisions it starts from, a screening session.

=============  ======================================================================
module         what it does
=============  ======================================================================
``outcome``    :func:`compute_outcome`: criteria + reviewer -> included / excluded
               (with the reason) / awaiting, for the PRISMA diagram and ``scope``
``priors``     :func:`read_review_decisions`: the exports' labels, then the decisions file
``session``    :class:`ScreenSession`: records in priority order, each decision saved at once
``widget``     :func:`display_screener`: the one-click screening view of ``screen.ipynb``
=============  ======================================================================

The engine (relevance, criteria, decisions files, active learning) is :mod:`litscope.screening`.
"""

from __future__ import annotations

from .outcome import STATUSES, ScreeningOutcome, compute_outcome, criterion_reason
from .priors import combine_decisions, read_export_decisions, read_review_decisions
from .session import ScreenSession

__all__ = ["STATUSES", "ScreenSession", "ScreeningOutcome", "combine_decisions", "compute_outcome",
           "criterion_reason", "read_export_decisions", "read_review_decisions"]
