"""A batch's series: the reports of one issuer, year by year, and their pairs.

Pairing (``engine.pairs``) needs to know, for each draft, last year's
report of the same issuer. After a batch is linted, each draft is known by
a ``Placed`` (its index in path order, issuer key and year: nothing of its
text); ``find_series`` groups them, says which drafts could not be placed
(no issuer in the title, no year, or the same issuer and year as another
draft: which one is last year's is then unknown, so neither is paired) and
gives the pairs of consecutive years.

``Spool`` keeps the results of a batch between its two passes (see
``cli.pairing``): an unnamed temporary file of pickles, read back by offset,
so that a batch of any size holds only a ``Placed`` per draft in memory;
a result is spooled as the row a worker sends it back as (``engine.worker``:
``encode``, ``decode``).
"""

from __future__ import annotations

import pickle
import tempfile
from collections.abc import Iterable
from typing import IO, Any, Final

from ..document.text import Record

#: Why a draft could not be placed in a series.
NO_ISSUER = "no-issuer"
NO_YEAR = "no-year"
DUPLICATE = "duplicate"


class Placed(Record):
    """One draft of a batch as pairing knows it: where and what, no text."""

    __match_args__ = ("index", "path", "issuer", "key", "year")
    __slots__ = __match_args__

    def __init__(
        self,
        index: int,
        path: str,
        issuer: str | None,
        key: str | None,
        year: int | None,
    ) -> None:
        """Draft number ``index`` (path order) at ``path``."""
        self.index: Final = index
        self.path: Final = path
        self.issuer: Final = issuer
        self.key: Final = key
        self.year: Final = year


class Unplaced(Record):
    """A draft left out of every series, ``reason`` one of the constants.

    ``other`` is the path of the draft with the same issuer and year
    (``DUPLICATE``).
    """

    __match_args__ = ("draft", "reason", "other")
    __slots__ = __match_args__

    def __init__(self, draft: Placed, reason: str, other: str | None = None) -> None:
        """``draft`` could not be placed because of ``reason``."""
        self.draft: Final = draft
        self.reason: Final = reason
        self.other: Final = other


class Series(Record):
    """The reports of one issuer: per year, the draft of that year."""

    __match_args__ = ("key", "issuer", "years")
    __slots__ = __match_args__

    def __init__(self, key: str, issuer: str, years: dict[int, Placed]) -> None:
        """Issuer ``key`` (as the latest report writes it), drafts by year."""
        self.key: Final = key
        self.issuer: Final = issuer
        self.years: Final = years


class Found(Record):
    """What ``find_series`` found: series, unplaced drafts, pairs."""

    __match_args__ = ("series", "unplaced", "pairs")
    __slots__ = __match_args__

    def __init__(
        self, series: list[Series], unplaced: list[Unplaced], pairs: dict[int, int]
    ) -> None:
        """``pairs`` maps this year's draft index to last year's."""
        self.series: Final = series
        self.unplaced: Final = unplaced
        self.pairs: Final = pairs


def find_series(drafts: Iterable[Placed]) -> Found:
    """Group ``drafts`` by issuer key and year; pair consecutive years.

    Series are sorted by key, unplaced drafts by path order.
    """
    unplaced: list[Unplaced] = []
    by_key: dict[str, dict[int, list[Placed]]] = {}
    for draft in drafts:
        if not draft.key:
            unplaced.append(Unplaced(draft, NO_ISSUER))
        elif draft.year is None:
            unplaced.append(Unplaced(draft, NO_YEAR))
        else:
            by_key.setdefault(draft.key, {}).setdefault(draft.year, []).append(draft)
    series: list[Series] = []
    pairs: dict[int, int] = {}
    for key in sorted(by_key):
        years: dict[int, Placed] = {}
        for year, same in sorted(by_key[key].items()):
            if len(same) == 1:
                years[year] = same[0]
                continue
            # NOTE: which of two drafts is the year's report is unknown:
            # pairing either would risk findings against the wrong one.
            first = same[0]
            unplaced.append(Unplaced(first, DUPLICATE, same[1].path))
            unplaced.extend(Unplaced(d, DUPLICATE, first.path) for d in same[1:])
        for year, draft in years.items():
            last = years.get(year - 1)
            if last is not None:
                pairs[draft.index] = last.index
        if years:
            # NOTE: the name as the latest report writes it.
            latest = years[max(years)].issuer
            series.append(Series(key, latest or key, years))
    unplaced.sort(key=lambda u: u.draft.index)
    return Found(series, unplaced, pairs)


class Spool:
    """Pickled records in an unnamed temporary file, read back by offset.

    NOTE: the file has no name (deleted on creation where the system
    allows), so it goes away with the process, even on a crash.
    """

    def __init__(self) -> None:
        """An empty spool."""
        # NOTE: kept open across the two passes of a run; ``close`` ends it.
        self._file: IO[bytes] = tempfile.TemporaryFile(  # noqa: SIM115
            prefix="disclosure-lint-"
        )
        self._end = 0

    def put(self, record: Any) -> int:
        """Append ``record``; its offset."""
        data = pickle.dumps(record, pickle.HIGHEST_PROTOCOL)
        offset = self._end
        self._file.seek(offset)
        self._file.write(data)
        self._end += len(data)
        return offset

    def get(self, offset: int) -> Any:
        """The record written at ``offset``."""
        self._file.seek(offset)
        return pickle.load(self._file)

    def close(self) -> None:
        """Drop the file."""
        self._file.close()
