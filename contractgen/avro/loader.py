"""Load many `.avsc` files as one set of named types, resolving names across files.

Files may use each other's types by full name (or by short name within the same namespace) in any
order: names are collected from every file first, then each file is parsed against all of them.
The result does not depend on the order the files are given in.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from contractgen.avro import names
from contractgen.avro.canonical import canonical_string
from contractgen.avro.defaults import PendingDefault, default_problems
from contractgen.avro.parse import DUPLICATE_DEFINITION, ParsedFile, parse_document
from contractgen.avro.positions import SourceText
from contractgen.avro.resolve import self_contained
from contractgen.diagnostics import ContractError, Diagnostic
from contractgen.ir.model import AvroSchema, JsonValue, NamedType


@dataclass(frozen=True, slots=True)
class SchemaFile:
    """A schema document and the path it is shown as (relative to the project root)."""

    path: str
    text: str


@dataclass(frozen=True, slots=True)
class SchemaSet:
    types: dict[str, NamedType]
    """Every named type, by full name, as written in its file (read-only)."""
    type_files: dict[str, str]
    """The file that defines each named type."""

    def schema_for(self, fullname: str) -> AvroSchema:
        """The self-contained schema of one named type, other files' types inlined."""
        return self_contained(self.types[fullname], self.types)


def _declared(value: JsonValue, space: str | None) -> Iterable[str]:
    """Full names of the named types defined anywhere in a schema document."""
    if isinstance(value, list):
        for branch in value:
            yield from _declared(branch, space)
        return
    if not isinstance(value, dict):
        return
    kind = value.get("type")
    if isinstance(kind, (dict, list)):
        yield from _declared(kind, space)
        return
    inner = space
    name = value.get("name")
    if kind in ("record", "error", "enum", "fixed") and isinstance(name, str):
        explicit = value.get("namespace")
        namespace = names.namespace_of(name, explicit if isinstance(explicit, str) else None, space)
        fullname = names.make_fullname(name.rpartition(".")[2], namespace)
        inner = namespace
        yield fullname
    for key in ("items", "values"):
        if key in value:
            yield from _declared(value[key], inner)
    fields = value.get("fields")
    if isinstance(fields, list):
        for field in fields:
            if isinstance(field, dict) and "type" in field:
                yield from _declared(field["type"], inner)


@dataclass(slots=True)
class ParseMemo:
    """Per-file work kept across loads of related file sets (the states of a git history).

    A file's JSON depends only on its text, and its parse only on its path, its text, the mode and
    the names declared by all the files: with those as the key, a file seen in an earlier load is
    not parsed again. Parsed files are never changed after their parse, so sharing them is safe.
    """

    sources: dict[tuple[str, str], SourceText] = field(default_factory=dict)
    parsed: dict[tuple[str, str, bool, frozenset[str]], ParsedFile] = field(default_factory=dict)


def load_schema_files(
    files: Sequence[SchemaFile], *, strict: bool = True, memo: ParseMemo | None = None
) -> SchemaSet:
    """Parse every file and resolve names across them. Raises ContractError with every problem.

    `memo`: reuse (and keep) the JSON and parse of files already loaded with it.
    """
    memo = memo if memo is not None else ParseMemo()
    problems: list[Diagnostic] = []
    sources: list[SourceText] = []
    for file in sorted(files, key=lambda f: f.path):
        source = memo.sources.get((file.path, file.text))
        if source is None:
            try:
                source = SourceText.parse(file.path, file.text)
            except ContractError as error:
                problems.extend(error.diagnostics)
                continue
            memo.sources[file.path, file.text] = source
        sources.append(source)
    declared = [frozenset(_declared(source.value, None)) for source in sources]
    everything = frozenset().union(*declared)

    parsed: list[ParsedFile] = []
    for source, own in zip(sources, declared, strict=True):
        key = (source.file, source.text, strict, everything)
        document = memo.parsed.get(key)
        if document is None:
            try:
                # a name the document defines itself binds as Java binds it within one text
                # (from the end of its definition, after the enclosing namespace's candidate);
                # only the other files' names are known from the start
                external = everything - own
                document = parse_document(source, strict=strict, external=external)
            except ContractError as error:
                problems.extend(error.diagnostics)
                continue
            memo.parsed[key] = document
        parsed.append(document)
    if problems:
        raise ContractError(problems)

    types: dict[str, NamedType] = {}
    type_files: dict[str, str] = {}
    pending: list[PendingDefault] = []
    for document in parsed:
        pending.extend(document.defaults)
        for fullname, definition in document.defined.items():
            if fullname in types:
                continue
            types[fullname] = definition
            type_files[fullname] = document.source.file
    problems.extend(_conflicts(parsed, types, type_files))
    if strict:
        problems.extend(default_problems(pending, types))
    if problems:
        raise ContractError(problems)
    return SchemaSet(types, type_files)


def _conflicts(
    parsed: Sequence[ParsedFile], types: dict[str, NamedType], type_files: dict[str, str]
) -> list[Diagnostic]:
    """Definitions of one full name that differ from the first one (identical copies are fine)."""
    problems: list[Diagnostic] = []
    for document in parsed:
        for fullname, definition in document.defined.items():
            first = types[fullname]
            if first is definition:
                continue
            same = canonical_string(self_contained(first, types)) == canonical_string(
                self_contained(definition, {**types, fullname: definition})
            )
            if not same:
                problems.append(
                    Diagnostic(
                        DUPLICATE_DEFINITION,
                        f"{fullname!r} is already defined differently in {type_files[fullname]}; "
                        "keep one definition and refer to it by name",
                        definition.location,
                    )
                )
    return problems
