"""contractgen: typed, compatibility-checked Kafka event contracts from Avro schemas."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("contractgen")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0"
