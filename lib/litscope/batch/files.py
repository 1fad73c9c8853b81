"""Parameters files that define reviews: ``name``, ``inputs`` and any review parameter.

A batch review file is the YAML mapping ``litscope review --params`` reads, holding also
the review's ``name`` and ``inputs``. Relative inputs are taken from the folder of the
file (so a folder of review files and exports can be moved or shared as it is).

Examples
--------
>>> import tempfile
>>> folder = Path(tempfile.mkdtemp())
>>> _ = (folder / "a.yaml").write_text("name: alpha\\ninputs: [refs.ris]\\nn_topics: 4\\n")
>>> spec = read_review_file(folder / "a.yaml")
>>> spec.name, [Path(i).name for i in spec.inputs], spec.params
('alpha', ['refs.ris'], {'n_topics': 4})
>>> [p.name for p in collect_review_files([folder])]
['a.yaml']
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

from ..errors import ParameterError
from ..params import read_params_file

__all__ = ["ReviewSpec", "read_review_file", "collect_review_files", "SUFFIXES"]

#: File endings of review files in a folder.
SUFFIXES = (".yaml", ".yml")


@dataclass(frozen=True)
class ReviewSpec:
    """One review of a batch: its file, name, inputs (absolute) and other parameters."""

    file: Path
    name: str
    inputs: list[str]
    params: dict[str, Any] = field(default_factory=dict)


def read_review_file(path: str | os.PathLike) -> ReviewSpec:
    """Read one review file.

    Raises
    ------
    ParameterError
        The file is unreadable or not a mapping (as ``--params``), has no ``name``, or its
        ``inputs`` are missing or not a list of file names.
    """
    path = Path(path).resolve()
    values = read_params_file(path)
    name = values.pop("name", None)
    if not isinstance(name, str) or not name.strip():
        raise ParameterError(f"{path}: a review file needs 'name: <report name>'")
    inputs = values.pop("inputs", None)
    if isinstance(inputs, str):
        inputs = [inputs]
    if not isinstance(inputs, list) or not inputs or not all(isinstance(i, str) for i in inputs):
        raise ParameterError(f"{path}: a review file needs 'inputs:', a list of files, folders or globs")
    base = path.parent
    absolute = [os.path.normpath(os.path.join(base, os.path.expanduser(i))) for i in inputs]
    return ReviewSpec(file=path, name=name.strip(), inputs=absolute, params=values)


def collect_review_files(items: Iterable[str | os.PathLike]) -> list[Path]:
    """Review files named or found (not recursively) in named folders, in order, once each.

    Raises
    ------
    ParameterError
        A named path does not exist, or a folder holds no ``.yaml``/``.yml`` file.
    """
    found: list[Path] = []
    for item in items:
        path = Path(item)
        if path.is_dir():
            files = sorted(p for p in path.iterdir() if p.suffix.lower() in SUFFIXES and p.is_file())
            if not files:
                raise ParameterError(f"{path}: no review files (*.yaml, *.yml) in this folder")
            found.extend(files)
        elif path.is_file():
            found.append(path)
        else:
            raise ParameterError(f"{path}: no such review file or folder")
    unique: dict[Path, None] = {}
    for p in found:
        unique.setdefault(p.resolve(), None)
    return list(unique)
