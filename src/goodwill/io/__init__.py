"""File formats. One module per format parses bytes to plain records (no Django);
``services.importing`` and ``services.exporting`` save and write them.

The registry maps a format name (the CLI's ``goodwill import KIND``) to its parser.
"""

from __future__ import annotations

from collections.abc import Callable

from . import csvmap, google, linkedin, vcard
from .records import Contact, Parsed, UnreadableFile

Parser = Callable[..., Parsed]

PARSERS: dict[str, Parser] = {
    "linkedin": linkedin.parse,
    "vcard": vcard.parse,
    "google": google.parse,
    "csv": csvmap.parse,
}

__all__ = ["PARSERS", "Contact", "Parsed", "Parser", "UnreadableFile"]
