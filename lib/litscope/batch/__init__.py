"""``litscope batch``: run many reviews in one process, then write ``reports/index.html``.

Each review is one YAML file (:mod:`litscope.batch.files`): its ``name``, its ``inputs``
and any parameter of the review notebook. :func:`run_batch` runs them one after another
with :func:`litscope.execute.run_review` (same checks, same atomic publication, same
living-review history) in one shared Jupyter kernel (:mod:`litscope.batch.kernel`), where
imports stay warm and the embedding model is loaded once (:mod:`litscope.embedders.loaded`).
A failing review is recorded and the next one runs; :func:`write_index` lists every report.
"""

from __future__ import annotations

from .files import ReviewSpec, collect_review_files, read_review_file
from .index import write_index
from .run import BatchResult, ReviewRun, exit_status, run_batch

__all__ = ["BatchResult", "ReviewRun", "ReviewSpec", "collect_review_files", "exit_status",
           "read_review_file", "run_batch", "write_index"]
