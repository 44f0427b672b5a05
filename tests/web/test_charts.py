from undercurrent.web.charts import observation_series, stacked_bars


def test_months_without_events_still_get_a_bar():
    rows = [{"month": "2025-11", "type": "COERCE", "events": 2}, {"month": "2026-02", "type": "COERCE", "events": 1},
            {"month": "2026-02", "type": "ASSAULT", "events": 3}]
    chart = stacked_bars(rows)
    assert [b["period"] for b in chart["bars"]] == ["2025-11", "2025-12", "2026-01", "2026-02"]
    assert [b["total"] for b in chart["bars"]] == [2, 0, 0, 4] and chart["max"] == 4
    top = chart["bars"][-1]
    assert sum(s["height"] for s in top["segments"]) == chart["height"] - 2 * chart["pad"]


def test_long_ranges_are_shown_per_year():
    rows = [{"month": "2005-01", "type": "COERCE", "events": 1}, {"month": "2025-06", "type": "COERCE", "events": 1}]
    chart = stacked_bars(rows)
    assert chart["unit"] == "year" and len(chart["bars"]) == 21


def test_series_group_by_item_and_keep_their_reports():
    obs = [{"id": str(i), "kind": "price", "item": "rice", "currency": "KPW", "unit": "kg", "value": v, "sort_date": d,
            "place_id": p, "admin1": None, "report_id": f"r{i}", "quote": "q"}
           for i, (v, d, p) in enumerate([(7000, "2025-09-18", "a"), (8000, "2026-03-14", "a"), (7500, "2026-01", "b")])]
    obs.append({**obs[0], "id": "x", "kind": "count", "item": None})
    [series] = observation_series(obs)
    assert series["title"] == "price of rice (KPW kg)" and series["points"] == 3
    a = next(line for line in series["lines"] if line["place"] == "a")
    assert [p["report_id"] for p in a["points"]] == ["r0", "r1"] and a["points"][0]["cx"] < a["points"][1]["cx"]
    assert a["points"][1]["cy"] < a["points"][0]["cy"]  # higher price is drawn higher
