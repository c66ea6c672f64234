"""Shared by the workflow tests: one pre-commit home per session, so each hook environment
(contractgen installed by pre-commit) is built once, not once per test module."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(scope="session")
def pre_commit_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("pre-commit-home")
