"""Load many `.avsc` files as one set of named types, resolving names across files.

Files may use each other's types by full name (or by short name within the same namespace) in any
order: names are collected from every file first, then each file is parsed against all of them.
The result does not depend on the order the files are given in.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass, field

from contractgen.avro import names
from contractgen.avro.canonical import canonical_string
from contractgen.avro.defaults import PendingDefault, default_problems
from contractgen.avro.parse import DUPLICATE_DEFINITION, ParsedFile, parse_document
from contractgen.avro.positions import SourceText, text_digest
from contractgen.avro.resolve import self_contained
from contractgen.diagnostics import ContractError, Diagnostic
from contractgen.ir.model import AvroSchema, JsonValue, NamedType

FileKey = tuple[str, bytes]
"""A file as a memo knows it: its path and the SHA-256 of its text (not the text itself: a big
schema's is megabytes, and its parse keeps it compressed)."""


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


class _Asked(Collection[str]):
    """The names declared by the other files, as one file's parse sees them: every question the
    parse asks (`name in external`) is recorded with its answer.

    A name the file defines itself is not external even when another file defines it too: it
    binds as Java binds it within one text (from the end of its definition, after the enclosing
    namespace's candidate); only the other files' names are known from the start."""

    def __init__(self, names: frozenset[str], own: frozenset[str]) -> None:
        self.names = names
        self.own = own
        self.asked: dict[str, bool] = {}

    def answer(self, name: object) -> bool:
        """Whether `name` is external, without recording the question."""
        return name in self.names and name not in self.own

    def __contains__(self, name: object) -> bool:
        found = self.answer(name)
        if isinstance(name, str):
            self.asked[name] = found
        return found

    def __iter__(self) -> Iterator[str]:
        raise TypeError("a parse may only ask whether a name is declared")

    def __len__(self) -> int:
        raise TypeError("a parse may only ask whether a name is declared")


@dataclass(slots=True)
class ParseMemo:
    """Per-file work kept across loads of related file sets (the states of a git history).

    A file's JSON depends only on its path and text. Its parse depends on its path, its text, the
    mode, and on the other files only through the answers to "is this name declared elsewhere?"
    (the candidates of each name it uses: `ns.Name`, then `Name`). A parse records the questions
    it asked; a later load reuses it when the names declared then give the same answers to those
    questions, since the parse would then ask the same questions and build the same result. A
    file whose references now resolve differently (a type it uses appeared, or disappeared) is
    parsed again; a change inside another file's type is not the file's concern (it refers to the
    type by name: building the contracts reads the type itself). Parsed files are never changed
    after their parse, so sharing them is safe.
    """

    sources: dict[FileKey, SourceText] = field(default_factory=dict)
    declared: dict[FileKey, tuple[str, ...]] = field(default_factory=dict)
    questions: dict[tuple[str, bytes, bool], list[tuple[str, ...]]] = field(default_factory=dict)
    """The questions each earlier parse of a file asked, by path, text and mode."""
    parsed: dict[tuple[str, bytes, bool, tuple[str, ...], tuple[bool, ...]], ParsedFile] = field(
        default_factory=dict
    )
    """Parses by path, text, mode, questions asked and their answers."""
    parses: int = 0
    """How many parses of a file were run (not reused) with this memo: what a test can count."""

    def source(self, file: SchemaFile) -> tuple[FileKey, SourceText]:
        key = (file.path, text_digest(file.text))
        source = self.sources.get(key)
        if source is None:
            source = SourceText.parse(file.path, file.text)
            self.sources[key] = source
            self.declared[key] = tuple(_declared(source.value, None))
        return key, source

    def parse(
        self, key: FileKey, source: SourceText, strict: bool, everything: frozenset[str]
    ) -> ParsedFile:
        """The parse of `source` with `everything` declared, reused when an earlier one holds."""
        external = _Asked(everything, frozenset(self.declared[key]))
        # A strict parse is kept only when it succeeded, and then it is also the lenient parse:
        # strict mode only adds checks (names, defaults), it builds the same result. So a lenient
        # load (a baseline) reuses the strict parse of the same file (the work tree).
        for mode in (True,) if strict else (False, True):
            for asked in self.questions.get((*key, mode), ()):
                answers = tuple(external.answer(name) for name in asked)
                found = self.parsed.get((*key, mode, asked, answers))
                if found is not None:
                    return found
        file = (*key, strict)
        asked_before = self.questions.setdefault(file, [])
        self.parses += 1
        document = parse_document(source, strict=strict, external=external)
        asked = tuple(external.asked)
        if asked not in asked_before:
            asked_before.append(asked)
        self.parsed[(*file, asked, tuple(external.asked.values()))] = document
        return document


def load_schema_files(
    files: Sequence[SchemaFile], *, strict: bool = True, memo: ParseMemo | None = None
) -> SchemaSet:
    """Parse every file and resolve names across them. Raises ContractError with every problem.

    `memo`: reuse (and keep) the JSON and parse of files already loaded with it.
    """
    memo = memo if memo is not None else ParseMemo()
    problems: list[Diagnostic] = []
    sources: list[tuple[FileKey, SourceText]] = []
    for file in sorted(files, key=lambda f: f.path):
        try:
            sources.append(memo.source(file))
        except ContractError as error:
            problems.extend(error.diagnostics)
    everything = frozenset(name for key, _ in sources for name in memo.declared[key])

    parsed: list[ParsedFile] = []
    for key, source in sources:
        try:
            parsed.append(memo.parse(key, source, strict, everything))
        except ContractError as error:
            problems.extend(error.diagnostics)
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
