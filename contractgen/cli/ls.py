"""`contractgen ls`: the topics, their subjects, schema files and fingerprints."""

from __future__ import annotations

import json

import click

from contractgen.ir.dump import dump
from contractgen.ir.model import Contract, ContractSet, Primitive, Topic
from contractgen.project import load_project


@click.command(name="ls")
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="json: the whole IR as stable JSON (same schemas, same bytes).",
)
@click.pass_context
def ls(ctx: click.Context, output_format: str) -> None:
    """List topics with their subjects, fingerprints and schema files."""
    contracts = load_project(ctx.find_root().params.get("config")).contracts
    if output_format == "json":
        click.echo(json.dumps(dump(contracts), indent=2, ensure_ascii=False))
    else:
        click.echo("\n".join(_text(contracts)))


def _text(contracts: ContractSet) -> list[str]:
    lines: list[str] = []
    width = max((len(c.subject) for c in contracts.contracts()), default=0)
    for topic in contracts.topics:
        lines.append(
            f"{topic.name}  {topic.partitions} partitions, {topic.value.level}, key {_key(topic)}"
        )
        lines.extend(f"  event    {event}" for event in topic.events)
        lines.append(f"  dlq      {topic.dead_letter_topic}")
        lines.extend(_subject(contract, width) for contract in (topic.key, topic.value))
        files = sorted({*topic.key.files, *topic.value.files})
        lines.extend(f"  file     {file}" for file in files)
    return lines or ["no topics: declare [[topics]] in the config"]


def _key(topic: Topic) -> str:
    root = topic.key.schema.root  # the IR builder allows only primitives and records as keys
    name = root.type if isinstance(root, Primitive) else getattr(root, "fullname", "")
    return f"{name} (field {topic.key_field})" if topic.key_field else name


def _subject(contract: Contract, width: int) -> str:
    # The short SHA-256 prefix identifies a schema in a table; `--format json` has it in full.
    return (
        f"  subject  {contract.subject:<{width}}  crc64 {contract.identity.crc64}  "
        f"sha256 {contract.identity.sha256[:16]}"
    )
