"""Picture uploads: only real PNG/JPEG/WebP pictures, re-encoded without their metadata."""

from __future__ import annotations

import io

import pytest
from PIL import Image, PngImagePlugin

from rehab.exercises.pictures import MAX_BYTES, MAX_SIDE, PictureProblem, read_picture
from tests.exercises.factories import png_bytes


@pytest.mark.parametrize(("fmt", "mime"), [("PNG", "image/png"), ("JPEG", "image/jpeg"),
                                           ("WEBP", "image/webp")])  # fmt: skip
def test_each_accepted_format_comes_back_in_the_same_format(fmt, mime):
    picture = read_picture(png_bytes(fmt=fmt))
    assert picture.mime == mime
    assert Image.open(io.BytesIO(picture.data)).format == fmt


def test_metadata_is_dropped():
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", "patient Sanne de Vries, GPS 52.37 4.89")
    out = io.BytesIO()
    Image.new("RGBA", (20, 20)).save(out, "PNG", pnginfo=info)
    cleaned = read_picture(out.getvalue())
    assert b"Sanne" not in cleaned.data
    assert "Comment" not in Image.open(io.BytesIO(cleaned.data)).info


def test_a_large_picture_is_scaled_down():
    picture = read_picture(png_bytes(size=(4000, 1000), fmt="JPEG"))
    assert Image.open(io.BytesIO(picture.data)).size == (MAX_SIDE, 400)


@pytest.mark.parametrize(
    "upload",
    [
        b"",
        b"hello",
        b"<svg xmlns='http://www.w3.org/2000/svg'/>",
        png_bytes()[:60],  # truncated
        png_bytes(fmt="GIF"),
        png_bytes(fmt="BMP"),
    ],
)
def test_anything_else_is_refused(upload):
    with pytest.raises(PictureProblem) as problem:
        read_picture(upload)
    assert problem.value.code == "not_image"


def test_more_than_2_mb_is_refused_before_decoding():
    with pytest.raises(PictureProblem) as problem:
        read_picture(b"\x89PNG" + b"\0" * MAX_BYTES)
    assert problem.value.code == "too_large"


def test_a_decompression_bomb_is_refused():
    # 10,000 × 10,000 pixels of one colour compress to a few kilobytes.
    out = io.BytesIO()
    Image.new("1", (10_000, 10_000)).save(out, "PNG")
    assert len(out.getvalue()) < MAX_BYTES
    with pytest.raises(PictureProblem):
        read_picture(out.getvalue())


def test_a_picture_beyond_the_pixel_budget_is_refused_before_decoding():
    """6300 × 6300 pixels in a small file took ~4 s of CPU to re-encode; the header says
    how many pixels there are, so the refusal comes before any decoding."""
    import time

    out = io.BytesIO()
    Image.new("RGB", (6300, 6300), "white").save(out, "PNG")
    assert len(out.getvalue()) < MAX_BYTES
    started = time.process_time()
    with pytest.raises(PictureProblem) as problem:
        read_picture(out.getvalue())
    assert problem.value.code == "too_many_pixels"
    assert time.process_time() - started < 0.5


def test_a_phone_photo_fits_the_budget_and_is_scaled_down():
    out = io.BytesIO()
    Image.new("RGB", (4000, 3000), "skyblue").save(out, "JPEG", quality=80)
    picture = read_picture(out.getvalue())
    assert picture.mime == "image/jpeg"
    assert Image.open(io.BytesIO(picture.data)).size == (1600, 1200)
