"""The version of disclosure-lint: imports nothing, so anything may import it."""

from __future__ import annotations

__version__ = "0.1.0"
