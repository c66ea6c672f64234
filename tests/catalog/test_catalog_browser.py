"""`contractgen docs` in a real browser: Debian's headless Chromium, driven by Playwright.

The catalog of a repository with a history (a compatible edit committed, a breaking one in the
work tree) is opened from disk with every network request refused and recorded: the test follows
links from the index to a topic, to an event, to the version diff that changed it, finds a field
with the search box, and checks that a hostile doc is shown as text, not run.
Set CONTRACTGEN_CATALOG_PNG=/absolute/path for a screenshot of the history page (docs/catalog.png
is made this way).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from contractgen.cli.main import main
from tests.catalog.conftest import edit_order_created, git

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
HOSTILE = '<img src=x onerror="window.pwned=1"> & <script>window.pwned=2</script>'

pytestmark = pytest.mark.slow


def add_field(field: dict[str, object]) -> Any:
    def change(schema: dict[str, Any]) -> None:
        schema["fields"].insert(3, field)

    return change


@pytest.fixture
def catalog(contracts_repo: Path) -> Path:
    """Version 2 of orders-value adds `channel` with a default; the work tree adds a required
    field with a hostile doc (version 3, incompatible)."""
    channel = {"name": "channel", "type": "string", "default": "web", "doc": "Sales channel."}
    edit_order_created(contracts_repo, add_field(channel))
    git(contracts_repo, "commit", "-qam", "Channel")
    edit_order_created(
        contracts_repo, add_field({"name": "region", "type": "string", "doc": HOSTILE})
    )
    result = CliRunner().invoke(main, ["docs", "--output", "site"])
    assert result.exit_code == 0, result.output
    return contracts_repo / "site"


@pytest.fixture
def page(tmp_path: Path) -> Iterator[Any]:
    sync_api = pytest.importorskip("playwright.sync_api", reason="pip install -e '.[dev]'")
    if not CHROMIUM.is_file():
        pytest.skip("Debian's chromium is needed: apt-get install -y chromium")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            yield browser.new_page(viewport={"width": 1280, "height": 900})
        finally:
            browser.close()


def test_links_search_history_and_no_network(catalog: Path, page: Any, tmp_path: Path) -> None:
    requested: list[str] = []

    def refuse_network(route: Any) -> None:
        if not route.request.url.startswith("file://"):
            requested.append(route.request.url)
            route.abort()
        else:
            route.continue_()

    page.route("**/*", refuse_network)
    page.goto((catalog / "index.html").as_uri())
    assert page.title() == "Event catalog · event catalog"
    shot = tmp_path / "catalog.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 10_000

    # topic → event → the version that changed it
    page.click("text=orders >> nth=0")
    assert page.url.endswith("topic-orders.html")
    assert page.locator("dl.facts").inner_text().count("orders-dlq") == 1
    page.click("ul.events >> text=com.acme.orders.OrderCreated")
    assert page.url.endswith("type-com.acme.orders.OrderCreated.html")
    assert page.locator("#field-channel").inner_text().split("\t")[:2] == ["channel", "string"]
    page.click("ul.history >> text=orders-value version 2")
    assert page.url.endswith("subject-orders-value.html#v2")
    version2 = page.locator("section#v2").inner_text()
    assert "field added with a default" in version2
    assert "com.acme.orders.OrderCreated.channel" in version2
    assert page.locator("section#v2 .verdict").inner_text().startswith("compatible")
    version3 = page.locator("section#v3")
    assert version3.locator(".verdict").inner_text().startswith("incompatible")
    assert "READER_FIELD_MISSING_DEFAULT_VALUE" in version3.inner_text()
    if target := os.environ.get("CONTRACTGEN_CATALOG_PNG"):
        page.goto((catalog / "subject-orders-value.html").as_uri())
        page.screenshot(path=target)

    # the search box finds a field and leads to it
    page.fill("#search", "coupon")
    result = page.locator("#results a", has_text="com.acme.orders.OrderCreated.coupon")
    assert result.count() == 1
    result.click()
    assert page.url.endswith("type-com.acme.orders.OrderCreated.html#field-coupon")

    # docs are data: shown as text, never run
    assert HOSTILE in page.locator("#field-region").inner_text()
    assert page.evaluate("window.pwned") is None
    assert requested == []
