"""What an ``OptionList`` keeps per option, worked out when asked for a list whose options are one line each
(:class:`tracker.tui.widgets.bars.BarList`): a dashboard at a million tasks lists ~34,000 rows."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence

from textual.widgets.option_list import Option


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


class BarOption(Option):
    """An option that knows its index (so no Option → index table is kept)."""

    def __init__(self, index: int, id: str | None, disabled: bool) -> None:
        super().__init__("", id=id, disabled=disabled)
        self.index = index


class LazyOptions(Sequence[Option]):
    """``OptionList._options`` for one option per row, each made when first asked for: a screen draws thirty, the
    cursor looks at a few more. Made ahead, 34,000 options at a million tasks were as many objects more for every
    full garbage collection to walk (on whichever thread allocated: the UI thread waited)."""

    __slots__ = ("_ids", "_made")

    def __init__(self, ids: Sequence[str | None]) -> None:
        self._ids = ids  # a row's option id; None: a heading
        self._made: dict[int, BarOption] = {}

    def __len__(self) -> int:
        return len(self._ids)

    def __getitem__(self, index):  # an index or a slice, as Sequence has it
        if isinstance(index, slice):
            return _Slice(self, range(*index.indices(len(self._ids))))
        if index < 0:
            index += len(self._ids)
        if not 0 <= index < len(self._ids):
            raise IndexError(index)
        option = self._made.get(index)
        if option is None:
            key = self._ids[index]
            option = self._made[index] = BarOption(index, key, key is None)
        return option

    def made(self) -> Iterator[BarOption]:
        """The options made so far."""
        return iter(list(self._made.values()))


class _Slice(Sequence[Option]):
    """Part of :class:`LazyOptions` (the list looks through one to find the next enabled option)."""

    def __init__(self, options: LazyOptions, indexes: range) -> None:
        self._options, self._indexes = options, indexes

    def __len__(self) -> int:
        return len(self._indexes)

    def __getitem__(self, index):
        if isinstance(index, slice):
            return _Slice(self._options, self._indexes[index])
        return self._options[self._indexes[index]]


class OptionIndex(Mapping[Option, int]):
    """``OptionList._option_to_index`` for :class:`LazyOptions`: the index each option carries."""

    def __init__(self, options: LazyOptions) -> None:
        self._options = options

    def __getitem__(self, option: Option) -> int:
        index = getattr(option, "index", None)
        if index is None or not (0 <= index < len(self._options)) or self._options[index] is not option:
            raise KeyError(option)
        return index

    def __iter__(self) -> Iterator[Option]:
        return iter(self._options)

    def __len__(self) -> int:
        return len(self._options)


class OptionsById(Mapping[str, Option]):
    """``OptionList._id_to_option`` for :class:`LazyOptions`, from a plain id → index table."""

    def __init__(self, options: LazyOptions, indexes: Mapping[str, int]) -> None:
        self._options, self._indexes = options, indexes

    def __getitem__(self, option_id: str) -> Option:
        return self._options[self._indexes[option_id]]

    def __iter__(self) -> Iterator[str]:
        return iter(self._indexes)

    def __len__(self) -> int:
        return len(self._indexes)
