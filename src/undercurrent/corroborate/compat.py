"""Can two event records be one real-world event? Hard vetoes first, then a score.

Vetoes (any one keeps two records apart): a different PLOVER type; statuses of different kinds
(an order is not the act; a denial is not the act); two unrelated modes (related modes, such as a
shooting and an execution, can tell one act); places that are neither the same nor one inside the other; dates whose windows (set by their granularity) do not meet; two
records of the same report (the extractor already judged them distinct). Then evidence adds up:
a precise shared place, a shared actor institution, close sizes, the same day, similar words; two
different named agencies of one kind (police and state security) weigh strongly against."""
from __future__ import annotations

import json
import re
import sys
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from importlib import resources

# Statuses that can describe one happening; "ordered" and "planned" both mean it is not done yet.
STATUS_KIND = {"occurred": "done", "ordered": "intended", "planned": "intended",
               "negated": "negated", "hypothetical": "hypothetical"}
# A day-level date is allowed this far from another: outlets round ("early this month", "last week").
DAY_SLACK = 7
# An undated event happened some time before its report; "recently" rarely means more than this.
UNDATED_DAYS = 60
THRESHOLD = 2.5  # the score two compatible records need: a shared place and mode alone (2.0) are not enough
# Rare happenings: two reports of a protest, an execution or a mass repatriation at one place in one
# month are very likely one event; two arrests in a border town in one month often are not.
RARE = {("PROTEST", None), ("ASSAULT", "execute"), ("ASSAULT", "firearms"), ("COERCE", "deport")}
# Modes of one PLOVER type that one happening can carry at once, so two outlets may each name one.
# A PLOVER mode names either the means (ASSAULT firearms: small arms) or the act done (execute, beat,
# torture, abduct); an execution by shooting is both, and the extractor's choice follows the wording
# ("shot and killed" firearms, "shot dead" execute). A beating is the usual means of torture. A ban is
# the strongest restriction and a curfew a restriction of movement (COERCE restrict is the general
# mode); a demonstration that turns violent is a riot. Modes that name different acts (arrest, seize,
# deport; execute and abduct) stay a veto.
RELATED_MODES: dict[str, tuple[frozenset[str], ...]] = {
    "ASSAULT": (frozenset({"firearms", "execute"}), frozenset({"beat", "torture"})),
    "COERCE": (frozenset({"ban", "restrict"}), frozenset({"curfew", "restrict"})),
    "PROTEST": (frozenset({"demo", "riot"}),),
}
# Both records name who acted and no institution of one is, holds or belongs to one of the other.
# Two bodies of one kind (police and state security, two task forces) are rivals for the same work and
# rarely make the same arrest; outlets that disagree on the agency usually disagree on more: strong, but
# not a veto (a source may misname the agency). Bodies of different kinds (army and security) work
# together and generic words blur them ("soldiers" for border guards): the mild weight stays.
RIVAL_AGENCY = -2.0
OTHER_AGENCY = -0.5
# Institution types that act; detention facilities and laws are named as places or grounds, not actors.
_NOT_ACTORS = frozenset({"detention facility", "law"})

_STOP = frozenset("""a an the of in on at to for by with from and or but as is was were be been are has had have
that this these those it its their they them he she his her who which what when where than then there
said says told source sources according reported report daily nk province city county north korea korean
people residents authorities recently last month week year""".split())
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)


_UNSET = object()  # a lazily computed slot not computed yet (None is a value: no window)


@dataclass(frozen=True, slots=True)
class EventView:
    """What clustering needs of one event record and its report. Slots, not a dict: a rebuild holds
    every record of a type in memory (a million reports: millions of views)."""
    id: str
    report_id: str
    type: str
    mode: str | None = None
    status: str = "occurred"
    place_id: str | None = None
    admin1: str | None = None
    precision: int | None = None
    date_start: str | None = None
    date_end: str | None = None
    granularity: str = "unknown"
    published: str | None = None
    outlet: str | None = None
    actors: frozenset[str] = frozenset()  # institution ids
    recipients: frozenset[str] = frozenset()  # sectors
    arrested: int | None = None
    dead: int | None = None
    injured: int | None = None
    quote: str = ""
    reprint_of: str | None = None  # the report this event's report reprints, if any
    sort_date: str | None = None  # as stored (its date, else its report's); None: taken from those
    # computed once per record, when first asked: a rebuild compares each record many times
    _words: frozenset[str] | None = field(default=None, init=False, repr=False, compare=False)
    _window: object = field(default=_UNSET, init=False, repr=False, compare=False)

    @property
    def words(self) -> frozenset[str]:
        """Content words of the quote, lightly stemmed. Capitalised words (places, months, agency
        names) are left out: place, date and actor are judged on their own and must not count twice."""
        words = self._words
        if words is None:
            tokens = _WORD.findall(self.quote)
            if tokens:  # the first word is capitalised because it starts the sentence, not because it is a name
                tokens[0] = tokens[0].lower()
            # interned: the same few thousand stems recur across millions of records
            words = frozenset(sys.intern(_stem(w)) for w in tokens if len(w) > 2 and not w[0].isupper() and w not in _STOP)
            object.__setattr__(self, "_words", words)
        return words

    @property
    def window(self) -> tuple[date, date] | None:
        found = self._window
        if found is _UNSET:
            found = _window(self)
            object.__setattr__(self, "_window", found)
        return found  # type: ignore[return-value]


def _stem(word: str) -> str:
    for suffix in ("ings", "ing", "ers", "ed", "es", "er", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


def _day(value: str | None) -> date | None:
    if not value:
        return None
    parts = value.split("-")
    try:
        return date(int(parts[0]), int(parts[1]) if len(parts) > 1 else 1, int(parts[2]) if len(parts) > 2 else 1)
    except (ValueError, IndexError):
        return None


def _period_end(start: date, granularity: str) -> date:
    if granularity == "year":
        return date(start.year, 12, 31)
    if granularity == "month":
        following = date(start.year + start.month // 12, start.month % 12 + 1, 1)
        return following - timedelta(days=1)
    return start


def window(e: EventView) -> tuple[date, date] | None:
    return e.window


def _window(e: EventView) -> tuple[date, date] | None:
    """The days the event may have happened on: a day with slack, a whole month or year, a range;
    an undated event the weeks before its report. None when nothing at all is known."""
    start = _day(e.date_start)
    if start is not None and e.granularity in ("day", "month", "year"):
        end = _day(e.date_end) or _period_end(start, e.granularity)
        end = max(end, _period_end(start, e.granularity))
        if e.granularity == "day":
            return start - timedelta(days=DAY_SLACK), end + timedelta(days=DAY_SLACK)
        return start, end
    published = _day(e.published)
    if published is None:
        return None
    return published - timedelta(days=UNDATED_DAYS), published


# Two precise places of one province: a town and its city are one place told at two scales (precision 5
# inside 4); two cities or two counties are two places. Each precision's other scale.
OTHER_SCALE = {4: 5, 5: 4}


def is_broad(e: EventView) -> bool:
    """Placed no finer than its province (or not placed): it may hold any place of the province."""
    return (e.precision or 0) <= 2 or not e.place_id or e.place_id == e.admin1


def place_relation(a: EventView, b: EventView) -> str:
    """same | inside (one holds the other) | unknown (one has no place) | different."""
    if a.place_id and a.place_id == b.place_id:
        return "same"
    if not a.admin1 or not b.admin1:
        return "unknown"
    if a.admin1 != b.admin1:
        return "different"
    if is_broad(a) or is_broad(b):
        return "inside"
    if OTHER_SCALE.get(a.precision or 0) == b.precision:
        return "inside"
    return "different"


def _sizes_agree(x: int | None, y: int | None) -> bool | None:
    if x is None or y is None:
        return None
    low, high = sorted((x, y))
    return high <= max(3 * low, low + 5)


def compatible_modes(type_: str, mode: str | None) -> frozenset[str] | None:
    """Every mode a record of `mode` can share a happening with (besides none), or None for any: the
    store narrows its candidate query with it, as `modes_compatible` would judge."""
    if not mode:
        return None
    return frozenset({mode}).union(*(group for group in RELATED_MODES.get(type_, ()) if mode in group))


def statuses_of_kind(status: str | None) -> list[str] | None:
    """The statuses of the same kind as `status` (so not vetoed), or None when it has no known kind."""
    kind = STATUS_KIND.get(status or "")
    return None if kind is None else sorted(s for s, k in STATUS_KIND.items() if k == kind)


def modes_compatible(type_: str, x: str | None, y: str | None) -> bool:
    """Two modes of one type can describe one happening: the same, one missing, or related."""
    if not x or not y or x == y:
        return True
    return any(x in group and y in group for group in RELATED_MODES.get(type_, ()))


@lru_cache(maxsize=1)
def _institution_tree() -> tuple[dict[str, str], dict[str, str]]:
    """Each institution's parent and type (from the knowledge base)."""
    raw = json.loads(resources.files("undercurrent.kb").joinpath("data", "institutions.json").read_text("utf-8"))
    parents = {row["id"]: row.get("parent") or "" for row in raw["institutions"]}
    kinds = {row["id"]: row.get("type") or "" for row in raw["institutions"]}
    return parents, kinds


def _lineage(inst: str) -> set[str]:
    """The institution and every body it belongs to (group_109 -> non_socialist_groups)."""
    parents, _ = _institution_tree()
    out: set[str] = set()
    while inst and inst not in out:
        out.add(inst)
        inst = parents.get(inst, "")
    return out


def actors_relation(a: EventView, b: EventView) -> str:
    """shared (an institution in common, or one part of another) | rival (both name actors, none
    related, two of one kind) | other (none related, of different kinds) | unknown (one names none)."""
    _, kinds = _institution_tree()
    xs = {x for x in a.actors if kinds.get(x) not in _NOT_ACTORS}
    ys = {y for y in b.actors if kinds.get(y) not in _NOT_ACTORS}
    if not xs or not ys:
        return "shared" if a.actors & b.actors else "unknown"
    if any(x in _lineage(y) or y in _lineage(x) for x in xs for y in ys):
        return "shared"
    if any(kinds.get(x) and kinds.get(x) == kinds.get(y) for x in xs for y in ys):
        return "rival"
    return "other"


def veto(a: EventView, b: EventView) -> str | None:
    """Why two records cannot be one event, or None."""
    if a.report_id == b.report_id:
        return "same report"
    if a.type != b.type:
        return "type"
    if STATUS_KIND.get(a.status) != STATUS_KIND.get(b.status):
        return "status"
    if not modes_compatible(a.type, a.mode, b.mode):
        return "mode"
    if place_relation(a, b) == "different":
        return "place"
    wa, wb = window(a), window(b)
    if wa is None or wb is None:
        return "date"
    if wa[0] > wb[1] or wb[0] > wa[1]:
        return "date"
    return None


def score(a: EventView, b: EventView) -> float:
    """Evidence that two compatible records are one event (only meaningful when `veto` is None)."""
    if a.reprint_of == b.report_id or b.reprint_of == a.report_id or (
            a.reprint_of is not None and a.reprint_of == b.reprint_of):
        return 10.0  # one text printed twice: its events are the same events
    total = 0.0
    relation = place_relation(a, b)
    if relation == "same":
        total += 1.5 if (a.precision or 0) >= 3 else 0.5
    elif relation == "inside":
        total += 0.5
    else:
        total -= 0.5
    if a.mode and a.mode == b.mode:
        total += 0.5
    if (a.type, None) in RARE or (a.type, a.mode or b.mode) in RARE:
        total += 0.5
    actors = actors_relation(a, b)
    if actors == "shared":
        total += 1.0
    elif actors == "rival":
        total += RIVAL_AGENCY
    elif actors == "other":
        total += OTHER_AGENCY
    if a.recipients and b.recipients and a.recipients & b.recipients:
        total += 0.25
    for x, y in ((a.arrested, b.arrested), (a.dead, b.dead), (a.injured, b.injured)):
        agree = _sizes_agree(x, y)
        if agree is True:
            total += 1.0 if x == y else 0.5
        elif agree is False:
            total -= 1.0
    if a.granularity == "day" and b.granularity == "day" and a.date_start == b.date_start:
        total += 1.0
    elif a.granularity == b.granularity and a.date_start and a.date_start == b.date_start:
        total += 0.5
    wa, wb = a.words, b.words
    if wa and wb:
        total += 3.0 * len(wa & wb) / len(wa | wb)
    return total


def linked(a: EventView, b: EventView, *, threshold: float = THRESHOLD) -> bool:
    """Same event: no veto and enough evidence."""
    return veto(a, b) is None and score(a, b) >= threshold
