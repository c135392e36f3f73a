"""A small, bounded web load test: ``goodwill serve`` on 127.0.0.1 and a few
threads with keep-alive ``http.client`` connections (loopback only).

Each client logs in once (session + CSRF token), then loops over the
scenarios until the time or request budget is spent. Reports p50/p95/p99
per scenario and errors (non-2xx/3xx or exceptions).
"""

from __future__ import annotations

import http.client
import itertools
import re
import socket
import statistics
import subprocess
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .networks import env, goodwill

EMAIL = "bench@example.com"
PASSWORD = "bench-password-123"
DURATION_S = 12.0
MAX_REQUESTS = 4000
# Load at the level before it is measured, not counted: every worker process and
# thread has then opened its database connection and loaded what it keeps (the
# overdue list, compiled queries, templates), as a server that has been running has.
WARMUP_S = 3.0
CSRF_RE = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Session:
    port: int
    cookies: dict[str, str] = field(default_factory=dict)
    csrf: str = ""

    def __post_init__(self) -> None:
        self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)

    def request(
        self, method: str, path: str, form: dict[str, str] | None = None
    ) -> tuple[int, str]:
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["X-CSRFToken"] = self.cookies.get("csrftoken", "")
            headers["Referer"] = f"http://127.0.0.1:{self.port}/"
        try:
            self.conn.request(method, path, body=body, headers=headers)
            resp = self.conn.getresponse()
        except (http.client.HTTPException, OSError):
            self.conn.close()
            self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
            raise
        text = resp.read().decode(errors="replace")
        for key, value in resp.getheaders():
            if key.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name.strip()] = rest.split(";", 1)[0]
        return resp.status, text

    def login(self) -> None:
        _, page = self.request("GET", "/login/")
        match = CSRF_RE.search(page)
        form = {"username": EMAIL, "password": PASSWORD, "next": "/"}
        if match:
            form["csrfmiddlewaretoken"] = match.group(1)
        status, _ = self.request("POST", "/login/", form)
        if status not in (302, 303):
            raise RuntimeError(f"login failed with HTTP {status}")


def scenarios(person_ids: list[int]) -> dict[str, Any]:
    """name -> (method, path maker, form maker or None)."""
    ids = itertools.cycle(person_ids)
    pages = itertools.cycle(range(1, 200))
    return {
        "dashboard": ("GET", lambda: "/", None),
        "people search": ("GET", lambda: "/people/?q=books", None),
        "people page N": ("GET", lambda: f"/people/?page={next(pages)}", None),
        "person page": ("GET", lambda: f"/people/{next(ids)}/", None),
        "log interaction": (
            "POST",
            lambda: f"/people/{next(ids)}/log/",
            lambda: {"kind": "call", "note": "load test call", "by": "me"},
        ),
    }


def percentile(values: list[float], q: float) -> float:
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1]


def run_level(
    port: int,
    clients: int,
    person_ids: list[int],
    available: set[str],
    duration: float = DURATION_S,
) -> dict[str, Any]:
    plan = {k: v for k, v in scenarios(person_ids).items() if k in available}
    names = itertools.cycle(sorted(plan))
    lock = threading.Lock()
    timings: dict[str, list[float]] = {k: [] for k in plan}
    errors: dict[str, int] = dict.fromkeys(plan, 0)
    budget = [MAX_REQUESTS]
    sessions = []
    for _ in range(clients):  # log in first: password hashing is not what we measure
        session = Session(port)
        session.login()
        sessions.append(session)
    deadline = time.perf_counter() + duration

    def worker(session: Session) -> None:
        while time.perf_counter() < deadline:
            with lock:
                if budget[0] <= 0:
                    return
                budget[0] -= 1
                name = next(names)
            method, path, form = plan[name]
            t0 = time.perf_counter()
            try:
                status, _ = session.request(method, path(), form() if form else None)
                ok = status < 400
            except Exception:  # noqa: BLE001
                ok = False
            ms = (time.perf_counter() - t0) * 1000
            with lock:
                if ok:
                    timings[name].append(ms)
                else:
                    errors[name] += 1

    threads = [threading.Thread(target=worker, args=(s,), daemon=True) for s in sessions]
    for t in threads:
        t.start()
    for t in threads:
        t.join(duration + 60)
    result = {}
    for name in plan:
        values = timings[name]
        result[name] = {
            "requests": len(values) + errors[name],
            "errors": errors[name],
            **({f"p{q}": round(percentile(values, q), 1) for q in (50, 95, 99)} if values else {}),
        }
    return result


def measure(
    db: Path | str, person_ids: list[int], levels: tuple[int, ...] = (8, 32)
) -> dict[str, Any]:
    """Serve ``db`` (a working copy, or a postgresql:// URL: the test writes) and load
    it at each level."""
    e = env()
    e["GOODWILL_PASSWORD"] = PASSWORD
    # Exit 2 when the user exists already (a re-used copy): that is fine.
    subprocess.run(
        goodwill("--db", str(db), "user", "add", EMAIL), env=e, check=False, capture_output=True
    )
    port = free_port()
    server = subprocess.Popen(
        goodwill("--db", str(db), "serve", "--host", "127.0.0.1", "--port", str(port)),
        env=e,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(300):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.1)
        probe = Session(port)
        probe.login()
        available, probed = set(), {}
        for name, (method, path, form) in scenarios(person_ids).items():
            status, _ = probe.request(method, path(), form() if form else None)
            probed[name] = status
            if status != 404:
                available.add(name)
                probe.request(method, path(), form() if form else None)  # warm caches
        result: dict[str, Any] = {
            "probed": probed,
            "missing": sorted(set(scenarios(person_ids)) - available),
            "levels": {},
        }
        for clients in levels:
            run_level(port, clients, person_ids, available, duration=WARMUP_S)
            result["levels"][clients] = run_level(port, clients, person_ids, available)
        return result
    finally:
        server.terminate()
        try:
            server.wait(10)
        except subprocess.TimeoutExpired:
            server.kill()
