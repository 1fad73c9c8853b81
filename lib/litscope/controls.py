"""Control characters in record fields: removed once, at load time, and counted for the notes.

Exports carry NUL bytes (damaged files, UTF-16 read as 8-bit), BEL and backspace characters,
and ANSI terminal escapes (``ESC[31m``) pasted from a terminal. They are invisible in the
report, can corrupt a terminal that prints them, and break the BibTeX/RIS/CSV exports, so
:func:`litscope.schema.to_file_records` removes them from every raw field (through
:func:`scrub_record`) before normalising, and lists how many it removed in
the ``notes`` of the reader's :class:`~litscope.records.FileRecords`.

Removed: C0 controls except tab, newline and carriage return (ordinary whitespace, collapsed
as usual), DEL, C1 controls (U+0080-U+009F), and whole ANSI escape sequences (CSI such as
``ESC[1;31m``, OSC such as ``ESC]0;title BEL``, and two-character escapes), each sequence
counted as one.

Examples
--------
>>> strip_controls("A\\x00 red\\x07 \\x1b[31mword\\x1b[0m")
('A red word', 4)
>>> scrub_record({"title": "T\\x07", "authors": ["Doe\\x00, J"], "year": 2020})
({'title': 'T', 'authors': ['Doe, J'], 'year': 2020}, {'title': 1, 'authors': 1})
"""

from __future__ import annotations

import re
from typing import Any, Mapping

__all__ = ["CONTROL_CHAR", "strip_controls", "scrub_record", "removal_note"]

# Escape sequences first (so their parameters go with them), then single control characters.
# Every branch starts with a literal control character (so the engine skips plain text fast)
# and its repeats are bounded: linear time.
_CSI = "[0-?]{0,64}[ -/]{0,8}[@-~]"                               # params, intermediates, final
_OSC = "[^\x07\x1b\x9c\n]{0,512}(?:\x07|\x1b\\\\|\x9c)"          # text, then BEL or ST
_CONTROLS = re.compile(
    f"\x1b(?:\\[{_CSI}|\\]{_OSC}|[ -/]{{0,4}}[0-~])?"               # ESC [ ..., ESC ] ..., ESC c
    f"|\x9b{_CSI}|\x9d{_OSC}"                                     # 8-bit CSI and OSC
    "|[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")                       # any other control character
_PLAIN = (int, float, bool, type(None))
_ANY = CONTROL_CHAR = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def strip_controls(text: str) -> tuple[str, int]:
    """``text`` without control characters and ANSI escapes, and how many were removed.

    >>> strip_controls("tab\\tand newline\\n stay")
    ('tab\\tand newline\\n stay', 0)
    """
    if not _ANY.search(text):  # the common case: nothing to do, one scan
        return text, 0
    return _CONTROLS.subn("", text)


def _scrub(value: Any) -> tuple[Any, int]:
    if isinstance(value, str):
        return strip_controls(value)
    if isinstance(value, (list, tuple)):
        items, total = [], 0
        for item in value:
            clean, n = _scrub(item)
            items.append(clean)
            total += n
        return (items if isinstance(value, list) else tuple(items)), total
    if isinstance(value, Mapping):  # author dicts {'family': ..., 'given': ...}
        out, total = {}, 0
        for key, item in value.items():
            out[key], n = _scrub(item)
            total += n
        return out, total
    return value, 0


def scrub_record(raw: Mapping[str, Any]) -> tuple[Mapping[str, Any], dict[str, int]]:
    """The record with control characters removed (``raw`` itself when it has none), and the
    count per field.

    Strings, lists of strings and author dicts are cleaned; other values are kept as they are.
    Fields with nothing removed are not in the counts.
    """
    out: dict[str, Any] | None = None
    counts: dict[str, int] = {}
    for key, value in raw.items():
        kind = type(value)  # exact types first: this runs for every field of every record
        if kind is str:
            if not _ANY.search(value):  # the common case, checked without copying anything
                continue
        elif kind is list or kind is tuple:
            if all(type(v) is str and not _ANY.search(v) for v in value):
                continue
        elif kind in _PLAIN or not isinstance(value, Mapping):
            continue
        clean, n = _scrub(value)
        if n:
            out = dict(raw) if out is None else out
            out[key] = clean
            counts[key] = n
    return (raw if out is None else out), counts


def removal_note(counts: Mapping[str, int]) -> str:
    """The load note for one record's removals.

    >>> removal_note({"title": 3})
    'removed 3 control characters from title'
    >>> removal_note({"title": 1, "abstract": 2})
    'removed 3 control characters from title (1), abstract (2)'
    """
    total = sum(counts.values())
    noun = "control character" if total == 1 else "control characters"
    if len(counts) == 1:
        return f"removed {total} {noun} from {next(iter(counts))}"
    return f"removed {total} {noun} from " + ", ".join(f"{k} ({v})" for k, v in counts.items())
