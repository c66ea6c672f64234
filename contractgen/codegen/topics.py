"""One topic -> its module: the event union, the TopicSpec and the typed clients bound to it."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass

from contractgen.codegen.layout import Layout
from contractgen.codegen.naming import TOPIC_CLASS_KINDS, describe_sources
from contractgen.codegen.pysource import docstring, fit, string_chunks, string_literal
from contractgen.codegen.render import ModuleFile, module_file
from contractgen.codegen.view import ModuleScope
from contractgen.ir.model import NamedType, Record, Topic


@dataclass(frozen=True, slots=True)
class TopicView:
    name: str
    name_literal: str
    prefix: str
    event: str
    spec: str
    union: list[str]
    """`<Event>: TypeAlias = <union>`, as lines."""
    value_subject: str
    key_subject: str
    value_schema: Iterator[str]
    """The `value_schema=` argument's lines, made as the template writes them."""
    key_schema: Iterator[str]
    events: list[tuple[str, str]]
    key_field: str
    dlq_topic: str


def _key_attribute(topic: Topic, types: Mapping[str, NamedType], layout: Layout) -> str | None:
    """The Python attribute of the key field (the runtime reads it with getattr)."""
    if topic.key_field is None:
        return None
    for event in topic.events:
        record = types[event]
        if isinstance(record, Record):
            for index, avro_field in enumerate(record.fields):
                if avro_field.name == topic.key_field:
                    return layout.attributes[event][index]
    return topic.key_field


def _argument(name: str, text: str) -> Iterator[str]:
    """`name=<text>,` in the TopicSpec call: one literal, or adjacent ones in parentheses."""
    chunks = string_chunks(text, 88)
    first = next(chunks)
    second = next(chunks, None)
    if second is None:
        yield f"    {name}={first},"
        return
    yield f"    {name}=("
    yield f"        {first}"
    yield f"        {second}"
    for chunk in chunks:
        yield f"        {chunk}"
    yield "    ),"


@contextmanager
def topic_file(
    topic: Topic, module: str, prefix: str, layout: Layout, types: Mapping[str, NamedType]
) -> Iterator[ModuleFile]:
    scope = ModuleScope((), types, layout)
    refs = [scope.ref(event) for event in topic.events]
    event = f"{prefix}Event"
    union = fit("", f"{event}: TypeAlias = ", " | ".join(refs), "")
    key_attribute = _key_attribute(topic, types, layout)
    view = TopicView(
        name=topic.name,
        name_literal=string_literal(topic.name),
        prefix=prefix,
        event=event,
        spec="TOPIC",
        union=union,
        value_subject=string_literal(topic.value.subject),
        key_subject=string_literal(topic.key.subject),
        value_schema=_argument("value_schema", topic.value.identity.canonical),
        key_schema=_argument("key_schema", topic.key.identity.canonical),
        events=list(zip(topic.events, refs, strict=True)),
        key_field="None" if key_attribute is None else string_literal(key_attribute),
        dlq_topic=string_literal(topic.dead_letter_topic),
    )
    names = [f"{prefix}{kind}" for kind in TOPIC_CLASS_KINDS[1:]]
    with module_file(
        f"{module}.py",
        "topic.py.jinja",
        source=describe_sources([*topic.value.files, *topic.key.files]),
        doc=docstring(f"Topic `{topic.name}`: its events, contract and typed clients.", ""),
        imports=scope.imports,
        exports=[view.event, view.spec, *names],
        topic=view,
    ) as file:
        yield file
