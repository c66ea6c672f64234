"""Misusing generated classes fails type checking, exactly as pinned (mypy-protobuf's idea)."""

from __future__ import annotations

from codegen.negative.pin import HERE, mypy_output


def test_misuse_fails_mypy_exactly_as_pinned() -> None:
    expected = (HERE / "misuse.expected").read_text("utf-8")
    assert mypy_output() == expected, "re-pin with `python -m codegen.negative.pin` from tests/"
