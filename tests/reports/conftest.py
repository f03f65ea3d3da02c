"""Fixtures of the reports tests: files in a temporary storage, figures and reports registered for one test."""

import subprocess

import pytest

from core.registry import registry


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    """Generated reports, brochures and photos go to a folder of this test's own."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def register_figure():
    """``register_figure(FigureEntry(...))``: in the registry for this test only."""
    added = []

    def add(entry):
        previous = registry.figures.get(entry.slug)
        registry.figures[entry.slug] = entry
        added.append((entry.slug, previous))
        return entry

    yield add
    for slug, previous in reversed(added):
        if previous is None:
            registry.figures.pop(slug, None)
        else:
            registry.figures[slug] = previous


@pytest.fixture
def register_report():
    added = []

    def add(entry):
        registry.reports[entry.slug] = entry
        added.append(entry.slug)
        return entry

    yield add
    for slug in added:
        registry.reports.pop(slug, None)


def pdf_text(content: bytes, tmp_path) -> str:
    path = tmp_path / "out.pdf"
    path.write_bytes(content)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True, text=True).stdout


def pdf_pages(content: bytes, tmp_path) -> int:
    path = tmp_path / "info.pdf"
    path.write_bytes(content)
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, check=True, text=True).stdout
    return int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))
