"""Korean name matching draws on the KnowledgeBase API, not on the data files behind it."""
from pathlib import Path

import undercurrent.extract.ko.names as names


def test_korean_names_come_from_the_knowledge_base(kb):
    assert any(n.name == "혜산시" and n.source == "place" for n in kb.gazetteer.korean_names)
    assert ("보위부", "ministry_of_state_security") in kb.institutions.korean_names
    found = {hit.text: hit.values for hit in names.place_matcher(kb).find("혜산에서 량강도 보안서가")}
    assert "kp-10-hyesan" in found["혜산"] and found["량강도"] == ("KP-10",)
    assert names.institution_matcher(kb).find("보위부가")[0].values == ("ministry_of_state_security",)


def test_korean_names_read_no_data_file_themselves():
    source = Path(names.__file__).read_text(encoding="utf-8")
    assert "institutions.json" not in source and "kb_rows" not in source and "resources" not in source
