"""Console entry point: ``disclosure-lint`` and ``python -m disclosure_lint``.

``--version`` is answered before the CLI framework is imported, so scripts
that probe for the tool stay instant; everything else goes to ``cli.main``.
"""

from __future__ import annotations

import sys


def main() -> int:
    """Run the command line and return its exit code."""
    if sys.argv[1:] == ["--version"]:
        from . import __version__

        sys.stdout.write(f"disclosure-lint {__version__}\n")
        return 0
    try:
        from .cli import main as cli_main
    except KeyboardInterrupt:
        # NOTE: Ctrl-C while the modules load: no traceback (exit 130).
        sys.stderr.write("disclosure-lint: interrupted\n")
        return 130
    return cli_main()


if __name__ == "__main__":
    sys.exit(main())
