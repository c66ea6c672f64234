"""Shared by every test folder; keep it tiny (fixtures belong next to the tests that use them)."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture
def repo() -> Path:
    """The repository root: its pyproject.toml and schemas/ are a real, valid contract set."""
    return REPO
