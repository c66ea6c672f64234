"""`--timeout`: how long `check` and `register` may spend on a remote registry in all."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

import click

from contractgen.registry.connect import COMMAND_TIMEOUT, REQUEST_TIMEOUT

_F = TypeVar("_F", bound=Callable[..., object])


def timeout_option(command: _F) -> _F:
    return click.option(
        "--timeout",
        type=click.FloatRange(min=0, min_open=True),
        default=COMMAND_TIMEOUT,
        show_default=True,
        help="Seconds the command may spend on a remote registry in all; past it, exit 3. "
        f"Each HTTP request (each retry too) ends within {REQUEST_TIMEOUT:g} s: connect, "
        "send and read together.",
    )(command)
