"""Draw the app icons (the favicon's rising line on the brand colour) as PNG with Pillow.

The home-screen icons of the installable app: 192 and 512 pixels, a "maskable" 512 whose
line keeps inside the safe circle Android crops to, and Apple's 180-pixel touch icon. Run
`python scripts/make_icons.py` after changing the drawing; the PNGs are kept in the repo.
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw

BRAND = (11, 110, 105)  # --rehab-brand in rehab.css
WHITE = (255, 255, 255)
# The favicon's line (rehab/static/img/favicon.svg) on a 32-unit square.
LINE = [(7, 22), (13, 14), (18, 18), (25, 9)]
FOLDER = Path(__file__).resolve().parent.parent / "rehab" / "static" / "img"
SUPERSAMPLE = 4  # draw large and scale down: smooth edges without anti-aliasing support


def icon(size: int, *, maskable: bool = False, rounded: bool = True) -> Image.Image:
    big = size * SUPERSAMPLE
    image = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    if maskable or not rounded:
        draw.rectangle((0, 0, big, big), fill=BRAND)
    else:
        draw.rounded_rectangle((0, 0, big - 1, big - 1), radius=big * 6 // 32, fill=BRAND)
    # A maskable icon's content stays in the middle 80 % (the safe zone).
    scale = big / 32 * (0.7 if maskable else 1.0)
    offset = (big - 32 * scale) / 2
    points = [(offset + x * scale, offset + y * scale) for x, y in LINE]
    width = round(3 * scale)
    draw.line(points, fill=WHITE, width=width, joint="curve")
    for x, y in (points[0], points[-1]):
        r = width / 2
        draw.ellipse((x - r, y - r, x + r, y + r), fill=WHITE)
    return image.resize((size, size), Image.LANCZOS)


def main() -> None:
    FOLDER.mkdir(parents=True, exist_ok=True)
    icon(192).save(FOLDER / "icon-192.png", optimize=True)
    icon(512).save(FOLDER / "icon-512.png", optimize=True)
    icon(512, maskable=True).save(FOLDER / "icon-maskable-512.png", optimize=True)
    icon(180, rounded=False).save(FOLDER / "apple-touch-icon.png", optimize=True)


if __name__ == "__main__":
    main()
