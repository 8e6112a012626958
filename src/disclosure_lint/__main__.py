"""Console entry point: ``disclosure-lint`` and ``python -m disclosure_lint``.

Two command lines are answered before the CLI framework is imported:
``--version``, so that scripts probing for the tool stay instant, and the
plain ``disclosure-lint [check] [--fix] FILE...`` of the pre-commit hooks
(``check.plain_check``), which typer would parse to the defaults anyway.
Everything else goes to ``cli.main``.
"""

from __future__ import annotations

import gc
import sys
from importlib import import_module


def main() -> int:
    """Run the command line and return its exit code."""
    args = sys.argv[1:]
    if args == ["--version"]:
        from .version import __version__

        sys.stdout.write(f"disclosure-lint {__version__}\n")
        return 0
    # NOTE: importing creates objects that live as long as the process; the
    # collector would only scan them again and again (and once more at exit).
    # It is off while the modules load, then those objects are frozen out of
    # its sight: ~6 % of a one-draft run. Only here, in the process's entry
    # point: an in-process caller (the tests) keeps its own collector policy.
    gc.disable()
    try:
        from .cli.check import main_plain, plain_check

        plain = plain_check(args)
        if plain is not None:
            import_module(".cli.run", __package__)  # what the run needs, GC off
            _collect_from_now_on()
            return main_plain(*plain)
        from .cli.app import main as cli_main
    except KeyboardInterrupt:
        # NOTE: Ctrl-C while the modules load: no traceback (exit 130).
        sys.stderr.write("disclosure-lint: interrupted\n")
        return 130
    _collect_from_now_on()
    return cli_main()


def _collect_from_now_on() -> None:
    """Freeze what is alive (modules, classes) and turn the collector on."""
    gc.freeze()
    gc.enable()


if __name__ == "__main__":
    sys.exit(main())
