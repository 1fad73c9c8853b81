"""Report names: safe as a folder name, and in a terminal.

A report name becomes ``reports/NAME/`` and, while the run lasts, the temporary
folder ``reports/.NAME.partial-XXXXXXXX``; it is also printed in messages. So it
must be one plain file name that fits the file system with the temporary
suffix, and hold no character that changes how a terminal or a file manager
shows it (newline, escape sequences, right-to-left override...).

Examples
--------
>>> check_name(" llm-agents ")
'llm-agents'
"""

from __future__ import annotations

import os
import unicodedata
from pathlib import Path
from typing import Any

from .errors import ParameterError

__all__ = ["check_name"]

#: Characters ``tempfile.mkdtemp`` adds to the report name for the temporary folder.
_PARTIAL_OVERHEAD = len(".") + len(".partial-") + 8


def _shown(name: str, limit: int = 60) -> str:
    text = repr(name)  # escapes controls and bidi characters: the message stays one clean line
    return text if len(text) <= limit else text[:limit - 3] + "..."


def _name_max(folder: Path | None) -> int:
    """The file-name length limit (bytes) of the file system holding ``folder``."""
    probe = folder
    while probe is not None:
        try:
            return int(os.pathconf(probe, "PC_NAME_MAX"))
        except (OSError, ValueError, AttributeError):
            probe = probe.parent if probe.parent != probe else None
    return 255


def check_name(name: Any, *, reports_dir: str | os.PathLike | None = None) -> str:
    """A report name that is safe as a folder name and in a terminal; stripped.

    Refused: empty names, path separators, a leading ``.``, control characters
    (newline, escape, NUL...), invisible and text-direction characters (right-to-left
    override, zero-width joiner...), and names too long for the temporary folder
    ``.NAME.partial-XXXXXXXX`` to fit the file system's name limit.

    Raises
    ------
    ParameterError
        Saying which character or limit is the problem.

    Examples
    --------
    >>> check_name(" llm-agents ")
    'llm-agents'
    >>> check_name("report\\u202egpj.exe")
    Traceback (most recent call last):
    ...
    litscope.errors.ParameterError: report name 'report\\u202egpj.exe' contains U+202E (RIGHT-TO-LEFT OVERRIDE), a control or text-direction character; use letters, digits, '-', '_' or '.'
    """
    if not isinstance(name, str) or not name.strip():
        raise ParameterError("a report needs a name (--name NAME)")
    name = name.strip()
    # Category C: controls, format (bidi overrides, zero-width), surrogates (undecodable
    # bytes from argv), private and unassigned; Zl/Zp: line and paragraph separators.
    bad = next((c for c in name if unicodedata.category(c)[0] == "C"
                or unicodedata.category(c) in ("Zl", "Zp")), None)
    if bad is not None:
        label = unicodedata.name(bad, "") or unicodedata.category(bad)
        raise ParameterError(f"report name {_shown(name)} contains U+{ord(bad):04X} ({label}), "
                             "a control or text-direction character; use letters, digits, "
                             "'-', '_' or '.'")
    if name in (".", "..") or name.startswith(".") or any(c in name for c in "/\\"):
        raise ParameterError(f"report name {_shown(name)} must be a plain folder name "
                             "(no '/', not starting with '.')")
    limit = _name_max(Path(reports_dir) if reports_dir is not None else None) - _PARTIAL_OVERHEAD
    size = len(name.encode("utf-8"))
    if size > limit:
        raise ParameterError(f"report name is too long: {size} bytes, at most {limit} "
                             f"(the temporary folder .NAME.partial-XXXXXXXX must fit the "
                             f"file-name limit)")
    return name
