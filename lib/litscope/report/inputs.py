"""Where a report reads from and writes to: input paths, title, output folder."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Sequence

from .. import paths


def _display_path(path: Any) -> str:
    """A path relative to the project root when it lies inside it, else as given."""
    text = str(path)
    try:
        p = Path(text).resolve()
        return str(p.relative_to(paths.project_root()))
    except (ValueError, OSError, RuntimeError):
        return text


def resolve_inputs(inputs: str | os.PathLike | Sequence[str | os.PathLike]) -> list[str]:
    """Input paths with relative ones resolved against the project root.

    Globs and folders are left for :func:`litscope.load` to expand.

    Examples
    --------
    >>> from litscope import paths
    >>> resolve_inputs("data/samples")[0] == str(paths.project_root() / "data" / "samples")
    True
    """
    if isinstance(inputs, (str, os.PathLike)):
        inputs = [inputs]
    root = paths.project_root()
    out = []
    for item in inputs:
        text = os.path.expanduser(os.fspath(item))
        out.append(text if os.path.isabs(text) else str(root / text))
    return out


def resolve_title(report_title: str, name: str) -> str:
    """The report's title: ``report_title``, or 'Literature review: <name>' when it is empty.

    >>> resolve_title("", "sample"), resolve_title("My review", "x")
    ('Literature review: sample', 'My review')
    """
    return str(report_title).strip() or f"Literature review: {name}"


def resolve_output_dir(output_dir: str | os.PathLike | None, name: str) -> Path:
    """The folder the report's artifacts go to (created): ``output_dir`` or ``reports/<name>``.

    Examples
    --------
    >>> import tempfile
    >>> d = tempfile.mkdtemp()
    >>> resolve_output_dir(d, "x") == Path(d).resolve()
    True
    """
    path = Path(os.path.expanduser(os.fspath(output_dir))) if output_dir else paths.report_dir(name or "review")
    if not path.is_absolute():
        path = paths.project_root() / path
    path.mkdir(parents=True, exist_ok=True)
    return path.resolve()
