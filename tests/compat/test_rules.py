"""The rule table and the lint rules that no fixture pair covers."""

from __future__ import annotations

import json

from contractgen.avro.parse import parse_schema
from contractgen.compat.lint import LintInput, namespace_directory
from contractgen.compat.resolution import IncompatibilityType
from contractgen.compat.rules import RULES, Category


def test_every_rule_says_what_it_is_for() -> None:
    for rule_id, rule in RULES.items():
        assert rule.id == rule_id
        assert rule.purpose.endswith(".")
        assert (rule.lint is not None) == (rule.category is Category.LINT)


def test_every_avro_incompatibility_type_is_a_wire_rule_with_a_hint() -> None:
    for kind in IncompatibilityType:
        assert RULES[kind.value].category is Category.WIRE
        assert RULES[kind.value].hint is not None


def test_namespace_must_match_the_directory() -> None:
    text = json.dumps({"type": "record", "name": "A", "namespace": "com.acme.orders", "fields": []})
    inside = parse_schema(text, file="schemas/com/acme/orders/A.avsc")
    outside = parse_schema(text, file="schemas/payments/A.avsc")
    assert list(namespace_directory(LintInput(inside))) == []
    [issue] = namespace_directory(LintInput(outside))
    assert (
        issue.hint == "move schemas/payments/A.avsc under com/acme/orders/ or change the namespace"
    )


def test_a_type_written_in_no_schema_file_has_no_directory() -> None:
    # The envelope is synthesized from the config: its location is the topic's table.
    text = json.dumps({"type": "record", "name": "E", "namespace": "com.acme.orders", "fields": []})
    envelope = parse_schema(text, file="contractgen.toml")
    assert list(namespace_directory(LintInput(envelope))) == []
