"""Shared fixtures. ``shared`` is the folder beside the repo (../shared) with the seed, gold sets and corpora."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = (REPO / ".." / "shared").resolve()
SAMPLES = REPO / "src" / "newsevents" / "samples"


def shared_path(*parts: str) -> Path:
    """A path under ../shared, or skip the test with a clear message when it is absent."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"../shared is absent ({path} not found): this test needs the shared corpora beside the repo")
    return path


@pytest.fixture
def seed_path() -> Path:
    return shared_path("gold", "seed.txt")


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "test.duckdb"
