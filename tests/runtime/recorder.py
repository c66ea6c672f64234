"""A Metrics hook for tests: it keeps what the runtime told it."""

from collections import Counter
from collections.abc import Mapping


class Recorder:
    def __init__(self) -> None:
        self.counts: Counter[tuple[str, tuple[tuple[str, str], ...]]] = Counter()
        self.observed: list[tuple[str, float]] = []

    def count(self, name: str, value: int, labels: Mapping[str, str]) -> None:
        self.counts[name, tuple(sorted(labels.items()))] += value

    def observe(self, name: str, value: float, labels: Mapping[str, str]) -> None:
        self.observed.append((name, value))

    def total(self, name: str, topic: str) -> int:
        return self.counts[name, (("topic", topic),)]

    def by_reason(self, name: str) -> Counter[str]:
        return Counter(
            {
                dict(labels)["reason"]: n
                for (metric, labels), n in self.counts.items()
                if metric == name
            }
        )
