"""Metadata that Scopus writes into the note fields of its RIS and BibTeX exports.

Scopus puts the citation count, the export date, the references and the funding into
notes (RIS ``N1``, BibTeX ``note``), each clearly labelled: ``Cited By :12``, ``Export Date:
18 November 2019``, ``References: A; B``, ``Funding details: ...``. Only these labels are
read, and only at the start of a note (a reference may itself contain 'Cited by: 10').

Examples
--------
>>> m = labelled_notes(["Cited By :12", "Export Date: 18 November 2019", "References: A (2001); B (2002)"])
>>> m["cited_by"], m["cited_by_source"], m["cited_by_date"], m["references"]
('12', 'Scopus', '2019-11-18', ['A (2001)', 'B (2002)'])
>>> labelled_notes(["Some remark"])
{}
"""

from __future__ import annotations

import datetime as _dt
import re
from typing import Any, Iterable

__all__ = ["labelled_notes", "export_date"]

_CITED = re.compile(r"^\s*Cited By\s*(?::\s*)?(\d+)", re.I)  # RIS 'Cited By :12', BibTeX 'cited By 12'
_EXPORT_DATE = re.compile(r"\bExport Date:\s*(\d{1,2} [A-Za-z]+ \d{4})")
_LABEL = re.compile(r"^\s*(References|Funding details)\s*:\s*", re.I)


def export_date(text: str) -> str:
    """'18 November 2019' as '2019-11-18' ('' when it is not such a date)."""
    for fmt in ("%d %B %Y", "%d %b %Y"):
        try:
            return _dt.datetime.strptime(text.strip(), fmt).date().isoformat()
        except ValueError:
            continue
    return ""


def labelled_notes(notes: Iterable[str]) -> dict[str, Any]:
    """Raw metadata fields (for :func:`litscope.schema.to_file_records`) from labelled notes."""
    out: dict[str, Any] = {}
    for note in notes:
        label = _LABEL.match(note)
        if label:
            body = note[label.end():]
            if label.group(1).lower() == "references":
                out.setdefault("references", []).extend(p.strip() for p in body.split("; ") if p.strip())
            else:
                out.setdefault("funding", []).append(body.strip())
            continue
        cited = _CITED.match(note)
        if cited and "cited_by" not in out:
            out["cited_by"] = cited.group(1)
            out["cited_by_source"] = "Scopus"  # the label Scopus writes
        date = _EXPORT_DATE.search(note)
        if date and export_date(date.group(1)):
            out["cited_by_date"] = export_date(date.group(1))
    return out
