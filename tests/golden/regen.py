"""Regenerate every golden case: `python -m tests.golden.regen` from the repository root.

A case is a directory with a `contractgen.toml` and its `schemas/`. Generation writes the package
to `expected/<package>/`; a case whose schemas must be refused gets `stderr.txt` instead, holding
the diagnostics exactly as the CLI prints them. Review the diff, then commit it.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

from contractgen.codegen.output import write
from contractgen.codegen.package import generate
from contractgen.codegen.render import GeneratedFile, Options
from contractgen.config import load_config
from contractgen.diagnostics import ContractError
from contractgen.project import load_project

GOLDEN = Path(__file__).resolve().parent
CASES = sorted(p.name for p in GOLDEN.iterdir() if (p / "contractgen.toml").is_file())


def render_case(case: str) -> tuple[Path, list[GeneratedFile] | str]:
    """The case's output directory and its files, or the diagnostics text if it is refused."""
    config = load_config(GOLDEN / case / "contractgen.toml", cwd=GOLDEN / case)
    options = Options(
        package=config.package,
        flavour=config.flavour,
        frozen=config.frozen,
        distribution=config.distribution,
    )
    try:
        contracts = load_project(config.source.path, cwd=GOLDEN / case).contracts
        return config.output, generate(contracts, options)
    except ContractError as error:
        return config.output, "".join(f"{d}\n" for d in error.diagnostics)


def regenerate(case: str) -> None:
    output, result = render_case(case)
    expected = GOLDEN / case / "expected"
    stderr = GOLDEN / case / "stderr.txt"
    shutil.rmtree(expected, ignore_errors=True)
    stderr.unlink(missing_ok=True)
    if isinstance(result, str):
        stderr.write_text(result, "utf-8")
    else:
        write(output, result)


def main(cases: list[str]) -> None:
    for case in cases or CASES:
        regenerate(case)
        print(f"regenerated {case}")


if __name__ == "__main__":
    main(sys.argv[1:])
