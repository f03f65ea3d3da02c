"""Demo data of the reports app: the brochure's text blocks and a few photos drawn with Pillow.

Idempotent: blocks are keyed, and a demo photo is added only when no photo has its caption yet.
Run by ``seed_demo`` after core's and the program apps' seeders (order 900).
"""

from __future__ import annotations

import io
import math

from django.apps import apps
from django.db import DatabaseError, transaction
from PIL import Image, ImageDraw

from core.choices import Role
from core.models import Facility, User

from .models import BrochureBlock, Photo
from .sections import SECTION_DEFAULTS


def _canvas(sky="#9fd3f0", ground="#6b8e23"):
    image = Image.new("RGB", (1200, 800), sky)
    draw = ImageDraw.Draw(image)
    draw.rectangle([0, 520, 1200, 800], fill=ground)
    return image, draw


def draw_garden() -> Image.Image:
    image, draw = _canvas()
    draw.ellipse([960, 60, 1100, 200], fill="#ffd54f")
    for row in range(4):
        y = 560 + row * 60
        draw.rectangle([40, y, 1160, y + 22], fill="#5d4037")
        for x in range(70, 1160, 90):
            draw.line([x, y, x, y - 40], fill="#2e7d32", width=6)
            draw.ellipse([x - 16, y - 62, x + 16, y - 30], fill="#d32f2f" if row % 2 == 0 else "#f57c00")
    return image


def draw_quilt() -> Image.Image:
    image = Image.new("RGB", (1200, 800), "#f5f0e6")
    draw = ImageDraw.Draw(image)
    colors = ["#c62828", "#1565c0", "#f9a825", "#2e7d32", "#6a1b9a", "#ef6c00"]
    size = 100
    for i, x in enumerate(range(100, 1100, size)):
        for j, y in enumerate(range(100, 700, size)):
            color = colors[(i + 2 * j) % len(colors)]
            draw.rectangle([x, y, x + size - 4, y + size - 4], fill=color)
            draw.polygon([(x, y), (x + size - 4, y), (x, y + size - 4)], fill=colors[(i + j + 3) % len(colors)])
    return image


def draw_dog() -> Image.Image:
    image, draw = _canvas(sky="#cfe8fc", ground="#8bc34a")
    fur = "#a1887f"
    draw.ellipse([420, 380, 820, 580], fill=fur)  # body
    draw.ellipse([740, 260, 920, 420], fill=fur)  # head
    draw.ellipse([870, 330, 950, 380], fill="#6d4c41")  # snout
    draw.ellipse([760, 240, 810, 330], fill="#6d4c41")  # ear
    draw.ellipse([830, 300, 850, 320], fill="#212121")  # eye
    for x in (460, 540, 680, 760):
        draw.rectangle([x, 540, x + 36, 660], fill=fur)
    draw.line([430, 440, 340, 360], fill=fur, width=24)  # tail
    draw.rectangle([740, 410, 900, 430], fill="#1565c0")  # collar
    return image


def draw_bicycles() -> Image.Image:
    image, draw = _canvas(sky="#e3f2fd", ground="#b0bec5")
    for offset, color in ((0, "#d32f2f"), (560, "#1976d2")):
        for cx in (200 + offset, 460 + offset):
            draw.ellipse([cx - 110, 450, cx + 110, 670], outline="#212121", width=14)
            for k in range(8):
                angle = k * math.pi / 4
                draw.line([cx, 560, cx + 100 * math.cos(angle), 560 + 100 * math.sin(angle)], fill="#757575", width=3)
        draw.line([200 + offset, 560, 320 + offset, 420, 460 + offset, 560], fill=color, width=16)
        draw.line([320 + offset, 420, 430 + offset, 420, 460 + offset, 560], fill=color, width=16)
        draw.line([310 + offset, 400, 340 + offset, 400], fill="#212121", width=14)
    return image


DEMO_PHOTOS = [
    # caption, alt text, drawing, target (app_label, model), on the brochure
    (
        "Tomatoes and peppers from a correctional center garden, bound for the food bank.",
        "Rows of tomato and pepper plants in a garden under a bright sun.",
        draw_garden,
        ("gardens", "harvest"),
        True,
    ),
    (
        "A patchwork quilt made in a sewing shop for a children's hospital.",
        "A patchwork quilt of red, blue, yellow, green and purple squares.",
        draw_quilt,
        ("donations", "donation"),
        True,
    ),
    (
        "A Puppies for Parole graduate, ready for a family of its own.",
        "A brown dog with a blue collar standing on grass.",
        draw_dog,
        ("puppies", "dog"),
        True,
    ),
    (
        "Bicycles refurbished for children in the community.",
        "Two refurbished bicycles, one red and one blue.",
        draw_bicycles,
        ("donations", "fundraiser"),
        True,
    ),
]


def _target(app_label: str, model_name: str):
    """A record of the program the photo shows, if that app is installed and has one; else a facility."""
    try:
        model = apps.get_model(app_label, model_name)
    except LookupError:
        model = None
    if model is not None:
        try:
            with transaction.atomic():  # a savepoint: an app whose tables are not migrated yet is skipped
                record = model._default_manager.order_by("pk").first()
        except DatabaseError:
            record = None
        if record is not None:
            return record
    return Facility.objects.filter(code="JCCC").first() or Facility.objects.order_by("pk").first()


def _jpeg(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, "JPEG", quality=88)
    return out.getvalue()


@transaction.atomic
def demo_seed_reports() -> None:
    from .services import photo_review, photo_upload

    for default in SECTION_DEFAULTS:
        BrochureBlock.objects.get_or_create(
            key=default.key,
            defaults={"title": default.title, "body": default.body, "page": default.page, "order": default.order},
        )
    admin = User.objects.filter(role=Role.ADMINISTRATOR, is_active=True).order_by("pk").first()
    if admin is None:
        return
    for caption, alt_text, draw, (app_label, model_name), brochure in DEMO_PHOTOS:
        if Photo.objects.filter(caption=caption).exists():
            continue
        target = _target(app_label, model_name)
        if target is None:
            continue
        photo = photo_upload(user=admin, target=target, data=_jpeg(draw()), alt_text=alt_text, caption=caption)
        photo = photo_review(
            photo=photo,
            user=admin,
            approve=True,
            consent_confirmed=True,
            caption=caption,
            alt_text=alt_text,
            note="Demo photo: drawn, nobody in it.",
        )
        if brochure:
            photo.on_brochure = True
            photo.save(update_fields=["on_brochure"])
