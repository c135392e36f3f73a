"""The Jinja2 environment our templates (web/jinja2/goodwill/...) render with.

Why Jinja2: render cost. On a 100,000-person network the people list (50 rows)
rendered in 2.9 ms with Django's template language and renders in 1.0 ms here;
the person page 4.3 -> 1.7 ms, the dashboard 2.3 -> 0.9 ms. Django's admin keeps
the DTL backend (settings.TEMPLATES).

The templates print exactly what they printed under DTL:

- ``finalize`` prints a value as DTL does: aware datetimes in the current time
  zone, dates / floats / Decimals localized ("Nov. 23, 2026"), and escaped the
  Django way (``&#x27;``, ``&quot;``) rather than markupsafe's (``&#39;``).
- A missing variable, or an attribute of one, renders empty (``ChainableUndefined``);
  ``a.b`` on a dict reads the key first, as DTL does (and faster).
- ``csrf_token`` / ``csrf_input`` (the ``csrf`` context processor below) are one
  token per response, as under DTL: the backend's own mask a new one at each use.
- The filters are Django's own (``date``, ``pluralize``, ``default``...), given
  "" for a missing value as DTL gives them; ``url`` and ``static`` are globals.
"""

from __future__ import annotations

import functools
import html
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import HttpRequest
from django.middleware.csrf import get_token
from django.template import defaultfilters
from django.templatetags.static import static
from django.urls import reverse
from django.utils.formats import localize
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString
from django.utils.timezone import template_localtime
from jinja2 import ChainableUndefined, Environment, Undefined, UndefinedError, pass_eval_context
from jinja2.nodes import EvalContext

# settings.USE_THOUSAND_SEPARATOR, read once and again when a setting changes (tests):
# through Django's lazy settings object it cost 0.2 ms a dashboard (365 numbers).
_thousands = [settings.USE_THOUSAND_SEPARATOR]


@receiver(setting_changed)
def _reread(*, setting: str, **_: Any) -> None:
    if setting == "USE_THOUSAND_SEPARATOR":
        _thousands[0] = settings.USE_THOUSAND_SEPARATOR


@pass_eval_context
def _finalize(eval_ctx: EvalContext, value: Any) -> Any:
    """Print ``value`` as DTL's ``{{ value }}`` does (see render_value_in_context).

    markupsafe escapes what comes back: it escapes ``&<>`` as Django does, so only
    a string with quotes is escaped here, the Django way."""
    if type(value) is str:  # the common case first
        if eval_ctx.autoescape and ("'" in value or '"' in value):
            return SafeString(html.escape(value))  # &#x27; and &quot;, as under DTL
        return value
    if type(value) is int and not _thousands[0]:
        return value  # ids and counts print as they are
    if hasattr(value, "__html__"):
        return value  # safe already: SafeString, csrf_input
    value = localize(template_localtime(value))
    return conditional_escape(value) if eval_ctx.autoescape else value


def _dtl(function: Callable[..., Any]) -> Callable[..., Any]:
    """A Django filter that gets "" for a missing value, as under DTL."""

    @functools.wraps(function)
    def wrapper(value: Any, *args: Any) -> Any:
        return function("" if isinstance(value, Undefined) else value, *args)

    return wrapper


def date(value: Any, arg: str | None = None) -> str:
    """Django's ``date`` filter, in the current time zone (DTL's expects_localtime)."""
    return defaultfilters.date(template_localtime(value), arg)


def widthratio(value: Any, max_value: Any, max_width: int) -> str:
    """``{% widthratio value max_value max_width %}``: round(value / max_value * max_width)."""
    try:
        return str(round(float(value) / float(max_value) * int(max_width)))
    except ZeroDivisionError:
        return "0"
    except (ValueError, TypeError, OverflowError, UndefinedError):
        return ""


class _Once:
    """A value made on first use (the CSRF token), then kept for the response."""

    __slots__ = ("make", "value")

    def __init__(self, make: Callable[[], str]) -> None:
        self.make, self.value = make, None

    def __html__(self) -> str:
        if self.value is None:
            self.value = SafeString(self.make())
        return self.value

    __str__ = __html__


def csrf(request: HttpRequest) -> dict[str, Any]:
    """Context processor: the CSRF token masked once per response, as under DTL, and
    only if a template uses it. The backend's own mask a new one at each use: 2 ms
    on a person page with its 200 delete buttons."""
    token = _Once(lambda: get_token(request))
    field = '<input type="hidden" name="csrfmiddlewaretoken" value="{}">'
    return {"csrf_token": token, "csrf_input": _Once(lambda: format_html(field, token))}


FILTERS = {
    "date": date,
    "pluralize": defaultfilters.pluralize,
    "linebreaksbr": defaultfilters.linebreaksbr,
    "floatformat": defaultfilters.floatformat,
    "default": defaultfilters.default,
    "default_if_none": defaultfilters.default_if_none,
    "add": defaultfilters.add,
    "slice": defaultfilters.slice_filter,
    "join": defaultfilters.join,
    "length": defaultfilters.length,
    "urlencode": defaultfilters.urlencode,
}


class DictFirstEnvironment(Environment):
    """``a.b`` looks ``b`` up in a dict first, as DTL does: most of what the views
    hand over are dicts, and Jinja2's getattr-first misses raise AttributeError."""

    def getattr(self, obj: Any, attribute: str) -> Any:
        if type(obj) is dict:
            try:
                return obj[attribute]
            except KeyError:
                pass
        return super().getattr(obj, attribute)


def environment(**options: Any) -> Environment:
    """Called by django.template.backends.jinja2.Jinja2 with its OPTIONS (autoescape on)."""
    options["undefined"] = ChainableUndefined  # the backend sets Undefined / DebugUndefined
    env = DictFirstEnvironment(keep_trailing_newline=True, finalize=_finalize, **options)
    env.filters.update({name: _dtl(f) for name, f in FILTERS.items()})
    env.globals.update(url=reverse, static=static, widthratio=widthratio)
    return env
