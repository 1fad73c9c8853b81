"""Shared input helpers for readers: opening paths or file-likes, decoding text, sniff samples."""

from __future__ import annotations

import codecs
import io
import os
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, Union

from ..errors import InputError

PathOrBuffer = Union[str, "os.PathLike[str]", IO[bytes], IO[str]]

#: How many bytes of a file readers see when asked whether they recognise it.
SNIFF_BYTES = 64 * 1024

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"),
)


def source_name(source: PathOrBuffer) -> str:
    """A printable name for a path or file-like (its ``name`` or '<buffer>')."""
    if isinstance(source, (str, os.PathLike)):
        return os.fspath(source)
    return str(getattr(source, "name", "<buffer>"))


def read_bytes(source: PathOrBuffer) -> bytes:
    """All bytes of a path or file-like object.

    Raises
    ------
    InputError
        When the file cannot be opened.
    """
    if isinstance(source, (str, os.PathLike)):
        try:
            return Path(source).read_bytes()
        except OSError as exc:
            raise InputError(f"cannot read file: {exc.strerror or exc}", file=source) from exc
    data = source.read()
    return data.encode("utf-8") if isinstance(data, str) else data


def decode(data: bytes, *, encoding: str | None = None, file: Any = None) -> tuple[str, str]:
    """Decode bytes to text, detecting the encoding when none is given.

    Order: an explicit encoding; a byte-order mark; UTF-8; then the most plausible legacy
    encoding (:func:`._columns.decode_best`; cp1252 when nothing fits, which never fails). Returns ``(text, encoding_used)``;
    line endings are normalised to ``\\n``.
    """
    if encoding:
        try:
            text = data.decode(encoding)
        except (UnicodeDecodeError, LookupError) as exc:
            raise InputError(f"cannot decode as {encoding}: {exc}", file=file) from exc
        used = encoding
    else:
        text, used = _detect(data)
    if text.startswith("\ufeff"):
        text = text[1:]
    return text.replace("\r\n", "\n").replace("\r", "\n"), used


def _detect(data: bytes) -> tuple[str, str]:
    for bom, name in _BOMS:
        if data.startswith(bom):
            return data.decode(name, errors="replace"), name
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    # Legacy encodings: the most plausible of charset-normalizer's guesses and common codecs.
    from ._columns import decode_best
    return decode_best(data)


def read_text(source: PathOrBuffer, *, encoding: str | None = None) -> tuple[str, str]:
    """Text of a path or file-like, decoded as :func:`decode` does: ``(text, encoding_used)``."""
    if not isinstance(source, (str, os.PathLike)):
        data = source.read()
        if isinstance(data, str):
            return data.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n"), "str"
    else:
        data = read_bytes(source)
    return decode(data, encoding=encoding, file=source_name(source))


@dataclass(frozen=True)
class Sample:
    """What a reader's ``sniff`` sees: the file's name and its first bytes, raw and decoded."""

    name: str
    head: bytes
    text: str

    @property
    def suffix(self) -> str:
        """Lower-case extension including the dot ('' when none), e.g. '.ris'."""
        name = self.name.lower()
        for double in (".atom.xml", ".csl.json"):
            if name.endswith(double):
                return double
        return Path(name).suffix

    @classmethod
    def from_bytes(cls, name: str, data: bytes) -> "Sample":
        head = data[:SNIFF_BYTES]
        text, _ = _detect(head)
        return cls(name=name, head=head, text=text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n"))


def as_buffer(data: bytes, name: str) -> io.BytesIO:
    """Bytes as a named binary buffer, so readers can report the original file name."""
    buf = io.BytesIO(data)
    buf.name = name  # type: ignore[attr-defined]
    return buf
