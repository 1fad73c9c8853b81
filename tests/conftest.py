"""Shared test helpers: where the fixtures are."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"
SAMPLE = ROOT / "data" / "samples" / "hf-papers-listing.txt"


@pytest.fixture
def fixtures() -> Path:
    """The folder of real export files copied from the shared corpus (see each PROVENANCE.txt)."""
    return FIXTURES


@pytest.fixture
def sample_path() -> Path:
    """The bundled sample corpus (91 papers)."""
    return SAMPLE


def check_reader_contract(reader, data: bytes, *, name: str = "generated", **options) -> None:
    """The contract every reader keeps, whatever bytes it gets.

    It returns a ``FileRecords`` whose frame passes ``schema.validate``, with unique record
    numbers and every skipped record listed with file, record, line and a reason; or it raises a
    ``LitscopeError``. Nothing else. Format detection on the same bytes must not break either.
    """
    import io

    from litscope import schema
    from litscope.errors import LitscopeError
    from litscope.records import FileRecords, SkippedRecord
    from litscope.sources import detect_format

    buf = io.BytesIO(data)
    buf.name = name
    try:
        result = reader(buf, **options)
    except LitscopeError:
        result = None
    if result is not None:
        assert isinstance(result, FileRecords), reader.__name__
        schema.validate(result.frame)
        assert result.frame["source_record"].is_unique, reader.__name__
        for item in result.skipped:
            assert isinstance(item, SkippedRecord) and item.reason, reader.__name__
    try:
        detect_format(io.BytesIO(data))
    except LitscopeError:
        pass
