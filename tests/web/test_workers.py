"""``goodwill serve --workers N``: N processes answer on one port, each holding as
many of the kept-alive connections as the others, a worker that dies is replaced,
SIGTERM or Ctrl-C (SIGINT to the whole group) stops them all, and a port already
taken is one clear line with exit 2.

The server runs as the real CLI in a subprocess on its own SQLite file."""

from __future__ import annotations

import contextlib
import http.client
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.services.test_concurrency import writer_env

pytestmark = [
    pytest.mark.xdist_group("subprocess-heavy"),
    pytest.mark.skipif(not hasattr(os, "fork"), reason="worker processes need fork"),
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _children(pid: int) -> set[int]:
    """Live child processes of ``pid`` (from /proc)."""
    found = set()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()  # after "pid (name)": state, ppid, …
        if int(fields[1]) == pid and fields[0] != "Z":
            found.add(int(entry.name))
    return found


def _wait(predicate, what: str, timeout: float = 30.0):  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


def _get(port: int, path: str = "/login/") -> int:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.request("GET", path)
        return conn.getresponse().status
    finally:
        conn.close()


def _answers(port: int) -> bool:
    try:
        return _get(port) == 200
    except OSError:
        return False


@pytest.fixture
def served(tmp_path: Path, request) -> Iterator[tuple[subprocess.Popen[bytes], int]]:
    env = writer_env(tmp_path)
    db = str(tmp_path / "net.sqlite3")
    port = _free_port()
    workers = str(getattr(request, "param", 2))
    server = subprocess.Popen(
        [sys.executable, "-m", "goodwill", "--db", db, "serve", "--port", str(port)]
        + ["--workers", workers, "--threads", "2"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,  # its own process group, as a terminal would start it
    )
    try:
        _wait(lambda: _answers(port), "the server to answer")
        yield server, port
    finally:
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait(10)


def test_two_workers_answer_and_a_killed_worker_is_replaced(served):
    server, port = served
    workers = _wait(lambda: len(_children(server.pid)) == 2 and _children(server.pid), "2 workers")
    assert all(_get(port) == 200 for _ in range(20))
    killed = min(workers)
    os.kill(killed, signal.SIGKILL)
    now = _wait(
        lambda: (c := _children(server.pid)) and len(c) == 2 and killed not in c and c,
        "a new worker",
    )
    assert now - workers  # a new process took the killed one's place
    assert all(_get(port) == 200 for _ in range(20))
    assert server.poll() is None


def _holders(port: int, workers: set[int]) -> dict[int, int]:
    """How many established connections to ``port`` each worker holds (the server's
    ends in /proc/net/tcp, found among each worker's open files by inode)."""
    inodes = set()
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        if int(fields[1].split(":")[1], 16) == port and fields[3] == "01":  # ESTABLISHED
            inodes.add(fields[9])
    held = dict.fromkeys(workers, 0)
    for pid in workers:
        for fd in Path(f"/proc/{pid}/fd").iterdir():
            with contextlib.suppress(OSError):
                target = os.readlink(fd)
                if target.startswith("socket:[") and target[8:-1] in inodes:
                    held[pid] += 1
    return held


def _connect(port: int) -> http.client.HTTPConnection:
    """A kept-alive connection the server has answered on."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.request("GET", "/login/")
    response = conn.getresponse()
    response.read()
    assert response.status == 200 and not response.will_close
    return conn


@pytest.mark.parametrize("served", [4], indirect=True)
def test_kept_alive_connections_are_spread_evenly_over_the_workers(served):
    """Left to the kernel, 8 connections at 4 workers were mostly held 4, 2, 1, 1 (one
    process, one thread at a time, serving half the clients). A worker takes a new
    connection only while it holds no more than any other, also after some close and
    after a worker is replaced."""
    server, port = served
    workers = _wait(lambda: len(c := _children(server.pid)) == 4 and c, "4 workers")
    for _ in range(3):
        conns = [_connect(port) for _ in range(8)]
        held = _wait(lambda: sum((h := _holders(port, workers)).values()) == 8 and h, "8")
        assert sorted(held.values()) == [2, 2, 2, 2]
        for conn in conns:
            conn.close()
        _wait(lambda: not any(_holders(port, workers).values()), "the connections to close")

    conns = [_connect(port) for _ in range(8)]
    _wait(lambda: sum(_holders(port, workers).values()) == 8, "8 connections")
    killed = min(workers)
    os.kill(killed, signal.SIGKILL)
    workers = _wait(
        lambda: (c := _children(server.pid)) and len(c) == 4 and killed not in c and c,
        "a new worker",
    )
    _wait(lambda: sum(_holders(port, workers).values()) == 6, "the killed worker's to close")
    conns += [_connect(port) for _ in range(2)]  # the new worker holds none: it takes both
    held = _wait(lambda: sum((h := _holders(port, workers)).values()) == 8 and h, "8")
    assert sorted(held.values()) == [2, 2, 2, 2]
    for conn in conns:
        conn.close()


@pytest.mark.parametrize("how", ["SIGTERM to the server", "Ctrl-C (SIGINT to the group)"])
def test_a_signal_stops_every_worker_and_frees_the_port(served, how):
    server, port = served
    workers = _wait(lambda: len(_children(server.pid)) == 2 and _children(server.pid), "2 workers")
    if how.startswith("SIGTERM"):
        server.send_signal(signal.SIGTERM)
    else:
        os.killpg(server.pid, signal.SIGINT)
    assert server.wait(20) == 0
    for pid in workers:
        _wait(lambda pid=pid: not Path(f"/proc/{pid}").exists(), f"worker {pid} to exit")
    with socket.socket() as s:  # nobody listens any more
        assert s.connect_ex(("127.0.0.1", port)) != 0
    out, err = server.communicate()
    assert b"2 worker processes" in out
    assert b"Traceback" not in err


@pytest.mark.parametrize("workers", ["1", "2"])
def test_a_port_already_taken_is_one_line_and_exit_2(tmp_path, workers):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        done = subprocess.run(
            [sys.executable, "-m", "goodwill", "--db", str(tmp_path / "n.sqlite3"), "serve"]
            + ["--port", str(port), "--workers", workers],
            env=writer_env(tmp_path),
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == [
        f"error: cannot listen on 127.0.0.1:{port}: Address already in use"
    ]


@pytest.mark.django_db
def test_the_servers_connections_read_through_mmap_or_without_parallel_workers(tmp_path):
    """What serve sets on each of its database connections (cli.serve._server_session)."""
    from django.db import connection, connections

    from goodwill.cli.serve import SQLITE_MMAP, _server_session

    if connection.vendor == "sqlite":  # on a file: the tests' own database is in memory
        wrapper = type(connections["default"])
        on_file = wrapper({**connection.settings_dict, "NAME": str(tmp_path / "x.db")}, "file")
        try:
            _server_session(None, on_file)
            with on_file.cursor() as cur:
                cur.execute("PRAGMA mmap_size")
                assert cur.fetchone()[0] == SQLITE_MMAP
        finally:
            on_file.close()
    else:
        _server_session(None, connection)
        with connection.cursor() as cur:
            cur.execute("SHOW max_parallel_workers_per_gather")
            assert cur.fetchone()[0] == "0"
            cur.execute("RESET max_parallel_workers_per_gather")
