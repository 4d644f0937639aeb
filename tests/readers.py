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
