"""Exercise pictures: check that an upload really is a PNG, JPEG or WebP image, then re-encode it.

Re-encoding from the decoded pixels drops everything else the file carried (EXIF with GPS
positions and camera serials, comments, colour profiles, trailing bytes), so what the clinic
serves back is only the picture. Plain functions on bytes: no Flask, no database.
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass

from PIL import Image, ImageOps, UnidentifiedImageError

MAX_BYTES = 2 * 1024 * 1024
# Longest side after re-encoding: plenty for a screen and an A4 exercise card.
MAX_SIDE = 1600
# The pixel budget, read from the file's header before anything is decoded: a phone photo
# (4000 × 3000) fits, with room to spare. Decoding costs CPU by the pixel, not by the byte:
# a 6300 × 6300 PNG of 170 KB took about 4 s to re-encode.
MAX_PIXELS = 4000 * 4000
FORMATS = {"PNG": "image/png", "JPEG": "image/jpeg", "WEBP": "image/webp"}


class PictureProblem(ValueError):
    """The upload is not a picture Rehab accepts; ``code`` says why: too_large (bytes),
    too_many_pixels, not_image."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


@dataclass(frozen=True)
class Picture:
    data: bytes
    mime: str


def read_picture(upload: bytes) -> Picture:
    """The re-encoded picture, or PictureProblem when it is too large or not PNG/JPEG/WebP."""
    if len(upload) > MAX_BYTES:
        raise PictureProblem("too_large")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(upload)) as probe:  # reads the header only
                image_format = probe.format
                if image_format not in FORMATS:
                    raise PictureProblem("not_image")
                if probe.width * probe.height > MAX_PIXELS:
                    raise PictureProblem("too_many_pixels")
                probe.verify()  # structural check; the image must be reopened afterwards
            with Image.open(io.BytesIO(upload)) as image:
                image.seek(0)  # an animation keeps its first frame only
                if image_format == "JPEG":  # decode at the size it is kept at, not larger
                    image.draft("RGB" if image.mode != "L" else "L", (MAX_SIDE, MAX_SIDE))
                image.load()
                clean = _clean_copy(image, image_format)
    except PictureProblem:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError,
            Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:  # fmt: skip
        raise PictureProblem("not_image") from exc
    out = io.BytesIO()
    if image_format == "JPEG":
        clean.save(out, "JPEG", quality=85, optimize=True)
    elif image_format == "PNG":
        clean.save(out, "PNG", optimize=True)
    else:
        clean.save(out, "WEBP", quality=85)
    return Picture(data=out.getvalue(), mime=FORMATS[image_format])


def _clean_copy(image: Image.Image, image_format: str) -> Image.Image:
    """Upright pixels in a mode the format can store, without the source's metadata."""
    upright = ImageOps.exif_transpose(image) or image
    if image_format == "JPEG":
        mode = "L" if upright.mode in ("L", "1") else "RGB"
    else:
        mode = "RGBA" if upright.mode in ("RGBA", "LA", "P", "PA") else "RGB"
        if upright.mode == "L":
            mode = "L"
    pixels = upright.convert(mode)
    pixels.thumbnail((MAX_SIDE, MAX_SIDE))
    clean = Image.new(mode, pixels.size)
    clean.paste(pixels)
    return clean
