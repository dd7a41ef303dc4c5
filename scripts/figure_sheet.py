"""Print the contact sheet of every exercise figure to a PDF, to look at each one.

.venv/bin/python scripts/figure_sheet.py figures.pdf
pdftoppm -png -r 60 figures.pdf figures     # one PNG per page
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from weasyprint import HTML

from rehab.figures.sheet import sheet_html

if __name__ == "__main__":
    target = Path(sys.argv[1] if len(sys.argv) > 1 else "figures.pdf")
    HTML(string=sheet_html()).write_pdf(target)
    print(f"contact sheet written to {target}")
