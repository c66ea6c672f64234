"""The import block of one generated module, collected while its body is rendered.

Generated code imports the stdlib, `contractgen.runtime` and its own package (relatively, so the
block sorts the same whether or not a linter sees the package as first-party). The block is
written in the order ruff's isort rules expect, so no formatter runs after generation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_DIGITS = re.compile(r"(\d+)")


def isort_key(name: str) -> tuple[int, list[str | int]]:
    """isort's order-by-type (CONSTANTS, then Classes, then the rest), each in natural order
    (`R2` before `R10`), as ruff sorts imports (I001) and `__all__` (RUF022)."""
    natural: list[str | int] = [int(p) if p.isdigit() else p for p in _DIGITS.split(name)]
    if len(name) > 1 and name.isupper():
        return (0, natural)
    if name[:1].isupper():
        return (1, natural)
    return (2, natural)


@dataclass(slots=True)
class Imports:
    """`from module import name` lines of one module, by section."""

    stdlib: dict[str, set[str]] = field(default_factory=dict)
    third_party: dict[str, set[str]] = field(default_factory=dict)
    """pydantic, for that flavour; never in a module that imports contractgen.runtime, whose
    section therefore sorts the same whether or not contractgen counts as first-party."""
    runtime: dict[str, set[str]] = field(default_factory=dict)
    local: dict[tuple[str, str], str] = field(default_factory=dict)
    """(relative package, module) -> alias: `from <package> import <module> as <alias>`."""
    local_names: dict[str, set[str]] = field(default_factory=dict)
    """relative module -> names: `from <module> import <name>`."""

    def std(self, module: str, name: str) -> str:
        """Import `name` from a stdlib (or pydantic) module; returns the name to use."""
        group = self.third_party if module.partition(".")[0] == "pydantic" else self.stdlib
        group.setdefault(module, set()).add(name)
        return name

    def rt(self, name: str) -> str:
        """Import `name` from contractgen.runtime; returns the name to use."""
        self.runtime.setdefault("contractgen.runtime", set()).add(name)
        return name

    def module(self, package: str, module: str, alias: str) -> str:
        """Import a sibling module of the generated package under `alias`; returns the alias."""
        self.local[(package, module)] = alias
        return alias

    def name(self, module: str, name: str) -> str:
        """Import `name` from a module of the generated package (relative path)."""
        self.local_names.setdefault(module, set()).add(name)
        return name

    late: dict[str, set[str]] = field(default_factory=dict)
    """Relative imports placed after the module's classes (see ModuleScope.late)."""

    def late_name(self, module: str, name: str) -> str:
        self.late.setdefault(module, set()).add(name)
        return name

    def late_module(self, package: str, module: str, alias: str) -> str:
        self.late.setdefault(package, set()).add(f"{module} as {alias}")
        return alias

    def render_late(self) -> str:
        """The late import block, or "". It is indented under `if True:` so no rule set reads it
        as a misplaced module import (E402) and none needs a `noqa` that another would call
        unused (RUF100, on in ruff's defaults, where E402 is off)."""
        lines = []
        for module in sorted(self.late, key=lambda m: (-_dots(m), m.lstrip("."))):
            plain = sorted((n for n in self.late[module] if " as " not in n), key=isort_key)
            aliased = sorted(n for n in self.late[module] if " as " in n)
            lines += [f"    from {module} import {n}" for n in aliased]
            if plain:
                lines.append(f"    from {module} import {', '.join(plain)}")
        if not lines:
            return ""
        return "\n".join(
            [
                "if True:  # after the classes: in an import cycle the other module is mid-import",
                *lines,
            ]
        )

    def render(self) -> str:
        sections = [["from __future__ import annotations"]]
        for group in (self.stdlib, self.third_party, self.runtime):
            if group:
                sections.append([_from_line(m, group[m]) for m in sorted(group)])
        relative = [
            (package, f"from {package} import {module} as {alias}")
            for (package, module), alias in self.local.items()
        ] + [(module, _from_line(module, names)) for module, names in self.local_names.items()]
        if relative:
            # as ruff's isort wants: furthest-to-closest (more dots first), then by module
            relative.sort(key=lambda item: (-_dots(item[0]), item[0].lstrip("."), item[1]))
            sections.append([line for _, line in relative])
        return "\n\n".join("\n".join(lines) for lines in sections) + "\n"


def _dots(module: str) -> int:
    return len(module) - len(module.lstrip("."))


def _from_line(module: str, names: set[str]) -> str:
    ordered = ", ".join(sorted(names, key=isort_key))
    line = f"from {module} import {ordered}"
    if len(line) <= 100:
        return line
    body = "".join(f"    {name},\n" for name in sorted(names, key=isort_key))
    return f"from {module} import (\n{body})"
