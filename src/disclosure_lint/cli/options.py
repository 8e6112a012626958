"""Exit codes, the options several commands share, and how a command fails."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

EXIT_ERROR = 2
EXIT_INTERRUPTED = 130
# Options shared by `check` and `extract`.
YearOption = Annotated[
    int | None, typer.Option(help="Report year (else from the draft).")
]
EditionOption = Annotated[
    str | None,
    typer.Option(help="Format edition: 2019 or 2021 (else from the year)."),
]
PacksOption = Annotated[
    list[Path] | None, typer.Option("--packs", help="Extra pack directories.")
]


def _fail(message: str) -> typer.Exit:
    typer.echo(f"disclosure-lint: error: {message}", err=True)
    return typer.Exit(EXIT_ERROR)
