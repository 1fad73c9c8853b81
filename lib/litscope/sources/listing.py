"""Paper listings pasted from a web page (e.g. a Hugging Face "papers" search).

The text is a few page-header lines, then for each paper a title line, a blank line
and an abstract paragraph. A title line followed by another title line is a paper
without abstract; short lines before the first paper (menus, dates, "Subscribe") are
page chrome and are not records.

Examples
--------
>>> import io
>>> text = b"new\\n\\nSubscribe\\n\\nA Title\\n\\n" + b"An abstract sentence that is long enough. " * 5
>>> read_listing(io.BytesIO(text)).frame["title"].tolist()
['A Title']
"""

from __future__ import annotations

import re
from typing import Any


from ..errors import RecordError
from ..records import FileRecords, SkippedRecord
from ..schema import to_file_records
from ._io import PathOrBuffer, Sample, read_text, source_name

FORMAT = "listing"
EXTENSIONS = (".txt",)

#: A block longer than this (characters) or with several sentences is an abstract.
_ABSTRACT_MIN = 200
_TITLE_MAX = 350
_SENTENCE_END = re.compile(r"[.!?][\"')\]]?\s+[A-Z(]")
_DATE_LINE = re.compile(r"^(?:[A-Z][a-z]{2,8}\.? \d{1,2}(?:, \d{4})?|\d{4}-\d{2}-\d{2})$")
_ARXIV = re.compile(r"arxiv[:/ ]?\s*(\d{4}\.\d{4,5})", re.I)


def _blocks(text: str) -> list[tuple[int, str]]:
    """Blank-line separated blocks with the 1-based line where each starts."""
    blocks, current, start = [], [], 0
    for number, line in enumerate(text.split("\n"), start=1):
        if line.strip():
            if not current:
                start = number
            current.append(line.strip())
        elif current:
            blocks.append((start, " ".join(current)))
            current = []
    if current:
        blocks.append((start, " ".join(current)))
    return blocks


def _is_abstract(block: str) -> bool:
    # Titles may contain one '!' or '?' ("Is Sora a World Simulator? A Survey"); abstracts are
    # long or hold several sentences.
    return len(block) >= _ABSTRACT_MIN or (len(block) > 120 and len(_SENTENCE_END.findall(block)) >= 2)


def _is_title(block: str) -> bool:
    return 3 <= len(block) <= _TITLE_MAX and not _DATE_LINE.match(block)


def sniff(sample: Sample) -> float:
    """Plain text made of short title lines each followed by a long paragraph."""
    text = sample.text
    if not text.strip() or text.lstrip()[:1] in "{[<@%" or re.search(r"^[A-Z][A-Z0-9]  ?- ", text, re.M):
        return 0.0
    blocks = [b for _, b in _blocks(text)]
    pairs = sum(1 for a, b in zip(blocks, blocks[1:]) if _is_title(a) and not _is_abstract(a) and _is_abstract(b))
    if pairs == 0:
        return 0.0
    # Most blocks should belong to title/abstract pairs; tab/comma-heavy text is a table instead.
    if text.count("\t") > len(blocks) or text.count(",") > 20 * max(1, len(blocks)) and "\n\n" not in text:
        return 0.1
    return min(0.6, 0.3 + 0.6 * (2 * pairs) / max(1, len(blocks)))


def read_listing(path: PathOrBuffer, *, encoding: str | None = None, errors: str = "skip") -> FileRecords:
    """Read a pasted paper listing.

    Parameters
    ----------
    path : str, path-like or file-like
        The listing text.
    encoding : str, optional
        Text encoding; detected when omitted.
    errors : {'skip', 'raise'}
        What to do with a block that is neither page chrome, a title nor an abstract
        (an abstract with no title before it): list it as skipped, or raise.

    Returns
    -------
    FileRecords
        Canonical records (``frame``); ``skipped`` lists what could not be read.

    Raises
    ------
    RecordError
        With ``errors='raise'``, for an orphan abstract.
    """
    name = source_name(path)
    text, used = read_text(path, encoding=encoding)
    blocks = _blocks(text)
    records: list[dict[str, Any]] = []
    skipped: list[SkippedRecord] = []
    started = False
    i = 0
    while i < len(blocks):
        line, block = blocks[i]
        nxt = blocks[i + 1][1] if i + 1 < len(blocks) else None
        if _is_title(block) and not _is_abstract(block):
            if nxt is not None and _is_abstract(nxt):
                started = True
                rec = {"title": block, "abstract": nxt, "source_record": len(records) + 1}
                m = _ARXIV.search(nxt)
                if m:
                    rec["arxiv_id"] = m.group(1)
                records.append(rec)
                i += 2
                continue
            if started:  # a paper listed without abstract
                records.append({"title": block, "source_record": len(records) + 1})
            i += 1
            continue
        if _is_abstract(block) and started:
            problem = "a paragraph with no title line before it"
            if errors == "raise":
                raise RecordError(problem, file=name, record=len(records) + 1, line=line)
            skipped.append(SkippedRecord(name, len(records) + 1, line, problem))
        i += 1
    return to_file_records(records, source_format=FORMAT, source_file=name, skipped=skipped, encoding=used)
