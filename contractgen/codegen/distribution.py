"""The generated package as an installable distribution (`[distribution]` in the config).

The output directory becomes the distribution: `pyproject.toml` at its top, the package under
it at its import path (`<output>/acme/contracts/` for `acme.contracts`), `py.typed` included. So a
service in another repository installs it like any other package (`pip install <path>`, a git
URL with `#subdirectory=`, or a wheel from an internal index) and no `PYTHONPATH` is needed.

It depends on the contractgen runtime of the series that generated it: `>=X.Y,<X.Y+1` while
contractgen is 0.x (a minor release may change the runtime API), `>=X.Y,<X+1` from 1.0.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from importlib.metadata import PackageNotFoundError, version

from contractgen.codegen.pysource import comment_text
from contractgen.codegen.render import GeneratedFile, Options, OutputFile, environment
from contractgen.config import DistributionConfig, Flavour


def runtime_requirement(flavour: Flavour) -> str:
    """The requirement on contractgen, with the extra the flavour needs."""
    try:
        current = version("contractgen")
    except PackageNotFoundError:  # a source tree that was never installed: its own version
        current = "0.1.0"
    major, minor = (int(part) for part in current.split(".")[:2])
    upper = f"{major}.{minor + 1}" if major == 0 else f"{major + 1}"
    extra = "[pydantic]" if flavour is Flavour.PYDANTIC else ""
    return f"contractgen{extra}>={major}.{minor},<{upper}"


def as_distribution(
    files: Iterable[OutputFile], options: Options, distribution: DistributionConfig, source: str
) -> Iterator[OutputFile]:
    """The package's files moved under its import path, and the `pyproject.toml` building it."""
    prefix = options.package.replace(".", "/")
    for file in files:
        yield file.moved(f"{prefix}/{file.path}")
    # names and versions are ASCII (the config checks them): JSON strings are TOML strings
    text = (
        environment()
        .get_template("pyproject.toml.jinja")
        .render(
            source=comment_text(source),
            name=json.dumps(distribution.name),
            version=json.dumps(distribution.version),
            package=json.dumps(options.package),
            packages=json.dumps(f"{options.package}.*"),
            requirement=json.dumps(runtime_requirement(options.flavour)),
        )
    )
    yield GeneratedFile("pyproject.toml", text)
