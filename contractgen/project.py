"""The front end every command shares: config → schema files → Avro → IR, in one call.

check, register, generate, validate and ls all start here, so a schema means the same thing to
every one of them (DESIGN.md §2).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from contractgen.avro.loader import SchemaSet, load_schema_files
from contractgen.config import Config, load_config
from contractgen.ir.build import build
from contractgen.ir.model import ContractSet
from contractgen.sources.worktree import read_schema_files


@dataclass(frozen=True, slots=True)
class Project:
    config: Config
    schemas: SchemaSet
    contracts: ContractSet


def load_project(
    config_path: str | os.PathLike[str] | None = None, *, cwd: Path | None = None
) -> Project:
    """Load the config (found upward from `cwd` unless given), every schema file and the IR.

    Raises ContractError listing every problem in the config and the schemas.
    """
    config = load_config(config_path, cwd=cwd)
    schemas = load_schema_files(read_schema_files(config))
    return Project(config, schemas, build(config, schemas))
