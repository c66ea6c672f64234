"""The runtime API level that generated packages check at import.

Generated code records the level it was rendered for and calls `require_api_level` first thing, so
an older runtime fails at import with an actionable message instead of an AttributeError deep in a
producer. Raise the level whenever generated code starts to rely on something new in the runtime.
"""

RUNTIME_API_LEVEL = 1


def require_api_level(level: int) -> None:
    """Raise ImportError when this runtime is older than the generated code needs."""
    if level > RUNTIME_API_LEVEL:
        raise ImportError(
            f"this generated package needs contractgen runtime API level {level}, but the "
            f"installed contractgen runtime provides level {RUNTIME_API_LEVEL}: upgrade "
            "contractgen (pip install -U contractgen) or regenerate the code with this version"
        )
