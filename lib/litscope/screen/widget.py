"""The one-click screening view of ``notebooks/screen.ipynb`` (ipywidgets).

One record at a time, in the session's priority order: title, year, venue, DOI, abstract
(question terms marked), then a reason box and three buttons, Include, Exclude and Maybe.
A click writes the decision to the CSV (:meth:`ScreenSession.decide`) before the next record
is shown. Everything shown from an input is HTML-escaped.

Examples
--------
>>> record_html(pd.Series({"title": "<b>T</b>", "abstract": "About screening.", "year": 2020}), ["screening"])
'<h3>&lt;b&gt;T&lt;/b&gt;</h3><p>2020</p><p>About <mark>screening</mark>.</p>'
"""

from __future__ import annotations

import html
import re
from typing import Any, Sequence

import pandas as pd

from .._optional import import_optional
from ..missing import as_text
from .session import ScreenSession

__all__ = ["record_html", "progress_text", "display_screener"]


def _cell(value: Any) -> str:
    return as_text(value)


def record_html(paper: pd.Series, terms: Sequence[str] = ()) -> str:
    """One record as HTML: title, year/venue/DOI line, abstract with ``terms`` marked."""
    meta = [m for m in (_cell(paper.get("year")), _cell(paper.get("venue")),
                        f"doi:{_cell(paper.get('doi'))}" if _cell(paper.get("doi")) else "") if m]
    abstract = html.escape(_cell(paper.get("abstract")) or "(no abstract)")
    words = sorted({t for t in terms if len(t) > 2}, key=len, reverse=True)
    if words:
        # the terms are stems ("review"): a word starting with one is marked whole ("reviews")
        pattern = re.compile(r"(?<!\w)((?:" + "|".join(re.escape(html.escape(w)) for w in words) + r")\w*)", re.I)
        abstract = pattern.sub(r"<mark>\1</mark>", abstract)
    return (f"<h3>{html.escape(_cell(paper.get('title')) or '(no title)')}</h3>"
            + (f"<p>{html.escape(' · '.join(meta))}</p>" if meta else "") + f"<p>{abstract}</p>")


def progress_text(session: ScreenSession) -> str:
    """``"12 of 150 decided (3 include, 8 exclude, 1 maybe); about 4.2 relevant records remain"``."""
    c = session.counts()
    done = c["include"] + c["exclude"] + c["maybe"]
    text = (f"{done} of {done + c['undecided']} decided ({c['include']} include, {c['exclude']} exclude, "
            f"{c['maybe']} maybe)")
    if session.remaining is not None:
        text += f"; about {session.remaining:.1f} relevant records probably remain"
    return text


def _question_terms(question: str) -> list[str]:
    from ..screening.bm25 import matched_terms

    return matched_terms([question], question)[0] if question else []


def display_screener(session: ScreenSession) -> Any:
    """Show the screening view; returns the widget (a ``VBox``)."""
    widgets = import_optional("ipywidgets", "The screening view", "lab")
    from IPython.display import display

    terms = _question_terms(session.question)
    record = widgets.HTML()
    status = widgets.HTML()
    reason = widgets.Text(placeholder="reason (kept with the decision)", layout=widgets.Layout(width="60%"))
    buttons = {d: widgets.Button(description=d.capitalize(), button_style=style)
               for d, style in (("include", "success"), ("exclude", "danger"), ("maybe", "warning"))}
    current: dict[str, Any] = {"id": None}

    def show() -> None:
        paper = session.next()
        status.value = f"<p>{html.escape(progress_text(session))}</p>"
        if paper is None:
            current["id"] = None
            record.value = "<p><b>Every record has a decision.</b></p>"
            for b in buttons.values():
                b.disabled = True
            return
        current["id"] = str(paper["id"])
        record.value = record_html(paper, terms)
        reason.value = ""

    def on_click(decision: str):
        def handler(_button: Any) -> None:
            if current["id"] is not None:
                session.decide(current["id"], decision, reason=reason.value.strip())
                show()
        return handler

    for decision, button in buttons.items():
        button.on_click(on_click(decision))
    box = widgets.VBox([status, record, reason, widgets.HBox(list(buttons.values()))])
    show()
    display(box)
    return box
