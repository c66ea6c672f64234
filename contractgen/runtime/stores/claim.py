"""What the shared stores have in common: an event id is absent, claimed or done.

`seen` claims an absent (or expired) event for the caller and returns False: handle it. It
returns True for a done event: skip it. An event claimed by someone else is being handled right
now (another consumer got the partition in a rebalance, or the same event sits twice in a
batch): `seen` waits until the claim turns done (True) or disappears — released after a failure,
or expired because its holder died — and then claims it itself. Skipping a claimed event instead
would commit past an event that may never be handled, if its holder dies.

The claim is a lease of `claim_ttl` seconds: keep it longer than the slowest handler, or a
second consumer takes over an event still being handled; and shorter than the consumer's
`max.poll.interval.ms`, which bounds how long `seen` may wait.
"""

import asyncio
import enum
import logging
import time
from collections.abc import Awaitable, Callable
from uuid import uuid4

log = logging.getLogger("contractgen.runtime.stores")

# Kafka's default retention: a redelivery older than the log itself cannot happen.
DEFAULT_TTL = 7 * 24 * 3600.0
DEFAULT_CLAIM_TTL = 60.0
DONE = "done"

_FIRST_DELAY = 0.01
_MAX_DELAY = 0.25


class ClaimState(enum.Enum):
    CLAIMED = "claimed"  # by this call: the caller handles the event
    DONE = "done"  # handled before: the caller skips it
    BUSY = "busy"  # claimed by someone else, or vanishing right now: ask again shortly


def new_token() -> str:
    """The value of this store instance's claims, so that it releases only its own."""
    return f"claim:{uuid4().hex}"


def milliseconds(ttl: float, claim_ttl: float) -> tuple[int, int]:
    """Both lifetimes in whole milliseconds, validated."""
    if not 0 < claim_ttl <= ttl:
        raise ValueError(f"need 0 < claim_ttl ({claim_ttl}) <= ttl ({ttl}), in seconds")
    return max(1, round(ttl * 1000)), max(1, round(claim_ttl * 1000))


def _waiting(event_id: object) -> None:
    log.info(
        "event %s is claimed (being handled elsewhere, or a failed attempt's claim has not "
        "expired): waiting until it is done or the claim ends",
        event_id,
    )


def claim_or_wait(event_id: object, try_claim: Callable[[], ClaimState]) -> bool:
    """`seen` of a sync store: True when the event is done, False once claimed for the caller."""
    delay = _FIRST_DELAY
    while (state := try_claim()) is ClaimState.BUSY:
        if delay == _FIRST_DELAY:
            _waiting(event_id)
        time.sleep(delay)
        delay = min(delay * 2, _MAX_DELAY)
    return state is ClaimState.DONE


async def claim_or_wait_async(
    event_id: object, try_claim: Callable[[], Awaitable[ClaimState]]
) -> bool:
    """`seen` of an async store, waiting without blocking the event loop."""
    delay = _FIRST_DELAY
    while (state := await try_claim()) is ClaimState.BUSY:
        if delay == _FIRST_DELAY:
            _waiting(event_id)
        await asyncio.sleep(delay)
        delay = min(delay * 2, _MAX_DELAY)
    return state is ClaimState.DONE
