def test_line_breaks_end_sentences(extractor):
    doc = extractor.nlp("Agents Raid Homes\nIn Hyesan agents raided homes. Nobody was arrested")
    assert [s.text.strip() for s in doc.sents] == ["Agents Raid Homes", "In Hyesan agents raided homes.", "Nobody was arrested"]
