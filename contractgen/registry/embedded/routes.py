"""The Confluent REST resources, one small handler each, over the embedded `Registry`.

Handlers are plain functions of (registry, request parts) returning JSON-able data; `app.py`
runs reads on the event loop and the rest in a thread pool (writes wait for SQLite's write lock,
parses and compatibility checks take long), and renders errors.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from contractgen.registry.embedded.engine import Registry, SubjectVersion
from contractgen.registry.embedded.schemas import SCHEMA_TYPES
from contractgen.registry.embedded.store import Reference, StoredSchema
from contractgen.registry.errors import RegistryError, schema_not_found

_MAX_ID = 2**31 - 1


@dataclass(frozen=True, slots=True)
class Call:
    """What a handler needs from an HTTP request."""

    path: Mapping[str, str]
    query: Mapping[str, str]
    body: Any

    def flag(self, name: str) -> bool:
        return self.query.get(name, "false").lower() == "true"

    def schema_id(self) -> int:
        """ASCII digits within an id's range, else 40403 (a huge number would overflow SQLite)."""
        text = self.path["id"]
        if not (text.isascii() and text.isdigit()) or len(text) > 10 or int(text) > _MAX_ID:
            raise schema_not_found()
        return int(text)

    def schema_body(self) -> tuple[str, tuple[Reference, ...], str]:
        body = self.body if isinstance(self.body, dict) else {}
        text = body.get("schema")
        if not isinstance(text, str):
            raise RegistryError(422, 42201, "Invalid schema: the request has no schema string")
        try:
            refs = tuple(
                Reference(str(r["name"]), str(r["subject"]), int(r["version"]))
                for r in body.get("references") or ()
            )
        except (KeyError, TypeError, ValueError):
            raise RegistryError(422, 42201, "Invalid schema: malformed references") from None
        return text, refs, str(body.get("schemaType") or "AVRO").upper()


Handler = Callable[[Registry, Call], Any]


def _schema_fields(stored: StoredSchema) -> dict[str, Any]:
    # Confluent omits schemaType for AVRO and references when there are none.
    out: dict[str, Any] = {}
    if stored.schema_type != "AVRO":
        out["schemaType"] = stored.schema_type
    if stored.references:
        out["references"] = [
            {"name": r.name, "subject": r.subject, "version": r.version} for r in stored.references
        ]
    out["schema"] = stored.schema
    return out


def _version_body(found: SubjectVersion) -> dict[str, Any]:
    return {
        "subject": found.subject,
        "version": found.version,
        "id": found.id,
        **_schema_fields(found.schema),
    }


def list_subjects(reg: Registry, call: Call) -> Any:
    return reg.subjects(
        deleted=call.flag("deleted"),
        deleted_only=call.flag("deletedOnly"),
        prefix=call.query.get("subjectPrefix", ""),
    )


def lookup(reg: Registry, call: Call) -> Any:
    text, refs, schema_type = call.schema_body()
    found = reg.lookup(
        call.path["subject"],
        text,
        refs,
        normalize=call.flag("normalize"),
        deleted=call.flag("deleted"),
        schema_type=schema_type,
    )
    return _version_body(found)


def delete_subject(reg: Registry, call: Call) -> Any:
    return reg.delete_subject(call.path["subject"], permanent=call.flag("permanent"))


def list_versions(reg: Registry, call: Call) -> Any:
    return reg.versions(
        call.path["subject"], deleted=call.flag("deleted"), deleted_only=call.flag("deletedOnly")
    )


def _optional_int(body: Any, name: str, *, least: int) -> int | None:
    """`id`/`version` in a register request; Confluent reads id < 0 and version < 1 as absent."""
    value = body.get(name) if isinstance(body, dict) else None
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise RegistryError(422, 42201, f"Invalid schema: '{name}' must be an integer")
    return value if value >= least else None


def register(reg: Registry, call: Call) -> Any:
    """Confluent answers `{"id": n}` only (the version comes from a look-up)."""
    text, refs, schema_type = call.schema_body()
    found = reg.register(
        call.path["subject"],
        text,
        refs,
        normalize=call.flag("normalize"),
        schema_type=schema_type,
        schema_id=_optional_int(call.body, "id", least=0),
        version=_optional_int(call.body, "version", least=1),
    )
    return {"id": found.id}


def get_version(reg: Registry, call: Call) -> Any:
    found = reg.get_version(
        call.path["subject"], call.path["version"], deleted=call.flag("deleted")
    )
    return _version_body(found)


def get_version_schema(reg: Registry, call: Call) -> Any:
    found = reg.get_version(
        call.path["subject"], call.path["version"], deleted=call.flag("deleted")
    )
    return RawSchema(found.schema.schema)


def referenced_by(reg: Registry, call: Call) -> Any:
    return reg.referenced_by(call.path["subject"], call.path["version"])


def delete_version(reg: Registry, call: Call) -> Any:
    return reg.delete_version(
        call.path["subject"], call.path["version"], permanent=call.flag("permanent")
    )


def get_schema(reg: Registry, call: Call) -> Any:
    return _schema_fields(reg.get_schema(call.schema_id()))


def get_schema_text(reg: Registry, call: Call) -> Any:
    return RawSchema(reg.get_schema(call.schema_id()).schema)


def schema_subjects(reg: Registry, call: Call) -> Any:
    usages = reg.usages(call.schema_id(), deleted=call.flag("deleted"))
    return sorted({u.subject for u in usages})


def schema_versions(reg: Registry, call: Call) -> Any:
    usages = reg.usages(call.schema_id(), deleted=call.flag("deleted"))
    return [{"subject": u.subject, "version": u.version} for u in usages]


def schema_types(reg: Registry, call: Call) -> Any:
    return list(SCHEMA_TYPES)


def get_config(reg: Registry, call: Call) -> Any:
    subject = call.path.get("subject")
    level = reg.settings.get_level(subject, default_to_global=call.flag("defaultToGlobal"))
    return {"compatibilityLevel": level.value}


def put_config(reg: Registry, call: Call) -> Any:
    # Confluent echoes the request back as it came (`full` stays `full`).
    body = call.body if isinstance(call.body, dict) else {}
    reg.settings.set_level(call.path.get("subject"), body.get("compatibility"))
    return {"compatibility": body["compatibility"]}


def delete_config(reg: Registry, call: Call) -> Any:
    return {"compatibilityLevel": reg.settings.delete_level(call.path.get("subject")).value}


def get_mode(reg: Registry, call: Call) -> Any:
    subject = call.path.get("subject")
    return {"mode": reg.settings.get_mode(subject, default_to_global=call.flag("defaultToGlobal"))}


def put_mode(reg: Registry, call: Call) -> Any:
    body = call.body if isinstance(call.body, dict) else {}
    reg.settings.set_mode(call.path.get("subject"), body.get("mode"), force=call.flag("force"))
    return {"mode": body["mode"]}


def delete_mode(reg: Registry, call: Call) -> Any:
    return {"mode": reg.settings.delete_mode(call.path.get("subject"))}


def check_compatibility(reg: Registry, call: Call) -> Any:
    text, refs, schema_type = call.schema_body()
    verbose = call.flag("verbose")
    verdict = reg.check(
        call.path["subject"],
        text,
        refs,
        version=call.path.get("version"),
        normalize=call.flag("normalize"),
        verbose=verbose,
        schema_type=schema_type,
    )
    body: dict[str, Any] = {"is_compatible": verdict.is_compatible}
    if verbose:
        body["messages"] = verdict.messages
    return body


@dataclass(frozen=True, slots=True)
class RawSchema:
    """The `/schema` sub-resources answer the schema JSON itself, not a wrapper object."""

    text: str
