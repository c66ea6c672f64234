"""One topic -> its module: the event union, the TopicSpec and the typed clients bound to it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from contractgen.codegen.layout import Layout
from contractgen.codegen.naming import TOPIC_CLASS_KINDS, describe_sources
from contractgen.codegen.pysource import docstring, fit, string_chunks, string_literal
from contractgen.codegen.render import GeneratedFile, render_module
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
    value_schema: list[str]
    key_schema: list[str]
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


def topic_file(
    topic: Topic, module: str, prefix: str, layout: Layout, types: Mapping[str, NamedType]
) -> GeneratedFile:
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
        value_schema=string_chunks(topic.value.identity.canonical, 88),
        key_schema=string_chunks(topic.key.identity.canonical, 88),
        events=list(zip(topic.events, refs, strict=True)),
        key_field="None" if key_attribute is None else string_literal(key_attribute),
        dlq_topic=string_literal(topic.dead_letter_topic),
    )
    names = [f"{prefix}{kind}" for kind in TOPIC_CLASS_KINDS[1:]]
    text = render_module(
        "topic.py.jinja",
        source=describe_sources([*topic.value.files, *topic.key.files]),
        doc=docstring(f"Topic `{topic.name}`: its events, contract and typed clients.", ""),
        imports=scope.imports,
        exports=[view.event, view.spec, *names],
        topic=view,
    )
    return GeneratedFile(f"{module}.py", text)
