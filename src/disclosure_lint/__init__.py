"""disclosure-lint: a linter for 政府信息公开工作年度报告 drafts.

Public API: ``lint_text``, ``lint_paths``, ``load_packs`` and ``Finding``.
"""

from __future__ import annotations

from .version import __version__

__all__ = ["Finding", "__version__", "lint_paths", "lint_text", "load_packs"]


def __getattr__(name: str) -> object:
    # NOTE: lazy so that `disclosure-lint --version` imports nothing else.
    if name in ("lint_text", "lint_paths"):
        from .engine import lint as engine

        return getattr(engine, name)
    if name == "load_packs":
        from .packs.load import load_packset

        return load_packset
    if name == "Finding":
        from .document.findings import Finding

        return Finding
    raise AttributeError(name)
