"""Old binary formats (.doc, .wps, .xls, .et, .rtf): converted by LibreOffice when it is
installed (``soffice`` on PATH), otherwise refused with one line saying what to save as.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from tracker.ingest.model import IngestError

_SHEETS = {"xls", "et", "ett", "xlt"}
_TIMEOUT = 120  # seconds; a first LibreOffice start builds its profile


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def convert(data: bytes, path: str, ext: str) -> tuple[bytes, str]:
    """Return (converted bytes, target extension) or raise the one-line error."""
    target = "xlsx" if ext in _SHEETS else "docx"
    label = {"doc": "Word 97-2003 (.doc)", "wps": "WPS 文字 (.wps)", "xls": "Excel 97-2003 (.xls)",
             "et": "WPS 表格 (.et)", "rtf": "RTF"}.get(ext, "旧版 Office 二进制格式")
    program = soffice()
    if program is None:
        raise IngestError(path, f"{label} 文件无法直接读取：请在 Word/WPS 中另存为 .{target} 后再导入（或安装 LibreOffice 以自动转换）")
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / f"source.{ext or 'doc'}"
        source.write_bytes(data)
        try:
            subprocess.run(
                [program, "--headless", "--norestore", f"-env:UserInstallation=file://{tmp}/profile",
                 "--convert-to", target, "--outdir", tmp, str(source)],
                check=True, capture_output=True, timeout=_TIMEOUT,
            )
        except (subprocess.CalledProcessError, subprocess.TimeoutExpired, OSError) as exc:
            raise IngestError(path, f"用 LibreOffice 转换为 .{target} 失败（{type(exc).__name__}），请手工另存为 .{target}") from None
        result = Path(tmp) / f"source.{target}"
        if not result.exists():
            raise IngestError(path, f"用 LibreOffice 转换为 .{target} 失败，请手工另存为 .{target}")
        return result.read_bytes(), target
