"""Stable JSON of the IR (`contractgen ls --format json`): same input, same bytes."""

from __future__ import annotations

from typing import Any

from contractgen.avro.canonical import canonical_string
from contractgen.avro.resolve import self_contained
from contractgen.ir.model import Contract, ContractSet


def _contract(contract: Contract) -> dict[str, Any]:
    return {
        "subject": contract.subject,
        "role": str(contract.role),
        "compatibility": str(contract.level),
        "files": list(contract.files),
        "canonical": contract.identity.canonical,
        "parsing_canonical_form": contract.identity.parsing_canonical_form,
        "fingerprints": {"crc64": contract.identity.crc64, "sha256": contract.identity.sha256},
    }


def dump(contracts: ContractSet) -> dict[str, Any]:
    """The ContractSet as plain JSON-ready data, keys and lists in a fixed order."""
    return {
        "topics": [
            {
                "name": topic.name,
                "events": list(topic.events),
                "key_field": topic.key_field,
                "partitions": topic.partitions,
                "dead_letter_topic": topic.dead_letter_topic,
                "key": _contract(topic.key),
                "value": _contract(topic.value),
            }
            for topic in contracts.topics
        ],
        "types": {
            name: {
                "file": contracts.type_files[name],
                "canonical": canonical_string(self_contained(definition, contracts.types)),
            }
            for name, definition in contracts.types.items()
        },
    }
