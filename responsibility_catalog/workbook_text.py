"""Every workbook this project hands out is saved here, so no text becomes a live formula.

openpyxl stores any string that starts with ``=`` as a formula (and one equal to ``#N/A`` …
as an error value). A matter name, legal basis or unit name typed into the catalog editor or
imported from a sheet such as ``=HYPERLINK("http://evil.example","点击")`` would then run in
the leader's or the department's Excel ("formula injection", OWASP "CSV Injection").

The rule (OWASP's list of leading characters that spreadsheets treat as the start of a
formula: ``= + - @``, tab and carriage return, plus the full-width ``＝ ＋ － ＠`` that Excel
accepts as the same operators when typed with a Chinese input method):

* every cell holding a string is stored as a string (``t="inlineStr"``, no ``<f>``), so
  nothing is evaluated when the file is opened;
* a string starting with one of those characters also gets Excel's *quote prefix* (the
  invisible ``'`` of a cell typed as ``'=…``), so it stays text when someone edits the cell
  and presses Enter, or copies it into another sheet.

OWASP's CSV advice is to prepend a visible ``'``; in .xlsx the cell type and the quote-prefix
style say the same thing without changing the text, so the export still reads back (and
re-imports) exactly as it was written. Numbers, dates and empty cells are untouched. No
exported workbook contains formulas of its own; one that ever needs one must not be saved here.
"""

from __future__ import annotations

from pathlib import Path
from typing import IO

from openpyxl import Workbook

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")


def save_without_formulas(book: Workbook, target: str | Path | IO[bytes]) -> None:
    """Save ``book`` with every string stored as text (see the module's rule)."""
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                value = cell.value
                if not isinstance(value, str):
                    continue
                cell.data_type = "s"
                if value.startswith(FORMULA_TRIGGERS):
                    cell.quotePrefix = True
    book.save(target)
