"""An on-disk cache of whole pipeline stages (topic fit, summaries), keyed by their inputs.

A stage result is stored once per *key*, a SHA-256 over a canonical
serialisation of everything that determines it: the input data (arrays,
frames, texts), the settings, the litscope version and the stage's own format
version (:data:`FORMAT_VERSIONS`).  An unchanged re-run of a review finds every
key and skips the work; a changed input or setting gives a new key, so only
the stages it affects are recomputed.

Layout: ``<root>/<stage>/<key[:2]>/<key>.pkl`` (pickle protocol 5), written
atomically (:func:`litscope.atomic.atomic_write`).  An entry that cannot be
read (truncated, from an incompatible version) is recomputed and rewritten,
never an error.  Entries are never evicted; delete the folder to reclaim space.

Examples
--------
>>> import numpy as np
>>> cache = StageCache(root=False)          # disabled: always computes
>>> k = cache.key("demo", np.arange(3), {"b": 2, "a": 1}, "text", None)
>>> len(k), k == cache.key("demo", np.arange(3), {"a": 1, "b": 2}, "text", None)
(64, True)
>>> cache.get_or_compute("demo", k, lambda: 41 + 1), cache.misses["demo"]
(42, 1)
>>> def fit(data, *, seed=42, size=None): ...
>>> settings_of(fit, [1, 2], size=5, exclude=("data",))
{'seed': 42, 'size': 5}
"""

from __future__ import annotations

import dataclasses
import hashlib
import inspect
import math
import pickle
import re
import struct
import warnings
from collections import Counter
from pathlib import Path
from typing import Any, Callable, Iterable, Mapping, TypeVar

import numpy as np
import pandas as pd

from .atomic import atomic_write
from .missing import is_missing

T = TypeVar("T")

#: Format version of each stage's stored result; bump one when its result type or
#: meaning changes, so older entries are ignored (unknown stages use 1).
FORMAT_VERSIONS: dict[str, int] = {"topics": 4, "summaries": 1}

#: Version of the key serialisation itself.
_KEY_SCHEME = 1

_ADDRESS = re.compile(r"\s+at\s+0x[0-9a-fA-F]+")


# ------------------------------------------------------------------ canonical serialisation


def _feed(h: Any, obj: Any) -> None:
    """Feed a canonical, type-tagged byte form of ``obj`` into the hash ``h``."""
    def tag(t: bytes, payload: bytes = b"") -> None:
        h.update(t + struct.pack("<Q", len(payload)) + payload)

    if obj is None or obj is pd.NA or obj is pd.NaT:
        tag(b"N")
    elif isinstance(obj, (bool, np.bool_)):
        tag(b"B", b"1" if obj else b"0")
    elif isinstance(obj, (int, np.integer)):
        tag(b"I", str(int(obj)).encode())
    elif isinstance(obj, (float, np.floating)):
        f = float(obj)
        tag(b"F", b"nan" if math.isnan(f) else f.hex().encode())
    elif isinstance(obj, str):
        tag(b"S", obj.encode("utf-8", "surrogatepass"))
    elif isinstance(obj, (bytes, bytearray, memoryview)):
        tag(b"Y", bytes(obj))
    elif isinstance(obj, Path):
        tag(b"P", str(obj).encode())
    elif isinstance(obj, np.ndarray):
        if obj.dtype.hasobject:
            tag(b"O", repr(obj.shape).encode())
            for item in obj.ravel(order="C").tolist():
                _feed(h, item)
        else:
            arr = np.ascontiguousarray(obj)
            tag(b"A", f"{arr.dtype.str}|{arr.shape}".encode())
            h.update(memoryview(arr).cast("B"))
    elif isinstance(obj, pd.DataFrame):
        # column names and values; the index (labels and name) is left out
        tag(b"D", repr(obj.shape).encode())
        for col in obj.columns:
            _feed(h, col)
            _feed_values(h, obj[col])
    elif isinstance(obj, pd.Series):
        tag(b"E", repr(obj.shape).encode())
        _feed_values(h, obj)
    elif isinstance(obj, Mapping):
        items = sorted(((_digest(k), k, v) for k, v in obj.items()), key=lambda kv: kv[0])
        tag(b"M", str(len(items)).encode())
        for _, k, v in items:
            _feed(h, k)
            _feed(h, v)
    elif isinstance(obj, (list, tuple)):
        tag(b"L", str(len(obj)).encode())
        for item in obj:
            _feed(h, item)
    elif isinstance(obj, (set, frozenset)):
        digests = sorted(_digest(item) for item in obj)
        tag(b"T", str(len(digests)).encode())
        for d in digests:
            h.update(d)
    elif dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        tag(b"C", _qualname(type(obj)).encode())
        _feed(h, {f.name: getattr(obj, f.name) for f in dataclasses.fields(obj)})
    else:
        tag(b"R", stable_repr(obj).encode())


def _feed_values(h: Any, series: Any) -> None:
    values = np.asarray(series.to_numpy())
    if values.dtype.hasobject or values.dtype.kind in "mM":
        values = np.asarray(values, dtype=object)
        tag = f"{series.dtype}|{len(values)}".encode()
        h.update(b"V" + struct.pack("<Q", len(tag)) + tag)
        for item in values.tolist():
            _feed(h, None if is_missing(item) else item)
    else:
        _feed(h, values)


def _digest(obj: Any) -> bytes:
    h = hashlib.sha256()
    _feed(h, obj)
    return h.digest()


def _qualname(cls: type) -> str:
    return f"{cls.__module__}.{cls.__qualname__}"


def stable_repr(obj: Any) -> str:
    """A text for an object that is the same in every process (no memory addresses).

    Functions and classes by qualified name; estimators with ``get_params``
    (scikit-learn, UMAP, HDBSCAN) by class and parameters; other objects by
    their ``repr`` with addresses removed, or by class and simple attributes
    when the ``repr`` says nothing more than the class.

    >>> stable_repr(len), stable_repr(dict)
    ('builtins.len', 'builtins.dict')
    """
    if inspect.isroutine(obj) or inspect.isclass(obj):
        return f"{getattr(obj, '__module__', None) or ''}.{getattr(obj, '__qualname__', repr(obj))}".lstrip(".")
    if isinstance(obj, __import__("functools").partial):
        return (f"partial({stable_repr(obj.func)}, {[stable_value(a) for a in obj.args]!r}, "
                f"{sorted((k, repr(stable_value(v))) for k, v in obj.keywords.items())!r})")
    get_params = getattr(obj, "get_params", None)
    if callable(get_params):
        try:
            params = get_params(deep=False)
        except TypeError:
            params = get_params()
        return f"{_qualname(type(obj))}({sorted((str(k), repr(stable_value(v))) for k, v in params.items())!r})"
    text = _ADDRESS.sub("", repr(obj))
    if text.startswith("<") and text.endswith(" object>"):  # the default repr: class only
        attrs = {k: v for k, v in sorted(getattr(obj, "__dict__", {}).items())
                 if isinstance(v, (str, int, float, bool, type(None))) and not k.startswith("_")}
        return f"{_qualname(type(obj))}({attrs!r})"
    return text


def stable_value(value: Any) -> Any:
    """``value`` as plain data: numbers, text and containers kept, everything else :func:`stable_repr`."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, Path):
        return str(value)
    if isinstance(value, Mapping):
        return {k: stable_value(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(stable_value(v) for v in value)
    if isinstance(value, (set, frozenset)):
        return sorted((stable_value(v) for v in value), key=repr)
    return stable_repr(value)


def settings_of(func: Callable[..., Any], *args: Any, exclude: Iterable[str] = (),
                **kwargs: Any) -> dict[str, Any]:
    """The settings a call of ``func`` runs with, read from its signature.

    The call is bound to ``func``'s signature (missing arguments take their
    defaults, like scikit-learn's ``get_params``); the names in ``exclude``
    (the data arguments) are left out, ``**kwargs``-style parameters are
    flattened in, and values that are not plain data (models, callables) are
    replaced by :func:`stable_repr`.  ``exclude`` is keyword-only here, so a
    ``func`` parameter of that name cannot be passed through.

    >>> def f(df, *, seed=42, model=None, **extra): ...
    >>> settings_of(f, None, model=len, alpha=0.5, exclude=["df"])
    {'seed': 42, 'model': 'builtins.len', 'alpha': 0.5}
    """
    sig = inspect.signature(func)
    bound = sig.bind_partial(*args, **kwargs)
    bound.apply_defaults()
    skip = set(exclude)
    out: dict[str, Any] = {}
    for name, value in bound.arguments.items():
        kind = sig.parameters[name].kind
        if name in skip:
            continue
        if kind is inspect.Parameter.VAR_KEYWORD:
            for k, v in value.items():
                if k not in skip:
                    out[k] = stable_value(v)
        elif kind is inspect.Parameter.VAR_POSITIONAL:
            if value:
                out[name] = stable_value(list(value))
        else:
            out[name] = stable_value(value)
    return out


# ------------------------------------------------------------------ the cache


class StageCache:
    """Stage results on disk, keyed by :meth:`key`.

    Parameters
    ----------
    root : path-like or False, optional
        Folder of the cache; ``litscope.paths.cache_dir() / "stages"`` by default.
        ``False`` disables the cache: :meth:`get_or_compute` always computes.
    versions : dict, optional
        Per-stage format versions overriding :data:`FORMAT_VERSIONS`.

    Attributes
    ----------
    hits, misses : collections.Counter
        Per stage, how many :meth:`get_or_compute` calls were answered from disk
        and how many computed.
    """

    def __init__(self, root: Any = None, *, versions: Mapping[str, int] | None = None) -> None:
        if root is False:
            self.root: Path | None = None
        else:
            if root is None:
                from . import paths

                root = paths.cache_dir() / "stages"
            self.root = Path(root).expanduser()
        self.versions = dict(FORMAT_VERSIONS)
        self.versions.update(versions or {})
        self.hits: Counter = Counter()
        self.misses: Counter = Counter()

    def __repr__(self) -> str:
        return f"StageCache(root={str(self.root) if self.root else False!r})"

    @property
    def enabled(self) -> bool:
        """Whether results are read from and written to disk."""
        return self.root is not None

    def key(self, stage: str, *parts: Any) -> str:
        """SHA-256 (hex) of ``parts`` with the stage, its format version and the litscope version.

        Parts may be numpy arrays (dtype, shape and bytes count), pandas frames
        and series (column names and values; the index is ignored: select the
        columns that matter), dicts (order-free), lists, tuples, sets, text,
        numbers, ``None``; anything else counts by :func:`stable_repr`.
        """
        from . import __version__

        h = hashlib.sha256()
        _feed(h, ["litscope-stage", _KEY_SCHEME, __version__, str(stage), self.versions.get(stage, 1)])
        _feed(h, list(parts))
        return h.hexdigest()

    def path(self, stage: str, key: str) -> Path:
        """Where the entry of ``key`` lives (whether or not it exists)."""
        if self.root is None:
            raise ValueError("the stage cache is disabled")
        if not re.fullmatch(r"[0-9a-f]{8,128}", key) or not re.fullmatch(r"[A-Za-z0-9_.-]+", stage):
            raise ValueError(f"bad stage cache key {stage!r}/{key!r}")
        return self.root / stage / key[:2] / f"{key}.pkl"

    def get(self, stage: str, key: str, default: Any = None) -> Any:
        """The stored result of ``key``, or ``default`` when missing or unreadable."""
        if self.root is None:
            return default
        try:
            with open(self.path(stage, key), "rb") as fh:
                return pickle.load(fh)
        except FileNotFoundError:
            return default
        except Exception:  # truncated, corrupt, or written by incompatible code: recompute
            return default

    def put(self, stage: str, key: str, value: Any) -> bool:
        """Store ``value`` atomically; ``False`` (with a warning) when it could not be written."""
        if self.root is None:
            return False
        try:  # readers see the old entry or the whole new one
            atomic_write(self.path(stage, key), lambda fh: pickle.dump(value, fh, protocol=5), private=True)
            return True
        except (OSError, pickle.PicklingError, TypeError, AttributeError) as exc:
            warnings.warn(f"stage cache: could not store {stage}/{key[:12]}: {exc}", RuntimeWarning,
                          stacklevel=3)
            return False

    def get_or_compute(self, stage: str, key: str, compute: Callable[[], T]) -> T:
        """The stored result of ``key``, or ``compute()`` stored under it."""
        missing = _MISSING
        value = self.get(stage, key, missing)
        if value is not missing:
            self.hits[stage] += 1
            return value
        self.misses[stage] += 1
        value = compute()
        self.put(stage, key, value)
        return value


class _Missing:
    def __repr__(self) -> str:  # pragma: no cover
        return "<missing>"


_MISSING = _Missing()

__all__ = ["FORMAT_VERSIONS", "StageCache", "settings_of", "stable_repr", "stable_value"]
