"""Compatibility as a Confluent Schema Registry decides it (Avro Java 1.12.1's rules).

The stable library entry point, for other tools and notebooks::

    from contractgen.compat import check

    result = check(new_text, [v1_text, v2_text], "FULL_TRANSITIVE")
    result.is_compatible      # the registry's verdict
    result.messages           # its verbose messages, string for string
    result.findings           # (type, JSON pointer, Java's message, file:line:col) each

`parse` (strict for new schemas, lenient for stored ones), `canonical` (the registry's canonical
string) and `check_pair` (one reader/writer check) complete it; see `contractgen.compat.api`.
"""

from contractgen.compat.api import (
    CheckResult,
    Finding,
    PairResult,
    ParsedSchema,
    SchemaError,
    canonical,
    check,
    check_pair,
    parse,
)
from contractgen.compat.javaformat import JavaFormatError

__all__ = [
    "CheckResult",
    "Finding",
    "JavaFormatError",
    "PairResult",
    "ParsedSchema",
    "SchemaError",
    "canonical",
    "check",
    "check_pair",
    "parse",
]
