"""The library entry point (`contractgen.compat`) and Confluent's `String.format` pass."""

from __future__ import annotations

import contextlib
import io
import json
import re
from pathlib import Path

import pytest

from contractgen.compat import SchemaError, check, check_pair, parse
from contractgen.compat.javaformat import JavaFormatError, java_format

README = Path(__file__).resolve().parents[2] / "README.md"


def _readme_example() -> tuple[str, str]:
    """The README's library example (the python block of its section) and the output it shows."""
    text = README.read_text("utf-8")
    section = text[text.index("### The compatibility engine as a library") :]
    code = re.search(r"```python\n(.*?)```", section, re.S)
    shown = re.search(r"prints\n\n```text\n(.*?)```", section, re.S)
    assert code and shown, "the README's library section has its example and its output"
    return code.group(1), shown.group(1)


def test_the_readme_example_prints_what_the_readme_shows() -> None:
    example, output = _readme_example()
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        exec(example, {})
    assert printed.getvalue() == output


def record(*fields: dict[str, object], doc: str | None = None) -> str:
    body: dict[str, object] = {"type": "record", "name": "R", "fields": list(fields)}
    if doc is not None:
        body["doc"] = doc
    return json.dumps(body)


def test_strict_and_lenient_parsing_differ_as_a_registrys_do() -> None:
    stored = record({"name": "a-b", "type": "int"})
    assert parse(stored, strict=False).canonical == stored.replace(" ", "")
    with pytest.raises(SchemaError) as error:
        parse(stored, strict=True)
    assert error.value.diagnostics[0].code == "AVRO005"


def test_a_new_schema_that_does_not_parse_strictly_is_refused_before_any_check() -> None:
    with pytest.raises(SchemaError):
        check(record({"name": "a", "type": "int", "default": "x"}), [record()], "BACKWARD")


def test_a_transitive_level_names_the_first_failing_version_newest_first() -> None:
    v1 = record({"name": "a", "type": "int"})
    v2 = record({"name": "a", "type": "long"})
    result = check(record({"name": "a", "type": "int"}), [v1, v2, v1], "FULL_TRANSITIVE")
    assert (result.is_compatible, result.failing_version) == (False, 2)
    assert [f.message for f in result.findings] == [
        "reader type: INT not compatible with writer type: LONG"
    ]


def test_a_check_pair_formats_a_percent_in_a_doc_as_confluent_does() -> None:
    reader = parse(record({"name": "a", "type": "int"}), strict=False)
    writer = parse(record({"name": "b", "type": "int"}, doc="%s at 100%% and %n"), strict=False)
    pair = check_pair(reader, writer, "forward")
    assert pair.findings[0].message == "a"
    assert not pair.is_compatible


def test_where_confluent_fails_on_a_doc_the_message_is_kept_unformatted() -> None:
    # A reader field whose alias also names a writer field makes Java throw; the exception's
    # message carries the writer schema, doc included: "100% done" holds the specifier "% d".
    writer_text = record(
        {"name": "a", "type": "int"}, {"name": "b", "type": "int"}, doc="100% done for %s"
    )
    reader = parse(record({"name": "a", "type": "int", "aliases": ["b"]}), strict=False)
    writer = parse(writer_text, strict=False)
    pair = check_pair(reader, writer, "backward")
    [message] = pair.confluent_messages()
    assert message.startswith("Unexpected exception during compatibility check: Reader record")
    assert "100% done for %s" in message  # unformatted: Confluent itself would fail here
    with pytest.raises(JavaFormatError) as error:
        pair.confluent_messages(strict_format=True)
    assert (error.value.java_class, error.value.message) == (
        "IllegalFormatConversionException",
        "d != java.lang.String",
    )
    new = record({"name": "a", "type": "int", "aliases": ["b"]})
    result = check(new, [writer_text], "BACKWARD")
    assert not result.is_compatible and "100% done for %s" in result.messages[0]


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        ("plain", "plain"),
        ("%s reads %s", "new reads old"),
        ("%2$s then %1$s, %<s again", "old then new, new again"),
        ("100%% %n", "100% \n"),
        ("[%5s|%-5s|%1$.2s|%2$S]", "[  new|old  |ne|OLD]"),
        ("%b %h", "true 1ae27"),  # "old".hashCode() in hex
    ],
)
def test_java_format_with_the_two_role_names(message: str, expected: str) -> None:
    assert java_format(message, "new", "old") == expected


@pytest.mark.parametrize(
    ("message", "java_class", "java_message"),
    [
        ("50% off", "IllegalFormatConversionException", "o != java.lang.String"),
        ("%d", "IllegalFormatConversionException", "d != java.lang.String"),
        ("%tY", "IllegalFormatConversionException", "t != java.lang.String"),
        ("ends with %", "UnknownFormatConversionException", "Conversion = '%'"),
        ("%q", "UnknownFormatConversionException", "Conversion = 'q'"),
        ("%s %s %s", "MissingFormatArgumentException", "Format specifier '%s'"),
    ],
)
def test_java_format_throws_where_java_throws(
    message: str, java_class: str, java_message: str
) -> None:
    with pytest.raises(JavaFormatError) as error:
        java_format(message, "new", "old")
    assert (error.value.java_class, error.value.message) == (java_class, java_message)
