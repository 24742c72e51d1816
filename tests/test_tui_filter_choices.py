"""The filter panel with more measures than a dropdown should hold: no list until a document is chosen."""

from __future__ import annotations

from textual.widgets import Select

from tests.tui_helpers import engine_of, run_async, settle, table
from tracker.store import app_queries, queries
from tracker.store.engine import read_tx
from tracker.tui.app import create_app

SIZE = (160, 45)


@run_async
async def test_many_measures_wait_for_a_document_then_filter_by_measure(ctx, monkeypatch):
    monkeypatch.setattr(app_queries, "MEASURE_CHOICES", 3)  # the sample data holds more than 3 measures
    with read_tx(engine_of(ctx)) as conn:
        clause = next(d for d in queries.list_documents(conn) if d.doc_number)
        measures = queries.list_measures(conn, clause.id)
    assert len(measures) > 3
    app = create_app(ctx, poll=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        panel = app.home.panel
        measure_select = panel.query_one("#filter-measure", Select)
        assert [v for _, v in measure_select._options if v is not Select.NULL] == []  # not 100k items
        assert "先选文件" in str(measure_select.prompt)
        chapters = [v for _, v in panel.query_one("#filter-chapter", Select)._options if v is not Select.NULL]
        assert chapters  # chapter codes are still offered (read from their index)

        panel.query_one("#filter-document", Select).value = clause.id
        await settle(pilot)
        values = [v for _, v in measure_select._options if v is not Select.NULL]
        assert values == [m.id for m in measures]  # read for the chosen document, in document order
        target = measures[1]
        measure_select.value = target.id
        await settle(pilot)
        assert app.home.filter.measure_id == target.id
        t = table(app)
        shown = [t.row_at(i) for i in range(t.total)]
        assert t.total and all(r.measure_id == target.id for r in shown)
