"""Problems found in user input, as data. No I/O here: the CLI decides how to print them.

A `Diagnostic` is a problem that stops the run (bad JSON, an unknown type name, a config error):
it is printed as `file:line:col: CODE message` and the command exits 2. Compatibility findings are
richer and live in `contractgen.compat.findings`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from contractgen.ir.model import Location


@dataclass(frozen=True, slots=True)
class Diagnostic:
    code: str
    """A stable identifier such as `AVRO001`, documented in the README."""
    message: str
    """What is wrong and what to do about it, in one sentence or two."""
    location: Location | None = None

    def __str__(self) -> str:
        where = f"{self.location}: " if self.location else ""
        return f"{where}{self.code} {self.message}"


class ContractError(Exception):
    """Raised with every problem found, so the user can fix them all in one go."""

    def __init__(self, diagnostics: Iterable[Diagnostic]) -> None:
        self.diagnostics: tuple[Diagnostic, ...] = tuple(diagnostics)
        super().__init__("\n".join(str(d) for d in self.diagnostics))
