"""Output formats, by name. Add a format: a module and an entry here."""

from __future__ import annotations

from importlib import import_module

from .base import FormatContext, Formatter, Summary

# NOTE: modules are imported on use so that the default text run does not pay
# for jinja2 (html) or the SARIF rule tables.
FORMATS: dict[str, tuple[str, str]] = {
    "text": ("text", "TextFormatter"),
    "json": ("json", "JsonFormatter"),
    "sarif": ("sarif", "SarifFormatter"),
    "github": ("github", "GithubFormatter"),
    "junit": ("junit", "JunitFormatter"),
    "html": ("html", "HtmlFormatter"),
}


def get_formatter(name: str, ctx: FormatContext) -> Formatter:
    """Instantiate the formatter called ``name``."""
    module_name, class_name = FORMATS[name]
    module = import_module(f"{__name__}.{module_name}")
    cls: type[Formatter] = getattr(module, class_name)
    return cls(ctx)


__all__ = ["FORMATS", "FormatContext", "Formatter", "Summary", "get_formatter"]
