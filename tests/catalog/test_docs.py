"""`contractgen docs` without a browser: sources of history, hostile text, the output directory."""

from __future__ import annotations

import json
import re
from pathlib import Path

from click.testing import CliRunner, Result

from contractgen.cli.main import main
from tests.catalog.conftest import edit_order_created, git

SEARCH_INDEX = re.compile(r'<script id="search-index" type="application/json">(.*?)</script>')
HOSTILE = '</script><script>alert(1)</script><b onmouseover="x()">bold</b>'


def contractgen(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


def test_names_and_docs_are_text_and_nothing_is_fetched(contracts_repo: Path) -> None:
    edit_order_created(contracts_repo, lambda s: s.update(doc=HOSTILE))
    result = contractgen("docs", "--output", "site")
    assert result.exit_code == 0, result.output
    assert result.output == "wrote 17 page(s) to site/ (open site/index.html)\n"
    pages = {p.name: p.read_text() for p in (contracts_repo / "site").iterdir()}
    assert len(pages) == 17
    for name, html in pages.items():
        markup = SEARCH_INDEX.sub("", html)  # in the JSON, `<` is escaped and quotes are data
        assert "<script>alert(1)" not in html and "<b onmouseover" not in markup, name
        # Self-contained: no stylesheet, script, image or font from anywhere else.
        assert not re.search(r"""(src|href)=["']?(https?:)?//""", html), name
        assert "@import" not in html and "url(" not in html, name
    event = pages["type-com.acme.orders.OrderCreated.html"]
    assert "&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;" in event
    # The search index is JSON inside a script element: `<` is escaped, so it cannot close it.
    index = SEARCH_INDEX.search(event)
    assert index is not None and "\\u003c/script\\u003e" in index.group(1)


def test_history_from_the_registry_and_from_nothing(contracts_repo: Path) -> None:
    assert contractgen("register").exit_code == 0  # the embedded registry of the project
    edit_order_created(contracts_repo, lambda s: s.update(doc="Placed."))
    assert contractgen("docs", "--output", "site", "--history", "registry").exit_code == 0
    subject = (contracts_repo / "site" / "subject-orders-value.html").read_text()
    assert 'Version 1 <span class="muted">version 1</span>' in subject
    assert 'Version 2 <span class="muted">work tree</span>' in subject
    assert "<td>doc changed</td><td><code>com.acme.orders.OrderCreated</code></td>" in subject
    assert contractgen("docs", "--output", "site", "--history", "none").exit_code == 0
    index = (contracts_repo / "site" / "index.html").read_text()
    assert "History from the work tree only." in index


def test_git_history_is_the_default_and_a_plain_directory_has_none(
    contracts_repo: Path, tmp_path: Path
) -> None:
    edit_order_created(contracts_repo, lambda s: s.update(doc="Placed."))
    git(contracts_repo, "commit", "-qam", "Doc")
    assert contractgen("docs").exit_code == 0
    subject = contracts_repo / ".contractgen" / "catalog" / "subject-orders-value.html"
    assert subject.read_text().count('<section class="version"') == 2
    plain = tmp_path / "plain"
    plain.mkdir()
    (plain / "schemas").symlink_to(contracts_repo / "schemas")
    (plain / "pyproject.toml").write_text((contracts_repo / "pyproject.toml").read_text())
    result = contractgen("--config", str(plain / "pyproject.toml"), "docs", "--output",
                         str(plain / "site"))  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "History from the work tree only." in (plain / "site" / "index.html").read_text()


def test_an_existing_directory_that_is_not_a_catalog_is_never_replaced(
    contracts_repo: Path,
) -> None:
    (contracts_repo / "notes").mkdir()
    (contracts_repo / "notes" / "keep.txt").write_text("mine")
    result = contractgen("docs", "--output", "notes")
    assert result.exit_code == 2
    assert "notes exists and is not a catalog" in result.output
    assert [p.name for p in (contracts_repo / "notes").iterdir()] == ["keep.txt"]
    # An earlier catalog is replaced as a whole: no stale page survives.
    assert contractgen("docs", "--output", "site").exit_code == 0
    (contracts_repo / "site" / "type-gone.html").write_text("stale")
    assert contractgen("docs", "--output", "site").exit_code == 0
    assert not (contracts_repo / "site" / "type-gone.html").exists()


def test_a_missing_ref_is_an_infrastructure_error(contracts_repo: Path) -> None:
    result = contractgen("docs", "--history", "git:nope")
    assert result.exit_code == 3
    assert not (contracts_repo / ".contractgen" / "catalog").exists()


def test_a_type_no_topic_uses_has_its_page(contracts_repo: Path) -> None:
    date = {"type": "int", "logicalType": "date"}
    fields = [{"name": "status", "type": "OrderStatus"}, {"name": "when", "type": date}]
    spare = {"type": "record", "name": "Spare", "namespace": "com.acme.orders", "fields": fields}
    (contracts_repo / "schemas/com/acme/orders/Spare.avsc").write_text(json.dumps(spare))
    assert contractgen("docs", "--output", "site").exit_code == 0
    page = (contracts_repo / "site" / "type-com.acme.orders.Spare.html").read_text()
    assert '<a href="type-com.acme.orders.OrderStatus.html">OrderStatus</a>' in page
    assert "&#34;status&#34;: &#34;PENDING&#34;" in page  # a symbol other than the fallback
    assert "<td>date</td>" in page
