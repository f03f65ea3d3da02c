"""Photo uploads: check that a file is a real image within the limits, and re-encode it without metadata.

Re-encoding from the decoded pixels is what strips EXIF (GPS position, camera, serial numbers,
dates), XMP and ICC data: the new JPEG is written without any of it. The orientation EXIF asks for
is applied to the pixels first, so the photo still stands the right way up.
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from PIL import Image, ImageOps, UnidentifiedImageError

from . import conf

ACCEPTED_FORMATS = {"JPEG", "MPO", "PNG", "WEBP", "GIF"}


@dataclass(frozen=True)
class CleanImage:
    image: bytes  # JPEG, at most PHOTO_LONG_EDGE on its long edge
    thumbnail: bytes  # JPEG, at most THUMB_LONG_EDGE
    width: int
    height: int


def _jpeg(image: Image.Image, quality: int) -> bytes:
    out = io.BytesIO()
    # No exif=, icc_profile= or xmp= arguments: the file carries pixels only.
    image.save(out, "JPEG", quality=quality, optimize=True, progressive=True)
    return out.getvalue()


def clean_image(data: bytes) -> CleanImage:
    """Validate and re-encode an uploaded image. Raises ``ValidationError`` with a message for the uploader."""
    limit = conf.photo_max_bytes()
    if len(data) > limit:
        raise ValidationError(f"The photo is larger than {limit // (1024 * 1024)} MB. Send a smaller copy.")
    if not data:
        raise ValidationError("The file is empty.")
    max_pixels = conf.photo_max_pixels()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as probe:
                fmt = probe.format
                if probe.width * probe.height > max_pixels:
                    raise ValidationError("The photo has too many pixels. Send a smaller copy.")
                probe.verify()  # checks the file's structure without decoding it
            with Image.open(io.BytesIO(data)) as source:
                source.load()  # decodes every pixel: a truncated or corrupt file fails here
                image = ImageOps.exif_transpose(source)
    except ValidationError:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError, Warning):
        raise ValidationError("This file is not a photo we can read. Send a JPEG or PNG.") from None
    if fmt not in ACCEPTED_FORMATS:
        raise ValidationError("Send the photo as JPEG, PNG, WebP or GIF.")
    if image.mode in ("RGBA", "LA", "P"):
        rgba = image.convert("RGBA")
        flat = Image.new("RGB", rgba.size, "white")
        flat.paste(rgba, mask=rgba.getchannel("A"))
        image = flat
    else:
        image = image.convert("RGB")
    # Drop whatever the decoder left in ``info`` (exif, icc_profile, xmp, comments): new image, pixels only.
    image = Image.frombytes("RGB", image.size, image.tobytes())
    image.thumbnail((conf.PHOTO_LONG_EDGE, conf.PHOTO_LONG_EDGE), Image.Resampling.LANCZOS)
    thumb = image.copy()
    thumb.thumbnail((conf.THUMB_LONG_EDGE, conf.THUMB_LONG_EDGE), Image.Resampling.LANCZOS)
    return CleanImage(image=_jpeg(image, 85), thumbnail=_jpeg(thumb, 80), width=image.width, height=image.height)
