"""What an ``OptionList`` keeps per option, worked out when asked for a list whose options are one line each
(:class:`tracker.tui.widgets.bars.BarList`): a dashboard at a million tasks lists ~34,000 rows."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence


class OneLineEach:
    """OptionList's line cache (``lines``, ``heights``, ``index_to_line``) for a list whose options are one line
    each: line ``i`` is option ``i``, worked out when asked. Stored, a dashboard at 1M built three structures
    of ~34,000 entries every time it was laid out (~15 ms), and the allocation set off full collections."""

    __slots__ = ("count", "heights", "index_to_line", "lines")

    def __init__(self) -> None:
        self.count = 0  # options laid out
        self.lines = _Lines(self)
        self.heights = _PerOption(self, lambda index: 1)
        self.index_to_line = _PerOption(self, lambda index: index)

    def clear(self) -> None:
        self.count = 0


class _Lines(Sequence[tuple[int, int]]):
    """(option, line within it) of each line."""

    def __init__(self, cache: OneLineEach) -> None:
        self._cache = cache

    def __len__(self) -> int:
        return self._cache.count

    def __getitem__(self, line):  # an index or a slice, as Sequence has it
        if isinstance(line, slice):
            return [(i, 0) for i in range(*line.indices(self._cache.count))]
        if line < 0:
            line += self._cache.count
        if not 0 <= line < self._cache.count:
            raise IndexError(line)
        return (line, 0)


class _PerOption(Mapping[int, int]):
    """A figure for each option laid out (a KeyError for any other, as a dict gives)."""

    def __init__(self, cache: OneLineEach, value: Callable[[int], int]) -> None:
        self._cache, self._value = cache, value

    def __getitem__(self, index: int) -> int:
        if not (isinstance(index, int) and 0 <= index < self._cache.count):
            raise KeyError(index)
        return self._value(index)

    def __iter__(self) -> Iterator[int]:
        return iter(range(self._cache.count))

    def __len__(self) -> int:
        return self._cache.count
