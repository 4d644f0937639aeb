"""Independent readers used by tests: LibreOffice headless and poppler. Missing tools fail loudly."""
from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

INSTALL = "apt-get install -y libreoffice-calc-nogui poppler-utils"


def need(tool: str) -> str:
    found = shutil.which(tool)
    assert found, f"{tool} is required for this test: {INSTALL} (.ci/run does it)"
    return found


def to_pdf(path: Path, outdir: Path) -> Path:
    """Convert with LibreOffice headless in a private profile (parallel runs do not share one)."""
    soffice = need("soffice")
    profile = outdir / "lo-profile"
    env = dict(os.environ, HOME=str(outdir))
    subprocess.run([soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
                    "--outdir", str(outdir), str(path)], check=True, capture_output=True, timeout=180, env=env)
    pdf = outdir / (path.stem + ".pdf")
    assert pdf.exists(), f"LibreOffice did not convert {path.name}"
    return pdf


def pdf_text(pdf: Path) -> str:
    return subprocess.run([need("pdftotext"), "-layout", str(pdf), "-"], check=True, capture_output=True,
                          text=True).stdout


def pdf_pages(pdf: Path, prefix: Path, dpi: int = 40) -> list[Path]:
    subprocess.run([need("pdftoppm"), "-r", str(dpi), "-png", str(pdf), str(prefix)], check=True, capture_output=True)
    return sorted(prefix.parent.glob(prefix.name + "*.png"))


def part(path: Path, name: str) -> bytes:
    """One part of an Office package (a zip), as stored."""
    import zipfile

    with zipfile.ZipFile(path) as z:
        return z.read(name)


def vba_sources(path: Path) -> dict[str, str]:
    """Every module's source in the workbook's VBA project, by module name, as olevba extracts it."""
    from oletools.olevba import VBA_Parser

    parser = VBA_Parser(str(path))
    try:
        return {Path(filename).stem: code for _, _, filename, code in parser.extract_macros()}
    finally:
        parser.close()


def vba_body(source: str) -> list[str]:
    """A module's lines without the header a writer adds (`Attribute VB_*`, LibreOffice's `Rem Attribute` and
    `Option VBASupport 1`) or trailing blank lines: what two writers of the same module agree on."""
    header = ("Attribute VB_", "Rem Attribute VBA_", "Option VBASupport 1")
    lines = [line for line in source.replace("\r\n", "\n").split("\n") if not line.startswith(header)]
    while lines and not lines[-1].strip():
        lines.pop()
    return lines
