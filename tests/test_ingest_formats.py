"""Reading Word, Excel, PDF and non-UTF-8 text: the same document in any of them gives the
same measures and units as its plain-text twin."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.formats_docs import (
    DOC_NUMBER,
    TABLE_ROWS,
    TITLE,
    document_text,
    make_docx,
    make_pdf,
    make_xlsx,
)
from tracker.ingest import IngestError, parse_bytes, parse_file
from tracker.ingest.formats.numbering import chinese_number, format_number


def _shape(doc):
    """What an import creates: measures with their text, units (role) and due dates."""
    return [
        (m.code, m.chapter, m.text, [(u.name, u.role) for u in m.units], m.due, m.is_context)
        for m in doc.measures
    ]


@pytest.fixture
def text_doc(config):
    return parse_bytes(document_text().encode(), "意见.txt", config)


def test_docx_gives_the_same_measures_and_units_as_text(config, text_doc, tmp_path):
    path = tmp_path / "意见.docx"
    path.write_bytes(make_docx())
    doc = parse_file(path, config)
    assert _shape(doc) == _shape(text_doc)
    assert (doc.title, doc.doc_number, str(doc.issued)) == (TITLE, DOC_NUMBER, "2022-08-29")
    codes = [m.code for m in doc.measures]
    assert "二（一）" in codes and "二（二）" in codes and "T1" in codes
    assert doc.task_count == text_doc.task_count > 0


def test_docx_list_numbering_is_written_out(config):
    from tracker.ingest.formats.docx import docx_text

    text = docx_text(make_docx(), "意见.docx")
    lines = text.splitlines()
    assert "一、总体要求" in lines and "二、主要措施" in lines
    assert "（一）加大纾困减负力度" in lines and "（二）扩大就业容量" in lines
    # headers, footers and the 抄送 block are not body text
    assert "页脚" not in text and "页眉" not in text and "抄送" not in text and "印发" not in text


def test_docx_merged_cells_are_continued(config):
    from tracker.ingest.formats.docx import docx_text

    lines = docx_text(make_docx(), "意见.docx").splitlines()
    assert "附件：重点任务分工表" in lines  # a caption row across the table is a paragraph
    header = next(line for line in lines if line.startswith("| 序号"))
    assert header == "| 序号 | 重点任务 | 责任单位牵头单位 | 责任单位配合单位 | 完成时限 |"
    rows = [line for line in lines if line.startswith("| 2 ")]
    assert rows == ["| 2 | 落实创业担保贷款贴息 | 区人社局 | 区财政局 | 2022年10月底前 |"]  # vMerge continued
    assert any("开展专项招聘｜线上线下同步" in line for line in lines)  # a pipe in a cell stays in its cell


def test_docx_table_rows_are_measures_with_roles(config):
    doc = parse_bytes(make_docx(), "意见.docx", config)
    by_code = {m.code: m for m in doc.measures}
    assert [(u.name, u.role) for u in by_code["T2"].units] == [("区人力资源社会保障局", "lead"), ("区财政局", "support")]
    assert str(by_code["T3"].due) == "2022-11-30"


def test_gbk_text_is_read_like_utf8(config, text_doc):
    for encoding in ("gb18030", "gbk"):
        doc = parse_bytes(document_text().encode(encoding), "意见.txt", config)
        assert _shape(doc) == _shape(text_doc), encoding


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be", "utf-8-sig", "utf-32"])
def test_unicode_with_bom_is_read(config, text_doc, encoding):
    data = document_text().encode(encoding)
    if encoding == "utf-16-be":
        data = b"\xfe\xff" + data
    assert _shape(parse_bytes(data, "意见.txt", config)) == _shape(text_doc)


def test_utf16_without_bom_is_read(config, text_doc):
    data = document_text().replace("\n", "\r\n").encode("utf-16-le")
    assert _shape(parse_bytes(data, "意见.txt", config)) == _shape(text_doc)


def test_undecodable_text_names_the_file(config):
    with pytest.raises(IngestError) as info:
        parse_bytes("一、总体要求".encode("gbk") + bytes(range(0x80, 0x100)), "坏文件.txt", config)
    message = str(info.value)
    assert "坏文件.txt" in message and "编码" in message and "\n" not in message


def test_format_is_told_by_content_not_extension(config, text_doc):
    doc = parse_bytes(make_docx(), "意见.txt", config)  # a .docx saved under a .txt name
    assert _shape(doc) == _shape(text_doc)
    with pytest.raises(IngestError) as info:
        parse_bytes(b"just some ASCII text\n", "scan.pdf", config)
    assert "scan.pdf" in str(info.value) and "不是 PDF" in str(info.value)


def test_xlsx_task_sheets_are_chapters_of_row_measures(config):
    data = make_xlsx({"就业": TABLE_ROWS, "创业": TABLE_ROWS[:2]})
    doc = parse_bytes(data, "任务分解表.xlsx", config)
    tasks = [m for m in doc.measures if not m.is_context]
    assert [m.code for m in tasks] == ["一T1", "一T2", "一T3", "二T1", "二T2"]
    assert [m.chapter for m in tasks] == ["就业"] * 3 + ["创业"] * 2
    assert doc.title == "青浦区稳就业重点任务分解表"
    # 区人社局 is merged down over two rows: both rows have it as lead
    assert [(u.name, u.role) for u in tasks[1].units] == [("区人力资源社会保障局", "lead"), ("区财政局", "support")]
    assert str(tasks[0].due) == "2022-12-31"
    assert not any("重复" in w.message for w in doc.warnings)


def test_xlsx_single_sheet_matches_the_markdown_table(config):
    single = parse_bytes(make_xlsx({"Sheet1": TABLE_ROWS}), "表.xlsx", config)
    markdown = "\n".join(
        ["| 序号 | 工作事项 | 牵头单位 | 配合单位 | 完成时限 |", "| --- | --- | --- | --- | --- |"]
        + ["| " + " | ".join(c.replace("|", "｜") for c in row) + " |" for row in TABLE_ROWS]
    )
    twin = parse_bytes(markdown.encode(), "表.md", config)
    strip = lambda doc: [(m.code, m.text, [(u.name, u.role) for u in m.units], m.due) for m in doc.measures]
    assert strip(single) == strip(twin) and len(single.measures) == 3


def test_xlsx_without_a_task_header_is_one_clear_error(config):
    import io

    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active.append(["姓名", "电话"])
    out = io.BytesIO()
    workbook.save(out)
    with pytest.raises(IngestError) as info:
        parse_bytes(out.getvalue(), "通讯录.xlsx", config)
    assert "通讯录.xlsx" in str(info.value) and "任务分解表" in str(info.value)


def test_pdf_text_layer_is_read_in_order_with_tables(config):
    pytest.importorskip("pdfplumber")
    lines = [TITLE, DOC_NUMBER, "一、主要措施", "（一）开发公益性岗位不少于910个（责任单位：区人社局、区财政局）", "2022年8月29日"]
    table = [["序号", "重点任务", "牵头单位", "配合单位"], ["1", "开展专项招聘", "区人社局", "区教育局"]]
    doc = parse_bytes(make_pdf(lines, table=table), "意见.pdf", config)
    assert (doc.title, doc.doc_number) == (TITLE, DOC_NUMBER)
    by_code = {m.code: m for m in doc.measures}
    assert [u.name for u in by_code["一（一）"].units] == ["区人力资源社会保障局", "区财政局"]
    assert [(u.name, u.role) for u in by_code["T1"].units] == [("区人力资源社会保障局", "lead"), ("区教育局", "support")]


def test_scanned_pdf_says_ocr_is_not_supported(config):
    pytest.importorskip("pdfplumber")
    with pytest.raises(IngestError) as info:
        parse_bytes(make_pdf(None, scanned=True), "扫描件.pdf", config)
    message = str(info.value)
    assert message.startswith("扫描件.pdf:") and "OCR" in message and "Word" in message


@pytest.mark.parametrize(
    ("data", "name", "words"),
    [
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "旧文件.doc", ".docx"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "旧表格.xls", ".xlsx"),
        (b"PK\x03\x04broken zip", "坏.docx", "不是 Word"),
    ],
)
def test_old_and_broken_files_get_one_line(config, monkeypatch, data, name, words):
    monkeypatch.setattr("tracker.ingest.formats.legacy.soffice", lambda: None)
    with pytest.raises(IngestError) as info:
        parse_bytes(data, name, config)
    assert name in str(info.value) and words in str(info.value) and "\n" not in str(info.value)


def test_ofd_is_refused_with_advice(config):
    import io
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("OFD.xml", "<ofd:OFD/>")
    with pytest.raises(IngestError) as info:
        parse_bytes(out.getvalue(), "公文.ofd", config)
    assert "公文.ofd" in str(info.value) and "PDF" in str(info.value)


@pytest.mark.parametrize(
    ("n", "fmt", "expected"),
    [(1, "chineseCounting", "一"), (10, "chineseCounting", "十"), (12, "chineseCounting", "十二"),
     (20, "chineseCountingThousand", "二十"), (105, "chineseCounting", "一百零五"), (3, "decimalEnclosedCircle", "③"),
     (2, "ideographTraditional", "乙"), (4, "upperRoman", "IV"), (28, "lowerLetter", "bb"), (7, "decimal", "7"),
     (3, "decimalFullWidth", "３"), (11, "chineseLegalSimplified", "拾壹")],
)
def test_word_number_formats(n, fmt, expected):
    assert format_number(n, fmt) == expected
    assert chinese_number(n) != ""


def test_word_numbering_restarts_and_levels():
    from tracker.ingest.formats.numbering import Numbering

    W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    xml = f"""<w:numbering {W}>
      <w:abstractNum w:abstractNumId="1">
        <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="%1、"/></w:lvl>
        <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="（%2）"/></w:lvl>
        <w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%3."/></w:lvl>
      </w:abstractNum>
      <w:num w:numId="1"><w:abstractNumId w:val="1"/></w:num>
      <w:num w:numId="2"><w:abstractNumId w:val="1"/>
        <w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride></w:num>
    </w:numbering>""".encode()
    numbering = Numbering.parse(xml)
    seq = [(1, 0), (1, 1), (1, 2), (1, 2), (1, 1), (1, 2), (1, 0), (1, 1), (2, 0)]
    got = [numbering.label(str(n), lvl) for n, lvl in seq]
    assert got == ["一、", "（一）", "1.", "2.", "（二）", "1.", "二、", "（一）", "一、"]


def test_format_libraries_load_only_when_needed():
    code = (
        "import sys\n"
        "from tracker.ingest import parse_bytes\n"
        "from tracker.config import Config\n"
        "parse_bytes('（一）做好帮扶（责任单位：区民政局）'.encode('gbk'), 'a.txt', Config())\n"
        "heavy = [m for m in ('openpyxl', 'pdfplumber', 'pdfminer', 'docx', 'lxml') if m in sys.modules]\n"
        "print(','.join(heavy))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_pdf_without_the_extra_names_it(config, monkeypatch):
    monkeypatch.setitem(sys.modules, "pdfplumber", None)  # as if not installed
    with pytest.raises(IngestError) as info:
        parse_bytes(make_pdf(["一、总体要求"]), "意见.pdf", config)
    assert "意见.pdf" in str(info.value) and "tracker[pdf]" in str(info.value)


def test_legacy_word_is_converted_when_soffice_is_there(config, text_doc, tmp_path, monkeypatch):
    """A stand-in ``soffice`` on PATH that 'converts' by writing the .docx we made: the
    reader must call it the LibreOffice way and read what it wrote."""
    docx_file = tmp_path / "converted.docx"
    docx_file.write_bytes(make_docx())
    tools = tmp_path / "bin"
    tools.mkdir()
    script = tools / "soffice"
    script.write_text(
        "#!/bin/sh\n"
        'while [ "$1" != "--outdir" ]; do shift; done\n'
        f'cp "{docx_file}" "$2/source.docx"\n'
    )
    script.chmod(0o755)
    monkeypatch.setenv("PATH", f"{tools}:/usr/bin:/bin")
    ole2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600
    doc = parse_bytes(ole2, "旧文件.doc", config)
    assert _shape(doc) == _shape(text_doc)


def test_folder_import_takes_word_and_excel(isolated_env, tmp_path, capsys):
    import json

    from tests.conftest import REPO
    from tracker.cli import main

    folder = tmp_path / "收文"
    folder.mkdir()
    (folder / "意见.docx").write_bytes(make_docx())
    (folder / "分解表.xlsx").write_bytes(make_xlsx({"就业": TABLE_ROWS}))
    (folder / "说明.png").write_bytes(b"\x89PNG not a document")
    code = main(["--db", str(tmp_path / "t.db"), "--config", str(REPO / "config.toml"), "--today", "2022-11-15",
                 "import", str(folder), "--dry-run", "--json"])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert sorted(Path(d["path"]).name for d in json.loads(out)) == ["分解表.xlsx", "意见.docx"]
