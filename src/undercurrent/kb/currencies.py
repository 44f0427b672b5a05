"""Currency names and symbols -> ISO 4217 codes."""
from __future__ import annotations

from undercurrent.datafiles import kb_rows
from undercurrent.kb.text import fold_key


class Currencies:
    def __init__(self) -> None:
        self.by_key: dict[tuple[str, ...], str] = {}
        self.symbols: dict[str, str] = {}
        for row in kb_rows("currencies.csv"):
            for alias in [row["code"], row["name"], *row["aliases"].split("|")]:
                self._add(alias.strip(), row["code"])
        for row in kb_rows("currency_aliases_extra.csv"):
            self._add(row["alias"], row["code"])

    def _add(self, alias: str, code: str) -> None:
        key = fold_key(alias)
        if key:
            self.by_key.setdefault(key, code)
        elif alias:
            self.symbols[alias] = code

    def code(self, name: str) -> str | None:
        key = fold_key(name)
        return self.by_key.get(key) if key else self.symbols.get(name.strip())

    def codes(self) -> list[str]:
        return sorted(set(self.by_key.values()) | set(self.symbols.values()))

    def names(self) -> list[str]:
        """Every alias as folded words, longest first (for building patterns)."""
        return sorted((" ".join(k) for k in self.by_key), key=len, reverse=True)
