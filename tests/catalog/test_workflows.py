"""The repository's CI workflow and the scaffold's post the diff as a job summary and publish the
catalog (HTML and AsyncAPI) as a build artifact, on every pull request."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from contractgen.scaffold import ScaffoldOptions, scaffold_files

REPO = Path(__file__).resolve().parents[2]
WORKFLOWS = {
    "repository": (REPO / ".github" / "workflows" / "contracts.yml").read_text(),
    "scaffold": scaffold_files(ScaffoldOptions(title="t"))[".github/workflows/contracts.yml"],
}


@pytest.mark.parametrize("source", sorted(WORKFLOWS))
def test_pull_requests_get_the_diff_summary_and_the_catalog_artifact(source: str) -> None:
    steps: list[dict[str, Any]] = yaml.safe_load(WORKFLOWS[source])["jobs"]["check"]["steps"]
    runs = [s.get("run", "") for s in steps]
    summary = next(r for r in runs if r.startswith("contractgen diff "))
    assert summary == (
        "contractgen diff git:origin/${{ github.base_ref }} --format markdown "
        '--append-to "$GITHUB_STEP_SUMMARY"'
    )
    catalog = next(r for r in runs if "contractgen docs" in r)
    assert catalog.splitlines() == [
        "contractgen docs --output catalog",
        "contractgen asyncapi --output catalog/asyncapi.yaml",
    ]
    upload = next(s for s in steps if s.get("uses", "").startswith("actions/upload-artifact@"))
    assert upload["with"] == {"name": "event-catalog", "path": "catalog/"}
    # They explain a failed check, so they run after one too (but not after a cancel).
    late = [s for s in steps if s.get("run") in (summary, catalog) or s is upload]
    assert len(late) == 3 and all(s["if"] == "${{ !cancelled() }}" for s in late)
