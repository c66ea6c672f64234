"""`contractgen init`: the files of a new contracts repository, as data (the CLI writes them).

The scaffold is a working example, not a template to fill in: it passes `validate`, `check` and
`generate --check` as soon as it is written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib.resources import files

import jinja2

_FILES = {
    "contractgen.toml": "contractgen.toml.jinja",
    "schemas/{namespace_path}/{event}.avsc": "Event.avsc.jinja",
    ".pre-commit-config.yaml": "pre-commit-config.yaml.jinja",
    ".github/workflows/contracts.yml": "contracts.yml.jinja",
    "README.md": "README.md.jinja",
    ".gitignore": "gitignore.jinja",
}


@dataclass(frozen=True, slots=True)
class ScaffoldOptions:
    title: str
    package: str = "generated"
    namespace: str = "com.example.things"
    event: str = "ThingCreated"
    topic: str = "things"
    key_field: str = "thing_id"
    hooks_repo: str | None = None
    """A git URL of contractgen for pinned pre-commit hooks; None: hooks of the installed tool."""
    hooks_rev: str = "main"
    install_spec: str = "contractgen"
    """What CI installs (`pip install <install_spec>`)."""


def title_for(directory_name: str) -> str:
    words = [w for w in re.split(r"[^A-Za-z0-9]+", directory_name) if w]
    return " ".join(words).capitalize() or "Event contracts"


def scaffold_files(options: ScaffoldOptions) -> dict[str, str]:
    """Relative path → text of every file of the scaffold."""
    environment = jinja2.Environment(
        loader=jinja2.FunctionLoader(
            lambda name: files(__package__).joinpath("files", name).read_text("utf-8")
        ),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        autoescape=False,
    )
    values = {
        **{k: getattr(options, k) for k in options.__dataclass_fields__},
        "namespace_path": options.namespace.replace(".", "/"),
    }
    return {
        path.format(**values): environment.get_template(template).render(values)
        for path, template in _FILES.items()
    }
