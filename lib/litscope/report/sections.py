"""Report sections about the corpus: title and scope, counts, load report, de-duplication,
references and the reproducibility appendix."""

from __future__ import annotations

import datetime as _dt
import platform
from typing import Any, Mapping, Sequence

import numpy as np
import pandas as pd
from markupsafe import Markup

from ..corpus import Corpus
from ..missing import as_text
from .counts import compute_corpus_overview
from .html import CSS, _esc, html_table
from .inputs import _display_path
from .prose import prose
from .provenance import compute_environment, input_hashes
from .references import REFERENCE_ORDER, _year_text


def _input_names(corpus: Corpus, inputs: Sequence[str] | None) -> list[str]:
    if corpus.load_entries:
        return [_display_path(e.file) for e in corpus.load_entries]
    return [_display_path(i) for i in (inputs or [])]


def title_html(report_title: str, *, research_question: str = "", inputs: Sequence[str] | None = None,
               corpus: Corpus, n_topics: int | None = None, generated: str | None = None) -> str:
    """Title (h1) and the Scope section: question, inputs, years covered, what the report contains."""
    merged = corpus.papers
    files = _input_names(corpus, inputs)
    years = pd.to_numeric(pd.Series(merged["year"], dtype="object"), errors="coerce").dropna().astype(int)
    span = prose("scope_years", first=years.min() if len(years) else None,
                 last=years.max() if len(years) else None, dated=len(years), total=len(merged))
    generated = generated or _dt.datetime.now(_dt.timezone.utc).strftime("%d %B %Y")
    parts = [CSS, '<div class="ls-report">', f"<h1>{_esc(report_title)}</h1>",
             prose("scope_generated", generated=as_text(generated)), "<h2>Scope</h2>"]
    if str(research_question or "").strip():
        parts.append(prose("scope_question", question=research_question.strip()))
    parts.append(prose("scope_inputs", files=[as_text(f) for f in files], n_records=len(corpus.records),
                       n_papers=len(merged), years=Markup(span)))
    parts.append(prose("scope_contents", n_topics=int(n_topics) if n_topics else None))
    parts.append("</div>")
    return "".join(parts)


def corpus_overview_html(corpus: Corpus) -> str:
    """Counts table and the load report (with the records not loaded, when any)."""
    ov = compute_corpus_overview(corpus)
    parts = [html_table(ov, {"measure": "Measure", "value": "Count"}, numeric=["value"], narrow=True),
             load_report_html(corpus)]
    return "".join(parts)


def load_report_html(corpus: Corpus) -> str:
    """Records per input file, and every record that could not be loaded with its location and reason."""
    report = corpus.load_report()
    parts = ["<h3>Load report</h3>"]
    if report.empty:
        parts.append(prose("load_report_missing"))
    else:
        rep = report.copy()
        rep["file"] = [_display_path(f) for f in rep["file"]]
        for col in ("format", "records", "skipped", "encoding", "error"):
            if col not in rep:
                rep[col] = ""
        rep["note"] = [str(e) if e else ("" if not s else prose("load_report_skipped_note", n_skipped=int(s)))
                       for e, s in zip(rep["error"], rep["skipped"])]
        parts.append(html_table(rep, {"file": "File", "format": "Format", "encoding": "Encoding",
                                      "records": "Loaded", "skipped": "Not loaded", "note": "Note"},
                                widths={"file": "34%", "format": "11%", "encoding": "10%", "records": "9%",
                                        "skipped": "10%", "note": "26%"},
                                numeric=["records", "skipped"]))
    skipped = corpus.skipped_records()
    if len(skipped):
        skipped = skipped.copy()
        skipped["file"] = [_display_path(f) for f in skipped["file"]]
        for col in ("record", "line"):
            skipped[col] = [_year_text(v) for v in skipped[col]]
        parts.append(prose("load_report_skipped", n_skipped=len(skipped)))
        parts.append(html_table(skipped, {"file": "File", "record": "Record", "line": "Line", "reason": "Reason"},
                                widths={"file": "30%", "record": "9%", "line": "8%", "reason": "53%"},
                                numeric=["record", "line"]))
    else:
        parts.append(prose("load_report_complete"))
    return "".join(parts)


def dedupe_html(corpus: Corpus, source_counts: pd.DataFrame | None = None, max_groups: int = 40) -> str:
    """What de-duplication did: how many records were merged, and which."""
    merged = corpus.papers
    n_dup = len(corpus.records) - len(merged)
    parts = []
    if not corpus.deduplicated:
        # the note is HTML written by litscope (dedupe.skip_deduplication's callers), shown as it is
        parts.append(prose("dedupe_skipped", why=Markup(corpus.dedupe_note or "it was not requested")))
        return "".join(parts)
    parts.append(prose("dedupe_done", n_records=len(corpus.records), n_duplicates=n_dup, n_papers=len(merged)))
    if "merged_from" in merged and n_dup:
        groups = merged[[isinstance(m, (list, tuple, np.ndarray)) and len(m) > 1 for m in merged["merged_from"]]]
        if len(groups):
            def where(entry: Any) -> str:
                file, _, rec = str(entry).rpartition("#")
                return f"{_display_path(file).replace(chr(92), '/').rsplit('/', 1)[-1]} #{rec}"

            table = pd.DataFrame({
                "title": groups["title"].astype(str).to_numpy(),
                "records": [len(m) for m in groups["merged_from"]],
                "from": ["; ".join(where(e) for e in m) for m in groups["merged_from"]],
            }).head(max_groups)
            parts.append(html_table(table, {"title": "Paper kept", "records": "Records",
                                            "from": "Merged records (file #record)"},
                                    widths={"title": "50%", "records": "9%", "from": "41%"}, numeric=["records"]))
            if len(groups) > max_groups:
                parts.append(prose("dedupe_groups_cut", shown=max_groups, total=len(groups)))
    if source_counts is not None and len(source_counts) > 2:  # more than one file (plus the total row)
        sc = source_counts.copy()
        if "source_file" in sc:
            sc["source_file"] = [f if f == "Total" else _display_path(f) for f in sc["source_file"]]
        names = {"source_file": "File", "source_format": "Format", "identified": "Identified",
                 "not_loaded": "Not loaded", "loaded": "Loaded", "duplicates_removed": "Duplicates",
                 "retained": "Retained", "unique": "Only in this file"}
        cols = {c: names.get(c, c.replace("_", " ").capitalize()) for c in sc.columns}
        parts.append(prose("dedupe_by_file"))
        parts.append(html_table(sc, cols, widths={"source_file": "30%"} if "source_file" in cols else None,
                                numeric=[c for c in sc.columns if pd.api.types.is_numeric_dtype(sc[c])]))
    return "".join(parts)


#: Most entries the reference list shows; a 100k corpus's full list was a ~34 MB notebook output.
REFERENCES_LISTED = 5_000


def references_html(refs: pd.DataFrame, limit: int = REFERENCES_LISTED) -> str:
    """The numbered reference list; each entry has the anchor ``ref-N``.

    Above ``limit`` papers only the first ``limit`` entries are listed, with a note that
    papers.csv has every paper under the same number (its ``ref`` column).
    """
    parts = [prose("references_intro", n_papers=len(refs), order=REFERENCE_ORDER)]
    if len(refs) > limit:
        parts.append(f'<p class="ls-note">The list below stops at [{limit:,}] of {len(refs):,} so that the report '
                     "stays small enough to open; papers.csv lists every paper under the same number (column "
                     "ref) with its title, authors, year, venue, DOI and arXiv id.</p>")
        refs = refs.head(limit)
    parts.append('<div class="ls-refs">')
    for r in refs.itertuples():
        parts.append(f'<p class="ls-ref" id="ref-{int(r.ref)}" data-id="{_esc(r.id)}">'
                     f'<span class="ls-refnum">[{int(r.ref)}]</span> {r.citation_html}</p>')
    parts.append("</div>")
    return "".join(parts)


def appendix_html(parameters: Mapping[str, Any], *, files: Sequence[str] | None = None,
                  corpus: Corpus | None = None, timer: Any = None, model: str | None = None,
                  topic_params: Mapping[str, Any] | None = None,
                  environment: pd.DataFrame | None = None) -> str:
    """Parameters, input checksums, package versions, embedding model, seed and stage timings."""
    parts = ["<h3>Parameters</h3>"]
    ptab = pd.DataFrame({"parameter": list(parameters),
                         "value": [v if isinstance(v, str) and v else repr(v) for v in parameters.values()]})
    parts.append(html_table(ptab, {"parameter": "Parameter", "value": "Value"}, widths={"parameter": "25%", "value": "75%"}))
    settings = []
    if model:
        settings.append(("embedding model", model))
    if "seed" in parameters:
        settings.append(("random seed", parameters["seed"]))
    for k, v in (topic_params or {}).items():
        if v is None or k in ("embedding_model", "seed") or not isinstance(
                v, (str, int, float, bool, np.integer, np.floating)):
            continue
        settings.append((f"topic model: {k}", round(float(v), 4) if isinstance(v, (float, np.floating)) else v))
    if settings:
        parts.append("<h3>Models and settings</h3>")
        parts.append(html_table(pd.DataFrame(settings, columns=["setting", "value"]),
                                {"setting": "Setting", "value": "Value"}, narrow=True))
    parts.append("<h3>Input files</h3>")
    if corpus is not None and corpus.load_entries:
        rep = corpus.load_report()
        hashes = pd.DataFrame({"file": [_display_path(f) for f in rep["file"]],
                               "sha256": rep.get("sha256", pd.Series([""] * len(rep)))})
    else:
        hashes = input_hashes(files or [])
    parts.append(html_table(hashes, {"file": "File", "sha256": "SHA-256"}, widths={"file": "40%", "sha256": "60%"}))
    parts.append("<h3>Software</h3>")
    env = environment if environment is not None else compute_environment()
    parts.append(html_table(env, {"package": "Package", "version": "Version"}, narrow=True))
    if timer is not None:
        parts.append("<h3>Stage timings</h3>")
        frame = timer.frame() if hasattr(timer, "frame") else pd.DataFrame(timer)
        frame = frame.assign(seconds=[f"{s:.2f}" for s in frame["seconds"]])
        cols = {"stage": "Stage", "seconds": "Seconds"}
        if "peak_rss_mb" in frame:
            cols["peak_rss_mb"] = "Peak memory (MiB)"
        parts.append(html_table(frame, cols, numeric=["seconds", "peak_rss_mb"], narrow=True))
    parts.append(prose("appendix_generated", when=_dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds"),
                       platform=platform.platform(terse=True)))
    return "".join(parts)
