"""What a run keeps so that a later run can say what changed: ``output_dir/snapshot/``.

:func:`write_run_snapshot` writes, beside ``papers.csv`` and ``topics.csv``:

======================  =================================================================
``snapshot/run.json``   name, when the run finished (UTC), inputs, counts, litscope version
``snapshot/papers.json`` one entry per paper: id, title, year, doi, topic, topic label,
                        source files, and a title key (matches a paper whose id changed)
``snapshot/records.json`` every input record's id -> the paper it was merged into, and its file
``snapshot/topics.json`` topic id, label, size
``snapshot/centroids.npy`` the topics' mean embeddings (unit rows, in the order of topics.json)
======================  =================================================================

JSON rather than CSV: these files are read by litscope, never opened in a spreadsheet,
and JSON keeps titles exactly. :func:`read_run_snapshot` reads a run folder back (a report
folder or one of its ``history/DATE`` folders).

Examples
--------
>>> import tempfile, numpy as np, pandas as pd
>>> out = Path(tempfile.mkdtemp())
>>> papers = pd.DataFrame({"id": ["doi:10.1/a", "doi:10.1/b"], "title": ["A", "B"],
...                        "year": pd.array([2020, 2021], dtype="Int64"), "topic": [0, -1],
...                        "source_file": ["x.ris", "x.ris"]})
>>> topics = pd.DataFrame({"topic": [0], "label": ["Alpha"], "size": [1]})
>>> _ = write_run_snapshot(out, papers, topics, embeddings=np.eye(2, dtype="float32"),
...                        name="demo", inputs=["x.ris"], finished="2026-01-02T03:04:05+00:00")
>>> run = read_run_snapshot(out)
>>> run.name, run.finished, run.papers["topic"].tolist(), run.centroids.shape
('demo', '2026-01-02T03:04:05+00:00', [0, -1], (1, 2))
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Iterable, Sequence

import numpy as np
import pandas as pd

from ..errors import InputError
from ..schema import normalize_title_key

__all__ = ["SNAPSHOT_DIR", "RunSnapshot", "write_run_snapshot", "read_run_snapshot",
           "compute_centroids"]

#: Folder of the snapshot inside a run's output folder.
SNAPSHOT_DIR = "snapshot"
_PAPER_FIELDS = ["id", "title", "year", "doi", "topic", "topic_label", "source_files", "title_key"]


@dataclass
class RunSnapshot:
    """One run, as read back by :func:`read_run_snapshot`.

    Attributes
    ----------
    folder : Path
        The run folder (``reports/NAME`` or ``reports/NAME/history/DATE``).
    name, finished : str
        Report name; when the run finished (ISO 8601, UTC).
    inputs : list of str
        The input files and patterns of the run.
    papers : pandas.DataFrame
        Columns ``id, title, year, doi, topic, topic_label, source_files, title_key``.
    records : pandas.DataFrame
        Columns ``id, paper_id, source_file``: every record read, with the paper it became.
    topics : pandas.DataFrame
        Columns ``topic, label, size``.
    centroids : numpy.ndarray or None
        One unit row per topic (order of ``topics``); None when the run kept none.
    """

    folder: Path
    name: str
    finished: str
    inputs: list[str]
    papers: pd.DataFrame
    records: pd.DataFrame
    topics: pd.DataFrame
    centroids: np.ndarray | None = None
    extra: dict[str, Any] = field(default_factory=dict)


def _now() -> str:
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat()


def _files_of(row: Any, merged_from: Any) -> list[str]:
    files: list[str] = []
    if isinstance(merged_from, (list, tuple)):  # dedupe's "file#record" provenance
        files = [str(p).rsplit("#", 1)[0] for p in merged_from]
    if not files and isinstance(row, str) and row:
        files = [row]
    return sorted(set(files))


def compute_centroids(topic_of_paper: Sequence[int], embeddings: np.ndarray,
                      topics: Iterable[int]) -> np.ndarray:
    """Unit-length mean embedding of each topic in ``topics`` (zeros for an empty topic).

    >>> compute_centroids([0, 0, 1], np.array([[1., 0.], [1., 0.], [0., 2.]]), [0, 1]).tolist()
    [[1.0, 0.0], [0.0, 1.0]]
    """
    emb = np.asarray(embeddings)  # not a float64 copy of the whole matrix (300 MB at 100k papers)
    labels = np.asarray(list(topic_of_paper))
    rows = []
    for topic in topics:
        members = emb[labels == topic].astype(np.float64)  # one topic's rows, summed in float64
        mean = members.mean(axis=0) if len(members) else np.zeros(emb.shape[1])
        norm = np.linalg.norm(mean)
        rows.append(mean / norm if norm > 0 else mean)
    return np.asarray(rows, dtype=np.float32).reshape(len(rows), emb.shape[1] if emb.ndim == 2 else 0)


def write_run_snapshot(output_dir: str | os.PathLike, papers: pd.DataFrame, topics: pd.DataFrame, *,
                       embeddings: np.ndarray | None = None, records: pd.DataFrame | None = None,
                       name: str = "", inputs: Sequence[str] = (), finished: str | None = None,
                       extra: dict[str, Any] | None = None) -> Path:
    """Write ``output_dir/snapshot/`` (see the module docstring); the folder written.

    Parameters
    ----------
    papers : pandas.DataFrame
        One row per paper with ``id`` and ``topic`` (-1 unassigned); ``title``, ``year``,
        ``doi``, ``topic_label``, ``source_file`` and ``merged_from`` are used when present
        (e.g. the merged corpus joined with ``TopicResult.papers``).
    topics : pandas.DataFrame
        ``topic`` and ``label`` (``size`` is counted from ``papers`` when missing).
    embeddings : numpy.ndarray, optional
        One row per paper, in the order of ``papers``: the topic centroids are their means.
    records : pandas.DataFrame, optional
        Every input record with ``id`` and the paper it became, ``cluster_id`` (as from
        :func:`litscope.dedupe.find_duplicates`), and ``source_file``. Lets a later run say
        "merged as a duplicate" rather than "removed".
    finished : str, optional
        ISO time of the run (default: now, UTC).
    """
    folder = Path(output_dir) / SNAPSHOT_DIR
    folder.mkdir(parents=True, exist_ok=True)
    n = len(papers)

    def col(name: str, default: Any = "") -> list[Any]:
        return papers[name].tolist() if name in papers.columns else [default] * n

    labels = dict(zip(topics["topic"].astype(int), topics["label"].astype(str))) if len(topics) else {}
    topic_ids = [int(t) for t in col("topic", -1)]
    rows = []
    for pid, title, year, doi, topic, src, merged in zip(col("id"), col("title"), col("year", None),
                                                          col("doi"), topic_ids, col("source_file"),
                                                          col("merged_from", None)):
        year = None if year is None or pd.isna(year) else int(year)
        rows.append({"id": str(pid), "title": str(title or ""), "year": year, "doi": str(doi or ""),
                     "topic": topic, "topic_label": labels.get(topic, "unassigned" if topic == -1 else ""),
                     "source_files": _files_of(src, merged),
                     "title_key": normalize_title_key(str(title or ""))})
    sizes = pd.Series(topic_ids, dtype="int64").value_counts()
    topic_rows = [{"topic": int(t), "label": labels[t], "size": int(sizes.get(t, 0))} for t in labels]
    if records is not None and len(records):
        paper_col = "cluster_id" if "cluster_id" in records.columns else "id"
        record_rows = [{"id": str(i), "paper_id": str(p), "source_file": str(f)}
                       for i, p, f in zip(records["id"], records[paper_col],
                                          records.get("source_file", pd.Series([""] * len(records))))]
    else:
        record_rows = [{"id": r["id"], "paper_id": r["id"], "source_file": f}
                       for r in rows for f in (r["source_files"] or [""])]
    run = {"name": name, "finished": finished or _now(), "inputs": [str(i) for i in inputs],
           "n_papers": n, "n_topics": len(topic_rows), **(extra or {})}
    for file, data in (("run.json", run), ("papers.json", rows), ("records.json", record_rows),
                       ("topics.json", topic_rows)):
        with open(folder / file, "w", encoding="utf-8") as stream:
            # streamed: json.dumps would hold every piece of the text, then the whole text
            json.dump(data, stream, ensure_ascii=False, indent=1)
    if embeddings is not None and len(topic_rows):
        centroids = compute_centroids(topic_ids, embeddings, [r["topic"] for r in topic_rows])
        np.save(folder / "centroids.npy", centroids, allow_pickle=False)
    elif (folder / "centroids.npy").exists():
        (folder / "centroids.npy").unlink()
    return folder


def _read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise InputError("this run kept no snapshot (written by litscope.living.write_run_snapshot); "
                         "it cannot be compared", file=path.parent) from exc
    except (OSError, ValueError) as exc:
        raise InputError(f"unreadable run snapshot ({exc})", file=path) from exc


def read_run_snapshot(run_folder: str | os.PathLike) -> RunSnapshot:
    """Read a run's snapshot from its folder (``reports/NAME`` or ``.../history/DATE``).

    Raises
    ------
    InputError
        The folder has no snapshot, or a file of it is not readable JSON.
    """
    root = Path(run_folder)
    folder = root / SNAPSHOT_DIR
    run = _read_json(folder / "run.json")
    papers = pd.DataFrame(_read_json(folder / "papers.json"), columns=_PAPER_FIELDS)
    papers["year"] = pd.array([None if pd.isna(y) else int(y) for y in papers["year"]], dtype="Int64")
    papers["topic"] = papers["topic"].astype("int64")
    records = pd.DataFrame(_read_json(folder / "records.json"), columns=["id", "paper_id", "source_file"])
    topics = pd.DataFrame(_read_json(folder / "topics.json"), columns=["topic", "label", "size"])
    centroids = None
    if (folder / "centroids.npy").is_file():
        try:
            centroids = np.load(folder / "centroids.npy", allow_pickle=False)
        except (OSError, ValueError) as exc:
            raise InputError(f"unreadable topic centroids ({exc})", file=folder / "centroids.npy") from exc
    known = {"name", "finished", "inputs"}
    return RunSnapshot(folder=root, name=str(run.get("name", "")), finished=str(run.get("finished", "")),
                       inputs=list(run.get("inputs", [])), papers=papers, records=records, topics=topics,
                       centroids=centroids, extra={k: v for k, v in run.items() if k not in known})
