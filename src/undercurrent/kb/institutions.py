"""North Korean institutions: aliases, abbreviations, romanised Korean and dated renames."""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from importlib import resources

from undercurrent.datafiles import kb_rows
from undercurrent.kb.matcher import NameMatcher


@dataclass(frozen=True)
class Rename:
    from_name: str
    to_name: str
    date: str  # "YYYY", "YYYY-MM" or "YYYY-MM-DD"


@dataclass(frozen=True)
class Institution:
    id: str
    canonical_name: str
    name_ko: str
    type: str
    parent: str | None
    renames: tuple[Rename, ...] = field(default_factory=tuple)

    @property
    def sector(self) -> str:
        return SECTOR_BY_TYPE.get(self.type, "GOV")

    def name_at(self, date: str | None) -> str:
        """The name in force at `date` (ISO prefix); the canonical name when unknown."""
        if not date or not self.renames:
            return self.canonical_name
        name = None
        for rename in sorted(self.renames, key=lambda r: r.date):
            if rename.date[: len(date)] <= date:
                name = rename.to_name
            elif name is None:
                name = rename.from_name
        return name or self.canonical_name


# PLOVER sector codes by institution type.
SECTOR_BY_TYPE = {
    "security": "COP",
    "military security": "SPY",
    "task force": "COP",
    "party": "PTY",
    "party department": "PTY",
    "government": "GOV",
    "local government": "GOV",
    "military": "MIL",
    "judicial": "JUD",
    "mass organization": "CVL",
    "local unit": "GOV",
    "detention facility": "JUD",
    "law": "JUD",
}
# The State Security ministry is an intelligence service, not a police force.
SECTOR_OVERRIDES = {"ministry_of_state_security": "SPY", "reconnaissance_general_bureau": "SPY"}


def _other_number(word: str) -> str:
    """The plural of a singular English noun, or the singular of a regular plural."""
    if word.endswith("ies"):
        return word[:-3] + "y"
    if word.endswith(("ses", "xes", "ches", "shes")):
        return word[:-2]
    if word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    if word.endswith("y") and word[-2] not in "aeiou":
        return word[:-1] + "ies"
    if word.endswith(("s", "x", "ch", "sh")):
        return word + "es"
    return word + "s"


class Institutions:
    def __init__(self) -> None:
        raw = json.loads(
            resources.files("undercurrent.kb").joinpath("data", "institutions.json").read_text(encoding="utf-8")
        )
        self.by_id: dict[str, Institution] = {}
        self.matcher: NameMatcher[str] = NameMatcher()
        # (Hangul name, id) in data order, for the Korean pipeline's own matcher (extract/ko/names.py);
        # the renames' Korean names count whether or not the rename is dated.
        self.korean_names: list[tuple[str, str]] = []
        for row in raw["institutions"]:
            renames = tuple(
                Rename(r["from"], r["to"], r["date"]) for r in row.get("renames", []) if r.get("date")
            )
            inst = Institution(row["id"], row["canonical_name"], row.get("name_ko", ""), row["type"],
                               row.get("parent") or None, renames)
            self.by_id[inst.id] = inst
            names = [row["canonical_name"], *row.get("aliases", []), *row.get("romanized_korean", [])]
            names += [r.from_name for r in renames] + [r.to_name for r in renames if "/" not in r.to_name]
            names += [n.strip() for n in row.get("name_ko", "").split("/") if n.strip()]
            for name in names:
                abbreviation = name.isupper() and len(name) <= 6
                self.matcher.add(name, inst.id, case_sensitive=abbreviation)
            for abbreviation in row.get("abbreviations", []):
                self.matcher.add(abbreviation, inst.id, case_sensitive=True)
            korean = [n.strip() for n in row.get("name_ko", "").split("/")]
            for rename in row.get("renames", []):
                korean += [rename.get("from_ko", ""), rename.get("to_ko", "")]
            self.korean_names += [(name, inst.id) for name in korean if name]
        # Plurals folded for the names of institutions.json (before the extra aliases, whose generic nouns
        # such as "security officers" or "soldiers" would name anyone in the singular).
        self._add_number_variants()
        for row in kb_rows("institution_aliases_extra.csv"):
            self.matcher.add(row["name"], row["id"], case_sensitive=row["case_sensitive"] == "1")
        self.korean_names += [(row["name"], row["id"]) for row in kb_rows("institution_aliases_ko.csv")]

    def _add_number_variants(self) -> None:
        """Plurals folded: "labor camp" also finds "labor camps", "border guard units" "border guard unit".

        Only lower-cased English names that no other name already claims; abbreviations keep their form."""
        for key, values in list(self.matcher.entries.items()):
            if key in self.matcher.exact_forms or not key[-1].isascii() or not key[-1].isalpha() or len(key[-1]) < 4:
                continue
            variant = key[:-1] + (_other_number(key[-1]),)
            if variant not in self.matcher.entries:
                for value in values:
                    self.matcher.add(" ".join(variant), value)

    def get(self, inst_id: str | None) -> Institution | None:
        return self.by_id.get(inst_id) if inst_id else None

    def sector(self, inst_id: str | None) -> str | None:
        inst = self.get(inst_id)
        if inst is None:
            return None
        return SECTOR_OVERRIDES.get(inst.id, inst.sector)
