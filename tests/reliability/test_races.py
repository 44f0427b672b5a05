"""Issue 15 items 2 and 4: overlapping ingests, and a stored report whose text changed."""
import sqlalchemy as sa

from undercurrent.collect import ingest_items
from undercurrent.errors import ChangedText
from undercurrent.ingest.files import report_from_json_text
from undercurrent.ingest.reader import Item
from undercurrent.store import schema
from undercurrent.store.db import open_store
from undercurrent.store.records import save

TEXTS = [
    "Agents of the Ministry of State Security arrested three smugglers in Hyesan last week, a source said.",
    "Police in Chongjin detained two traders for selling Chinese phones, a source in North Hamgyong said.",
    "Rice cost 5,000 won per kg in the Hoeryong market this month, a source in North Hamgyong said.",
]


def _item(i, text=None):
    raw = (f'{{"url": "https://example.org/{i}", "outlet": "Test Wire", "published": "2021-03-02", '
           f'"text": "{text or TEXTS[i]}"}}').encode()
    return Item(f"r{i}.json", report=report_from_json_text(raw.decode(), name=f"r{i}.json"), original=raw,
                media_type="application/json")


def test_losing_a_race_on_a_report_is_unchanged_not_a_crash(store, extractor):
    """Another process stores report 1 between this ingest's check and its insert (both databases)."""
    other = open_store(url=store.engine.url.render_as_string(hide_password=False), upgrade=False)
    items = [_item(i) for i in range(3)]
    raced = items[1]
    done = []

    @sa.event.listens_for(store.engine, "before_cursor_execute")
    def other_process_first(conn, cursor, statement, parameters, context, executemany):
        if not done and statement.startswith("INSERT INTO reports") and raced.report.id in str(parameters):
            done.append(True)
            save(other, extractor.extract(raced.report), original=raced.original, media_type=raced.media_type)

    summary = ingest_items(items, store, extractor)  # before the fix: IntegrityError, items 1-2 lost
    other.close()
    assert done  # the race happened
    assert (summary.stored, summary.unchanged, summary.failed) == (2, 1, [])
    with store.engine.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(schema.reports)).scalar_one() == 3


def test_reextract_of_a_changed_text_is_refused(store, extractor):
    first = _item(0)
    assert ingest_items([first], store, extractor).stored == 1
    changed = _item(0, TEXTS[0].replace("three", "thirty"))  # same outlet and URL: the same report id
    assert changed.report.id == first.report.id
    summary = ingest_items([changed, _item(1)], store, extractor, reextract=True)
    assert summary.stored == 1 and len(summary.failed) == 1
    assert summary.failed[0][1].startswith(ChangedText.code + ": r0.json")
    with store.engine.connect() as conn:
        row = conn.execute(sa.select(schema.reports).where(schema.reports.c.id == first.report.id)).mappings().one()
        quotes = conn.execute(sa.select(schema.events.c.quote, schema.events.c.start, schema.events.c.end)
                              .where(schema.events.c.report_id == first.report.id)).all()
    assert row["text"] == TEXTS[0] and row["original"] == first.original
    assert quotes and all(row["text"][s:e] == q for q, s, e in quotes)  # records match the stored text


def test_a_value_one_database_refuses_fails_that_item_only(store, extractor):
    """PostgreSQL refuses NUL characters in text; SQLite stores them. Either way the run goes on."""
    odd = _item(0, TEXTS[0].replace("three", "three\\u0000"))
    summary = ingest_items([odd, _item(1)], store, extractor)
    assert summary.stored + len(summary.failed) == 2 and summary.stored >= 1
    assert all(message.startswith("E016: r0.json") for _, message in summary.failed)
    if store.dialect == "postgresql":
        assert len(summary.failed) == 1
