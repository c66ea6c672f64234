"""The protocol every generated model class satisfies."""

from collections.abc import Mapping
from typing import Any, ClassVar, Protocol, Self, TypeVar


class AvroModel(Protocol):
    """A generated record class.

    `to_avro` returns a dict ready for fastavro's writer: nested unions of records in tuple form
    ``("full.Name", dict)``, logical types as fastavro accepts them. `from_avro` takes fastavro's
    reader output produced with ``return_named_type=True`` (records, enums and fixed in unions
    come as ``(name, value)``).
    """

    AVRO_SCHEMA: ClassVar[str]
    """The registry canonical string (JSON) of this record's full schema."""
    AVRO_NAME: ClassVar[str]
    """The Avro full name, e.g. ``com.acme.orders.OrderCreated``."""

    def to_avro(self) -> dict[str, Any]: ...

    @classmethod
    def from_avro(cls, data: Mapping[str, Any]) -> Self: ...


P = TypeVar("P", bound=AvroModel)
"""The payload type of a topic: one event class or a union of them."""
