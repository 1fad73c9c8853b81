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
