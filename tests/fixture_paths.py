"""Paths the tests share (a plain module: several conftest.py files make `import conftest` ambiguous)."""
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SEED = ROOT / "src" / "undercurrent" / "samples" / "daily-nk-prostitution-crackdown.txt"
