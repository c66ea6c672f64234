"""librdkafka's mock cluster through its C API, for the one setting Python cannot reach.

confluent-kafka starts a mock cluster from a config key (`test.mock.num.brokers`) but exposes
none of the mock's own API, whose group.initial.rebalance.delay.ms (3 s) makes every consumer
group's first join wait 3 s. This calls the same librdkafka that confluent-kafka loaded (its
wheel bundles it) with ctypes: the handle that owns the cluster is created and destroyed here.
`start` returns None when that library or the function is not found; the caller falls back.
"""

import ctypes
import ctypes.util
from pathlib import Path

import confluent_kafka

_PRODUCER = 0  # rd_kafka_type_t RD_KAFKA_PRODUCER
_CONF_OK = 0


def _library() -> ctypes.CDLL | None:
    package = Path(confluent_kafka.__file__).parent
    bundled = [  # Linux wheels (auditwheel), macOS wheels (delocate)
        *sorted(package.parent.glob("confluent_kafka.libs/librdkafka*.so*")),
        *sorted(package.glob(".dylibs/librdkafka*.dylib")),
    ]
    system = ctypes.util.find_library("rdkafka")
    for path in [*map(str, bundled), *([system] if system else [])]:
        try:
            lib = ctypes.CDLL(path)
        except OSError:
            continue
        if hasattr(lib, "rd_kafka_mock_group_initial_rebalance_delay_ms"):
            return _declare(lib)
    return None


def _declare(lib: ctypes.CDLL) -> ctypes.CDLL:
    p, s = ctypes.c_void_p, ctypes.c_char_p
    for name, restype, argtypes in (
        ("rd_kafka_conf_new", p, []),
        ("rd_kafka_conf_set", ctypes.c_int, [p, s, s, s, ctypes.c_size_t]),
        ("rd_kafka_conf_destroy", None, [p]),
        ("rd_kafka_new", p, [ctypes.c_int, p, s, ctypes.c_size_t]),
        ("rd_kafka_destroy", None, [p]),
        ("rd_kafka_handle_mock_cluster", p, [p]),
        ("rd_kafka_mock_cluster_bootstraps", s, [p]),
        ("rd_kafka_mock_group_initial_rebalance_delay_ms", None, [p, ctypes.c_int32]),
    ):
        function = getattr(lib, name)
        function.restype, function.argtypes = restype, argtypes
    return lib


class NativeMockCluster:
    """A mock cluster owned by a librdkafka handle made here; `close()` destroys both."""

    def __init__(self, lib: ctypes.CDLL, handle: int, bootstrap_servers: str) -> None:
        self._lib = lib
        self._handle: int | None = handle
        self.bootstrap_servers = bootstrap_servers

    @classmethod
    def start(cls, num_brokers: int, group_join_delay_ms: int) -> "NativeMockCluster | None":
        lib = _library()
        if lib is None:
            return None
        error = ctypes.create_string_buffer(512)
        conf = lib.rd_kafka_conf_new()
        # log_level 4 hides librdkafka's "Mock cluster enabled" notice
        for key, value in (("test.mock.num.brokers", str(num_brokers)), ("log_level", "4")):
            if lib.rd_kafka_conf_set(conf, key.encode(), value.encode(), error, 512) != _CONF_OK:
                lib.rd_kafka_conf_destroy(conf)
                raise RuntimeError(f"librdkafka mock cluster: {error.value.decode()}")
        handle = lib.rd_kafka_new(_PRODUCER, conf, error, 512)  # owns conf from here on
        if not handle:
            lib.rd_kafka_conf_destroy(conf)
            raise RuntimeError(f"librdkafka mock cluster: {error.value.decode()}")
        cluster = lib.rd_kafka_handle_mock_cluster(handle)
        lib.rd_kafka_mock_group_initial_rebalance_delay_ms(cluster, group_join_delay_ms)
        return cls(lib, handle, lib.rd_kafka_mock_cluster_bootstraps(cluster).decode())

    def close(self) -> None:
        if self._handle is not None:
            self._lib.rd_kafka_destroy(self._handle)
            self._handle = None

    def __del__(self) -> None:
        self.close()
