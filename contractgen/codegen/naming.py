"""Python names for Avro names: the only place where they are decided.

Every name that reaches generated code goes through one of the `str` subtypes below, so it can only
hold an identifier that is valid, not a keyword, and does not shadow a name the generated module
itself needs (builtins, the stdlib names it imports, the methods every model has). The view keeps
the Avro name next to each Python name, so conversions use an explicit key map and never reflect.
"""

from __future__ import annotations

import builtins
import keyword
import posixpath
import re
from collections.abc import Iterable

# Names a generated module binds at module level or reads from builtins: a class of that name
# would shadow them.
_MODULE_NAMES = frozenset(
    (
        "Any",
        "ClassVar",
        "Self",
        "Mapping",
        "Enum",
        "Decimal",
        "UUID",
        "date",
        "datetime",
        "time",
        "timezone",
        "dataclass",
        "field",
        "annotations",
        "BaseModel",
        "ConfigDict",
        "Field",
        "AVRO_TYPES",
        "Duration",
        "check_int",
        "check_long",
        "check_fixed",
        "check_decimal",
        "enum",
        "struct",
        "typing",
    )
)
_BUILTINS = frozenset(name for name in dir(builtins) if not name.startswith("_"))
# Builtins that generated class bodies use in annotations and defaults: an attribute of that name
# would shadow them for the rest of the class body. (`id`, `type`, `format` are fine as fields.)
_CLASS_SCOPE_BUILTINS = frozenset(
    ("bool", "bytes", "dict", "float", "int", "list", "str", "tuple", "object")
)

# Attributes every generated model (either flavour) already has, and pydantic's BaseModel API
# (pydantic 2.x): a field with one of these names would replace a method. Both flavours reserve
# them, so a field has the same Python name in either.
_MEMBER_NAMES = frozenset(
    (
        "to_avro",
        "from_avro",
        "validate_avro",
        "AVRO_ALIASES",
        "cls",  # pydantic's model_construct(cls, ...) takes no field of that name
        "validate",
        "AVRO_SCHEMA",
        "AVRO_NAME",
        "model_computed_fields",
        "model_config",
        "model_construct",
        "model_copy",
        "model_dump",
        "model_dump_json",
        "model_extra",
        "model_fields",
        "model_fields_set",
        "model_json_schema",
        "model_parametrized_name",
        "model_post_init",
        "model_rebuild",
        "model_validate",
        "model_validate_json",
        "model_validate_strings",
        "copy",
        "dict",
        "json",
        "schema",
        "schema_json",
        "construct",
        "from_orm",
        "parse_obj",
        "parse_raw",
        "parse_file",
        "update_forward_refs",
        "fields",
    )
)
# Enum members may not be called like Enum's own attributes.
_ENUM_MEMBER_RESERVED = frozenset(("name", "value", "mro"))

_NON_IDENT = re.compile(r"[^0-9A-Za-z_]+")
_WORD_BOUNDARY = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")


def _reserved(name: str) -> bool:
    return keyword.iskeyword(name) or keyword.issoftkeyword(name) or name in _BUILTINS


def _ascii_words(name: str) -> list[str]:
    """The words of a name: split on non-identifier characters, underscores and case changes."""
    words: list[str] = []
    for chunk in _NON_IDENT.sub("_", name).split("_"):
        words.extend(word for word in _WORD_BOUNDARY.split(chunk) if word)
    return words


def _fix_start(name: str, prefix: str) -> str:
    return f"{prefix}{name}" if not name or name[0].isdigit() else name


_ATTRIBUTE_TAKEN = _CLASS_SCOPE_BUILTINS | _MODULE_NAMES | _MEMBER_NAMES
# already snake_case: its words joined by `_` give it back unchanged (the common case, made fast)
_SNAKE = re.compile(r"[a-z][a-z0-9]*(?:_[a-z0-9]+)*")


class AttributeName(str):
    """A snake_case attribute of a generated class (a record field)."""

    __slots__ = ()

    def __new__(cls, avro_name: str) -> AttributeName:
        if _SNAKE.fullmatch(avro_name):
            name = avro_name
        else:
            name = "_".join(word.lower() for word in _ascii_words(avro_name))
            name = _fix_start(name, "f_")
        if keyword.iskeyword(name) or name in _ATTRIBUTE_TAKEN:
            name = f"{name}_"
        # pydantic treats leading underscores as private and dataclasses would mangle `__x`
        return str.__new__(cls, name.lstrip("_") or "f_")


class ClassName(str):
    """A CapWords class name for a record or enum."""

    __slots__ = ()

    def __new__(cls, avro_name: str) -> ClassName:
        if re.fullmatch(r"[A-Z][A-Za-z0-9]*", avro_name):
            name = avro_name
        else:
            name = "".join(word[0].upper() + word[1:] for word in _ascii_words(avro_name))
        name = _fix_start(name, "T")
        if _reserved(name) or name in _MODULE_NAMES:
            name = f"{name}Type"
        return str.__new__(cls, name)


class MemberName(str):
    """An enum member for an Avro symbol: UPPER_SNAKE unless the symbol already is a valid name."""

    __slots__ = ()

    def __new__(cls, symbol: str) -> MemberName:
        if re.fullmatch(r"[A-Z][A-Z0-9_]*|[a-z][a-z0-9_]*|[A-Z][A-Za-z0-9]*", symbol):
            name = symbol
        else:
            name = "_".join(word.upper() for word in _ascii_words(symbol))
        name = _fix_start(name, "V_")
        if _reserved(name) or name in _ENUM_MEMBER_RESERVED or name.startswith("_"):
            name = f"{name.lstrip('_') or 'V'}_"
        return str.__new__(cls, name)


class ModuleName(str):
    """One segment of a package path for an Avro namespace segment."""

    __slots__ = ()

    def __new__(cls, segment: str) -> ModuleName:
        name = _fix_start("_".join(word.lower() for word in _ascii_words(segment)), "ns_")
        if _reserved(name) or name in _MODULE_NAMES:
            name = f"{name}_"
        return str.__new__(cls, name.lstrip("_") or "ns_")


def unique(names: Iterable[str], taken: Iterable[str] = (), *, numbered: bool = False) -> list[str]:
    """The names in order, each made distinct from the ones before (and from `taken`).

    Attributes get a trailing `_`; class names (`numbered`) a counter, which keeps them CapWords.
    """
    seen = set(taken)
    result: list[str] = []
    for name in names:
        candidate, counter = name, 1
        while candidate in seen:
            counter += 1
            candidate = f"{name}{counter}" if numbered else f"{candidate}_"
        seen.add(candidate)
        result.append(candidate)
    return result


TOPIC_CLASS_KINDS = ("Event", "Producer", "Consumer", "AsyncProducer", "AsyncConsumer")
# What a topic module imports from the runtime: no class of the topic may be called like one.
_TOPIC_MODULE_NAMES = frozenset(
    (
        "AsyncConsumer",
        "AsyncIdempotencyStore",
        "AsyncProducer",
        "Consumer",
        "DeadLetterPolicy",
        "IdempotencyStore",
        "Producer",
        "SchemaRegistry",
        "TopicSpec",
    )
)


def topic_class_prefix(topic: str) -> str:
    """The class-name prefix of a topic's classes: `order-events` -> `OrderEvents`; a topic whose
    classes would take a runtime name (`async` -> `AsyncProducer`) gets `Topic` added."""
    prefix = str(ClassName(topic))
    if any(f"{prefix}{kind}" in _TOPIC_MODULE_NAMES | _MODULE_NAMES for kind in TOPIC_CLASS_KINDS):
        prefix += "Topic"
    return prefix


def describe_sources(files: list[str]) -> str:
    """What a header says a file was generated from: the files, or their common directory."""
    unique_files = sorted(set(files))
    if not unique_files:
        return "its configuration"
    listed = ", ".join(unique_files)
    if len(listed) <= 40:
        return listed
    if len(unique_files) == 1:
        return unique_files[0]
    common = posixpath.commonpath(unique_files)
    if common in ("", "/"):  # roots that share no directory: no path says more than a count
        return f"{len(unique_files)} schema files"
    return f"{common}/"
