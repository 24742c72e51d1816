"""The cyclic garbage collector is paused while a document is parsed, and left as it was found.

A large document allocates millions of objects that live until the parse ends; walking them
again and again cost a quarter of the parse. The pause must end however the parse ends, and
must not switch on a collector the caller had switched off.
"""

from __future__ import annotations

import gc

import pytest

from tracker.config import Config
from tracker.ingest import IngestError, parse_bytes, reader

CFG = Config()
TEXT = "（一）推进改革，2023年底前完成。（责任单位：区财政局）\n".encode()


@pytest.fixture
def collector_state():
    enabled = gc.isenabled()
    yield
    gc.enable() if enabled else gc.disable()


def test_paused_while_parsing_and_restored(monkeypatch, collector_state):
    seen: list[bool] = []
    build = reader.build_document

    def watching(*args, **kwargs):
        seen.append(gc.isenabled())
        return build(*args, **kwargs)

    monkeypatch.setattr(reader, "build_document", watching)
    gc.enable()
    doc = parse_bytes(TEXT, "t.txt", CFG)
    assert doc.task_count == 1
    assert seen == [False]
    assert gc.isenabled()


def test_restored_after_a_document_that_cannot_be_read(collector_state):
    gc.enable()
    with pytest.raises(IngestError):
        parse_bytes(b"   ", "empty.txt", CFG)
    assert gc.isenabled()


def test_left_off_when_the_caller_switched_it_off(collector_state):
    gc.disable()
    parse_bytes(TEXT, "t.txt", CFG)
    assert not gc.isenabled()
