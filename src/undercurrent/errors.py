"""User-facing errors: a code, the file concerned and what to do about it."""
from __future__ import annotations


class UndercurrentError(Exception):
    """Base class of errors that are shown to a user without a traceback."""

    code = "E000"

    def __init__(self, message: str, *, path: str | None = None) -> None:
        self.path = path
        self.message = message
        super().__init__(self.render())

    def render(self) -> str:
        where = f"{self.path}: " if self.path else ""
        return f"{self.code}: {where}{self.message}"


class InputNotFound(UndercurrentError):
    code = "E001"


class EmptyInput(UndercurrentError):
    code = "E002"


class NotUtf8(UndercurrentError):
    code = "E003"


class InputTooLarge(UndercurrentError):
    code = "E004"


class BadJson(UndercurrentError):
    code = "E005"


class MissingText(UndercurrentError):
    code = "E006"


class UnsupportedInput(UndercurrentError):
    code = "E007"


class BadMetadata(UndercurrentError):
    code = "E008"


class BadGold(UndercurrentError):
    code = "E010"


class BadTraining(UndercurrentError):
    """Training data that cannot be used: the message names the line and field."""

    code = "E041"


class UnsupportedLanguage(UndercurrentError):
    code = "E009"


class Unreadable(UndercurrentError):
    """A path that exists but cannot be read as a report: no permission, a FIFO, a device."""

    code = "E015"


class ExtractionFailed(UndercurrentError):
    """An unexpected failure while reading, extracting or storing one item; the others carry on."""

    code = "E016"

    @classmethod
    def of(cls, exc: BaseException, name: str, *, doing: str = "could not process this item") -> ExtractionFailed:
        return cls(f"{doing} ({type(exc).__name__}: {str(exc)[:200]})", path=name)


class ChangedText(UndercurrentError):
    """A stored report (same outlet and URL) came again with another text: records must match the stored text."""

    code = "E017"
