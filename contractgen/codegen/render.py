"""The view -> Python source of every generated file, through jinja2 templates.

Each module's body is rendered first: rendering it records every import it needs, so the header
rendered afterwards has a complete import block (the order python-betterproto uses). Undefined
template variables are errors, never empty strings.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

import jinja2

from contractgen.codegen.imports import Imports, isort_key
from contractgen.codegen.pysource import comment_text
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


@dataclass(frozen=True, slots=True)
class GeneratedFile:
    path: str
    """Relative to the output directory, `/`-separated."""
    text: str


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


def render_module(
    template: str,
    *,
    source: str,
    doc: list[str],
    imports: Imports,
    exports: list[str],
    **context: Any,
) -> str:
    """Body first (it adds to `imports`), then the header with the finished import block."""
    helpers: Mapping[str, Callable[..., str]] = {"need": imports.std, "need_rt": imports.rt}
    body = environment().get_template(template).render(**helpers, **context)
    header = (
        environment()
        .get_template("header.py.jinja")
        .render(
            source=comment_text(source),
            doc=doc,
            imports=imports.render(),
            exports=sorted(exports, key=isort_key),
        )
    )
    body = body.strip("\n")
    late = imports.render_late()
    if late:
        body = f"{body}\n\n\n{late}"
    if not body:
        return header.rstrip("\n") + "\n"
    # two blank lines before a top-level definition, one before a statement
    gap = "\n\n\n" if body.startswith(("class ", "def ", "@")) else "\n\n"
    return f"{header.rstrip(chr(10))}{gap}{body}\n"
