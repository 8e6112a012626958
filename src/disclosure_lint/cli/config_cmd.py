"""``disclosure-lint config PATH``: the effective configuration of a path."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..config.file import display, sources
from ..config.keys import KEYS
from ..config.resolve import ConfigResolver, ignores_for
from ..document.findings import Severity


def describe(
    resolver: ConfigResolver,
    path: str,
    output_format: str = "text",
    waiver_file: Path | None = None,
) -> str:
    """The effective configuration for ``path``: its file and every key.

    Raises:
        ConfigError: the configuration file is invalid.
        PackError: a pack named by it does not load.
    """
    import json  # NOTE: only the `config` command prints JSON

    config = resolver.config_for(path)
    settings = resolver.settings_for(path)
    packset = resolver.packset_for(settings)
    values: dict[str, Any] = {}
    for key, spec in KEYS.items():
        value = getattr(settings, spec.field)
        if key == "packs":
            value = sorted(packset.packs) if value is None else value
            value = [*value, *(str(p) for p in settings.packs)]
        values[key] = value.value if isinstance(value, Severity) else value
    origin = sources(config, resolver.explicit)
    here = ignores_for(settings, path)
    file_text = display(config.path) if config else None
    waivers = display(waiver_file) if waiver_file else None
    if output_format == "json":
        data = {
            "path": path,
            "config": file_text,
            "waivers": waivers,
            "settings": values,
            "sources": origin,
            "ignored_here": here,
        }
        return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    why = "--isolated" if resolver.isolated else "none found; defaults"
    lines = [
        f"# effective configuration for {path}",
        f"# configuration file: {file_text or why}",
        f"# waiver file: {waivers or 'none'}",
    ]
    width = max(len(k) for k in KEYS) + 2
    for key, value in values.items():
        shown = json.dumps(value, ensure_ascii=False)
        lines.append(f"{key + ':':<{width}}{shown}  # {origin[key]}")
    if here:
        lines.append(f"# per-path-ignores for this path: {', '.join(here)}")
    return "\n".join(lines) + "\n"
