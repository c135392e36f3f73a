"""Figures the reliability tests print in the test summary ("cases tried, writers,
kills survived"), also when the suite runs in pytest-xdist workers.

A test calls ``report("kill", "12 SIGKILLs survived, ...")``; the figures appear
under "goodwill figures (SQLite)" or "goodwill figures (PostgreSQL)" at the end of
the run. Registered by tests/conftest.py.
"""

from __future__ import annotations

import json
import os
from typing import Any

import pytest

_FIGURES: list[tuple[str, str]] = []
_KEY = "goodwill_figures"


def report(name: str, text: str) -> None:
    """Record one figure for the end-of-run summary."""
    _FIGURES.append((name, text))


def pytest_sessionfinish(session: pytest.Session) -> None:
    workeroutput = getattr(session.config, "workeroutput", None)
    if workeroutput is not None:  # an xdist worker: hand the figures to the controller
        workeroutput[_KEY] = json.dumps(_FIGURES)


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node: Any, error: Any) -> None:
    output = getattr(node, "workeroutput", None) or {}
    _FIGURES.extend(tuple(f) for f in json.loads(output.get(_KEY, "[]")))


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if not _FIGURES:
        return
    database = "PostgreSQL" if os.environ.get("GOODWILL_TEST_POSTGRES") == "1" else "SQLite"
    terminalreporter.section(f"goodwill figures ({database})")
    for name, text in sorted(_FIGURES):
        terminalreporter.write_line(f"{name}: {text}")
