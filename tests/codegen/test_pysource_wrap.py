"""Generated lines too long for ruff's limit are broken between tokens, never marked `# noqa`
(ruff's default rules report a marker for a rule they do not enable: RUF100)."""

from __future__ import annotations

import ast
import keyword

from hypothesis import given
from hypothesis import strategies as st

from contractgen.codegen.pysource import LINE_LENGTH, fit

NAMES = st.from_regex(r"[a-z][a-z0-9_]{0,40}", fullmatch=True).filter(
    lambda name: not keyword.iskeyword(name) and not keyword.issoftkeyword(name)
)
WORDS = st.text(alphabet="ab _-\"'\\é", max_size=30)


@st.composite
def expressions(draw: st.DrawFn, depth: int = 0) -> str:
    """Conversion expressions of the shapes the generator writes: comprehensions, calls,
    subscripts with string keys, conditionals."""
    name = draw(NAMES)
    if depth >= 4:
        return draw(st.sampled_from([name, repr(draw(WORDS)), f"{name}.to_avro()"]))
    inner = draw(expressions(depth + 1))
    return draw(
        st.sampled_from(
            [
                f"[{inner} for {name} in value[{draw(WORDS)!r}]]",
                f"{{{name}: {inner} for {name}, v in {draw(NAMES)}.items()}}",
                f"{draw(NAMES).title()}.from_avro({inner})",
                f"None if {name} is None else {inner}",
                f"({inner}, {draw(WORDS)!r})",
            ]
        )
    )


def _same_code(lines: list[str], expression: str) -> None:
    code = "\n".join(line.strip() for line in lines)
    assert ast.dump(ast.parse(code)) == ast.dump(ast.parse(f"x = {expression}"))


@given(expressions())
def test_a_long_expression_is_broken_between_tokens_into_lines_that_fit(expression: str) -> None:
    lines = fit("", "x = ", expression, "")
    _same_code(lines, expression)
    for line in lines:
        assert "noqa" not in line
        # E501 ignores a line of one word (a long name or string): nothing can break it
        assert len(line) <= LINE_LENGTH or len(line.split()) == 1, line


def test_a_string_with_spaces_is_never_broken_inside() -> None:
    words = " ".join(["word"] * 40)
    expression = f"Thing.from_avro({words!r}, [{words!r} for value in values])"
    lines = fit("        ", "x = ", expression, "")
    _same_code([line.strip() for line in lines], expression)
    assert sum(words in line for line in lines) == 2
