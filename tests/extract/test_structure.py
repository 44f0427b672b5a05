"""The shape of extract/: language pipelines as peers behind one contract, shared stages beside them,
imports that go one way, rule data in data files. Fails when the structure regresses."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

import undercurrent.extract as extract_package

ROOT = Path(extract_package.__file__).parent
PACKAGE = "undercurrent.extract"
LANGUAGES = ("en", "ko")
# The one module that knows every language pipeline (it dispatches reports by language).
DISPATCHER = f"{PACKAGE}.pipeline"
# Libraries whose model loads slowly: imported on first use, inside the function that needs them.
LAZY_LIBRARIES = {"spacy", "kiwipiepy"}


def _modules() -> dict[str, Path]:
    out = {}
    for path in ROOT.rglob("*.py"):
        parts = path.relative_to(ROOT).with_suffix("").parts
        name = ".".join((PACKAGE, *parts)).removesuffix(".__init__")
        out[name] = path
    return out


def _imports(path: Path) -> list[tuple[str, bool]]:
    """(module imported, whether the import is inside a function) of one file."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            for inner in ast.walk(node):
                if isinstance(inner, ast.ImportFrom) and inner.module:
                    found.append((inner.module, True))
                elif isinstance(inner, ast.Import):
                    found.extend((alias.name, True) for alias in inner.names)
            continue
        if isinstance(node, ast.ImportFrom) and node.module and node.col_offset == 0:
            found.append((node.module, False))
        elif isinstance(node, ast.Import) and node.col_offset == 0:
            found.extend((alias.name, False) for alias in node.names)
    return found


def _graph() -> dict[str, set[str]]:
    modules = _modules()
    return {name: {m for m, _ in _imports(path) if m in modules and m != name} for name, path in modules.items()}


def _layer(module: str) -> str | None:
    """The language a module belongs to, or None for the shared stages."""
    rest = module.removeprefix(PACKAGE + ".").split(".")
    return rest[0] if rest[0] in LANGUAGES else None


def test_no_import_loops_inside_extract():
    graph = _graph()
    state: dict[str, int] = {}

    def visit(node: str, path: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                cycle = path[path.index(nxt):] if nxt in path else path
                pytest.fail("import loop: " + " -> ".join([*cycle, nxt]))
            if nxt not in state:
                visit(nxt, path + [nxt])
        state[node] = 2

    for module in sorted(graph):
        if module not in state:
            visit(module, [module])


def test_language_pipelines_are_peers_and_shared_stages_know_no_language():
    for module, imported in _graph().items():
        own = _layer(module)
        for target in imported:
            other = _layer(target)
            if other is None:
                continue
            if own is None:
                assert module == DISPATCHER, f"shared {module} imports the {other} pipeline ({target})"
            else:
                assert own == other, f"{module} ({own}) imports {target} ({other}): peers stay apart"


def test_no_stage_reaches_back_to_the_dispatcher_or_imports_inside_functions():
    modules = _modules()
    for module, path in modules.items():
        for imported, nested in _imports(path):
            assert imported != DISPATCHER or module == DISPATCHER, f"{module} imports the dispatcher"
            if nested:
                assert imported.split(".")[0] in LAZY_LIBRARIES, f"{module} imports {imported} inside a function"


def test_modules_stay_small():
    for module, path in _modules().items():
        lines = len(path.read_text(encoding="utf-8").splitlines())
        assert lines <= 500, f"{module} has {lines} lines"


def test_every_language_pipeline_keeps_the_contract(extractor):
    from undercurrent.extract.contract import LanguagePipeline

    assert set(extractor.pipelines) == set(LANGUAGES)
    for language, pipeline in extractor.pipelines.items():
        assert isinstance(pipeline, LanguagePipeline) and pipeline.language == language
    assert extractor.pipeline("fr").language == "en"  # a language without a pipeline of its own


def test_the_learned_stage_builds_new_records_from_the_candidates(extractor):
    from undercurrent.extract.event_filter import FilterInput
    from undercurrent.extract.learned import LearnedStage
    from undercurrent.extract.stages import Candidates
    from undercurrent.models import Records, Report

    class DropAll:
        meta: dict = {}

        def keep(self, events, doc):
            return []

    pipeline = extractor.pipeline("en")
    report = Report.from_fields(text="Police in Hyesan arrested two traders last week.", published="2021-03")
    candidates = pipeline.candidates(report)
    assert candidates.records.events and isinstance(candidates.filter_input, FilterInput)
    before = candidates.records.model_dump()
    pipeline_with_filter = type(pipeline).__new__(type(pipeline))
    pipeline_with_filter.__dict__.update(pipeline.__dict__, stage=LearnedStage(filter=DropAll()))
    records = pipeline_with_filter.finish(Candidates(candidates.records, candidates.filter_input))
    assert isinstance(records, Records) and records.events == []
    assert candidates.records.model_dump() == before  # what the rules found is left as it was


def test_rule_data_is_in_data_files():
    from undercurrent.extract.en import events
    from undercurrent.extract.en.event_words import event_words
    from undercurrent.extract.ko import events as ko_events
    from undercurrent.extract.ko import observations

    words = event_words()
    assert "arrest" not in words.order and {"order", "instruct"} <= words.order
    assert words.counted_modes and words.threat_modes and words.request_modes
    assert observations._items()[0][1] == "rice" and ko_events._topic_rules()
    for module in (events, ko_events, observations):
        source = Path(module.__file__).read_text(encoding="utf-8")
        assert "LEMMAS = {" not in source and "_ITEMS = [" not in source and "_TOPICS = [" not in source
    shipped = {p.name for p in (ROOT / "lexicons").iterdir()}
    assert {"en_event_words.json", "ko_items.csv", "ko_topics.csv"} <= shipped
