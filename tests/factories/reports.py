"""Factories and image builders for the reports app's tests."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import factory
from factory.django import DjangoModelFactory
from PIL import Image

from reports.models import BrochureBlock, FigureBaseline

GPS_IFD = 0x8825


class FigureBaselineFactory(DjangoModelFactory):
    class Meta:
        model = FigureBaseline

    figure = factory.Sequence(lambda n: f"test-figure-{n}")
    value = Decimal("1000.0")
    as_of = dt.date(2024, 12, 31)
    source = "Paper rosters"


class BrochureBlockFactory(DjangoModelFactory):
    class Meta:
        model = BrochureBlock
        django_get_or_create = ("key",)

    key = factory.Sequence(lambda n: f"block-{n}")
    title = "A block"
    body = "What the program does."
    page = 1
    order = 100


def jpeg_with_gps(size=(640, 480), color="green", orientation: int | None = None) -> bytes:
    """A JPEG carrying camera EXIF and a GPS position (Jefferson City), as a phone would write it."""
    image = Image.new("RGB", size, color)
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x0110] = "PhoneModel X12"  # Model
    exif[0x0131] = "CameraApp 7.1"  # Software
    exif[0x0132] = "2026:06:01 10:00:00"  # DateTime
    if orientation:
        exif[0x0112] = orientation
    exif[GPS_IFD] = {
        1: "N",
        2: (38.0, 34.0, 36.0),
        3: "W",
        4: (92.0, 10.0, 25.0),
    }
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif, quality=90)
    return out.getvalue()


def png_bytes(size=(200, 100), mode="RGBA") -> bytes:
    out = io.BytesIO()
    Image.new(mode, size, (200, 30, 30, 128) if mode == "RGBA" else "red").save(out, "PNG")
    return out.getvalue()
