"""contractgen: typed, compatibility-checked Kafka event contracts from Avro schemas."""

from typing import Any


def __getattr__(name: str) -> Any:
    # `__version__` is read from the installed metadata on first use: importlib.metadata costs
    # more than the rest of `contractgen --help`, and services importing the runtime never ask.
    if name != "__version__":
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from importlib.metadata import PackageNotFoundError, version

    try:
        found = version("contractgen")
    except PackageNotFoundError:  # running from a source tree that was never installed
        found = "0.0.0"
    globals()["__version__"] = found
    return found
