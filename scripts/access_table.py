"""Print the authorisation table (route x role) from the app's routes, or write it to docs/access.md."""
from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from undercurrent.api.access import markdown
from undercurrent.server import create_app
from undercurrent.settings import Settings

DOC = Path(__file__).resolve().parent.parent / "docs" / "access.md"


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        # Any database and key will do: only the routes are read.
        app = create_app(Settings(database_url=f"sqlite:///{folder}/routes.db", secret_key="k" * 32))
        text = markdown(app)
        app.state.store.close()
    if "--write" in sys.argv[1:]:
        DOC.write_text(text, encoding="utf-8")
        print(f"wrote {DOC}")
    else:
        print(text, end="")


if __name__ == "__main__":
    main()
