"""Compatibility levels and modes, global and per subject (`/config`, `/mode`)."""

from __future__ import annotations

from contractgen.ir.model import Level
from contractgen.registry.embedded.store import GLOBAL, Store, Tx
from contractgen.registry.errors import (
    compatibility_not_configured,
    invalid_compatibility_level,
    invalid_mode,
    mode_not_configured,
    operation_not_permitted,
    subject_not_found,
)

DEFAULT_LEVEL = Level.BACKWARD
DEFAULT_MODE = "READWRITE"
MODES = ("READWRITE", "READONLY", "IMPORT")
_COMPATIBILITY = "compatibility"
_MODE = "mode"


def parse_level(value: object) -> Level:
    if not isinstance(value, str) or value.upper() not in Level.__members__:
        raise invalid_compatibility_level(str(value))
    return Level(value.upper())


def parse_mode(value: object) -> str:
    if not isinstance(value, str) or value.upper() not in MODES:
        raise invalid_mode(str(value))
    return value.upper()


def effective_level(tx: Tx, subject: str) -> Level:
    """The subject's level, else the global one, else BACKWARD."""
    value = tx.setting(subject, _COMPATIBILITY) or tx.setting(GLOBAL, _COMPATIBILITY)
    return Level(value) if value else DEFAULT_LEVEL


def mode_in_scope(tx: Tx, subject: str) -> str:
    """The subject's mode, else the global one, else READWRITE."""
    return tx.setting(subject, _MODE) or tx.setting(GLOBAL, _MODE) or DEFAULT_MODE


def require_writable(tx: Tx, subject: str) -> None:
    """Deletes: refused only in READONLY (IMPORT allows them, as in Confluent)."""
    if mode_in_scope(tx, subject) == "READONLY":
        raise operation_not_permitted(f"Subject {subject} is in read-only mode")


def require_register_mode(tx: Tx, subject: str, *, explicit_id: bool) -> str:
    """Confluent's checkRegisterMode: an explicit id needs IMPORT, none needs READWRITE."""
    require_writable(tx, subject)
    mode = mode_in_scope(tx, subject)
    if explicit_id and mode != "IMPORT":
        raise operation_not_permitted(f"Subject {subject} is not in import mode")
    if not explicit_id and mode != "READWRITE":
        raise operation_not_permitted(f"Subject {subject} is not in read-write mode")
    return mode


def forget_subject(tx: Tx, subject: str) -> None:
    """A permanently deleted subject loses its settings too, as in Confluent."""
    tx.delete_setting(subject, _COMPATIBILITY)
    tx.delete_setting(subject, _MODE)


class Settings:
    """The `/config` and `/mode` resources over a store."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def get_level(self, subject: str | None = None, *, default_to_global: bool = False) -> Level:
        with self.store.read() as tx:
            if subject is None:
                return effective_level(tx, GLOBAL)
            value = tx.setting(subject, _COMPATIBILITY)
            if value is not None:
                return Level(value)
            if not default_to_global:
                raise compatibility_not_configured(subject)
            return effective_level(tx, GLOBAL)

    def set_level(self, subject: str | None, level: object) -> Level:
        parsed = parse_level(level)
        with self.store.write() as tx:
            tx.set_setting(subject or GLOBAL, _COMPATIBILITY, parsed.value)
        return parsed

    def delete_level(self, subject: str | None) -> Level:
        """Remove a level; answers the removed one (the global one: or the default).

        A subject without a level of its own is 404/40401, as Confluent's ConfigResource does.
        """
        with self.store.write() as tx:
            if subject is None:
                before = effective_level(tx, GLOBAL)
            else:
                own = tx.setting(subject, _COMPATIBILITY)
                if own is None:
                    raise subject_not_found(subject)
                before = Level(own)
            tx.delete_setting(subject or GLOBAL, _COMPATIBILITY)
        return before

    def get_mode(self, subject: str | None = None, *, default_to_global: bool = False) -> str:
        with self.store.read() as tx:
            if subject is not None:
                value = tx.setting(subject, _MODE)
                if value is not None:
                    return value
                if not default_to_global:
                    raise mode_not_configured(subject)
            return tx.setting(GLOBAL, _MODE) or DEFAULT_MODE

    def set_mode(self, subject: str | None, mode: object, *, force: bool = False) -> str:
        """IMPORT needs an empty subject (the whole registry for the global mode) or `force`."""
        parsed = parse_mode(mode)
        with self.store.write() as tx:
            already = mode_in_scope(tx, subject or GLOBAL) == "IMPORT"
            if parsed == "IMPORT" and not force and not already:
                live = (
                    tx.subjects(deleted=False)
                    if subject is None
                    else tx.versions(subject, deleted=False)
                )
                if live:
                    raise operation_not_permitted("Cannot import since found existing subjects")
            tx.set_setting(subject or GLOBAL, _MODE, parsed)
        return parsed

    def delete_mode(self, subject: str | None) -> str:
        """Remove a mode; answers the removed one. No subject-level mode is 404/40401."""
        with self.store.write() as tx:
            before = tx.setting(subject or GLOBAL, _MODE)
            if before is None and subject is not None:
                raise subject_not_found(subject)
            tx.delete_setting(subject or GLOBAL, _MODE)
        return before or DEFAULT_MODE
