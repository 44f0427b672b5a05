"""The one catalogue of user-facing errors: a code, the file concerned and what to do about it.

Every coded error is defined here, whatever module raises it (as spaCy's errors.py), so that a code is
given once (tests/test_errors.py checks that no two classes share one) and the table of codes in
docs/cli.md is generated from this file (scripts/error_table.py). Each class's `meaning` is its row in
that table, written for users; the docstring, where there is one, says why the class exists.

This module imports nothing from the package: any layer may raise these errors.
"""
from __future__ import annotations


class UndercurrentError(Exception):
    """Base class of errors that are shown to a user without a traceback."""

    code = "E000"
    meaning = ""  # one line for the docs table; empty on classes that only group others

    def __init__(self, message: str, *, path: str | None = None) -> None:
        self.path = path
        self.message = message
        super().__init__(self.render())

    def render(self) -> str:
        where = f"{self.path}: " if self.path else ""
        return f"{self.code}: {where}{self.message}"


# --- E001-E017: reading reports (files, items, pages, feeds) ------------------------------------------

class InputNotFound(UndercurrentError):
    code = "E001"
    meaning = "no such file or folder"


class EmptyInput(UndercurrentError):
    code = "E002"
    meaning = "empty file or empty `text`"


class NotUtf8(UndercurrentError):
    code = "E003"
    meaning = "not UTF-8 text, or text that is not valid Unicode (a lone surrogate escaped in JSON)"


class InputTooLarge(UndercurrentError):
    code = "E004"
    meaning = "file over the 20 MB limit for one report"


class BadJson(UndercurrentError):
    code = "E005"
    meaning = "invalid JSON, or JSON that is not an object"


class MissingText(UndercurrentError):
    code = "E006"
    meaning = "JSON report without a `text` field"


class UnsupportedInput(UndercurrentError):
    code = "E007"
    meaning = "unsupported file type"


class BadMetadata(UndercurrentError):
    code = "E008"
    meaning = ("malformed or impossible date (`published` in a report or `--published`, `--since`/`--until`, "
               "API `since`/`until`; e.g. `2019-13-45`, `2020-02-30`, `2010-00`), or a report field of the "
               "wrong type (`title` a list, `url` a number)")


class UnsupportedLanguage(UndercurrentError):
    code = "E009"
    meaning = ("a report's `language` is not supported: only `en` and `ko` (also written `KO`, `ko-KR`, `kor`, "
               "`Korean`, `eng` ...)")


class BadGold(UndercurrentError):
    code = "E010"
    meaning = "gold folder or file unusable, or a bad `--floor`"


class NoArticle(UndercurrentError):
    code = "E011"
    meaning = "no article text in an HTML page"


class FetchError(UndercurrentError):
    code = "E012"
    meaning = "a URL could not be fetched (HTTP error, unreachable, too large, too many redirects)"


class RefusedAddress(UndercurrentError):
    code = "E013"
    meaning = ("a URL refused: not http(s), or a private, loopback or link-local address without "
               "`--allow-private`")


class NotAFeed(UndercurrentError):
    code = "E014"
    meaning = "not an RSS or Atom feed"


class Unreadable(UndercurrentError):
    """A path that exists but cannot be read as a report: no permission, a FIFO, a device."""

    code = "E015"
    meaning = ("a file or folder that cannot be read: no permission, or not a regular file (a FIFO, a device "
               "such as a symlink to `/dev/zero`)")


class ExtractionFailed(UndercurrentError):
    """An unexpected failure while reading, extracting or storing one item; the others carry on."""

    code = "E016"
    meaning = ("an unexpected failure while reading, extracting or storing one report (e.g. JSON nested too "
               "deeply for the parser); the other reports carry on")

    @classmethod
    def of(cls, exc: BaseException, name: str, *, doing: str = "could not process this item") -> ExtractionFailed:
        return cls(f"{doing} ({type(exc).__name__}: {str(exc)[:200]})", path=name)


class ChangedText(UndercurrentError):
    """A stored report (same outlet and URL) came again with another text: records must match the stored text."""

    code = "E017"
    meaning = ("`ingest --reextract` of a stored report (same outlet and URL) whose text has changed: refused, "
               "the stored text and records stay (see docs/decisions.md)")


# --- E020-E023: settings, users, review edits ---------------------------------------------------------

class BadSettings(UndercurrentError):
    code = "E020"
    meaning = "bad setting (e.g. `UNDERCURRENT_DATABASE_URL`, `UNDERCURRENT_MAP_TILES`, `UNDERCURRENT_COOKIE_SECURE`)"


class MissingSecretKey(UndercurrentError):
    code = "E021"
    meaning = "the workbench will not start: `UNDERCURRENT_SECRET_KEY` missing or shorter than 32 characters"


class BadUser(UndercurrentError):
    code = "E022"
    meaning = ("a user command failed: unknown or duplicate user, unknown role, a name outside letters, digits "
               "and `._-`, a password under 10 characters or of only spaces, a token expiry out of range, a "
               "wrong two-factor code")


class NoSuchUser(BadUser):
    """A user name that is not in the database (the API answers 404). E022 like every refused account
    change: the CLI's users commands have always answered E022 for an unknown name."""


class BadCode(BadUser):
    """A wrong or stale enrolment code (E022 like every refused account change)."""


class BadEdit(UndercurrentError):
    code = "E023"
    meaning = ("a review edit refused: a type, mode (of that type), status, place, institution, date or field "
               "that is not valid")


# --- E030: batch runs ----------------------------------------------------------------------------------

class BatchError(UndercurrentError):
    code = "E030"
    meaning = "a batch folder holds a run over other inputs, or an input is missing"


# --- E040-E042: search, training data ------------------------------------------------------------------

class BadQuery(UndercurrentError, ValueError):
    """A search query that cannot be run (too long, too many terms, nothing but NOT)."""

    code = "E040"
    meaning = "a search query refused: over 1,000 characters, over 32 terms, or only excluded (NOT) words"


class BadTraining(UndercurrentError):
    """Training data that cannot be used: the message names the line and field."""

    code = "E041"
    meaning = ("training data refused: a quote not in its text, an unknown type, mode of another type, unknown "
               "status, bad JSON (file, line and field named)")


class BadFilter(UndercurrentError, ValueError):
    """A search filter value that cannot match anything. Web users see the message too, so it names the
    filter field (`until '2019-13': ...`), never a CLI flag; the CLI may add its flag when it prints.

    A filter refused for a bad date or language keeps that problem's code (E008, E009: `because`): those
    rows of the table already name the CLI and API filters, and a user looks the code up there."""

    code = "E042"
    meaning = ("a search filter refused: a value that is not valid text, or a type, mode, status, province, place, "
               "institution, source kind, review state, count or sort that is not valid, or a paging cursor (`after`) "
               "that is not the `next` of a page in the same sort (a bad date is E008, a bad language E009)")

    def __init__(self, message: str, *, code: str | None = None) -> None:
        if code is not None:
            self.code = code
        super().__init__(message)

    @classmethod
    def because(cls, cause: UndercurrentError) -> BadFilter:
        """The filter refused for `cause` (a BadMetadata or UnsupportedLanguage), with the cause's code."""
        return cls(cause.message, code=cause.code)


# --- E050: lookups ------------------------------------------------------------------------------------

class NotFound(UndercurrentError):
    """A report, record or cluster asked for by id that is not stored. The API and pages answer 404 for
    this class only: a KeyError raised by a bug is a 500, not a "no such record"."""

    code = "E050"
    meaning = "no report, record or cluster with that id (the API and pages answer 404)"


# --- E061-E062: exports, backups ----------------------------------------------------------------------

class BadProfile(UndercurrentError):
    code = "E061"
    meaning = "unknown export profile (use public, internal or full)"


class BackupFailed(UndercurrentError):
    code = "E062"
    meaning = ("a backup or restore failed: not a backup, the wrong database kind, a missing folder or "
               "`pg_dump`/`pg_restore`")


def catalogue() -> list[type[UndercurrentError]]:
    """Every class of this module that gives its own code, in code order. Read from this module, not from
    `__subclasses__`, so that the table is this file whatever else was imported; subclasses that share
    their parent's code (NoSuchUser, BadCode) are left out: the table has one row per code."""
    found = [value for value in globals().values()
             if isinstance(value, type) and issubclass(value, UndercurrentError)
             and value is not UndercurrentError and "code" in value.__dict__]
    return sorted(found, key=lambda cls: cls.code)


def markdown_table() -> str:
    """The body of docs/cli.md's `## Error codes` section: a line saying where it comes from, the table."""
    rows = ["Generated from `src/undercurrent/errors.py` by `python scripts/error_table.py --write`; API and page",
            "errors carry the same codes (an unknown id, E050, or user is a 404; the others are a 400).", "",
            "| code | meaning |", "|---|---|"]
    rows += [f"| {cls.code} | {cls.meaning} |" for cls in catalogue()]
    return "\n".join(rows) + "\n"
