"""`import contractgen.runtime` loads only what every service uses: the async clients, the lag
helper (confluent-kafka's admin client) and the package metadata load when first asked for."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

import contractgen
import contractgen.runtime

ON_DEMAND = (
    "contractgen.runtime.aio",
    "contractgen.runtime.lag",
    "confluent_kafka.admin",
    "importlib.metadata",
)


def test_importing_the_runtime_leaves_the_optional_parts_unloaded() -> None:
    script = "import contractgen.runtime, json, sys; print(json.dumps(sorted(sys.modules)))"
    argv = [sys.executable, "-c", script]
    done = subprocess.run(argv, capture_output=True, text=True, check=True)
    loaded = set(json.loads(done.stdout))
    assert sorted(loaded.intersection(ON_DEMAND)) == []


def test_the_deferred_names_resolve_to_their_modules_objects() -> None:
    from contractgen.runtime.aio import AsyncConsumer, AsyncProducer
    from contractgen.runtime.lag import PartitionLag, consumer_lag

    assert contractgen.runtime.AsyncConsumer is AsyncConsumer
    assert contractgen.runtime.AsyncProducer is AsyncProducer
    assert contractgen.runtime.PartitionLag is PartitionLag
    assert contractgen.runtime.consumer_lag is consumer_lag
    for name in contractgen.runtime.__all__:  # every exported name is there, deferred or not
        getattr(contractgen.runtime, name)


def test_unknown_names_still_raise_attribute_error() -> None:
    with pytest.raises(AttributeError, match="no attribute 'Nope'"):
        _ = contractgen.runtime.Nope  # type: ignore[attr-defined]
    with pytest.raises(AttributeError):
        _ = contractgen.nope  # type: ignore[attr-defined]


def test_the_version_comes_from_the_installed_metadata() -> None:
    from importlib.metadata import version

    assert contractgen.__version__ == version("contractgen")
