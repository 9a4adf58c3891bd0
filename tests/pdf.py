"""Reading rendered report PDFs in tests: the text poppler's ``pdftotext`` extracts."""

import shutil
import subprocess
import unicodedata

import pytest

needs_pdftotext = pytest.mark.skipif(not shutil.which("pdftotext"), reason="needs poppler-utils")


def pdf_text(run, *, flat: bool = False) -> str:
    """The text of a report run's PDF, laid out as on the page.

    ``flat`` joins everything with single spaces (table cells wrap long names onto
    several lines) and folds compatibility ideographs back (some fonts map 工 to the
    Kangxi radical ⼯), for assertions on phrases that may wrap.
    """
    result = subprocess.run(
        ["pdftotext", "-layout", run.file.path, "-"], capture_output=True, check=True
    )
    text = result.stdout.decode("utf-8")
    if flat:
        text = " ".join(unicodedata.normalize("NFKC", text).split())
    return text
