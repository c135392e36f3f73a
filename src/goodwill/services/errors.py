"""Errors a user can fix. Adapters turn them into exit code 2 / HTTP 4xx."""

from __future__ import annotations


class BadInput(ValueError):
    """Bad input or usage: one clear line, nothing written."""

    status = 400

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class NotFound(BadInput):
    status = 404


class Ambiguous(BadInput):
    status = 409

    def __init__(self, message: str, candidates: list[tuple[int, str]]) -> None:
        super().__init__(message)
        self.candidates = candidates


class Forbidden(BadInput):
    status = 403
