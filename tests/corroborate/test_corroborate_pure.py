"""The pure parts: reprint detection, compatibility of two records, clustering and summaries."""
from __future__ import annotations

import random

from undercurrent.corroborate import reprints
from undercurrent.corroborate.clusters import assign, cluster
from undercurrent.corroborate.compat import EventView, actors_relation, linked, place_relation, veto
from undercurrent.corroborate.summary import summarise

STORY = ("Security officials in the border town arrested eleven women who had tried to cross the river "
         "at night, a source inside the province said on Tuesday. The women were taken to the holding "
         "centre and questioned for three days before relatives were told where they were. Guards "
         "posted along the river bank have been doubled since the start of the month, the source added, "
         "and smugglers now ask twice the usual fee to arrange a crossing.")


def ev(id, report, **kw) -> EventView:
    base = dict(type="COERCE", mode="arrest", status="occurred", place_id="kp-10-hyesan", admin1="KP-10",
                precision=4, date_start="2024-03-05", granularity="day", published="2024-03-10",
                outlet=f"outlet-{report}", quote="officials arrested eleven women crossing the river")
    base.update(kw)
    return EventView(id=id, report_id=report, **base)


def test_reprint_found_and_rewrite_not():
    copy = "WIRE SERVICE - " + STORY + " Reproduced with permission."
    rewrite = ("Eleven women were detained by border guards near the river this week after trying to "
               "cross at night; their families learned of the arrests days later, according to a resident.")
    a, b, c = (reprints.signature(t) for t in (STORY, copy, rewrite))
    assert reprints.is_reprint_pair(a, b)
    assert not reprints.is_reprint_pair(a, c)
    assert set(reprints.bands(a)) & set(reprints.bands(b))
    groups = reprints.reprint_groups({"a": a, "b": b, "c": c})
    assert groups == [{"a", "b"}]
    assert reprints.earliest({"a", "b"}, {"a": ("2024-03-10", ""), "b": ("2024-03-09", "")}) == "b"
    assert (reprints.from_bytes(reprints.to_bytes(a)) == a).all()


def test_vetoes():
    a = ev("1", "r1")
    assert veto(a, ev("2", "r1")) == "same report"
    assert veto(a, ev("2", "r2", type="ASSAULT", mode=None)) == "type"
    assert veto(a, ev("2", "r2", status="ordered")) == "status"
    assert veto(a, ev("2", "r2", mode="deport")) == "mode"
    assert veto(a, ev("2", "r2", place_id="kp-09-chongjin", admin1="KP-09")) == "place"
    assert veto(a, ev("2", "r2", date_start="2024-05-01")) == "date"
    # a month-level date holds the day; a province holds the city; a missing mode is no conflict
    assert veto(a, ev("2", "r2", date_start="2024-03-01", granularity="month", mode=None,
                      place_id="KP-10", precision=2)) is None


def test_place_relation():
    city = ev("1", "r1")
    assert place_relation(city, ev("2", "r2", place_id="KP-10", precision=2)) == "inside"
    assert place_relation(city, ev("2", "r2", place_id="kp-10-samjiyon", precision=4)) == "different"
    assert place_relation(city, ev("2", "r2", place_id=None, admin1=None, precision=None)) == "unknown"


def test_linked_needs_evidence_beyond_vetoes():
    a = ev("1", "r1", arrested=11)
    assert linked(a, ev("2", "r2", arrested=12, quote="border guards detained eleven women at the river"))
    # compatible on every veto but sharing nothing else: a place known only as the province, other words
    weak = ev("3", "r3", place_id="KP-10", precision=2, mode=None, date_start="2024-03-01", granularity="month",
              quote="a crackdown on mobile phone users")
    assert not linked(a, weak)


def test_assign_is_order_independent_and_keeps_pins():
    events = [ev(str(i), f"r{i}", arrested=11) for i in range(6)]
    ids = [e.id for e in events]
    edges = [("0", "1"), ("1", "2"), ("3", "4")]
    first = assign(ids, edges, {})
    shuffled = ids[:]
    random.Random(4).shuffle(shuffled)
    assert assign(shuffled, list(reversed(edges)), {}) == first
    assert first["0"] == first["2"] != first["3"]
    # a reviewer split "2" off into its own cluster and merged "4" into the cluster of "0"
    pins = {"2": "split-1", "0": "keep", "1": "keep", "4": "keep"}
    out = assign(ids, edges, pins)
    assert out["2"] == "split-1" and out["0"] == out["1"] == out["4"] == "keep"
    assert out["3"] == "keep"  # unpinned, linked to a pinned record: joins its cluster
    # an unpinned record linked to two pinned clusters joins one and never bridges them
    out = assign(ids + ["9"], edges + [("9", "2"), ("9", "0")], pins)
    assert out["2"] == "split-1" and out["0"] == "keep" and out["9"] == "keep"


def test_cluster_whole_set_and_summary():
    events = [ev("a", "r1", arrested=200, outlet="Outlet A"),
              ev("b", "r2", arrested=600, outlet="Outlet B"),
              ev("c", "r3", arrested=200, outlet="Outlet A", reprint_of=None),
              ev("d", "r4", arrested=200, outlet="Wire", reprint_of="r1"),
              ev("x", "r5", place_id="kp-09-chongjin", admin1="KP-09")]
    clusters = cluster(events)
    assert len({clusters[i] for i in "abcd"}) == 1 and clusters["x"] != clusters["a"]
    summary = summarise(clusters["a"], [e for e in events if e.id != "x"])
    assert (summary.n_reports, summary.n_outlets, summary.n_reprints) == (4, 2, 1)
    fields = {d["field"]: d for d in summary.disagreements}
    assert set(fields) == {"arrested"}
    assert [v["value"] for v in fields["arrested"]["values"]] == [200, 600]


def test_a_vague_record_does_not_chain_two_events():
    # two trials in one city, the 5th and the 25th, and a report of "a trial earlier this month":
    # it may link to both, but the two trials stay apart (single links used to chain them)
    fifth = ev("5", "r5", type="SANCTION", mode="convict", date_start="2023-10-05",
               quote="three women were sentenced at a public trial")
    twenty_fifth = ev("25", "r25", type="SANCTION", mode="convict", date_start="2023-10-25",
                      quote="two men were sentenced at a public trial")
    month = ev("m", "rm", type="SANCTION", mode="convict", date_start="2023-10-01", granularity="month",
               quote="three women were sentenced at a public trial earlier this month")
    assert linked(month, fifth) and linked(month, twenty_fifth) and not linked(fifth, twenty_fifth)
    clusters = cluster([fifth, twenty_fifth, month])
    assert clusters["5"] != clusters["25"]
    assert clusters["m"] == clusters["5"]  # the stronger link wins: the same words


def test_the_first_word_of_a_quote_counts_as_a_word():
    assert "three" in ev("1", "r1", quote="Three women were sentenced").words
    assert "hyesan" not in ev("1", "r1", quote="agents in Hyesan arrested").words


def test_related_modes_of_one_type_can_be_one_event():
    # "shot and killed" (ASSAULT firearms) and "shot dead" (ASSAULT execute): one shooting, two wordings
    shot = ev("1", "r1", type="ASSAULT", mode="firearms", place_id="kp-09-musan", admin1="KP-09",
              date_start="2025-06-03", actors=frozenset({"border_guards"}),
              quote="a border guard shot and killed a woman wading across the river")
    dead = ev("2", "r2", type="ASSAULT", mode="execute", place_id="kp-09-musan", admin1="KP-09",
              date_start="2025-06-01", granularity="month", actors=frozenset({"border_guards"}),
              quote="a woman crossing into China was shot dead by border guards")
    assert veto(shot, dead) is None
    assert linked(shot, dead)
    # modes that name different acts of one type stay apart: an execution is not an abduction,
    # an arrest is not a seizure of goods
    assert veto(dead, ev("3", "r3", type="ASSAULT", mode="abduct", place_id="kp-09-musan", admin1="KP-09",
                         date_start="2025-06-03")) == "mode"
    assert veto(ev("4", "r4"), ev("5", "r5", mode="seize")) == "mode"
    # a ban is a restriction
    assert veto(ev("6", "r6", mode="ban"), ev("7", "r7", mode="restrict")) is None


def test_two_named_agencies_weigh_strongly_against_one_event():
    # police and state security each arrest seven people in one city in one month: two arrests
    police = ev("1", "r1", date_start="2025-04-08", arrested=7, actors=frozenset({"ministry_of_social_security"}),
                quote="officers arrested seven traders at the market for selling medicine")
    security = ev("2", "r2", date_start="2025-04-01", granularity="month", arrested=7,
                  actors=frozenset({"ministry_of_state_security"}),
                  quote="agents arrested seven residents for making phone calls")
    assert veto(police, security) is None and not linked(police, security)
    # the same record without a named agency on one side is still the same arrest
    unnamed = ev("3", "r3", date_start="2025-04-01", granularity="month", arrested=7,
                 quote="seven market traders were arrested for selling medicine")
    assert linked(police, unnamed)
    # a unit and the body it belongs to are not two agencies (a 109 group is a non-socialist group)
    group = ev("4", "r4", mode="seize", actors=frozenset({"group_109"}), quote="inspectors seized phones in homes")
    parent = ev("5", "r5", mode="seize", actors=frozenset({"non_socialist_groups"}),
                quote="a crackdown unit seized phones from homes")
    assert actors_relation(group, parent) == "shared" and linked(group, parent)
    # bodies of different kinds (border guards and "soldiers", the army) keep the mild weight: they
    # work together, and a generic word names the one for the other
    assert actors_relation(police, security) == "rival"
    guards = ev("6", "r6", actors=frozenset({"border_guards"}))
    assert actors_relation(guards, ev("7", "r7", actors=frozenset({"korean_peoples_army"}))) == "other"
