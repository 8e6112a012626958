"""The waiver file format: read and validate ``.disclosure-lint-waivers.yaml``."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..packs.discover import MAX_FILE_BYTES
from ..packs.model import PackError
from ..packs.reading import _plain, _read_yaml, _suggest
from ..records import dataclass, field
from .file import ConfigError, display

if TYPE_CHECKING:
    import datetime as dt


TOP_KEYS = {"waivers": "the list of waivers"}
ENTRY_KEYS = {
    "rule": "rule id, name or old alias",
    "file": "draft path, relative to the waiver file",
    "text": "the flagged text (a part of its line when there is no context)",
    "before": "the text just before it on its line",
    "after": "the text just after it on its line",
    "reason": "why the finding is accepted",
    "expires": "YYYY-MM-DD; the waiver holds through that day",
}
QUOTE_LIMIT = 60
#: Characters of the line kept on each side of the flagged text: enough to
#: tell a table cell from its neighbours (the row label and a few cells) or
#: a phrase from its other occurrences, little enough that an edit further
#: along a long paragraph does not orphan the waiver.
CONTEXT = 20


class WaiverError(ConfigError):
    """A waiver file that cannot be used; ``file:line:col: message``."""


@dataclass(slots=True)
class Waiver:
    """One entry of a waiver file."""

    rule: str
    file: str
    text: str
    reason: str
    expires: dt.date | None
    target: Path
    line: int
    column: int
    expires_at: tuple[int, int] | None = None
    used: bool = False
    before: str | None = None  # None (with ``after``): a loose entry
    after: str | None = None

    def expired(self, today: dt.date) -> bool:
        """True after the expiry date."""
        return self.expires is not None and today > self.expires

    @property
    def anchored(self) -> bool:
        """The entry has context: it names one exact occurrence."""
        return self.before is not None or self.after is not None

    @property
    def shown(self) -> str:
        """The text as messages quote it: with its context when very short."""
        if not self.anchored or len(self.text.strip()) >= 4:
            return self.text
        around = f"{self.before or ''}{self.text}{self.after or ''}"
        return " ".join(around.split())[:QUOTE_LIMIT]


@dataclass(slots=True)
class WaiverFile:
    """A parsed waiver file."""

    path: Path
    text: str
    waivers: list[Waiver] = field(default_factory=list)


def _at(node: Any, key: str | int, value: bool = False) -> tuple[int, int]:
    lc = getattr(node, "lc", None)
    try:
        if lc is None:
            return (0, 0)
        if isinstance(key, int):
            line, col = lc.item(key)
        else:
            line, col = lc.value(key) if value else lc.key(key)
    except (KeyError, IndexError, TypeError):
        return (0, 0)
    return (int(line) + 1, int(col) + 1)


def read_waivers(path: Path) -> WaiverFile:
    """Read and validate a waiver file.

    Raises:
        WaiverError: bad YAML, an unknown key or a bad value.
    """
    path = path.resolve()
    name = display(path)
    try:
        # NOTE: checked here as well as in _read_yaml, whose message is
        # about pack files.
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise WaiverError(
                f"{name}: waiver file too large ({size} bytes > {MAX_FILE_BYTES})"
            )
        node = _read_yaml(path)
        text = path.read_text(encoding="utf-8")
    except PackError as exc:
        raise WaiverError(str(exc)) from None
    except OSError as exc:
        raise WaiverError(f"{name}: cannot read: {exc.strerror}") from None
    out = WaiverFile(path, text)
    if node is None:
        return out
    if not isinstance(node, dict):
        raise WaiverError(f"{name}:1:1: waiver file must be a mapping with 'waivers'")
    for key in node:
        if key not in TOP_KEYS:
            line, col = _at(node, str(key))
            hint = _suggest(str(key), TOP_KEYS)
            raise WaiverError(f"{name}:{line}:{col}: unknown key '{key}'{hint}")
    entries = node.get("waivers") or []
    if not isinstance(entries, list):
        line, col = _at(node, "waivers", value=True)
        raise WaiverError(f"{name}:{line}:{col}: 'waivers' must be a list")
    for i, entry in enumerate(entries):
        out.waivers.append(_entry(path, name, entries, i, entry))
    return out


def _entry(path: Path, name: str, entries: Any, i: int, entry: Any) -> Waiver:
    line, col = _at(entries, i)
    if not isinstance(entry, dict):
        raise WaiverError(f"{name}:{line}:{col}: a waiver must be a mapping")
    for key in entry:
        if key not in ENTRY_KEYS:
            kl, kc = _at(entry, str(key))
            raise WaiverError(
                f"{name}:{kl}:{kc}: unknown key '{key}'{_suggest(str(key), ENTRY_KEYS)}"
            )
    values: dict[str, str] = {}
    for key in ("rule", "file", "text", "reason"):
        if key not in entry:
            raise WaiverError(f"{name}:{line}:{col}: waiver needs '{key}'")
        value = _plain(entry[key])
        empty_ok = key == "text"
        if not isinstance(value, str) or (not empty_ok and not value.strip()):
            vl, vc = _at(entry, key, value=True)
            raise WaiverError(f"{name}:{vl}:{vc}: '{key}' must be a non-empty string")
        values[key] = value
    context: dict[str, str | None] = {}
    for key in ("before", "after"):
        value = _plain(entry[key]) if key in entry else None
        if key in entry and not isinstance(value, str):
            vl, vc = _at(entry, key, value=True)
            raise WaiverError(
                f"{name}:{vl}:{vc}: '{key}' must be a string ('' if none)"
            )
        context[key] = value
    expires: dt.date | None = None
    expires_at = None
    if entry.get("expires") is not None:
        expires_at = _at(entry, "expires", value=True)
        expires = _date(entry["expires"])
        if expires is None:
            raise WaiverError(
                f"{name}:{expires_at[0]}:{expires_at[1]}: 'expires' must be a date "
                f"YYYY-MM-DD, not '{entry['expires']}'"
            )
    return Waiver(
        rule=values["rule"],
        file=values["file"],
        text=values["text"],
        reason=values["reason"],
        expires=expires,
        target=(path.parent / values["file"]).resolve(),
        line=line,
        column=col,
        expires_at=expires_at,
        before=context["before"],
        after=context["after"],
    )


def _date(value: Any) -> dt.date | None:
    import datetime as dt  # NOTE: only with a waiver file (start-up)

    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        return None


def parse_date(value: str) -> dt.date | None:
    """``YYYY-MM-DD`` → date, else None."""
    if len(value) != 10:
        return None
    return _date(value)


def parse_expires(value: str, today: dt.date | None = None) -> dt.date:
    """``waive --expires``: a date ``YYYY-MM-DD``, today or later.

    Raises:
        WaiverError: not such a date, or a day already past (the waiver would
            be expired as soon as it is written).
    """
    date = parse_date(value)
    if date is None:
        raise WaiverError(f"--expires '{value}' is not a date YYYY-MM-DD")
    if today is None:
        import datetime as dt

        today = dt.date.today()
    if date < today:
        raise WaiverError(
            f"--expires {value} is in the past; a waiver holds through its expiry date"
        )
    return date
