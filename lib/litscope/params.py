"""Review parameters: declared by the notebook, checked by one function.

The notebook's cell tagged ``parameters`` declares every parameter as
``name: type = default  # help`` (:func:`notebook_parameters` reads it with Python's
own parser). :func:`validate` is the single check of a set of values against that
declaration: unknown names, types, then the ranges and choices of :data:`RULES`.
``litscope review`` calls it (through :func:`resolve_parameters`) before anything
is loaded or embedded, and the notebook calls it in its first cell after the
parameters (:func:`check_notebook`), so a run by plain papermill or in JupyterLab
refuses the same values with the same message.

Examples
--------
>>> known = {"n_topics": NotebookParameter("n_topics", "int", "0", ""),
...          "inputs": NotebookParameter("inputs", "list", "[]", "")}
>>> resolve_parameters(known, params=dict([parse_param("n_topics=8"),
...                                        parse_param("inputs=[a.ris, b.bib]")]))
{'n_topics': 8, 'inputs': ['a.ris', 'b.bib']}
>>> validate({"n_topics": -1}, known)
Traceback (most recent call last):
...
litscope.errors.ParameterError: parameter 'n_topics' must be between 0 and 10000, got -1
"""

from __future__ import annotations

import ast
import io
import os
import re
import tokenize
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterable, Mapping, MutableMapping

from .errors import ParameterError
from .names import check_name

__all__ = ["NotebookParameter", "ParamText", "RULES", "check_name", "check_notebook",
           "notebook_parameters", "parameters_from_source", "parse_param", "read_params_file",
           "resolve_parameters", "validate"]

#: Largest parameters file read (a YAML mapping of a few names needs far less).
MAX_PARAMS_FILE = 1 << 20


@dataclass(frozen=True)
class NotebookParameter:
    """One parameter declared in a notebook's ``parameters`` cell."""

    name: str
    type: str  # the annotation as written ("int", "list", ...), "" when none
    default: str  # the default's source text
    help: str


class ParamText(str):
    """A value typed on the command line: read as YAML unless the parameter is a ``str``.

    So ``--param n_topics=8`` gives the int 8 while ``--param report_title=Yes`` stays the
    text "Yes" (YAML alone would make it ``True``).
    """


# --------------------------------------------------------------------------- declaration

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


# --------------------------------------------------------------------------- values given

def parse_param(assignment: str) -> tuple[str, ParamText]:
    """Split ``key=value``; the value is read later, by the parameter's declared type.

    Raises
    ------
    ParameterError
        No ``=``, or no name before it.

    Examples
    --------
    >>> parse_param("research_question=How do LLMs reason?")
    ('research_question', 'How do LLMs reason?')
    """
    key, sep, text = assignment.partition("=")
    key = key.strip()
    if not sep or not key.isidentifier():
        raise ParameterError(f"--param expects NAME=VALUE, got {_shown(assignment)}")
    return key, ParamText(text.strip())


def _yaml_value(text: str) -> Any:
    import yaml

    try:
        return yaml.safe_load(text) if text else ""
    except (yaml.YAMLError, ValueError, RecursionError):
        # not YAML, or a number Python refuses to convert (thousands of digits): keep the
        # words as typed, and let the type check say what is wrong with them
        return text


def read_params_file(params_file: str | os.PathLike) -> dict[str, Any]:
    """The YAML mapping of a ``--params`` file.

    Raises
    ------
    ParameterError
        The file cannot be read, is not UTF-8 text, is too large, is not YAML, or is not
        a mapping.
    """
    import yaml

    path = Path(params_file)
    try:
        with open(path, "rb") as fh:
            data = fh.read(MAX_PARAMS_FILE + 1)
    except OSError as exc:
        raise ParameterError(f"{path}: cannot read parameters file ({exc.strerror or exc})") from exc
    if len(data) > MAX_PARAMS_FILE:
        raise ParameterError(f"{path}: too large for a parameters file "
                             f"(over {MAX_PARAMS_FILE // 1024} KiB)")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ParameterError(f"{path}: not a parameters file: not UTF-8 text "
                             f"(byte {exc.start + 1} cannot be decoded)") from exc
    try:
        loaded = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ParameterError(f"{path}: not valid YAML ({' '.join(str(exc).split())})") from exc
    except ValueError as exc:  # int() refuses numbers of thousands of digits
        raise ParameterError(f"{path}: a value is too large to read "
                             f"({str(exc).split(':')[0]})") from exc
    except RecursionError as exc:
        raise ParameterError(f"{path}: values are nested too deeply to read") from exc
    if loaded is None:
        return {}
    if not isinstance(loaded, dict):
        raise ParameterError(f"{path}: a parameters file must be a YAML mapping of name: value")
    return {str(k): v for k, v in loaded.items()}


# --------------------------------------------------------------------------- checks

def _shown(value: Any, limit: int = 60) -> str:
    """A short, printable rendering of a value for a one-line message."""
    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > 64:
        return f"a number of {int(value.bit_length() * 0.30103) + 1} digits"
    try:
        text = repr(value)
    except ValueError:  # e.g. a list holding an int too long to print
        return f"a {type(value).__name__} too large to show"
    return text if len(text) <= limit else text[:limit - 3] + "..."


_TYPES: dict[str, tuple[type, ...]] = {
    "int": (int,), "float": (int, float), "bool": (bool,), "str": (str,),
    "list": (list, tuple), "dict": (dict,),
}


def _coerce(name: str, value: Any, declared: str) -> Any:
    """Bring a value to the declared type where that is unambiguous, else refuse it."""
    kind = declared.split("[")[0].strip().lower()
    if isinstance(value, ParamText):
        value = str(value) if kind == "str" else _yaml_value(str(value))
    if kind == "str":
        if isinstance(value, str):
            return str(value)
        if value is None or isinstance(value, (bool, int, float)):
            return "" if value is None else str(value)
    elif kind in _TYPES:
        if isinstance(value, str):
            value = _yaml_value(value)
        if kind == "list" and isinstance(value, str):
            value = [value]
        if kind in ("int", "float") and isinstance(value, bool):
            pass  # True is not a number here
        elif isinstance(value, _TYPES[kind]):
            return list(value) if kind == "list" else value
        if kind == "float" and isinstance(value, int) and not isinstance(value, bool):
            return float(value)
        if kind in ("int", "float") and isinstance(value, str) and re.fullmatch(r"[+-]?\d+", value):
            raise ParameterError(f"parameter {name!r} is a number of {len(value.lstrip('+-'))} "
                                 "digits: too large")
    else:
        return value  # no (or an unusual) annotation: trust the caller (YAML-read if typed text)
    raise ParameterError(f"parameter {name!r} must be {declared}, got {_shown(value)}")


def _between(low: int, high: int) -> Callable[[str, Any], None]:
    def check(name: str, value: Any) -> None:
        number = isinstance(value, (int, float)) and not isinstance(value, bool)
        if not number or not low <= value <= high:
            raise ParameterError(f"parameter {name!r} must be between {low} and {high}, "
                                 f"got {_shown(value)}")
    return check


def _one_of(choices: Callable[[], Iterable[str]]) -> Callable[[str, Any], None]:
    def check(name: str, value: Any) -> None:
        allowed = list(choices())
        if value not in allowed:
            raise ParameterError(f"parameter {name!r} must be one of {', '.join(allowed)}; "
                                 f"got {_shown(value)}")
    return check


def _granularities() -> list[str]:
    from .topics import GRANULARITY  # imported when needed: the topic stack is slow to load

    return sorted(GRANULARITY)


def _embedders() -> list[str]:
    from .embedders import available_embedders

    return available_embedders()


def _texts(name: str, value: Any) -> None:
    if not isinstance(value, (list, tuple)):
        raise ParameterError(f"parameter {name!r} must be a list of file names, got {_shown(value)}")
    bad = next((v for v in value if not isinstance(v, (str, os.PathLike))), None)
    if bad is not None:
        raise ParameterError(f"parameter {name!r} must list file names, got {_shown(bad)}")


#: What the types alone do not say: ranges and choices, by parameter name (a parameter
#: of a custom notebook that has no rule here is checked for its declared type only).
RULES: dict[str, Callable[[str, Any], None]] = {
    "name": lambda name, value: check_name(value),
    "inputs": _texts,
    "seed": _between(0, 2**32 - 1),  # numpy's and UMAP's random state
    "n_topics": _between(0, 10_000),
    "min_topic_size": _between(0, 10_000_000),
    "synthesis_sentences": _between(1, 100),
    "granularity": _one_of(_granularities),
    "embedder": _one_of(_embedders),
}


def validate(values: Mapping[str, Any], known: Mapping[str, NotebookParameter]) -> dict[str, Any]:
    """Check parameter values against a notebook's declaration; the values, typed.

    The one check of parameters, used by :func:`resolve_parameters` (``litscope review``)
    and :func:`check_notebook` (the notebook itself).

    Parameters
    ----------
    values : mapping
        Name -> value (``ParamText`` values are read by the declared type).
    known : mapping
        The declaration, e.g. from :func:`notebook_parameters`.

    Returns
    -------
    dict
        The values brought to their declared types (``8`` for ``"8"`` of an ``int``).

    Raises
    ------
    ParameterError
        A name the notebook does not declare (the message lists the known ones), a value
        of the wrong type, or one outside the range or choices of :data:`RULES`.
    """
    unknown = [k for k in values if k not in known]
    if unknown:
        names = ", ".join(_shown(k) for k in unknown)
        raise ParameterError(f"unknown parameter{'s' if len(unknown) > 1 else ''} {names}; "
                             f"the notebook's parameters are: {', '.join(known)}")
    checked = {}
    for key, value in values.items():
        value = _coerce(key, value, known[key].type)
        rule = RULES.get(key)
        if rule is not None:
            rule(key, value)
        checked[key] = value
    return checked


def resolve_parameters(known: Mapping[str, NotebookParameter], *,
                       params_file: str | os.PathLike | None = None,
                       params: Mapping[str, Any] | None = None,
                       overrides: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """Merge parameters: the YAML file, then ``params``, then ``overrides``; :func:`validate` them.

    Examples
    --------
    >>> known = {"seed": NotebookParameter("seed", "int", "42", "")}
    >>> resolve_parameters(known, params={"seed": "7"})
    {'seed': 7}
    >>> resolve_parameters(known, params={"sede": 7})
    Traceback (most recent call last):
    ...
    litscope.errors.ParameterError: unknown parameter 'sede'; the notebook's parameters are: seed
    """
    merged: dict[str, Any] = {}
    if params_file is not None:
        merged.update(read_params_file(params_file))
    merged.update(params or {})
    merged.update(overrides or {})
    return validate(merged, known)


# --------------------------------------------------------------------------- in the notebook

def _injected(source: str) -> bool:
    """A cell papermill inserted after the parameters cell (it starts ``# Parameters``)."""
    return source.lstrip().startswith("# Parameters")


def _declared_in_history(history: list) -> tuple[dict[str, NotebookParameter] | None, set[str]]:
    """The latest parameters cell run, and the names injected after it (papermill's cell)."""
    given: set[str] = set()
    for source in reversed(history[:-1]):  # the last entry is the cell running now
        if not isinstance(source, str) or not source.strip():
            continue
        try:
            if _injected(source):
                given |= set(parameters_from_source(source))
                continue
            declared = parameters_from_source(source, annotated_only=True)
        except ParameterError:
            continue
        if declared:
            return declared, given
    return None, given


def check_notebook(namespace: MutableMapping[str, Any]) -> dict[str, Any]:
    """Check a notebook's parameters inside the notebook: ``check_notebook(globals())``.

    Run in the first cell after the parameters, it refuses what ``litscope review``
    refuses (:func:`validate`): names papermill injected that the parameters cell does not
    declare, values of the wrong type, values out of range. The declaration is the
    parameters cell as last run (from IPython's input history; outside IPython, the
    annotations of the namespace). Checked values replace the namespace's (``"8"`` given
    to an ``int`` becomes ``8``).

    Returns
    -------
    dict
        The checked parameters.

    Raises
    ------
    ParameterError
        As :func:`validate`, before anything is loaded.
    """
    history = namespace.get("In")
    declared, given = (_declared_in_history(history) if isinstance(history, list)
                       else (None, set()))
    if declared is None:
        annotations = namespace.get("__annotations__") or {}
        declared = {k: NotebookParameter(k, t if isinstance(t, str) else getattr(t, "__name__", ""),
                                         "", "") for k, t in annotations.items()}
    values = {k: namespace[k] for k in [*declared, *sorted(given)] if k in namespace}
    checked = validate(values, declared)
    namespace.update(checked)
    return checked
