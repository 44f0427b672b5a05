from undercurrent.web.highlight import Span, record_spans, segments


def test_segments_cover_the_text_and_list_overlapping_records():
    text = "Agents in Hyesan arrested three traders."
    spans = [Span(0, 39, "event", "event:e1"), Span(10, 16, "place", "place:10"), Span(0, 6, "institution", "institution:0")]
    parts = segments(text, spans)
    assert "".join(p.text for p in parts) == text
    hyesan = next(p for p in parts if p.text == "Hyesan")
    assert hyesan.kinds == ["event", "place"] and hyesan.refs == ["event:e1", "place:10"]
    assert parts[0].text == "Agents" and parts[0].kinds == ["event", "institution"]
    assert parts[-1].text == "." and parts[-1].kinds == []


def test_spans_outside_the_text_are_ignored():
    parts = segments("short", [Span(3, 99, "event", "event:x"), Span(-1, 2, "place", "place:0")])
    assert [p.text for p in parts] == ["short"] and parts[0].kinds == []


def test_every_evidence_span_of_an_event_is_highlighted():
    report = {"events": [{"id": "e", "start": 0, "end": 4, "evidence": [{"start": 0, "end": 4}, {"start": 10, "end": 14}]}],
              "observations": [], "sources": [], "place_mentions": [], "institution_mentions": []}
    assert [(s.start, s.end) for s in record_spans(report)] == [(0, 4), (10, 14)]
