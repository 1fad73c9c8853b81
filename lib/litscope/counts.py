"""Record counts of a corpus, computed once: per input file and in total.

The corpus overview (:func:`litscope.report.compute_corpus_overview`), the PRISMA counts
(:func:`litscope.prisma.compute_prisma_identification`) and the per-file table of the
de-duplication section (:func:`compute_source_counts`) all read :func:`compute_record_counts`,
so their numbers always agree: identified = loaded + not loaded, and
loaded = duplicates removed + papers.

Examples
--------
>>> import pandas as pd
>>> from litscope.schema import to_frame
>>> from litscope.corpus import concat, Corpus
>>> from litscope.dedupe import deduplicate
>>> a = to_frame([{"title": "T1", "doi": "10.1000/1"}, {"title": "T2", "doi": "10.1000/2"}],
...              source_format="ris", source_file="a.ris")
>>> b = to_frame([{"title": "T1", "doi": "10.1000/1"}], source_format="csv", source_file="b.csv")
>>> counts = compute_record_counts(deduplicate(concat([Corpus.from_frame(a), Corpus.from_frame(b)])))
>>> counts.identified, counts.loaded, counts.duplicates, counts.papers
(3, 3, 1, 2)
>>> compute_source_counts(deduplicate(concat([Corpus.from_frame(a), Corpus.from_frame(b)])))[
...     ["source_file", "identified", "duplicates_removed", "unique"]].values.tolist()
[['a.ris', 2, 0, 1], ['b.csv', 1, 1, 0], ['Total', 3, 1, 1]]
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
import pandas as pd

from .corpus import Corpus, as_corpus, record_key, split_record_key
from .errors import ParameterError
from .missing import as_text as _text

__all__ = ["SourceCount", "RecordCounts", "compute_record_counts", "compute_source_counts"]

SOURCE_COUNT_COLUMNS = ["source_file", "source_format", "identified", "not_loaded", "loaded",
                        "duplicates_removed", "retained", "unique"]


@dataclass(frozen=True)
class SourceCount:
    """The records of one input file: loaded, not loaded, merged into others, found only there."""

    file: str
    format: str
    loaded: int
    not_loaded: int
    duplicates_removed: int
    unique: int

    @property
    def identified(self) -> int:
        return self.loaded + self.not_loaded

    @property
    def retained(self) -> int:
        return self.loaded - self.duplicates_removed


@dataclass(frozen=True)
class RecordCounts:
    """How many records a corpus read, lost, merged and kept (``sources`` sorted by file)."""

    input_files: int
    loaded: int
    not_loaded: int
    papers: int
    sources: tuple[SourceCount, ...]

    @property
    def identified(self) -> int:
        return self.loaded + self.not_loaded

    @property
    def duplicates(self) -> int:
        return self.loaded - self.papers


def compute_record_counts(corpus: Corpus | pd.DataFrame) -> RecordCounts:
    """Counts of a corpus, per input file and in total.

    Raises
    ------
    ParameterError
        When the papers cannot come from the records (more papers than records, or their
        ``merged_from`` lists do not account for every record).
    """
    corpus = as_corpus(corpus)
    records, papers = corpus.records, corpus.papers
    if len(papers) > len(records):
        raise ParameterError(f"the corpus has more papers ({len(papers)}) than records ({len(records)})")
    if "merged_from" in papers.columns:
        accounted = int(sum(len(m) for m in papers["merged_from"]))
        if accounted != len(records):
            raise ParameterError(f"merged_from lists {accounted} records but the corpus has {len(records)}")
    loaded = Counter(_text(f) for f in records["source_file"])
    formats: dict[str, str] = {}
    for f, fmt in zip(records["source_file"], records.get("source_format", [""] * len(records))):
        formats.setdefault(_text(f), _text(fmt))
    not_loaded = Counter(_text(s.file) for s in corpus.skipped)
    removed: Counter[str] = Counter()
    unique: Counter[str] = Counter()
    members_of = (papers["merged_from"] if "merged_from" in papers.columns
                  else [[record_key(f, r)] for f, r in zip(papers["source_file"], papers["source_record"])])
    for kept_file, kept_record, members in zip(papers["source_file"], papers["source_record"], members_of):
        kept = record_key(_text(kept_file), kept_record)
        files = [split_record_key(m)[0] for m in members]
        dropped_kept = False
        for m, f in zip(members, files):
            if m == kept and not dropped_kept:
                dropped_kept = True
                continue
            removed[f] += 1
        if len(set(files)) == 1:
            unique[files[0]] += 1
    sources = tuple(SourceCount(f, formats.get(f, ""), loaded[f], not_loaded[f], removed[f], unique[f])
                    for f in sorted(set(loaded) | set(not_loaded) | set(removed)))
    n_files = len(corpus.load_entries) or (records["source_file"].nunique() if "source_file" in records else 0)
    return RecordCounts(input_files=n_files, loaded=len(records), not_loaded=len(corpus.skipped),
                        papers=len(papers), sources=sources)


def compute_source_counts(corpus: Corpus | pd.DataFrame) -> pd.DataFrame:
    """Per source file: records identified, duplicates removed, records found only there.

    Parameters
    ----------
    corpus : Corpus
        A corpus returned by :func:`litscope.dedupe.deduplicate`.

    Returns
    -------
    pandas.DataFrame
        Columns ``source_file``, ``source_format``, ``identified`` (loaded + not loaded),
        ``not_loaded``, ``loaded``, ``duplicates_removed`` (records of this file merged into a
        record kept from this or another file), ``retained`` (loaded - duplicates_removed),
        ``unique`` (papers found only in this file), then a ``'Total'`` row.
    """
    counts = compute_record_counts(corpus)
    rows = [{"source_file": s.file, "source_format": s.format, "identified": s.identified,
             "not_loaded": s.not_loaded, "loaded": s.loaded, "duplicates_removed": s.duplicates_removed,
             "retained": s.retained, "unique": s.unique} for s in counts.sources]
    out = pd.DataFrame(rows, columns=SOURCE_COUNT_COLUMNS)
    total = {c: int(out[c].sum()) for c in SOURCE_COUNT_COLUMNS[2:]}
    out = pd.concat([out, pd.DataFrame([{"source_file": "Total", "source_format": "", **total}])],
                    ignore_index=True)
    for c in SOURCE_COUNT_COLUMNS[2:]:
        out[c] = out[c].astype("int64")
    return out
