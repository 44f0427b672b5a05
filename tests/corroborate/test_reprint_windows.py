"""Reprints are looked for among reports of nearby dates (corroborate/reprints.py windows): copies printed
within a window of each other always meet, copies printed years apart never, in a save as in a rebuild;
the keys of one window are neighbours in the band index."""
from __future__ import annotations

from datetime import date, timedelta

import sqlalchemy as sa

from corroboration_support import TEXT, event_rows, save_rows
from undercurrent.corroborate import reprints
from undercurrent.store import clusters, schema

DAY = date(2020, 5, 1)


def test_a_window_is_a_block_of_days_from_the_publication_date_else_the_day_stored():
    first = reprints.window("2020-05-01")
    assert reprints.window("2020-05-01", "2026-12-07T10:00:00+00:00") == first
    assert reprints.window(None, "2020-05-01T10:00:00+00:00") == first  # undated: the day it was stored
    assert reprints.window("2020") == reprints.window("2020-01") == reprints.window("2020-01-01")
    assert reprints.window("1970-01-01") == 0 == reprints.window("1901-07-01") == reprints.window(None, None)
    days = (date(2020, 5, 1) - date(1970, 1, 1)).days
    assert first == days // reprints.WINDOW_DAYS
    later = (date(1970, 1, 1) + timedelta(days=(first + 1) * reprints.WINDOW_DAYS)).isoformat()
    assert reprints.window(later) == first + 1


def test_a_windows_keys_are_neighbours_and_keep_the_bands_hash():
    sig = reprints.signature(TEXT)
    at = reprints.window("2020-05-01")
    keys = reprints.keys(sig, at)
    assert all(at << reprints.HASH_BITS <= k < (at + 1) << reprints.HASH_BITS for k in keys)  # one range
    assert [k & reprints.HASH_MASK for k in keys] == [k & reprints.HASH_MASK for k in reprints.bands(sig)]
    looked_up = reprints.keys_looked_up(sig, at)
    assert set(looked_up) == set(reprints.keys(sig, at - 1)) | set(keys) | set(reprints.keys(sig, at + 1))
    assert set(reprints.keys_looked_up(sig, 0)) == set(reprints.keys(sig, 0)) | set(reprints.keys(sig, 1))
    assert all(0 <= k < 2 ** 63 for k in reprints.keys(sig, reprints.LAST_WINDOW))  # a signed 64-bit integer


def test_candidates_are_reports_of_a_band_in_the_same_or_the_next_window():
    h, other = 12345, 777
    rows = [((5 << 48) | h, "a"), ((6 << 48) | h, "b"), ((8 << 48) | h, "c"), ((8 << 48) | h, "d"),
            ((5 << 48) | other, "a"), ((9 << 48) | other, "e")]
    assert sorted(reprints.candidate_lists(rows)) == [["a", "b"], ["c", "d"]]
    sig = reprints.signature(TEXT)
    windows = {"a": 5, "b": 6, "c": 8}
    assert reprints.reprint_groups({r: sig for r in windows}, windows) == [{"a", "b"}]
    assert reprints.reprint_groups({r: sig for r in windows}) == [{"a", "b", "c"}]  # no windows: one


def _marks(store) -> dict[str, str | None]:
    t = schema.report_signatures
    with store.engine.connect() as conn:
        return dict(conn.execute(sa.select(t.c.report_id, t.c.reprint_of)).all())


def test_copies_printed_years_apart_are_not_reprints_in_a_save_or_a_rebuild(store):
    window_days = timedelta(days=reprints.WINDOW_DAYS)
    published = {0: DAY, 1: DAY + timedelta(days=20), 2: DAY + window_days * 4, 3: DAY + window_days * 4,
                 4: DAY + timedelta(days=800)}
    for n, day in published.items():
        save_rows(store, *event_rows(n, day=day, published=day.isoformat(), text=TEXT))
    saved = _marks(store)
    assert saved == {"r00000": None, "r00001": "r00000", "r00002": None, "r00003": "r00002", "r00004": None}
    clusters.rebuild(store)
    assert _marks(store) == saved


def test_a_saves_band_keys_sit_beside_those_of_its_window(store):
    """Reports of one day write keys in one range of the band index, whichever report and text."""
    for n in range(6):
        save_rows(store, *event_rows(n, day=DAY, published=DAY.isoformat(), text=f"{TEXT} {n} " * (n + 1)))
    at = reprints.window(DAY.isoformat())
    with store.engine.connect() as conn:
        keys = conn.execute(sa.select(schema.report_bands.c.key)).scalars().all()
    assert len(keys) == 6 * reprints.BANDS
    assert all(at << reprints.HASH_BITS <= k < (at + 1) << reprints.HASH_BITS for k in keys)


def test_copies_within_91_days_always_meet_and_182_days_apart_never():
    for start in range(0, 400, 7):  # every alignment of two dates with the blocks
        first = date(2019, 1, 1) + timedelta(days=start)
        at = reprints.window(first.isoformat())
        for apart, meet in ((1, True), (reprints.WINDOW_DAYS, True), (2 * reprints.WINDOW_DAYS, False), (900, False)):
            later = reprints.window((first + timedelta(days=apart)).isoformat())
            assert (abs(later - at) <= 1) is meet, (first, apart)
