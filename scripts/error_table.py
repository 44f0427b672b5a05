"""Print the error-code table (docs/cli.md, "## Error codes") from undercurrent/errors.py, or write it there."""
from __future__ import annotations

import sys
from pathlib import Path

from undercurrent.errors import markdown_table

DOC = Path(__file__).resolve().parent.parent / "docs" / "cli.md"
HEADING = "## Error codes\n"


def replace_table(text: str, table: str) -> str:
    """`text` with the table under HEADING (up to the next heading) replaced by `table`."""
    before, rest = text.split(HEADING, 1)
    _old, sep, after = rest.partition("\n## ")
    return before + HEADING + table + ("\n" + sep.lstrip("\n") + after if sep else "")


def main() -> None:
    table = markdown_table()
    if "--write" in sys.argv[1:]:
        DOC.write_text(replace_table(DOC.read_text(encoding="utf-8"), table), encoding="utf-8")
        print(f"wrote the error codes of {DOC}")
    else:
        print(table, end="")


if __name__ == "__main__":
    main()
