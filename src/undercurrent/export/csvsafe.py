"""Every CSV the project writes goes through here: cells that a spreadsheet would run as a formula are
neutralised as OWASP recommends (CSV injection): a leading = + - @ tab or carriage return gets a single
quote in front, so Excel or LibreOffice shows the text instead of evaluating it."""
from __future__ import annotations

import csv
from collections.abc import Iterable, Mapping
from typing import IO, Any

# OWASP "CSV Injection": = + - @ TAB CR. Full-width = + - @ are included because spreadsheets in
# East Asian locales (our readers work in Korean too) fold them to the ASCII forms.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def safe_cell(value: Any) -> Any:
    """The value, with a quote in front when it is text that a spreadsheet would take for a formula.
    Numbers stay numbers (a negative longitude is data, not a formula)."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


class SafeDictWriter(csv.DictWriter):
    """csv.DictWriter whose every row (and header) is neutralised with safe_cell."""

    def writeheader(self):
        return self.writer.writerow([safe_cell(name) for name in self.fieldnames])

    def writerow(self, rowdict):
        return super().writerow({k: safe_cell(v) for k, v in rowdict.items()})

    def writerows(self, rowdicts: Iterable[Mapping]):
        for row in rowdicts:
            self.writerow(row)


def dict_writer(handle: IO[str], fieldnames: list[str]) -> SafeDictWriter:
    return SafeDictWriter(handle, fieldnames=fieldnames)
