"""Reference data shipped in the package: gazetteer, institutions, currencies."""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from undercurrent.kb.currencies import Currencies
from undercurrent.kb.gazetteer import Gazetteer
from undercurrent.kb.institutions import Institutions


@dataclass(frozen=True)
class KnowledgeBase:
    gazetteer: Gazetteer
    institutions: Institutions
    currencies: Currencies


@lru_cache(maxsize=1)
def load_kb() -> KnowledgeBase:
    """Load the reference data once per process."""
    return KnowledgeBase(Gazetteer(), Institutions(), Currencies())
