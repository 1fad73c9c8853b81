"""Recorded HTTP cassettes (VCR.py YAML, Betamax JSON) of literature API calls.

Test suites of API clients (and some harvesting scripts) save the HTTP exchanges they
made; the response bodies are Semantic Scholar, Crossref or OpenAlex JSON. This reader
reads each successful response body as JSON records with the JSON reader's shape mapping
(:mod:`litscope.sources._json_shapes`), numbering records through the whole cassette.
Bodies may be plain text or ``!!binary`` gzip/deflate; redirects (3xx) carry no records
and are ignored; error responses are listed, or raise :class:`~litscope.errors.FeedError`
when nothing else in the cassette holds records.

YAML is read with PyYAML's safe loader (no arbitrary objects), the libyaml one when installed
(about ten times faster). A compressed body that inflates to more than :data:`MAX_BODY_BYTES`
is refused.

Examples
--------
>>> import io
>>> cassette = b'''interactions:
... - request: {method: GET, uri: 'https://api.semanticscholar.org/graph/v1/paper/search?query=x'}
...   response:
...     status: {code: 200, message: OK}
...     headers: {content-type: [application/json]}
...     body: {string: '{"data": [{"paperId": "p", "title": "A paper"}]}'}
... version: 1
... '''
>>> read_vcr(io.BytesIO(cassette)).frame["title"].tolist()
['A paper']
"""

from __future__ import annotations

import base64
import binascii
import json as _json
import re
import zlib
from collections import Counter
from typing import Any


from ..errors import FeedError, InputError, LitscopeError, RecordError
from ..records import FileRecords, SkippedRecord
from ..schema import to_file_records
from ._io import PathOrBuffer, Sample, read_text, source_name
from ._json_shapes import text as json_text, unwrap
from .json import records_from

FORMAT = "vcr"
EXTENSIONS = (".yaml", ".yml")

#: Largest response body inflated from gzip or deflate; a larger one is a decompression bomb.
MAX_BODY_BYTES = 200 * 1024 * 1024


_REQUEST_LINE = re.compile(r"\s*-\s+request:")


class _BodyTooLarge(ValueError):
    """A compressed response body inflates to more than :data:`MAX_BODY_BYTES`."""


def sniff(sample: Sample) -> float:
    """A VCR.py cassette (``interactions:`` with ``request:``/``response:``) or a Betamax JSON cassette."""
    text = sample.text
    # '[ \t]', not '\s': from each line start '\s*' would run through all the blank lines after it
    # (cubic with '\s*-?\s*' on a file of blank lines).
    if re.search(r"^interactions:", text, re.M) and re.search(r"^[ \t]*(?:-[ \t]*)?request:", text, re.M) \
            and re.search(r"^[ \t]*response:", text, re.M):
        return 0.9
    if text.lstrip().startswith("{") and '"http_interactions"' in text and '"response"' in text:
        return 0.9
    return 0.0


def _load(text: str, name: str) -> Any:
    if text.lstrip().startswith("{"):
        try:
            return _json.loads(text)
        except (ValueError, RecursionError) as exc:
            raise InputError(f"not a valid JSON cassette: {exc}", file=name) from exc
    import yaml

    try:
        # CSafeLoader: libyaml's parser with the same safe constructor as SafeLoader
        return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        # one line: PyYAML's own text spans several ('...\n  in "<unicode string>", position 0')
        problem = " ".join(str(getattr(exc, "problem", None) or getattr(exc, "reason", None) or exc).split())
        raise InputError(f"not valid YAML: {problem}", file=name,
                         line=mark.line + 1 if mark is not None else None) from exc
    except (RecursionError, ValueError, TypeError, OverflowError) as exc:
        raise InputError(f"cannot read the YAML: {type(exc).__name__}: {exc}", file=name) from exc


def _header(headers: Any, key: str) -> str:
    if not isinstance(headers, dict):
        return ""
    for k, v in headers.items():
        if isinstance(k, str) and k.lower() == key:
            return json_text(v).lower()
    return ""


def _body_text(response: dict) -> str:
    """The response body as text: decoded from base64 and gzip/deflate as needed."""
    body = response.get("body")
    raw: Any = body
    if isinstance(body, dict):
        raw = body.get("string")
        if raw in (None, "") and isinstance(body.get("base64_string"), str):  # Betamax
            try:
                raw = base64.b64decode(body["base64_string"])
            except (binascii.Error, ValueError) as exc:
                raise ValueError(f"bad base64 body: {exc}") from exc
    if isinstance(raw, str):
        return raw
    if not isinstance(raw, (bytes, bytearray)):
        return ""
    data = bytes(raw)
    encoding = _header(response.get("headers"), "content-encoding")
    if data[:2] == b"\x1f\x8b" or "gzip" in encoding:
        data = _inflate(data, 16 + zlib.MAX_WBITS, "gzip")
    elif "deflate" in encoding:
        try:  # zlib-wrapped, as the RFC says, or raw deflate, as some servers send
            data = _inflate(data, zlib.MAX_WBITS, "deflate")
        except zlib.error:
            data = _inflate(data, -zlib.MAX_WBITS, "deflate")
    elif encoding and encoding not in ("identity", "utf-8"):
        raise ValueError(f"unsupported content-encoding {encoding!r}")
    return data.decode("utf-8", errors="replace")


def _inflate(data: bytes, wbits: int, coding: str) -> bytes:
    """``data`` decompressed, at most :data:`MAX_BODY_BYTES` of it.

    Raises
    ------
    _BodyTooLarge
        When the body inflates to more.
    zlib.error
        When it is not ``coding`` or is cut short.
    """
    inflater = zlib.decompressobj(wbits)
    out = inflater.decompress(data, MAX_BODY_BYTES + 1)
    if len(out) > MAX_BODY_BYTES:
        raise _BodyTooLarge(f"the {coding} response body inflates to more than "
                            f"{MAX_BODY_BYTES // (1024 * 1024)} MiB ({len(data):,} bytes compressed); "
                            "refused as a possible decompression bomb")
    if not inflater.eof:
        raise zlib.error(f"{coding} body is incomplete or truncated")
    return out


def _status(response: dict) -> int | None:
    status = response.get("status")
    code = status.get("code") if isinstance(status, dict) else status
    try:
        return int(code)
    except (TypeError, ValueError):
        return None


def read_vcr(path: PathOrBuffer, *, encoding: str | None = None, errors: str = "skip") -> FileRecords:
    """Read the literature records in the JSON response bodies of an HTTP cassette.

    Parameters
    ----------
    path : str, path-like or file-like
        A VCR.py YAML cassette or a Betamax JSON cassette.
    encoding : str, optional
        Text encoding; detected when omitted.
    errors : {'skip', 'raise'}
        A record with neither title nor abstract, or a response that cannot be read
        (not JSON, an API error among good responses): list it or raise.

    Returns
    -------
    FileRecords
        Canonical records (``frame``) numbered through the cassette; ``details["interactions"]`` lists
        each exchange (number, method, uri, status, records).

    Raises
    ------
    InputError
        Not a cassette, no interaction holds a JSON response, or a compressed body inflates to
        more than :data:`MAX_BODY_BYTES` (naming the interaction and its line).
    FeedError
        Every response with a body is an API error.
    RecordError
        With ``errors='raise'``, for the first bad record or response.
    """
    name = source_name(path)
    text, used = read_text(path, encoding=encoding)
    cassette = _load(text, name)
    interactions = None
    if isinstance(cassette, dict):
        interactions = cassette.get("interactions", cassette.get("http_interactions"))
    if not isinstance(interactions, list):
        raise InputError("not an HTTP cassette (no 'interactions' list)", file=name)
    starts = [i + 1 for i, line in enumerate(text.split("\n")) if _REQUEST_LINE.match(line)]

    records: list[dict[str, Any]] = []
    skipped: list[SkippedRecord] = []
    shapes: Counter = Counter()
    report: list[dict[str, Any]] = []
    api_errors: list[str] = []
    answered = 0  # 2xx responses with JSON bodies
    counted = 0  # record candidates so far, to number records through the cassette

    def bad(line: int | None, reason: str, record: int | None = None) -> None:
        if errors == "raise":
            raise RecordError(reason, file=name, record=record, line=line)
        skipped.append(SkippedRecord(name, record, line, reason))

    for number, interaction in enumerate(interactions, start=1):
        line = starts[number - 1] if len(starts) == len(interactions) else None
        request = interaction.get("request") if isinstance(interaction, dict) else None
        response = interaction.get("response") if isinstance(interaction, dict) else None
        entry = {"interaction": number, "method": json_text(get_(request, "method")),
                 "uri": json_text(get_(request, "uri")), "status": None, "records": 0}
        report.append(entry)
        if not isinstance(response, dict):
            bad(line, f"interaction {number} has no response")
            continue
        status = entry["status"] = _status(response)
        if status is not None and 300 <= status < 400:
            continue  # a redirect: the next interaction holds the answer
        try:
            body = _body_text(response)
        except _BodyTooLarge as exc:  # hostile, not damaged: refuse the file rather than list it
            raise InputError(f"interaction {number}: {exc}", file=name, line=line) from exc
        except (ValueError, zlib.error, MemoryError) as exc:
            bad(line, f"interaction {number}: cannot decode the response body: {exc}")
            continue
        try:
            value = _json.loads(body) if body.strip() else None
        except (ValueError, RecursionError):
            value = None
        if value is None:
            if status is not None and status >= 400:
                message = re.sub(r"<[^<>]*>|\s+", " ", body).strip()[:200]
                api_errors.append(f"HTTP {status}: {message}" if message else f"HTTP {status}")
            elif body.strip():
                bad(line, f"interaction {number}: response body is not JSON")
            continue
        try:
            items = unwrap(value, file=name)
        except FeedError as exc:
            api_errors.append(exc.message)
            continue
        except LitscopeError as exc:
            bad(line, f"interaction {number}: {getattr(exc, 'message', exc)}")
            continue
        if status is not None and status >= 400:
            api_errors.append(f"HTTP {status}")
            continue
        answered += 1
        got, lost, found = records_from([(line, item) for item in items], name, errors=errors,
                                        first=counted + 1)
        counted += len(items)
        entry["records"] = len(got)
        records.extend(got)
        skipped.extend(lost)
        shapes.update(found)
    if api_errors and not records:
        raise FeedError(f"API error response(s) in the cassette: {'; '.join(api_errors)}", file=name)
    for message in api_errors:
        bad(None, f"API error response: {message}")
    if interactions and not answered and not records and not skipped:
        raise InputError("the cassette holds no JSON API response", file=name)
    return to_file_records(records, source_format=FORMAT, source_file=name, skipped=skipped, encoding=used,
                           details={"shapes": dict(shapes), "interactions": report})


def get_(value: Any, key: str) -> Any:
    """``value[key]`` when value is a dict, else None."""
    return value.get(key) if isinstance(value, dict) else None
