"""The one check of parameter values against a declaration: names, types, then ranges and choices."""

from __future__ import annotations

import os
import re
from typing import Any, Callable, Iterable, Mapping

from ..errors import ParameterError
from ..names import check_name
from .declaration import NotebookParameter
from .values import ParamText, _shown, _yaml_value, read_params_file

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
    from ..topics import GRANULARITY  # imported when needed: the topic stack is slow to load

    return sorted(GRANULARITY)


def _embedders() -> list[str]:
    from ..embedders import available_embedders

    return available_embedders()


def _texts(name: str, value: Any) -> None:
    if not isinstance(value, (list, tuple)):
        raise ParameterError(f"parameter {name!r} must be a list of file names, got {_shown(value)}")
    bad = next((v for v in value if not isinstance(v, (str, os.PathLike))), None)
    if bad is not None:
        raise ParameterError(f"parameter {name!r} must list file names, got {_shown(bad)}")


def _year_range(name: str, value: Any) -> None:
    ok = isinstance(value, (list, tuple)) and len(value) in (0, 2) and all(
        v is None or (isinstance(v, int) and not isinstance(v, bool) and 0 <= v <= 9999) for v in value)
    if not ok:
        raise ParameterError(f"parameter {name!r} must be [first, last] years (either may be null) or [], "
                             f"got {_shown(value)}")
    if len(value) == 2 and None not in value and value[0] > value[1]:
        raise ParameterError(f"parameter {name!r}: the year range {value[0]}-{value[1]} is empty")


def _fraction(name: str, value: Any) -> None:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0.0 <= value <= 1.0:
        raise ParameterError(f"parameter {name!r} must be between 0 and 1, got {_shown(value)}")


def _term_fields(name: str, value: Any) -> None:
    from ..screening.criteria import FIELDS

    bad = [v for v in value if v not in FIELDS] if isinstance(value, (list, tuple)) else [value]
    if bad or not value:
        raise ParameterError(f"parameter {name!r} must list some of {', '.join(FIELDS)}, got {_shown(value)}")


def _words(name: str, value: Any) -> None:
    bad = next((v for v in value if not isinstance(v, str) or not v.strip()), None) \
        if isinstance(value, (list, tuple)) else value
    if bad is not None:
        raise ParameterError(f"parameter {name!r} must list words or phrases, got {_shown(bad)}")


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
    "years": _year_range,
    "languages": _words,
    "document_types": _words,
    "include_terms": _words,
    "exclude_terms": _words,
    "term_fields": _term_fields,
    "min_relevance": _fraction,
    "scope": _one_of(lambda: ["all", "included"]),
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
