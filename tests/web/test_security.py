"""Security settings and their effect: cookies, CSRF, CSP, login throttling,
tokens, secrets, hosts and proxies, the upload limit, request logs, viewers.

Settings are read when goodwill.settings is imported, so their logic is tested
by importing it in a fresh interpreter with a given environment.
"""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.apps import apps
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from goodwill.db.models import ApiToken
from goodwill.services.team import create_token, revoke_token

ROOT = Path(__file__).resolve().parents[2]


def _settings(tmp_path: Path, **env: str) -> dict:
    """goodwill.settings as a fresh process sees it with ``env``."""
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("GOODWILL_") and k != "DJANGO_SETTINGS_MODULE"
    }
    clean.setdefault("GOODWILL_HOME", str(tmp_path / "home"))
    clean.update(env)
    names = [
        "SECRET_KEY", "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE", "SESSION_COOKIE_HTTPONLY",
        "SESSION_COOKIE_SAMESITE", "CSRF_COOKIE_SAMESITE", "ALLOWED_HOSTS",
        "SECURE_PROXY_SSL_HEADER", "USE_X_FORWARDED_HOST", "CSRF_TRUSTED_ORIGINS",
        "DATA_UPLOAD_MAX_MEMORY_SIZE", "PASSWORD_HASHERS", "DEBUG",
    ]  # fmt: skip
    code = (
        "import json, goodwill.settings as s; "
        f"print(json.dumps({{n: getattr(s, n, None) for n in {names!r}}}))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], env=clean, capture_output=True, text=True, check=True
    )
    return json.loads(out.stdout)


def _login(client: Client, actor) -> Client:
    client.force_login(actor.user, backend="goodwill.services.accounts.UserBackend")
    session = client.session
    session["workspace_id"] = actor.workspace.pk
    session.save()
    return client


# --- cookies, HTTPS, hosts, proxies --------------------------------------


def test_session_cookies_are_httponly_and_samesite_lax_and_secure_only_over_https(tmp_path):
    plain = _settings(tmp_path)
    assert plain["SESSION_COOKIE_HTTPONLY"] is True
    assert plain["SESSION_COOKIE_SAMESITE"] == plain["CSRF_COOKIE_SAMESITE"] == "Lax"
    assert plain["SESSION_COOKIE_SECURE"] is False
    https = _settings(tmp_path, GOODWILL_HTTPS="1")
    assert https["SESSION_COOKIE_SECURE"] is True and https["CSRF_COOKIE_SECURE"] is True


def test_logging_in_sets_an_httponly_lax_session_cookie(alice):
    c = Client()
    r = c.post("/login/", {"username": "alice@example.com", "password": "correct horse battery"})
    assert r.status_code == 302
    cookie = r.cookies["sessionid"]
    assert cookie["httponly"] and cookie["samesite"] == "Lax"


def test_a_session_stays_signed_in_while_its_user_is_active_and_exists(alice):
    c = Client()
    r = c.post("/login/", {"username": "alice@example.com", "password": "correct horse battery"})
    assert r.status_code == 302 and c.get("/").status_code == 200
    assert c.session["_auth_user_backend"] == "goodwill.services.accounts.UserBackend"
    alice.user.is_active = False
    alice.user.save(update_fields=["is_active"])
    assert c.get("/").status_code == 302  # to the login page
    alice.user.is_active = True
    alice.user.save(update_fields=["is_active"])
    c.post("/login/", {"username": "alice@example.com", "password": "correct horse battery"})
    assert c.get("/").status_code == 200
    from goodwill.services.accounts import UserBackend

    assert UserBackend().get_user(alice.user.pk) == alice.user
    assert UserBackend().get_user(alice.user.pk + 10_000) is None


def test_sessions_are_read_back_until_they_expire_and_unknown_keys_start_afresh(db):
    import datetime as dt

    from django.contrib.sessions.models import Session
    from django.utils import timezone

    from goodwill.web.sessions import SessionStore

    store = SessionStore()
    store["workspace_id"] = 7
    store.create()
    key = store.session_key
    assert SessionStore(key).load() == {"workspace_id": 7}
    assert SessionStore(key)["workspace_id"] == 7
    Session.objects.filter(session_key=key).update(
        expire_date=timezone.now() - dt.timedelta(seconds=1)
    )
    expired = SessionStore(key)
    assert expired.load() == {} and expired.session_key is None
    unknown = SessionStore("x" * 32)
    assert unknown.load() == {} and unknown.session_key is None


def test_hosts_proxy_headers_and_csrf_origins_come_from_the_environment(tmp_path):
    default = _settings(tmp_path)
    assert default["ALLOWED_HOSTS"] == ["127.0.0.1", "localhost"]
    assert default["SECURE_PROXY_SSL_HEADER"] is None and default["CSRF_TRUSTED_ORIGINS"] == []
    server = _settings(
        tmp_path,
        GOODWILL_ALLOWED_HOSTS="crm.example.com, localhost",
        GOODWILL_BEHIND_PROXY="1",
        GOODWILL_CSRF_ORIGINS="https://crm.example.com",
    )
    assert server["ALLOWED_HOSTS"] == ["crm.example.com", "localhost"]
    assert server["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert server["USE_X_FORWARDED_HOST"] is True
    assert server["CSRF_TRUSTED_ORIGINS"] == ["https://crm.example.com"]


def test_a_request_for_an_unknown_host_is_refused(db):
    assert Client().get("/healthz", HTTP_HOST="evil.example").status_code == 400


def test_behind_a_proxy_the_forwarded_scheme_counts_as_https(settings, db):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    from django.test import RequestFactory

    request = RequestFactory().get("/", HTTP_X_FORWARDED_PROTO="https")
    assert request.is_secure()


def test_passwords_are_hashed_with_argon2(tmp_path):
    assert _settings(tmp_path)["PASSWORD_HASHERS"][0].endswith("Argon2PasswordHasher")


# --- secrets ---------------------------------------------------------------


def test_each_data_directory_gets_its_own_secret_key_and_the_environment_wins(tmp_path):
    one = _settings(tmp_path, GOODWILL_HOME=str(tmp_path / "one"))["SECRET_KEY"]
    two = _settings(tmp_path, GOODWILL_HOME=str(tmp_path / "two"))["SECRET_KEY"]
    assert one != two and len(one) >= 50
    assert _settings(tmp_path, GOODWILL_HOME=str(tmp_path / "one"))["SECRET_KEY"] == one
    assert (tmp_path / "one" / "secret_key").stat().st_mode & 0o777 == 0o600
    forced = _settings(tmp_path, GOODWILL_HOME=str(tmp_path / "one"), GOODWILL_SECRET_KEY="x" * 60)
    assert forced["SECRET_KEY"] == "x" * 60


def test_no_secret_key_or_token_is_committed():
    files = subprocess.run(
        ["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split()
    assert not [f for f in files if Path(f).name in ("secret_key", ".env")]
    settings_text = (ROOT / "src/goodwill/settings.py").read_text()
    assert 'SECRET_KEY = "' not in settings_text and "SECRET_KEY = '" not in settings_text


# --- CSRF and CSP --------------------------------------------------------


def test_forms_are_refused_without_a_csrf_token(alice):
    c = Client(enforce_csrf_checks=True)
    r = c.post("/login/", {"username": "alice@example.com", "password": "correct horse battery"})
    assert r.status_code == 403
    _login(c, alice)
    assert c.post("/team/tokens/", {"scope": "read"}).status_code == 403
    assert not ApiToken.objects.exists()


def test_a_form_with_its_csrf_token_is_accepted(alice):
    c = _login(Client(enforce_csrf_checks=True), alice)
    c.get("/team/")
    token = c.cookies["csrftoken"].value
    r = c.post("/team/tokens/", {"scope": "read", "csrfmiddlewaretoken": token})
    assert r.status_code == 200 and ApiToken.objects.count() == 1


def test_api_writes_with_a_session_need_the_csrf_token_but_bearer_tokens_do_not(alice):
    c = _login(Client(enforce_csrf_checks=True), alice)
    assert c.post("/api/v1/tokens", {}, content_type="application/json").status_code == 401
    c.get("/team/")
    r = c.post(
        "/api/v1/tokens",
        {},
        content_type="application/json",
        HTTP_X_CSRFTOKEN=c.cookies["csrftoken"].value,
    )
    assert r.status_code == 201
    bearer = create_token(actor=alice, scope="write").raw
    r = Client(enforce_csrf_checks=True).post(
        "/api/v1/tokens", {}, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {bearer}"
    )
    assert r.status_code == 201


@pytest.mark.parametrize("url", ["/login/", "/team/", "/healthz"])
def test_every_response_has_a_csp_without_unsafe_inline(alice, url):
    r = _login(Client(), alice).get(url)
    csp = r.headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "script-src 'self'" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert r.headers["X-Frame-Options"] == "DENY"
    assert r.headers["X-Content-Type-Options"] == "nosniff"


def test_templates_contain_no_inline_scripts_or_event_handlers():
    import re

    templates = ROOT / "src/goodwill/web/jinja2"
    offenders = []
    for path in templates.rglob("*.html"):
        text = path.read_text()
        if re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text) or re.search(r"\son[a-z]+=", text):
            offenders.append(str(path.relative_to(templates)))
    assert offenders == []


# --- login throttling ----------------------------------------------------


def test_repeated_failed_logins_lock_the_account_out(alice, settings):
    c = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        c.post("/login/", {"username": "alice@example.com", "password": "wrong"})
    r = c.post("/login/", {"username": "alice@example.com", "password": "correct horse battery"})
    assert r.status_code == 429
    assert "_auth_user_id" not in c.session


def test_a_few_failed_logins_do_not_lock_anyone_out(alice):
    c = Client()
    for _ in range(3):
        assert (
            c.post("/login/", {"username": "alice@example.com", "password": "no"}).status_code
            == 200
        )
    r = c.post("/login/", {"username": "alice@example.com", "password": "correct horse battery"})
    assert r.status_code == 302


# --- API tokens -----------------------------------------------------------


def test_api_tokens_are_stored_hashed_scoped_revocable_and_record_last_use(alice, mallory, network):
    token = create_token(actor=alice, scope="read")
    row = ApiToken.objects.get(pk=token.id)
    assert token.raw not in (row.key_hash, row.prefix, row.name)
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token.raw}"}
    assert Client().get("/api/v1/team/members", **headers).status_code == 200
    row.refresh_from_db()
    assert row.last_used_at is not None
    theirs = {"HTTP_AUTHORIZATION": f"Bearer {create_token(actor=mallory).raw}"}
    r = Client().get(f"/api/v1/people/{network.carol.pk}/knows-best", **theirs)
    assert r.status_code == 404
    revoke_token(actor=alice, token_id=token.id)
    assert Client().get("/api/v1/team/members", **headers).status_code == 401


def test_a_bad_or_missing_token_is_401_with_a_json_message(db):
    for headers in ({}, {"HTTP_AUTHORIZATION": "Bearer gw_not-a-token"}):
        r = Client().get("/api/v1/team/members", **headers)
        assert r.status_code == 401 and "detail" in r.json()


# --- upload limit and request logs ----------------------------------------


def test_the_upload_limit_defaults_to_20_mb(tmp_path):
    assert _settings(tmp_path)["DATA_UPLOAD_MAX_MEMORY_SIZE"] == 20 * 1024 * 1024
    assert _settings(tmp_path, GOODWILL_MAX_UPLOAD="1000")["DATA_UPLOAD_MAX_MEMORY_SIZE"] == 1000


def test_an_oversized_upload_is_refused_with_413_and_a_clear_message(alice, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024
    c = _login(Client(), alice)
    body = b"x" * (1024 * 1024 + 1)
    r = c.post("/team/tokens/", body, content_type="application/octet-stream")
    assert r.status_code == 413 and b"too large" in r.content and b"limit is 1 MB" in r.content
    r = c.post("/api/v1/tokens", body, content_type="application/json")
    assert r.status_code == 413 and "limit is 1 MB" in r.json()["detail"]
    assert not ApiToken.objects.exists()


def test_every_request_is_logged_as_one_json_line(alice):
    lines: list[str] = []

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            lines.append(record.getMessage())

    logger = logging.getLogger("goodwill.requests")
    handler = Collect()
    logger.addHandler(handler)
    try:
        _login(Client(), alice).get("/team/")
        Client().get("/healthz")
    finally:
        logger.removeHandler(handler)
    team, health = (json.loads(line) for line in lines)
    assert team["method"] == "GET" and team["path"] == "/team/" and team["status"] == 200
    assert team["user"] == alice.user.pk and team["duration_ms"] >= 0
    assert health["user"] is None and health["path"] == "/healthz"


# --- viewers, on every page and API route (including ones added later) -----

SKIP_PREFIXES = ("admin/", "api/", "login/", "logout/", "invite/", "static/", "healthz")
# Changes only which of one's workspaces the session acts in, so a viewer may use it.
SESSION_ONLY = ("team/workspace/",)


def _web_routes(resolver: URLResolver | None = None, prefix: str = "") -> list[str]:
    routes: list[str] = []
    for p in (resolver or get_resolver()).url_patterns:
        route = prefix + str(p.pattern)
        if isinstance(p, URLResolver):
            routes += _web_routes(p, route)
        elif isinstance(p, URLPattern) and not route.startswith(SKIP_PREFIXES + SESSION_ONLY):
            routes.append(route)
    return routes


def _fill(route: str) -> str:
    import re

    route = re.sub(r"<int:\w+>", "1", route)
    route = re.sub(r"<(?:str|slug|path):\w+>", "x", route)
    return "/" + route.lstrip("^/").rstrip("$")


def _row_counts() -> dict[str, int]:
    return {
        m.__name__: m._default_manager.count() for m in apps.get_app_config("goodwill").get_models()
    }


def test_a_viewer_can_change_nothing_through_any_page(alice, vera, network):
    c = _login(Client(), vera)
    before = _row_counts()
    routes = _web_routes()
    assert "team/tokens/" in routes
    for route in routes:
        for method in ("post", "put", "patch", "delete"):
            r = getattr(c, method)(_fill(route), {"name": "x"})
            assert r.status_code in (403, 405), (method, route, r.status_code)
    assert _row_counts() == before


def test_read_tokens_and_viewers_are_refused_every_api_write(alice, vera, network):
    from goodwill.web.api import api

    schema = api.get_openapi_schema(path_prefix="/api/v1")
    tokens = [create_token(actor=alice, scope="read").raw, create_token(actor=vera).raw]
    before = _row_counts()
    writes = 0
    for path, operations in schema["paths"].items():
        url = _fill(path.replace("{", "<int:").replace("}", ">"))
        for method, op in operations.items():
            if method in ("get", "head", "options") or not op.get("security"):
                continue
            writes += 1
            for raw in tokens:
                r = getattr(Client(), method)(
                    url, {}, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {raw}"
                )
                assert r.status_code == 401, (method, path, r.status_code)
            r = getattr(_login(Client(), vera), method)(url, {}, content_type="application/json")
            assert r.status_code == 401, (method, path, "session", r.status_code)
    assert writes >= 5
    assert _row_counts() == before
