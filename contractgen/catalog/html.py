"""The HTML catalog: one self-contained page per topic, type and subject, plus an index.

Self-contained means no network at view time: CSS and the search script are inline, the search
index is embedded in every page, links are relative. Templates run with autoescaping on and
StrictUndefined, since docs and names are data that must never become markup (a doc containing
`<script>` is shown as text).
"""

from __future__ import annotations

import jinja2

from contractgen.catalog.view import Catalog, subject_page, topic_page, type_page

_ENV = jinja2.Environment(
    loader=jinja2.PackageLoader("contractgen.catalog", "templates"),
    autoescape=True,
    undefined=jinja2.StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
    keep_trailing_newline=True,
)
_ENV.globals.update(topic_page=topic_page, type_page=type_page, subject_page=subject_page)


def render_catalog(catalog: Catalog) -> dict[str, str]:
    """Every page of the catalog, by file name."""
    common = {"search_index": catalog.search_index}
    pages = {"index.html": _ENV.get_template("index.html.jinja").render(
        title="Event catalog", catalog=catalog, **common)}  # fmt: skip
    topic = _ENV.get_template("topic.html.jinja")
    for view in catalog.topics:
        pages[topic_page(view.name)] = topic.render(title=view.name, topic=view, **common)
    named = _ENV.get_template("type.html.jinja")
    for type_view in catalog.types:
        pages[type_page(type_view.fullname)] = named.render(
            title=type_view.fullname, view=type_view, **common
        )
    subject = _ENV.get_template("subject.html.jinja")
    for subject_view in catalog.subjects:
        pages[subject_page(subject_view.subject)] = subject.render(
            title=subject_view.subject, subject=subject_view, **common
        )
    return pages
