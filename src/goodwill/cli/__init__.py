"""The ``goodwill`` command line (Typer + Rich).

Exit codes: 0 ok; 2 bad input or usage (one line on stderr, nothing written);
1 anything else.
"""

from __future__ import annotations

import gc
import os
import sys

# numpy's BLAS starts a thread per core at import (~60 ms of CPU) for products the
# commands never make large enough to share; one thread unless the user says otherwise.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import typer
from typer._click import exceptions as _click  # Typer's own copy of click (0.26 on)

from . import (  # noqa: F401  (commands register on import)
    accounts,
    demo,
    funnel,
    intros,
    io,
    ops,
    people,
    plan,
    serve,
    team,
    value,
)
from .app import app, err_console

__all__ = ["app", "main"]

_NO_ARGS = _click.NoArgsIsHelpError
_USAGE = _click.UsageError
_ABORT = typer.Abort
_EXIT = typer.Exit


# A command is short and reads many rows at once (100k tuples for the plan): the cycle
# collector runs far less often (about 60 ms of a one-second `today` at 100k people).
CLI_GC_THRESHOLD = (50_000, 20, 20)
# The long-running server collects its young objects every 10,000 allocations, not
# every 700 (Python's default), and the older ones as often as Python would after
# that: a page's objects are mostly freed by the time it is answered, and the
# collector took 3.5-4 % of a page's CPU, 0.5 % so (pages at 100k, in process).
SERVER_GC_THRESHOLD = (10_000, 10, 10)


def main() -> None:
    """Run the CLI, turning errors into one line and the contract's exit codes."""
    from goodwill.services.errors import BadInput

    gc.set_threshold(*CLI_GC_THRESHOLD)

    for arg in sys.argv[1:]:
        try:
            arg.encode("utf-8")
        except UnicodeEncodeError:  # bytes that are not UTF-8 arrive as surrogates
            err_console.print(f"error: {arg!r} is not UTF-8 text", markup=False, soft_wrap=True)
            sys.exit(2)
    try:
        code = app(standalone_mode=False)
        if isinstance(code, int) and code:
            sys.exit(code)
    except BadInput as exc:
        err_console.print(f"error: {exc.message}", markup=False, soft_wrap=True)
        sys.exit(2)
    except _NO_ARGS:
        app(["--help"], standalone_mode=False)
        sys.exit(2)
    except _USAGE as exc:
        err_console.print(f"error: {exc.format_message()}", markup=False, soft_wrap=True)
        sys.exit(2)
    except _ABORT:
        err_console.print("aborted", markup=False)
        sys.exit(1)
    except _EXIT as exc:
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        sys.exit(130)
    except Exception as exc:  # noqa: BLE001  (one line, not a traceback, for users)
        if os.environ.get("GOODWILL_DEBUG") == "1":
            raise
        from django.core.exceptions import ImproperlyConfigured

        if isinstance(exc, ImproperlyConfigured):  # a bad --db / settings value
            err_console.print(f"error: {exc}", markup=False, soft_wrap=True)
            sys.exit(2)
        err_console.print(f"error: {type(exc).__name__}: {exc}", markup=False, soft_wrap=True)
        sys.exit(1)
