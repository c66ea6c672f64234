import subprocess
import sys

import pytest

from contractgen.runtime import RUNTIME_API_LEVEL, FramingError, require_api_level
from contractgen.runtime.framing import frame, schema_id_of, unframe


def test_frame_round_trip() -> None:
    data = frame(258, b"avro")
    assert data == b"\x00\x00\x00\x01\x02avro"
    assert unframe(data) == (258, b"avro")


@pytest.mark.parametrize("data", [b"", b"\x00", b"\x00\x00\x00\x01"])
def test_short_payload(data: bytes) -> None:
    with pytest.raises(FramingError, match=r"shorter than the 5-byte Schema Registry header"):
        schema_id_of(data)


def test_wrong_magic_byte() -> None:
    with pytest.raises(FramingError, match="unknown magic byte 1"):
        unframe(b"\x01\x00\x00\x00\x01body")


def test_schema_id_out_of_range() -> None:
    with pytest.raises(FramingError, match="does not fit"):
        frame(2**32, b"")


def test_api_level() -> None:
    require_api_level(RUNTIME_API_LEVEL)
    with pytest.raises(ImportError, match="upgrade contractgen"):
        require_api_level(RUNTIME_API_LEVEL + 1)


def test_import_does_not_load_codegen_tools() -> None:
    code = (
        "import sys, contractgen.runtime, contractgen.runtime.aio\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in {'jinja2', 'click', 'aiokafka'}"
        " or m.startswith('contractgen.') and not m.startswith('contractgen.runtime'))\n"
        "print(bad)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_async_clients_need_aiokafka_only_when_constructed() -> None:
    code = (
        "import sys\n"
        "sys.modules['aiokafka'] = None  # as if it were not installed\n"
        "from contractgen.runtime import AsyncProducer\n"
        "try:\n"
        "    AsyncProducer.__init__.__globals__['aiokafka']()\n"
        "except ImportError as exc:\n"
        "    print(exc)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "pip install 'contractgen[async]'" in out.stdout
