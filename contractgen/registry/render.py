"""A register plan (and what applying it did) as text for people or JSON for scripts."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from contractgen.compat.formats import finding_data
from contractgen.registry.client import RegisteredVersion
from contractgen.registry.plan import Action, Outcome, Plan, Step


def _where(found: RegisteredVersion | None) -> str:
    return f"version {found.version}, id {found.id}" if found else ""


def _describe(step: Step, allow_revert: bool) -> str:
    parts = []
    if Action.SET_LEVEL in step.actions:
        parts.append(f"SET-LEVEL {step.level_now} -> {step.target.level}")
    if step.action is Action.NOOP:
        parts.append(f"NOOP ({_where(step.latest)})")
    elif step.action is Action.REGISTER:
        after = f" after version {step.latest.version}" if step.latest else " (new subject)"
        parts.append(f"REGISTER{after}")
    elif step.action is Action.REVERT:
        assert step.match is not None and step.latest is not None  # set for every REVERT
        verdict = "accepted, nothing written" if allow_revert else "refused without --allow-revert"
        parts.append(
            f"REVERT to version {step.match.version} (latest is {step.latest.version}): {verdict}"
        )
    else:
        parts.append(f"BLOCKED at {step.target.level}")
    return ", ".join(parts)


def render_text(
    plan: Plan, outcomes: Sequence[Outcome] | None, *, dry_run: bool, allow_revert: bool
) -> str:
    width = max((len(s.subject) for s in plan.steps), default=0)
    lines = [f"registry {plan.registry}"]
    done = {o.step.subject: o.registered for o in outcomes or ()}
    for step in plan.steps:
        line = f"  {step.subject:<{width}}  {_describe(step, allow_revert)}"
        if step.action is Action.REGISTER and done.get(step.subject):
            line += f": registered {_where(done[step.subject])}"
        lines.append(line)
        for finding in step.findings:
            lines.append(
                f"      {finding.where}: {finding.severity} {finding.rule}: {finding.message}"
            )
            if finding.hint:
                lines.append(f"        hint: {finding.hint}")
        if step.action is Action.BLOCKED and not step.findings:
            lines.extend(f"      registry: {m}" for m in step.registry_messages)
        if step.registry_note:
            lines.append(f"      note: {step.registry_note}")
    count = {a: sum(1 for s in plan.steps if a in s.actions) for a in Action}
    summary = (
        f"{len(plan.steps)} subject(s): {count[Action.REGISTER]} to register, "
        f"{count[Action.SET_LEVEL]} level change(s), {count[Action.BLOCKED]} blocked, "
        f"{count[Action.REVERT]} revert(s), {count[Action.NOOP]} unchanged"
    )
    if dry_run:
        summary += " (dry run: nothing changed)"
    elif outcomes is None:
        summary += " (nothing applied)"
    lines.append(summary)
    return "\n".join(lines) + "\n"


def _version_data(found: RegisteredVersion | None) -> dict[str, Any] | None:
    return {"version": found.version, "id": found.id} if found else None


def render_json(
    plan: Plan, outcomes: Sequence[Outcome] | None, *, dry_run: bool, allow_revert: bool
) -> str:
    done = {o.step.subject: o.registered for o in outcomes or ()}
    subjects = [
        {
            "subject": step.subject,
            "actions": [a.value for a in step.actions],
            "level": {"registry": step.level_now.value, "config": step.target.level.value},
            "latest": _version_data(step.latest),
            "match": _version_data(step.match),
            "registered": _version_data(done.get(step.subject)),
            "findings": [finding_data(f) for f in step.findings],
            "registry_messages": list(step.registry_messages),
            "registry_note": step.registry_note,
        }
        for step in plan.steps
    ]
    data = {
        "registry": plan.registry,
        "dry_run": dry_run,
        "allow_revert": allow_revert,
        "applied": outcomes is not None,
        "subjects": subjects,
    }
    return json.dumps(data, indent=2) + "\n"
