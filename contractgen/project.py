"""The front end every command shares: config → schema files → Avro → IR, in one call.

check, register, generate, validate and ls all start here, so a schema means the same thing to
every one of them (DESIGN.md §2).
"""

from __future__ import annotations

import difflib
import os
from dataclasses import dataclass
from pathlib import Path

from contractgen.avro.loader import ParseMemo, SchemaSet, load_schema_files
from contractgen.compat.rules import RULES, Category
from contractgen.config import Config, load_config
from contractgen.diagnostics import ContractError, Diagnostic
from contractgen.ir.build import BuildMemo, build
from contractgen.ir.model import ContractSet
from contractgen.sources.worktree import read_schema_files


@dataclass(frozen=True, slots=True)
class Project:
    config: Config
    schemas: SchemaSet
    contracts: ContractSet


def load_project(
    config_path: str | os.PathLike[str] | None = None,
    *,
    cwd: Path | None = None,
    parse_memo: ParseMemo | None = None,
    build_memo: BuildMemo | None = None,
) -> Project:
    """Load the config (found upward from `cwd` unless given), every schema file and the IR.

    Raises ContractError listing every problem in the config and the schemas. The memos, when
    given, keep the parses and topics for a later load of the same files (`check`'s baseline).
    """
    config = load_config(config_path, cwd=cwd)
    schemas = load_schema_files(read_schema_files(config), memo=parse_memo)
    problems = lint_key_problems(config)
    try:
        contracts = build(config, schemas, build_memo)
    except ContractError as error:
        raise ContractError([*problems, *error.diagnostics]) from None
    if problems:
        raise ContractError(problems)
    return Project(config, schemas, contracts)


def lint_key_problems(config: Config) -> list[Diagnostic]:
    """CFG003 for each `[lint]` key that is not a rule taking a severity (a lint or check rule).

    The rule table lives in `compat`, above `config` in the layering: so checked here, not there.
    """
    known = sorted(r.id for r in RULES.values() if r.category in (Category.LINT, Category.CHECK))
    problems = []
    for name in config.lint:
        if name in known:
            continue
        close = difflib.get_close_matches(name, known, n=1, cutoff=0.6)
        hint = f"did you mean `{close[0]}`?" if close else "known rules: " + ", ".join(known)
        problems.append(Diagnostic(
            "CFG003",
            f"unknown lint rule `{name}` in `[lint]`; {hint}",
            config.source.location("lint", name),
        ))  # fmt: skip
    return problems
