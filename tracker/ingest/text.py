"""From raw bytes to a list of paragraphs.

Steps: decode (UTF-8, with or without BOM; CRLF and CR become LF), split off YAML front
matter, strip HTML (comments, styles, scripts, tags, entities, editor and QR-code
boilerplate) when the body is HTML, drop Markdown markup (``#`` headings, ``**bold**``,
rules) while remembering where it was, drop page-break debris (form feeds, page numbers),
and finally join paragraphs that a page break or a blank line split in the middle of a
sentence or even of a word (``区人`` + ``力资源社会保障局``).

Every paragraph keeps the 1-based line of the source file it starts on.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

from tracker.ingest.model import IngestError

#: Separator inserted where an HTML block element began or ended.
_BLOCK = "\x1f"


@dataclass
class Paragraph:
    text: str
    line: int
    heading: bool = False  # marked up as a heading (``#``) or a whole-bold line
    lead: str = ""  # a bold run opening the paragraph (``**一、标题**正文`` -> ``一、标题``)
    hard_before: bool = False  # a rule or an HTML block boundary precedes it


@dataclass
class Source:
    text: str  # decoded text, LF line ends
    front: dict[str, str] = field(default_factory=dict)
    body_line: int = 1  # line where the body (after front matter) starts
    is_html: bool = False
    paragraphs: list[Paragraph] = field(default_factory=list)


# -- decoding ---------------------------------------------------------------

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f\u200b-\u200d\u2060\ufeff]")


def decode(data: bytes, path: str) -> str:
    if not data or not data.strip():
        raise IngestError(path, "空文件")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise IngestError(
            path, f"不是 UTF-8 文本（第 {exc.start} 字节为 0x{data[exc.start]:02x}）", line
        ) from None
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    # A form feed is a page break: drop it; the joining step mends what it split.
    text = text.replace("\f", "")
    text = _CONTROL.sub("", text)
    if not text.strip():
        raise IngestError(path, "文件中没有文字")
    return text


# -- front matter -----------------------------------------------------------

_FM_KEY = re.compile(r"^([A-Za-z_][\w-]*)\s*:\s*(.*)$")


def split_front_matter(text: str) -> tuple[dict[str, str], str, int]:
    """Return (front matter, body, first line of body). Only simple ``key: value`` pairs."""
    lines = text.split("\n")
    i = 0
    while i < len(lines) and not lines[i].strip():
        i += 1
    if i >= len(lines) or lines[i].strip() != "---":
        return {}, text, 1
    front: dict[str, str] = {}
    for j in range(i + 1, min(len(lines), i + 200)):
        stripped = lines[j].strip()
        if stripped in ("---", "..."):
            if not front:
                return {}, text, 1
            return front, "\n".join(lines[j + 1 :]), j + 2
        match = _FM_KEY.match(lines[j])
        if match:
            value = match.group(2).strip()
            if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
                quote, value = value[0], value[1:-1]
                if quote == "'":
                    value = value.replace("''", "'")
            front[match.group(1).lower()] = value
        elif stripped and not stripped.startswith(("-", "#")) and not lines[j].startswith((" ", "\t")):
            return {}, text, 1
    return {}, text, 1


# -- HTML -------------------------------------------------------------------

_HTML_HINT = re.compile(
    r"<(?:p|div|br|span|strong|b|a|img|style|script|table|tr|td|h[1-6]|section|article|li|ul|ol|font)\b[^<>]*>"
    r"|</(?:p|div|span|strong|a|td|tr|h[1-6]|section|article|li|font)>",
    re.IGNORECASE,
)
_HTML_DROP = re.compile(
    r"<!--.*?(?:-->|$)|<(style|script|noscript|iframe|template)\b[^>]*>.*?(?:</\1\s*>|$)",
    re.IGNORECASE | re.DOTALL,
)
_HTML_BLOCK = re.compile(
    r"</?(?:p|div|br|li|ul|ol|tr|table|tbody|thead|h[1-6]|section|article|blockquote|header|footer|hr|center)\b[^<>]*>",
    re.IGNORECASE,
)
_HTML_TAG = re.compile(r"</?[A-Za-z][^<>]*>")


def looks_like_html(text: str) -> bool:
    return len(_HTML_HINT.findall(text[:20000])) >= 2


def strip_html(text: str) -> str:
    """Remove markup but keep the line structure (removed spans keep their newlines)."""

    def keep_newlines(match: re.Match[str]) -> str:
        return "\n" * match.group(0).count("\n")

    text = _HTML_DROP.sub(keep_newlines, text)
    text = re.sub(r"<t[dh]\b[^<>]*>", "|", text, flags=re.IGNORECASE)
    text = _HTML_BLOCK.sub(_BLOCK, text)
    text = _HTML_TAG.sub("", text)
    return text


# -- Markdown and boilerplate -------------------------------------------------

_RULE = re.compile(r"^\s*(?:-{3,}|\*{3,}|_{3,}|={3,})\s*$")
_HEADING = re.compile(r"^\s*#{1,6}(?:\s+|(?=\S))")
_BOLD_LEAD = re.compile(r"^(?:\*\*|__)(.+?)(?:\*\*|__)(.*)$")
_MD_LINK = re.compile(r"!?\[([^\]\n]*)\]\([^)\n]*\)")
_URL_LINE = re.compile(r"^<?(?:https?:)?//\S+>?$")
_PAGE_DEBRIS = re.compile(
    r"^(?:[-—–－―─_\s]*\d{1,4}[-—–－―─_\s]*|第\s*\d+\s*页(?:\s*[/，,]?\s*共\s*\d+\s*页)?|\d+\s*/\s*\d+)$"
)
_BOILERPLATE = re.compile(
    r"^[（(【\[]?(?:原标题|责任编辑|编辑|审核|校对|来源|文章来源|稿件来源|作者|记者|扫一扫|扫描二维码|打印|关闭|分享|返回|"
    r"海量资讯|点击|相关阅读|相关新闻|延伸阅读|版权|声明|本文来源)"
)
_SPACES = re.compile(r"[ \t\u3000\u00a0]+")
_BLANKS = " \t\n\r\f\v\u3000\u00a0"
_QUOTE = re.compile(r"^>\s*")
_STRAY_STAR = re.compile(r"(?<!\w)\*(?=\S)|(?<=\S)\*(?!\w)")
_CJK_SPACE = re.compile(r"(?<=[^\x00-\x7f]) (?=[^\x00-\x7f])")
_FULLWIDTH_DIGIT = re.compile("[０-９]")


def _clean_inline(text: str) -> str:
    # each step runs only where its characters occur (a large file has a hundred thousand lines)
    if "](" in text:
        text = _MD_LINK.sub(r"\1", text)
    if _FULLWIDTH_DIGIT.search(text):
        text = text.translate(_FULLWIDTH_DIGITS)
    if "*" in text or "_" in text:
        text = text.replace("**", "").replace("__", "")
        text = _STRAY_STAR.sub("", text)
    text = html.unescape(text) if "&" in text else text
    text = text.strip(_BLANKS)
    # Collapse runs of spaces; spaces between CJK characters are conversion debris.
    text = _SPACES.sub(" ", text)
    if " " in text:
        text = _CJK_SPACE.sub("", text)
    return text


def is_boilerplate(text: str) -> bool:
    if _URL_LINE.match(text):
        return True
    if len(text) <= 60 and _BOILERPLATE.match(text):
        return True
    if len(text) <= 40 and ("二维码" in text or "尽在" in text and "APP" in text.upper()):
        return True
    return False


def raw_paragraphs(body: str, first_line: int, is_html: bool) -> list[Paragraph]:
    """One paragraph per non-blank line (or HTML block); blank lines are not kept."""
    out: list[Paragraph] = []
    hard = False
    for offset, line in enumerate(body.split("\n")):
        number = first_line + offset
        pieces = line.split(_BLOCK) if is_html else [line]
        for k, piece in enumerate(pieces):
            if k > 0:
                hard = True
            if _RULE.match(piece):
                hard = True
                continue
            heading = False
            match = _HEADING.match(piece)
            if match:
                heading = True
                piece = piece[match.end() :]
            piece = piece.strip().strip("\u3000")
            if piece.startswith(">"):
                piece = _QUOTE.sub("", piece)
            lead = ""
            bold = _BOLD_LEAD.match(piece)
            if bold:
                rest = _clean_inline(bold.group(2))
                lead = _clean_inline(bold.group(1))
                if not rest:
                    heading = True
                    lead = ""
            text = _clean_inline(piece)
            if not text or _PAGE_DEBRIS.match(text):
                continue
            if is_boilerplate(text):
                hard = True
                continue
            out.append(Paragraph(text, number, heading, lead, hard))
            hard = False
    return out


# -- joining page-break splits -------------------------------------------------

_TERMINAL = set("。！？；：!?;:…）)】」』")
_PROSE = re.compile(r"[，。；：,;:]")
_NUMBERED = re.compile(
    r"^(?:[零〇一二三四五六七八九十百]{1,4}\s*[、.．]"
    r"|[（(]\s*[零〇一二三四五六七八九十百\d]{1,4}\s*[）)]"
    r"|\d{1,3}\s*[.．、](?!\d)"
    r"|[①-⑳]"
    r"|第[零〇一二三四五六七八九十百\d]{1,4}[章节部分条]"
    r"|[一二三四五六七八九十]{1,3}是)"
)
_DATE_LINE = re.compile(
    r"^[（(]?\s*(?:\d{4}|[〇零一二三四五六七八九]{4})\s*年\s*[\d〇零一二三四五六七八九十]{1,3}\s*月"
    r"\s*[\d〇零一二三四五六七八九十]{1,3}\s*日\s*[）)]?$"
)


_LABEL_START = re.compile(r"^[\u4e00-\u9fa5]{0,6}(?:单位|部门|领导)\s*[：:]")
_FULLWIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")


def unclosed(text: str) -> int:
    return (text.count("（") + text.count("(")) - (text.count("）") + text.count(")"))


class _Joined:
    """A paragraph being built from pieces, with what joining needs kept up to date
    (so a long run of joins stays linear)."""

    def __init__(self, para: Paragraph):
        self.para = para
        self.pieces = [para.text]
        self.unclosed = unclosed(para.text)
        self.prose = bool(_PROSE.search(para.text))
        self.stop = "。" in para.text
        self.length = len(para.text)
        self.last = para.text[-1]
        self.numbered = bool(_NUMBERED.match(para.text))
        self.date = bool(_DATE_LINE.match(para.text))
        self.label = bool(_LABEL_START.match(para.text))

    def append(self, text: str) -> None:
        glue = " " if self.last.isascii() and self.last.isalnum() and text[0].isascii() and text[0].isalnum() else ""
        self.pieces.append(glue + text)
        self.unclosed += unclosed(text)
        self.prose = self.prose or bool(_PROSE.search(text))
        self.stop = self.stop or "。" in text
        self.length += len(glue) + len(text)
        self.last = text[-1]

    def done(self) -> Paragraph:
        if len(self.pieces) > 1:
            self.para.text = "".join(self.pieces)
        return self.para


def _should_join(p: _Joined, q: Paragraph) -> bool:
    if q.hard_before or p.para.heading or q.heading:
        return False
    if p.para.text.startswith("|") or q.text.startswith("|"):
        return False
    if _DATE_LINE.match(q.text) or p.date:
        return False
    if p.unclosed > 0 and not q.lead:
        return True
    if _LABEL_START.match(q.text) or p.label:
        return False
    if p.last in _TERMINAL:
        return False
    if _NUMBERED.match(q.text) or q.lead:
        return False
    if not p.prose:
        return False
    if p.numbered and p.length <= 40 and not p.stop:
        return False
    return True


def join_paragraphs(paragraphs: list[Paragraph]) -> list[Paragraph]:
    out: list[Paragraph] = []
    current: _Joined | None = None
    for para in paragraphs:
        if current is not None and _should_join(current, para):
            current.append(para.text)
            continue
        if current is not None:
            out.append(current.done())
        current = _Joined(para)
    if current is not None:
        out.append(current.done())
    return out


def read_source(data: bytes, path: str) -> Source:
    text = decode(data, path)
    front, body, body_line = split_front_matter(text)
    is_html = looks_like_html(body)
    if is_html:
        body = strip_html(body)
    paragraphs = join_paragraphs(raw_paragraphs(body, body_line, is_html))
    return Source(text=text, front=front, body_line=body_line, is_html=is_html, paragraphs=paragraphs)
