"""Reading a PDF as a reader would: its words, and whether every word lies inside its page (poppler's
pdftotext, which the test run requires)."""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

_PAGE = re.compile(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', re.S)
_WORD = re.compile(r'<word xMin="([\d.-]+)" yMin="([\d.-]+)" xMax="([\d.-]+)" yMax="([\d.-]+)">(.*?)</word>')


def pdf_words(content: bytes, tmp_path: Path) -> list[tuple[int, float, float, str]]:
    """Every word: (page number, its right edge, the page's width, the word)."""
    source = tmp_path / "words.pdf"
    source.write_bytes(content)
    # -x/-W large: read past the page's edge too, so a cut column is found rather than left out.
    out = subprocess.run(
        ["pdftotext", "-bbox", "-x", "0", "-y", "0", "-W", "5000", "-H", "5000", str(source), "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    words = []
    for number, (width, _height, body) in enumerate(_PAGE.findall(out), start=1):
        for _x0, _y0, x1, _y1, word in _WORD.findall(body):
            words.append((number, float(x1), float(width), word))
    return words


def pdf_text(content: bytes, tmp_path: Path) -> str:
    """The text of a PDF as pdftotext reads it, with runs of white space made one space."""
    from tests.conftest import require_program

    require_program("pdftotext", "poppler-utils reads the PDF's text")
    source = tmp_path / "text.pdf"
    source.write_bytes(content)
    text = subprocess.run(["pdftotext", str(source), "-"], capture_output=True, text=True, check=True).stdout
    return " ".join(text.split())


def words_past_the_edge(content: bytes, tmp_path: Path, margin_pt: float = 0.0) -> list[str]:
    """The words printed beyond their page's right edge less ``margin_pt`` (none in a PDF whose text
    stays inside its printed area)."""
    return [
        f"page {n}: {w!r} ends at {x1:.0f} pt, past {width - margin_pt:.0f} pt"
        for n, x1, width, w in pdf_words(content, tmp_path)
        if x1 > width - margin_pt + 0.5
    ]


@dataclass(frozen=True)
class WordBox:
    page: int
    x_min: float
    y_min: float
    x_max: float
    word: str


def pdf_word_boxes(content: bytes, tmp_path: Path) -> list[WordBox]:
    """Every word with its box, to check how columns line up."""
    source = tmp_path / "boxes.pdf"
    source.write_bytes(content)
    out = subprocess.run(["pdftotext", "-bbox", str(source), "-"], check=True, capture_output=True, text=True).stdout
    return [
        WordBox(number, float(x0), float(y0), float(x1), word)
        for number, (_width, _height, body) in enumerate(_PAGE.findall(out), start=1)
        for x0, y0, x1, _y1, word in _WORD.findall(body)
    ]
