"""Find and merge duplicate records across exports, keeping an audit of every merge.

Records are linked in two passes, and linked records form clusters (union-find):

1. **Identifiers.** Records with the same DOI, arXiv id or PMID are linked. An arXiv DOI
   (``10.48550/arxiv.<id>``) counts as the arXiv id, not as a DOI.
2. **Titles.** Normalised titles (:func:`litscope.schema.normalize_title_key`) are compared
   with rapidfuzz (``max(ratio, token_sort_ratio)``) within blocks (sorted neighbourhoods of the
   title, of the reversed title and of the title rotated to start at its middle word, and groups
   sharing a rare title word), so 100,000 records take about 20 seconds on one core. The title score is adjusted by the evidence around it: a year one apart costs
   3 points, two or more apart rules the pair out; a different first-author family name costs
   15 points; a missing year or author costs 2-3 points. Pairs scoring at least ``threshold``
   are linked, e.g. ``'title+year+author (score 97)'``.

Rules that keep distinct works apart (conservative on purpose: a missed duplicate costs a
reviewer one extra screening decision, a false merge silently loses a study):

* **Different identifiers never merge.** Two records with different DOIs (or arXiv ids, or
  PMIDs) are different works even with identical titles: errata, corrigenda, retraction notices,
  replies, conference and journal versions, and dataset/software companions carry their own DOI
  and often repeat the article's title. A cluster therefore never holds two DOIs. A record
  without a DOI may join one that has one (the same paper from a database that exports no DOI).
  An exact DOI match always merges.
* **Short or generic titles never merge on the title alone.** Titles such as "Editorial",
  "Introduction", "Preface", "Book reviews" (see :data:`GENERIC_TITLES`) merge only through an
  identifier; other short titles (fewer than 4 words or 20 characters) need the identical title,
  the same year and the same first author.
* **Notices stay apart from articles.** A title that starts with "Erratum", "Correction",
  "Retraction", "Reply", "Comment on" ... is never merged with one that does not.
* **Numbers must agree.** Titles whose numbers differ ("Part 1" / "Part 2", "... 2019" /
  "... 2020", roman numerals II-XII) are different works.
* A title link never makes a cluster span more than one year or two volumes (unless identifiers
  did); a differing issue, first page, ISBN or ISSN costs points (``bibfields.PENALTIES``).

Clustering and merging are deterministic: records are put in a canonical order (source file,
record number, id, title, abstract) first, so shuffled input rows give the same clusters.
The record kept for a cluster (its *representative*) is the one with the best identifiers and
most filled fields; its id is the cluster id and the id of the merged record.

The package: :mod:`~litscope.dedupe.rules` (what may merge), :mod:`~litscope.dedupe.keys`
(matching keys), :mod:`~litscope.dedupe.links` (candidate links), :mod:`~litscope.dedupe.clusters`
(union-find), :mod:`~litscope.dedupe.merge` (one paper per cluster) and
:mod:`~litscope.dedupe.audit` (who matched whom). Every function takes and returns a
:class:`~litscope.corpus.Corpus` (a frame of records is accepted too).

Examples
--------
>>> from litscope.schema import to_frame
>>> a = to_frame([{"title": "Deep learning for protein folding", "year": 2020,
...                "authors": ["Doe, Jane"], "doi": "10.1000/x"}], source_format="ris", source_file="a.ris")
>>> b = to_frame([{"title": "Deep Learning for Protein Foldng.", "year": 2021,
...                "authors": ["Doe, J."], "abstract": "We fold."}], source_format="csv", source_file="b.csv")
>>> import pandas as pd
>>> df = pd.concat([a, b], ignore_index=True)
>>> find_duplicates(df)[["id", "cluster_id", "reason"]].values.tolist()  # doctest: +NORMALIZE_WHITESPACE
[['doi:10.1000/x', 'doi:10.1000/x', ''],
 ['r-48c69e2629', 'doi:10.1000/x', 'title+year+author (score 95)']]
>>> merged = deduplicate(df).papers
>>> merged[["doi", "abstract", "year"]].values.tolist(), merged.loc[0, "merged_from"]
([['10.1000/x', 'We fold.', 2020]], ['a.ris#1', 'b.csv#1'])
"""

from __future__ import annotations

from ..counts import compute_source_counts
from .audit import compute_dedupe_audit, find_duplicates, record_clusters
from .merge import deduplicate, skip_deduplication
from .rules import DEFAULT_THRESHOLD, GENERIC_TITLES

__all__ = ["find_duplicates", "deduplicate", "skip_deduplication", "record_clusters", "compute_dedupe_audit",
           "compute_source_counts", "GENERIC_TITLES", "DEFAULT_THRESHOLD"]
