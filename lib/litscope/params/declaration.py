"""What a notebook declares: the parameters of its cell tagged ``parameters``, read with Python's parser."""

from __future__ import annotations

import ast
import io
import os
import tokenize
from dataclasses import dataclass
from pathlib import Path

from ..errors import ParameterError


@dataclass(frozen=True)
class NotebookParameter:
    """One parameter declared in a notebook's ``parameters`` cell."""

    name: str
    type: str  # the annotation as written ("int", "list", ...), "" when none
    default: str  # the default's source text
    help: str


def parameters_from_source(source: str, *, where: str = "the parameters cell",
                           annotated_only: bool = False) -> dict[str, NotebookParameter]:
    """The parameters assigned by a parameters cell's source, with their help comments.

    Raises
    ------
    ParameterError
        The source is not valid Python.
    """
    try:
        tree = ast.parse(source)
    except SyntaxError as exc:
        raise ParameterError(f"{where} is not valid Python: {exc.msg} (line {exc.lineno})") from exc
    comments: dict[int, str] = {}
    try:
        for tok in tokenize.generate_tokens(io.StringIO(source).readline):
            if tok.type == tokenize.COMMENT:
                comments[tok.start[0]] = tok.string.lstrip("#").strip()
    except (tokenize.TokenError, IndentationError):
        pass
    found: dict[str, NotebookParameter] = {}
    for node in tree.body:
        if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            targets, annotation = [node.target], ast.get_source_segment(source, node.annotation) or ""
        elif isinstance(node, ast.Assign) and not annotated_only:
            targets = [t for t in node.targets if isinstance(t, ast.Name)]
            annotation = ""
        else:
            continue
        value = ast.get_source_segment(source, node.value) if node.value is not None else ""
        help_text = comments.get(node.end_lineno or node.lineno, "")
        for target in targets:
            found[target.id] = NotebookParameter(target.id, annotation.strip("'\""), value or "",
                                                 help_text)
    return found


def notebook_parameters(notebook: str | os.PathLike) -> dict[str, NotebookParameter]:
    """The parameters declared in the notebook's cell tagged ``parameters``.

    Names, annotations and defaults come from Python's own parser (papermill's
    line-based inspector skips lines with more than one ``=``); help texts are the
    comments at the end of each assignment.

    Raises
    ------
    ParameterError
        The notebook has no ``parameters`` cell, or the cell is not valid Python.
    """
    import nbformat

    path = Path(notebook)
    try:
        nb = nbformat.read(path, as_version=4)
    except FileNotFoundError as exc:
        raise ParameterError(f"{path}: no such notebook") from exc
    except Exception as exc:
        raise ParameterError(f"{path}: not a readable notebook ({exc})") from exc
    cell = next((c for c in nb.cells if c.cell_type == "code"
                 and "parameters" in c.get("metadata", {}).get("tags", [])), None)
    if cell is None:
        raise ParameterError(f"{path}: no code cell is tagged 'parameters'")
    return parameters_from_source(cell.source, where=f"{path}: the parameters cell")
