"""arXiv API responses (Atom XML feeds from ``export.arxiv.org/api/query``).

Each ``<entry>`` is a paper: its ``id`` (the abs URL) gives the arXiv id without version,
``published`` the year, the ``category`` terms the keywords, and ``arxiv:doi`` /
``arxiv:journal_ref`` the DOI and venue. The API reports errors as a feed whose single
entry is titled "Error" with an ``api/errors`` id; that raises
:class:`~litscope.errors.FeedError` with the API's message. A feed with no entries
(``opensearch:totalResults`` 0) is an empty result, not an error.

XML is parsed safely and record by record (see :mod:`litscope.sources._xml`): a broken entry
is listed and the entries after it still load.

Examples
--------
>>> import io
>>> feed = (b'<feed xmlns="http://www.w3.org/2005/Atom" xmlns:arxiv="http://arxiv.org/schemas/atom">'
...         b'<entry><id>http://arxiv.org/abs/2403.01234v2</id><title>A\\n  title</title>'
...         b'<summary>Text.</summary><published>2024-03-02T00:00:00Z</published>'
...         b'<author><name>Jane Doe</name></author><category term="cs.CL"/></entry></feed>')
>>> df = read_arxiv(io.BytesIO(feed)).frame
>>> df.loc[0, ["title", "arxiv_id", "venue"]].tolist(), df.loc[0, "authors"], int(df.loc[0, "year"])
(['A title', '2403.01234', 'arXiv'], ['Doe, Jane'], 2024)
"""

from __future__ import annotations

import re
from typing import Any
from xml.etree.ElementTree import Element


from ..errors import FeedError, InputError, RecordError
from ..records import FileRecords, SkippedRecord, as_notes
from ..schema import clean_text, to_file_records
from ._io import PathOrBuffer, Sample, source_name
from ._xml import Bad, element_text, local_name, root_element_name, xml_bytes, xml_records

FORMAT = "arxiv"
EXTENSIONS = (".atom", ".atom.xml", ".xml")

ATOM = "{http://www.w3.org/2005/Atom}"
ARXIV = "{http://arxiv.org/schemas/atom}"
OPENSEARCH = "{http://a9.com/-/spec/opensearch/1.1/}"


def sniff(sample: Sample) -> float:
    """An Atom ``<feed>`` that uses the arXiv namespace."""
    text = sample.text.lstrip()
    if not text.startswith("<"):
        return 0.0
    root = root_element_name(text)
    if local_name(root.replace(":", "}")) != "feed":
        return 0.0
    head = text[:8192]
    if "http://arxiv.org/schemas/atom" in head:
        return 0.95
    if "http://www.w3.org/2005/Atom" in head and "arxiv.org" in text:
        return 0.6
    return 0.0


class _ApiError:
    """An API error entry found among the entries (its message)."""

    def __init__(self, message: str) -> None:
        self.message = message


def _is_error_entry(entry: Element) -> bool:
    entry_id = element_text(entry.find(f"{ATOM}id"))
    title = element_text(entry.find(f"{ATOM}title"))
    return "api/errors" in entry_id or title == "Error"


def _entry(entry: Element) -> dict[str, Any]:
    entry_id = element_text(entry.find(f"{ATOM}id"))
    url = ""
    for link in entry.findall(f"{ATOM}link"):
        if link.get("rel", "alternate") == "alternate" and link.get("href"):
            url = link.get("href", "")
            break
    keywords = []
    primary = entry.find(f"{ARXIV}primary_category")
    if primary is not None and primary.get("term"):
        keywords.append(primary.get("term"))
    keywords += [c.get("term") for c in entry.findall(f"{ATOM}category") if c.get("term")]
    journal_ref = element_text(entry.find(f"{ARXIV}journal_ref"))
    return {
        "title": element_text(entry.find(f"{ATOM}title")),
        "abstract": element_text(entry.find(f"{ATOM}summary")),
        "authors": [element_text(a.find(f"{ATOM}name")) for a in entry.findall(f"{ATOM}author")],
        "year": element_text(entry.find(f"{ATOM}published")) or element_text(entry.find(f"{ATOM}updated")),
        "venue": journal_ref or "arXiv",
        "doi": element_text(entry.find(f"{ARXIV}doi")),
        "arxiv_id": entry_id if "arxiv.org/abs/" in entry_id else "",
        "url": url or entry_id,
        "keywords": keywords,
    }


def read_arxiv(path: PathOrBuffer, *, encoding: str | None = None, errors: str = "skip") -> FileRecords:
    """Read an arXiv API Atom feed.

    Parameters
    ----------
    path : str, path-like or binary file-like
        The saved API response.
    encoding : str, optional
        Override the encoding the XML declares.
    errors : {'skip', 'raise'}
        An entry with neither title nor summary, or the damage in a truncated feed:
        list it in ``skipped`` or raise.

    Returns
    -------
    FileRecords
        Canonical records (``frame``); ``details["total_results"]`` is the feed's
        ``opensearch:totalResults`` (None when absent).

    Raises
    ------
    FeedError
        The feed is an arXiv API error response.
    InputError
        The file is not an Atom feed, or is unsafe or malformed XML.
    RecordError
        With ``errors='raise'``, for the first bad entry.
    """
    name = source_name(path)
    data, used = xml_bytes(path, encoding)

    def on_root(root: Element) -> None:
        if root.tag != f"{ATOM}feed":
            raise InputError(f"not an Atom feed (root element <{local_name(root.tag)}>)", file=name)

    def on_record(entry: Element) -> Any:
        if _is_error_entry(entry):
            return _ApiError(element_text(entry.find(f"{ATOM}summary")) or "unspecified error")
        rec = _entry(entry)
        if not (clean_text(rec["title"]).rstrip(" .") or clean_text(rec["abstract"])):
            return Bad("entry has neither title nor summary")
        return rec

    result = xml_records(data, name, record_tags={"entry"}, on_root=on_root, on_record=on_record, errors=errors)
    records: list[dict[str, Any]] = []
    errors_reported: list[tuple[int, int | None, str]] = []
    for number, line, value in result.items:
        if isinstance(value, _ApiError):
            errors_reported.append((number, line, value.message))
        else:
            value["source_record"] = number
            records.append(value)
    if errors_reported and not records:
        raise FeedError(f"arXiv API error: {'; '.join(m for _, _, m in errors_reported)}", file=name)
    skipped = list(result.skipped)
    for number, line, message in errors_reported:  # an error entry among real ones: keep the real ones, list it
        if errors == "raise":
            raise RecordError(f"arXiv API error entry: {message}", file=name, record=number, line=line)
        skipped.append(SkippedRecord(name, number, line, f"arXiv API error entry: {message}"))
    total = None
    if result.root is not None:
        m = re.fullmatch(r"\d+", element_text(result.root.find(f"{OPENSEARCH}totalResults")))
        total = int(m.group(0)) if m else None
    return to_file_records(records, source_format=FORMAT, source_file=name, skipped=skipped,
                           notes=as_notes(result.notes, name), encoding=used, details={"total_results": total})
