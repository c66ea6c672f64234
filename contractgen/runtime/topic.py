"""What generated code declares once per topic."""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Generic

from contractgen.runtime.model import AvroModel, P


@dataclass(frozen=True, slots=True, kw_only=True)
class TopicSpec(Generic[P]):
    """A topic's contract: names, schemas and event classes, as generated from the IR."""

    name: str
    value_subject: str
    key_subject: str
    value_schema: str
    """Registry canonical string of the topic's envelope record."""
    key_schema: str
    """Registry canonical string of the key type, e.g. '"string"'."""
    events: Mapping[str, type[AvroModel]]
    """Avro full name -> generated event class, for every record in the payload union."""
    key_field: str | None = None
    """Payload attribute used as the message key when the caller gives none."""
    dlq_topic: str | None = None
    """The topic's dead-letter topic as configured; None: `<topic>-dlq`."""

    @property
    def dead_letter_topic(self) -> str:
        return self.dlq_topic or f"{self.name}-dlq"
