def sources_of(records):
    return [(s.descriptor, s.kind, s.place) for s in records.sources]


def test_anonymous_source_with_province(extract_text):
    records = extract_text("Rice prices rose, a source in South Hwanghae Province told reporters.")
    assert sources_of(records) == [("a source in South Hwanghae Province", "in_country_anonymous", "KP-05")]


def test_based_source_and_repeat_is_not_a_new_source(extract_text):
    records = extract_text(
        "Prices fell, a Hyesan-based source said. \"It is hard,\" the source added."
    )
    assert sources_of(records) == [("a Hyesan-based source", "in_country_anonymous", "kp-10-hyesan")]


def test_media_government_and_ngo(extract_text):
    records = extract_text(
        "According to KCNA, the harvest was good. South Korea's Unification Ministry said on Monday that aid "
        "had arrived. Human Rights Watch reported new arrests."
    )
    kinds = [(s.descriptor, s.kind) for s in records.sources]
    assert kinds == [("KCNA", "official_media"), ("South Korea's Unification Ministry", "foreign_government"),
                     ("Human Rights Watch", "ngo")]


def test_foreign_source_is_not_in_country(extract_text):
    records = extract_text("The women were sold for 10,000 yuan, a Chinese source said.")
    assert sources_of(records) == [("a Chinese source", "unknown", None)]


def test_own_outlet_is_own_reporting(extract_text):
    records = extract_text("Daily NK reported that prices fell in Musan.", outlet="Daily NK")
    assert [(s.descriptor, s.kind) for s in records.sources] == [("Daily NK", "own_reporting")]


def test_an_outlet_told_is_a_source_unless_it_is_the_report_own(extract_text):
    text = "Prices fell in Hyesan, a resident of Ryanggang Province told Radio Free Asia."
    other = extract_text(text, outlet="Yonhap")
    own = extract_text(text, outlet="RFA")
    assert ("Radio Free Asia", "other_media") in [(s.descriptor, s.kind) for s in other.sources]
    assert "Radio Free Asia" not in [s.descriptor for s in own.sources]
    assert [(s.kind, s.place) for s in own.sources] == [("in_country_anonymous", "KP-10")]


def test_business_partners_are_not_reporting_partners(extract_text):
    records = extract_text("He smuggled copper with Chinese business partners, a source in Sinuiju said.")
    assert [s.descriptor for s in records.sources] == ["a source in Sinuiju"]


def test_an_outlet_cited_by_another_is_other_media_and_its_service_told_is_not_a_source(extract_text):
    """The outlet field names who published and whom it cites: "Yonhap (citing RFA)" is Yonhap's text."""
    text = "Guards seized mobile phones in Hyesan, a resident of Ryanggang Province told RFA's Korean Service."
    citing = extract_text(text, outlet="Yonhap (citing RFA)")
    own = extract_text(text, outlet="RFA")
    assert ("RFA's Korean Service", "other_media") in [(s.descriptor, s.kind) for s in citing.sources]
    assert [s.kind for s in own.sources] == ["in_country_anonymous"]


def test_the_outlet_that_has_learned_is_not_its_own_source(extract_text):
    text = "Police raided markets in Musan last week, Daily NK has learned. A source in Musan said traders fled."
    own = extract_text(text, outlet="Daily NK")
    excerpt = extract_text(text, outlet="A blog (excerpt of Daily NK)")
    assert [s.descriptor for s in own.sources] == ["A source in Musan"]
    assert "Daily NK" in [s.descriptor for s in excerpt.sources]


def test_a_teller_set_off_by_a_clause_between_commas(extract_text):
    records = extract_text("Rice prices rose in Hamhung this month, a U.S. broadcaster, monitored here, said Tuesday.",
                           outlet="Yonhap")
    assert [(s.descriptor, s.kind) for s in records.sources] == [("a U.S. broadcaster, monitored here", "other_media")]
