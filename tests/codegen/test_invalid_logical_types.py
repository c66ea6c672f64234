"""A logical type Avro Java ignores is its underlying type, in the model and on the wire."""

from __future__ import annotations

import importlib
import io
import typing
from decimal import Decimal
from typing import Any

import fastavro

from codegen.support import Build
from contractgen.runtime.codec import parse


def field(name: str, base: Any, **props: Any) -> dict[str, Any]:
    return {"name": name, "type": {"type": base, **props} if isinstance(base, str) else base}


SCHEMA = {
    "type": "record",
    "name": "R",
    "namespace": "t",
    "fields": [
        field("zero", "bytes", logicalType="decimal", precision=0),
        field("negative", "bytes", logicalType="decimal", precision=4, scale=-1),
        field("wide", "bytes", logicalType="decimal", precision=2, scale=3),
        field("text", "bytes", logicalType="decimal", precision="9"),
        field("big", {"type": "fixed", "name": "F", "size": 2, "logicalType": "decimal",
                      "precision": 5}),
        field("short_id", {"type": "fixed", "name": "G", "size": 8, "logicalType": "uuid"}),
        field("day", "string", logicalType="date"),
        field("money", "bytes", logicalType="decimal", precision=4, scale=2),
    ],
}  # fmt: skip


def test_ignored_logical_types_are_plain_data(build_package: Build) -> None:
    models = importlib.import_module(f"{build_package(SCHEMA).__name__}.models.t")
    hints = typing.get_type_hints(models.R)
    plain = {k: hints[k] for k in ("zero", "negative", "wide", "text", "big", "short_id", "day")}
    assert plain == dict.fromkeys(plain, bytes) | {"day": str}
    assert hints["money"] is Decimal  # a valid decimal stays one
    model = models.R(
        zero=b"\x01",
        negative=b"\x02",
        wide=b"\x03",
        text=b"\x04",
        big=b"\x00\x05",
        short_id=b"12345678",
        day="2026-01-01",
        money=Decimal("12.34"),
    )
    schema = parse(models.R.AVRO_SCHEMA)  # what the runtime hands fastavro
    out = io.BytesIO()
    fastavro.schemaless_writer(out, schema, model.to_avro())
    read = fastavro.schemaless_reader(io.BytesIO(out.getvalue()), schema, schema)
    assert models.R.from_avro(read) == model
