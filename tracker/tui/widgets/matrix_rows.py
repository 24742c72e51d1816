"""The matrix a grid shows: its outline (every row's measure id, every column) and the rows read so far.

Rows are read in blocks of :data:`BLOCK` as they come into view; blocks far from the cursor are dropped,
so memory stays flat however many measures the matrix has.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from rich.cells import cell_len

from tracker.store.detail_rows import MatrixCell
from tracker.store.matrix_reads import MatrixOutline, MatrixWindow

BLOCK = 100
KEEP_BLOCKS = 8  # blocks kept around the cursor's


class _Rows(Sequence):
    """``matrix.measures[i]``: ``(measure id, code, title)`` of row ``i``, or None while it is being read."""

    def __init__(self, matrix: PagedMatrix) -> None:
        self._matrix = matrix

    def __len__(self) -> int:
        return len(self._matrix.measure_ids)

    def __getitem__(self, index):  # type: ignore[override]
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError(index)
        return self._matrix.loaded.get(index)

    def __iter__(self) -> Iterator:
        return (self[i] for i in range(len(self)))


class PagedMatrix:
    def __init__(self, outline: MatrixOutline | None = None) -> None:
        outline = outline or MatrixOutline([], [], 0)
        self.measure_ids = outline.measure_ids
        self.units = outline.units
        self.tasks = outline.tasks
        self.documents = outline.documents
        self.code_width = min(10, max([cell_len(c) for c in outline.codes] or [4]))
        self.tag_width = min(8, max(4, cell_len(f"文{outline.last_document}"))) if outline.documents > 1 else 0
        self.loaded: dict[int, tuple[int, str, str]] = {}  # row -> (measure id, code, title)
        self.document_of: dict[int, int] = {}  # measure id -> document id (rows read)
        self.cells: dict[tuple[int, int], MatrixCell] = {}
        self.blocks: set[int] = set()
        self.measures = _Rows(self)

    def index_of(self, measure_id: int | None) -> int | None:
        try:
            return self.measure_ids.index(measure_id)
        except ValueError:
            return None

    def block_ids(self, block: int) -> list[int]:
        return self.measure_ids[block * BLOCK:(block + 1) * BLOCK]

    def add(self, block: int, window: MatrixWindow, cursor_row: int) -> None:
        """Rows of ``block`` read; blocks far from ``cursor_row`` are forgotten."""
        start = block * BLOCK
        by_id = {m[0]: m for m in window.measures}
        for i, mid in enumerate(self.block_ids(block)):
            found = by_id.get(mid)
            if found is not None:
                self.loaded[start + i] = found[:3]
                self.document_of[mid] = found[3]
        self.cells.update(window.cells)
        self.blocks.add(block)
        centre = cursor_row // BLOCK
        for far in [b for b in self.blocks if abs(b - centre) > KEEP_BLOCKS]:
            self._drop(far)

    def _drop(self, block: int) -> None:
        self.blocks.discard(block)
        for row in range(block * BLOCK, min(len(self.measure_ids), (block + 1) * BLOCK)):
            found = self.loaded.pop(row, None)
            if found is not None:
                self.document_of.pop(found[0], None)
                for uid, _name, _kind in self.units:
                    self.cells.pop((found[0], uid), None)
