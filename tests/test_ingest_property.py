"""Property: any bytes give a document or the importer's own error, with a location."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tracker.config import load_config
from tracker.ingest import IngestError, ParsedDocument, parse_bytes

REPO = Path(__file__).resolve().parent.parent
CONFIG = load_config(REPO / "config.toml")
SEED_TEXTS = [p.read_text(encoding="utf-8") for p in sorted((REPO / "seeds").glob("*.txt"))]
FIXTURES = [p.read_text(encoding="utf-8") for p in sorted((Path(__file__).parent / "fixtures" / "ingest").glob("*"))]

# Characters the reader treats specially, so random text hits the interesting paths.
ALPHABET = st.sampled_from(
    list("一二三四五六七八九十百、。，；：（）()【】〔〕[]:;,.\n\r\t 　#*-—<>/&;\"'=")
    + ["责任单位：", "牵头单位：", "配合单位：", "牵头", "参与", "负责", "各街镇", "区人社局", "一是", "二是",
       "要", "年内", "2022年", "12月31日前", "不少于", "40万人", "80%", "---\n", "<p>", "</p>", "<!--", "-->",
       "&#123;", "**", "## ", "\ufeff", "\x00", "\f", "列第一位者为牵头单位，下同", "date: ", "title: "]
)
SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def check(data: bytes) -> None:
    try:
        doc = parse_bytes(data, "fuzz.txt", CONFIG)
    except IngestError as exc:
        assert exc.path == "fuzz.txt"
        assert str(exc).startswith("fuzz.txt")
        # the wrapper for unexpected errors must never be needed
        assert "内部错误" not in exc.message, exc.message
        return
    assert isinstance(doc, ParsedDocument)
    doc.to_json()
    codes = [m.code for m in doc.measures]
    assert len(codes) == len(set(codes))
    for m in doc.measures:
        assert m.line >= 1
        assert all(u.role in ("lead", "support") for u in m.units)
        if m.units:
            assert sum(u.role == "lead" for u in m.units) >= 1


@SETTINGS
@given(st.binary(max_size=400))
def test_arbitrary_bytes(data):
    check(data)


@SETTINGS
@given(st.lists(ALPHABET, max_size=120).map("".join))
def test_genre_shaped_text(text):
    check(text.encode("utf-8"))


@st.composite
def mutated_seed(draw):
    text = draw(st.sampled_from(SEED_TEXTS + FIXTURES))
    for _ in range(draw(st.integers(1, 8))):
        if not text:
            break
        pos = draw(st.integers(0, len(text)))
        op = draw(st.sampled_from(["cut", "insert", "delete", "truncate"]))
        if op == "cut":
            end = min(len(text), pos + draw(st.integers(1, 400)))
            text = text[:pos] + text[end:]
        elif op == "insert":
            text = text[:pos] + draw(st.lists(ALPHABET, max_size=6).map("".join)) + text[pos:]
        elif op == "delete":
            text = text[:pos] + text[pos + 1 :]
        else:
            text = text[:pos]
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "gb18030", "utf-16"]))
    try:
        return text.encode(encoding)
    except UnicodeEncodeError:
        return text.encode("utf-8")


@SETTINGS
@given(mutated_seed())
def test_mutated_documents(data):
    check(data)
