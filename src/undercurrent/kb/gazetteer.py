"""Provinces and places of North Korea, and the name index that finds them in text."""
from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import resources
from typing import overload

from undercurrent.datafiles import kb_rows
from undercurrent.kb.matcher import NameMatcher
from undercurrent.kb.text import fold_key

# The four first-level cities: their city id and their province code are one place.
CITY_PROVINCES = {
    "kp-01-pyongyang": "KP-01",
    "kp-13-rason": "KP-13",
    "kp-14-nampo": "KP-14",
    "kp-15-kaesong": "KP-15",
}


@dataclass(frozen=True)
class Place:
    id: str
    name: str
    name_ko: str
    admin1: str
    admin_level: int  # 0 province, 1 first-level city, 2 city/county/district, 3 town/neighbourhood
    unit_type: str
    lat: float | None
    lon: float | None

    @property
    def precision(self) -> int:
        """RECORDS.md precision: 5 sub-city, 4 city/county, 3 district, 2 province."""
        if self.admin_level == 0:
            return 2
        if self.admin_level == 1:
            return 4
        if self.admin_level == 3:
            return 5
        return 3 if self.unit_type == "district" else 4

    @property
    def is_province(self) -> bool:
        return self.admin_level == 0


@dataclass(frozen=True)
class KoreanName:
    """A Hangul name of a place as the data lists it. Korean matching derives its own short forms
    ("혜산시" -> "혜산") from a place's own names only (`source` "place"), never from a province or an
    extra variant."""

    name: str
    place_id: str
    source: str  # "province", "place" or "variant" (place_variants_ko.csv)


_HANGUL = re.compile(r"[가-힣]")


def _split(value: str) -> list[str]:
    return [v.strip() for v in value.split("|") if v.strip()]


def _float(value: str) -> float | None:
    try:
        return float(value)
    except ValueError:
        return None


class Gazetteer:
    """Loaded once (see `undercurrent.kb.load_kb`); lookups are dictionary reads."""

    def __init__(self) -> None:
        self.places: dict[str, Place] = {}
        self.matcher: NameMatcher[str] = NameMatcher()
        # The Hangul names, in data order, for the Korean pipeline's own matcher (extract/ko/names.py).
        self.korean_names: list[KoreanName] = []
        self._load_provinces()
        self._load_places()
        self._load_index()
        self._load_extra_variants()
        self._load_korean_variants()

    def _load_provinces(self) -> None:
        for row in kb_rows("provinces.csv"):
            pid = row["id"]
            self.places[pid] = Place(
                pid, row["name_en"], row["name_ko"], pid, 0, "province",
                _float(row["centroid_lat"]), _float(row["centroid_lon"]),
            )
            for name in [row["name_ko"], *row["name_ko_alt"].split("|")]:
                if name:
                    self.korean_names.append(KoreanName(name, pid, "province"))
            names = [row["name_en"], row["name_ko"], row["name_iso"], row["name_mr"], row["name_rr"]]
            names += _split(row["variants"]) + _split(row["name_ko_alt"])
            for name in names:
                for form in (name, f"{name} Province", f"{name}-do"):
                    self.matcher.add(form, pid, capitalised=True)

    def _load_places(self) -> None:
        for row in kb_rows("places.csv"):
            self.places[row["id"]] = Place(
                row["id"], row["name"], row["name_ko"], row["parent_id"], int(row["admin_level"]),
                row["unit_type"], _float(row["lat"]), _float(row["lon"]),
            )
            hangul_variants = [v for v in row["variants"].split("|") if _HANGUL.search(v)]
            for name in filter(None, [row["name_ko"], row["name_ko_south"], *hangul_variants]):
                self.korean_names.append(KoreanName(name, row["id"], "place"))

    def _load_index(self) -> None:
        stop = {fold_key(line) for line in _stoplist()}
        for row in kb_rows("place_name_index.csv"):
            kinds = set(row["kinds"].split("|"))
            if kinds == {"geonames_altname"}:
                continue  # raw GeoNames alternates (Japanese-era and foreign exonyms) are too noisy
            key = fold_key(row["key"])
            if key in stop:
                continue
            ids = _split(row["place_ids"])
            if row["ambiguous"] == "1":
                # A place's own name or curated variant beats another's GeoNames alternate.
                ranked = [pid for pid, kind in zip(ids, row["kinds"].split("|"), strict=True) if kind != "geonames_altname"]
                ids = ranked or ids
            for pid in ids:
                self.matcher.add(row["key"], pid, capitalised=True)

    def _load_extra_variants(self) -> None:
        for row in kb_rows("place_variants_extra.csv"):
            self.matcher.add(row["name"], row["id"], capitalised=True)

    def _load_korean_variants(self) -> None:
        for row in kb_rows("place_variants_ko.csv"):
            self.korean_names.append(KoreanName(row["name"], row["id"], "variant"))

    def get(self, place_id: str | None) -> Place | None:
        return self.places.get(place_id) if place_id else None

    def admin1(self, place_id: str | None) -> str | None:
        place = self.get(place_id)
        return place.admin1 if place else None


def same_place(a: str | None, b: str | None) -> bool:
    """Scoring equality: a first-level city id equals its province code."""
    if a is None or b is None:
        return a == b
    return CITY_PROVINCES.get(a, a) == CITY_PROVINCES.get(b, b)


@overload
def canonical_place(place_id: str) -> str: ...
@overload
def canonical_place(place_id: None) -> None: ...
def canonical_place(place_id: str | None) -> str | None:
    return CITY_PROVINCES.get(place_id, place_id) if place_id else place_id


def _stoplist() -> list[str]:
    text = resources.files("undercurrent.kb").joinpath("data", "place_stoplist.txt").read_text(encoding="utf-8")
    return [line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")]
