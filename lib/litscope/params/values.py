"""The values given: ``--param NAME=VALUE`` text, a ``--params`` YAML file, and how a value is shown."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from ..errors import ParameterError

#: Largest parameters file read (a YAML mapping of a few names needs far less).
MAX_PARAMS_FILE = 1 << 20


class ParamText(str):
    """A value typed on the command line: read as YAML unless the parameter is a ``str``.

    So ``--param n_topics=8`` gives the int 8 while ``--param report_title=Yes`` stays the
    text "Yes" (YAML alone would make it ``True``).
    """


def _shown(value: Any, limit: int = 60) -> str:
    """A short, printable rendering of a value for a one-line message."""
    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > 64:
        return f"a number of {int(value.bit_length() * 0.30103) + 1} digits"
    try:
        text = repr(value)
    except ValueError:  # e.g. a list holding an int too long to print
        return f"a {type(value).__name__} too large to show"
    return text if len(text) <= limit else text[:limit - 3] + "..."


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
