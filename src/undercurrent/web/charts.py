"""Geometry of the timeline's SVG charts (server-side: no charting library, no script needed)."""
from __future__ import annotations

from collections import defaultdict

PALETTE = ("#b2182b", "#2166ac", "#e08214", "#1b7837", "#762a83", "#8c510a", "#01665e", "#c51b7d",
           "#4d4d4d", "#35978f", "#bf812d", "#5aae61", "#9970ab", "#d6604d", "#4393c3", "#878787")
WIDTH, HEIGHT, PAD = 900, 220, 36


def _months(first: str, last: str) -> list[str]:
    year, month = int(first[:4]), int(first[5:7])
    out = []
    while f"{year:04d}-{month:02d}" <= last:
        out.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


def stacked_bars(rows: list[dict], *, max_bars: int = 120) -> dict:
    """Events per month (per year when the range is longer than `max_bars` months), stacked by type."""
    rows = [r for r in rows if r["month"] and len(r["month"]) >= 7]
    if not rows:
        return {"bars": [], "types": [], "unit": "month", "width": WIDTH, "height": HEIGHT, "max": 0}
    periods = _months(min(r["month"] for r in rows), max(r["month"] for r in rows))
    unit = "month"
    if len(periods) > max_bars:
        unit = "year"
        periods = [str(y) for y in range(int(periods[0][:4]), int(periods[-1][:4]) + 1)]
    counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for r in rows:
        counts[r["month"][:4] if unit == "year" else r["month"]][r["type"]] += r["events"]
    types = sorted({r["type"] for r in rows})
    colour = {t: PALETTE[i % len(PALETTE)] for i, t in enumerate(types)}
    top = max(sum(c.values()) for c in counts.values())
    step = (WIDTH - 2 * PAD) / len(periods)
    scale = (HEIGHT - 2 * PAD) / top
    bars = []
    for i, period in enumerate(periods):
        y: float = HEIGHT - PAD
        segments = []
        for t in types:
            n = counts[period].get(t, 0)
            if n:
                h = n * scale
                y -= h
                segments.append({"type": t, "events": n, "y": round(y, 1), "height": round(h, 1), "colour": colour[t]})
        bars.append({"period": period, "x": round(PAD + i * step, 1), "width": round(max(step - 1, 1), 1),
                     "total": sum(counts[period].values()), "segments": segments})
    labels = bars[:: max(1, len(bars) // 12)]
    return {"bars": bars, "labels": [{"x": b["x"], "text": b["period"]} for b in labels], "unit": unit,
            "types": [{"type": t, "colour": colour[t]} for t in types], "width": WIDTH, "height": HEIGHT,
            "max": top, "pad": PAD}


def _year_fraction(date: str) -> float:
    year = int(date[:4])
    month = int(date[5:7]) if len(date) >= 7 else 7
    day = int(date[8:10]) if len(date) >= 10 else 15
    return year + (month - 1) / 12 + (day - 1) / 365


def series_title(kind: str, item: str | None, currency: str | None, unit: str | None) -> str:
    if kind == "exchange_rate":
        return f"exchange rate: {currency or '?'} {unit or ''}".strip()
    what = f"{kind} of {item}" if item else kind
    money = " ".join(x for x in (currency, unit) if x)
    return f"{what} ({money})" if money else what


def observation_series(rows: list[dict], *, limit: int = 8,
                       place_names: dict[str, str | None] | None = None) -> list[dict]:
    """Observations with a date grouped into series (kind, item, currency, unit), one line per place;
    each point keeps its report so the chart links to it. The series with most points come first."""
    names = place_names or {}
    groups: dict[tuple, list[dict]] = defaultdict(list)
    for r in rows:
        if r.get("sort_date") and r["kind"] != "count":
            groups[(r["kind"], r["item"], r["currency"], r["unit"])].append(r)
    ranked = sorted(groups.items(), key=lambda kv: (-len(kv[1]), str(kv[0])))[:limit]
    out = []
    for (kind, item, currency, unit), points in ranked:
        xs = [_year_fraction(p["sort_date"]) for p in points]
        x0, x1 = min(xs), max(xs)
        top = max(p["value"] for p in points) or 1
        lines: dict[str, list[dict]] = defaultdict(list)
        for p, x in sorted(zip(points, xs, strict=True), key=lambda px: px[1]):
            cx = PAD + ((x - x0) / (x1 - x0) if x1 > x0 else 0.5) * (WIDTH - 2 * PAD)
            cy = HEIGHT - PAD - (p["value"] / top) * (HEIGHT - 2 * PAD)
            where = p.get("place_id") or p.get("admin1") or "unplaced"
            lines[where].append({"cx": round(cx, 1), "cy": round(cy, 1), "value": p["value"], "date": p["sort_date"],
                                 "report_id": p["report_id"], "id": p["id"], "quote": p["quote"]})
        out.append({
            "title": series_title(kind, item, currency, unit), "kind": kind, "item": item, "currency": currency,
            "unit": unit, "points": len(points), "max": top, "from": min(p["sort_date"] for p in points),
            "to": max(p["sort_date"] for p in points), "width": WIDTH, "height": HEIGHT, "pad": PAD,
            "lines": [{"place": place, "name": names.get(place, place), "colour": PALETTE[i % len(PALETTE)],
                       "points": pts, "path": " ".join(f"{q['cx']},{q['cy']}" for q in pts)}
                      for i, (place, pts) in enumerate(sorted(lines.items()))],
        })
    return out
