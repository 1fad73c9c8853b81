"""Report sections about the topics: overview, one section per topic, unassigned papers."""

from __future__ import annotations

from typing import Any, Mapping, Sequence

import numpy as np
import pandas as pd
from markupsafe import Markup

from ..missing import as_text, is_missing
from .html import _esc, html_table, link_citations
from .prose import prose
from .references import _ref_map, _year_text


def _themes_table(result: Any) -> pd.DataFrame:
    topics = result.topics
    parents = getattr(result, "parents", None)
    rows = []
    if parents is not None and len(parents):
        for p in parents.sort_values(["size", "parent"], ascending=[False, True], kind="stable").itertuples():
            members = topics[topics["parent"] == p.parent].sort_values(["size", "topic"], ascending=[False, True])
            rows.append({"theme": str(p.label), "size": int(p.size),
                         "topics": "; ".join(f"T{int(t.topic)} {t.label} ({int(t.size)})" for t in members.itertuples())})
    return pd.DataFrame(rows, columns=["theme", "size", "topics"])


def _unassigned_count(result: Any) -> int:
    return int((result.papers["topic"].astype(int) == -1).sum())


def topic_overview_html(result: Any) -> str:
    """Topic sizes (text and table) and the broad themes with their sub-topics."""
    topics = result.topics.sort_values(["size", "topic"], ascending=[False, True], kind="stable")
    n = len(result.papers)
    n_un = _unassigned_count(result)
    parts = [prose("topics_overview", n_papers=n, n_topics=len(topics), n_unassigned=n_un,
                   unassigned_percent=100 * n_un / max(n, 1))]
    table = pd.DataFrame({
        "topic": [f'<a href="#topic-{int(t)}">T{int(t)}</a>' for t in topics["topic"]],
        "label": topics["label"].astype(str).to_numpy(),
        "size": topics["size"].astype(int).to_numpy(),
        "share": [f"{100 * float(s):.0f}%" for s in topics["share"]] if "share" in topics
        else [f"{100 * s / max(n, 1):.0f}%" for s in topics["size"]],
        "phrases": [", ".join(map(str, k[:6])) if isinstance(k, (list, tuple, np.ndarray)) else str(k)
                    for k in topics.get("key_phrases", pd.Series([""] * len(topics)))],
        "parent": topics["parent_label"].astype(str).to_numpy() if "parent_label" in topics else "",
    })
    parts.append(html_table(table, {"topic": "Topic", "label": "Label", "size": "Papers", "share": "Share",
                                    "phrases": "Key phrases", "parent": "Broad theme"},
                            widths={"topic": "7%", "label": "24%", "size": "8%", "share": "7%",
                                    "phrases": "34%", "parent": "20%"},
                            html_columns=["topic"], numeric=["size", "share"]))
    themes = _themes_table(result)
    if len(themes) and len(themes) < len(topics):
        parts.append("<h3>Broad themes</h3>")
        parts.append(prose("topics_themes", n_themes=len(themes)))
        parts.append(html_table(themes, {"theme": "Theme", "size": "Papers", "topics": "Sub-topics"},
                                widths={"theme": "28%", "size": "9%", "topics": "63%"}, numeric=["size"]))
    return "".join(parts)


#: Most papers listed in one table of the HTML; a larger topic lists its most confidently
#: assigned papers and points to papers.csv for the rest (a 100,000-paper report would
#: otherwise be a 100 MB page no browser or printer handles).
MAX_TABLE_ROWS = 1000  # re-exported as litscope.report.MAX_TABLE_ROWS; _table_cap reads that one


def _table_cap(ids: Sequence[str], rank: Mapping[str, float] | None, what: str) -> tuple[list[str], str]:
    """At most :data:`MAX_TABLE_ROWS` of ``ids`` (highest ``rank`` first, then list order) and a note.

    >>> _table_cap(["a", "b"], None, "papers")
    (['a', 'b'], '')
    """
    from .. import report  # the limit is read from the package, where tests and users set it

    max_rows = report.MAX_TABLE_ROWS
    ids = list(ids)
    if len(ids) <= max_rows:
        return ids, ""
    order = sorted(range(len(ids)), key=lambda j: (-float((rank or {}).get(ids[j], 0.0) or 0.0), j))
    keep = sorted(order[:max_rows])
    note = prose("table_cut", shown=max_rows, total=len(ids), what=what, ranked=bool(rank))
    return [ids[j] for j in keep], note


def _paper_table(ids: Sequence[str], df: pd.DataFrame, numbers: Mapping[str, int],
                 summaries: Mapping[str, str] | pd.Series | None, confidence: Mapping[str, float] | None,
                 extra: Mapping[str, str] | None = None, extra_name: str = "") -> str:
    by_id = df.set_index("id")
    rows = []
    for i in ids:
        n = numbers.get(str(i))
        rows.append({
            "ref": f'<a href="#ref-{n}">[{n}]</a>' if n else "",
            "_n": n or 10 ** 9,
            "title": str(by_id.at[i, "title"]) if i in by_id.index else str(i),
            "year": _year_text(by_id.at[i, "year"]) if i in by_id.index else "",
            "conf": f"{float(confidence[i]):.2f}" if confidence is not None and i in confidence
            and not is_missing(confidence[i]) else "",
            "summary": str(summaries.get(i, "") or "") if summaries is not None else "",
            "extra": str(extra.get(i, "")) if extra else "",
        })
    table = pd.DataFrame(rows).sort_values("_n", kind="stable") if rows else pd.DataFrame(
        columns=["ref", "_n", "title", "year", "conf", "summary", "extra"])
    cols = {"ref": "Ref.", "title": "Title", "year": "Year"}
    widths = {"ref": "7%", "title": "33%", "year": "6%"}
    if not any(r["year"] for r in rows):  # no year known: an empty column only wastes width
        del cols["year"], widths["year"]
        widths["title"] = "36%"
    if confidence is not None:
        cols["conf"], widths["conf"] = "Conf.", "7%"
    if extra:
        cols["extra"], widths["extra"] = extra_name, "20%"
    cols["summary"] = "Summary"
    widths["summary"] = f"{100 - sum(int(w[:-1]) for w in widths.values())}%"
    return html_table(table, cols, widths=widths, html_columns=["ref"], numeric=["year", "conf"])


def topic_sections_html(result: Any, df: pd.DataFrame, syntheses: pd.DataFrame | None,
                        summaries: Mapping[str, str] | pd.Series | None,
                        refs: pd.DataFrame | Mapping[str, int]) -> str:
    """One ``<section>`` per topic (h2 = label): key phrases, synthesis with linked citations, papers."""
    numbers = _ref_map(refs)
    papers = result.papers
    topics = result.topics.sort_values(["size", "topic"], ascending=[False, True], kind="stable")
    n_all = len(papers)
    synth = syntheses.set_index("topic") if syntheses is not None and len(syntheses) else None
    conf = dict(zip(papers["id"], papers["confidence"])) if "confidence" in papers else None
    parts = []
    for t in topics.to_dict("records"):
        k = int(t["topic"])
        members = papers[papers["topic"].astype(int) == k]
        member_refs = {numbers[i] for i in members["id"] if i in numbers}
        parts.append(f'<section class="ls-topic" id="topic-{k}" data-topic="{k}">')
        parts.append(f"<h2>T{k}. {_esc(t['label'])}</h2>")
        parent = t.get("parent_label")
        mc = t.get("mean_confidence")
        parts.append(prose("topic_meta", size=int(t["size"]), percent=100 * int(t["size"]) / max(n_all, 1),
                           parent=as_text(parent) if parent and str(parent) != str(t["label"]) else None,
                           mean_confidence=None if is_missing(mc) else float(mc)))
        phrases = t.get("key_phrases")
        if isinstance(phrases, (list, tuple, np.ndarray)) and len(phrases):
            parts.append(prose("topic_key_phrases", phrases=[as_text(p) for p in phrases]))
        if synth is not None and k in synth.index:
            s = synth.loc[k]
            text = s["synthesis"] if "synthesis" in s else ""
            parts.append(prose("topic_synthesis", synthesis=Markup(link_citations(text, member_refs))))
            parts.append(prose("topic_synthesis_note", **{
                what: float(s[what]) if what in s and not is_missing(s[what]) else None
                for what in ("coverage", "redundancy")}))
        shown, cap_note = _table_cap(members["id"], conf, "papers of this topic")
        parts.append(cap_note + _paper_table(shown, df, numbers, summaries, conf))
        parts.append("</section>")
    return "".join(parts)


def unassigned_html(result: Any, df: pd.DataFrame, summaries: Mapping[str, str] | pd.Series | None,
                    refs: pd.DataFrame | Mapping[str, int]) -> str:
    """Papers no topic claimed, with the reason the topic model gives."""
    numbers = _ref_map(refs)
    ids = list(result.papers.loc[result.papers["topic"].astype(int) == -1, "id"])
    if not ids:
        return prose("unassigned_none")
    un = getattr(result, "unassigned", None)
    reasons: dict[str, str] = {}
    if un is not None and len(un):
        col = next((c for c in ("reason", "why", "explanation") if c in un.columns), None)
        if col:
            reasons = {str(i): str(r) for i, r in zip(un["id"], un[col])}
    text = prose("unassigned", n_unassigned=len(ids), percent=100 * len(ids) / max(len(result.papers), 1))
    conf = dict(zip(result.papers["id"], result.papers["confidence"])) if "confidence" in result.papers else None
    shown, cap_note = _table_cap(ids, None, "unassigned papers")
    return text + cap_note + _paper_table(shown, df, numbers, summaries, None if reasons else conf,
                               extra=reasons or None, extra_name="Why unassigned")
