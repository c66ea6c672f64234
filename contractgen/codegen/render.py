"""The view -> Python source of every generated file, through jinja2 templates.

Each module's body is rendered first: rendering it records every import it needs, so the header
rendered afterwards has a complete import block (the order python-betterproto uses). The body is
streamed into a `Spool` as the template yields it, so a module is never one string while it is
made. Undefined template variables are errors, never empty strings.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from typing import Any, Protocol, Self

import jinja2

from contractgen.codegen.imports import Imports, isort_key
from contractgen.codegen.pysource import comment_text
from contractgen.codegen.spool import Spool
from contractgen.config import DistributionConfig, Flavour

API_LEVEL = 1
"""The contractgen.runtime API level generated code needs (see runtime/api_level.py)."""


@dataclass(frozen=True, slots=True)
class Options:
    package: str = "generated"
    """The import name of the generated package (may be dotted: `myapp.contracts`)."""
    flavour: Flavour = Flavour.DATACLASSES
    frozen: bool = False
    distribution: DistributionConfig | None = None
    """Also write an installable distribution: `pyproject.toml` at the top of the output, the
    package under it (see `distribution.py`)."""


class OutputFile(Protocol):
    """A generated file as `output` writes or compares it: its text in chunks."""

    @property
    def path(self) -> str:
        """Relative to the output directory, `/`-separated."""

    def chunks(self) -> Iterator[str]:
        """The text, in pieces (again on each call)."""

    def moved(self, path: str) -> Self: ...


@dataclass(frozen=True, slots=True)
class GeneratedFile:
    path: str
    """Relative to the output directory, `/`-separated."""
    text: str

    def chunks(self) -> Iterator[str]:
        yield self.text

    def moved(self, path: str) -> GeneratedFile:
        return GeneratedFile(path, self.text)


@dataclass(frozen=True, slots=True)
class ModuleFile:
    """A rendered module: header, body (in a spool, valid while `module_file` is open), end."""

    path: str
    head: str
    body: Spool
    tail: str

    def chunks(self) -> Iterator[str]:
        yield self.head
        yield from self.body.chunks()
        yield self.tail

    def moved(self, path: str) -> ModuleFile:
        return ModuleFile(path, self.head, self.body, self.tail)


@cache
def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("contractgen.codegen", "templates"),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        autoescape=False,  # the output is Python source, not HTML
        auto_reload=False,  # installed templates do not change: no stat per get_template
    )
    # a macro's output ends in the newlines of its last block; callers place their own
    env.filters["rstrip"] = lambda text: str(text).rstrip()
    return env


@contextmanager
def module_file(
    path: str,
    template: str,
    *,
    source: str,
    doc: list[str],
    imports: Imports,
    exports: list[str],
    **context: Any,
) -> Iterator[ModuleFile]:
    """Body first (it adds to `imports`), then the header with the finished import block."""
    helpers: Mapping[str, Callable[..., str]] = {"need": imports.std, "need_rt": imports.rt}
    body = Spool()
    try:
        body.write(environment().get_template(template).generate(**helpers, **context))
        header = (
            environment()
            .get_template("header.py.jinja")
            .render(
                source=comment_text(source),
                doc=doc,
                imports=imports.render(),
                exports=sorted(exports, key=isort_key),
            )
        ).rstrip("\n")
        late = imports.render_late()
        if body.empty and not late:
            yield ModuleFile(path, header + "\n", body, "")
            return
        # two blank lines before a top-level definition, one before a statement
        gap = "\n\n\n" if body.start.startswith(("class ", "def ", "@")) else "\n\n"
        yield ModuleFile(path, header + gap, body, f"\n\n\n{late}\n" if late else "\n")
    finally:
        body.close()


def render_module(template: str, **arguments: Any) -> str:
    """The whole text of a (small) module: see `module_file`."""
    with module_file("", template, **arguments) as file:
        return "".join(file.chunks())
