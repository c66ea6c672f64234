"""random_uuid: uuid4's kind of ids from a pool of random numbers, never handed out twice,
across threads and across a fork."""

import os
import threading
from uuid import UUID

from contractgen.runtime.envelope import random_uuid


def test_ids_are_version_4_and_distinct_across_refills() -> None:
    ids = [random_uuid() for _ in range(1000)]  # several blocks of 256
    assert len(set(ids)) == len(ids)
    for value in ids:
        assert (value.version, value.variant) == (4, "specified in RFC 4122")
        assert UUID(str(value)) == value


def test_threads_never_get_the_same_id() -> None:
    taken: list[list[UUID]] = [[] for _ in range(4)]

    def take(out: list[UUID]) -> None:
        out.extend(random_uuid() for _ in range(2000))

    threads = [threading.Thread(target=take, args=(out,)) for out in taken]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    every = [value for out in taken for value in out]
    assert len(set(every)) == len(every) == 8000


def test_a_forked_child_does_not_repeat_the_parents_ids() -> None:
    random_uuid()  # the parent holds a block with unused ids
    read, write = os.pipe()
    child = os.fork()
    if child == 0:  # pragma: no cover - runs in the child
        os.write(write, random_uuid().bytes)
        os._exit(0)
    os.close(write)
    from_child = UUID(bytes=os.read(read, 16))
    os.close(read)
    os.waitpid(child, 0)
    assert from_child != random_uuid()
